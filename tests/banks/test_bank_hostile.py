"""Hostile and odd files: each gets a located diagnostic in bounded time; nothing runs or
crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from bank_helpers import VALID_BANK, assert_refused, brief, codes, load_text

from quiz.banks import diagnostics, yamlbuild, yamlread
from quiz.banks.loader import load_bank_file
from quiz.banks.yamlbuild import MAX_NODE_DEPTH
from quiz.domain.model import SingleChoice, TrueFalse

# --- tags that would build Python objects ------------------------------------------------------

PAYLOADS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
    "!!python/object/apply:builtins.exec [\"open('{marker}', 'w').close()\"]",
    "!!python/object/apply:builtins.eval [\"open('{marker}', 'w').close()\"]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:pathlib.Path {{}}",
    "!custom something",
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("where", ["value", "question", "key"])
def test_python_object_tags_never_run(tmp_path: Path, payload: str, where: str) -> None:
    marker = tmp_path / "pwned"
    tagged = payload.format(marker=marker)
    if where == "value":
        text = VALID_BANK.replace("title: A tiny bank", f"title: {tagged}")
    elif where == "question":
        text = VALID_BANK.replace(
            "    explanation: C5 is", f"    case: {tagged}\n    explanation: C5 is"
        )
    else:
        text = VALID_BANK.replace("title: A tiny bank", f"title: A tiny bank\n? {tagged}\n: x")
    loaded = load_text(tmp_path, text)
    assert not marker.exists(), "a YAML tag ran code"
    assert not loaded.ok
    assert "forbidden-tag" in codes(loaded), loaded.diagnostics
    if where == "question":
        tag = next(d for d in loaded.diagnostics if d.code == "forbidden-tag")
        assert (tag.line, tag.question) == (20, "c5-key")


def test_forbidden_tag_message_names_the_tag_briefly(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, VALID_BANK.replace("A tiny bank", "!!python/name:os.system"))
    assert brief(loaded.diagnostics)[0][:3] == ("forbidden-tag", 3, 8)
    assert "'!!python/name:os.system'" in loaded.diagnostics[0].message


# --- aliases --------------------------------------------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    problem = assert_refused(load_text(tmp_path, BILLION_LAUGHS), "alias-bomb")
    assert problem.line >= 1


def test_billion_laughs_as_question_tags_is_refused(tmp_path: Path) -> None:
    anchors = BILLION_LAUGHS.replace("\n", "\n  ").replace("a: &a", "  a: &a", 1)
    text = VALID_BANK.replace("topics:", f"x-anchors:\n{anchors}\ntopics:", 1).replace(
        "    refs: [moore]\n  - id: many-roots",
        "    tags: *i\n    refs: [moore]\n  - id: many-roots",
    )
    assert_refused(load_text(tmp_path, text), "alias-bomb")


def test_a_long_text_repeated_by_aliases_is_refused(tmp_path: Path) -> None:
    # Few values, but thousands of copies of 100 kB: the cache and the screen would pay for it.
    big = "x" * 100_000
    aliases = ", ".join(["*big"] * 2_000)
    text = VALID_BANK.replace(
        "    refs: [moore]\n  - id: many-roots",
        f"    tags: [&big {big}, {aliases}]\n    refs: [moore]\n  - id: many-roots",
    )
    assert_refused(load_text(tmp_path, text), "alias-bomb")


def test_modest_alias_use_is_fine(tmp_path: Path) -> None:
    text = VALID_BANK.replace("refs: [moore]", "refs: &cite [moore]", 1).replace(
        "refs: [moore]", "refs: *cite"
    )
    loaded = load_text(tmp_path, text)
    assert loaded.ok, loaded.diagnostics
    assert loaded.bank is not None and loaded.bank.questions[1].refs == ["moore"]


@pytest.mark.parametrize(
    "text", ["a: &a [*a]\n", "&a {x: *a}\n", "a: &a {b: [1, *a]}\n", "&r [[[*r]]]\n"]
)
def test_recursive_alias_is_refused(tmp_path: Path, text: str) -> None:
    problem = assert_refused(load_text(tmp_path, text), "too-deep")
    assert "contains it" in problem.message
    assert problem.line == 1


def test_undefined_alias_and_duplicate_anchor(tmp_path: Path) -> None:
    undefined = assert_refused(load_text(tmp_path, "format: 1\nid: *nowhere\n"), "yaml-syntax")
    assert (undefined.line, undefined.column) == (2, 5)
    twice = assert_refused(load_text(tmp_path, "a: &x 1\nb: &x 2\n"), "yaml-syntax")
    assert twice.line == 2 and "first at line 1" in twice.message


# --- nesting ------------------------------------------------------------------------------------

# Run in a child process: if a guard failed, libyaml would take the whole process down with a
# segfault, and that must fail this test rather than kill pytest.
DEEP_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from quiz.banks.loader import load_bank_file

    folder = Path(sys.argv[1])
    files = {
        "flow-lists": "[" * 100_000,
        "flow-maps": "{a: " * 100_000,
        "flow-mixed": "x: " + "[{a: " * 50_000,
        "flow-closed": "x: " + "[" * 100_000 + "]" * 100_000 + "\\n",
        "block-dashes": "- " * 100_000 + "x\\n",
        "block-keys": "? " * 100_000 + "x\\n",
        "block-indent": "".join(" " * i + "a:\\n" for i in range(3_000)),
        "block-double-spaced": "-  " * 499 + "x\\n" + "-  " * 100_000 + "x\\n",
        # 2**60 ways to split these spaces, for a regular expression that backtracks
        "backtracking-bait": ("-  " * 60 + "x\\n") * 200,
    }
    result = {}
    for name, text in files.items():
        path = folder / f"{name}.yaml"
        path.write_text(text)
        loaded = load_bank_file(path)
        result[name] = [d.code for d in loaded.diagnostics]
    print(json.dumps(result))
    """
)


def test_very_deep_nesting_gives_too_deep_and_never_crashes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", DEEP_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"crashed with {done.returncode}: {done.stderr[-2000:]}"
    result = json.loads(done.stdout)
    for name, found in result.items():
        if name == "backtracking-bait":
            assert found == ["not-mapping"], found  # parsed, in bounded time
        else:
            assert found[:1] == ["too-deep"], (name, found)


def test_nesting_libyaml_survives_is_still_refused_past_the_model_depth(tmp_path: Path) -> None:
    depth = MAX_NODE_DEPTH + 10
    flow = load_text(tmp_path, "tags: " + "[" * depth + "]" * depth + "\n", "flow.yaml")
    assert_refused(flow, "too-deep")
    block = "".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "b\n"
    assert_refused(load_text(tmp_path, block, "block.yaml"), "too-deep")


def test_deep_nesting_guard_locates_the_bracket(tmp_path: Path) -> None:
    text = "format: 1\nid: x\ntags: " + "[" * 2000
    problem = assert_refused(load_text(tmp_path, text), "too-deep")
    assert (problem.line, problem.column) == (3, 7 + yamlread.MAX_TEXT_NESTING)


# --- size, bytes and encodings -----------------------------------------------------------------


def test_file_over_the_cap_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:  # sparse: costs no disk and no time
        stream.truncate(diagnostics.MAX_FILE_BYTES + 1)

    def refuse_to_read(self: Path) -> bytes:
        raise AssertionError("a file over the cap was read")

    monkeypatch.setattr(Path, "read_bytes", refuse_to_read)
    loaded = load_bank_file(path)
    assert brief(loaded.diagnostics) == [("file-too-large", 0, 0, None)]
    assert "MiB" in loaded.diagnostics[0].message


def test_lowered_cap_applies_to_parse_too(tmp_path: Path, small_size_cap: int) -> None:
    assert_refused(load_text(tmp_path, VALID_BANK), "file-too-large")
    with pytest.raises(diagnostics.YamlProblem):
        yamlread.parse(b"x" * (small_size_cap + 1))


def test_non_utf8_byte_is_located(tmp_path: Path) -> None:
    raw = VALID_BANK.encode().replace(b"Which movement", b"Which mov\xe9ment")
    problem = assert_refused(load_text(tmp_path, raw), "encoding")
    assert (problem.line, problem.column) == (13, 22)
    assert "0xe9" in problem.message


def test_utf16_file_is_an_encoding_error(tmp_path: Path) -> None:
    problem = assert_refused(load_text(tmp_path, VALID_BANK.encode("utf-16")), "encoding")
    assert (problem.line, problem.column) == (1, 1)


def test_utf8_bom_is_accepted_and_columns_are_not_shifted(tmp_path: Path) -> None:
    assert load_text(tmp_path, b"\xef\xbb\xbf" + VALID_BANK.encode()).ok
    broken = VALID_BANK.replace("topic: myotomes", "topic: myotome", 1)
    loaded = load_text(tmp_path, b"\xef\xbb\xbf" + broken.encode(), "bom.yaml")
    assert brief(loaded.diagnostics) == [("unknown-topic", 11, 12, "c5-key")]


def test_crlf_line_ends_are_accepted_and_lines_are_right(tmp_path: Path) -> None:
    assert load_text(tmp_path, VALID_BANK.replace("\n", "\r\n")).ok
    broken = VALID_BANK.replace("topic: myotomes", "topic: myotome", 1).replace("\n", "\r\n")
    loaded = load_text(tmp_path, broken, "crlf.yaml")
    assert brief(loaded.diagnostics) == [("unknown-topic", 11, 12, "c5-key")]
    block = VALID_BANK.replace(
        "explanation: C5 is shoulder abduction.", "explanation: |\n      C5.\n      Deltoid."
    )
    crlf = load_text(tmp_path, block.replace("\n", "\r\n"), "crlf-block.yaml")
    assert crlf.bank is not None and crlf.bank.questions[0].explanation == "C5.\nDeltoid.\n"


def test_tab_indentation_is_a_located_syntax_error_with_a_hint(tmp_path: Path) -> None:
    text = VALID_BANK.replace("    type: single", "\ttype: single")
    problem = assert_refused(load_text(tmp_path, text), "yaml-syntax")
    assert problem.line == 10
    assert "tabs" in problem.message


def test_tab_inside_text_is_fine(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, VALID_BANK.replace("Which movement", "Which\tmovement"))
    assert loaded.ok, loaded.diagnostics
    assert loaded.bank is not None and "\t" in loaded.bank.questions[0].prompt


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"# only a comment\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    assert brief(load_text(tmp_path, content).diagnostics) == [("empty-file", 0, 0, None)]


@pytest.mark.parametrize(
    ("text", "line", "kind"),
    [
        ("- format: 1\n- id: x\n", 1, "a list"),
        ("just some text\n", 1, "text"),
        ("42\n", 1, "a number"),
        ("---\n", 2, "nothing"),
        ("~\n", 1, "nothing"),
    ],
)
def test_top_level_that_is_not_a_mapping(tmp_path: Path, text: str, line: int, kind: str) -> None:
    problem = assert_refused(load_text(tmp_path, text), "not-mapping")
    assert problem.line == line and problem.message.endswith(kind)


def test_multiple_documents(tmp_path: Path) -> None:
    text = VALID_BANK + "---\n" + VALID_BANK
    loaded = load_text(tmp_path, text)
    assert brief(loaded.diagnostics) == [("multiple-documents", 32, 1, None)]  # at the `---`


def test_duplicate_keys_at_top_level_and_in_a_question(tmp_path: Path) -> None:
    text = VALID_BANK.replace("title: A tiny bank", "title: A tiny bank\ntitle: Again").replace(
        "    answer: true", "    answer: true\n    answer: false"
    )
    loaded = load_text(tmp_path, text)
    assert brief(loaded.diagnostics) == [
        ("duplicate-key", 4, 1, None),
        ("duplicate-key", 29, 5, "many-roots"),
    ]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066"])
def test_control_characters_are_located_and_cost_only_their_question(
    tmp_path: Path, char: str
) -> None:
    text = VALID_BANK.replace("Which movement", f"Which é{char}movement")
    loaded = load_text(tmp_path, text)
    # columns count characters, not bytes
    assert brief(loaded.diagnostics) == [("control-character", 13, 20, "c5-key")]
    assert f"U+{ord(char):04X}" in loaded.diagnostics[0].message
    assert loaded.bank is not None and [q.id for q in loaded.bank.questions] == ["many-roots"]
    assert [q.id for q in loaded.skipped_questions] == ["c5-key"]


def test_characters_yaml_itself_refuses_are_a_located_syntax_error(tmp_path: Path) -> None:
    text = VALID_BANK.replace("Which movement", "Which é\ufffemovement")
    problem = assert_refused(load_text(tmp_path, text), "yaml-syntax")
    assert (problem.line, problem.column) == (13, 20)


# --- scalars that are costly or impossible to convert -----------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1" * 5_000,  # Python refuses to convert ints over 4,300 digits
        "1" + ":1" * 100_000,  # a YAML 1.1 base-60 int: quadratic to convert
        "1" + ":1" * 100_000 + ".5",
        "0b" + "1" * 10_000,
        "1e99999",
    ],
)
def test_huge_numbers_do_not_crash_or_hang(tmp_path: Path, value: str) -> None:
    text = VALID_BANK.replace("difficulty: 1", f"difficulty: {value}", 1)
    loaded = load_text(tmp_path, text)
    assert not loaded.ok
    assert brief(loaded.diagnostics)[0][1:] == (12, 17, "c5-key")


@pytest.mark.parametrize("tagged", ["!!int abc", "!!float abc", "!!bool maybe", "!!int ''"])
def test_explicit_scalar_tags_that_do_not_fit(tmp_path: Path, tagged: str) -> None:
    text = VALID_BANK.replace("difficulty: 1", f"difficulty: {tagged}", 1)
    loaded = load_text(tmp_path, text)
    assert brief(loaded.diagnostics)[0] == ("wrong-type", 12, 17, "c5-key")


def test_a_text_field_keeps_what_yaml_11_would_read_as_true_false_or_a_number(
    tmp_path: Path,
) -> None:
    text = (
        VALID_BANK.replace("text: Finger abduction", "text: No")
        .replace("why: That tests T1.", "why: no")
        .replace("title: A tiny bank", "title: A tiny bank\nversion: 1.10\nauthors: [yes, 2026]")
        .replace(
            "    refs: [moore]\n  - id: many-roots",
            "    refs: [moore]\n    tags: [on, 1e3, 0x1F]\n  - id: many-roots",
        )
    )
    loaded = load_text(tmp_path, text)
    assert loaded.ok and loaded.bank is not None, [d.format() for d in loaded.diagnostics]
    assert loaded.bank.version == "1.10"
    assert loaded.bank.authors == ["yes", "2026"]
    question = loaded.bank.questions[0]
    assert isinstance(question, SingleChoice)
    assert (question.choices[1].text, question.choices[1].why) == ("No", "no")
    assert question.tags == ["on", "1e3", "0x1F"]


@pytest.mark.parametrize(
    ("written", "value"), [("true", True), ("yes", True), ("No", False), ("FALSE", False)]
)
def test_a_true_false_field_takes_true_false_and_yes_no(
    tmp_path: Path, written: str, value: bool
) -> None:
    text = VALID_BANK.replace("answer: true", f"answer: {written}")
    loaded = load_text(tmp_path, text)
    assert loaded.ok and loaded.bank is not None
    question = loaded.bank.questions[1]
    assert isinstance(question, TrueFalse) and question.answer is value


@pytest.mark.parametrize("written", ["on", "1", '"yes"', "maybe"])
def test_a_true_false_field_refuses_anything_else(tmp_path: Path, written: str) -> None:
    text = VALID_BANK.replace("answer: true", f"answer: {written}")
    loaded = load_text(tmp_path, text)
    assert brief(loaded.diagnostics) == [("wrong-type", 27, 13, "many-roots")]
    assert "expected true or false" in loaded.diagnostics[0].message


@pytest.mark.parametrize("written", ["yes", "one", '"1"', "1.5"])
def test_numbers_only_where_numbers_belong(tmp_path: Path, written: str) -> None:
    text = VALID_BANK.replace("difficulty: 1", f"difficulty: {written}", 1)
    loaded = load_text(tmp_path, text)
    assert brief(loaded.diagnostics) == [("wrong-type", 12, 17, "c5-key")]


def test_dates_and_on_keys_stay_text(tmp_path: Path) -> None:
    text = VALID_BANK.replace(
        "title: A tiny bank", "title: A tiny bank\nreviewed: [{by: Ann, on: 2026-11-24}]"
    )
    loaded = load_text(tmp_path, text)
    assert loaded.ok and loaded.bank is not None
    assert loaded.bank.reviewed[0].on == "2026-11-24"


# --- keys ---------------------------------------------------------------------------------------


def test_non_text_keys(tmp_path: Path) -> None:
    text = VALID_BANK.replace("title: A tiny bank", "title: A tiny bank\n[a, b]: x\n7: y")
    loaded = load_text(tmp_path, text)
    assert brief(loaded.diagnostics) == [
        ("wrong-type", 4, 1, None),
        ("unknown-field", 5, 1, None),
    ]


def test_merge_keys_get_a_clear_message(tmp_path: Path) -> None:
    merge = "  - id: many-roots\n    <<: {difficulty: 1}\n"
    text = VALID_BANK.replace("  - id: many-roots\n", merge)
    loaded = load_text(tmp_path, text)
    assert codes(loaded) == ["unknown-field"]
    assert "merge keys" in loaded.diagnostics[0].message


# --- paths that are not bank files --------------------------------------------------------------


def test_missing_file_folder_and_fifo(tmp_path: Path) -> None:
    missing = load_bank_file(tmp_path / "nope.yaml")
    assert brief(missing.diagnostics) == [("file-unreadable", 0, 0, None)]
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert codes(load_bank_file(folder)) == ["file-unreadable"]
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.yaml"
        os.mkfifo(fifo)
        assert codes(load_bank_file(fifo)) == ["file-unreadable"]  # and it did not block


# --- the resolver ---------------------------------------------------------------------------------


def test_fast_resolver_gives_the_same_tags_as_pyyaml() -> None:
    scalars = (
        "'' ~ null Null NULL yes No on OFF y n true False 1 -1 +1 0x1F 0o17 017 0b101 1_000 1:20 "
        "190:20:30 1.5 -.5 +.5 1e3 .inf -.Inf .NaN 2026-11-24 2026-11-24T10:00:00Z << = abc "
        "'quoted' \"1\" C5 T12 3.2.1 1,000"
    ).split()
    text = "\n".join(f"- {scalar}" for scalar in scalars) + "\n- \n- [a, 1]\n- {a: 1}\n"

    def tags(loader: type) -> list[tuple[str, str]]:
        root = yaml.compose(text, Loader=loader)
        return [
            (node.tag.removeprefix(yamlbuild.IMPLICIT), str(node.value))
            for node in root.value
            if isinstance(node, yaml.ScalarNode)
        ] + [(node.tag, "") for node in root.value if not isinstance(node, yaml.ScalarNode)]

    # The same tags, once the mark on those guessed from a plain scalar's spelling is removed.
    assert tags(yamlread._BankLoader) == tags(yaml.SafeLoader)


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_a_bank_saved_as_utf16_or_utf32_is_named_so(
    tmp_path: Path, encoding: str, name: str
) -> None:
    path = tmp_path / "windows.yaml"
    bom = "\ufeff" if encoding.endswith("-be") else ""  # utf-16/utf-32 write their own mark
    path.write_bytes((bom + VALID_BANK).encode(encoding))
    loaded = load_bank_file(path)
    assert loaded.bank is None
    [problem] = loaded.diagnostics
    assert (problem.code, problem.line, problem.column) == ("encoding", 1, 1)
    assert f"saved as {name}" in problem.message and "save it as UTF-8" in problem.message
