"""The trainer: one profile's sessions and statistics over a library and a progress store."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import msgspec

from quiz.domain.cbm import CbmReport, Certainty, report_from_totals
from quiz.domain.grading import Response, grade_response
from quiz.domain.history import (
    History,
    Progress,
    Summary,
    library_keys,
    progress_report,
    read_history,
    summarise,
)
from quiz.domain.model import Bank, content_hash
from quiz.domain.planning import plan_session, select_questions
from quiz.domain.reports import ProblemReport, clean_note
from quiz.domain.session import (
    DEFAULT_NEW_PER_DAY,
    Answer,
    Attempt,
    Mode,
    SessionItem,
    SessionPlan,
    session_items,
)
from quiz.domain.stats import DEFAULT_RETENTION, QuestionRecord, due_forecast
from quiz.service.active import ActiveSession, SessionClosed

if TYPE_CHECKING:
    from quiz.banks.loader import Library
    from quiz.domain.scheduling import Rating
    from quiz.progress.convert import StoredHistory, StoredSession
    from quiz.progress.store import Recorded, Store
    from quiz.settings import Settings


UNSAFE_SHOWN = 20
"""The latest attempts with an unsafe pick that Progress and ``stats`` list (all are counted)."""


class NoQuestions(Exception):
    """A plan found nothing to ask; ``str(error)`` says why, for the user."""


class SessionInfo(msgspec.Struct, frozen=True):
    """An unfinished session, as offered for resuming."""

    id: int
    mode: Mode
    started_at: datetime
    answered: int
    total: int
    deadline: datetime | None = None
    """When a timed exam's time runs (or ran) out; its clock runs while it is left."""


def needs_history(plan: SessionPlan) -> bool:
    """Whether planning ``plan`` reads the profile's history (and so the store): review, weak
    areas and mistakes do, and so does any mode with a history filter (unused, incorrect,
    flagged)."""
    return plan.mode not in (Mode.PRACTICE, Mode.EXAM) or plan.filters_history


def new_session(
    plan: SessionPlan,
    banks: list[Bank],
    *,
    now: datetime,
    records: dict[str, QuestionRecord] | None = None,
    new_today: int = 0,
    new_per_day: int = DEFAULT_NEW_PER_DAY,
) -> ActiveSession:
    """Plan a session that is not stored yet; a plan without a seed gets a random one.

    Practice and exams need no history, so the TUI plans them before the progress store is
    open and shows the first question at once; :meth:`Trainer.keep` stores the session later,
    and its answers wait until then. Other modes need ``records`` and ``new_today`` (see
    :func:`quiz.domain.planning.plan_session`), so they go through :meth:`Trainer.start_session`.

    Raises:
        NoQuestions: Nothing matches the plan; the message says why.
    """
    if plan.seed is None:
        plan = msgspec.structs.replace(plan, seed=random.SystemRandom().randrange(2**31))
    items = plan_session(
        plan, banks, records, now=now, new_today=new_today, new_per_day=new_per_day
    )
    if not items:
        raise NoQuestions(_why_empty(plan, banks, records, new_per_day))
    return ActiveSession(plan, items, now)


def _why_empty(
    plan: SessionPlan,
    banks: list[Bank],
    records: dict[str, QuestionRecord] | None,
    new_per_day: int,
) -> str:
    if not banks:
        return "No question banks are loaded. See `ims-quiz banks` for what was found."
    unknown = sorted(set(plan.bank_ids) - {bank.id for bank in banks})
    if unknown:
        return (
            f"No bank named {', '.join(unknown)} is loaded "
            f"(loaded: {', '.join(bank.id for bank in banks)})."
        )
    if not select_questions(plan, banks, records):
        return "No questions match the chosen filters (banks, topics, types, tags, roots, ...)."
    match plan.mode:
        case Mode.REVIEW:
            return (
                "Nothing is due for review, and today's new questions are used up "
                f"({new_per_day} a day). Come back tomorrow, or practise."
            )
        case Mode.WEAK:
            return "No weak areas yet: answer some questions in practice first."
        case Mode.MISTAKES:
            return "No mistakes to retry: every question you answered was right last time."
    return "No questions to ask."


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Trainer:
    """One profile's trainer over a library of banks and a progress store. Use :meth:`open`."""

    def __init__(
        self,
        library: Library,
        store: Store,
        profile: str,
        profile_id: int,
        *,
        clock: Callable[[], datetime],
        tz: tzinfo | None,
        new_per_day: int,
        desired_retention: float = DEFAULT_RETENTION,
    ) -> None:
        self.library = library
        self.profile = profile
        self.profile_id = profile_id
        self.store = store
        self._clock = clock
        self._tz = tz
        self.new_per_day = new_per_day
        """New questions a review introduces per day (the trainee's setting)."""
        self.desired_retention = desired_retention
        """FSRS's target probability of recall (the trainee's setting)."""

    @classmethod
    def open(
        cls,
        settings: Settings,
        library: Library,
        *,
        clock: Callable[[], datetime] = _utc_now,
        tz: tzinfo | None = None,
        new_per_day: int | None = None,
        desired_retention: float | None = None,
    ) -> Trainer:
        """Open the progress store of ``settings`` for ``settings.profile``.

        Args:
            settings: The profile and database to use.
            library: The loaded banks.
            clock: The current time, timezone-aware (tests pass a fixed one).
            tz: The time zone that days (streaks, the daily new limit) follow;
                ``None`` is the computer's.
            new_per_day: New questions review mode introduces per day; ``None`` is the
                trainee's saved preference (:mod:`quiz.preferences`).
            desired_retention: FSRS's target probability of recall for the cards answered;
                ``None`` is the trainee's saved preference.

        Raises:
            quiz.progress.StoreError: The database cannot be used; the message says why.
        """
        from quiz import preferences
        from quiz.progress.store import Store

        if new_per_day is None or desired_retention is None:
            saved = preferences.load()
            new_per_day = saved.new_per_day if new_per_day is None else new_per_day
            if desired_retention is None:
                desired_retention = saved.desired_retention
        store = Store.open(settings.database_url())
        try:
            now = clock().astimezone(UTC)
            profile_id = store.profile_id(settings.profile, now)
        except BaseException:
            store.close()
            raise
        return cls(
            library,
            store,
            settings.profile,
            profile_id,
            clock=clock,
            tz=tz,
            new_per_day=new_per_day,
            desired_retention=desired_retention,
        )

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    # --- helpers --------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The injected clock's time, in UTC."""
        return self._clock().astimezone(UTC)

    def banks(self) -> list[Bank]:
        """The usable banks, in library order."""
        return self.library.usable()

    def _history(self, now: datetime, stored: StoredHistory | None = None) -> History:
        """The profile's tallies, a record per question, and new questions started today:
        read from the store's per-question and per-day rows, never the whole history."""
        if stored is None:
            stored = self.store.history(self.profile_id)
        return read_history(
            stored.questions, stored.cards, stored.flags, stored.days, now, self._tz
        )

    # --- reading --------------------------------------------------------------------------------

    def report_problem(self, item: SessionItem, note: str) -> ProblemReport:
        """Store the trainee's report that ``item``'s question has a problem (``note`` says
        what), with the question's content hash as it reads now.

        Raises:
            ValueError: ``note`` is empty.
        """
        report = ProblemReport(
            bank_id=item.bank_id,
            question_id=item.question.id,
            content_hash=content_hash(item.question),
            note=clean_note(note),
            reported_at=self.now(),
        )
        report_id = self.store.add_report(self.profile_id, report)
        return msgspec.structs.replace(report, id=report_id, profile=self.profile)

    def problem_reports(self) -> list[ProblemReport]:
        """Every profile's problem reports, oldest first (for instructors)."""
        return self.store.reports()

    def question_records(self) -> dict[str, QuestionRecord]:
        """The profile's record per question key, as the history filters read them."""
        return self._history(self.now()).records

    def summary(self) -> Summary:
        """Totals, what is due, streak and mastery per topic."""
        now = self.now()
        return self._summary(now, self._history(now))

    def _summary(self, now: datetime, history: History) -> Summary:
        return summarise(
            self.profile,
            history,
            self.banks(),
            now=now,
            tz=self._tz,
            new_per_day=self.new_per_day,
            desired_retention=self.desired_retention,
        )

    def progress(self) -> Progress:
        """History, mastery per topic and per root, unsafe picks and the due forecast."""
        now = self.now()
        stored = self.store.history(self.profile_id, unsafe=UNSAFE_SHOWN)
        history = self._history(now, stored)
        return progress_report(
            self._summary(now, history),
            history,
            self.banks(),
            stored.unsafe or [],
            now=now,
            tz=self._tz,
        )

    def forecast(self, desired_retention: float, days: int = 30) -> list[tuple[date, int]]:
        """Questions due on each of the next ``days`` days had the cards been scheduled for
        ``desired_retention`` (today includes overdue ones): what the Settings screen shows
        for a retention before it is chosen."""
        from quiz.domain.scheduling import scheduled_due

        keys = library_keys(self.banks())
        cards = self.store.cards(self.profile_id)
        return due_forecast(
            (scheduled_due(card, desired_retention) for key, card in cards.items() if key in keys),
            self.now(),
            days=days,
            tz=self._tz,
        )

    def cbm_report(self) -> CbmReport | None:
        """Certainty-based marks and calibration over every answer given with a certainty
        (``None`` before the first)."""
        return report_from_totals(self.store.certainty_totals(self.profile_id))

    def attempts(
        self, *, all_profiles: bool = False, skipped: list[str] | None = None
    ) -> list[Attempt]:
        """Every attempt of this profile (or of every profile), oldest first.

        With ``skipped``, rows the store cannot decode are left out and described there.
        """
        return self.store.attempts(None if all_profiles else self.profile_id, skipped=skipped)

    def iter_attempts(
        self, *, all_profiles: bool = False, skipped: list[str] | None = None
    ) -> Iterator[Attempt]:
        """The attempts of :meth:`attempts`, yielded as they are read (export streams them)."""
        return self.store.iter_attempts(None if all_profiles else self.profile_id, skipped=skipped)

    # --- recording ------------------------------------------------------------------------------

    def record_attempts(
        self,
        graded: Sequence[tuple[Attempt, Rating]],
        *,
        finish_session: int | None = None,
        finished_at: datetime | None = None,
    ) -> list[Recorded]:
        """Record answers of this profile (see :meth:`Store.record_attempts`): their cards
        aim at the trainee's desired retention, and they count on this trainer's local day."""
        return self.store.record_attempts(
            self.profile_id,
            graded,
            finish_session=finish_session,
            finished_at=finished_at,
            tz=self._tz,
            desired_retention=self.desired_retention,
        )

    # --- sessions -------------------------------------------------------------------------------

    def start_session(self, plan: SessionPlan) -> ActiveSession:
        """Plan a session (see :func:`new_session`) and store it.

        Raises:
            NoQuestions: Nothing matches the plan; the message says why.
        """
        session = self.plan_session(plan)
        self.keep(session)
        return session

    def plan_session(self, plan: SessionPlan) -> ActiveSession:
        """Plan a session as :meth:`start_session` does, without storing it: what it would
        serve now (the TUI asks before it opens a form for a session that would serve nothing).

        Raises:
            NoQuestions: Nothing matches the plan; the message says why.
        """
        now = self.now()
        records: dict[str, QuestionRecord] = {}
        new_today = 0
        if needs_history(plan):
            history = self._history(now)
            records, new_today = history.records, history.new_today
        return new_session(
            plan,
            self.banks(),
            now=now,
            records=records,
            new_today=new_today,
            new_per_day=self.new_per_day,
        )

    def keep(self, session: ActiveSession) -> None:
        """Store a session from :func:`new_session`; it takes answers from now on."""
        try:
            session_id = self.store.create_session(
                self.profile_id,
                session.plan,
                [item.key for item in session.items],
                session.started_at,
            )
        except Exception as error:  # whatever it is, nothing may wait for this session forever
            session.fail(error)
            raise
        session.bind(self, session_id)

    def unfinished_session(self) -> SessionInfo | None:
        """The profile's newest session that is neither finished nor abandoned."""
        stored = self.store.unfinished_session(self.profile_id)
        return None if stored is None else self._session_info(stored)

    def unfinished_sessions(self) -> list[SessionInfo]:
        """Every unfinished session of the profile (the newest 20), newest first."""
        return [self._session_info(s) for s in self.store.unfinished_sessions(self.profile_id)]

    def _session_info(self, stored: StoredSession) -> SessionInfo:
        if stored.mode is Mode.EXAM:
            answered = len(self.store.drafts(stored.id).keys() & set(stored.item_keys))
        else:
            answered = len({a.key for a in self.store.attempts(session_id=stored.id)})
        minutes = stored.plan.minutes if stored.mode is Mode.EXAM else None
        return SessionInfo(
            stored.id,
            stored.mode,
            stored.started_at,
            answered,
            len(stored.item_keys),
            stored.started_at + timedelta(minutes=minutes) if minutes else None,
        )

    def resume_session(self, session_id: int) -> ActiveSession:
        """Reopen an unfinished session: same items, same option order, answers and flags.

        Questions removed from the banks since are left out; an answer that no longer fits its
        edited question is dropped.

        Raises:
            SessionClosed: The session is not this profile's, or is finished or abandoned.
            NoQuestions: None of its questions is in the loaded banks any more.
        """
        stored = self.store.session(session_id)
        if stored is None or stored.profile_id != self.profile_id:
            raise SessionClosed(f"there is no session {session_id} for profile {self.profile}")
        if not stored.open:
            raise SessionClosed(f"session {session_id} is already finished or abandoned")
        assert stored.plan.seed is not None
        items = session_items(stored.item_keys, self.banks(), stored.plan.seed)
        if not items:
            raise NoQuestions("None of this session's questions is in the loaded banks any more.")
        index_of = {item.key: index for index, item in enumerate(items)}
        saved: dict[str, tuple[Response, float, int | None]]
        if stored.mode is Mode.EXAM:
            drafts = self.store.drafts(session_id)
            saved = {key: (d.response, d.seconds, d.certainty) for key, d in drafts.items()}
        else:
            attempts = self.store.attempts(session_id=session_id)
            # the latest per question
            saved = {a.key: (a.response, a.seconds, a.certainty) for a in attempts}
        answers: dict[int, Answer] = {}
        for key, (response, seconds, certainty) in saved.items():
            if key not in index_of:
                continue
            index = index_of[key]
            try:
                grade = grade_response(items[index].question, response)
            except ValueError:
                continue
            level = Certainty(certainty) if certainty in set(Certainty) else None
            answers[index] = Answer(index, response, grade, seconds, level)
        flagged = {index_of[key] for key in self.store.session_flags(session_id) if key in index_of}
        session = ActiveSession(
            stored.plan, items, stored.started_at, answers=answers, flagged=flagged
        )
        session.bind(self, session_id)
        return session

    def abandon_session(self, session_id: int) -> None:
        """Give up an unfinished session; what was answered stays in the history."""
        self.store.abandon_session(session_id, self.now())
