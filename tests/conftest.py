"""Every test runs with its own IMS_QUIZ_HOME, so none touches a real user's files."""

from __future__ import annotations

from pathlib import Path

import pytest


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
