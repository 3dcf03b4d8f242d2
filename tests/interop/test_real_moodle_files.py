"""Opt-in: import every Moodle XML and GIFT file in $IMS_QUIZ_MOODLE_FIXTURES.

Moodle's own fixture files are GPL, so none ships here; point the variable at a folder of them
(for example question/format/xml/tests/fixtures and question/format/gift/tests/fixtures of a
Moodle checkout) to check that each imports, or is refused with a located diagnostic, and that
what is written validates.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quiz.banks.loader import load_bank_file
from quiz.interop import ImportProblem
from quiz.interop.gift_read import import_gift
from quiz.interop.moodle_read import import_moodle_xml
from quiz.interop.yamlwrite import bank_yaml

FOLDER = os.environ.get("IMS_QUIZ_MOODLE_FIXTURES")
FILES = (
    sorted(p for p in Path(FOLDER).rglob("*") if p.suffix.lower() in (".xml", ".gift", ".txt"))
    if FOLDER
    else []
)


@pytest.mark.skipif(not FOLDER, reason="set IMS_QUIZ_MOODLE_FIXTURES to a folder of Moodle files")
@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_real_file_imports_or_is_refused_cleanly(path: Path, tmp_path: Path) -> None:
    reader = import_moodle_xml if path.suffix.lower() == ".xml" else import_gift
    try:
        result = reader(path.read_bytes(), str(path))
    except ImportProblem as problem:
        assert problem.format().startswith(str(path))
        return
    written = tmp_path / "bank.yaml"
    written.write_text(bank_yaml(result.bank), encoding="utf-8")
    loaded = load_bank_file(written)
    assert loaded.bank is not None or not result.bank.questions, [d.format() for d in loaded.errors]
