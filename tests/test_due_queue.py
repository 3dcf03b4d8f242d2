"""What Home says is what Review serves: over a simulated week of random answers and clock
jumps, Home's due count is, every time, the number of due questions a review started at that
moment serves, and the rest of the review is today's new questions."""

from __future__ import annotations

import tempfile
from datetime import timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.domain.planning import whole_queue
from quiz.domain.session import Mode, SessionPlan
from quiz.service import NoQuestions, Trainer
from quiz.settings import Settings
from tests.engine_helpers import Clock, library_in, right, wrong

LIBRARY = library_in(Path(tempfile.mkdtemp(prefix="due-queue-")))
TZ = timezone(timedelta(hours=-5))  # days turn at 05:00 UTC, away from the clock's noon start

JUMPS = st.sampled_from([0, 1, 9, 11, 19, 20, 21, 45, 60 * 6, 60 * 19, 60 * 24, 60 * 24 * 3])
"""Clock jumps in minutes: around learning steps (1 and 10 min), the learn-ahead limit (20),
hours, and days."""

STEP = st.tuples(
    st.sampled_from([Mode.REVIEW, Mode.REVIEW, Mode.PRACTICE, Mode.MISTAKES, Mode.WEAK]),
    st.lists(st.tuples(st.booleans(), st.floats(2, 120)), max_size=6),
    JUMPS,
)
"""A session of a mode, its answers (right or wrong, and how long each took), then a jump."""


def check_home_matches_review(trainer: Trainer) -> None:
    summary = trainer.summary()
    plan = SessionPlan(Mode.REVIEW, count=whole_queue(trainer.banks()), seed=1)
    try:
        items = trainer.plan_session(plan).items
    except NoQuestions:
        items = []
    cards = trainer.store.cards(trainer.profile_id)
    due = [item for item in items if item.key in cards]
    assert len(due) == summary.due_now
    assert len(items) == summary.due_now + summary.new_available
    progress = trainer.progress()
    assert progress.summary.due_now == summary.due_now


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=10), new_per_day=st.integers(0, 5))
def test_the_due_count_is_the_review_queue_every_time(
    steps: list[tuple[Mode, list[tuple[bool, float]], int]], new_per_day: int
) -> None:
    clock = Clock()
    trainer = Trainer.open(
        Settings(profile="ann", db_url="sqlite://"),
        LIBRARY,
        clock=clock,
        tz=TZ,
        new_per_day=new_per_day,
        desired_retention=0.9,
    )
    try:
        check_home_matches_review(trainer)
        for mode, answers, jump in steps:
            count = whole_queue(trainer.banks()) if mode is Mode.REVIEW else 6
            try:
                session = trainer.start_session(SessionPlan(mode, count=count, seed=len(answers)))
            except NoQuestions:
                session = None
            if session is not None:
                for index, (correct, seconds) in enumerate(answers[: len(session.items)]):
                    question = session.items[index].question
                    session.answer(index, (right if correct else wrong)(question), seconds)
                    clock.advance(seconds=seconds)
                session.finish()
            check_home_matches_review(trainer)
            clock.advance(minutes=jump)
            check_home_matches_review(trainer)
    finally:
        trainer.close()
