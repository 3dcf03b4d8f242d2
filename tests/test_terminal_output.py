"""The bytes the app really writes to a terminal carry no control sequence from bank text.

Banks are data from strangers. The validator rejects terminal controls in bank text; these tests
check the second line of defence, that every output shows a control that got past it as a
visible escape. The TUI runs in a real pseudo-terminal (so what is read is Textual's driver
output, byte for byte) over a library built without the validator, as a bank loaded by an older
version or text from a database row would reach it. The CLI's stdout is read from a subprocess.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

ESC_TITLE = "\x1b]0;PWNED\x07"
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
BIDI = "\u202e"
PAYLOAD = ESC_TITLE + CLIPBOARD + CLEAR + C1_CSI + BIDI

# What bank text would write if it reached the terminal raw. Textual's own output is full of
# escape sequences, so the check is for these, not for every ESC.
RAW = [
    ESC_TITLE.encode(),
    b"\x1b]0;PWNED",
    CLIPBOARD.encode(),
    b"\x1b]52;",
    CLEAR.encode(),
    C1_CSI.encode(),
    BIDI.encode(),
]


def hostile_bank_data() -> dict[str, object]:
    """A bank whose every text field carries ``PAYLOAD``; valid but for those characters."""
    text = f"text {PAYLOAD} end"
    return {
        "format": 1,
        "id": "hostile",
        "title": f"Hostile {PAYLOAD} bank",
        "description": text,
        "topics": {"t": {"title": f"Topic {PAYLOAD}", "description": text}},
        "sources": {"s": f"Source {PAYLOAD}"},
        "cases": {"c": {"title": f"Case {PAYLOAD}", "vignette": f"Vignette {PAYLOAD}"}},
        "questions": [
            {
                "id": "q1",
                "type": "single",
                "topic": "t",
                "case": "c",
                "prompt": f"Prompt {PAYLOAD} one",
                "explanation": f"Explanation {PAYLOAD}",
                "refs": ["s"],
                "difficulty": 1,
                "shuffle": False,
                "choices": [
                    {"text": f"Right {PAYLOAD}", "correct": True, "why": f"Why {PAYLOAD}"},
                    {"text": f"Wrong {PAYLOAD}", "why": f"Why not {PAYLOAD}"},
                ],
            },
            {
                "id": "q2",
                "type": "true_false",
                "topic": "t",
                "prompt": f"Prompt {PAYLOAD} two",
                "explanation": f"Explanation {PAYLOAD}",
                "refs": ["s"],
                "difficulty": 1,
                "answer": True,
            },
        ],
    }


# Runs in the child: the app over the hostile bank, the validator bypassed.
APP_SCRIPT = """
import json, sys
import msgspec
from quiz.banks.loader import Library, LoadedBank
from quiz.domain.model import Bank
from quiz.domain.session import Mode, SessionPlan
from quiz.settings import Settings
from quiz.tui.app import run_app

bank = msgspec.convert(json.loads(sys.argv[1]), Bank)
library = Library(banks={bank.id: LoadedBank(path=None, bank=bank)})
practice = SessionPlan(Mode.PRACTICE, bank_ids=(bank.id,), seed=1)
plan = practice if sys.argv[2] == "practice" else None
run_app(Settings(db_url=sys.argv[3]), plan, library=library)
"""


_TERMINAL_SEQUENCE = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]")


def shown_text(output: bytes) -> bytes:
    """``output`` without its CSI sequences (cursor moves, colours): the text as drawn, in the
    order it was written, so that a marker split by styling is found whole."""
    return _TERMINAL_SEQUENCE.sub(b"", output)


def run_in_terminal(
    argv: list[str], steps: list[tuple[bytes, bytes]], env: dict[str, str], timeout: float = 20
) -> bytes:
    """Run ``argv`` in an 80x24 pseudo-terminal; for each ``(wait_for, keys)`` step, wait until
    ``wait_for`` has been written, then type ``keys``. Returns every byte the program wrote."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")  # 24 rows, 80 cols
    output = bytearray()
    deadline = time.monotonic() + timeout

    def read_until_new(marker: bytes | None, start: int, until: float) -> None:
        """Read until ``marker`` is written after byte ``start`` (or the time is up)."""
        while time.monotonic() < until and (
            marker is None or marker not in shown_text(output[start:])
        ):
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the child has gone
                    return
                if not chunk:
                    return
                output.extend(chunk)

    try:
        for wait_for, keys in steps:
            start = len(output)
            read_until_new(wait_for, start, deadline)
            if wait_for not in shown_text(output[start:]):
                raise AssertionError(f"{wait_for!r} never appeared; the screen: {bytes(output)!r}")
            time.sleep(0.3)  # let the screen settle before typing
            os.write(fd, keys)
        read_until_new(None, 0, time.monotonic() + 1.0)
        os.write(fd, b"\x11")  # ctrl+q
        read_until_new(None, 0, time.monotonic() + 3.0)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return bytes(output)


@pytest.fixture
def child_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("IMS_QUIZ_")}
    env.update(IMS_QUIZ_HOME=str(tmp_path / "home"), TERM="xterm-256color", COLUMNS="80")
    env.update(LINES="24", PYTHONIOENCODING="utf-8")
    return env


def assert_inert(output: bytes) -> None:
    for raw in RAW:
        assert raw not in output, f"raw {raw!r} from bank text reached the terminal"


def test_the_tui_shows_hostile_text_as_escapes(tmp_path: Path, child_env: dict[str, str]) -> None:
    """A practice question, its feedback, and home's banks screen over a hostile bank."""
    import json

    data = json.dumps(hostile_bank_data())
    db = str(tmp_path / "progress.sqlite3")
    practice = run_in_terminal(
        [sys.executable, "-c", APP_SCRIPT, data, "practice", db],
        [
            (b"Prompt", b"a\r"),
            (b"How sure", b"2"),  # certainty-based marking, on by default
            (b"Explanation", b"\r"),
            (b"2/2", b"a\r"),
            (b"How sure", b"3"),
            (b"Explanation", b""),
        ],
        child_env,
    )
    assert_inert(practice)
    # The escape is shown as text a trainee can read (split by styling at most, never lost).
    assert b"\\x1b]0;PWNED\\x07" in shown_text(practice)
    assert b"\\u202e" in shown_text(practice)

    fresh = str(tmp_path / "fresh.sqlite3")  # the practice run's session would be offered
    home = run_in_terminal(
        [sys.executable, "-c", APP_SCRIPT, data, "home", fresh],
        [(b"Due for review", b"b"), (b"Hostile", b"")],
        child_env,
    )
    assert_inert(home)
    assert b"\\x1b]0;PWNED" in shown_text(home)


def write_hostile_yaml(folder: Path) -> Path:
    """The hostile bank as a YAML file, its controls written as YAML escapes (``\\e``)."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.yaml"
    # JSON is YAML; json.dumps writes the controls as \\u escapes, which YAML decodes.
    path.write_text(json.dumps(hostile_bank_data(), ensure_ascii=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "--strict", "{bank}"],
        ["validate", "--format", "json", "{bank}"],
        ["banks", "--bank-dir", "{dir}"],
        ["banks", "--json", "--bank-dir", "{dir}"],
        ["stats", "--bank-dir", "{dir}"],
    ],
)
def test_the_cli_never_writes_bank_controls_raw(
    tmp_path: Path, child_env: dict[str, str], command: list[str]
) -> None:
    bank = write_hostile_yaml(tmp_path / "banks")
    argv = [part.format(bank=bank, dir=bank.parent) for part in command]
    result = subprocess.run(
        [sys.executable, "-m", "quiz", *argv],
        capture_output=True,
        env=child_env,
        timeout=60,
        check=False,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert_inert(result.stdout)
    assert_inert(result.stderr)
