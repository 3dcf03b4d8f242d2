"""Planning a session: which questions, in what order, with the options shown in what order.

A :class:`SessionPlan` says what the trainee asked for; :func:`plan_session` turns it into
:class:`SessionItem` objects. Everything follows from the plan's seed and the records passed
in, so a session can be rebuilt exactly (:func:`session_items`) from its seed and item keys.

Rules:

- Filters: banks, topics (``topic`` in any bank, or ``bank/topic``), tags (any of),
  difficulties, anatomy roots (any of). Empty means no filter.
- Order by mode: *practice* and *exam* draw at random (by seed); *review* serves questions FSRS
  has due (most overdue first), then new questions in file order up to the daily limit;
  *weak* serves the topics with the lowest mastery first, and within a topic the least known
  questions; *mistakes* serves questions answered wrong (or partly) last time, or flagged.
- Cases: questions that share a case are kept together, in file order, where the first of them
  falls in the mode's order. A case that does not fit into the remaining count is skipped for
  smaller units; if the session is still short, the first skipped case fills it with its first
  questions. A session thus has ``min(count, questions available)`` items.
- Shuffling: each item is shuffled by a generator seeded with the plan's seed and the item's
  key, so an item looks the same whenever it is rebuilt. ``shuffle: false`` keeps the choices
  in file order, and lists matching's right-hand options alphabetically (file order would give
  the answer away). Ordering items are always shown shuffled, never in the correct order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Final, NamedTuple

import msgspec

from quiz.domain.grading import Grade, Response
from quiz.domain.keys import question_key, split_key, topic_key
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
from quiz.domain.stats import QuestionRecord, new_limit, topic_mastery

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
    count: int = DEFAULT_PLAN_COUNT
    seed: int | None = None
    """``None``: the service picks one and stores it with the session."""
    minutes: int | None = None
    """Exam time limit; ``None`` is untimed."""
    question_keys: tuple[str, ...] = ()
    """Only these questions (``bank/question``), e.g. to retry a session's mistakes."""


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


class Candidate(NamedTuple):
    """A question that passed a plan's filters, with where it sits in the library."""

    bank: Bank
    bank_index: int
    position: int
    question: Question

    @property
    def key(self) -> str:
        """``bank-id/question-id``."""
        return question_key(self.bank.id, self.question.id)

    @property
    def topic_key(self) -> str:
        """``bank-id/topic-id``, as :class:`~quiz.domain.stats.Mastery` keys topics."""
        return topic_key(self.bank.id, self.question.topic)

    @property
    def file_order(self) -> tuple[int, int]:
        """Sorts questions as the library lists them."""
        return self.bank_index, self.position


# --- planning -----------------------------------------------------------------------------------


def plan_session(
    plan: SessionPlan,
    banks: Sequence[Bank],
    records: Mapping[str, QuestionRecord] | None = None,
    *,
    now: datetime,
    new_today: int = 0,
    new_per_day: int = DEFAULT_NEW_PER_DAY,
) -> list[SessionItem]:
    """The items of a session for ``plan`` (see the module docstring for the rules).

    Args:
        plan: What was asked for; its ``seed`` must be set.
        banks: The usable banks, in library order.
        records: The profile's history by question key; missing keys are unseen questions.
        now: The current time (review: what is due).
        new_today: New questions the profile already started today (review's daily limit).
        new_per_day: The daily limit of new questions in review.

    Raises:
        ValueError: ``plan.seed`` is ``None``.
    """
    if plan.seed is None:
        raise ValueError("a session plan needs a seed before it is planned")
    rng = random.Random(plan.seed)
    candidates = select_questions(plan, banks)
    records = records or {}
    match plan.mode:
        case Mode.PRACTICE | Mode.EXAM:
            ordered = order_random(candidates, rng)
        case Mode.REVIEW:
            ordered = order_review(candidates, records, now, new_limit(new_per_day, new_today))
        case Mode.WEAK:
            ordered = order_weak(candidates, records, banks, rng)
        case Mode.MISTAKES:
            ordered = order_mistakes(candidates, records, rng)
    return [
        make_item(candidate.bank, candidate.question, plan.seed)
        for candidate in take_with_cases(ordered, plan.count)
    ]


def select_questions(plan: SessionPlan, banks: Sequence[Bank]) -> list[Candidate]:
    """The questions of ``banks`` that pass the plan's filters, in library order."""
    topics, tags, roots = set(plan.topics), set(plan.tags), set(plan.roots)
    difficulties, keys = set(plan.difficulties), set(plan.question_keys)
    selected: list[Candidate] = []
    for bank_index, bank in enumerate(banks):
        if plan.bank_ids and bank.id not in plan.bank_ids:
            continue
        for position, question in enumerate(bank.questions):
            if keys and question_key(bank.id, question.id) not in keys:
                continue
            if topics and not {question.topic, topic_key(bank.id, question.topic)} & topics:
                continue
            if tags and not tags.intersection(question.tags):
                continue
            if difficulties and question.difficulty not in difficulties:
                continue
            if roots and not roots.intersection(question.anatomy.roots if question.anatomy else ()):
                continue
            selected.append(Candidate(bank, bank_index, position, question))
    return selected


def order_random(candidates: Sequence[Candidate], rng: random.Random) -> list[Candidate]:
    """Practice and exam: a random order drawn from ``rng``."""
    ordered = list(candidates)
    rng.shuffle(ordered)
    return ordered


def order_review(
    candidates: Sequence[Candidate],
    records: Mapping[str, QuestionRecord],
    now: datetime,
    new_allowed: int,
) -> list[Candidate]:
    """Review: questions due by ``now`` (earliest due first), then up to ``new_allowed`` new ones.

    A question is new when it has no FSRS card yet; new ones come in file order.
    """
    due = [
        c
        for c in candidates
        if (record := records.get(c.key)) is not None
        and record.due is not None
        and record.due <= now
    ]
    due.sort(key=lambda c: (records[c.key].due, c.file_order))
    new = [c for c in candidates if (record := records.get(c.key)) is None or record.due is None]
    return due + new[: max(0, new_allowed)]


def order_weak(
    candidates: Sequence[Candidate],
    records: Mapping[str, QuestionRecord],
    banks: Sequence[Bank],
    rng: random.Random,
) -> list[Candidate]:
    """Weak areas: topics the profile has tried, lowest mastery first.

    Within a topic, the least known questions come first (unanswered ones after answered ones
    of equal mastery); ties are broken at random by ``rng``.
    """
    topics = {m.key: m for m in topic_mastery(banks, records)}
    tried = [c for c in candidates if c.topic_key in topics and topics[c.topic_key].attempts > 0]
    tiebreak = {c.key: rng.random() for c in tried}
    empty = QuestionRecord()

    def priority(c: Candidate) -> tuple[float, str, float, bool, float]:
        record = records.get(c.key, empty)
        return (
            topics[c.topic_key].mastery,
            c.topic_key,
            record.mastery,
            record.attempts == 0,
            tiebreak[c.key],
        )

    return sorted(tried, key=priority)


def order_mistakes(
    candidates: Sequence[Candidate],
    records: Mapping[str, QuestionRecord],
    rng: random.Random,
) -> list[Candidate]:
    """Mistakes: questions whose last answer was not fully right, or that are flagged."""
    picked = [
        c
        for c in candidates
        if (record := records.get(c.key)) is not None
        and ((record.attempts > 0 and not record.last_correct) or record.flagged)
    ]
    rng.shuffle(picked)
    return picked


def take_with_cases(ordered: Sequence[Candidate], count: int) -> list[Candidate]:
    """The first ``count`` questions of ``ordered``, keeping each case's questions together.

    Each case becomes one unit at the place of its first question in ``ordered``, its questions
    in file order (see the module docstring for units that do not fit).
    """
    units: dict[tuple[str, str, str], list[Candidate]] = {}
    for candidate in ordered:
        case = candidate.question.case
        unit = ("case", case) if case else ("question", candidate.question.id)
        units.setdefault((candidate.bank.id, *unit), []).append(candidate)
    chosen: list[Candidate] = []
    first_skipped: list[Candidate] | None = None
    for members in units.values():
        if len(chosen) >= count:
            break
        members.sort(key=lambda c: c.file_order)
        if len(chosen) + len(members) <= count:
            chosen.extend(members)
        elif first_skipped is None:
            first_skipped = members
    if first_skipped is not None and len(chosen) < count:
        chosen.extend(first_skipped[: count - len(chosen)])
    return chosen


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
    session_id: int, mode: Mode, items: Sequence[SessionItem], answers: Mapping[int, Answer]
) -> SessionResult:
    """Totals, per-topic scores, mistakes and unsafe picks of a session."""
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
    )
