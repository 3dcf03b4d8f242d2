"""Store faults end in a clear message, never a traceback or a hang.

Undecodable rows, a read that fails after opening, concurrent opens of a new SQLite file, and
an export that cannot be written. Tests taking ``db_url`` run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from quiz.cli import main
from quiz.domain.session import Mode, SessionPlan
from quiz.progress import StoreError
from quiz.progress.store import Store
from quiz.service import Trainer
from quiz.settings import Settings
from tests.engine_helpers import library_in, right, write_bank

TESTS = Path(__file__).parent


def practise(db_url: str, tmp_path: Path, answers: int = 3) -> None:
    trainer = Trainer.open(Settings(profile="ann", db_url=db_url), library_in(tmp_path / "lib"))
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=answers, seed=1))
    for index, item in enumerate(session.items):
        session.answer(index, right(item.question), 12.0)
    session.finish()
    trainer.close()


def spoil_attempt(db_url: str, attempt_id: int) -> None:
    """Give one attempt a response no ims-quiz wrote (valid JSON, unknown kind)."""
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE attempts SET response = :bad WHERE id = :id"),
            {"bad": '{"kind": "telepathy"}', "id": attempt_id},
        )
    engine.dispose()


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_an_undecodable_row_is_a_store_error_naming_it_or_is_skipped(
    db_url: str, tmp_path: Path
) -> None:
    practise(db_url, tmp_path)
    spoil_attempt(db_url, 2)
    store = Store.open(db_url)
    try:
        with pytest.raises(StoreError, match=r"unreadable row in attempts \(id 2"):
            store.attempts()
        skipped: list[str] = []
        assert [a.id for a in store.attempts(skipped=skipped)] == [1, 3]
        assert len(skipped) == 1 and "id 2" in skipped[0]
    finally:
        store.close()


def spoil_tally(db_url: str) -> None:
    """Give every question tally a mode no ims-quiz wrote."""
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE question_stats SET first_mode = 'telepathy'"))
    engine.dispose()


def test_stats_and_items_report_a_failed_read_and_export_skips_and_counts(
    db_url: str, tmp_path: Path
) -> None:
    bank_dir = tmp_path / "banks"
    write_bank(bank_dir)
    practise(db_url, tmp_path)
    spoil_attempt(db_url, 2)
    common = ("--profile", "ann", "--db", db_url, "--bank-dir", str(bank_dir))
    result = run("items", *common)
    assert result.exit_code == 1, result.output
    assert "reading your progress failed" in result.output
    assert "unreadable row in attempts (id 2" in result.output
    # stats read the per-question tallies, not the attempts: one bad attempt does not stop them
    result = run("stats", "--json", *common)
    assert result.exit_code == 0 and '"attempts": 3' in result.output
    spoil_tally(db_url)
    for command in (("stats",), ("stats", "--json")):
        result = run(*command, *common)
        assert result.exit_code == 1, result.output
        assert "reading your progress failed" in result.output
        assert "unreadable row in question_stats" in result.output

    result = run("export", "--format", "csv", *common)
    assert result.exit_code == 0
    assert "skipped 1 unreadable attempt(s), exporting the rest" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in rows] == ["1", "3"]


def test_a_damaged_page_mid_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bank_dir = tmp_path / "banks"
    write_bank(bank_dir)
    db = tmp_path / "progress.sqlite3"
    practise(f"sqlite:///{db}", tmp_path, answers=12)
    raw = sqlite3.connect(db)
    with raw:  # grow the attempts table over many pages
        raw.execute("UPDATE attempts SET content_hash = substr(hex(randomblob(32)), 1, 64)")
        for _ in range(6):
            raw.execute(
                "INSERT INTO attempts (profile_id, session_id, bank_id, question_id, "
                "content_hash, mode, response, score, correct, unsafe, seconds, answered_at, "
                "unsafe_choices) SELECT profile_id, session_id, bank_id, question_id, "
                "content_hash || hex(randomblob(200)), mode, response, score, correct, unsafe, "
                "seconds, answered_at, unsafe_choices FROM attempts"
            )
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    last_page = raw.execute("PRAGMA page_count").fetchone()[0]
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(db.read_bytes())
    start = (int(last_page) - 3) * int(page_size)  # a leaf page of attempts, near the end
    data[start : start + int(page_size)] = b"\xff" * int(page_size)
    db.write_bytes(bytes(data))
    for command in ("items", "export"):
        result = run(command, "--profile", "ann", "--db", str(db), "--bank-dir", str(bank_dir))
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert str(db) in result.output


OPENER = """
import sys
from quiz.progress import StoreError
from quiz.progress.store import Store

for round in range(int(sys.argv[2])):
    try:
        Store.open(f"sqlite:///{sys.argv[1]}/{round}.sqlite3").close()
    except StoreError as error:
        print("store error", error, flush=True)
print("done", flush=True)
"""


def test_apps_opening_new_sqlite_files_together_all_succeed(tmp_path: Path) -> None:
    """Each round, every app opens the same new file at once: WAL, schema and all."""
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    apps = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(tmp_path), "15"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    for app in apps:
        out, err = app.communicate(timeout=120)
        assert app.returncode == 0 and err == "", err
        assert out == "done\n", out


def test_a_failed_export_leaves_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank_dir = tmp_path / "banks"
    write_bank(bank_dir)
    db = tmp_path / "progress.sqlite3"
    practise(f"sqlite:///{db}", tmp_path)
    output = tmp_path / "out" / "answers.csv"
    output.parent.mkdir()
    common = ("--profile", "ann", "--db", str(db), "--bank-dir", str(bank_dir))
    assert run("export", "--output", str(output), *common).exit_code == 0
    before = output.read_bytes()
    assert before.count(b"\n") == 4

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = run("export", "--format", "json", "--output", str(output), *common)
    assert result.exit_code == 1
    assert f"cannot write {output}: No space left on device" in result.output
    assert output.read_bytes() == before
    assert [p.name for p in output.parent.iterdir()] == ["answers.csv"]  # no temp file left


def test_an_export_file_keeps_the_usual_permissions(tmp_path: Path) -> None:
    bank_dir = tmp_path / "banks"
    write_bank(bank_dir)
    db = tmp_path / "progress.sqlite3"
    output = tmp_path / "answers.json"
    common = ("--profile", "ann", "--db", str(db), "--bank-dir", str(bank_dir))
    assert run("export", "--format", "json", "-o", str(output), *common).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert output.stat().st_mode & 0o777 == 0o666 & ~umask
    assert output.read_text(encoding="utf-8").startswith("[")


def test_a_session_the_store_cannot_create_fails_whoever_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainer = Trainer.open(
        Settings(profile="ann", db_url=str(tmp_path / "p.sqlite3")),
        library_in(tmp_path / "l"),
        tz=UTC,
    )
    try:

        def broken(*args: object) -> int:
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(trainer.store, "create_session", broken)
        from quiz.service import new_session

        session = new_session(
            SessionPlan(Mode.PRACTICE, count=1, seed=1), trainer.banks(), now=trainer.now()
        )
        with pytest.raises(RuntimeError):
            trainer.keep(session)
        with pytest.raises(RuntimeError, match="disk on fire"):  # not a wait forever
            session.answer(0, right(session.items[0].question), 1.0)
    finally:
        trainer.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores modes")
def test_a_read_only_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match=f"The folder {folder} is read-only"):
            Store.open(f"sqlite:///{folder / 'progress.sqlite3'}")
    finally:
        folder.chmod(0o755)


def test_a_folder_sqlite_cannot_write_in_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a read-only folder (root ignores modes, so the refusal is SQLite's, simulated)."""
    from quiz.progress import store as store_module

    db = tmp_path / "progress.sqlite3"
    Store.open(f"sqlite:///{db}").close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode)
    )
    opened = Store.open(f"sqlite:///{db}")
    try:
        message = opened._message(
            sqlite3.OperationalError("attempt to write a readonly database"), "failed"
        )
    finally:
        opened.close()
    assert message == (
        f"the progress database {db} failed: attempt to write a readonly database. "
        f"The folder {tmp_path} is read-only for you (SQLite writes its -wal and -shm there): "
        "choose another place with --db or IMS_QUIZ_DB"
    )
    assert store_module.write_problem(db) is not None
