"""``ims:...`` tags: what Moodle (XML and GIFT) has no field for, carried so our re-import
restores it exactly.

A question's id, topic, difficulty, refs, case, anatomy, option order and unsafe choices each
become one tag (``ims:difficulty:2``, ``ims:ref:gunn1996``, ``ims:unsafe:3``...); the bank's own
tags stay plain, and one that itself starts with ``ims:`` is written ``ims:tag:...``.
"""

from __future__ import annotations

from typing import Final

import msgspec

from quiz.domain.model import Anatomy, MultipleChoice, Question, SingleChoice

TAG_PREFIX: Final = "ims:"
MOODLE_TAG_MAX: Final = 50
"""Moodle keeps at most 50 characters of a tag name."""


def ims_tags(question: Question) -> list[str]:
    """Every tag ``question`` is exported with, ``ims:`` ones first."""
    tags = [f"ims:id:{question.id}", f"ims:topic:{question.topic}"]
    tags.append(f"ims:difficulty:{question.difficulty}")
    tags += [f"ims:ref:{key}" for key in question.refs]
    if question.case is not None:
        tags.append(f"ims:case:{question.case}")
    if question.anatomy is not None:
        anatomy = question.anatomy
        tags += [f"ims:root:{root}" for root in anatomy.roots]
        tags += [f"ims:muscle:{muscle}" for muscle in anatomy.muscles]
        tags += [f"ims:region:{region}" for region in anatomy.regions]
        if not (anatomy.roots or anatomy.muscles or anatomy.regions):
            tags.append("ims:anatomy")
    if not question.shuffle:
        tags.append("ims:noshuffle")
    if isinstance(question, SingleChoice | MultipleChoice):
        unsafe = [number for number, c in enumerate(question.choices, start=1) if c.unsafe]
        tags += [f"ims:unsafe:{number}" for number in unsafe]
    tags += [f"ims:tag:{tag}" if tag.startswith(TAG_PREFIX) else tag for tag in question.tags]
    return tags


class TagFields(msgspec.Struct):
    """What a question's tags say; ``None`` or empty where they say nothing."""

    ours: bool
    id: str | None
    topic: str | None
    difficulty: int | None
    refs: list[str]
    case: str | None
    anatomy: Anatomy | None
    shuffle: bool | None
    unsafe: set[int]
    plain: list[str]


def _values(tags: list[str], name: str) -> list[str]:
    prefix = f"{TAG_PREFIX}{name}:"
    return [tag[len(prefix) :] for tag in tags if tag.startswith(prefix)]


def read_tags(tags: list[str]) -> TagFields:
    """The fields ``tags`` carry (see :func:`ims_tags`)."""

    def first(name: str) -> str | None:
        values = _values(tags, name)
        return values[0] if values else None

    difficulty = first("difficulty")
    roots, muscles, regions = (
        _values(tags, "root"),
        _values(tags, "muscle"),
        _values(tags, "region"),
    )
    anatomy = (
        Anatomy(roots=roots, muscles=muscles, regions=regions)
        if roots or muscles or regions or f"{TAG_PREFIX}anatomy" in tags
        else None
    )
    ours = first("id") is not None
    return TagFields(
        ours=ours,
        id=first("id"),
        topic=first("topic"),
        difficulty=int(difficulty) if difficulty in ("1", "2", "3") else None,
        refs=_values(tags, "ref"),
        case=first("case"),
        anatomy=anatomy,
        shuffle=(f"{TAG_PREFIX}noshuffle" not in tags) if ours else None,
        unsafe={int(value) for value in _values(tags, "unsafe") if value.isdigit()},
        plain=[
            tag.removeprefix(f"{TAG_PREFIX}tag:")
            for tag in tags
            if not tag.startswith(TAG_PREFIX) or tag.startswith(f"{TAG_PREFIX}tag:")
        ],
    )
