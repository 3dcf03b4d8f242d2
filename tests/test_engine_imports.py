"""The domain imports neither Textual nor SQLAlchemy; the service and the store import lazily.

And what the first question on screen needs leaves SQLAlchemy, the FSRS scheduler and the YAML
reader for later: they would cost the start-up budget a third of its time.

Checked in a fresh interpreter, so that modules other tests imported do not hide a leak.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import quiz.domain

HEAVY = ("textual", "sqlalchemy")


def imported_after(statement: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``heavy`` top-level packages in ``sys.modules`` after running ``statement``."""
    code = (
        f"import json, sys\n{statement}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_the_domain_imports_neither_textual_nor_sqlalchemy() -> None:
    modules = [f"quiz.domain.{m.name}" for m in pkgutil.iter_modules(quiz.domain.__path__)]
    assert {"quiz.domain.grading", "quiz.domain.scheduling", "quiz.domain.session"} <= set(modules)
    assert imported_after("\n".join(f"import {module}" for module in modules)) == []


def test_the_service_and_the_store_error_import_without_sqlalchemy() -> None:
    assert imported_after("import quiz.service\nfrom quiz.progress import StoreError") == []
    assert imported_after("import quiz.progress.convert") == []


def test_the_first_question_needs_neither_the_store_nor_the_scheduler_nor_yaml() -> None:
    first_question = (
        "import quiz.cli, quiz.tui.app, quiz.tui.screens.practice, quiz.tui.screens.exam\n"
        "import quiz.banks.loader\n"
        "import quiz.tui.widgets.choice, quiz.tui.widgets.matching, quiz.tui.widgets.ordering"
    )
    assert imported_after(first_question, ("sqlalchemy", "fsrs", "yaml")) == []


def test_a_mistyped_command_is_told_the_command_it_resembles() -> None:
    from click.testing import CliRunner

    from quiz.cli import main

    result = CliRunner().invoke(main, ["pratice"])
    assert result.exit_code == 2
    assert "No such command 'pratice'. Did you mean 'practice'?" in result.output
