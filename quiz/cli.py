"""The ``ims-quiz`` command.

A bare ``ims-quiz`` opens the trainer. Global options (``--profile``, ``--db``, ``--bank-dir``)
are accepted before or after a subcommand, as users type them. Heavy imports (Textual, the
database) happen inside the subcommand that needs them, so ``ims-quiz validate`` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from quiz import __version__
from quiz.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def _settings(ctx: click.Context) -> Settings:
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def _set_profile(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        _settings(ctx).profile = value


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        _settings(ctx).db_url = value


def _add_bank_dirs(ctx: click.Context, _param: click.Parameter, value: tuple[Path, ...]) -> None:
    _settings(ctx).bank_dirs.extend(value)


def global_options(command: F) -> F:
    """The options every command accepts, before or after the subcommand's name."""
    options = [
        click.option(
            "--profile",
            metavar="NAME",
            expose_value=False,
            callback=_set_profile,
            help="Whose progress to use (default: $IMS_QUIZ_PROFILE or your user name).",
        ),
        click.option(
            "--db",
            metavar="URL",
            expose_value=False,
            callback=_set_db,
            help="Progress database: a file path or SQLAlchemy URL (default: $IMS_QUIZ_DB "
            "or a SQLite file in your data dir).",
        ),
        click.option(
            "--bank-dir",
            "bank_dirs",
            multiple=True,
            type=click.Path(path_type=Path),
            expose_value=False,
            callback=_add_bank_dirs,
            help="Also load banks from this folder (repeatable; see also $IMS_QUIZ_BANKS).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ims-quiz")
@global_options
@click.pass_context
def main(ctx: click.Context) -> None:
    """Train Gunn IMS: point selection, the neuropathic model, IMS vs TCM, needling safety.

    Run without a command to open the trainer.
    """
    _settings(ctx)
    if ctx.invoked_subcommand is None:
        from quiz.tui.app import run_app

        run_app(_settings(ctx))


# --- instructor tooling --------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints one object, for CI of bank repositories.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@global_options
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], output_format: str, strict: bool) -> None:
    """Check bank files (or folders of them); with no PATH, every discovered bank.

    Prints one line per problem as path:line:col: severity[code]: message. Exits 0 when clean,
    1 when any error was found (warnings too with --strict), 2 for a usage error.
    """
    from quiz.banks.diagnostics import Severity
    from quiz.banks.loader import bank_dirs, find_bank_files, load_library

    settings = _settings(ctx)
    files = find_bank_files(paths or bank_dirs(settings.bank_dirs))
    library = load_library(files)
    diagnostics = [d.promoted() if strict else d for d in library.diagnostics]
    diagnostics.sort(key=lambda d: (d.path, d.line, d.column))
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    questions = sum(len(loaded.bank.questions) for loaded in library.banks.values() if loaded.bank)
    if output_format == "json":
        payload = {
            "files": [str(f) for f in files],
            "banks": len(library.banks),
            "questions": questions,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [
                {
                    "path": d.path,
                    "line": d.line,
                    "column": d.column,
                    "severity": d.severity.value,
                    "code": d.code,
                    "message": d.message,
                    "question": d.question,
                }
                for d in diagnostics
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for diagnostic in diagnostics:
            color = "red" if diagnostic.severity is Severity.ERROR else "yellow"
            location, _, rest = diagnostic.format().partition(f" {diagnostic.severity.value}[")
            click.echo(
                f"{location} {click.style(diagnostic.severity.value, fg=color, bold=True)}[{rest}"
            )
        if not files:
            click.echo("no bank files found", err=True)
        click.echo(
            f"{len(files)} file(s), {questions} question(s): "
            f"{errors} error(s), {warnings} warning(s)"
        )
    ctx.exit(1 if errors else 0)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@global_options
@click.pass_context
def banks(ctx: click.Context, as_json: bool) -> None:
    """List discovered banks, and the ones skipped as broken with their first problem."""
    from quiz.banks.loader import discover

    library = discover(_settings(ctx).bank_dirs)
    rows = [
        {
            "id": loaded.bank.id,
            "title": loaded.bank.title,
            "questions": len(loaded.bank.questions),
            "topics": len(loaded.bank.topics),
            "path": str(loaded.path),
        }
        for loaded in library.banks.values()
        if loaded.bank is not None
    ]
    skipped = [
        {
            "path": str(loaded.path),
            "errors": len(loaded.errors),
            "first": loaded.errors[0].format() if loaded.errors else "",
        }
        for loaded in library.skipped
    ]
    if as_json:
        click.echo(json.dumps({"banks": rows, "skipped": skipped}, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    table = Table(title="Question banks", title_justify="left")
    for name, justify in (("id", "left"), ("title", "left"), ("questions", "right"),
                          ("topics", "right"), ("path", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(Text(str(row[key])) for key in ("id", "title", "questions", "topics", "path")))
    console.print(table)
    if not rows:
        console.print("No usable banks found.")
    if skipped:
        console.print(Text(f"Skipped {len(skipped)} broken bank(s):", style="bold red"))
        for item in skipped:
            console.print(Text(f"  {item['first']}  (+{item['errors'] - 1} more)"
                               if item["errors"] > 1 else f"  {item['first']}"))
        console.print("Run `ims-quiz validate PATH` for every problem.")


@main.command()
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to FILE instead of stdout."
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the bank format (for editor autocompletion)."""
    from quiz.banks.schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")


@main.command("new-bank")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new_bank(file: Path, force: bool) -> None:
    """Write a commented starter bank with one question of each type."""
    from quiz.banks.scaffold import scaffold

    if file.exists() and not force:
        raise click.ClickException(f"{file} already exists; use --force to overwrite it")
    if file.suffix.lower() not in (".yaml", ".yml"):
        raise click.ClickException("the bank file name must end in .yaml or .yml")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(scaffold(file), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror or error}") from None
    click.echo(f"wrote {file}; check it with: ims-quiz validate {file}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
