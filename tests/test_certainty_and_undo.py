"""Certainty on answers, the 10-minute rule, undo, and exams' time, through the trainer on
SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from quiz import preferences
from quiz.banks.loader import Library
from quiz.domain.cbm import Certainty
from quiz.domain.scheduling import Rating
from quiz.domain.session import Mode, SessionPlan
from quiz.progress.migrations import LATEST_VERSION
from quiz.progress.schema import attempts, cards, day_stats, question_stats, review_logs
from quiz.service import ActiveSession, NothingToUndo, Trainer
from quiz.settings import Settings
from tests.engine_helpers import T0, Clock, library_in, right, wrong


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return library_in(tmp_path / "banks")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def trainer(db_url: str, library: Library, clock: Clock) -> Iterator[Trainer]:
    opened = Trainer.open(Settings(profile="ann", db_url=db_url), library, clock=clock, tz=UTC)
    yield opened
    opened.close()


def practice(trainer: Trainer, **plan: Any) -> ActiveSession:
    return trainer.start_session(SessionPlan(Mode.PRACTICE, seed=3, **plan))


def rows(trainer: Trainer) -> dict[str, list[dict[str, Any]]]:
    """Every attempt, review log, card and tally (per question, per day) of the database, as
    plain rows."""
    engine = trainer.store._engine
    with engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in (attempts, review_logs, cards, question_stats, day_stats)
        }


# --- certainty ------------------------------------------------------------------------------


def test_certainty_is_stored_with_the_attempt_and_rates_the_card(trainer: Trainer) -> None:
    session = practice(trainer, count=3)
    assert session.asks_certainty  # on by default in practice
    for index, level in enumerate((Certainty.SURE, Certainty.FAIRLY_SURE, None)):
        session.answer(index, right(session.items[index].question), 5.0, level)
    stored = trainer.store.attempts(session_id=session.id)
    assert [a.certainty for a in stored] == [
        Certainty.SURE,
        Certainty.FAIRLY_SURE,
        Certainty.NOT_SURE,  # none given: not sure, as in Moodle
    ]
    ratings = [log.rating for _, log in trainer.store.review_logs(trainer.profile_id)]
    assert ratings == [Rating.Easy, Rating.Good, Rating.Hard]


def test_with_certainty_off_answers_store_none_and_right_is_good(trainer: Trainer) -> None:
    preferences.save(certainty=False)
    session = practice(trainer, count=2)
    assert not session.asks_certainty
    session.answer(0, right(session.items[0].question), 1.0, Certainty.SURE)  # ignored
    session.answer(1, wrong(session.items[1].question), 1.0)
    assert [a.certainty for a in trainer.store.attempts(session_id=session.id)] == [None, None]
    ratings = [log.rating for _, log in trainer.store.review_logs(trainer.profile_id)]
    assert ratings == [Rating.Good, Rating.Again]  # a quick right answer is never Easy


def test_exams_ask_only_when_the_plan_says_so(trainer: Trainer) -> None:
    assert not trainer.start_session(SessionPlan(Mode.EXAM, seed=1, count=2)).asks_certainty
    exam = trainer.start_session(SessionPlan(Mode.EXAM, seed=1, count=2, certainty=True))
    assert exam.asks_certainty
    exam.answer(0, right(exam.items[0].question), 4.0, Certainty.SURE)
    resumed = trainer.resume_session(exam.id)
    assert resumed.asks_certainty and resumed.answers[0].certainty is Certainty.SURE
    result = resumed.finish()
    assert result.cbm is not None and result.cbm.average_mark == 3.0
    [attempt] = trainer.store.attempts(session_id=exam.id)
    assert attempt.certainty is Certainty.SURE


def test_the_schema_is_at_the_latest_version(trainer: Trainer) -> None:
    assert trainer.store.schema_version() == LATEST_VERSION


# --- the key seen in the last 10 minutes -----------------------------------------------------


def test_an_answer_within_10_minutes_of_the_key_is_kept_but_does_not_reschedule(
    trainer: Trainer, clock: Clock
) -> None:
    first = practice(trainer, count=1)
    first.answer(0, wrong(first.items[0].question), 5.0)
    first.finish()
    key = first.items[0].key
    card_after_first = trainer.store.cards(trainer.profile_id)[key]

    clock.advance(minutes=9, seconds=59)  # "retry mistakes" straight after the results
    retry = trainer.start_session(SessionPlan(Mode.PRACTICE, question_keys=(key,), count=1, seed=4))
    retry.answer(0, right(retry.items[0].question), 5.0, Certainty.SURE)
    assert len(trainer.store.attempts(session_id=retry.id)) == 1  # graded and kept
    assert trainer.store.cards(trainer.profile_id)[key] == card_after_first  # not rescheduled
    assert len(trainer.store.review_logs(trainer.profile_id)) == 1

    clock.advance(minutes=10)  # ten minutes after the key the retry showed
    again = trainer.start_session(SessionPlan(Mode.PRACTICE, question_keys=(key,), count=1, seed=5))
    again.answer(0, right(again.items[0].question), 5.0, Certainty.SURE)
    logs = trainer.store.review_logs(trainer.profile_id)
    assert [log.rating for _, log in logs] == [Rating.Again, Rating.Easy]
    assert trainer.store.check().ok


# --- undo -----------------------------------------------------------------------------------


def test_undo_restores_attempts_logs_and_cards_exactly(trainer: Trainer, clock: Clock) -> None:
    earlier = practice(trainer, count=2)
    for index, item in enumerate(earlier.items):
        earlier.answer(index, right(item.question), 5.0, Certainty.FAIRLY_SURE)
    earlier.finish()
    clock.advance(days=3)
    session = practice(trainer, count=3)
    known = trainer.store.cards(trainer.profile_id)
    assert session.items[1].key in known and session.items[2].key not in known
    session.answer(0, right(session.items[0].question), 5.0, Certainty.SURE)
    before = rows(trainer)

    clock.advance(minutes=1)
    session.answer(1, wrong(session.items[1].question), 5.0, Certainty.SURE)  # an old card
    clock.advance(minutes=1)
    session.answer(2, right(session.items[2].question), 5.0, Certainty.SURE)  # a new card
    assert rows(trainer) != before

    assert session.undo().index == 2
    assert session.undo().index == 1
    assert rows(trainer) == before  # attempts, review logs and cards as they were
    assert set(session.answers) == {0}
    assert trainer.store.check().ok

    again = session.answer(1, right(session.items[1].question), 5.0, Certainty.SURE)
    assert again.grade.correct and session.can_undo


def test_undo_has_limits(trainer: Trainer) -> None:
    session = practice(trainer, count=1)
    with pytest.raises(NothingToUndo, match="Nothing to undo"):
        session.undo()
    session.answer(0, right(session.items[0].question), 5.0)
    session.finish()
    with pytest.raises(NothingToUndo, match="finished"):
        session.undo()
    exam = trainer.start_session(SessionPlan(Mode.EXAM, seed=1, count=1))
    exam.answer(0, right(exam.items[0].question), 5.0)
    with pytest.raises(NothingToUndo, match="exam"):
        exam.undo()


# --- exams ----------------------------------------------------------------------------------


def test_an_exam_adds_up_each_question_over_its_visits_and_reschedules_at_submit(
    trainer: Trainer, clock: Clock
) -> None:
    exam = trainer.start_session(SessionPlan(Mode.EXAM, seed=1, count=2, minutes=30))
    first = exam.items[0].question
    exam.answer(0, wrong(first), 20.0)
    exam.answer(1, right(exam.items[1].question), 10.0)
    exam.answer(0, right(first), 15.0)  # back to the first question
    assert exam.answers[0].seconds == 35.0
    assert trainer.store.drafts(exam.id)[exam.items[0].key].seconds == 35.0
    assert trainer.store.cards(trainer.profile_id) == {}  # nothing scheduled before submit

    clock.advance(minutes=12)
    result = exam.finish()
    assert result.elapsed == 12 * 60
    assert result.seconds == 45.0
    assert {a.seconds for a in trainer.store.attempts(session_id=exam.id)} == {35.0, 10.0}
    due = trainer.store.cards(trainer.profile_id)
    assert len(due) == 2 and all(
        card.last_review == T0 + timedelta(minutes=12) for card in due.values()
    )
