"""Fixtures for the bank tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quiz.banks import diagnostics


@pytest.fixture
def small_size_cap(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Lower the bank size cap to 200 bytes, so "too large" needs no large file."""
    monkeypatch.setattr(diagnostics, "MAX_FILE_BYTES", 200)
    yield 200
