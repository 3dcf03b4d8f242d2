"""``import-bank`` and ``export-bank`` through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quiz import paths
from quiz.banks.loader import load_bank_file
from quiz.cli import main
from tests.interop.strategies import without_patterns

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_export_then_import_restores_a_shipped_bank(tmp_path: Path) -> None:
    xml = tmp_path / "safety.xml"
    exported = run("export-bank", "needling-safety", "--format", "moodle-xml", "-o", str(xml))
    assert exported.exit_code == 0, exported.output
    assert xml.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    written = tmp_path / "back.yaml"
    imported = run("import-bank", str(xml), "-o", str(written))
    assert imported.exit_code == 0, imported.output
    loaded = load_bank_file(written)
    original = load_bank_file(paths.shipped_bank_dir() / "needling-safety.yaml").bank
    assert original is not None
    assert loaded.ok and loaded.bank == without_patterns(original)
    assert "|\n" in written.read_text() or "|-\n" in written.read_text()  # block scalars


def test_export_a_bank_file_to_stdout(tmp_path: Path) -> None:
    path = paths.shipped_bank_dir() / "ims-vs-tcm.yaml"
    result = run("export-bank", str(path), "--format", "moodle-xml")
    assert result.exit_code == 0
    assert "<quiz>" in result.stdout and 'type="multichoice"' in result.stdout


def test_an_unknown_bank_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["export-bank", "no-such-bank", "--format", "moodle-xml"])
    assert result.exit_code == 2
    assert "no bank 'no-such-bank'" in result.output


def test_import_by_hand_then_strict_validation_lists_what_is_left(tmp_path: Path) -> None:
    written = tmp_path / "limb.yaml"
    result = run(
        "import-bank", str(FIXTURES / "moodle_by_hand.xml"), "-o", str(written), "--bank-id", "limb"
    )
    assert result.exit_code == 0, result.output
    assert "skipped 1 cloze, 1 description, 1 essay, 1 numerical" in result.stdout
    assert "warning[skipped-type]" in result.stderr
    loaded = load_bank_file(written)
    assert loaded.ok and loaded.bank is not None and loaded.bank.id == "limb"
    strict = CliRunner().invoke(main, ["validate", "--strict", str(written)])
    assert strict.exit_code == 1
    assert "todo-after-import" in strict.output  # the unused placeholder source, located
    assert "warning" not in strict.output.split("error[unused-source]")[0].splitlines()[-1]


def test_import_refuses_to_overwrite(tmp_path: Path) -> None:
    written = tmp_path / "limb.yaml"
    written.write_text("keep me")
    result = CliRunner().invoke(
        main, ["import-bank", str(FIXTURES / "moodle_by_hand.xml"), "-o", str(written)]
    )
    assert result.exit_code == 1 and "--force" in result.output
    assert written.read_text() == "keep me"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<quiz>\n<question>\n</quiz>", "xml-syntax"),
        (b'<!DOCTYPE quiz [<!ENTITY a "b">]><quiz>&a;</quiz>', "xml-forbidden"),
    ],
)
def test_bad_xml_is_a_located_error_not_a_traceback(
    tmp_path: Path, content: bytes, code: str
) -> None:
    source = tmp_path / "bad.xml"
    source.write_bytes(content)
    result = CliRunner().invoke(main, ["import-bank", str(source), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 1
    assert f"{source}:" in result.stderr and f"error[{code}]" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.yaml").exists()


def test_warnings_from_a_hostile_file_are_inert(tmp_path: Path) -> None:
    source = tmp_path / "hostile.xml"
    source.write_text(
        '<quiz><question type="essay"><name><text>x\u009b2J\u202e</text></name></question></quiz>',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import-bank", str(source), "-o", str(tmp_path / "o.yaml")])
    assert "\u009b" not in result.output and "\u202e" not in result.output
    assert "\\x9b" in result.stderr


def test_gift_export_and_import(tmp_path: Path) -> None:
    gift = tmp_path / "tcm.gift"
    exported = run("export-bank", "ims-vs-tcm", "--format", "gift", "-o", str(gift))
    assert exported.exit_code == 0
    imported = run("import-bank", str(gift), "-o", str(tmp_path / "tcm.yaml"))
    assert imported.exit_code == 0, imported.output
    assert load_bank_file(tmp_path / "tcm.yaml").ok


def test_anki_export(tmp_path: Path) -> None:
    pytest.importorskip("genanki")
    target = tmp_path / "deck.apkg"
    result = run("export-bank", "point-selection", "--format", "anki", "-o", str(target))
    assert result.exit_code == 0
    assert target.stat().st_size > 1000
    assert "warning[anki-reveal-only]" in result.stderr


def test_anki_export_without_genanki(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "genanki", None)
    result = CliRunner().invoke(
        main, ["export-bank", "point-selection", "--format", "anki", "-o", str(tmp_path / "d")]
    )
    assert result.exit_code == 1
    assert "pip install 'ims-quiz[anki]'" in result.output
