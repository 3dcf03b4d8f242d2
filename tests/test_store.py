"""The progress store: schema, migrations, refusals, and round trips.

Tests that take ``store`` or ``db_url`` run on SQLite and on PostgreSQL (see tests/conftest.py);
the refusals of foreign files are SQLite's own."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from quiz.domain.grading import ChoiceResponse, TextResponse, TrueFalseResponse
from quiz.domain.history import tally_attempts
from quiz.domain.scheduling import Rating
from quiz.domain.session import Attempt, Mode, SessionPlan
from quiz.progress import StoreError
from quiz.progress.migrations import LATEST_VERSION
from quiz.progress.schema import metadata
from quiz.progress.store import Store
from tests.engine_helpers import T0

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.sqlite3"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{db_path}")
    yield opened
    opened.close()


def attempt(
    question_id: str = "q1",
    *,
    correct: bool = True,
    session_id: int | None = None,
    **fields: object,
) -> Attempt:
    values: dict[str, object] = {
        "bank_id": "bank",
        "question_id": question_id,
        "content_hash": "abc123",
        "mode": Mode.PRACTICE,
        "response": ChoiceResponse(frozenset({1})),
        "score": 1.0 if correct else 0.0,
        "correct": correct,
        "unsafe": False,
        "unsafe_choices": (),
        "seconds": 12.5,
        "answered_at": T0,
        "session_id": session_id,
    }
    values.update(fields)
    return Attempt(**values)  # type: ignore[arg-type]


# --- creating and refusing ------------------------------------------------------------------------


def test_a_new_database_gets_the_latest_schema_in_wal_mode(
    sqlite_store: Store, db_path: Path
) -> None:
    assert sqlite_store.schema_version() == LATEST_VERSION
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_migrations_build_exactly_the_declared_schema(store: Store, db_url: str) -> None:
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) == set(metadata.tables)
    for table in metadata.tables.values():
        built = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        declared = {c.name: c.nullable for c in table.columns}
        assert built == declared, table.name
    engine.dispose()


def test_missing_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "progress.sqlite3"
    Store.open(f"sqlite:///{path}").close()
    assert path.is_file()


def _refused(path: Path, match: str) -> None:
    before = path.read_bytes()
    siblings = set(path.parent.iterdir())
    with pytest.raises(StoreError, match=match):
        Store.open(f"sqlite:///{path}")
    assert path.read_bytes() == before
    assert set(path.parent.iterdir()) == siblings  # no -wal, -shm or -journal left behind


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(db_path: Path) -> None:
    db_path.write_bytes(b"these are my lecture notes, not a database\n" * 100)
    _refused(db_path, "not an ims-quiz progress database.*left untouched")


def test_a_corrupt_sqlite_file_is_refused_and_untouched(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("CREATE TABLE notes (body TEXT)")
        raw.executemany("INSERT INTO notes VALUES (?)", [("x" * 500,)] * 50)
    raw.close()
    data = bytearray(db_path.read_bytes())
    data[16:] = bytes(len(data) - 16)  # keep the magic header, wipe everything after it
    db_path.write_bytes(bytes(data))
    _refused(db_path, "not a readable ims-quiz progress database|cannot open")


def test_another_programs_database_is_refused_and_untouched(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
        raw.execute("INSERT INTO recipes VALUES ('bread')")
    raw.close()
    _refused(db_path, r"another program's database \(tables: recipes\)")
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    raw.close()


def test_a_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    Store.open(f"sqlite:///{db_path}").close()
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE ims_quiz_schema SET version = 99")
    raw.close()
    _refused(db_path, "newer ims-quiz .schema version 99")


@pytest.mark.parametrize("url", ["nosuchdriver://x/y", "not a url://"])
def test_unusable_urls_give_a_store_error(url: str) -> None:
    with pytest.raises(StoreError):
        Store.open(url)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(f"sqlite:///{tmp_path}")


# --- migrations -----------------------------------------------------------------------------------


def test_migrating_a_version_1_database_keeps_its_history(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.executescript((FIXTURES / "progress_v1.sql").read_text(encoding="utf-8"))
    raw.close()
    store = Store.open(f"sqlite:///{db_path}")
    try:
        assert store.schema_version() == LATEST_VERSION
        ann = store.profile_id("ann", T0)
        assert ann == 1
        history = store.attempts(ann)
        assert [(a.question_id, a.score, a.unsafe, a.unsafe_choices) for a in history] == [
            ("c5-myotome", 1.0, False, ()),
            ("clean-technique", 0.0, True, ()),  # v1 did not keep the option's text
            ("multi-roots", 1.0, False, ()),
        ]
        assert history[1].response == ChoiceResponse(frozenset({0, 2}))
        assert history[0].answered_at.tzinfo is UTC
        assert store.cards(ann)["ims-test/c5-myotome"].stability == pytest.approx(3.1)
        assert [log.rating for _, log in store.review_logs(ann)] == [Rating.Good]
        session = store.session(1)
        assert session is not None and session.plan.seed == 7 and not session.open
        # what version 2 added works on the migrated file
        store.save_draft(1, "ims-test", "multi-roots", TrueFalseResponse(False), 3.0, T0)
        store.set_flag(1, "ims-test", "c5-myotome", True, T0)
        assert store.session_flags(1) == {"ims-test/c5-myotome"}
        # version 3's tallies are filled from the attempts, as recording them would have
        stored = store.history(ann, unsafe=5)
        assert stored.questions == tally_attempts(history)
        days = [(d.attempts, d.correct, d.due_reviews) for d in stored.days]
        assert sum(a for a, _, _ in days) == 3 and sum(c for _, c, _ in days) == 2
        assert all(due == 0 for _, _, due in days)  # not known for answers before version 3
        assert stored.unsafe == []  # v1 kept no option text to list
    finally:
        store.close()


# --- round trips ----------------------------------------------------------------------------------


def test_profiles_are_created_once(store: Store) -> None:
    first = store.profile_id("ann", T0)
    assert store.profile_id("ann", T0) == first
    assert store.profile_id("bob", T0) != first


def test_attempts_round_trip_with_every_field(store: Store) -> None:
    ann = store.profile_id("ann", T0)
    plan = SessionPlan(Mode.PRACTICE, seed=3)
    session_id = store.create_session(ann, plan, ["bank/q1"], T0)
    original = attempt(
        "q1",
        correct=False,
        session_id=session_id,
        response=TextResponse("C 7 — root"),
        score=0.5,
        unsafe=True,
        unsafe_choices=("Recap the needle",),
    )
    store.record_attempts(ann, [(original, Rating.Again)])
    (stored,) = store.attempts(ann)
    assert stored.id is not None and stored.profile == "ann"
    assert stored == Attempt(
        **{
            **{f: getattr(original, f) for f in original.__slots__},
            "id": stored.id,
            "profile": "ann",
        }
    )


def test_each_attempt_reviews_the_questions_card_and_logs_it(store: Store) -> None:
    ann = store.profile_id("ann", T0)
    store.record_attempts(ann, [(attempt("q1"), Rating.Good)])
    first_due = store.cards(ann)["bank/q1"].due
    store.record_attempts(
        ann,
        [
            (attempt("q1", answered_at=first_due), Rating.Good),
            (attempt("q2", correct=False), Rating.Again),
        ],
    )
    cards = store.cards(ann)
    assert set(cards) == {"bank/q1", "bank/q2"}
    assert cards["bank/q1"].due > first_due
    logs = store.review_logs(ann)
    assert [(key, log.rating) for key, log in logs] == [
        ("bank/q1", Rating.Good),
        ("bank/q1", Rating.Good),
        ("bank/q2", Rating.Again),
    ]
    assert logs[0][1].review_duration == 12500
    assert store.cards(store.profile_id("bob", T0)) == {}


def test_sessions_drafts_and_flags(store: Store) -> None:
    ann = store.profile_id("ann", T0)
    plan = SessionPlan(Mode.EXAM, seed=5, minutes=10)
    first = store.create_session(ann, plan, ["bank/q1", "bank/q2"], T0)
    second = store.create_session(ann, plan, ["bank/q2"], T0 + timedelta(minutes=1))
    stored = store.unfinished_session(ann)
    assert stored is not None and stored.id == second
    assert stored.plan == plan and stored.item_keys == ("bank/q2",)

    store.save_draft(first, "bank", "q1", ChoiceResponse(frozenset({0})), 4.0, T0)
    store.save_draft(first, "bank", "q1", ChoiceResponse(frozenset({2})), 9.0, T0)
    assert store.drafts(first) == {"bank/q1": (ChoiceResponse(frozenset({2})), 9.0, None)}

    store.set_flag(first, "bank", "q2", True, T0)
    store.set_flag(first, "bank", "q2", True, T0)
    store.set_flag(first, "bank", "q1", True, T0)
    store.set_flag(first, "bank", "q1", False, T0)
    assert store.session_flags(first) == {"bank/q2"}
    assert store.profile_flags(ann) == [(first, "bank/q2")]

    store.abandon_session(second, T0)
    assert store.unfinished_session(ann).id == first  # type: ignore[union-attr]
    store.record_attempts(ann, [], finish_session=first, finished_at=T0)
    assert store.unfinished_session(ann) is None
    assert store.session(first).finished_at == T0  # type: ignore[union-attr]


def test_an_in_memory_database_is_shared_between_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = Store.open("sqlite://")
    try:
        ann = store.profile_id("ann", T0)
        with ThreadPoolExecutor(4) as pool:
            list(
                pool.map(
                    lambda n: store.record_attempts(ann, [(attempt(f"q{n}"), Rating.Good)]),
                    range(20),
                )
            )
        assert len(store.attempts(ann)) == 20 and len(store.cards(ann)) == 20
    finally:
        store.close()


def test_the_attempts_table_has_a_column_for_each_field_of_an_attempt() -> None:
    from quiz.domain.session import ATTEMPT_FIELDS
    from quiz.progress.schema import attempts

    expected = (set(ATTEMPT_FIELDS) - {"profile"}) | {"profile_id"}
    assert set(attempts.columns.keys()) == expected


# --- both backends: refusals, drafts, concurrency -------------------------------------------------


def _engine(db_url: str) -> sa.Engine:
    return sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))


def test_another_programs_database_is_refused_on_every_backend(db_url: str) -> None:
    engine = _engine(db_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE recipes (name VARCHAR(20))")
    engine.dispose()
    with pytest.raises(StoreError, match=r"another program's database \(tables: recipes\)"):
        Store.open(db_url)


def test_a_newer_schema_is_refused_on_every_backend(db_url: str) -> None:
    Store.open(db_url).close()
    engine = _engine(db_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE ims_quiz_schema SET version = 99")
    engine.dispose()
    with pytest.raises(StoreError, match="newer ims-quiz .schema version 99"):
        Store.open(db_url)


def test_an_exams_drafts_are_deleted_when_it_is_submitted(store: Store) -> None:
    ann = store.profile_id("ann", T0)
    exam = store.create_session(ann, SessionPlan(Mode.EXAM, seed=1), ["bank/q1", "bank/q2"], T0)
    store.save_draft(exam, "bank", "q1", ChoiceResponse(frozenset({1})), 4.0, T0)
    store.save_draft(exam, "bank", "q2", ChoiceResponse(frozenset({0})), 4.0, T0)
    graded = [(attempt("q1", session_id=exam), Rating.Good)]
    store.record_attempts(ann, graded, finish_session=exam, finished_at=T0)
    assert store.drafts(exam) == {}
    assert len(store.attempts(session_id=exam)) == 1


def test_opening_an_up_to_date_database_takes_no_write_lock(db_url: str) -> None:
    """``stats`` and friends open the store while another app is in a write transaction."""
    Store.open(db_url).close()
    engine = _engine(db_url)
    with engine.connect() as writer:
        if engine.dialect.name == "sqlite":
            writer.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            writer.begin()
            writer.exec_driver_sql("LOCK TABLE ims_quiz_schema IN SHARE ROW EXCLUSIVE MODE")
        writer.exec_driver_sql("UPDATE profiles SET name = name")
        started = time.monotonic()
        reader = Store.open(db_url)
        assert reader.schema_version() == LATEST_VERSION
        assert reader.attempts() == []
        reader.close()
        assert time.monotonic() - started < 5
        writer.rollback()
    engine.dispose()


def test_threads_creating_one_profile_get_one_id(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    stores = [Store.open(db_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(4) as pool:
            ids = list(pool.map(lambda s: s.profile_id("ann", T0), stores))
        assert len(set(ids)) == 1
    finally:
        for opened in stores:
            opened.close()


# --- PostgreSQL: timeouts, lost connections, messages ---------------------------------------------

postgres_only = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@postgres_only
def test_a_lock_held_too_long_is_a_clear_error_not_a_hang(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.progress import postgres

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 300)
    store = Store.open(db_url)
    try:
        ann = store.profile_id("ann", T0)
        store.record_attempts(ann, [(attempt("q1"), Rating.Good)])
        engine = _engine(db_url)
        with engine.connect() as other:
            other.begin()
            other.exec_driver_sql("SELECT * FROM cards FOR UPDATE")
            started = time.monotonic()
            # (later answers: one within 10 minutes of the first would review no card)
            later = attempt("q1", answered_at=T0 + timedelta(minutes=11))
            with pytest.raises(StoreError, match="is busy: another app held a lock"):
                store.record_attempts(ann, [(later, Rating.Good)])
            assert time.monotonic() - started < 5
            other.rollback()
        engine.dispose()
        store.record_attempts(ann, [(later, Rating.Good)])  # and then it works again
        assert len(store.review_logs(ann)) == 2
    finally:
        store.close()


@postgres_only
def test_an_answer_after_the_server_dropped_the_connections_is_recorded(db_url: str) -> None:
    """As after a server restart: pooled connections are dead, and are pinged first."""
    store = Store.open(db_url)
    try:
        ann = store.profile_id("ann", T0)
        store.record_attempts(ann, [(attempt("q1"), Rating.Good)])
        engine = _engine(db_url)
        with engine.connect() as admin:
            admin.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            admin.commit()
        engine.dispose()
        store.record_attempts(ann, [(attempt("q2"), Rating.Good)])
        assert len(store.attempts(ann)) == 2
    finally:
        store.close()


def test_an_unreachable_server_names_it_and_says_what_to_check() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as raised:
        Store.open("postgresql://ann:secret@127.0.0.1:1/class")
    message = str(raised.value)
    assert "cannot reach the PostgreSQL server 127.0.0.1:1, database class" in message
    assert "Check that the server is running" in message
    assert "secret" not in message


@postgres_only
def test_a_missing_database_names_it(db_url: str) -> None:
    from sqlalchemy.engine import make_url

    missing = make_url(db_url).set(database="no_such_db").render_as_string(hide_password=False)
    with pytest.raises(StoreError, match="database no_such_db.*Check that"):
        Store.open(missing)


# --- backups (SQLite) -----------------------------------------------------------------------------


def test_a_migration_is_preceded_by_a_backup_of_the_old_file(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.executescript((FIXTURES / "progress_v1.sql").read_text(encoding="utf-8"))
    raw.close()
    Store.open(f"sqlite:///{db_path}").close()
    (backup,) = (db_path.parent / "backups").iterdir()
    assert backup.name.startswith("progress-") and backup.name.endswith(
        f"-before-v{LATEST_VERSION}.sqlite3"
    )
    with sqlite3.connect(backup) as raw:
        assert raw.execute("SELECT version FROM ims_quiz_schema").fetchone()[0] == 1
        assert raw.execute("SELECT count(*) FROM attempts").fetchone()[0] == 3
    raw.close()


def test_a_daily_backup_at_most_once_a_day_and_the_last_seven_kept(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.progress import store as store_module

    url = f"sqlite:///{db_path}"
    Store.open(url).close()  # new: nothing to back up yet
    assert not (db_path.parent / "backups").exists()
    day = T0
    monkeypatch.setattr(store_module, "sqlite_now", lambda: day)
    for _ in range(3):  # one a day, however often the app starts
        opened = Store.open(url)
        opened.profile_id("ann", T0)
        opened.close()
    assert len(list((db_path.parent / "backups").iterdir())) == 1
    for n in range(1, 10):
        day = T0 + timedelta(days=n)
        Store.open(url).close()
    kept = sorted(p.name for p in (db_path.parent / "backups").iterdir())
    assert len(kept) == 7
    assert kept[0].startswith(f"progress-{T0 + timedelta(days=3):%Y%m%d}-")
    assert kept[-1].startswith(f"progress-{T0 + timedelta(days=9):%Y%m%d}-")
    with sqlite3.connect(db_path.parent / "backups" / kept[-1]) as raw:  # a whole database
        assert raw.execute("SELECT name FROM profiles").fetchall() == [("ann",)]
    raw.close()


# --- check and repair -----------------------------------------------------------------------------


def test_check_finds_a_card_that_lost_a_review_and_repair_rebuilds_it(
    store: Store, db_url: str
) -> None:
    ann = store.profile_id("ann", T0)
    for n in range(3):
        store.record_attempts(
            ann, [(attempt("q1", answered_at=T0 + timedelta(days=n)), Rating.Good)]
        )
    store.record_attempts(ann, [(attempt("q2", correct=False), Rating.Again)])
    assert store.check().ok
    healthy = store.cards(ann)
    engine = _engine(db_url)
    with engine.begin() as connection:  # as an app that lost an update would leave it
        connection.execute(
            sa.text(
                "UPDATE cards SET card = (SELECT card FROM cards WHERE question_id = 'q2') "
                "WHERE question_id = 'q1'"
            )
        )
    engine.dispose()
    report = store.check()
    assert report.differing_cards == [(ann, "bank/q1")] and not report.ok
    assert store.rebuild_cards() == 1
    assert store.cards(ann) == healthy
    assert store.check().ok


def test_check_counts_orphan_rows_and_sqlite_damage(db_path: Path) -> None:
    store = Store.open(f"sqlite:///{db_path}")
    try:
        with sqlite3.connect(db_path) as raw:  # foreign keys off, as another tool might leave it
            raw.execute("INSERT INTO flags VALUES (99, 'bank', 'q1', '2026-01-01 00:00:00')")
        raw.close()
        report = store.check()
        assert report.orphans["flags of a missing session"] == 1 and not report.ok
        assert report.integrity == []
    finally:
        store.close()
