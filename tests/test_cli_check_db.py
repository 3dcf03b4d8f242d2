"""``ims-quiz check-db [--repair]``: the progress database checked, cards rebuilt from logs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from quiz.cli import main
from tests.test_cli_progress import practise


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_healthy_database_passes(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    practise(db, tmp_path)
    result = run("check-db", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "the database is healthy"


def test_a_card_that_differs_from_its_logs_is_named_and_repaired(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    practise(db, tmp_path)
    with sqlite3.connect(db) as connection:  # one card's stability, as if an update were lost
        connection.execute(
            "UPDATE cards SET card = json_set(card, '$.stability', 0.5) WHERE rowid = 1"
        )
    checked = run("check-db", "--db", str(db))
    assert checked.exit_code == 1
    assert "differs from its review logs" in checked.output
    assert "check-db --repair" in checked.output

    repaired = run("check-db", "--repair", "--db", str(db))
    assert repaired.exit_code == 0, repaired.output
    assert "rebuilt 1 card(s) from their review logs" in repaired.output
    assert list((tmp_path / "backups").glob("*")), "a backup is taken before the repair"
    assert run("check-db", "--db", str(db)).output.strip() == "the database is healthy"


def test_a_tally_that_differs_from_its_attempts_is_named_and_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    practise(db, tmp_path)
    with sqlite3.connect(db) as connection:  # as if an attempt were taken back but not its tally
        connection.execute("UPDATE question_stats SET attempts = attempts + 1 WHERE rowid = 1")
        connection.execute("DELETE FROM question_stats WHERE rowid = 2")
    checked = run("check-db", "--db", str(db))
    assert checked.exit_code == 1
    assert checked.output.count("differs from its attempts") == 2
    repaired = run("check-db", "--repair", "--db", str(db))
    assert repaired.exit_code == 0, repaired.output
    assert "rebuilt 2 tally(ies) from their attempts" in repaired.output
    assert run("check-db", "--db", str(db)).output.strip() == "the database is healthy"
