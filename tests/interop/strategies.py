"""Hypothesis strategies for valid banks: every text the validator accepts, every type."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from quiz.domain.model import (
    Anatomy,
    Bank,
    Case,
    Choice,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    Source,
    Topic,
    TrueFalse,
)
from quiz.domain.text import FORBIDDEN

# Text as an author may write it: any character the validator lets through (zero-width and
# line/paragraph separators included), blank lines, leading spaces, Markdown and XML syntax.
_alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff").filter(
    lambda c: FORBIDDEN.match(c) is None
)
_tricky = st.sampled_from(
    ["\n", "\n\n", "  ", "\t", "**", "---", "<b>", "&amp;", "]]>", "--", "- ", "* ", "{", "}",
     "~", "=", "#", ":", "\\", "no", "1.10", "\u2028", "\u200b", "ims:", "%50%"]
)  # fmt: skip
text = st.lists(st.one_of(st.text(_alphabet, max_size=6), _tricky), max_size=6).map("".join)
nonempty = st.builds(
    lambda before, middle, after: before + middle + after,
    text,
    st.characters(categories=("L", "N", "P", "S")).filter(lambda c: FORBIDDEN.match(c) is None),
    text,
)
ident = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
word = st.from_regex(r"[a-z][a-z0-9 -]{0,12}[a-z0-9]", fullmatch=True)
why = st.one_of(st.none(), nonempty)


def _normal(value: str) -> str:
    return " ".join(value.casefold().split())


def distinct(count_min: int, count_max: int) -> st.SearchStrategy[list[str]]:
    """Texts that the validator will not call duplicates."""
    return st.lists(
        nonempty,
        min_size=count_min,
        max_size=count_max,
        unique_by=_normal,
    )


@st.composite
def questions(
    draw: Any, qid: str, topics: list[str], refs: list[str], cases: list[str]
) -> Question:
    """One question of any type, citing ``refs`` and naming one of ``topics``."""
    common: dict[str, Any] = {
        "id": qid,
        "topic": draw(st.sampled_from(topics)),
        "prompt": draw(nonempty),
        "explanation": draw(text),
        "refs": draw(st.lists(st.sampled_from(refs), min_size=1, max_size=3, unique=True)),
        "difficulty": draw(st.integers(1, 3)),
        "tags": draw(st.lists(word, max_size=3, unique=True)),
        "case": draw(st.one_of(st.none(), st.sampled_from(cases))) if cases else None,
        "anatomy": draw(
            st.one_of(
                st.none(),
                st.builds(
                    Anatomy,
                    roots=st.lists(st.sampled_from(["C5", "C6", "L4", "T12"]), max_size=2),
                    muscles=st.lists(word, max_size=2),
                    regions=st.lists(word, max_size=2),
                ),
            )
        ),
        "shuffle": draw(st.booleans()),
    }
    kind = draw(
        st.sampled_from(["single", "multiple", "true_false", "matching", "ordering", "short"])
    )
    if kind in ("single", "multiple"):
        texts = draw(distinct(2, 8))
        if kind == "single":
            right = {draw(st.integers(0, len(texts) - 1))}
        else:
            right = set(draw(st.lists(st.integers(0, len(texts) - 1), min_size=1, unique=True)))
        choices = [
            Choice(text=t, correct=i in right, why=draw(why), unsafe=draw(st.booleans()))
            for i, t in enumerate(texts)
        ]
        cls = SingleChoice if kind == "single" else MultipleChoice
        return cls(**common, choices=choices)
    if kind == "true_false":
        return TrueFalse(
            **common, answer=draw(st.booleans()), why_true=draw(why), why_false=draw(why)
        )
    if kind == "matching":
        rights = draw(distinct(2, 7))
        count = draw(st.integers(2, len(rights)))
        lefts = draw(distinct(count, count))
        return Matching(
            **common,
            pairs=list(zip(lefts, rights[:count], strict=True)),
            distractors=rights[count:],
        )
    if kind == "ordering":
        return Ordering(**common, items=draw(distinct(2, 6)))
    return ShortAnswer(
        **common,
        answers=draw(st.lists(nonempty, min_size=1, max_size=3)),
        patterns=draw(st.lists(st.sampled_from(["c5", "c[56]", "deltoid.*"]), max_size=2)),
    )


@st.composite
def banks(draw: Any) -> Bank:
    """A valid bank of 1-6 questions with topics, sources (both forms) and cases."""
    topic_ids = draw(st.lists(ident, min_size=1, max_size=3, unique=True))
    source_ids = draw(st.lists(ident, min_size=1, max_size=4, unique=True))
    case_ids = draw(st.lists(ident, max_size=2, unique=True))
    topic_form = st.one_of(nonempty, st.builds(Topic, title=nonempty, description=text))
    source_form = st.one_of(
        nonempty,
        st.builds(
            Source, citation=nonempty, url=st.one_of(st.none(), st.just("https://doi.org/x"))
        ),
    )
    ids = draw(st.lists(ident, min_size=1, max_size=6, unique=True))
    return Bank(
        format=1,
        id=draw(ident),
        title=draw(nonempty),
        description=draw(text),
        version=draw(text),
        authors=draw(st.lists(nonempty, max_size=2)),
        license=draw(text),
        topics={key: draw(topic_form) for key in topic_ids},
        sources={key: draw(source_form) for key in source_ids},
        cases={key: Case(title=draw(nonempty), vignette=draw(text)) for key in case_ids},
        questions=[draw(questions(qid, topic_ids, source_ids, case_ids)) for qid in ids],
    )


def without_patterns(bank: Bank) -> Bank:
    """``bank`` as Moodle XML carries it: ``patterns`` are lost."""
    import msgspec

    return msgspec.structs.replace(
        bank,
        questions=[
            msgspec.structs.replace(q, patterns=[]) if isinstance(q, ShortAnswer) else q
            for q in bank.questions
        ],
    )
