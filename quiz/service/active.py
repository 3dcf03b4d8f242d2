"""A session under way: its items, the answers so far, and its flags."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from quiz.domain.cbm import DEFAULT_CERTAINTY, Certainty
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
    from quiz.progress.store import Recorded
    from quiz.service.trainer import Trainer


class SessionClosed(Exception):
    """The session is finished or abandoned; it takes no more answers."""


class NothingToUndo(Exception):
    """No answer of this session can be taken back; ``str(error)`` says why."""


def asks_certainty(plan: SessionPlan) -> bool:
    """Whether a session of ``plan`` asks how sure the trainee is before feedback.

    The plan decides when it says (an exam's setup form, ``--certainty``); otherwise exams do
    not ask, and every other mode follows the trainee's preference (on unless turned off).
    """
    if plan.certainty is not None:
        return plan.certainty
    if plan.mode is Mode.EXAM:
        return False
    from quiz import preferences

    return preferences.load().certainty


class _Undo(NamedTuple):
    """What taking back one answer restores."""

    item: int
    previous: Answer | None
    """The item's answer before it (a resumed session's), or ``None``."""
    recorded: Recorded


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
        self.asks_certainty = asks_certainty(plan)
        """Whether the trainee says how sure they are before each answer's feedback."""
        self._undo: list[_Undo] = []
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

    def answer(
        self,
        index: int,
        response: Response,
        seconds: float,
        certainty: Certainty | None = None,
    ) -> Answer:
        """Grade and record an answer to item ``index``, said with ``certainty`` (``None``:
        the session does not ask; a session that asks takes ``None`` as *not sure*).

        In practice, review, weak and mistakes sessions the attempt and its FSRS review are
        committed before this returns. In an exam the answer is saved durably and can be changed
        until :meth:`finish`, which records it; ``seconds`` is then the time of this visit, added
        to the question's earlier visits.

        Raises:
            ValueError: ``response`` does not fit the item's question.
            SessionClosed: The session is finished.
        """
        item = self.items[index]
        grade = grade_response(item.question, response)
        if not self.asks_certainty:
            certainty = None
        elif certainty is None:
            certainty = DEFAULT_CERTAINTY
        trainer, session_id = self._binding()
        with self._lock:
            if self._result is not None:
                raise SessionClosed("this session is finished")
            now = trainer.now()
            previous = self.answers.get(index)
            if self.plan.mode is Mode.EXAM:
                if previous is not None:
                    seconds += previous.seconds
                answer = Answer(index, response, grade, seconds, certainty)
                trainer.store.save_draft(
                    session_id,
                    item.bank_id,
                    item.question.id,
                    response,
                    seconds,
                    now,
                    None if certainty is None else int(certainty),
                )
            else:
                answer = Answer(index, response, grade, seconds, certainty)
                [recorded] = trainer.record_attempts([self._graded(answer, now)])
                self._undo.append(_Undo(index, previous, recorded))
            self.answers[index] = answer
        return answer

    @property
    def can_undo(self) -> bool:
        """Whether :meth:`undo` has an answer to take back."""
        return bool(self._undo) and self._result is None

    def undo(self) -> Answer:
        """Take back the latest answer not taken back yet (practice, review, weak, mistakes):
        its attempt and review log are deleted and the question's card is as it was before.

        Returns:
            The answer taken back (its ``index`` is the item to show again).

        Raises:
            NothingToUndo: Nothing was answered in this session yet (or all was taken back),
                the session is an exam (whose answers change until it is submitted), or it
                is finished.
        """
        if self.plan.mode is Mode.EXAM:
            raise NothingToUndo("An exam's answers can be changed until it is submitted.")
        trainer, _ = self._binding()
        with self._lock:
            if self._result is not None:
                raise NothingToUndo("The session is finished.")
            if not self._undo:
                raise NothingToUndo("Nothing to undo: no answer of this session is left.")
            last = self._undo[-1]
            trainer.store.undo_attempt(trainer.profile_id, last.recorded)
            self._undo.pop()
            taken = self.answers.pop(last.item)
            if last.previous is not None:
                self.answers[last.item] = last.previous
        return taken

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
            self._result = session_result(
                session_id,
                self.plan.mode,
                self.items,
                self.answers,
                elapsed=(now - self.started_at).total_seconds(),
            )
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
