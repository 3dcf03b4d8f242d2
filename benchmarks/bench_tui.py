"""The TUI against its budgets: first question on screen, and keypress to feedback.

(a) **First question.** Time from process start to the first frame that shows the first
    question of ``ims-quiz practice`` (the real CLI, the shipped banks, a fresh database),
    side by side with a bare Textual app that shows a hard-coded question with the same widgets
    (Header, a status Static, Markdown, an option list, Footer). The quiz package is
    byte-compiled first, as an installed app is. Each run is a new process,
    started by this script; the child runs the app headless (``App.run_test``) and prints a line
    when the frame is out, which is when the parent stops the clock. Runs alternate between the
    two apps, and the real app's first question varies (five seeds in turn); the first real run
    (cold parse cache, new database) is shown apart. Budget: the median of the ratios of each
    real run to the bare run right after it within 1.25x.

(b) **Keypress to feedback.** In one process, a practice session over the shipped banks: for
    each question an answer is picked, the app is let go idle, then enter is pressed. With
    certainty-based marking on (the trainee's default), enter opens the certainty prompt, the
    app is let go idle again, and the timed keypress is the certainty key (2, fairly sure);
    ``--no-certainty`` times enter with the preference off. The time runs from posting the key
    until the first frame emitted after the feedback is complete (the key revealed in the answer
    widget, the verdict, the explanation's Markdown mounted, the references). Frames are the
    app's ``_display`` calls, with the ANSI rendering a terminal would get done too. Budget:
    median < 50 ms.

(c) **Next question.** In the same session, from the enter key on the feedback to the first
    frame with the next question's prompt drawn and its answer widget mounted in place of the
    previous one. Budget: median < 50 ms (issue 12; 58-70 ms when it was set).

Run it with::

    .venv/bin/python benchmarks/bench_tui.py [--runs N] [--questions N] [--profile]
        [--no-certainty]

``--profile`` prints where the time of (b) and of (c) goes (cProfile, every question), and a
profile of the real app's start.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTUP_BUDGET_RATIO = 1.25
FEEDBACK_BUDGET_SECONDS = 0.050
NEXT_BUDGET_SECONDS = 0.050
"""Issue 12's budget for (c): enter on the feedback to the next question on screen."""
SIZE = (80, 24)
READY = "FIRST-QUESTION-ON-SCREEN"

BARE_PROMPT = "Which muscle is supplied mainly by the **C5** root?"
BARE_OPTIONS = ("Deltoid", "Triceps", "Abductor pollicis brevis", "Tibialis anterior")


# --- frames ---------------------------------------------------------------------------------------


def watch_frames(app: Any, ready: Callable[[], bool], on_ready: Callable[[float], None]) -> None:
    """Call ``on_ready(time)`` at the first frame the app emits while ``ready()`` is true.

    Headless apps compute every update but skip writing it; the ANSI rendering is done here so
    that each frame costs what it costs in a terminal.
    """
    display = app._display

    def displayed(screen: Any, renderable: Any) -> None:
        if renderable is not None and hasattr(renderable, "render_segments"):
            renderable.render_segments(app.console)
        display(screen, renderable)
        if renderable is not None and ready():
            on_ready(time.perf_counter())

    app._display = displayed


def visible(screen: Any, widget: Any) -> bool:
    """Whether ``widget`` is laid out in the visible part of ``screen``."""
    return widget in screen._compositor.visible_widgets


# --- (a) first question: the children -------------------------------------------------------------


def child_real(argv: list[str]) -> None:
    """Run ``ims-quiz practice ARGV`` as the script does (:func:`quiz.launch.main`), headless;
    print READY at the first question's frame. The app's ``run_app`` is swapped for a headless
    run when the CLI first imports it, so that nothing is imported before the script would."""
    from importlib.machinery import PathFinder

    def run_headless(settings: Any, plan: Any = None, **options: Any) -> None:
        import quiz.tui.app as tui_app

        app = tui_app.make_app(settings, plan, **options)

        def ready() -> bool:
            screen = app.screen
            if "QuestionScreen" not in {cls.__name__ for cls in type(screen).__mro__}:
                return False
            answers = screen.query("AnswerWidget")
            prompt = screen.query("#prompt MarkdownBlock")
            return (
                bool(answers and prompt)
                and all(visible(screen, widget) for widget in (answers.first(), prompt.first()))
                and any(visible(screen, child) for child in answers.first().children)
            )

        asyncio.run(_until_ready(app, ready))

    class HeadlessApp(PathFinder):
        @classmethod
        def find_spec(cls, name: str, path: Any = None, target: Any = None) -> Any:
            spec = super().find_spec(name, path, target) if name == "quiz.tui.app" else None
            if spec is None or spec.loader is None:
                return None
            exec_module = spec.loader.exec_module

            def patched(module: Any) -> None:
                exec_module(module)
                module.run_app = run_headless

            spec.loader.exec_module = patched  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, HeadlessApp)
    from quiz.launch import main

    try:
        main(["practice", *argv])
    except SystemExit as end:
        if end.code:
            raise


def child_bare() -> None:
    """The same widgets with a hard-coded question; print READY at its first frame."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Footer, Header, Markdown, OptionList, Static

    class BareApp(App[None]):
        CSS = "#status { height: 1; } #prompt { margin: 1 2; } OptionList { height: auto; }"
        BINDINGS = [Binding("enter", "submit", "Submit"), Binding("f", "flag", "Flag")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(" Practice   1/20   Myotomes", id="status")
            yield Markdown(BARE_PROMPT, id="prompt")
            yield OptionList(*(f"{chr(65 + n)}  {text}" for n, text in enumerate(BARE_OPTIONS)))
            yield Footer()

    app = BareApp()

    def ready() -> bool:
        screen = app.screen
        options = screen.query(OptionList)
        prompt = screen.query("#prompt MarkdownBlock")
        return (
            bool(options and prompt)
            and visible(screen, options.first())
            and visible(screen, prompt.first())
        )

    asyncio.run(_until_ready(app, ready))


async def _until_ready(app: Any, ready: Callable[[], bool]) -> None:
    done = asyncio.Event()
    watch_frames(app, ready, lambda _when: done.set())
    async with app.run_test(size=SIZE):
        await asyncio.wait_for(done.wait(), timeout=30)
        print(READY, flush=True)


# --- (a) first question: the parent ---------------------------------------------------------------


def time_child(args: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``python bench_tui.py ARGS`` to its READY line."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == READY:
            elapsed = time.perf_counter() - start
            break
    else:
        errors = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"{args} never showed its question:\n{errors}")
    process.wait()
    return elapsed


def compile_quiz() -> None:
    """Byte-compile the quiz package, as ``pip install`` does for an installed app.

    Textual arrives compiled; an editable checkout is compiled on first import, unless
    ``PYTHONDONTWRITEBYTECODE`` is set, and then every start would compile quiz again.
    """
    import compileall

    import quiz

    compileall.compile_dir(str(Path(quiz.__file__).parent), quiet=1)


def real_args(seed: int) -> list[str]:
    """The arguments of a child that runs ``ims-quiz practice`` with ``seed``."""
    return ["--child", "real", "--", "--seed", str(seed), "--count", "20"]


def bench_startup(runs: int) -> tuple[list[float], list[float], float]:
    """Seconds to the first question, run by run: real app, bare app (run right after it); and
    the cold first real run. Run ``n`` uses seed ``n % 5 + 1``, so the first question is of
    several types (an ordering, a multiple choice, a short answer...), not always one."""
    compile_quiz()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "IMS_QUIZ_HOME": home, "IMS_QUIZ_PROFILE": "bench"}
        for name in ("IMS_QUIZ_BANKS", "IMS_QUIZ_DB"):
            env.pop(name, None)
        cold = time_child(real_args(1), env)  # fills the parse cache, creates the database
        time_child(["--child", "bare"], env)  # warms the OS file cache for textual
        real: list[float] = []
        bare: list[float] = []
        for run in range(runs):
            real.append(time_child(real_args(run % 5 + 1), env))
            bare.append(time_child(["--child", "bare"], env))
    return real, bare, cold


# --- (b) keypress to feedback ---------------------------------------------------------------------


def _answer_keys(kind: str) -> list[str]:
    """Keys that give some answer to a question of ``kind`` (right or wrong does not matter)."""
    return {
        # Every row matched (1 matches and goes to the next row): a half-matched question asks
        # before it is submitted.
        "matching": ["1"] * 12,
        "ordering": ["space"],
        "short": ["c", "5"],
    }.get(kind, ["1"])


async def _feedback_latencies(
    questions: int,
    profiler: cProfile.Profile | None,
    next_profiler: cProfile.Profile | None,
    certainty: bool,
) -> tuple[list[float], list[float]]:
    from textual import events

    from quiz.domain.session import Mode, SessionPlan
    from quiz.settings import Settings
    from quiz.tui.app import make_app
    from quiz.tui.screens.question import QuestionScreen
    from quiz.tui.widgets.feedback import FeedbackPanel

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(profile="bench", db_url=str(Path(folder) / "progress.sqlite3"))
        plan = SessionPlan(mode=Mode.PRACTICE, count=questions, seed=1)
        app = make_app(settings, plan)
        state: dict[str, Any] = {"old": set(), "screen": None, "shown": None, "next": None}
        """old: the blocks of what was shown before, which must not count; next: the index of
        the question awaited, or None while feedback is awaited."""

        def complete() -> bool:
            screen = state["screen"]
            if screen is None:
                return False
            if state["next"] is not None:
                return screen.index == state["next"] and question_drawn(screen)
            if not screen.revealed:
                return False
            blocks = screen.query_one(FeedbackPanel).query("#explanation MarkdownBlock")
            return bool(blocks) and not {id(block) for block in blocks} & state["old"]

        def question_drawn(screen: Any) -> bool:
            blocks = list(screen.query("#prompt MarkdownBlock"))
            answers = screen.query("AnswerWidget")
            return (
                bool(blocks)
                and len(answers) == 1  # the previous question's widget is gone
                and answers.first().is_mounted  # (below the fold after a long case: not visible)
                and not any(block in state["old"] for block in blocks)  # identity: kept alive
                and visible(screen, blocks[0])
            )

        def shown(when: float) -> None:
            if state["shown"] is None:
                state["shown"] = when

        watch_frames(app, complete, shown)
        latencies: list[float] = []
        next_latencies: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            while not isinstance(app.screen, QuestionScreen):
                await pilot.pause(0.01)
            screen = app.screen
            total = len(screen.session.items)
            for index in range(total):
                while screen.index != index or screen.revealed:
                    await pilot.pause(0.005)
                await pilot.pause()
                item = screen.session.items[index]
                for key in _answer_keys(item.question.kind):
                    app.post_message(events.Key(key, " " if key == "space" else key))
                await pilot.pause()
                await pilot.pause()  # idle: nothing left to draw
                submit = events.Key("enter", "\r")
                if certainty:
                    app.post_message(submit)  # the certainty prompt
                    while screen.asking is None:
                        await pilot.pause(0.005)
                    await pilot.pause()
                    await pilot.pause()  # idle again
                    submit = events.Key("2", "2")
                state.update(screen=screen, shown=None)
                if profiler is not None:
                    profiler.enable()
                start = time.perf_counter()
                app.post_message(submit)
                while state["shown"] is None:
                    await asyncio.sleep(0.0005)
                if profiler is not None:
                    profiler.disable()
                latencies.append(state["shown"] - start)
                # These blocks are this question's: the next one's are new ones (the app may
                # mount them before its answer key, which is fine).
                feedback = screen.query_one(FeedbackPanel)
                state.update(
                    screen=None, old={id(b) for b in feedback.query("#explanation MarkdownBlock")}
                )
                await pilot.pause()
                if index + 1 == total:
                    break
                state.update(
                    screen=screen,
                    shown=None,
                    next=index + 1,
                    old=list(screen.query("#prompt MarkdownBlock")),
                )
                if next_profiler is not None:
                    next_profiler.enable()
                start = time.perf_counter()
                app.post_message(events.Key("enter", "\r"))  # next question
                while state["shown"] is None:
                    await asyncio.sleep(0.0005)
                if next_profiler is not None:
                    next_profiler.disable()
                next_latencies.append(state["shown"] - start)
                state.update(screen=None, next=None, old=set())
            await pilot.press("ctrl+q")
    return latencies, next_latencies


def bench_feedback(
    questions: int, profile: bool, certainty: bool = True
) -> tuple[list[float], list[float]]:
    """Seconds from the submitting key (the certainty key with ``certainty``, else enter) to the
    feedback's frame, one per question; and from the enter key on the feedback to the next
    question's frame."""
    from quiz import preferences

    profiler = cProfile.Profile() if profile else None
    next_profiler = cProfile.Profile() if profile else None
    with tempfile.TemporaryDirectory() as home:
        os.environ["IMS_QUIZ_HOME"] = home
        preferences.save(certainty=certainty)
        latencies, next_latencies = asyncio.run(
            _feedback_latencies(questions, profiler, next_profiler, certainty)
        )
    if profiler is not None and next_profiler is not None:
        print("\nProfile of keypress -> feedback, all questions (cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        print("\nProfile of enter on the feedback -> next question, all questions (cumulative):")
        pstats.Stats(next_profiler).sort_stats("cumulative").print_stats(40)
    return latencies, next_latencies


def profile_startup() -> None:
    """cProfile of one real start (in a child, cache warm), top functions by cumulative time."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "IMS_QUIZ_HOME": home, "IMS_QUIZ_PROFILE": "bench"}
        time_child(real_args(1), env)
        output = Path(home) / "startup.prof"
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(output), __file__, *real_args(1)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stream = io.StringIO()
        pstats.Stats(str(output), stream=stream).sort_stats("cumulative").print_stats(35)
        print("\nProfile of the real app's start (cumulative):")
        print(stream.getvalue())


# --- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--child", "real"]:
        child_real(argv[3:] if argv[2:3] == ["--"] else argv[2:])
        return 0
    if argv[:2] == ["--child", "bare"]:
        child_bare()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="start-up runs of each app")
    parser.add_argument("--questions", type=int, default=20, help="questions answered in (b)")
    parser.add_argument("--profile", action="store_true", help="print cProfile output")
    parser.add_argument(
        "--no-certainty",
        dest="certainty",
        action="store_false",
        help="(b) with certainty-based marking off: time enter, not the certainty key",
    )
    parser.add_argument("--only", choices=("startup", "feedback"), help="run one of the two")
    args = parser.parse_args(argv)

    passed = True
    if args.only != "feedback":
        real, bare, cold = bench_startup(args.runs)
        # Each real run is paired with the bare run right after it: the machine's load drifts,
        # and a ratio within a pair does not see most of that drift.
        ratios = [r / b for r, b in zip(real, bare, strict=True)]
        ratio = statistics.median(ratios)
        low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratio,) * 3
        passed &= ratio <= STARTUP_BUDGET_RATIO
        if args.profile:
            profile_startup()
        print(f"(a) process start -> first question on screen, {args.runs} runs of each")
        print(f"    bare Textual app  median {statistics.median(bare) * 1000:4.0f} ms")
        print(f"    ims-quiz practice median {statistics.median(real) * 1000:4.0f} ms")
        print(
            f"    median of the paired ratios {ratio:.2f}x (quartiles {low:.2f}-{high:.2f})  "
            f"<= {STARTUP_BUDGET_RATIO:.2f}x: {'PASS' if ratio <= STARTUP_BUDGET_RATIO else 'FAIL'}"
        )
        print(f"    (first run, cold parse cache and new database: {cold * 1000:.0f} ms)")
    if args.only != "startup":
        latencies, next_latencies = bench_feedback(args.questions, args.profile, args.certainty)
        median = statistics.median(latencies)
        passed &= median < FEEDBACK_BUDGET_SECONDS
        key = "certainty key (2)" if args.certainty else "enter"
        print(f"(b) {key} -> feedback on screen, {len(latencies)} questions")
        print(
            f"    median {median * 1000:.1f} ms  (min {min(latencies) * 1000:.1f}, "
            f"max {max(latencies) * 1000:.1f})  < {FEEDBACK_BUDGET_SECONDS * 1000:.0f} ms: "
            f"{'PASS' if median < FEEDBACK_BUDGET_SECONDS else 'FAIL'}"
        )
        next_median = statistics.median(next_latencies)
        passed &= next_median < NEXT_BUDGET_SECONDS
        print(f"(c) enter on the feedback -> next question on screen, {len(next_latencies)} times")
        print(
            f"    median {next_median * 1000:.1f} ms  "
            f"(min {min(next_latencies) * 1000:.1f}, max {max(next_latencies) * 1000:.1f})  "
            f"< {NEXT_BUDGET_SECONDS * 1000:.0f} ms: "
            f"{'PASS' if next_median < NEXT_BUDGET_SECONDS else 'FAIL'}"
        )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
