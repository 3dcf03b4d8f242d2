"""Fixtures for the app-level TUI tests: UTC local time, the fixture banks, a fixed clock."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz import preferences
from quiz.banks.loader import Library
from tests.engine_helpers import Clock
from tests.tui.tui_helpers import fixture_library


@pytest.fixture(autouse=True)
def utc_local_time() -> Iterator[None]:
    """Local time is UTC, so dates and times on screen do not depend on the machine."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "certainty: keep certainty-based marking on, the trainee's default"
    )


@pytest.fixture(autouse=True)
def certainty_off(request: pytest.FixtureRequest, isolated_home: Path) -> None:
    """Sessions hand in with enter alone, as with the preference off, unless the test is
    marked ``certainty`` (tests/tui/test_certainty.py drives the prompt itself)."""
    if request.node.get_closest_marker("certainty") is None:
        preferences.save(certainty=False)


@pytest.fixture
def library() -> Library:
    """The TUI fixture banks: one good bank (every type, a case) and one broken bank."""
    return fixture_library()


@pytest.fixture
def clock() -> Clock:
    """A clock fixed at Monday 2 March 2026, 12:00 UTC, moved only by the test."""
    return Clock()


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A fresh progress database file for the test."""
    return tmp_path / "progress.sqlite3"
