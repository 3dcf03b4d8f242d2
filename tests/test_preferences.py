"""The preferences file: typed, defaulted field by field, replaced in one step."""

from __future__ import annotations

import json

import pytest

from quiz import paths, preferences
from quiz.domain.planning import DEFAULT_NEW_PER_DAY


def _file_text() -> dict[str, object]:
    return json.loads((paths.config_dir() / "preferences.json").read_text(encoding="utf-8"))


def test_a_new_trainee_gets_the_defaults() -> None:
    chosen = preferences.load()
    assert (chosen.new_per_day, chosen.desired_retention, chosen.certainty, chosen.theme) == (
        DEFAULT_NEW_PER_DAY,
        0.90,
        True,
        None,
    )


def test_saved_choices_come_back_and_keep_each_other() -> None:
    preferences.save(new_per_day=5)
    preferences.save(desired_retention=0.85, certainty=False)
    chosen = preferences.load()
    assert (chosen.new_per_day, chosen.desired_retention, chosen.certainty) == (5, 0.85, False)


@pytest.mark.parametrize(
    "saved",
    [
        {"new_per_day": -1},
        {"new_per_day": "20"},
        {"new_per_day": True},
        {"desired_retention": 0.5},
        {"desired_retention": 1.2},
        {"certainty": "yes"},
        {"theme": 3},
    ],
)
def test_a_value_out_of_range_keeps_only_that_default(saved: dict[str, object]) -> None:
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    valid = {"new_per_day": 7, "certainty": False, "theme": "nord"}
    text = json.dumps({**{k: v for k, v in valid.items() if k not in saved}, **saved})
    (folder / "preferences.json").write_text(text, encoding="utf-8")
    chosen = preferences.load()
    defaults = preferences.Preferences()
    for name in saved:
        assert getattr(chosen, name) == getattr(defaults, name)
    for name, value in valid.items():
        if name not in saved:
            assert getattr(chosen, name) == value


def test_keys_of_another_version_survive_a_save() -> None:
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "preferences.json").write_text('{"future": [1, 2]}', encoding="utf-8")
    preferences.save(certainty=False)
    assert _file_text() == {"future": [1, 2], "certainty": False}


def test_an_unknown_name_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="colour"):
        preferences.save(colour="red")


def test_an_unwritable_folder_is_not_an_error() -> None:
    blocker = paths.config_dir()
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    preferences.save(new_per_day=3)
    assert preferences.load().new_per_day == DEFAULT_NEW_PER_DAY
