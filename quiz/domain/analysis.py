"""Item analysis: numbers that show instructors which questions misbehave.

Classical test theory on first tries. For each question, only each trainee's *first* attempt
at the current version of the question counts: later attempts measure memory of the feedback,
not the item, and attempts at an older version (another content hash) measured another text.

* **facility**: the mean first-try score (0..1), the share of trainees who get it right.
  Above 0.95 the item teaches little ("too easy"); below 0.30 it is "too hard", or miskeyed.
* **discrimination**: the point-biserial correlation between a trainee's first-try score on
  this item and their mean first-try score on every *other* item they tried. Good items sit
  above 0.2; a negative value means stronger trainees do worse on it than weaker ones, which
  usually means a wrong key or an ambiguous stem. Needs at least
  :data:`MIN_TRAINEES_FOR_DISCRIMINATION` trainees, else ``None``.
* **top distractor** (single and multiple choice): the wrong option picked most often, and
  by what share of first tries. A distractor picked more often than the key is "misleading".
* **unsafe rate**: the share of first tries that picked an option marked ``unsafe``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence

import msgspec

from quiz.domain.grading import ChoiceResponse
from quiz.domain.model import (
    Bank,
    MultipleChoice,
    Question,
    SingleChoice,
    content_hash,
    question_key,
)
from quiz.domain.session import Attempt

MIN_TRAINEES_FOR_DISCRIMINATION = 5
TOO_EASY = 0.95
TOO_HARD = 0.30
UNSAFE_ALERT = 0.10


class ItemStats(msgspec.Struct, frozen=True):
    """The item analysis of one question (first tries at its current version)."""

    key: str
    kind: str
    topic: str
    difficulty: int
    trainees: int
    """Trainees with a first try at the current version."""
    older_versions: int
    """Attempts left out because they answered an earlier text of the question."""
    facility: float | None
    discrimination: float | None
    median_seconds: float | None
    unsafe_rate: float | None
    top_distractor: str | None
    top_distractor_share: float | None
    flags: tuple[str, ...]


def item_analysis(
    banks: Sequence[Bank], attempts: Iterable[Attempt], *, min_trainees: int = 5
) -> list[ItemStats]:
    """Item statistics for every question of ``banks``, flagged ones first.

    Args:
        banks: The questions to analyse (their current versions).
        attempts: Attempts of any number of trainees, oldest first.
        min_trainees: Below this many trainees an item gets numbers but no flags.
    """
    questions: dict[str, Question] = {
        question_key(bank.id, question.id): question
        for bank in banks
        for question in bank.questions
    }
    current = {key: content_hash(question) for key, question in questions.items()}
    first: dict[str, dict[str, Attempt]] = defaultdict(dict)  # key -> trainee -> first try
    older: dict[str, int] = defaultdict(int)
    for attempt in attempts:
        key = attempt.key
        if key not in questions:
            continue
        if attempt.content_hash != current[key]:
            older[key] += 1
            continue
        first[key].setdefault(attempt.profile, attempt)

    # Each trainee's first-try scores, to compute rest scores for discrimination.
    by_trainee: dict[str, dict[str, float]] = defaultdict(dict)
    for key, tries in first.items():
        for trainee, attempt in tries.items():
            by_trainee[trainee][key] = attempt.score

    results = [
        _item_stats(key, question, first.get(key, {}), older.get(key, 0), by_trainee, min_trainees)
        for key, question in questions.items()
    ]
    results.sort(key=lambda item: (not item.flags, -item.trainees, item.key))
    return results


def _item_stats(
    key: str,
    question: Question,
    tries: dict[str, Attempt],
    older_versions: int,
    by_trainee: dict[str, dict[str, float]],
    min_trainees: int,
) -> ItemStats:
    count = len(tries)
    if not count:
        return ItemStats(
            key,
            question.kind,
            question.topic,
            question.difficulty,
            0,
            older_versions,
            None,
            None,
            None,
            None,
            None,
            None,
            (),
        )
    scores = [attempt.score for attempt in tries.values()]
    facility = statistics.fmean(scores)
    discrimination = _discrimination(key, tries, by_trainee)
    unsafe_rate = sum(attempt.unsafe for attempt in tries.values()) / count
    distractor, share, key_share = _top_distractor(question, tries.values())
    flags: list[str] = []
    if count >= min_trainees:
        if facility > TOO_EASY:
            flags.append("too easy")
        if facility < TOO_HARD:
            flags.append("too hard")
        if discrimination is not None and discrimination < 0:
            flags.append("negative discrimination: check the key")
        if share is not None and key_share is not None and share > key_share:
            flags.append("misleading distractor")
        if unsafe_rate >= UNSAFE_ALERT:
            flags.append("unsafe picks")
    return ItemStats(
        key=key,
        kind=question.kind,
        topic=question.topic,
        difficulty=question.difficulty,
        trainees=count,
        older_versions=older_versions,
        facility=facility,
        discrimination=discrimination,
        median_seconds=statistics.median(attempt.seconds for attempt in tries.values()),
        unsafe_rate=unsafe_rate,
        top_distractor=distractor,
        top_distractor_share=share,
        flags=tuple(flags),
    )


def _discrimination(
    key: str, tries: dict[str, Attempt], by_trainee: dict[str, dict[str, float]]
) -> float | None:
    pairs = []
    for trainee, attempt in tries.items():
        others = [score for other, score in by_trainee[trainee].items() if other != key]
        if others:
            pairs.append((attempt.score, statistics.fmean(others)))
    if len(pairs) < MIN_TRAINEES_FOR_DISCRIMINATION:
        return None
    item_scores, rest_scores = zip(*pairs, strict=True)
    try:
        return statistics.correlation(item_scores, rest_scores)
    except statistics.StatisticsError:  # no variance in one of them
        return None


def _top_distractor(
    question: Question, tries: Iterable[Attempt]
) -> tuple[str | None, float | None, float | None]:
    """(wrong option picked most, its share, the share that picked a correct option)."""
    if not isinstance(question, SingleChoice | MultipleChoice):
        return None, None, None
    picks: dict[int, int] = defaultdict(int)
    total = 0
    for attempt in tries:
        total += 1
        if isinstance(attempt.response, ChoiceResponse):
            for index in attempt.response.selected:
                picks[index] += 1
    correct = {i for i, choice in enumerate(question.choices) if choice.correct}
    wrong = {i: n for i, n in picks.items() if i not in correct and i < len(question.choices)}
    key_share = max((picks.get(i, 0) for i in correct), default=0) / total if total else None
    if not wrong or not total:
        return None, None, key_share
    index = max(wrong, key=lambda i: (wrong[i], -i))
    return question.choices[index].text, wrong[index] / total, key_share
