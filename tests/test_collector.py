"""The cycle collector paused while the program builds what it keeps (quiz.collector), and the
``ims-quiz`` script's use of it (quiz.launch)."""

from __future__ import annotations

import gc
import subprocess
import sys

from quiz import collector


def test_a_pause_ends_with_its_block_and_a_pause_inside_one_leaves_it_paused() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause did not resume what the outer one paused
    assert gc.isenabled()


def test_a_pause_ends_when_its_block_raises() -> None:
    try:
        with collector.paused():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()


def test_the_script_runs_commands_other_than_the_trainer_with_the_collector_on() -> None:
    # The script pauses the collector before the first import; the group resumes it for a
    # command that opens no trainer.
    code = (
        "import gc, sys\n"
        "from quiz.cli.base import main as group\n"
        "@group.command('probe')\n"
        "def probe():\n"
        "    print('collector on' if gc.isenabled() else 'collector off')\n"
        "from quiz.launch import main\n"
        "main(['probe'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "collector on"
