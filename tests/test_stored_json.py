"""JSON that earlier versions stored in users' databases still loads, as the same objects.

tests/fixtures/stored_json_v1.json was written by ims-quiz 0.1.0's own serialisers from the
objects in tests/stored_objects.py (plans of every mode, with filters; responses of every type).
It is never regenerated: a change that breaks this test breaks real databases.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.session import Mode, SessionPlan
from quiz.progress.convert import (
    response_from_json,
    response_json,
    session_from_row,
    session_row,
)
from tests.stored_objects import PLANS, RESPONSES

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "stored_json_v1.json").read_text(encoding="utf-8")
)
STARTED = datetime(2026, 1, 1, tzinfo=UTC)


def _row(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        **stored,
        "id": 1,
        "profile_id": 1,
        "item_keys": ["ims-core/c5-myotome"],
        "started_at": STARTED,
        "finished_at": None,
        "abandoned_at": None,
    }


@pytest.mark.parametrize("index", range(len(PLANS)))
def test_stored_plans_load_as_the_plans_that_wrote_them(index: int) -> None:
    stored = FIXTURE["sessions"][index]
    assert session_from_row(_row(stored)).plan == PLANS[index]


@pytest.mark.parametrize("index", range(len(PLANS)))
def test_plans_are_still_written_in_the_stored_shape(index: int) -> None:
    row = session_row(1, PLANS[index], ["ims-core/c5-myotome"], STARTED)
    written = {key: row[key] for key in ("mode", "plan", "seed")}
    assert json.loads(json.dumps(written)) == FIXTURE["sessions"][index]


def test_older_plans_load_with_defaults_for_what_they_lack() -> None:
    first, second = (session_from_row(_row(row)).plan for row in FIXTURE["older_sessions"]["rows"])
    assert first == SessionPlan(Mode.PRACTICE, count=3, seed=7)
    assert second == SessionPlan(Mode.EXAM, count=5, seed=11, minutes=10)


@pytest.mark.parametrize("index", range(len(RESPONSES)))
def test_stored_responses_load_as_the_responses_that_wrote_them(index: int) -> None:
    assert response_from_json(FIXTURE["responses"][index]) == RESPONSES[index]


@pytest.mark.parametrize("index", range(len(RESPONSES)))
def test_responses_are_still_written_in_the_stored_shape(index: int) -> None:
    written = json.loads(json.dumps(response_json(RESPONSES[index])))
    assert written == FIXTURE["responses"][index]
