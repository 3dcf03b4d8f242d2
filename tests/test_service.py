"""The application layer: sessions in every mode, resuming, and the numbers shown to trainees."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from quiz.banks.loader import Library
from quiz.domain.cbm import Certainty
from quiz.domain.grading import ChoiceResponse, TextResponse
from quiz.domain.session import Mode, SessionItem, SessionPlan
from quiz.domain.stats import mastery_level
from quiz.progress import StoreError
from quiz.service import (
    ActiveSession,
    Answer,
    NoQuestions,
    SessionClosed,
    Trainer,
    needs_history,
    new_session,
)
from quiz.settings import Settings
from tests.engine_helpers import BANK_YAML, T0, Clock, library_in, right, wrong


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return library_in(tmp_path / "banks")


@pytest.fixture
def settings(db_url: str) -> Settings:
    """On SQLite and on PostgreSQL (tests/conftest.py)."""
    return Settings(profile="ann", db_url=db_url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def trainer(settings: Settings, library: Library, clock: Clock) -> Iterator[Trainer]:
    opened = Trainer.open(settings, library, clock=clock, tz=UTC)
    yield opened
    opened.close()


def reopen(settings: Settings, library: Library, clock: Clock) -> Trainer:
    return Trainer.open(settings, library, clock=clock, tz=UTC)


def answer_all(
    session: ActiveSession,
    how=right,
    seconds: float = 15.0,
    certainty: Certainty | None = None,
) -> None:
    """Answer every item; with certainty-based marking on, no ``certainty`` is "not sure"."""
    for index, item in enumerate(session.items):
        session.answer(index, how(item.question), seconds, certainty)


def find(session: ActiveSession, question_id: str) -> int:
    return next(i for i, item in enumerate(session.items) if item.question.id == question_id)


# --- practice -------------------------------------------------------------------------------------


def test_practice_records_each_answer_before_returning(
    trainer: Trainer, settings: Settings, library: Library, clock: Clock
) -> None:
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=4, seed=1))
    first = session.items[0]
    answer = session.answer(0, right(first.question), 8.0)
    assert answer.grade.correct and session.answers[0] == answer
    other = reopen(settings, library, clock)  # a second app on the same file sees it at once
    (attempt,) = other.attempts()
    assert (attempt.key, attempt.correct, attempt.mode, attempt.session_id) == (
        first.key,
        True,
        Mode.PRACTICE,
        session.id,
    )
    assert other.store.cards(other.profile_id).keys() == {first.key}
    other.close()


def test_practice_result(trainer: Trainer) -> None:
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=12, seed=1))
    assert len(session.items) == 12
    for index, item in enumerate(session.items):
        if item.question.id == "clean-technique":
            session.answer(index, ChoiceResponse(frozenset({0, 1, 2})), 10)  # 1/2 and unsafe
        elif index % 2:
            session.answer(index, wrong(item.question), 10)
        elif index != 0:
            session.answer(index, right(item.question), 10)
    result = session.finish()
    assert session.finished
    assert result.total == 12 and result.answered == 11
    unsafe_index = find(session, "clean-technique")
    assert result.unsafe == [unsafe_index]
    expected_correct = sum(1 for i in range(2, 12, 2) if i != unsafe_index)
    assert result.correct == expected_correct
    assert 0 in result.mistakes and unsafe_index in result.mistakes
    assert result.score == pytest.approx(sum(a.grade.score for a in session.answers.values()) / 12)
    assert sum(t.answered for t in result.per_topic) == 11
    assert {t.topic_id for t in result.per_topic} == {"myotomes", "safety", "model"}
    assert result.seconds == 110
    assert session.finish() is result  # idempotent
    with pytest.raises(SessionClosed):
        session.answer(0, right(session.items[0].question), 1)


def test_a_response_that_does_not_fit_is_refused_and_not_recorded(trainer: Trainer) -> None:
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=12, seed=1))
    index = find(session, "c5-myotome")
    with pytest.raises(ValueError):
        session.answer(index, TextResponse("shoulder"), 3)
    assert trainer.attempts() == [] and session.answers == {}


def test_attempts_record_the_content_hash_and_survive_edits(
    tmp_path: Path, settings: Settings, clock: Clock
) -> None:
    library = library_in(tmp_path / "banks")
    trainer = reopen(settings, library, clock)
    session = trainer.start_session(
        SessionPlan(Mode.PRACTICE, topics=("ims-test/myotomes",), count=1, seed=4)
    )
    session.answer(0, right(session.items[0].question), 5)
    trainer.close()
    edited = library_in(
        tmp_path / "edited", BANK_YAML.replace("Key movement of C5?", "Which movement tests C5?")
    )
    trainer = reopen(settings, edited, clock)
    again = trainer.start_session(
        SessionPlan(Mode.PRACTICE, topics=("ims-test/myotomes",), count=1, seed=4)
    )
    again.answer(0, right(again.items[0].question), 5)
    first, second = trainer.attempts()
    assert first.key == second.key
    if first.question_id == "c5-myotome":
        assert first.content_hash != second.content_hash
    trainer.close()


def test_a_session_planned_before_the_store_opens_waits_for_it_to_save(
    settings: Settings, library: Library, clock: Clock
) -> None:
    """What ``ims-quiz practice`` does: the question shows first, the store opens behind it."""
    session = new_session(
        SessionPlan(Mode.PRACTICE, count=3, seed=1), library.usable(), now=clock()
    )
    assert not session.stored and len(session.items) == 3
    first = session.items[0]
    answered: list[Answer] = []
    waiting = threading.Thread(
        target=lambda: answered.append(session.answer(0, right(first.question), 5.0))
    )
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive() and not answered  # held: there is nowhere to save it yet
    trainer = Trainer.open(settings, library, clock=clock, tz=UTC)
    trainer.keep(session)
    waiting.join(5)
    assert session.stored and answered and answered[0].grade.correct
    (attempt,) = trainer.attempts()
    assert (attempt.key, attempt.session_id) == (first.key, session.id)
    assert trainer.resume_session(session.id).items == session.items
    trainer.close()


def test_a_session_the_store_cannot_keep_refuses_answers_with_the_reason(
    clock: Clock, library: Library
) -> None:
    session = new_session(SessionPlan(Mode.EXAM, count=2, seed=1), library.usable(), now=clock())
    session.fail(StoreError("the progress database is locked"))
    with pytest.raises(StoreError, match="locked"):
        session.answer(0, right(session.items[0].question), 5.0)
    with pytest.raises(StoreError, match="locked"):
        session.finish()
    assert not session.stored and not session.answers


def test_only_sessions_that_read_history_need_the_store_to_be_planned(
    clock: Clock, library: Library
) -> None:
    assert [mode for mode in Mode if needs_history(SessionPlan(mode))] == [
        Mode.REVIEW,
        Mode.WEAK,
        Mode.MISTAKES,
    ]
    # a history filter makes any mode read the history
    for history_filter in ("unused", "incorrect", "flagged"):
        assert needs_history(SessionPlan(Mode.PRACTICE, **{history_filter: True}))  # type: ignore[arg-type]
    with pytest.raises(NoQuestions, match="No questions match"):
        new_session(
            SessionPlan(Mode.PRACTICE, roots=("S2",), seed=1), library.usable(), now=clock()
        )


# --- exam -----------------------------------------------------------------------------------------


def test_exam_answers_are_saved_then_graded_at_the_end(
    trainer: Trainer, settings: Settings, library: Library, clock: Clock
) -> None:
    session = trainer.start_session(SessionPlan(Mode.EXAM, count=5, seed=9, minutes=30))
    assert session.deadline == T0 + timedelta(minutes=30)
    session.answer(0, wrong(session.items[0].question), 5)
    session.answer(0, right(session.items[0].question), 7)  # changed before submitting
    session.answer(1, wrong(session.items[1].question), 5)
    session.set_flag(2, True)
    assert trainer.attempts() == []  # nothing is an attempt before submission...
    other = reopen(settings, library, clock)
    assert set(other.store.drafts(session.id)) == {
        session.items[0].key,
        session.items[1].key,
    }  # ...but it is saved
    other.close()
    clock.advance(minutes=12)
    result = session.finish()
    assert (result.total, result.answered, result.correct) == (5, 2, 1)
    assert result.score == pytest.approx(0.2)
    assert result.mistakes == [1, 2, 3, 4]
    attempts = trainer.attempts()
    assert [(a.key, a.correct, a.mode, a.answered_at) for a in attempts] == [
        (session.items[0].key, True, Mode.EXAM, T0 + timedelta(minutes=12)),
        (session.items[1].key, False, Mode.EXAM, T0 + timedelta(minutes=12)),
    ]
    assert trainer.unfinished_session() is None


def test_untimed_exams_and_other_modes_have_no_deadline(trainer: Trainer) -> None:
    assert trainer.start_session(SessionPlan(Mode.EXAM, count=2, seed=1)).deadline is None
    assert (
        trainer.start_session(SessionPlan(Mode.PRACTICE, count=2, seed=1, minutes=5)).deadline
        is None
    )


# --- resuming -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.PRACTICE, Mode.EXAM])
def test_an_interrupted_session_resumes_exactly(
    trainer: Trainer, settings: Settings, library: Library, clock: Clock, mode: Mode
) -> None:
    session = trainer.start_session(SessionPlan(mode, count=8, seed=123, minutes=20))
    session.answer(1, right(session.items[1].question), 4)
    session.answer(3, wrong(session.items[3].question), 6)
    session.set_flag(3, True)
    session.set_flag(5, True)
    session.set_flag(5, False)
    # the app dies here; a new one starts
    clock.advance(minutes=3)
    later = reopen(settings, library, clock)
    info = later.unfinished_session()
    assert info is not None
    assert (info.id, info.mode, info.started_at, info.answered, info.total) == (
        session.id,
        mode,
        T0,
        2,
        8,
    )
    resumed = later.resume_session(info.id)
    assert resumed.items == session.items  # same order, same shuffles
    assert resumed.plan == session.plan
    assert resumed.answers == session.answers
    assert resumed.flagged == {3}
    assert resumed.started_at == T0 and resumed.deadline == session.deadline
    resumed.answer(0, right(resumed.items[0].question), 3)
    result = resumed.finish()
    assert (result.answered, result.correct) == (3, 2)
    later.close()


def test_a_question_removed_since_is_skipped_on_resume(
    tmp_path: Path, settings: Settings, clock: Clock
) -> None:
    trainer = reopen(settings, library_in(tmp_path / "banks"), clock)
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=12, seed=5))
    gone = find(session, "spondylosis")
    kept = find(session, "c5-myotome")
    session.answer(gone, right(session.items[gone].question), 3)
    session.answer(kept, right(session.items[kept].question), 3)
    session.set_flag(kept, True)
    trainer.close()
    without = BANK_YAML[: BANK_YAML.index("  - id: spondylosis")]
    trainer = reopen(settings, library_in(tmp_path / "changed", without), clock)
    resumed = trainer.resume_session(session.id)
    assert [item.key for item in resumed.items] == [
        item.key for item in session.items if item.question.id != "spondylosis"
    ]
    new_index = find(resumed, "c5-myotome")
    assert set(resumed.answers) == {new_index} and resumed.answers[new_index].index == new_index
    assert resumed.flagged == {new_index}
    trainer.close()


def test_abandoned_and_finished_sessions_are_not_offered_or_resumable(trainer: Trainer) -> None:
    first = trainer.start_session(SessionPlan(Mode.PRACTICE, count=2, seed=1))
    second = trainer.start_session(SessionPlan(Mode.PRACTICE, count=2, seed=2))
    assert trainer.unfinished_session().id == second.id  # type: ignore[union-attr]
    trainer.abandon_session(second.id)
    assert trainer.unfinished_session().id == first.id  # type: ignore[union-attr]
    first.finish()
    assert trainer.unfinished_session() is None
    for session in (first, second):
        with pytest.raises(SessionClosed):
            trainer.resume_session(session.id)


def test_another_profiles_session_cannot_be_resumed(
    trainer: Trainer, settings: Settings, library: Library, clock: Clock
) -> None:
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=2, seed=1))
    bob = Trainer.open(Settings(profile="bob", db_url=settings.db_url), library, clock=clock)
    assert bob.unfinished_session() is None
    with pytest.raises(SessionClosed):
        bob.resume_session(session.id)
    bob.close()


# --- the other modes ------------------------------------------------------------------------------


def test_review_serves_due_questions_then_new_ones_up_to_the_daily_limit(
    settings: Settings, library: Library, clock: Clock
) -> None:
    trainer = Trainer.open(settings, library, clock=clock, tz=UTC, new_per_day=5)
    assert trainer.summary().new_available == 5
    session = trainer.start_session(SessionPlan(Mode.REVIEW, count=3, seed=1))
    assert [item.question.id for item in session.items] == [
        "c5-myotome",
        "clean-technique",
        "multi-roots",
    ]
    answer_all(session, certainty=Certainty.FAIRLY_SURE)  # "Good" for all three
    session.finish()
    summary = trainer.summary()
    assert summary.new_available == 2
    # learning steps bring them back within minutes, inside the learn-ahead limit: due now,
    # and served now, before the new ones
    assert summary.due_now == 3
    clock.advance(minutes=10)  # past the 10 minutes in which a seen key reschedules nothing
    session = trainer.start_session(SessionPlan(Mode.REVIEW, count=20, seed=1))
    due_then_new = ["c5-myotome", "clean-technique", "multi-roots", "myotome-match", "end-order"]
    assert [item.question.id for item in session.items] == due_then_new
    answer_all(session, wrong)
    session.finish()
    assert (trainer.summary().due_now, trainer.summary().new_available) == (5, 0)
    session = trainer.start_session(SessionPlan(Mode.REVIEW, count=20, seed=1))
    assert sorted(item.question.id for item in session.items) == sorted(due_then_new)
    for _ in range(3):  # through the (re)learning steps, each within the learn-ahead limit
        clock.advance(minutes=10)
        answer_all(session, certainty=Certainty.FAIRLY_SURE)
        session.finish()
        if trainer.summary().due_now == 0:
            break
        session = trainer.start_session(SessionPlan(Mode.REVIEW, count=20, seed=1))
    assert trainer.summary().due_now == 0
    with pytest.raises(NoQuestions, match="Nothing is due"):
        trainer.start_session(SessionPlan(Mode.REVIEW, count=20, seed=1))
    clock.advance(days=1)  # a new day: what was wrong is due first, and 5 new ones again
    session = trainer.start_session(SessionPlan(Mode.REVIEW, count=20, seed=1))
    ids = [item.question.id for item in session.items]
    assert set(ids[:5]) == {
        "c5-myotome",
        "clean-technique",
        "multi-roots",
        "myotome-match",
        "end-order",
    }
    assert len(ids) == 10
    trainer.close()


def test_mistakes_serves_wrong_and_flagged_questions_until_they_are_right(trainer: Trainer) -> None:
    with pytest.raises(NoQuestions, match="No mistakes"):
        trainer.start_session(SessionPlan(Mode.MISTAKES, seed=1))
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=12, seed=3))
    for index, item in enumerate(session.items):
        session.answer(
            index,
            wrong(item.question) if item.question.id == "c5-myotome" else right(item.question),
            9,
        )
    session.set_flag(find(session, "end-order"), True)
    session.finish()
    retry = trainer.start_session(SessionPlan(Mode.MISTAKES, seed=1))
    assert sorted(item.question.id for item in retry.items) == ["c5-myotome", "end-order"]
    answer_all(retry)
    retry.finish()
    with pytest.raises(NoQuestions, match="No mistakes"):
        trainer.start_session(SessionPlan(Mode.MISTAKES, seed=1))


def test_weak_needs_history_and_then_drills_the_weakest_topic(trainer: Trainer) -> None:
    with pytest.raises(NoQuestions, match="No weak areas"):
        trainer.start_session(SessionPlan(Mode.WEAK, seed=1))
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=12, seed=3))
    for index, item in enumerate(session.items):
        topic = item.question.topic
        session.answer(
            index, wrong(item.question) if topic == "safety" else right(item.question), 9
        )
    session.finish()
    safety_and_its_case = {"clean-technique", "end-order", "knee-apex", "knee-root"}
    weak = trainer.start_session(SessionPlan(Mode.WEAK, count=2, seed=1))
    assert {item.question.id for item in weak.items} < safety_and_its_case
    # knee-apex (safety) comes with knee-root, the other question of its case
    weak = trainer.start_session(SessionPlan(Mode.WEAK, count=4, seed=1))
    assert {item.question.id for item in weak.items} == safety_and_its_case


def test_a_plan_that_matches_nothing_says_why(trainer: Trainer) -> None:
    with pytest.raises(NoQuestions, match=r"No bank named nope is loaded \(loaded: ims-test"):
        trainer.start_session(SessionPlan(Mode.PRACTICE, bank_ids=("nope",), seed=1))
    with pytest.raises(NoQuestions, match="No questions match"):
        trainer.start_session(SessionPlan(Mode.PRACTICE, roots=("S2",), seed=1))


def test_a_session_without_a_seed_gets_one_and_keeps_it(trainer: Trainer) -> None:
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=3))
    assert session.plan.seed is not None
    assert trainer.resume_session(session.id).items == session.items


# --- numbers --------------------------------------------------------------------------------------


def test_summary_and_progress(trainer: Trainer, clock: Clock) -> None:
    empty = trainer.summary()
    assert (empty.profile, empty.attempts, empty.accuracy, empty.streak_days) == ("ann", 0, None, 0)
    assert empty.questions_total == 12 and empty.due_now == 0
    for day in range(3):
        session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=12, seed=day))
        index = find(session, "clean-technique")
        session.answer(
            index, ChoiceResponse(frozenset({0, 2})), 10
        )  # the unsafe "Recap the needle"
        other = find(session, "c5-myotome")
        session.answer(other, right(session.items[other].question), 4)
        session.finish()
        clock.advance(days=1)
    clock.advance(days=-1)
    summary = trainer.summary()
    assert (summary.attempts, summary.accuracy, summary.unsafe_picks, summary.streak_days) == (
        6,
        0.5,
        3,
        3,
    )
    progress = trainer.progress()
    assert progress.summary == summary
    assert [(d.day.day, d.attempts, d.correct) for d in progress.history] == [
        (2, 2, 1),
        (3, 2, 1),
        (4, 2, 1),
    ]
    assert [(key, text) for key, text, _ in progress.unsafe] == [
        ("ims-test/clean-technique", "Recap the needle")
    ] * 3
    assert progress.unsafe[0][2] == T0
    assert len(progress.forecast) == 14 and progress.forecast[0][0] == clock.now.date()
    cards = trainer.store.cards(trainer.profile_id)
    horizon = progress.forecast[-1][0] + timedelta(days=1)
    assert sum(count for _, count in progress.forecast) == sum(
        c.due.date() < horizon for c in cards.values()
    )
    assert cards["ims-test/clean-technique"].due.date() < horizon  # wrong answers come back soon
    roots = {m.key: m for m in progress.roots}
    assert roots["C5"].attempts == 3 and roots["C5"].held > 0
    assert roots["L4"].attempts == 0
    topics = {m.key: m for m in progress.topics}
    safety, myotomes = topics["ims-test/safety"], topics["ims-test/myotomes"]
    assert (safety.attempts, safety.held, mastery_level(safety)) == (3, 0.0, "weak")
    # c5-myotome, answered right three times: held well, though 1 of the topic's 4 is seen
    assert (myotomes.seen, myotomes.questions) == (1, 4) and myotomes.held > 0.9
    assert mastery_level(myotomes) == "strong"
    clock.advance(days=2)
    assert trainer.summary().streak_days == 0


def test_profiles_keep_separate_progress(
    trainer: Trainer, settings: Settings, library: Library, clock: Clock
) -> None:
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=2, seed=1))
    answer_all(session)
    bob = Trainer.open(Settings(profile="bob", db_url=settings.db_url), library, clock=clock)
    assert bob.summary().attempts == 0
    assert len(bob.attempts(all_profiles=True)) == 2
    bob.close()


def test_items_carry_what_the_question_screen_shows(trainer: Trainer) -> None:
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=12, seed=8))
    item: SessionItem = session.items[find(session, "elbow-root")]
    assert item.case is not None and item.topic_title == "Myotomes" and item.bank_id == "ims-test"


def test_one_history_gives_the_same_numbers_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    """Seed the same answers into both backends: every number the screens show is the same."""
    import msgspec

    from quiz.cli.reports import StatsReport
    from tests.conftest import postgres_database

    def seeded(url: str) -> tuple[object, ...]:
        clock = Clock()
        trainer = Trainer.open(
            Settings(profile="ann", db_url=url), library_in(tmp_path / "l"), clock=clock, tz=UTC
        )
        try:
            for day in range(5):
                for seed, mode in enumerate((Mode.PRACTICE, Mode.REVIEW, Mode.MISTAKES)):
                    try:
                        session = trainer.start_session(SessionPlan(mode, count=6, seed=day + seed))
                    except NoQuestions:
                        continue
                    for index, item in enumerate(session.items):
                        how = right if (index + day) % 3 else wrong
                        session.answer(index, how(item.question), 3.0 + index)
                        clock.advance(minutes=1)
                    if session.items:
                        session.set_flag(0, True)
                    session.finish()
                exam = trainer.start_session(SessionPlan(Mode.EXAM, count=4, seed=day))
                answer_all(exam, wrong if day % 2 else right)
                exam.finish()
                clock.advance(days=1, hours=3)
            attempts = [
                {f: getattr(a, f) for f in a.__struct_fields__ if f != "id"}
                for a in trainer.attempts()
            ]
            cards = {k: c.to_dict() for k, c in trainer.store.cards(trainer.profile_id).items()}
            progress = trainer.progress()
            stats = msgspec.to_builtins(StatsReport.of(progress))  # what `stats --json` prints
            return trainer.summary(), progress, stats, attempts, cards
        finally:
            trainer.close()

    on_sqlite = seeded(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    with postgres_database() as url:  # skips without IMS_QUIZ_TEST_PG
        on_postgres = seeded(url)
    assert on_sqlite[0].attempts > 50  # type: ignore[attr-defined]
    names = ("summary", "progress", "stats", "attempts", "cards")
    for name, a, b in zip(names, on_sqlite, on_postgres, strict=True):
        assert a == b, name


def test_desired_retention_schedules_the_cards_and_measured_retention_counts_due_reviews(
    tmp_path: Path, library: Library, clock: Clock
) -> None:
    key = "ims-test/c5-myotome"
    outcomes = (right, right, right, right, wrong, right)
    dues = {}
    for retention in (0.8, 0.97):
        db = f"sqlite:///{tmp_path / f'progress-{retention}.sqlite3'}"
        trainer = Trainer.open(
            Settings(profile="ann", db_url=db),
            library,
            clock=clock,
            tz=UTC,
            desired_retention=retention,
        )
        clock.now = T0
        for seed, how in enumerate(outcomes):
            session = trainer.start_session(
                SessionPlan(Mode.PRACTICE, question_keys=(key,), count=1, seed=seed)
            )
            session.answer(0, how(session.items[0].question), 15.0, Certainty.FAIRLY_SURE)
            session.finish()
            # answered when due, and not within the 10 minutes after its key was shown
            due = trainer.store.cards(trainer.profile_id)[key].due
            clock.now = max(due, clock.now + timedelta(minutes=10))
        summary = trainer.summary()
        # every answer after the first met a due card; the wrong one is the one not retained
        assert (summary.due_reviews, summary.desired_retention) == (5, retention)
        assert summary.measured_retention == pytest.approx(4 / 5)
        assert trainer.store.check().ok  # the logs replay to the same cards, targets and all
        dues[retention] = clock.now
        trainer.close()
    assert dues[0.97] < dues[0.8]  # a higher target brings the card back sooner


def test_the_trainees_saved_preferences_reach_review_planning(
    settings: Settings, library: Library, clock: Clock
) -> None:
    """Trainer.open without explicit settings (as the TUI and the CLI open it) uses the
    preferences file: its new questions per day, and its desired retention."""
    from quiz import preferences

    preferences.save(new_per_day=2, desired_retention=0.85)
    trainer = Trainer.open(settings, library, clock=clock, tz=UTC)
    try:
        assert (trainer.new_per_day, trainer.desired_retention) == (2, 0.85)
        assert trainer.summary().new_available == 2
        session = trainer.start_session(SessionPlan(Mode.REVIEW, count=20, seed=1))
        assert len(session.items) == 2
    finally:
        trainer.close()
