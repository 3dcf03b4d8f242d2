"""A session's parts: the plan, the items as shown, answers and attempts, and the result.

A :class:`SessionPlan` says what the trainee asked for; :func:`quiz.domain.planning.plan_session`
turns it into :class:`SessionItem` objects (the rules are in :mod:`quiz.domain.planning`). An
item looks the same whenever it is rebuilt (:func:`session_items`) from the session's seed and
item keys:

- Shuffling: each item is shuffled by a generator seeded with the plan's seed and the item's
  key. ``shuffle: false`` keeps the choices in file order, and lists matching's right-hand
  options alphabetically (file order would give the answer away). Ordering items are always
  shown shuffled, never in the correct order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Final

import msgspec

from quiz.domain.cbm import CbmReport, Certainty, cbm_report
from quiz.domain.grading import Grade, Response
from quiz.domain.keys import question_key, split_key
from quiz.domain.model import (
    Bank,
    Case,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    SingleChoice,
    content_hash,
)

DEFAULT_PLAN_COUNT: Final = 20
"""The count of a plan built without one (in code, or stored without one). Forms and the CLI
start from :attr:`Mode.default_count` instead."""
DEFAULT_NEW_PER_DAY: Final = 20
"""New questions review mode introduces per day."""


class Mode(StrEnum):
    """How a session chooses its questions and when it gives feedback."""

    PRACTICE = "practice"
    """Random questions, feedback after each answer."""
    EXAM = "exam"
    """Random questions, optional time limit, feedback only at the end."""
    REVIEW = "review"
    """What spaced repetition has due, then new questions up to a daily limit."""
    WEAK = "weak"
    """The lowest-mastery topics first."""
    MISTAKES = "mistakes"
    """Questions answered wrong last time, or flagged."""

    @property
    def label(self) -> str:
        """The mode's name as the trainee reads it: ``"Weak areas"`` (headings, results, lists)."""
        return _MODE_LABELS[self][0]

    @property
    def blurb(self) -> str:
        """What the mode does, in a few words: ``"your lowest-mastery topics first"``.

        The setup form's title is ``f"{mode.label}: {mode.blurb}"``.
        """
        return _MODE_LABELS[self][1]

    @property
    def default_count(self) -> int:
        """How many questions a session of this mode asks when the trainee names no count."""
        return 20 if self in (Mode.EXAM, Mode.REVIEW) else 10


_MODE_LABELS: Final[dict[Mode, tuple[str, str]]] = {
    Mode.PRACTICE: ("Practice", "feedback after every answer"),
    Mode.EXAM: ("Exam", "timed, feedback at the end"),
    Mode.REVIEW: ("Review", "what is due, then new questions"),
    Mode.WEAK: ("Weak areas", "your lowest-mastery topics first"),
    Mode.MISTAKES: ("Mistakes", "questions you got wrong or flagged"),
}
"""The one home of each mode's display name and blurb (:attr:`Mode.label`, :attr:`Mode.blurb`)."""


class SessionPlan(msgspec.Struct, frozen=True):
    """What the trainee asked for. Empty filters mean everything.

    Stored as ``msgspec.to_builtins(plan)`` and read back with ``msgspec.convert(data,
    SessionPlan)``: missing keys take their defaults and unknown keys are ignored, so plans that
    older and newer versions stored both load.
    """

    mode: Mode
    bank_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    """Topic ids (``topic`` in any bank, or ``bank/topic``)."""
    tags: tuple[str, ...] = ()
    difficulties: tuple[int, ...] = ()
    roots: tuple[str, ...] = ()
    """Anatomy roots, e.g. ``("C5",)``."""
    types: tuple[str, ...] = ()
    """Question types as banks write them (``single``, ``short``, ...)."""
    unused: bool = False
    """Only questions the profile has never answered."""
    incorrect: bool = False
    """Only questions whose last answer was not fully right."""
    flagged: bool = False
    """Only questions the profile has flagged (and not answered right since)."""
    count: int = DEFAULT_PLAN_COUNT
    seed: int | None = None
    """``None``: the service picks one and stores it with the session."""
    minutes: int | None = None
    """Exam time limit; ``None`` is untimed."""
    question_keys: tuple[str, ...] = ()
    """Only these questions (``bank/question``), e.g. to retry a session's mistakes."""
    certainty: bool | None = None
    """Ask how sure the trainee is before feedback; ``None``: the mode's default (exams do
    not ask, other modes follow the trainee's preference)."""

    @property
    def filters_history(self) -> bool:
        """Whether a filter reads the profile's history (unused, incorrect, flagged)."""
        return self.unused or self.incorrect or self.flagged


class Reference(msgspec.Struct, frozen=True):
    """One of a question's ``refs``, resolved against its bank's ``sources``."""

    key: str
    """The source key the question cites."""
    citation: str
    """The full citation; the key itself when the bank has no such source."""
    url: str | None = None


class SessionItem(msgspec.Struct, frozen=True):
    """One question of a session, as it is shown."""

    key: str
    """``bank-id/question-id``."""
    bank_id: str
    question: Question
    case: Case | None
    """The vignette shown above the question."""
    topic_title: str
    choice_order: tuple[int, ...]
    """single/multiple: display order (indices into ``question.choices``); ordering: the
    initial shuffled order (indices into ``question.items``); other types: ``()``."""
    right_options: tuple[str, ...]
    """matching: every right-hand option (pair rights and distractors) in display order;
    other types: ``()``."""
    references: tuple[Reference, ...] = ()
    """The question's ``refs`` in order, resolved (the feedback panel lists them)."""


class Answer(msgspec.Struct, frozen=True):
    """The latest answer to one item of a session."""

    index: int
    response: Response
    grade: Grade
    seconds: float
    certainty: Certainty | None = None
    """How sure the trainee said they were; ``None`` with certainty-based marking off."""


class Attempt(msgspec.Struct, frozen=True, kw_only=True):
    """One graded answer, as progress keeps it.

    The one list of an attempt's fields: the store's ``attempts`` columns are these (with
    ``profile_id`` for ``profile``; a test keeps them in step) and ``ims-quiz export`` writes
    them in this order (:data:`ATTEMPT_FIELDS`).
    """

    id: int | None = None
    """Set by the store."""
    profile: str = ""
    """The profile's name (set by the store when reading)."""
    session_id: int | None = None
    mode: Mode
    bank_id: str
    question_id: str
    content_hash: str
    """:func:`~quiz.domain.model.content_hash` of the question when it was answered."""
    response: Response
    score: float
    correct: bool
    unsafe: bool
    unsafe_choices: tuple[str, ...]
    """The text of each unsafe option picked, as it read then."""
    seconds: float
    answered_at: datetime
    certainty: Certainty | None = None
    """How sure the trainee said they were (:mod:`quiz.domain.cbm`); ``None`` when
    certainty-based marking was off, and for answers from before it existed (last: the export's
    columns keep their order)."""

    @property
    def key(self) -> str:
        """``bank-id/question-id``."""
        return question_key(self.bank_id, self.question_id)

    @classmethod
    def of(
        cls,
        item: SessionItem,
        answer: Answer,
        *,
        mode: Mode,
        answered_at: datetime,
        session_id: int | None = None,
    ) -> Attempt:
        """The attempt that records ``answer`` to ``item``."""
        question = item.question
        choices = getattr(question, "choices", [])
        return cls(
            bank_id=item.bank_id,
            question_id=question.id,
            content_hash=content_hash(question),
            mode=mode,
            response=answer.response,
            score=answer.grade.score,
            correct=answer.grade.correct,
            unsafe=answer.grade.unsafe,
            unsafe_choices=tuple(choices[i].text for i in answer.grade.unsafe_choices),
            certainty=answer.certainty,
            seconds=answer.seconds,
            answered_at=answered_at,
            session_id=session_id,
        )


ATTEMPT_FIELDS: Final[tuple[str, ...]] = Attempt.__struct_fields__
"""The names of :class:`Attempt`'s fields, in order."""


class TopicScore(msgspec.Struct, frozen=True):
    """One topic's share of a session result."""

    bank_id: str
    topic_id: str
    title: str
    answered: int
    correct: int
    score: float
    """Mean score over the topic's items in the session, unanswered items counting 0."""


class SessionResult(msgspec.Struct, frozen=True):
    """How a session went."""

    session_id: int
    mode: Mode
    total: int
    answered: int
    correct: int
    score: float
    """Mean score over all items; unanswered items count 0."""
    seconds: float
    """Time spent on the answers (the sum of their seconds)."""
    per_topic: list[TopicScore]
    mistakes: list[int]
    """Indices of items answered wrong (or partly) or not at all."""
    unsafe: list[int]
    """Indices of items where an unsafe option was picked."""
    cbm: CbmReport | None = None
    """Certainty-based marks and calibration of the answers given with a certainty."""
    elapsed: float | None = None
    """Seconds from the start of the session to its end (shown for exams)."""


# --- items --------------------------------------------------------------------------------------


def make_item(bank: Bank, question: Question, seed: int) -> SessionItem:
    """``question`` as shown in a session with ``seed`` (see the module docstring)."""
    key = question_key(bank.id, question.id)
    rng = random.Random(f"{seed}/{key}")
    choice_order: tuple[int, ...] = ()
    right_options: tuple[str, ...] = ()
    match question:
        case SingleChoice() | MultipleChoice():
            order = list(range(len(question.choices)))
            if question.shuffle:
                rng.shuffle(order)
            choice_order = tuple(order)
        case Ordering():
            choice_order = _scrambled(len(question.items), rng)
        case Matching():
            rights = [right for _, right in question.pairs] + question.distractors
            rights = list(dict.fromkeys(rights))  # one option per distinct text
            if question.shuffle:
                rng.shuffle(rights)
            else:
                rights.sort(key=str.casefold)
            right_options = tuple(rights)
    topic = question.topic
    return SessionItem(
        key=key,
        bank_id=bank.id,
        question=question,
        case=bank.cases.get(question.case) if question.case else None,
        topic_title=bank.topic(topic).title if topic in bank.topics else topic,
        choice_order=choice_order,
        right_options=right_options,
        references=references_of(bank, question),
    )


def references_of(bank: Bank, question: Question) -> tuple[Reference, ...]:
    """``question.refs`` resolved against ``bank.sources``; an unknown key cites itself."""
    references = []
    for key in question.refs:
        if key in bank.sources:
            source = bank.source(key)
            references.append(Reference(key, source.citation, source.url))
        else:
            references.append(Reference(key, key))
    return tuple(references)


def preview_item(bank: Bank, question: Question) -> SessionItem:
    """``question`` as shown outside any session (the bank browser): :func:`make_item`, seed 0."""
    return make_item(bank, question, 0)


def _scrambled(size: int, rng: random.Random) -> tuple[int, ...]:
    """A shuffled ``range(size)`` that is never the correct (identity) order."""
    order = list(range(size))
    rng.shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return tuple(order)


def session_items(keys: Iterable[str], banks: Sequence[Bank], seed: int) -> list[SessionItem]:
    """Rebuild a session's items from its keys; questions no longer in ``banks`` are skipped."""
    by_bank = {bank.id: bank for bank in banks}
    items: list[SessionItem] = []
    for key in keys:
        bank_id, question_id = split_key(key)
        bank = by_bank.get(bank_id)
        question = _find_question(bank, question_id) if bank else None
        if bank is not None and question is not None:
            items.append(make_item(bank, question, seed))
    return items


def _find_question(bank: Bank, question_id: str) -> Question | None:
    return next((q for q in bank.questions if q.id == question_id), None)


# --- results ------------------------------------------------------------------------------------


def session_result(
    session_id: int,
    mode: Mode,
    items: Sequence[SessionItem],
    answers: Mapping[int, Answer],
    *,
    elapsed: float | None = None,
) -> SessionResult:
    """Totals, per-topic scores, mistakes, unsafe picks and the CBM report of a session."""
    scores = [answers[i].grade.score if i in answers else 0.0 for i in range(len(items))]
    topics: dict[tuple[str, str], list[int]] = {}
    for index, item in enumerate(items):
        topics.setdefault((item.bank_id, item.question.topic), []).append(index)
    per_topic = [
        TopicScore(
            bank_id=bank_id,
            topic_id=topic_id,
            title=items[indices[0]].topic_title,
            answered=sum(i in answers for i in indices),
            correct=sum(i in answers and answers[i].grade.correct for i in indices),
            score=sum(scores[i] for i in indices) / len(indices),
        )
        for (bank_id, topic_id), indices in topics.items()
    ]
    return SessionResult(
        session_id=session_id,
        mode=mode,
        total=len(items),
        answered=sum(i in answers for i in range(len(items))),
        correct=sum(a.grade.correct for i, a in answers.items() if i < len(items)),
        score=sum(scores) / len(items) if items else 0.0,
        seconds=float(sum(a.seconds for i, a in answers.items() if i < len(items))),
        per_topic=per_topic,
        mistakes=[i for i in range(len(items)) if i not in answers or not answers[i].grade.correct],
        unsafe=sorted(i for i, a in answers.items() if a.grade.unsafe and i < len(items)),
        cbm=cbm_report(
            (a.grade.score, a.certainty, a.grade.unsafe)
            for i, a in answers.items()
            if i < len(items) and a.certainty is not None
        ),
        elapsed=elapsed,
    )
