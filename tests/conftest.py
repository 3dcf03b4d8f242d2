"""Every test runs with its own IMS_QUIZ_HOME, so none touches a real user's files."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

# On a developer's machine the property tests explore new examples on every run; in CI
# (.ci/run sets HYPOTHESIS_PROFILE=ci) they replay a fixed sequence, so a run is red for a change
# and never for a newly drawn example. Run them with IMS_QUIZ_FUZZ_EXAMPLES=5000 to dig deeper.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh config/data/cache root, and no stray bank or database settings from the shell."""
    home = tmp_path_factory.mktemp("ims-home")
    monkeypatch.setenv("IMS_QUIZ_HOME", str(home))
    for name in ("IMS_QUIZ_BANKS", "IMS_QUIZ_DB", "IMS_QUIZ_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return home


# --- the progress store's backends ----------------------------------------------------------------

PG_ENV = "IMS_QUIZ_TEST_PG"
"""A PostgreSQL server URL (``postgresql://user@host:port/db``) the tests may create databases
on; .ci/run starts a server and sets it. Without it the PostgreSQL variants are skipped."""

BACKENDS = ["sqlite", "postgresql"]


def pytest_report_header() -> str:
    if os.environ.get(PG_ENV, "").strip():
        return f"progress store backends: SQLite and PostgreSQL ({PG_ENV} is set)"
    return (
        f"progress store backends: SQLite only; the PostgreSQL variants are deselected "
        f"(set {PG_ENV} to a server URL to run them: .ci/run starts a server)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a server, leave out the PostgreSQL variants: one header line, not 40 skips."""
    if os.environ.get(PG_ENV, "").strip():
        return
    left_out = [
        item
        for item in items
        if getattr(item, "callspec", None) is not None
        and item.callspec.params.get("backend") == "postgresql"
    ]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        dropped = set(left_out)
        items[:] = [item for item in items if item not in dropped]


def _postgres_admin() -> str:
    server = os.environ.get(PG_ENV, "").strip()
    if not server:
        pytest.skip(f"PostgreSQL tests need a server: set {PG_ENV} (.ci/run starts one)")
    return server


def _database_url(server: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=database).render_as_string(hide_password=False)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards; yields its URL."""
    import sqlalchemy as sa

    server = _postgres_admin()
    name = f"ims_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )
    try:
        with admin.connect() as connection:
            try:  # the quick way (PostgreSQL 15): copy the template's files, no WAL
                connection.exec_driver_sql(f'CREATE DATABASE "{name}" STRATEGY FILE_COPY')
            except sa.exc.ProgrammingError:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield _database_url(server, name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The progress store's backend under test; PostgreSQL skips unless IMS_QUIZ_TEST_PG is set."""
    if request.param == "postgresql":
        _postgres_admin()
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh, empty progress database on ``backend``, private to this test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'progress.sqlite3'}"
        return
    with postgres_database() as url:
        yield url
