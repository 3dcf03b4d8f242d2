"""The ``ims-quiz`` command.

A bare ``ims-quiz`` opens the trainer. Global options (``--profile``, ``--db``, ``--bank-dir``)
are accepted before or after a subcommand, as users type them. Heavy imports (Textual, the
database) happen inside the subcommand that needs them, so ``ims-quiz validate`` starts fast.

The commands live by audience: :mod:`quiz.cli.authoring` for instructors (validate, banks,
schema, new-bank, items, reports), :mod:`quiz.cli.interop` for other formats (import-bank,
export-bank), :mod:`quiz.cli.sessions` for the session commands, and :mod:`quiz.cli.records` for
a trainee's records (stats, export, check-db). Every line they print that
carries text from a bank or a database passes through :func:`quiz.domain.text.visible` once
(:func:`quiz.cli.base.inert`, :func:`quiz.cli.base.echo_json`).
"""

from __future__ import annotations

from quiz.cli import authoring, interop, records, sessions  # noqa: F401  (importing registers them)
from quiz.cli.base import main
from quiz.cli.records import export_fields
from quiz.cli.sessions import build_plan

__all__ = ["build_plan", "export_fields", "main"]
