"""``ims-quiz stats``, ``export`` and the session commands, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from quiz import preferences
from quiz.banks.loader import discover
from quiz.cli import main
from quiz.cli.base import json_text
from quiz.cli.records import export_fields
from quiz.cli.sessions import build_plan
from quiz.domain.cbm import Certainty
from quiz.domain.grading import ChoiceResponse
from quiz.domain.session import Mode, SessionPlan
from quiz.service import Trainer
from quiz.settings import Settings
from tests.engine_helpers import library_in, right, write_bank


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    write_bank(folder)
    return folder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "progress.sqlite3"


def practise(
    db: Path, tmp_path: Path, profile: str = "ann", certainty: Certainty | None = None
) -> None:
    """Answer the three safety questions: one right, one with an unsafe pick, one right."""
    trainer = Trainer.open(
        Settings(profile=profile, db_url=str(db)), library_in(tmp_path / "lib"), tz=UTC
    )
    session = trainer.start_session(SessionPlan(Mode.PRACTICE, topics=("safety",), seed=1))
    for index, item in enumerate(session.items):
        if item.question.id == "clean-technique":
            session.answer(index, ChoiceResponse(frozenset({0, 1, 2})), 12.0, certainty)
        else:
            session.answer(index, right(item.question), 12.0, certainty)
    session.finish()
    trainer.close()


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_stats_json(db: Path, bank_dir: Path, tmp_path: Path) -> None:
    empty = json.loads(
        run(
            "stats", "--json", "--profile", "ann", "--db", str(db), "--bank-dir", str(bank_dir)
        ).output
    )
    assert (empty["profile"], empty["attempts"], empty["accuracy"], empty["streak_days"]) == (
        "ann",
        0,
        None,
        0,
    )
    practise(db, tmp_path)
    result = run(
        "--db", str(db), "stats", "--json", "--bank-dir", str(bank_dir), "--profile", "ann"
    )
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["attempts"] == 3 and stats["accuracy"] == pytest.approx(2 / 3)
    assert stats["unsafe_picks"] == 1 and stats["streak_days"] == 1
    assert stats["unsafe"][0]["question"] == "ims-test/clean-technique"
    assert stats["unsafe"][0]["option"] == "Recap the needle"
    safety = next(t for t in stats["topics"] if t["key"] == "ims-test/safety")
    # same day, so retrievability is 1: (1 + 0.5 + 1) / 3, all three seen
    assert safety["attempts"] == 3 and safety["held"] == pytest.approx(2.5 / 3)
    assert (safety["seen"], safety["questions"]) == (3, 3)
    assert [r["key"] for r in stats["roots"]][:3] == ["C1", "C2", "C3"]
    assert len(stats["forecast"]) == 14 and stats["due_now"] >= 1
    assert stats["history"][0]["attempts"] == 3


def test_stats_report_certainty_based_marking(db: Path, bank_dir: Path, tmp_path: Path) -> None:
    practise(db, tmp_path, certainty=Certainty.SURE)  # 1, 0.5 (an unsafe pick), 1: all "sure"
    args = ("stats", "--db", str(db), "--bank-dir", str(bank_dir), "--profile", "ann")
    cbm = json.loads(run(*args, "--json").output)["cbm"]
    assert cbm["responses"] == 3
    assert cbm["accuracy"] == pytest.approx(2.5 / 3)
    assert cbm["average_mark"] == pytest.approx((3 + 1.5 + 3) / 3)  # partial credit scales 3
    # at 83% accuracy "sure" every time expects 3 x 0.833 - 6 x 0.167 = 1.5
    assert cbm["bonus"] == pytest.approx(0.1 * (2.5 - 1.5))
    assert (cbm["confident_errors"], cbm["confident_unsafe"]) == (0, 1)
    sure = cbm["calibration"][2]
    assert sure["certainty"] == 3 and sure["responses"] == 3
    assert (sure["optimal_low"], sure["optimal_high"], sure["judgement"]) == (0.8, 1.0, "ok")
    text = run(*args).output
    assert "Accuracy 83% · average mark 2.50 · bonus +10.0% · accuracy+bonus 93.3%" in text
    assert re.search(r"sure +│ +3 +│ +83% +│ +80%-100% +│ +ok", text)
    assert "of them unsafe picks 1" in text


def test_stats_without_certainty_show_no_cbm(db: Path, bank_dir: Path, tmp_path: Path) -> None:
    preferences.save(certainty=False)
    practise(db, tmp_path)
    args = ("stats", "--db", str(db), "--bank-dir", str(bank_dir), "--profile", "ann")
    assert json.loads(run(*args, "--json").output)["cbm"] is None
    assert "Certainty-based marking" not in run(*args).output


def test_stats_text(db: Path, bank_dir: Path, tmp_path: Path) -> None:
    practise(db, tmp_path)
    result = run("stats", "--db", str(db), "--bank-dir", str(bank_dir), "--profile", "ann")
    assert result.exit_code == 0
    assert "Profile ann" in result.output
    assert re.search(r"Unsafe picks +1", result.output)
    assert "Needling safety" in result.output


def test_export_columns_are_an_attempts_fields_in_their_old_order() -> None:
    assert export_fields() == (
        "id",
        "profile",
        "session_id",
        "mode",
        "bank_id",
        "question_id",
        "content_hash",
        "response",
        "score",
        "correct",
        "unsafe",
        "unsafe_choices",
        "seconds",
        "answered_at",
        "certainty",
        "topic",
        "prompt",
        "answer_text",
    )


def test_export_names_the_topic_prompt_and_chosen_options(
    db: Path, bank_dir: Path, tmp_path: Path
) -> None:
    practise(db, tmp_path)
    result = run("export", "--db", str(db), "--profile", "ann", "--bank-dir", str(bank_dir))
    rows = {row["question_id"]: row for row in csv.DictReader(io.StringIO(result.output))}
    clean = rows["clean-technique"]
    assert (clean["topic"], clean["prompt"]) == ("Needling safety", "Clean needle technique?")
    assert clean["answer_text"] == "Single use | Sharps container | Recap the needle"
    assert rows["end-order"]["answer_text"] == "Withdraw | Dispose | Record | Wash hands"
    without_banks = run("export", "--format", "json", "--db", str(db), "--profile", "ann")
    assert {r["prompt"] for r in json.loads(without_banks.output)} == {""}


def test_export_carries_the_certainty(db: Path, tmp_path: Path) -> None:
    practise(db, tmp_path, profile="ann", certainty=Certainty.FAIRLY_SURE)
    preferences.save(certainty=False)
    practise(db, tmp_path, profile="bob")
    base = ("export", "--db", str(db), "--profile")
    assert {row["certainty"] for row in csv.DictReader(io.StringIO(run(*base, "ann").output))} == {
        "2"
    }
    records = json.loads(run(*base, "bob", "--format", "json").output)
    assert {record["certainty"] for record in records} == {None}  # certainty was off


def test_export_json_has_every_field(db: Path, tmp_path: Path) -> None:
    empty = run("export", "--format", "json", "--db", str(db), "--profile", "ann").output
    assert empty == "[]\n"
    practise(db, tmp_path)
    text = run("export", "--format", "json", "--db", str(db), "--profile", "ann").output
    records = json.loads(text)
    assert text == json_text(records) + "\n"  # streamed row by row, the same indented list
    assert len(records) == 3
    assert all(tuple(record) == export_fields() for record in records)
    unsafe = next(r for r in records if r["question_id"] == "clean-technique")
    assert unsafe["response"] == {"kind": "choice", "selected": [0, 1, 2]}
    assert unsafe["unsafe"] is True and unsafe["unsafe_choices"] == ["Recap the needle"]
    assert unsafe["score"] == pytest.approx(0.5) and unsafe["correct"] is False
    assert unsafe["profile"] == "ann" and unsafe["mode"] == "practice" and unsafe["seconds"] == 12.0
    assert unsafe["answered_at"].endswith("Z") and len(unsafe["content_hash"]) == 16  # RFC 3339


def test_export_csv_to_a_file_and_per_profile(db: Path, tmp_path: Path) -> None:
    practise(db, tmp_path, "ann")
    practise(db, tmp_path, "bob")
    output = tmp_path / "out" / "attempts.csv"
    output.parent.mkdir()
    result = CliRunner().invoke(
        main, ["export", "-o", str(output), "--db", str(db), "--profile", "bob"]
    )
    assert result.exit_code == 0 and "wrote 3 attempt(s)" in result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert len(rows) == 3 and {row["profile"] for row in rows} == {"bob"}
    assert tuple(rows[0]) == export_fields()
    assert json.loads(rows[0]["response"])["kind"] in {"choice", "ordering"}
    assert {row["correct"] for row in rows} == {"true", "false"}
    every = run("export", "--all-profiles", "--db", str(db))
    assert len(list(csv.DictReader(io.StringIO(every.output)))) == 6


def test_a_corrupt_database_is_a_clear_error_not_a_traceback(db: Path) -> None:
    db.write_bytes(b"\x00garbage" * 64)
    for command in (["stats"], ["export"]):
        result = CliRunner().invoke(main, [*command, "--db", str(db)])
        assert result.exit_code == 1
        assert "not an ims-quiz progress database" in result.output
        assert "Traceback" not in result.output
    assert db.read_bytes() == b"\x00garbage" * 64


# --- session commands -----------------------------------------------------------------------------


def test_session_commands_open_the_app_with_the_plan(
    monkeypatch: pytest.MonkeyPatch, bank_dir: Path
) -> None:
    import quiz.tui.app

    opened: list[tuple[Settings, SessionPlan | None]] = []
    monkeypatch.setattr(
        quiz.tui.app,
        "run_app",
        lambda settings, plan=None, **options: opened.append((settings, plan)),
    )
    result = run(
        "exam",
        "--bank",
        "ims-test",
        "--topic",
        "safety",
        "--topic",
        "ims-test/model",
        "--count",
        "5",
        "--seed",
        "9",
        "--minutes",
        "15",
        "--bank-dir",
        str(bank_dir),
        "--profile",
        "ann",
    )
    assert result.exit_code == 0, result.output
    ((settings, plan),) = opened
    assert settings.profile == "ann"
    assert plan == SessionPlan(
        Mode.EXAM,
        bank_ids=("ims-test",),
        topics=("safety", "ims-test/model"),
        count=5,
        seed=9,
        minutes=15,
    )
    for mode in ("practice", "review", "weak", "mistakes"):
        assert run(mode, "--bank-dir", str(bank_dir)).exit_code == 0
    assert [plan.mode for _, plan in opened[1:]] == [  # type: ignore[union-attr]
        Mode.PRACTICE,
        Mode.REVIEW,
        Mode.WEAK,
        Mode.MISTAKES,
    ]
    for flag, asks in (("--certainty", True), ("--no-certainty", False)):
        assert run("exam", flag, "--bank-dir", str(bank_dir)).exit_code == 0
        assert opened[-1][1] is not None and opened[-1][1].certainty is asks
    assert run("practice", "--certainty", "--bank-dir", str(bank_dir)).exit_code == 2  # exams'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bank", "nope"], "Invalid value for --bank: no bank 'nope'; loaded banks:.*ims-test"),
        (
            ["--topic", "nope"],
            "Invalid value for --topic: no topic 'nope' in any bank; topics:.*myotomes",
        ),
        (
            ["--bank", "ims-test", "--topic", "tcm-theory"],
            "no topic 'tcm-theory' in the chosen banks; topics: model, myotomes, safety",
        ),
        (["--count", "0"], "Invalid value for '--count'"),
        (["--minutes", "10"], "--minutes sets an exam's time limit; practice has no timer"),
        (["--root", "T12"], "Invalid value for --root: no question is about 'T12'.*C5.*L4"),
        (["--tag", "nope"], "Invalid value for --tag: no question has 'nope'.*theory"),
        (["--type", "essay"], "Invalid value for '--type'.*'single'"),
        (["--difficulty", "4"], "Invalid value for '--difficulty'"),
        (
            ["--bank", "ims-test", "--type", "short", "--difficulty", "3"],
            "no question matches these options together",
        ),
    ],
)
def test_bad_session_options_name_the_valid_ids(
    bank_dir: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(main, ["practice", *args, "--bank-dir", str(bank_dir)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert re.search(message, result.output.replace("\n", " ")), result.output


def test_build_plan_defaults(bank_dir: Path) -> None:
    library = discover([bank_dir])
    # review serves the whole due queue unless told a count: the library's size leaves none out
    total = sum(len(bank.questions) for bank in library.usable())
    assert build_plan(library, "review") == SessionPlan(Mode.REVIEW, count=total)
    assert build_plan(library, "review", count=5) == SessionPlan(Mode.REVIEW, count=5)
    assert build_plan(library, "practice") == SessionPlan(Mode.PRACTICE, count=10)
    assert build_plan(library, "exam").certainty is None  # an exam's default: not asked
    assert build_plan(library, "exam", certainty=True).certainty is True
    with pytest.raises(click.BadParameter):
        build_plan(library, "practice", topics=("other-bank/safety",))


def test_session_filters_reach_the_plan(monkeypatch: pytest.MonkeyPatch, bank_dir: Path) -> None:
    import quiz.tui.app

    opened: list[SessionPlan | None] = []
    monkeypatch.setattr(
        quiz.tui.app, "run_app", lambda settings, plan=None, **_: opened.append(plan)
    )
    args = ["--root", "C5", "--root", "L4", "--type", "single", "--type", "short"]
    args += ["--difficulty", "2", "--difficulty", "1", "--unused", "--incorrect", "--flagged"]
    for mode in ("weak", "mistakes"):
        result = run(mode, *args, "--bank-dir", str(bank_dir))
        assert result.exit_code == 0, result.output
    assert opened[0] == SessionPlan(
        Mode.WEAK,
        roots=("C5", "L4"),
        types=("single", "short"),
        difficulties=(1, 2),
        unused=True,
        incorrect=True,
        flagged=True,
        count=Mode.WEAK.default_count,
    )
    assert opened[1] is not None and opened[1].mode is Mode.MISTAKES


@pytest.mark.parametrize("args", [(), ("practice", "--count", "1")])
def test_the_trainer_without_a_terminal_says_so_and_exits(
    args: tuple[str, ...], bank_dir: Path
) -> None:
    """With its input or output redirected (CliRunner's are not terminals) the trainer would
    draw into the pipe, or spin on an endless end of input: it says what to use instead."""
    result = run(*args, "--bank-dir", str(bank_dir))
    assert result.exit_code == 1
    assert "the trainer needs an interactive terminal" in result.output
    assert "ims-quiz stats --json" in result.output
