"""The question-bank model, format v1.

These Structs are the one description of a bank: the loader converts YAML into them, the JSON
Schema that editors use for autocompletion is generated from them, and the parse cache stores
them as msgpack. Constraints that a single field can express (lengths, ranges, id patterns) live
here as ``Meta``; rules that span fields (exactly one correct choice, references to topics and
sources) live in :mod:`quiz.banks.rules`.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Final, Literal

import msgspec
from msgspec import Meta, Struct

FORMAT_VERSION: Final = 1

ID_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Bank and question ids: lowercase letters and digits, joined by single dashes."""

QUESTION_TYPES: Final = ("single", "multiple", "true_false", "matching", "ordering", "short")

Identifier = Annotated[
    str,
    Meta(
        pattern=ID_PATTERN,
        description=(
            "Lowercase letters and digits joined by single dashes, e.g. `c5-myotome`. "
            "Progress is stored under it: never rename it."
        ),
    ),
]
NonEmptyText = Annotated[str, Meta(min_length=1)]

MARKDOWN: Final = (
    "Markdown: **bold**, *italic*, `code`, lists and paragraphs are rendered. HTML, terminal "
    "escape codes and Rich/Textual markup such as `[bold]` are shown exactly as typed, never "
    "interpreted."
)
PLAIN: Final = "Plain text, shown exactly as typed (no Markdown, no markup)."

Markdown = Annotated[str, Meta(description=MARKDOWN)]
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

    title: Annotated[NonEmptyText, Meta(description="The topic's name, as trainees see it.")]
    description: Annotated[str, Meta(description="What the topic covers.")] = ""


class Source(_Model, kw_only=True):
    """A citation that questions refer to by key."""

    citation: Annotated[
        NonEmptyText, Meta(description="The full reference, as trainees see it under a question.")
    ]
    url: Annotated[str | None, Meta(description="A link to the source.")] = None


class Case(_Model, kw_only=True):
    """A clinical vignette shared by several questions, shown above each of them."""

    title: Annotated[NonEmptyText, Meta(description="The case's heading.")]
    vignette: Annotated[
        Markdown, Meta(description="The case, shown above each of its questions. " + MARKDOWN)
    ]


class Review(_Model, kw_only=True):
    """A record that someone checked the bank's content."""

    by: Annotated[NonEmptyText, Meta(description="Who reviewed the bank's content.")]
    on: Annotated[
        str,
        Meta(
            description=(
                'The date of the review, e.g. `"on": 2026-11-24`. Quote the key: a YAML 1.1 '
                "reader takes a bare `on` for `true`."
            )
        ),
    ]


class Anatomy(_Model, kw_only=True):
    """The anatomy a question is about, for mastery per spinal segment."""

    roots: Annotated[
        list[
            Annotated[
                str,
                Meta(
                    pattern=r"^(C[1-8]|T(?:[1-9]|1[0-2])|L[1-5]|S[1-5])$",
                    description="A spinal root: C1-C8, T1-T12, L1-L5, S1-S5.",
                ),
            ]
        ],
        Meta(
            description=(
                "The spinal roots the question is about, e.g. `[C5, C6]`; mastery per segment "
                "counts them."
            )
        ),
    ] = []
    muscles: Annotated[
        list[str], Meta(description="The muscles the question is about, e.g. `[deltoid]`.")
    ] = []
    regions: Annotated[
        list[str], Meta(description="The body regions the question is about, e.g. `[shoulder]`.")
    ] = []


class Choice(_Model, kw_only=True):
    """One option of a ``single`` or ``multiple`` question."""

    text: Annotated[NonEmptyText, Meta(description="The option, as trainees see it. " + PLAIN)]
    correct: Annotated[
        bool,
        Meta(description="`true` on a right option: one in `single`, one or more in `multiple`."),
    ] = False
    why: Annotated[
        str | None,
        Meta(description="Shown for this option after the answer: why it is right or wrong."),
    ] = None
    unsafe: Annotated[bool, Meta(description="Picking this option would harm a patient.")] = False


SingleChoices = Annotated[
    list[Choice],
    Meta(
        min_length=2,
        max_length=8,
        description="2 to 8 options `{text, correct, why, unsafe}`; exactly one is correct.",
    ),
]
MultipleChoices = Annotated[
    list[Choice],
    Meta(
        min_length=2,
        max_length=8,
        description="2 to 8 options `{text, correct, why, unsafe}`; one or more are correct.",
    ),
]


class QuestionBase(_Model, tag_field="type", kw_only=True):
    """Fields that every question type has."""

    id: Identifier
    topic: Annotated[str, Meta(description="A topic id from the bank's `topics`.")]
    prompt: Annotated[Markdown, Meta(min_length=1, description="The question. " + MARKDOWN)]
    explanation: Annotated[
        Markdown,
        Meta(description="Shown after the answer: why it is right, and the principle. " + MARKDOWN),
    ] = ""
    refs: Annotated[list[str], Meta(description="Keys of the bank's `sources`; at least one.")]
    difficulty: Difficulty
    tags: Annotated[
        list[str], Meta(description="Free words to choose questions by, e.g. `[shoulder]`.")
    ] = []
    case: Annotated[
        str | None,
        Meta(description="A case id from the bank's `cases`: the question is shown under it."),
    ] = None
    anatomy: Annotated[
        Anatomy | None,
        Meta(description="The roots, muscles and regions the question is about."),
    ] = None
    shuffle: Annotated[bool, Meta(description="Shuffle the options each session.")] = True

    @property
    def kind(self) -> str:
        """The question's ``type`` as written in the bank."""
        return type(self).__struct_config__.tag  # type: ignore[return-value]


class SingleChoice(QuestionBase, tag="single"):
    """One best answer among 2-8 choices."""

    choices: SingleChoices


class MultipleChoice(QuestionBase, tag="multiple"):
    """Select all that apply; partial credit."""

    choices: MultipleChoices


class TrueFalse(QuestionBase, tag="true_false"):
    """A statement that is true or false."""

    answer: Annotated[bool, Meta(description="`true` or `false`: whether the prompt is true.")]
    why_true: Annotated[
        str | None,
        Meta(description="Shown to a trainee who answered true: why that is right or wrong."),
    ] = None
    why_false: Annotated[
        str | None,
        Meta(description="Shown to a trainee who answered false: why that is right or wrong."),
    ] = None


Pair = Annotated[
    tuple[NonEmptyText, NonEmptyText],
    Meta(description="`[left, right]`: a left item and its match."),
]


class Matching(QuestionBase, tag="matching"):
    """Match each left item to its right item."""

    pairs: Annotated[
        list[Pair],
        Meta(
            min_length=2,
            description="At least 2 `[left, right]` pairs; trainees match each left to its right.",
        ),
    ]
    distractors: Annotated[
        list[NonEmptyText], Meta(description="Extra right-hand items that match nothing.")
    ] = []


class Ordering(QuestionBase, tag="ordering"):
    """Put the items in order; ``items`` lists them in the correct order."""

    items: Annotated[
        list[NonEmptyText],
        Meta(min_length=2, description="At least 2 items, in the correct order; shown shuffled."),
    ]


class ShortAnswer(QuestionBase, tag="short"):
    """A typed answer, compared ignoring case, spacing and punctuation."""

    answers: Annotated[
        list[NonEmptyText],
        Meta(description="Accepted answers, compared ignoring case, spacing and punctuation."),
    ] = []
    patterns: Annotated[
        list[str],
        Meta(
            description=(
                "Regular expressions (RE2 syntax; no lookaround or backreferences) that also "
                "accept an answer: each must match the whole answer, case ignored. Put them in "
                "single quotes."
            )
        ),
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
    title: Annotated[NonEmptyText, Meta(description="The bank's name, as trainees see it.")]
    description: Annotated[str, Meta(description="A sentence or two on what the bank covers.")] = ""
    version: Annotated[
        str, Meta(description='The author\'s own version string, read as text: 1.10 is "1.10".')
    ] = ""
    authors: Annotated[
        list[str], Meta(description="The authors' names, e.g. `[Ann Example]`.")
    ] = []
    license: Annotated[
        str, Meta(description="The licence of the bank's content, e.g. `CC-BY-4.0`.")
    ] = ""
    reviewed: Annotated[
        list[Review],
        Meta(description='Who checked the content, and when: `{by: ..., "on": ...}` entries.'),
    ] = []
    topics: Annotated[
        dict[str, Topic | str],
        Meta(
            min_length=1,
            description=(
                "Topic id -> its title, or `{title, description}`. Every question names one; "
                "mastery is tracked per topic."
            ),
        ),
    ]
    sources: Annotated[
        dict[str, Source | str],
        Meta(
            min_length=1,
            description=(
                "Source key -> its citation, or `{citation, url}`. Questions cite keys in `refs`."
            ),
        ),
    ]
    cases: Annotated[
        dict[str, Case],
        Meta(description="Case id -> `{title, vignette}`: a vignette several questions share."),
    ] = {}
    questions: Annotated[
        list[Question],
        Meta(description="The questions; each one's `type` decides its answer keys."),
    ]

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
