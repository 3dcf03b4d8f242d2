"""Several apps on one profile, on SQLite and on PostgreSQL: no answer and no review is lost.

Real processes start together on an empty database (so they race to build the schema, create
the profile and create each new card), then answer the same questions as fast as they can.
Afterwards every answer is recorded, every card equals the replay of its own review logs in
commit order, and no worker saw an error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.domain.scheduling import new_card, review
from quiz.service import Trainer
from quiz.settings import Settings
from tests.engine_helpers import library_in, write_bank

TESTS = Path(__file__).parent

APPS = 4  # the worker's clock spaces its answers by this
SESSIONS = 3

WORKER = """
import sys
from datetime import timedelta
from pathlib import Path

from tests.engine_helpers import T0, right, wrong
from quiz.banks.loader import load_library
from quiz.domain.session import Mode, SessionPlan
from quiz.service import Trainer
from quiz.settings import Settings

bank_file, db, profile, sessions, app = sys.argv[1:6]
library = load_library([Path(bank_file)])
print("ready", flush=True)
sys.stdin.readline()  # every app opens the (empty) database at the same moment
answered = 0
# Each answer 11 minutes after the last, the apps a step apart: every answer, including the
# other apps' answers to the same question, lies outside the 10 minutes after its key was seen,
# so every one reviews its card.
def clock():
    return T0 + timedelta(minutes=11) * (answered * 4 + int(app))
trainer = Trainer.open(Settings(profile=profile, db_url=db), library, clock=clock)
for seed in range(int(sessions)):
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, count=50, seed=seed))
    for index, item in enumerate(session.items):
        how = right if (index + seed + int(app)) % 3 else wrong
        session.answer(index, how(item.question), 5.0 + index)
        answered += 1
    session.finish()
trainer.close()
print(f"done {answered}", flush=True)
"""


def start(bank: Path, db: str, app: int, errors: Path) -> subprocess.Popen[str]:
    """An app (its stderr goes to ``errors``) that opens the database once it reads a line."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS.parent), os.environ.get("PYTHONPATH", "")]),
    }
    with errors.open("w") as stderr:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-c", WORKER, str(bank), db, "ann", str(SESSIONS), str(app)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
        )


@pytest.mark.skipif(sys.platform == "win32", reason="pipes and fork timing")
def test_several_apps_on_one_profile_lose_no_answer_and_no_review(
    tmp_path: Path, db_url: str
) -> None:
    bank = write_bank(tmp_path / "banks")
    errors = [tmp_path / f"app{app}.err" for app in range(APPS)]
    workers = [start(bank, db_url, app, errors[app]) for app in range(APPS)]
    for worker, error in zip(workers, errors, strict=True):
        line = worker.stdout.readline()  # type: ignore[union-attr]
        assert line == "ready\n", (line, error.read_text())
    for worker in workers:  # go, all at once
        worker.stdin.close()  # type: ignore[union-attr]
    answered = 0
    for worker, error in zip(workers, errors, strict=True):
        out = worker.stdout.read()  # type: ignore[union-attr]
        worker.wait(timeout=120)
        worker.stdout.close()  # type: ignore[union-attr]
        err = error.read_text()
        assert worker.returncode == 0, err
        assert err == "", err  # no traceback, no warning
        answered += int(out.split()[-1])

    trainer = Trainer.open(Settings(profile="ann", db_url=db_url), library_in(tmp_path / "b"))
    try:
        questions = trainer.summary().questions_total
        assert answered == APPS * SESSIONS * questions
        attempts = trainer.attempts()
        assert len(attempts) == answered  # no answer lost
        logs = trainer.store.review_logs(trainer.profile_id)
        assert len(logs) == answered
        cards = trainer.store.cards(trainer.profile_id)
        assert len(cards) == questions
        differing = []
        for key, card in cards.items():
            own = [log for k, log in logs if k == key]
            assert len(own) == APPS * SESSIONS
            replayed = new_card(key, own[0].review_datetime)
            for log in own:
                replayed, _ = review(
                    replayed, log.rating, log.review_datetime, (log.review_duration or 0) / 1000
                )
            if replayed.to_dict() != card.to_dict():
                differing.append(key)
        assert differing == [], f"{len(differing)} of {len(cards)} cards lost a review"
    finally:
        trainer.close()
