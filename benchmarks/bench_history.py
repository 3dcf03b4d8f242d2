"""A trainee's history against its budgets: a year of answers costs no more than an empty one.

For each history size (empty, then ``--sizes``, default 10k and 100k attempts of one trainee over
the shipped banks, generated through the store's own ``record_attempts`` so cards and review
logs are what real answering leaves) this times, each the median of ``--runs`` runs, in one
process on a fresh database per size:

* home summary:    banks found, store opened, ``Trainer.summary()`` (what the TUI home shows);
* progress screen: the same with ``Trainer.progress()``;
* review planning: the same with ``Trainer.start_session`` of a review session;
* stats --json:    ``ims-quiz stats --json`` as a child process;

and prints them side by side with the ratio to the empty history. On SQLite every size is
generated first and the sizes then take turns run by run, so a machine busy with other work
slows them alike. Budget (issue 10, on SQLite):
every ratio at 100k within 1.5x. Then ``ims-quiz export`` of the largest history runs in a child
process, whose peak RSS is printed against its budget (150 MB).

Run it with::

    .venv/bin/python benchmarks/bench_history.py [--sizes 10000,100000] [--runs 3] [--db URL]

``--db`` names a server database to use instead of SQLite (``postgresql://...``); each size
then empties and reuses it. Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

RATIO_BUDGET = 1.5
EXPORT_RSS_BUDGET_MB = 150
T0 = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _generate(url: str, size: int, seed: int = 7) -> None:
    """``size`` attempts of profile ann over a year, through the store (cards, logs and all)."""
    from quiz.banks.loader import discover
    from quiz.domain.grading import grade_response
    from quiz.domain.scheduling import graded_attempt
    from quiz.domain.session import Answer, Mode, SessionPlan
    from quiz.progress.store import Store
    from quiz.service import new_session
    from tests.engine_helpers import right, wrong

    store = Store.open(url)
    if size == 0:
        store.close()
        return
    banks = discover([]).usable()
    items = new_session(SessionPlan(Mode.PRACTICE, seed=seed), banks, now=T0).items
    rng = random.Random(seed)
    try:
        profile = store.profile_id("ann", T0)
        step = timedelta(days=365) / size
        batch = []
        for n in range(size):
            item = rng.choice(items)
            response = (right if rng.random() < 0.7 else wrong)(item.question)
            grade = grade_response(item.question, response)
            answer = Answer(0, response, grade, rng.uniform(5, 60))
            batch.append(
                graded_attempt(
                    item, answer, mode=Mode.PRACTICE, answered_at=T0 + n * step, session_id=None
                )
            )
            if len(batch) == 2000:
                store.record_attempts(profile, batch)
                batch = []
        if batch:
            store.record_attempts(profile, batch)
    finally:
        store.close()


def _screens(url: str, home: Path) -> dict[str, Callable[[], object]]:
    """Each screen as an app that has just started shows it: banks found (parse cache warm),
    store opened, the screen's data built; ``stats --json`` as a child process, as typed."""
    from quiz.banks.loader import discover
    from quiz.domain.session import Mode, SessionPlan
    from quiz.service import Trainer
    from quiz.settings import Settings

    now = T0 + timedelta(days=366)

    def screen(show: Callable[[Trainer], object]) -> Callable[[], object]:
        def run() -> object:
            trainer = Trainer.open(
                Settings(profile="ann", db_url=url), discover([]), clock=lambda: now
            )
            try:
                return show(trainer)
            finally:
                trainer.close()

        return run

    def stats() -> None:
        ims_quiz = Path(sys.executable).with_name("ims-quiz")
        subprocess.run(
            [str(ims_quiz), "stats", "--json", "--profile", "ann", "--db", url],
            check=True,
            capture_output=True,
            env={**os.environ, "IMS_QUIZ_HOME": str(home)},
        )

    screen(lambda t: t.summary())()  # warm: imports, the parse cache
    review = SessionPlan(Mode.REVIEW, count=20, seed=1)
    return {
        "home summary": screen(lambda t: t.summary()),
        "progress screen": screen(lambda t: t.progress()),
        "review planning": screen(lambda t: t.start_session(review)),
        "stats --json": stats,
    }


def _medians(
    screens: dict[int, dict[str, Callable[[], object]]], runs: int
) -> dict[int, dict[str, float]]:
    """The median time of each screen of each size, the sizes interleaved run by run."""
    times: dict[int, dict[str, list[float]]] = {
        size: {name: [] for name in named} for size, named in screens.items()
    }
    for _ in range(runs):
        for size, named in screens.items():
            for name, action in named.items():
                times[size][name].append(_timed(action))
    return {
        size: {name: statistics.median(found) for name, found in named.items()}
        for size, named in times.items()
    }


def _export_rss_mb(url: str, home: Path) -> float:
    code = (
        "import resource, sys\n"
        "from quiz.cli import main\n"
        "try:\n"
        "    main(['export', '--format', 'csv', '--profile', 'ann', '--db', sys.argv[1],"
        " '--output', sys.argv[2]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, url, str(home / "export.csv")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "IMS_QUIZ_HOME": str(home)},
    ).stdout
    return int(out.split()[-1]) / 1024


def _reset(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default=None, help="a server database URL instead of SQLite")
    args = parser.parse_args()
    sizes = [0] + [int(size) for size in args.sizes.split(",") if size]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.engine_helpers

    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-history-") as folder:
        home = Path(folder)
        os.environ["IMS_QUIZ_HOME"] = str(home)
        url = ""
        screens: dict[int, dict[str, Callable[[], object]]] = {}
        for size in sizes:
            if args.db:
                url = args.db
                _reset(url)
            else:
                url = f"sqlite:///{home / f'history-{size}.sqlite3'}"
            started = time.perf_counter()
            _generate(url, size)
            print(f"generated {size} attempts in {time.perf_counter() - started:.1f} s", flush=True)
            if args.db:  # one server database: measured now, before the next size replaces it
                screens = {size: _screens(url, home)}
                results[size] = _medians(screens, args.runs)[size]
            else:
                screens[size] = _screens(url, home)
        if not args.db:
            # the sizes take turns, run after run: a busy machine slows them all alike
            results = _medians(screens, args.runs)
        rss = _export_rss_mb(url, home)

    names = list(results[0])
    header = f"{'':18}" + "".join(f"{size:>12}" for size in sizes) + f"{'ratio':>9}"
    print(header)
    failed = False
    for name in names:
        cells = "".join(f"{results[size][name] * 1000:>10.0f}ms" for size in sizes)
        ratio = results[sizes[-1]][name] / results[0][name]
        mark = "" if ratio <= RATIO_BUDGET else "  over budget"
        failed |= ratio > RATIO_BUDGET
        print(f"{name:18}{cells}{ratio:>8.2f}x{mark}")
    mark = "" if rss <= EXPORT_RSS_BUDGET_MB else "  over budget"
    failed |= rss > EXPORT_RSS_BUDGET_MB
    print(
        f"export of {sizes[-1]} attempts: peak RSS {rss:.0f} MB "
        f"(budget {EXPORT_RSS_BUDGET_MB} MB){mark}"
    )
    print(f"budgets: ratios within {RATIO_BUDGET}x of the empty history")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
