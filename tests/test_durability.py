"""Answers survive a killed app, and two apps can record into one database.

Each test runs real processes (``python -c``) against one database, on SQLite and on PostgreSQL
(the ``db_url`` fixture, tests/conftest.py). They are paced by pipes,
never by sleeping: a worker answers one question per line it reads and reports each answer
after :meth:`ActiveSession.answer` has returned.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.domain.scheduling import new_card, review
from quiz.domain.session import Mode
from quiz.service import Trainer
from quiz.settings import Settings
from tests.engine_helpers import library_in, write_bank

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

TESTS = Path(__file__).parent

WORKER = """
import sys
from datetime import timedelta
from pathlib import Path

from tests.engine_helpers import T0, right
from quiz.banks.loader import load_library
from quiz.domain.session import Mode, SessionPlan
from quiz.service import Trainer
from quiz.settings import Settings

bank_file, db, profile, mode, sessions, app = sys.argv[1:7]
answered = 0
# 11 minutes between answers, the two apps a step apart: every answer, the other app's to the
# same question included, comes over 10 minutes after a key was seen, and reviews its card
def clock():
    return T0 + timedelta(minutes=11) * (answered * 2 + int(app))
settings = Settings(profile=profile, db_url=db)
trainer = Trainer.open(settings, load_library([Path(bank_file)]), clock=clock)
for seed in range(int(sessions)):
    session = trainer.start_session(SessionPlan(Mode(mode), count=50, seed=seed))
    print(f"session {session.id} {len(session.items)}", flush=True)
    for index, item in enumerate(session.items):
        sys.stdin.readline()  # one line per answer; once stdin is closed, no more waiting
        session.answer(index, right(item.question), 5.0)
        answered += 1
        print(f"answered {index}", flush=True)
    session.finish()
print("done", flush=True)
"""


def start_worker(
    bank: Path, db: str, profile: str, mode: Mode, sessions: int = 1, app: int = 0
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS.parent), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(bank), db, profile, mode.value, str(sessions), str(app)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def read_line(process: subprocess.Popen[str], prefix: str) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith(prefix), f"expected {prefix!r}, got {line!r} (exit {process.poll()})"
    return line


@pytest.mark.parametrize("mode", [Mode.PRACTICE, Mode.EXAM])
def test_a_killed_app_loses_no_answer_it_reported(tmp_path: Path, db_url: str, mode: Mode) -> None:
    bank = write_bank(tmp_path / "banks")
    db = db_url
    worker = start_worker(bank, db, "ann", mode)
    assert worker.stdin is not None
    session_id = int(read_line(worker, "session").split()[1])
    reported = 4
    for _ in range(reported):
        worker.stdin.write("go\n")
        worker.stdin.flush()
        read_line(worker, "answered")
    # ask for one more and kill the app while it may be writing it
    worker.stdin.write("go\n")
    worker.stdin.flush()
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert worker.returncode == -signal.SIGKILL
    worker.stdout.close()  # type: ignore[union-attr]
    worker.stdin.close()

    if db.startswith("sqlite:///"):
        with sqlite3.connect(db.removeprefix("sqlite:///")) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
    trainer = Trainer.open(Settings(profile="ann", db_url=db), library_in(tmp_path / "again"))
    try:
        info = trainer.unfinished_session()
        assert info is not None and info.id == session_id
        assert reported <= info.answered <= reported + 1
        resumed = trainer.resume_session(session_id)
        assert set(range(reported)) <= set(resumed.answers)
        assert all(answer.grade.correct for answer in resumed.answers.values())
    finally:
        trainer.close()


def test_two_apps_record_into_one_database(tmp_path: Path, db_url: str) -> None:
    bank = write_bank(tmp_path / "banks")
    db = db_url
    Trainer.open(Settings(profile="ann", db_url=db), library_in(tmp_path / "b")).close()
    sessions = 3
    workers = [start_worker(bank, db, "ann", Mode.PRACTICE, sessions, app) for app in range(2)]
    for worker in workers:
        read_line(worker, "session")
    # Both are open and waiting: closing their input lets both write as fast as they can.
    for worker in workers:
        worker.stdin.close()  # type: ignore[union-attr]
    outputs = [worker.stdout.read() for worker in workers]  # type: ignore[union-attr]
    for worker, output in zip(workers, outputs, strict=True):
        worker.wait()
        worker.stdout.close()  # type: ignore[union-attr]
        assert worker.returncode == 0, output
        assert output.rstrip().endswith("done")

    trainer = Trainer.open(Settings(profile="ann", db_url=db), library_in(tmp_path / "again"))
    try:
        questions = trainer.summary().questions_total
        attempts = trainer.attempts()
        assert len(attempts) == 2 * sessions * questions
        logs = trainer.store.review_logs(trainer.profile_id)
        assert len(logs) == len(attempts)
        # Replaying each card's logs in commit order gives the stored card: no review was lost
        # to another app's concurrent write.
        cards = trainer.store.cards(trainer.profile_id)
        assert len(cards) == questions
        for key, card in cards.items():
            own = [log for k, log in logs if k == key]
            assert len(own) == 2 * sessions
            replayed = new_card(key, own[0].review_datetime)
            for log in own:
                replayed, _ = review(replayed, log.rating, log.review_datetime, 5.0)
            assert replayed.to_dict() == card.to_dict()
        assert trainer.unfinished_session() is None
    finally:
        trainer.close()
