"""Anki export: stable GUIDs, fixed ids, decks per topic, reproducible bytes."""

from __future__ import annotations

import sqlite3
import sys
import zipfile
from pathlib import Path

import msgspec
import pytest

from quiz import paths
from quiz.banks.loader import load_bank_file
from quiz.domain.model import Bank

pytest.importorskip("genanki")

from quiz.interop.anki import (  # noqa: E402  (after the skip: genanki is an optional extra)
    CHOICE_MODEL_ID,
    INSTALL_HINT,
    AnkiMissing,
    export_anki,
)


def _bank(name: str = "needling-safety") -> Bank:
    bank = load_bank_file(paths.shipped_bank_dir() / f"{name}.yaml").bank
    assert bank is not None
    return bank


def _notes(apkg: Path, tmp_path: Path) -> list[tuple[str, str, str, int]]:
    with zipfile.ZipFile(apkg) as package:
        db = tmp_path / f"{apkg.stem}.anki2"
        db.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(db) as connection:
        return list(connection.execute("select guid, flds, tags, mid from notes order by guid"))


def test_reexport_after_an_edit_keeps_guids(tmp_path: Path) -> None:
    bank = _bank()
    first = tmp_path / "first.apkg"
    export_anki(bank, first)
    edited = msgspec.structs.replace(
        bank,
        questions=[
            msgspec.structs.replace(q, prompt=q.prompt + " (edited)") for q in bank.questions
        ],
    )
    second = tmp_path / "second.apkg"
    export_anki(edited, second)
    before, after = _notes(first, tmp_path), _notes(second, tmp_path)
    assert [n[0] for n in before] == [n[0] for n in after]
    assert len(before) == len(bank.questions)
    assert all("(edited)" in n[1] for n in after)


def test_output_is_reproducible(tmp_path: Path) -> None:
    one, two = tmp_path / "one.apkg", tmp_path / "two.apkg"
    export_anki(_bank(), one)
    export_anki(_bank(), two)
    assert one.read_bytes() == two.read_bytes()


def test_decks_tags_and_backs(tmp_path: Path) -> None:
    bank = _bank("point-selection")
    target = tmp_path / "ps.apkg"
    warnings = export_anki(bank, target)
    assert any(w.code == "anki-reveal-only" for w in warnings)
    with zipfile.ZipFile(target) as package:
        db = tmp_path / "c.anki2"
        db.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(db) as connection:
        (decks,) = connection.execute("select decks from col").fetchone()
        notes = list(connection.execute("select flds, tags, mid from notes"))
    assert f"IMS::{bank.title}::" in decks
    tags = " ".join(n[1] for n in notes)
    assert "ims::bank::point-selection" in tags and "ims::difficulty::" in tags
    assert "ims::root::C5" in tags
    choice = [n for n in notes if n[2] == CHOICE_MODEL_ID]
    assert choice and all("References:" in n[0] for n in choice)
    assert "<script" not in " ".join(n[0] for n in notes)


def test_unsafe_options_are_marked(tmp_path: Path) -> None:
    target = tmp_path / "s.apkg"
    export_anki(_bank(), target)
    fields = " ".join(n[1] for n in _notes(target, tmp_path))
    assert "UNSAFE" in fields


def test_without_genanki_the_message_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "genanki", None)
    with pytest.raises(AnkiMissing) as caught:
        export_anki(_bank(), tmp_path / "x.apkg")
    assert str(caught.value) == INSTALL_HINT
    assert "pip install 'ims-quiz[anki]'" in INSTALL_HINT
