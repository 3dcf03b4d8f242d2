"""How every screen looks, at 80x24 and 120x40 (pytest-textual-snapshot).

Everything on screen is fixed: the clock (Monday 2 March 2026, 12:00 UTC, local time UTC), the
seed, the profile ("tester"), the fixture banks, and a fresh database under the test's
IMS_QUIZ_HOME. Progress the screen needs is recorded through the service with fixed answer
times. Regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at
every changed SVG before committing it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quiz.banks.loader import Library
from quiz.domain.session import Mode
from quiz.tui.screens.banks import BanksScreen, PreviewScreen
from quiz.tui.screens.dialogs import ConfirmDialog, ResumeDialog
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.navigator import NavigatorScreen
from quiz.tui.screens.progress import ProgressScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen, ReviewScreen
from quiz.tui.screens.setup import SetupScreen
from tests.engine_helpers import T0
from tests.tui.tui_helpers import (
    BANK_ID,
    CASE_KEYS,
    LARGE,
    MARKUP_KEY,
    SMALL,
    UNSAFE,
    exam_answer,
    make_test_app,
    no_blink,
    on_screen,
    plan,
    play,
    press_quickly,
    record_session,
    settle,
    started,
    wait_until,
)

Size = tuple[int, int]
SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]

EXAM_OUTCOMES = {
    "c5-muscle": UNSAFE,
    "clean-technique": True,
    "multi-roots": False,
    "myotome-match": True,
    "end-order": False,
    "painter-segment": True,
}
"""The finished exam of the results and review snapshots: right, wrong or the unsafe option by
question id; elbow-root and painter-paraspinal are left unanswered."""


def some_progress(db_file: Path, library: Library) -> None:
    """Three practice sessions on three days up to "today": 8 of 12 right, one unsafe pick."""
    days = (
        (3, {"c5-muscle": True, "multi-roots": False, "myotome-match": True, "end-order": True}),
        (1, {"c5-muscle": UNSAFE, "clean-technique": True, "elbow-root": False, "end-order": True}),
        (0, {"painter-segment": True, "painter-paraspinal": True, "multi-roots": True,
             "myotome-match": False}),
    )  # fmt: skip
    for days_ago, outcomes in days:
        when = T0 - timedelta(days=days_ago, hours=1)
        keys = tuple(f"{BANK_ID}/{question_id}" for question_id in outcomes)
        record_session(db_file, library, when, plan(question_keys=keys, count=4), outcomes)


async def finished_exam(pilot: Pilot[Any]) -> Any:
    """Play the exam of :data:`EXAM_OUTCOMES` and show its results."""
    app: Any = pilot.app
    await started(pilot)
    session, result = await asyncio.to_thread(
        play, app.trainer, plan(Mode.EXAM, count=8, minutes=20), EXAM_OUTCOMES
    )
    app.push_screen(ResultsScreen(session, result))
    return await on_screen(pilot, ResultsScreen)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_home(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """Header "IMS Quiz — Gunn intramuscular stimulation trainer"; the menu box on the left
    (p Practice ... m Mistakes, v Review…, b Banks, g Progress, u Unfinished, s Settings,
    ? Help, Practice highlighted); on the right "Profile  tester", "Due for review 6", "New
    today 0 (daily limit · 8 in all)", "Weak areas 8 question(s)", "Mistakes 3 question(s)",
    "Streak 2 day(s)", "Answered 12 (accuracy 67%)", "Unsafe picks 1" in red; "Mastery by
    topic" under labelled columns (topic, held, seen, answers): per topic a bar and percentage
    of how well the seen questions are held, coloured by it (Myotomes red at 25%, the two others
    green), and seen/all (4/4, 2/2, 2/2); then in yellow "1 bank(s) skipped as broken:",
    "broken.yaml:9:5: error[missing-field] ..." and "Press b for every problem.". Footer:
    t Theme, ^q Quit, ? Help."""
    some_progress(db_file, library)
    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=started)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_setup(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """The practice setup dialog over home: title "Practice: feedback after every answer";
    Banks (TUI test bank ticked), "Topics (none ticked = all)" (three, none ticked, each
    "Topic · TUI test bank"), Difficulty and Only, Types and Spinal roots, all unticked; the hint
    "Lists with nothing ticked take everything; ctrl+a ticks all or none."; Questions 10, Seed
    "random"; Start (focused, primary) and Cancel at the bottom. Ticked boxes hold an X,
    unticked ones are empty (they differ without colour). Behind it, home's menu has
    "u Unfinished" above "? Help"."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await started(pilot)
        await pilot.press("p")
        await on_screen(pilot, SetupScreen)

    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_question_with_case(
    snap_compare, db_file: Path, library: Library, size: Size
) -> None:
    """Status bar " Practice  1/2  The neuropathic model · d3"; "Case: A painter with shoulder
    pain" in the accent colour, the vignette with a thick left bar ("right shoulder pain" in
    bold, Markdown); the prompt "Which segment do you examine first?"; the hint "Pick one: 1-3
    or A-C, or ↑↓ and space; x strikes out" and options A-C with empty round boxes, the cursor
    on A. Footer: ⏎ Submit,
    ^f Flag, esc Leave, ^q Quit, ? Help."""
    app = make_test_app(db_file, library, plan=plan(question_keys=CASE_KEYS, count=2))
    assert snap_compare(
        app, terminal_size=size, run_before=lambda pilot: on_screen(pilot, QuestionScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_practice_feedback(
    snap_compare, db_file: Path, library: Library, size: Size
) -> None:
    """The markup question answered with its unsafe option, scrolled to the end (at 120x40 all
    of it fits: the prompt "... C5? [L4] [bold]x[/bold] [link=http://x]y[/link]" and the legend
    ending "UNSAFE: you picked an option that could cause harm.", not only a patient: the
    scaffold's recapping harms staff). Every option with its
    why: the picked "Deep needling toward the lung apex [link=http://x]y[/link]" tinted, red ✗,
    its why led by "UNSAFE:"; Deltoid green ✓; "Triceps [L4]" and "[bold]Abductor pollicis
    brevis[/bold]" literal. Under a rule: "✘ Incorrect  ⚠ UNSAFE choice: ...", the explanation
    ("key muscle" in bold) and "References" with both citations. The status line ends with
    "⚠ Unsafe pick" in red: the verdict is on screen however far the body is scrolled. Footer:
    ⏎ Next, ^f Flag (no longer f, which picks option F on long questions), esc Leave, ^q Quit,
    ? Help."""

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await on_screen(pilot, QuestionScreen)
        item = screen.session.items[0]
        unsafe = next(i for i, c in enumerate(item.question.choices) if c.unsafe)
        await press_quickly(pilot, str(item.choice_order.index(unsafe) + 1), "enter")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        await settle(pilot)
        screen.query_one("#question-body").scroll_end(animate=False)  # what "end" does, at once

    app = make_test_app(db_file, library, plan=plan(question_keys=(MARKUP_KEY,), count=1))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_exam_question_with_timer(
    snap_compare, db_file: Path, library: Library, size: Size
) -> None:
    """Status bar " Exam  2/4  The neuropathic model · d2" with, on the right, "1/4 answered
    ⏱ 20:00" (the clock does not move); the case vignette and the true/false question, nothing
    picked, no feedback; its hint ends "x strikes out". Footer, within 80 columns with Help:
    ⏎ Save, tab Next, ⇧tab Prev, ^f Flag, ^o Overview, ^s Submit, ? Help (no letters: they are
    picks or typed text; esc Leave and ^q Quit are left out of the bar, named in help and the
    palette)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_screen(pilot, QuestionScreen)
        await exam_answer(pilot)
        no_blink(pilot)

    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=4, minutes=20))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_navigator(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """The exam navigator dialog: "Questions  2/8 answered" with the legend; cells 1-8 in a
    row: 1 and 2 green (answered), 3 yellow with ⚑ (flagged) and focused, 4-8 plain; the hint
    "arrows move · enter goes there · esc back". Behind it, the question's hint ends "x strikes
    out"."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_screen(pilot, QuestionScreen)
        await exam_answer(pilot)
        await exam_answer(pilot, correct=False)
        await pilot.press("ctrl+f")
        await on_screen(pilot, QuestionScreen)
        await pilot.press("ctrl+o")
        await on_screen(pilot, NavigatorScreen)

    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=8, minutes=20))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_confirm_submit(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """A small dialog over the exam: "Submit the exam? Answers cannot be changed after." and,
    on its own line, "Unanswered (count as wrong): 2, 3, 4", with "Submit (y)" (primary) and
    "Keep going (n)" (focused). Behind it (120x40), the question's hint ends "x strikes
    out"."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_screen(pilot, QuestionScreen)
        await exam_answer(pilot)
        await pilot.press("s")
        await on_screen(pilot, ConfirmDialog)

    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=4, minutes=20))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_results(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """Headline " Exam results  Score 38%  3/8 correct  2 unanswered  time 2:00  elapsed 0:00
    ⚠ 1 unsafe pick(s)" (the clock is fixed; at 80 columns wrapped onto a second line, nothing
    cut); "By topic" table (three
    topics: answered, correct, score); "Questions (enter: look back at one)" (not "review", a
    mode's name: changed on purpose) listing 1-8 with ✔ / ✘ / ○
    (unanswered), topic and the prompt's first line (row 5 "... C5? [L4] [bold]x[/bold]…"
    literal), the cursor on row 1.
    Footer: r Retry mistakes, esc Home."""
    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=finished_exam)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_review(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """Looking back at the exam's unsafe pick: status " Answers  5/8  Myotomes and roots" (not
    "Review", the name of a mode: changed on purpose, the only change); the prompt
    with "[L4] [bold]x[/bold] ..." literal; the legend with "UNSAFE: you picked an option that
    could cause harm."; the picked lung-apex option tinted with a red ✗ and an "UNSAFE:"
    why, Deltoid with a green ✓, every why shown (at 120x40 also the verdict "✘ Incorrect  ⚠
    UNSAFE choice ..." below the rule). Footer: esc Back, n Next, p Previous."""

    async def run_before(pilot: Pilot[Any]) -> None:
        results = await finished_exam(pilot)
        items = results.session.items
        unsafe = next(i for i, item in enumerate(items) if item.question.id == "c5-muscle")
        pilot.app.push_screen(ReviewScreen(results.session, unsafe))
        await on_screen(pilot, ReviewScreen)

    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_progress(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """After three practice days: "tester   12 answers · accuracy 67% · streak 2 day(s) · 7 due
    now", and "Retention 50% of 4 due review(s) right (target 90%)"; the sparkline with bars on
    three of the last 30 days, "12 answers on 3 day(s); busiest day 4"; mastery per topic under
    labelled columns (topic, held, seen, answers), coloured by held; the spine map (Cervical
    C1-C8, Thoracic T1-T12, Lumbar L1-L5, Sacral S1-S5: the one list of roots, S3-S5 included)
    with practised roots coloured and the weak/fair-fading/strong legend (below the fold at
    80x24). At 120x40 also the 14-day due forecast from Mon 02 Mar (7 today); a scrollbar shows
    there is more (the unsafe picks, confident errors and the calibration table). The root
    map's title ends "(d: drill one)" and the footer has "d Drill a root"."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await started(pilot)
        await pilot.press("g")
        await on_screen(pilot, ProgressScreen)

    some_progress(db_file, library)
    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_banks(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """Banks table with "TUI test bank  8  3" highlighted, its details ("v1.0", the
    description, "Reviewed: The test suite (2026-03-01)", "Licence: CC0-1.0"); on the right the
    eight questions (id, type, difficulty; topic too at 120x40); at the bottom "Skipped 1 broken
    bank(s):" and its two diagnostics, broken.yaml:9:5 missing 'refs' and broken.yaml:19:11
    unknown type 'essay'."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await started(pilot)
        await pilot.press("b")
        await on_screen(pilot, BanksScreen)

    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_preview(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """Previewing the matching question from the bank browser: status " Preview  TUI test bank ·
    myotome-match  (not recorded)"; the prompt; the hint; C5 (cursor), C7 and T1 each with an
    arrow and "—"; "Options" 1-4 (with the distractor "Hip adduction"). Footer: ⏎ Check, esc
    Back."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await started(pilot)
        await pilot.press("b")
        await on_screen(pilot, BanksScreen)
        await pilot.press("enter", "down", "down", "down", "enter")
        await on_screen(pilot, PreviewScreen)

    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_help(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """The "Keys" dialog over the dimmed home, 90% of the terminal high: sections Everywhere,
    Home, Answering, keys in bold cyan on the left, what they do on the right, a scrollbar, and
    "esc to close" at the bottom. Answering says 1-9 a-h pick "and nothing else", enter with
    nothing picked takes the highlighted one, x strikes an option out, ctrl+f flags; at 120x40
    the list reaches the end of Answering (matching, ordering, short), and Exams, Results and
    Session setup (space, ctrl+a all or none, esc, ctrl+s) lie further down the scroll. Home's
    screens line reads "v  b  g  u  s   review…, banks, progress, unfinished, settings"."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await started(pilot)
        await pilot.press("question_mark")
        await on_screen(pilot, HelpScreen)

    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_resume_dialog(snap_compare, db_file: Path, library: Library, size: Size) -> None:
    """On start, over the dimmed home: "Unfinished session", "Practice started Mon 02 Mar,
    11:00: 2 of 5 answered.", "Everything you answered is saved." and the buttons Resume (r,
    focused), Abandon (a, red) and Later (l). Behind it, home lists the session under
    "Unfinished sessions (u: resume or abandon)" as "Practice · 02 Mar 11:00 · 2/5 answered"."""
    record_session(
        db_file, library, T0 - timedelta(hours=1), plan(count=5), [True, False], finish=False
    )

    async def run_before(pilot: Pilot[Any]) -> None:
        await started(pilot)
        await on_screen(pilot, ResumeDialog)

    app = make_test_app(db_file, library)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
