"""What a learner's history adds up to: mastery per topic and per spinal root, streaks, forecasts.

Pure functions over plain records; the progress store supplies the records and the service
assembles them. Mastery of a topic (or root) is two numbers, so that meeting few of its questions
yet is not mistaken for knowing them badly: its *coverage*, the questions seen of all it has in
the loaded banks, and how well the seen ones are *held*, the mean of their question mastery
(defined in :mod:`quiz.domain.scheduling`: retrievability x last score). Screens colour by the
second, and call a topic weak only when a seen question's last answer was wrong
(:func:`mastery_level`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

import msgspec

from quiz.domain.keys import question_key, topic_key
from quiz.domain.model import Bank

SPINAL_REGIONS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("Cervical", tuple(f"C{n}" for n in range(1, 9))),
    ("Thoracic", tuple(f"T{n}" for n in range(1, 13))),
    ("Lumbar", tuple(f"L{n}" for n in range(1, 6))),
    ("Sacral", tuple(f"S{n}" for n in range(1, 6))),
)
"""The spinal roots by region, cranio-caudal: the one list (the progress map draws these rows)."""

SPINAL_ROOTS: Final[tuple[str, ...]] = tuple(root for _, roots in SPINAL_REGIONS for root in roots)
"""Every root the bank format accepts, C1-C8, T1-T12, L1-L5, S1-S5, in cranio-caudal order."""


class QuestionRecord(msgspec.Struct, frozen=True):
    """What one profile has done with one question, as planning and mastery need it."""

    attempts: int = 0
    last_score: float = 0.0
    last_correct: bool = False
    last_answered_at: datetime | None = None
    due: datetime | None = None
    """When FSRS wants the question again; ``None`` when it has no card (never reviewed)."""
    mastery: float = 0.0
    """:func:`quiz.domain.scheduling.question_mastery` now."""
    flagged: bool = False
    """Flagged in a session and not answered right in any later session."""


class Mastery(msgspec.Struct, frozen=True):
    """How well a topic (key ``bank/topic``) or a spinal root (key like ``C5``) is known."""

    key: str
    title: str
    questions: int
    """Its questions in the loaded banks."""
    seen: int
    """Of those, the ones answered at least once."""
    held: float
    """0 to 1: the mean question mastery of the seen ones (0 when none is); see the module
    docstring."""
    missed: int
    """Seen questions whose last answer was not fully right."""
    attempts: int

    @property
    def coverage(self) -> float:
        """Share of its questions seen, 0 to 1."""
        return self.seen / self.questions if self.questions else 0.0


def mastery_level(mastery: Mastery) -> str:
    """``"unseen"``, ``"weak"``, ``"fair"`` or ``"strong"``: how a screen colours ``mastery``.

    By how well the seen questions are held, never by coverage; and *weak* needs a wrong last
    answer, so a trainee who answered everything met right sees at worst *fair* (fading).
    """
    if mastery.seen == 0:
        return "unseen"
    if mastery.held < 0.4 and mastery.missed:
        return "weak"
    return "fair" if mastery.held < 0.75 else "strong"


class DayStat(msgspec.Struct, frozen=True):
    """Attempts on one local calendar day."""

    day: date
    attempts: int
    correct: int
    due_reviews: int = 0
    """Answers to questions that were due (:func:`due_now`) when answered."""
    due_right: int = 0
    """Of those, the ones answered fully right: the measured retention's numerator."""


DEFAULT_RETENTION: Final = 0.90
"""FSRS's target probability of recall when a card comes due, unless the trainee sets another."""

LEARN_AHEAD: Final = timedelta(minutes=20)
"""How far ahead a card counts as due, as Anki's learn-ahead limit: a learning step due in
the next 20 minutes is served now rather than leaving the trainee waiting."""


def due_now(due: datetime | None, now: datetime) -> bool:
    """Whether a card due at ``due`` (``None``: no card) is due now: the one rule that Home's
    and Progress's count, review planning and the measured retention all follow."""
    return due is not None and due <= now + LEARN_AHEAD


def topic_mastery(banks: Iterable[Bank], records: Mapping[str, QuestionRecord]) -> list[Mastery]:
    """Mastery of every topic of ``banks``, in bank and topic order."""
    result: list[Mastery] = []
    for bank in banks:
        members: dict[str, list[str]] = {topic_id: [] for topic_id in bank.topics}
        for question in bank.questions:
            members.setdefault(question.topic, []).append(question_key(bank.id, question.id))
        for topic_id, keys in members.items():
            if not keys:
                continue
            title = bank.topic(topic_id).title if topic_id in bank.topics else topic_id
            result.append(_aggregate(topic_key(bank.id, topic_id), title, keys, records))
    return result


def root_mastery(banks: Iterable[Bank], records: Mapping[str, QuestionRecord]) -> list[Mastery]:
    """Mastery of every root of :data:`SPINAL_ROOTS`, in cranio-caudal order (attempts may be 0)."""
    members: dict[str, list[str]] = defaultdict(list)
    for bank in banks:
        for question in bank.questions:
            if question.anatomy is not None:
                for root in dict.fromkeys(question.anatomy.roots):
                    members[root].append(question_key(bank.id, question.id))
    return [_aggregate(root, root, members.get(root, []), records) for root in SPINAL_ROOTS]


def _aggregate(
    key: str, title: str, question_keys: Sequence[str], records: Mapping[str, QuestionRecord]
) -> Mastery:
    seen = [r for k in question_keys if (r := records.get(k)) is not None and r.attempts]
    return Mastery(
        key,
        title,
        questions=len(question_keys),
        seen=len(seen),
        held=sum(r.mastery for r in seen) / len(seen) if seen else 0.0,
        missed=sum(not r.last_correct for r in seen),
        attempts=sum(r.attempts for r in seen),
    )


def new_limit(new_per_day: int, new_today: int) -> int:
    """How many new questions review may still introduce today, ``new_today`` having started."""
    return max(0, new_per_day - new_today)


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of ``moment`` in ``tz`` (``None``: the computer's time zone)."""
    return moment.astimezone(tz).date()


def day_start(day: date, tz: tzinfo | None = None) -> datetime:
    """The first instant of ``day`` in ``tz`` (``None``: the computer's time zone)."""
    midnight = datetime(day.year, day.month, day.day)
    # astimezone() reads a naive datetime as the computer's local time.
    return midnight.astimezone() if tz is None else midnight.replace(tzinfo=tz)


def streak_days(active_days: Iterable[date], today: date) -> int:
    """Consecutive days with attempts, ending today (or yesterday, if today has none yet)."""
    days = set(active_days)
    current = today if today in days else today - timedelta(days=1)
    streak = 0
    while current in days:
        streak += 1
        current -= timedelta(days=1)
    return streak


def due_forecast(
    due_times: Iterable[datetime], now: datetime, days: int = 14, tz: tzinfo | None = None
) -> list[tuple[date, int]]:
    """Questions due on each of the next ``days`` days; today's count includes overdue ones."""
    today = local_day(now, tz)
    counts: Counter[date] = Counter(max(today, local_day(due, tz)) for due in due_times)
    return [(today + timedelta(days=n), counts[today + timedelta(days=n)]) for n in range(days)]
