"""The ``ims-quiz`` script (and ``python -m quiz``): the command, with the cycle collector
paused from the first import (:mod:`quiz.collector`).

A command other than the trainer's resumes it as soon as it is known (:func:`quiz.cli.base.main`);
the trainer resumes it once its first screen is drawn (:class:`quiz.tui.app.IMSQuizApp`).
"""

from __future__ import annotations

from quiz.collector import paused


def main(args: list[str] | None = None) -> None:
    """Run ``ims-quiz`` with ``args`` (default: the command line's)."""
    with paused():
        from quiz.cli import main as command

        command(args)
