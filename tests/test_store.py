"""The progress store on SQLite files: schema, migrations, refusals, and round trips."""

from __future__ import annotations

import sqlite3
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from quiz.domain.grading import ChoiceResponse, TextResponse, TrueFalseResponse
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
def store(db_path: Path) -> Store:
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


def test_a_new_database_gets_the_latest_schema_in_wal_mode(store: Store, db_path: Path) -> None:
    assert store.schema_version() == LATEST_VERSION
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_migrations_build_exactly_the_declared_schema(store: Store, db_path: Path) -> None:
    inspector = sa.inspect(sa.create_engine(f"sqlite:///{db_path}"))
    assert set(inspector.get_table_names()) == set(metadata.tables)
    for table in metadata.tables.values():
        built = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        declared = {c.name: c.nullable for c in table.columns}
        assert built == declared, table.name


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
    assert store.drafts(first) == {"bank/q1": (ChoiceResponse(frozenset({2})), 9.0)}

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
