"""Planning a session: which questions, in what order.

:func:`plan_session` turns a :class:`~quiz.domain.session.SessionPlan` into its items.
Everything follows from the plan's seed and the records passed in, so a session can be rebuilt
exactly (:func:`~quiz.domain.session.session_items`) from its seed and item keys.

Rules:

- Filters: banks, topics (``topic`` in any bank, or ``bank/topic``), tags (any of),
  difficulties, anatomy roots (any of), question types. Empty means no filter. Three filters
  read the profile's history and combine as "and": *unused* (never answered), *incorrect*
  (the last answer was not fully right) and *flagged* (flagged and not put right since).
- Order by mode: *practice* and *exam* draw at random (by seed); *review* serves questions FSRS
  has due now, learn-ahead included (most overdue first), then new questions in file order up
  to the daily limit; *weak* serves the topics with the lowest mastery first, and within a
  topic the least known questions; *mistakes* serves questions answered wrong (or partly)
  last time, or flagged.
- Cases: questions that share a case are kept together, in file order, where the first of them
  falls in the mode's order. A case that does not fit into the remaining count is skipped for
  smaller units; if the session is still short, the first skipped case fills it with its first
  questions. A session thus has ``min(count, questions available)`` items.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from quiz.domain.keys import question_key, topic_key
from quiz.domain.model import Bank, Question
from quiz.domain.session import DEFAULT_NEW_PER_DAY, Mode, SessionItem, SessionPlan, make_item
from quiz.domain.stats import QuestionRecord, due_now, new_limit, topic_mastery


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
    return [
        make_item(candidate.bank, candidate.question, plan.seed)
        for candidate in _planned(
            plan, plan.seed, banks, records or {}, now, new_today, new_per_day
        )
    ]


def _planned(
    plan: SessionPlan,
    seed: int,
    banks: Sequence[Bank],
    records: Mapping[str, QuestionRecord],
    now: datetime,
    new_today: int,
    new_per_day: int,
) -> list[Candidate]:
    """The questions :func:`plan_session` makes items of, in order."""
    rng = random.Random(seed)
    candidates = select_questions(plan, banks, records)
    match plan.mode:
        case Mode.PRACTICE | Mode.EXAM:
            ordered = order_random(candidates, rng)
        case Mode.REVIEW:
            ordered = order_review(candidates, records, now, new_limit(new_per_day, new_today))
        case Mode.WEAK:
            ordered = order_weak(candidates, records, banks, rng)
        case Mode.MISTAKES:
            ordered = order_mistakes(candidates, records, rng)
    return take_with_cases(ordered, plan.count)


def whole_queue(banks: Sequence[Bank]) -> int:
    """A count that leaves nothing out: a review of the whole due queue (every question due
    now, then today's new ones), as Home's Review and ``ims-quiz review`` start it."""
    return max(1, sum(len(bank.questions) for bank in banks))


def queue_size(
    mode: Mode,
    banks: Sequence[Bank],
    records: Mapping[str, QuestionRecord],
    *,
    now: datetime,
    new_today: int,
    new_per_day: int,
) -> int:
    """How many questions a session of ``mode`` over every bank would serve now, with no
    count to stop it (Home shows it for review, weak areas and mistakes)."""
    plan = SessionPlan(mode, count=whole_queue(banks))
    return len(_planned(plan, 0, banks, records, now, new_today, new_per_day))


def select_questions(
    plan: SessionPlan,
    banks: Sequence[Bank],
    records: Mapping[str, QuestionRecord] | None = None,
) -> list[Candidate]:
    """The questions of ``banks`` that pass the plan's filters, in library order.

    ``records`` is the profile's history by question key (missing: never answered); the
    history filters (:attr:`SessionPlan.filters_history`) read it.
    """
    topics, tags, roots = set(plan.topics), set(plan.tags), set(plan.roots)
    difficulties, keys, types = set(plan.difficulties), set(plan.question_keys), set(plan.types)
    records = records or {}
    selected: list[Candidate] = []
    for bank_index, bank in enumerate(banks):
        if plan.bank_ids and bank.id not in plan.bank_ids:
            continue
        for position, question in enumerate(bank.questions):
            key = question_key(bank.id, question.id)
            if keys and key not in keys:
                continue
            if types and question.kind not in types:
                continue
            if plan.filters_history and not _passes_history(plan, records.get(key)):
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


def _passes_history(plan: SessionPlan, record: QuestionRecord | None) -> bool:
    """Whether a question with ``record`` (``None``: never answered) passes the plan's
    unused, incorrect and flagged filters."""
    answered = record is not None and record.attempts > 0
    if plan.unused and answered:
        return False
    if plan.incorrect and not (answered and record is not None and not record.last_correct):
        return False
    return not plan.flagged or (record is not None and record.flagged)


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
    """Review: questions due now (:func:`~quiz.domain.stats.due_now`, the rule Home's count
    follows; earliest due first), then up to ``new_allowed`` new ones.

    A question is new when it has no FSRS card yet; new ones come in file order.
    """
    due = [c for c in candidates if (record := records.get(c.key)) and due_now(record.due, now)]
    due.sort(key=lambda c: (records[c.key].due, c.file_order))
    new = [c for c in candidates if (record := records.get(c.key)) is None or record.due is None]
    return due + new[: max(0, new_allowed)]


def order_weak(
    candidates: Sequence[Candidate],
    records: Mapping[str, QuestionRecord],
    banks: Sequence[Bank],
    rng: random.Random,
) -> list[Candidate]:
    """Weak areas: topics the profile has tried, the least well held first (see
    :class:`~quiz.domain.stats.Mastery`).

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
            topics[c.topic_key].held,
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
