"""Problem reports: a trainee's note on a question, stored with its content hash, listed by
``ims-quiz reports`` and counted by ``ims-quiz items`` while the question is unedited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.domain.model import content_hash
from quiz.domain.reports import (
    NOTE_MAX,
    ProblemReport,
    ReportState,
    clean_note,
    current_hashes,
    open_report_counts,
    report_state,
)
from quiz.domain.session import Mode, SessionPlan
from quiz.progress.store import Store
from quiz.service import Trainer
from quiz.settings import Settings
from tests.engine_helpers import BANK_YAML, T0, bank_from_yaml, library_in, write_bank

BANK = bank_from_yaml()


def report(question_id: str, hash_: str, note: str = "key is wrong") -> ProblemReport:
    return ProblemReport(
        bank_id=BANK.id, question_id=question_id, content_hash=hash_, note=note, reported_at=T0
    )


# --- the rule -------------------------------------------------------------------------------------


def test_a_report_is_open_until_its_question_is_edited_or_removed() -> None:
    hashes = current_hashes([BANK])
    question = BANK.questions[0]
    current = content_hash(question)
    assert report_state(report(question.id, current), hashes) is ReportState.OPEN
    assert report_state(report(question.id, "0" * 16), hashes) is ReportState.EDITED
    assert report_state(report("no-such-question", current), hashes) is ReportState.GONE
    counts = open_report_counts(
        [report(question.id, current), report(question.id, current), report(question.id, "x")],
        hashes,
    )
    assert counts == {f"{BANK.id}/{question.id}": 2}


def test_a_note_is_trimmed_capped_and_never_empty() -> None:
    assert clean_note("  unclear wording \n") == "unclear wording"
    assert len(clean_note("x" * (NOTE_MAX + 50))) == NOTE_MAX
    with pytest.raises(ValueError, match="needs a note"):
        clean_note("   ")


# --- the store, on SQLite and PostgreSQL ----------------------------------------------------------


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def test_the_store_keeps_reports_with_their_profile(store: Store) -> None:
    ann = store.profile_id("ann", T0)
    bob = store.profile_id("bob", T0)
    first = store.add_report(ann, report("c5-myotome", "abc", "two answers are right"))
    second = store.add_report(bob, report("knee-apex", "def", "unsafe option is not marked"))
    assert first != second
    kept = store.reports()
    assert [(r.id, r.profile, r.key, r.content_hash, r.note) for r in kept] == [
        (first, "ann", "ims-test/c5-myotome", "abc", "two answers are right"),
        (second, "bob", "ims-test/knee-apex", "def", "unsafe option is not marked"),
    ]
    assert kept[0].reported_at == T0


# --- the trainer and the commands -----------------------------------------------------------------


def _report_from_a_session(tmp_path: Path, db: Path, note: str) -> str:
    """Report ``note`` on the first question of a practice session; returns its key."""
    settings = Settings(profile="ann", db_url=str(db))
    trainer = Trainer.open(settings, library_in(tmp_path / "lib"), clock=lambda: T0, tz=UTC)
    try:
        session = trainer.start_session(SessionPlan(Mode.PRACTICE, seed=3, count=1))
        item = session.items[0]
        stored = trainer.report_problem(item, f"  {note}  ")
        assert stored.id is not None and stored.profile == "ann" and stored.note == note
        assert stored.content_hash == content_hash(item.question)
        with pytest.raises(ValueError):
            trainer.report_problem(item, "")
        assert [r.key for r in trainer.problem_reports()] == [item.key]
        return item.key
    finally:
        trainer.close()


def test_reports_and_items_list_an_open_report(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    key = _report_from_a_session(tmp_path, db, "the explanation cites the wrong root")
    folder = tmp_path / "banks"
    write_bank(folder)
    common = ["--db", str(db), "--bank-dir", str(folder)]
    runner = CliRunner(env={"COLUMNS": "200"})
    listed = runner.invoke(main, ["reports", *common])
    assert listed.exit_code == 0, listed.output
    assert key in listed.output and "the explanation cites the wrong root" in listed.output
    assert "1 open, 0 closed" in listed.output
    (row,) = json.loads(runner.invoke(main, ["reports", "--json", *common]).output)
    assert row["bank_id"] == "ims-test" and row["state"] == "open" and row["profile"] == "ann"
    items = runner.invoke(main, ["items", "--alerts", *common])
    assert key in items.output and "1 open report" in items.output
    assert "1 question(s) with open problem reports" in items.output
    rows = json.loads(runner.invoke(main, ["items", "--json", *common]).output)
    assert {r["key"]: r["open_reports"] for r in rows if r["open_reports"]} == {key: 1}


def test_editing_the_question_closes_its_report(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    key = _report_from_a_session(tmp_path, db, "typo")
    folder = tmp_path / "banks"
    edited = BANK_YAML.replace("explanation: x", "explanation: edited")  # every question's
    write_bank(folder, edited)
    assert current_hashes([bank_from_yaml(edited)])[key] != current_hashes([BANK])[key]
    common = ["--db", str(db), "--bank-dir", str(folder)]
    runner = CliRunner(env={"COLUMNS": "200"})
    listed = runner.invoke(main, ["reports", *common])
    assert "No open problem reports." in listed.output
    assert "1 closed report(s): --all lists them." in listed.output
    assert "edited" in runner.invoke(main, ["reports", "--all", *common]).output
    rows = json.loads(runner.invoke(main, ["items", "--json", *common]).output)
    assert all(r["open_reports"] == 0 for r in rows)


def test_no_reports_yet(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["reports", "--db", str(tmp_path / "p.sqlite3")])
    assert result.exit_code == 0 and "No problem reports yet." in result.output
