"""Anki decks out (.apkg), through genanki, imported only here.

Re-exporting after an edit updates the notes in place: a note's GUID comes from the bank id and
the question id only, and the note types and decks have fixed ids. A fixed timestamp and fixed
zip entry dates make the file the same bytes for the same bank.
"""

from __future__ import annotations

import hashlib
import html
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Final

from quiz.domain.model import (
    Bank,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from quiz.interop.report import InteropWarning

TIMESTAMP: Final = 1_767_225_600.0
"""2026-01-01T00:00:00Z: the notes' and cards' creation time, fixed so output is reproducible."""
CHOICE_MODEL_ID: Final = 1_607_392_319
SHORT_MODEL_ID: Final = 1_607_392_320
REVEAL_MODEL_ID: Final = 1_607_392_321
INSTALL_HINT: Final = "Anki export needs genanki: pip install 'ims-quiz[anki]'"

_CSS: Final = """
.card { font-family: sans-serif; font-size: 18px; text-align: left; color: black;
        background: white; max-width: 46em; margin: auto; }
.case { border-left: 4px solid #888; padding-left: .6em; margin-bottom: 1em; }
.key { font-weight: bold; }
.unsafe { color: #b00020; font-weight: bold; }
.refs { font-size: 14px; color: #444; }
ol.options li { margin: .2em 0; }
"""


class AnkiMissing(Exception):
    """genanki is not installed."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


def _id(*parts: str) -> int:
    """A stable id for a deck, in Anki's positive 31-bit range."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF or 1


def _html(text: str) -> str:
    """Bank text (Markdown or plain) as inert HTML: escaped, line breaks kept, **bold** bold."""
    escaped = html.escape(text.strip())
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    return escaped.replace("\n\n", "<br><br>").replace("\n", " ")


def _tag(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip())


def _tags(bank: Bank, question: Question) -> list[str]:
    tags = [
        f"ims::bank::{_tag(bank.id)}",
        f"ims::topic::{_tag(bank.id)}::{_tag(question.topic)}",
        f"ims::difficulty::{question.difficulty}",
    ]
    if question.anatomy is not None:
        tags += [f"ims::root::{_tag(root)}" for root in question.anatomy.roots]
    if isinstance(question, SingleChoice | MultipleChoice) and any(
        c.unsafe for c in question.choices
    ):
        tags.append("ims::unsafe")
    tags += [f"ims::tag::{_tag(tag)}" for tag in question.tags if tag.strip()]
    return tags


def _front(bank: Bank, question: Question) -> str:
    parts = []
    if question.case is not None and question.case in bank.cases:
        case = bank.cases[question.case]
        parts.append(
            f'<div class="case"><b>{_html(case.title)}</b><br>{_html(case.vignette)}</div>'
        )
    parts.append(f"<div>{_html(question.prompt)}</div>")
    return "".join(parts)


def _refs(bank: Bank, question: Question) -> str:
    items = []
    for key in question.refs:
        citation = bank.source(key).citation if key in bank.sources else key
        items.append(f"<li>{_html(citation)}</li>")
    explanation = f"<p>{_html(question.explanation)}</p>" if question.explanation.strip() else ""
    return f'{explanation}<div class="refs">References:<ul>{"".join(items)}</ul></div>'


def _choice_fields(question: Question) -> tuple[str, str, str]:
    """Options (front), key and every option's why (back), for the choice note type."""
    if isinstance(question, TrueFalse):
        options = "<ol class='options'><li>True</li><li>False</li></ol>"
        key = "True" if question.answer else "False"
        whys = (
            f"<p><b>True:</b> {_html(question.why_true or '')}</p>"
            f"<p><b>False:</b> {_html(question.why_false or '')}</p>"
        )
        return options, f'<span class="key">{key}</span>', whys
    assert isinstance(question, SingleChoice | MultipleChoice)
    letters = "abcdefgh"
    options = "".join(
        f"<li>{letters[i]}. {_html(c.text)}</li>" for i, c in enumerate(question.choices)
    )
    right = [letters[i] for i, c in enumerate(question.choices) if c.correct]
    whys = "".join(
        f"<p><b>{letters[i]}.</b> {'✓' if c.correct else '✗'}"
        + (' <span class="unsafe">UNSAFE</span>' if c.unsafe else "")
        + f" {_html(c.why or '')}</p>"
        for i, c in enumerate(question.choices)
    )
    label = "Select all that apply. " if isinstance(question, MultipleChoice) else ""
    return (
        f"{label}<ol class='options' style='list-style:none'>{options}</ol>",
        f'<span class="key">{", ".join(right)}</span>',
        whys,
    )


def _reveal_answer(question: Matching | Ordering) -> str:
    if isinstance(question, Ordering):
        items = "".join(f"<li>{_html(item)}</li>" for item in question.items)
        return f"<ol>{items}</ol>"
    rows = "".join(
        f"<tr><td>{_html(left)}</td><td>→ {_html(right)}</td></tr>"
        for left, right in question.pairs
    )
    extra = (
        f"<p>Matches nothing: {', '.join(_html(d) for d in question.distractors)}</p>"
        if question.distractors
        else ""
    )
    return f"<table>{rows}</table>{extra}"


def _reveal_front(question: Matching | Ordering) -> str:
    if isinstance(question, Ordering):
        shown = sorted(question.items, key=lambda item: hashlib.sha256(item.encode()).digest())
        return "Put in order:<ul>" + "".join(f"<li>{_html(i)}</li>" for i in shown) + "</ul>"
    lefts = "".join(f"<li>{_html(left)}</li>" for left, _ in question.pairs)
    rights = [right for _, right in question.pairs] + list(question.distractors)
    rights.sort(key=lambda item: hashlib.sha256(item.encode()).digest())
    return (
        f"Match:<ul>{lefts}</ul>with:<ul>"
        + "".join(f"<li>{_html(r)}</li>" for r in rights)
        + "</ul>"
    )


# (model id, name, fields, card name, front, back): the three note types, fixed so that a
# re-export updates the notes in place.
_MODELS = (
    (
        CHOICE_MODEL_ID,
        "ims-quiz choice",
        ("Question", "Options", "Key", "Whys", "Notes"),
        "Choice",
        "{{Question}}<br>{{Options}}",
        "{{FrontSide}}<hr id=answer>Answer: {{Key}}{{Whys}}{{Notes}}",
    ),
    (
        SHORT_MODEL_ID,
        "ims-quiz short answer",
        ("Question", "Answer", "Also", "Notes"),
        "Type the answer",
        "{{Question}}<br>{{type:Answer}}",
        "{{Question}}<hr id=answer>{{type:Answer}}{{Also}}{{Notes}}",
    ),
    (
        REVEAL_MODEL_ID,
        "ims-quiz reveal",
        ("Question", "Task", "Answer", "Notes"),
        "Reveal",
        "{{Question}}<br>{{Task}}",
        "{{FrontSide}}<hr id=answer>{{Answer}}{{Notes}}",
    ),
)


def _models(genanki: Any) -> tuple[Any, Any, Any]:
    """The choice, short-answer and reveal note types."""
    choice, short, reveal = (
        genanki.Model(
            model_id,
            name,
            fields=[{"name": field} for field in fields],
            templates=[{"name": card, "qfmt": front, "afmt": back}],
            css=_CSS,
        )
        for model_id, name, fields, card, front, back in _MODELS
    )
    return choice, short, reveal


def export_anki(bank: Bank, target: Path) -> list[InteropWarning]:
    """Write ``bank`` as an Anki package at ``target``; returns what Anki cannot grade.

    Raises:
        AnkiMissing: genanki is not installed.
        OSError: ``target`` cannot be written.
    """
    try:
        import genanki
    except ImportError:
        raise AnkiMissing() from None
    warnings: list[InteropWarning] = []
    choice_model, short_model, reveal_model = _models(genanki)
    decks: dict[str, Any] = {}
    for question in bank.questions:
        topic = (
            bank.topic(question.topic).title if question.topic in bank.topics else question.topic
        )
        deck_name = f"IMS::{bank.title}::{topic}".replace("\n", " ")
        if question.topic not in decks:
            decks[question.topic] = genanki.Deck(
                _id("ims-quiz", bank.id, question.topic), deck_name
            )
        front, notes = _front(bank, question), _refs(bank, question)
        if isinstance(question, SingleChoice | MultipleChoice | TrueFalse):
            options, key, whys = _choice_fields(question)
            model, fields = choice_model, [front, options, key, whys, notes]
        elif isinstance(question, ShortAnswer):
            also = ", ".join(_html(answer) for answer in question.answers[1:])
            main = question.answers[0] if question.answers else ""
            model = short_model
            fields = [
                front,
                html.escape(main),
                f"<p>Also accepted: {also}</p>" if also else "",
                notes,
            ]
            if question.patterns:
                warnings.append(
                    InteropWarning(
                        bank.id,
                        "patterns-lost",
                        "Anki compares the typed answer with the first answer only",
                        question=question.id,
                    )
                )
        else:
            assert isinstance(question, Matching | Ordering)
            model = reveal_model
            fields = [front, _reveal_front(question), _reveal_answer(question), notes]
            warnings.append(
                InteropWarning(
                    bank.id,
                    "anki-reveal-only",
                    f"Anki cannot grade {question.kind}: written as a note that reveals the answer",
                    question=question.id,
                )
            )
        note = genanki.Note(
            model=model,
            fields=fields,
            guid=genanki.guid_for(bank.id, question.id),
            tags=_tags(bank, question),
        )
        decks[question.topic].add_note(note)
    package = genanki.Package(list(decks.values()))
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.apkg"
        package.write_to_file(str(raw), timestamp=TIMESTAMP)
        _rezip_reproducibly(raw, target)
    return warnings


def _rezip_reproducibly(source: Path, target: Path) -> None:
    # genanki stamps each zip entry with the time of writing; fix the dates so that the same
    # bank gives the same bytes.
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as fixed:
        for entry in original.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            fixed.writestr(info, original.read(entry.filename))
