"""The JSON Schema as an editor uses it: yaml-language-server reading banks with a plain loader.

An editor does not read banks through ims-quiz's loader: it parses them with its own YAML
reader and checks the result against ``bank.schema.json``, which it finds through the bank's
first line. These tests do the same with PyYAML's ``safe_load`` (YAML 1.1, the stricter of the
two versions: a bare ``on`` key is ``true``) and ``jsonschema``'s draft 7 validator, the draft the
language server implements. What the server itself said, before and after, is in the report of
issue 15 and can be reproduced with ``benchmarks/tools/yls_probe.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bank_helpers import REPO
from click.testing import CliRunner
from test_bank_docs import first_line, wrap, yaml_blocks

from quiz.banks.scaffold import MODELINE, scaffold, write_schema_beside
from quiz.banks.schema import SCHEMA_FILE, SCHEMA_NAME, TYPE_DESCRIPTIONS, bank_schema, schema_text
from quiz.cli import main
from quiz.domain.model import QUESTION_TYPES

jsonschema = pytest.importorskip("jsonschema")

SHIPPED = sorted((REPO / "question_banks").glob("*.yaml"))


def errors(data: Any) -> list[str]:
    """Each schema error as ``path: message``, as an editor would list them."""
    validator = jsonschema.Draft7Validator(bank_schema())
    found = []
    for error in validator.iter_errors(data):
        for leaf in _leaves(error):
            found.append(f"{'/'.join(map(str, leaf.absolute_path))}: {leaf.message}")
    return sorted(found)


def _leaves(error: Any) -> Iterator[Any]:
    if error.context:
        for child in error.context:
            yield from _leaves(child)
    else:
        yield error


def scaffold_data() -> dict[str, Any]:
    data = yaml.safe_load(scaffold(Path("editor.yaml")))
    assert isinstance(data, dict)
    return data


# --- every bank an author starts from is clean, read as the editor reads it -------------------


def editor_texts() -> list[tuple[str, str]]:
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in SHIPPED]
    texts.append(("the new-bank scaffold", scaffold(Path("editor.yaml"))))
    for line, block in yaml_blocks():
        start = first_line(block)
        if start == "format: 1":
            texts.append((f"docs/authoring.md:{line}", block))
        elif start.startswith("- id:") or start in ("topics:", "sources:", "cases:"):
            texts.append((f"docs/authoring.md:{line} (in a bank)", wrap(block)))
    return texts


@pytest.mark.parametrize(("name", "text"), editor_texts(), ids=lambda value: str(value)[:40])
def test_shipped_banks_docs_and_scaffold_have_no_schema_error_under_yaml_1_1(
    name: str, text: str
) -> None:
    assert errors(yaml.safe_load(text)) == [], name


def test_a_bare_on_key_is_what_the_quoted_key_avoids() -> None:
    # Why "on": is quoted everywhere: under YAML 1.1 the bare key is the boolean true.
    data = scaffold_data()
    data["reviewed"] = yaml.safe_load("- {by: A Reviewer, on: 2026-11-24}")
    assert errors(data) == [
        "reviewed/0: 'on' is a required property",
        "reviewed/0: Additional properties are not allowed (True was unexpected)",
    ]
    data["reviewed"] = yaml.safe_load('- {by: A Reviewer, "on": 2026-11-24}')
    data["reviewed"][0]["on"] = str(data["reviewed"][0]["on"])  # a date, which the loader keeps
    assert errors(data) == []


# --- the modeline and the schema beside each bank ---------------------------------------------


def test_shipped_banks_name_the_schema_beside_them_which_is_current() -> None:
    assert SHIPPED
    for path in SHIPPED:
        assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE, path.name
    shipped_schema = REPO / "question_banks" / SCHEMA_NAME
    assert shipped_schema.read_text(encoding="utf-8") == schema_text(), (
        "question_banks/bank.schema.json is stale: run "
        "`ims-quiz schema -o question_banks/bank.schema.json`"
    )
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()


def test_the_scaffold_names_a_schema_beside_it() -> None:
    assert MODELINE == "# yaml-language-server: $schema=./bank.schema.json"
    assert scaffold(Path("/anywhere/x.yaml")).splitlines()[0] == MODELINE


def test_new_bank_writes_the_schema_beside_the_bank(tmp_path: Path) -> None:
    target = tmp_path / "course" / "shoulder.yaml"
    result = CliRunner().invoke(main, ["new-bank", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").splitlines()[0] == MODELINE
    assert (target.parent / SCHEMA_NAME).read_text(encoding="utf-8") == schema_text()


def test_the_schema_beside_a_bank_is_kept_current(tmp_path: Path) -> None:
    bank = tmp_path / "b.yaml"
    assert write_schema_beside(bank) == tmp_path / SCHEMA_NAME
    assert write_schema_beside(bank) is None  # current: left alone
    (tmp_path / SCHEMA_NAME).write_text('{"title": "from an older ims-quiz"}', encoding="utf-8")
    assert write_schema_beside(bank) == tmp_path / SCHEMA_NAME
    assert (tmp_path / SCHEMA_NAME).read_text(encoding="utf-8") == schema_text()


# --- what the editor says about mistakes --------------------------------------------------------


def test_an_unknown_type_lists_all_six() -> None:
    data = scaffold_data()
    data["questions"][2]["type"] = "essay"
    (message,) = errors(data)
    assert message.startswith("questions/2/type: 'essay' is not one of ")
    assert all(f"'{kind}'" in message for kind in QUESTION_TYPES)


def test_type_is_an_enum_of_six_each_described() -> None:
    question = bank_schema()["definitions"]["Question"]
    prop = question["properties"]["type"]
    assert prop["enum"] == list(QUESTION_TYPES)
    assert prop["enumDescriptions"] == [TYPE_DESCRIPTIONS[kind] for kind in QUESTION_TYPES]
    assert len(prop["markdownEnumDescriptions"]) == 6
    # No OpenAPI discriminator anywhere: the language server ignores it.
    assert '"discriminator"' not in schema_text()
    assert '"anyOf"' not in json.dumps(
        bank_schema()["definitions"]["Bank"]["properties"]["questions"]
    )


def test_the_type_selects_its_own_answer_keys() -> None:
    data = scaffold_data()
    true_false = data["questions"][2]
    assert true_false["type"] == "true_false"
    true_false["choices"] = data["questions"][0]["choices"]
    assert errors(data) == [
        "questions/2: Additional properties are not allowed ('choices' was unexpected)"
    ]
    del true_false["choices"], true_false["answer"]
    assert errors(data) == ["questions/2: 'answer' is a required property"]


def test_a_misspelt_type_key_is_flagged_as_well_as_the_missing_type() -> None:
    data = scaffold_data()
    data["questions"][0]["tpye"] = data["questions"][0].pop("type")
    assert errors(data) == [
        "questions/0: 'type' is a required property",
        "questions/0: Additional properties are not allowed ('tpye' was unexpected)",
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("refs", [], "questions/1/refs: [] should be non-empty"),
        ("difficulty", 0, "questions/1/difficulty: 0 is not one of [1, 2, 3]"),
        ("difficulty", 4, "questions/1/difficulty: 4 is not one of [1, 2, 3]"),
        ("difficulty", "2", "questions/1/difficulty: '2' is not of type 'integer'"),
    ],
)
def test_refs_need_one_and_difficulty_is_1_2_or_3(key: str, value: Any, message: str) -> None:
    data = scaffold_data()
    data["questions"][1][key] = value
    found = errors(data)
    assert message in found, found


def test_difficulty_completes_with_its_three_values_described() -> None:
    for name in ("SingleChoice", "ShortAnswer"):
        difficulty = bank_schema()["definitions"][name]["properties"]["difficulty"]
        assert difficulty["enum"] == [1, 2, 3]
        assert difficulty["enumDescriptions"] == ["Recall", "Application", "Clinical reasoning"]
        assert "minimum" not in difficulty and "maximum" not in difficulty


def test_a_choice_without_text_is_one_error() -> None:
    data = scaffold_data()
    del data["questions"][0]["choices"][1]["text"]
    assert errors(data) == ["questions/0/choices/1: 'text' is a required property"]


def test_ids_are_dashed_as_the_docs_say() -> None:
    data = scaffold_data()
    for bad in ("c5_myotome", "C5-myotome", "c5--myotome", "-c5"):
        data["questions"][0]["id"] = bad
        assert len(errors(data)) == 1, bad
    data["questions"][0]["id"] = "c5-myotome-2"
    assert errors(data) == []


# --- every property is described ---------------------------------------------------------------


def properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ``(path, schema)`` under a ``properties`` keyword, but in ``if`` conditions."""
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{path}.{key}", value
        for key, value in node.items():
            if key != "if":
                yield from properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from properties(value, f"{path}[{index}]")


def test_every_property_in_the_schema_has_a_description() -> None:
    found = list(properties(bank_schema()))
    assert len({path.rsplit(".", 1)[1] for path, _ in found}) >= 43
    undescribed = [path for path, schema in found if not schema.get("description")]
    assert undescribed == []


def test_markdown_fields_say_what_is_rendered_and_what_is_shown_as_typed() -> None:
    definitions = bank_schema()["definitions"]
    for name, key in (
        ("SingleChoice", "prompt"),
        ("ShortAnswer", "explanation"),
        ("Case", "vignette"),
    ):
        text = definitions[name]["properties"][key]["description"]
        assert "Markdown" in text and "rendered" in text
        assert "HTML" in text and "terminal escape codes" in text and "as typed" in text
        assert "literally" not in text
    assert "shown literally" not in schema_text()


def test_the_guide_no_longer_recommends_yaml_1_1() -> None:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert '"yaml.yamlVersion": "1.1"' not in guide
    assert not re.search(r"[{ ]on: \d", guide), 'write the reviewed key quoted: "on":'
