"""Bank text printed by the CLI is inert: no control character reaches the terminal raw.

Defence in depth (issue 15): the loader rejects banks with terminal controls, so these tests do
not go through it. They build the hostile bank as objects (``msgspec.structs.replace`` on the
test bank), hand the CLI a library of it by patching ``quiz.banks.loader``'s discovery, and
write hostile text into the progress store through the service (an unsafe option's text, a
typed answer, a profile name), which is how a bank loaded by an older, laxer version would
leave it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click.testing
import msgspec
import pytest
from click.testing import CliRunner

import quiz.banks.loader
from quiz.banks.diagnostics import Diagnostic, Severity
from quiz.banks.loader import Library, LoadedBank
from quiz.cli import main
from quiz.domain.grading import ChoiceResponse, TextResponse
from quiz.domain.model import Bank, Choice, MultipleChoice, Question
from quiz.domain.session import Mode, SessionPlan
from quiz.service import Trainer
from quiz.settings import Settings
from tests.engine_helpers import bank_from_yaml

HOSTILE = "\x1b]0;pwned\x07 \x1b[2J \x9b31m \u202eevil"
SHOWN = "\\x1b]0;pwned\\x07 \\x1b[2J \\x9b31m \\u202eevil"
"""What :func:`quiz.domain.text.visible` makes of ``HOSTILE``."""
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Every character that must never reach the terminal raw."""
PROFILE = "eve\x1b[2J"


def hostile_bank() -> Bank:
    bank = bank_from_yaml()

    def poisoned(question: Question) -> Question:
        if question.id == "c5-myotome":
            return msgspec.structs.replace(question, prompt=f"{HOSTILE} prompt")
        if isinstance(question, MultipleChoice):
            choices = [
                msgspec.structs.replace(choice, text=f"{choice.text} {HOSTILE}")
                if choice.unsafe
                else choice
                for choice in question.choices
            ]
            return msgspec.structs.replace(question, choices=choices)
        return question

    topics: dict[str, object] = {key: f"{HOSTILE} {key}" for key in bank.topics}
    return msgspec.structs.replace(
        bank,
        title=f"Title {HOSTILE}",
        topics=topics,
        questions=[poisoned(question) for question in bank.questions],
    )


@pytest.fixture
def library(monkeypatch: pytest.MonkeyPatch) -> Library:
    bank = hostile_bank()
    broken = Diagnostic(
        path=f"broken{HOSTILE}.yaml",
        line=3,
        column=7,
        severity=Severity.ERROR,
        code="invalid-value",
        message=f"quoting the file: {HOSTILE}",
        question="q1",
    )
    built = Library(
        banks={bank.id: LoadedBank(path=Path(f"banks/{HOSTILE}.yaml"), bank=bank)},
        skipped=[LoadedBank(path=Path(broken.path), bank=None, diagnostics=[broken])],
    )
    monkeypatch.setattr(quiz.banks.loader, "discover", lambda *args, **kwargs: built)
    monkeypatch.setattr(quiz.banks.loader, "load_library", lambda *args, **kwargs: built)
    monkeypatch.setattr(quiz.banks.loader, "find_bank_files", lambda *args: [Path(broken.path)])
    return built


@pytest.fixture
def db(tmp_path: Path, library: Library) -> Path:
    """A store with hostile text in it: an unsafe pick, a typed answer, a profile name."""
    path = tmp_path / "progress.sqlite3"
    trainer = Trainer.open(Settings(profile=PROFILE, db_url=str(path)), library)
    session = trainer.start_session(
        SessionPlan(
            Mode.PRACTICE,
            question_keys=("ims-test/clean-technique", "ims-test/elbow-root"),
            seed=1,
        )
    )
    for index, item in enumerate(session.items):
        if item.question.id == "clean-technique":
            choices: list[Choice] = item.question.choices  # type: ignore[union-attr]
            unsafe = next(i for i, choice in enumerate(choices) if choice.unsafe)
            session.answer(index, ChoiceResponse(frozenset({0, unsafe})), 9.0)
        else:
            session.answer(index, TextResponse(HOSTILE), 9.0)
    session.finish()
    trainer.close()
    return path


def run(*args: str) -> click.testing.Result:
    # Wide enough that Rich folds no cell: the tests look for whole strings.
    result = CliRunner(env={"COLUMNS": "250"}).invoke(main, list(args), catch_exceptions=False)
    assert RAW.search(result.stdout) is None, repr(result.stdout)
    return result


def test_banks_table_shows_controls_as_escapes(library: Library) -> None:
    output = run("banks").stdout
    assert f"Title {SHOWN}" in output and f"banks/{SHOWN}.yaml" in output
    assert f"broken{SHOWN}.yaml:3:7" in output  # the skipped bank's first problem


def test_banks_json_escapes_every_control_and_keeps_the_text(library: Library) -> None:
    output = run("banks", "--json").stdout
    assert "\\u009b" in output and "\\u202e" in output
    payload = json.loads(output)
    assert payload["banks"][0]["title"] == f"Title {HOSTILE}"


def test_validate_prints_diagnostics_inert(library: Library) -> None:
    result = run("validate")
    assert f"quoting the file: {SHOWN}" in result.stdout
    assert f"broken{SHOWN}.yaml:3:7: error[invalid-value]" in result.stdout
    diagnostic = json.loads(run("validate", "--format", "json").stdout)["diagnostics"][0]
    assert diagnostic["message"] == f"quoting the file: {HOSTILE}"
    assert diagnostic["question"] == "q1"


def test_stats_shows_topic_titles_and_profile_inert(db: Path) -> None:
    output = run("stats", "--db", str(db), "--profile", PROFILE).stdout
    assert "Profile eve\\x1b[2J" in output
    assert "\\x1b]0;pwned" in output
    payload = json.loads(run("stats", "--json", "--db", str(db), "--profile", PROFILE).stdout)
    assert payload["profile"] == PROFILE
    assert payload["unsafe"][0]["option"].endswith(HOSTILE)


def test_export_csv_is_inert_and_json_is_lossless(db: Path) -> None:
    csv_text = run("export", "--db", str(db), "--profile", PROFILE).stdout
    assert "eve\\x1b[2J" in csv_text
    assert SHOWN in csv_text  # the unsafe option's text, and the typed answer
    records = json.loads(
        run("export", "--format", "json", "--db", str(db), "--profile", PROFILE).stdout
    )
    assert {record["profile"] for record in records} == {PROFILE}
    typed = next(r for r in records if r["response"]["kind"] == "text")
    assert typed["response"]["text"] == HOSTILE


def test_items_shows_stems_and_distractors_inert(db: Path) -> None:
    output = run("items", "--db", str(db), "--min-trainees", "1").stdout
    assert "ims-test/c5-myotome" in output
    assert "\\x1b]0;pwned" in output  # c5-myotome's stem, first line
    json.loads(run("items", "--json", "--db", str(db)).stdout)
