"""A session under way: its items, the answers so far, and its flags."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from quiz.domain.grading import Response, grade_response
from quiz.domain.session import (
    Answer,
    Attempt,
    Mode,
    SessionItem,
    SessionPlan,
    SessionResult,
    session_result,
)

if TYPE_CHECKING:
    from quiz.domain.scheduling import Rating
    from quiz.service.trainer import Trainer


class SessionClosed(Exception):
    """The session is finished or abandoned; it takes no more answers."""


class ActiveSession:
    """A session under way: its items, the answers so far, and its flags.

    A session from :func:`new_session` is not stored yet: :meth:`answer`, :meth:`set_flag` and
    :meth:`finish` wait until :meth:`Trainer.keep` has stored it (or raise what stopped the
    store, see :meth:`fail`). Everything else works at once.
    """

    def __init__(
        self,
        plan: SessionPlan,
        items: list[SessionItem],
        started_at: datetime,
        *,
        answers: dict[int, Answer] | None = None,
        flagged: set[int] | None = None,
    ) -> None:
        self.plan = plan
        self.items = items
        self.started_at = started_at
        self.deadline: datetime | None = (
            started_at + timedelta(minutes=plan.minutes)
            if plan.mode is Mode.EXAM and plan.minutes
            else None
        )
        """When an exam with a time limit ends; the TUI submits it then."""
        self.answers: dict[int, Answer] = answers or {}
        """Item index -> the latest answer."""
        self.flagged: set[int] = flagged or set()
        self._lock = threading.Lock()
        self._result: SessionResult | None = None
        self._stored = threading.Event()
        self._trainer: Trainer | None = None
        self._id: int | None = None
        self._failure: Exception | None = None

    def bind(self, trainer: Trainer, session_id: int) -> None:
        """Attach the stored session ``session_id`` (the trainer calls this)."""
        self._trainer, self._id = trainer, session_id
        self._stored.set()

    def fail(self, error: Exception) -> None:
        """The session cannot be stored: calls waiting for the store raise ``error``."""
        self._failure = error
        self._stored.set()

    @property
    def stored(self) -> bool:
        """True once the session is in the store (answers are then saved without waiting)."""
        return self._stored.is_set() and self._failure is None

    @property
    def id(self) -> int:
        """The stored session's id (waits until the session is stored)."""
        return self._binding()[1]

    def _binding(self) -> tuple[Trainer, int]:
        self._stored.wait()
        if self._failure is not None:
            raise self._failure
        assert self._trainer is not None and self._id is not None
        return self._trainer, self._id

    @property
    def finished(self) -> bool:
        """True once :meth:`finish` has run."""
        return self._result is not None

    def answer(self, index: int, response: Response, seconds: float) -> Answer:
        """Grade and record an answer to item ``index``.

        In practice, review, weak and mistakes sessions the attempt and its FSRS review are
        committed before this returns. In an exam the answer is saved durably and can be changed
        until :meth:`finish`, which records it.

        Raises:
            ValueError: ``response`` does not fit the item's question.
            SessionClosed: The session is finished.
        """
        item = self.items[index]
        grade = grade_response(item.question, response)
        answer = Answer(index, response, grade, seconds)
        trainer, session_id = self._binding()
        with self._lock:
            if self._result is not None:
                raise SessionClosed("this session is finished")
            now = trainer.now()
            if self.plan.mode is Mode.EXAM:
                trainer.store.save_draft(
                    session_id, item.bank_id, item.question.id, response, seconds, now
                )
            else:
                trainer.record_attempts([self._graded(answer, now)])
            self.answers[index] = answer
        return answer

    def set_flag(self, index: int, flagged: bool) -> None:
        """Flag or unflag item ``index``; flags are saved and feed the mistakes mode."""
        item = self.items[index]
        trainer, session_id = self._binding()
        with self._lock:
            trainer.store.set_flag(
                session_id, item.bank_id, item.question.id, flagged, trainer.now()
            )
            if flagged:
                self.flagged.add(index)
            else:
                self.flagged.discard(index)

    def finish(self) -> SessionResult:
        """End the session and return its result (calling it again returns the same result).

        An exam's answers are recorded as attempts now, with the session marked finished in the
        same transaction; unanswered exam items count as wrong in the result.
        """
        trainer, session_id = self._binding()
        with self._lock:
            if self._result is not None:
                return self._result
            now = trainer.now()
            graded = (
                [self._graded(answer, now) for _, answer in sorted(self.answers.items())]
                if self.plan.mode is Mode.EXAM
                else []
            )
            trainer.record_attempts(graded, finish_session=session_id, finished_at=now)
            self._result = session_result(session_id, self.plan.mode, self.items, self.answers)
            return self._result

    def _graded(self, answer: Answer, now: datetime) -> tuple[Attempt, Rating]:
        """The attempt that records ``answer``, and its FSRS rating."""
        from quiz.domain.scheduling import graded_attempt

        return graded_attempt(
            self.items[answer.index],
            answer,
            mode=self.plan.mode,
            answered_at=now,
            session_id=self._id,
        )
