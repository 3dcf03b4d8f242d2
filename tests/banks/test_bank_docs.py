"""The examples in docs/authoring.md, the scaffold and the JSON Schema agree with the loader.

Every ```yaml block of the authoring guide is checked with the real loader: complete banks and
question examples must load with no diagnostic at all, header fragments must load once wrapped
in a bank. If the optional ``jsonschema`` package is installed, the same banks are also checked
against the shipped JSON Schema.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bank_helpers import BROKEN, REPO, load_text

from quiz.banks.loader import LoadedBank
from quiz.banks.scaffold import bank_id_for, scaffold
from quiz.banks.schema import SCHEMA_FILE, bank_schema
from quiz.banks.yamlread import parse

GUIDE = REPO / "docs" / "authoring.md"
HEADER_KEYS = ("topics:", "sources:", "cases:")


def yaml_blocks() -> list[tuple[int, str]]:
    """``(line, text)`` of each ```yaml block in the guide, unindented."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = []
    for match in re.finditer(r"^( *)```yaml\n(.*?)^\1```", text, re.MULTILINE | re.DOTALL):
        indent = len(match.group(1))
        body = "".join(line[indent:] + "\n" for line in match.group(2).splitlines())
        blocks.append((text.count("\n", 0, match.start()) + 1, body))
    return blocks


def first_line(block: str) -> str:
    return next(line for line in block.splitlines() if line.strip() and not line.startswith("#"))


def wrap(block: str) -> str:
    """A bank around a question example or a header fragment, defining what it refers to."""
    data = yaml.safe_load(block)
    if isinstance(data, list):  # question examples
        questions, given = data, {}
        body = "questions:\n" + "".join(f"  {line}\n" for line in block.splitlines())
    else:  # topics:, sources: or cases: on their own
        given = data
        questions = []
        body = block
    topics = given.get("topics") or {q["topic"]: "A topic" for q in questions} or {"t": "T"}
    sources = given.get("sources") or {r: "A source." for q in questions for r in q["refs"]}
    sources = sources or {"s": "A source."}
    cases = given.get("cases") or {
        q["case"]: {"title": "A case", "vignette": "A patient."} for q in questions if q.get("case")
    }
    if not questions:  # one question that uses every topic, source and case of the fragment
        body += "questions:\n" + "".join(
            yaml.safe_dump(
                [
                    {
                        "id": f"q-{index}",
                        "type": "true_false",
                        "topic": topic,
                        "difficulty": 1,
                        "prompt": "P.",
                        "answer": True,
                        "why_true": "Yes.",
                        "why_false": "No.",
                        "explanation": "E.",
                        "refs": list(sources),
                        **({"case": next(iter(cases))} if cases else {}),
                    }
                    for index, topic in enumerate(topics)
                ],
                sort_keys=False,
            ).splitlines(keepends=True)
        )
    head = {"format": 1, "id": "docs-example", "title": "Docs example"}
    for key, value in (("topics", topics), ("sources", sources), ("cases", cases)):
        if key not in given and value:
            head[key] = value
    return yaml.safe_dump(head, sort_keys=False) + body


def example_banks(tmp_path: Path) -> list[tuple[int, LoadedBank]]:
    """Each yaml block of the guide that is a bank, or made into one, loaded."""
    loaded = []
    for line, block in yaml_blocks():
        start = first_line(block)
        if start == "format: 1":
            text = block
        elif start.startswith("- id:") or start in HEADER_KEYS:
            text = wrap(block)
        else:
            continue
        loaded.append((line, load_text(tmp_path, text, f"example-{line}.yaml")))
    return loaded


def test_the_guide_has_examples_of_every_kind() -> None:
    starts = [first_line(block) for _, block in yaml_blocks()]
    assert starts.count("format: 1") >= 1
    types = set()
    for _, block in yaml_blocks():
        if first_line(block).startswith("- id:"):
            types |= {question["type"] for question in yaml.safe_load(block)}
    assert types == {"single", "multiple", "true_false", "matching", "ordering", "short"}


def test_every_yaml_block_in_the_guide_parses() -> None:
    for line, block in yaml_blocks():
        parse(block.encode("utf-8"))  # raises YamlProblem, naming nothing, if broken
        assert line


def test_every_example_bank_in_the_guide_loads_without_a_diagnostic(tmp_path: Path) -> None:
    examples = example_banks(tmp_path)
    assert len(examples) >= 8
    for line, loaded in examples:
        assert loaded.ok and not loaded.diagnostics, f"docs/authoring.md line {line}: " + "; ".join(
            d.format() for d in loaded.diagnostics
        )


def test_every_code_example_in_the_guide_uses_its_own_code() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for section in re.split(r"^#### ", text, flags=re.MULTILINE)[1:]:
        code = section.split("`")[1]
        examples = re.findall(r"(?:error|warning)\[([a-z-]+)\]", section)
        assert examples and set(examples) == {code}, code


def test_scaffold_ids_come_from_the_file_name() -> None:
    assert bank_id_for(Path("My Shoulder Bank.yaml")) == "my-shoulder-bank"
    assert bank_id_for(Path("--.yaml")) == "my-bank"
    assert bank_id_for(Path("Épaule_2.yml")) == "paule-2"
    assert "\nid: c5-t1 " in scaffold(Path("C5 T1.yaml"))


def test_scaffold_points_at_the_schema_beside_it() -> None:
    first = scaffold(Path("x.yaml")).splitlines()[0]
    assert first == "# yaml-language-server: $schema=./bank.schema.json"


# --- the JSON Schema, when the optional jsonschema package is installed -----------------------


def _schema_errors(data: Any) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(bank_schema())
    return [error.message for error in validator.iter_errors(data)]


def test_schema_is_a_valid_draft7_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft7Validator.check_schema(bank_schema())


def test_docs_examples_scaffold_and_shipped_banks_match_the_schema(tmp_path: Path) -> None:
    pytest.importorskip("jsonschema")
    texts = [scaffold(tmp_path / "s.yaml")]
    for _, block in yaml_blocks():
        start = first_line(block)
        if start == "format: 1":
            texts.append(block)
        elif start.startswith("- id:") or start in HEADER_KEYS:
            texts.append(wrap(block))
    shipped = sorted((REPO / "question_banks").glob("*.yaml"))
    texts += [path.read_text(encoding="utf-8") for path in shipped]
    for text in texts:
        data = parse(text.encode("utf-8")).data  # the data exactly as the loader reads it
        assert _schema_errors(data) == [], text[:200]


@pytest.mark.parametrize(
    "code",
    [
        "unknown-field",
        "missing-field",
        "difficulty-range",
        "invalid-id",
        "wrong-type",
        "choice-count",
        "unknown-type",
    ],
)
def test_schema_rejects_what_the_loader_rejects(code: str) -> None:
    pytest.importorskip("jsonschema")
    data = parse((BROKEN / f"{code}.yaml").read_bytes()).data
    assert _schema_errors(data)


def test_schema_uses_only_draft7_keywords_that_editors_understand() -> None:
    # The YAML language server reads draft 7: `prefixItems` would be ignored while
    # `items: false` made every matching pair an error in the editor.
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    for keyword in ('"prefixItems"', '"$defs"', "#/$defs/", '"unevaluatedProperties"'):
        assert keyword not in text
    assert '"additionalItems": false' in text
