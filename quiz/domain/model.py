"""The question-bank model, format v1.

These Structs are the one description of a bank: the loader converts YAML into them, the JSON
Schema that editors use for autocompletion is generated from them, and the parse cache stores
them as msgpack. Constraints that a single field can express (lengths, ranges, id patterns) live
here as ``Meta``; rules that span fields (exactly one correct choice, references to topics and
sources) live in :mod:`quiz.banks.validate`.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Final, Literal

import msgspec
from msgspec import Meta, Struct

FORMAT_VERSION: Final = 1

ID_PATTERN: Final = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
"""Bank, topic, case and question ids: lowercase letters and digits, joined by dashes."""

QUESTION_TYPES: Final = ("single", "multiple", "true_false", "matching", "ordering", "short")

Identifier = Annotated[
    str,
    Meta(
        pattern=ID_PATTERN,
        description="Lowercase letters and digits joined by dashes, e.g. `c5-myotome`.",
    ),
]
NonEmptyText = Annotated[str, Meta(min_length=1)]
Markdown = Annotated[str, Meta(description="Markdown text, shown literally (never as markup).")]
Difficulty = Annotated[
    int,
    Meta(ge=1, le=3, description="1 recall, 2 application, 3 clinical reasoning."),
]


class _Model(Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True, gc=False):
    """Base for every part of a bank: unknown keys are errors, defaults are not stored.

    ``gc=False``: a bank is a tree (nothing in it refers back up), so its tens of thousands of
    objects need no cycle collector; tracking them cost a third of a warm start.
    """


class Topic(_Model, kw_only=True):
    """A topic that questions belong to; mastery is tracked per topic."""

    title: NonEmptyText
    description: str = ""


class Source(_Model, kw_only=True):
    """A citation that questions refer to by key."""

    citation: NonEmptyText
    url: str | None = None


class Case(_Model, kw_only=True):
    """A clinical vignette shared by several questions, shown above each of them."""

    title: NonEmptyText
    vignette: Markdown


class Review(_Model, kw_only=True):
    """A record that someone checked the bank's content."""

    by: NonEmptyText
    on: Annotated[str, Meta(description='Date of the review, e.g. "2026-11-24".')]


class Anatomy(_Model, kw_only=True):
    """The anatomy a question is about, for mastery per spinal segment."""

    roots: list[
        Annotated[
            str,
            Meta(
                pattern=r"^(C[1-8]|T(?:[1-9]|1[0-2])|L[1-5]|S[1-5])$",
                description="A spinal root: C1-C8, T1-T12, L1-L5, S1-S5.",
            ),
        ]
    ] = []
    muscles: list[str] = []
    regions: list[str] = []


class Choice(_Model, kw_only=True):
    """One option of a ``single`` or ``multiple`` question."""

    text: NonEmptyText
    correct: bool = False
    why: Annotated[str | None, Meta(description="Why this option is right or wrong.")] = None
    unsafe: Annotated[bool, Meta(description="Picking this option would harm a patient.")] = False


Choices = Annotated[list[Choice], Meta(min_length=2, max_length=8)]


class QuestionBase(_Model, tag_field="type", kw_only=True):
    """Fields that every question type has."""

    id: Identifier
    topic: str
    prompt: Annotated[Markdown, Meta(min_length=1)]
    explanation: Markdown = ""
    refs: Annotated[list[str], Meta(description="Keys of the bank's `sources`; at least one.")]
    difficulty: Difficulty
    tags: list[str] = []
    case: str | None = None
    anatomy: Anatomy | None = None
    shuffle: Annotated[bool, Meta(description="Shuffle the options each session.")] = True

    @property
    def kind(self) -> str:
        """The question's ``type`` as written in the bank."""
        return type(self).__struct_config__.tag  # type: ignore[return-value]


class SingleChoice(QuestionBase, tag="single"):
    """One best answer among 2-8 choices."""

    choices: Choices


class MultipleChoice(QuestionBase, tag="multiple"):
    """Select all that apply; partial credit."""

    choices: Choices


class TrueFalse(QuestionBase, tag="true_false"):
    """A statement that is true or false."""

    answer: bool
    why_true: str | None = None
    why_false: str | None = None


Pair = Annotated[tuple[NonEmptyText, NonEmptyText], Meta(description="[left, right]")]


class Matching(QuestionBase, tag="matching"):
    """Match each left item to its right item."""

    pairs: Annotated[list[Pair], Meta(min_length=2)]
    distractors: Annotated[
        list[NonEmptyText], Meta(description="Extra right-hand items that match nothing.")
    ] = []


class Ordering(QuestionBase, tag="ordering"):
    """Put the items in order; ``items`` lists them in the correct order."""

    items: Annotated[list[NonEmptyText], Meta(min_length=2)]


class ShortAnswer(QuestionBase, tag="short"):
    """A typed answer, compared ignoring case, spacing and punctuation."""

    answers: Annotated[list[NonEmptyText], Meta(description="Accepted answers.")] = []
    patterns: Annotated[
        list[str], Meta(description="Regular expressions that also accept an answer.")
    ] = []


Question = SingleChoice | MultipleChoice | TrueFalse | Matching | Ordering | ShortAnswer
QUESTION_CLASSES: Final[dict[str, type[QuestionBase]]] = {
    cls.__struct_config__.tag: cls  # type: ignore[misc]
    for cls in (SingleChoice, MultipleChoice, TrueFalse, Matching, Ordering, ShortAnswer)
}


class Bank(_Model, kw_only=True):
    """One bank file. ``topics`` and ``sources`` accept a plain string as a shorthand."""

    format: Annotated[Literal[1], Meta(description="The bank format version; this is format 1.")]
    id: Identifier
    title: NonEmptyText
    description: str = ""
    version: Annotated[str, Meta(description="The author's own version string; quote it.")] = ""
    authors: list[str] = []
    license: str = ""
    reviewed: list[Review] = []
    topics: Annotated[dict[str, Topic | str], Meta(min_length=1)]
    sources: Annotated[dict[str, Source | str], Meta(min_length=1)]
    cases: dict[str, Case] = {}
    questions: list[Question]

    def topic(self, key: str) -> Topic:
        """The topic ``key``, with the string shorthand expanded."""
        value = self.topics[key]
        return Topic(title=value) if isinstance(value, str) else value

    def source(self, key: str) -> Source:
        """The source ``key``, with the string shorthand expanded."""
        value = self.sources[key]
        return Source(citation=value) if isinstance(value, str) else value


def question_key(bank_id: str, question_id: str) -> str:
    """The stable key that progress is stored under: ``bank-id/question-id``."""
    return f"{bank_id}/{question_id}"


_hash_encoder = msgspec.msgpack.Encoder(order="deterministic")


def content_hash(question: QuestionBase) -> str:
    """A short digest of everything a trainee sees of ``question``.

    Progress is keyed by id, so editing a question keeps its history; the hash recorded with each
    attempt tells that the text changed since.
    """
    return hashlib.blake2b(_hash_encoder.encode(question), digest_size=8).hexdigest()
