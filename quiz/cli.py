"""The ``ims-quiz`` command.

A bare ``ims-quiz`` opens the trainer. Global options (``--profile``, ``--db``, ``--bank-dir``)
are accepted before or after a subcommand, as users type them. Heavy imports (Textual, the
database) happen inside the subcommand that needs them, so ``ims-quiz validate`` starts fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from quiz import __version__
from quiz.settings import Settings

if TYPE_CHECKING:
    from quiz.banks.loader import Library
    from quiz.domain.session import Attempt, SessionPlan
    from quiz.service import Mastery, Trainer

F = TypeVar("F", bound=Callable[..., Any])


def _json(value: Any, *, indent: int | None = 2) -> str:
    """``value`` as JSON, non-ASCII text kept as is (json is imported only by the commands that
    print it, not on the way to the trainer)."""
    import json

    return json.dumps(value, indent=indent, ensure_ascii=False)


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
    questions = sum(len(bank.questions) for bank in library.usable())
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
        click.echo(_json(payload))
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
    from quiz import paths
    from quiz.banks.loader import bank_dirs, discover

    settings = _settings(ctx)
    library = discover(settings.bank_dirs)
    searched = [str(folder) for folder in bank_dirs(settings.bank_dirs)]
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
        payload = {
            "banks": rows,
            "skipped": skipped,
            "searched": searched,
            "user_bank_dir": str(paths.user_bank_dir()),
        }
        click.echo(_json(payload))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    table = Table(title="Question banks", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("questions", justify="right")
    table.add_column("topics", justify="right")
    table.add_column("path", overflow="fold")
    for row in rows:
        table.add_row(
            *(Text(str(row[key])) for key in ("id", "title", "questions", "topics", "path"))
        )
    console.print(table)
    if not rows:
        console.print("No usable banks found.")
    if skipped:
        console.print(Text(f"Skipped {len(skipped)} broken bank(s):", style="bold red"))
        for item in skipped:
            console.print(
                Text(
                    f"  {item['first']}  (+{item['errors'] - 1} more)"
                    if item["errors"] > 1
                    else f"  {item['first']}"
                )
            )
        console.print("Run `ims-quiz validate PATH` for every problem.")
    console.print(Text(f"Searched: {', '.join(searched)}", style="dim"))
    console.print(Text(f"Put your own banks in {paths.user_bank_dir()}", style="dim"))


@main.command()
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to FILE instead of stdout."
)
@global_options
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the bank format (for editor autocompletion)."""
    from quiz.banks.schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise click.ClickException(
                f"cannot write {output}: {error.strerror or error}"
            ) from None
        click.echo(f"wrote {output}")


@main.command("new-bank")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@global_options
def new_bank(file: Path, force: bool) -> None:
    """Write a commented starter bank with one question of each type, and bank.schema.json."""
    from quiz.banks.scaffold import scaffold, write_schema_beside

    if file.exists() and not force:
        raise click.ClickException(f"{file} already exists; use --force to overwrite it")
    if file.suffix.lower() not in (".yaml", ".yml"):
        raise click.ClickException("the bank file name must end in .yaml or .yml")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(scaffold(file), encoding="utf-8")
        write_schema_beside(file)  # the bank's first line names it: ./bank.schema.json
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror or error}") from None
    click.echo(f"wrote {file}; check it with: ims-quiz validate {file}")


# --- trainee sessions and progress ---------------------------------------------------------------


def session_options(command: F) -> F:
    """The options of ``practice``, ``exam`` and ``review``."""
    options = [
        click.option(
            "--bank",
            "bank_ids",
            multiple=True,
            metavar="ID",
            help="Only questions from this bank (repeatable; see `ims-quiz banks`).",
        ),
        click.option(
            "--topic",
            "topics",
            multiple=True,
            metavar="ID",
            help="Only this topic: a topic id, or bank-id/topic-id (repeatable).",
        ),
        click.option(
            "--count",
            type=click.IntRange(min=1),
            help="How many questions (default 20).",
        ),
        click.option(
            "--seed",
            type=int,
            help="Seed for the draw and the shuffling: the same seed gives the same session.",
        ),
        click.option(
            "--minutes",
            type=click.IntRange(min=1),
            help="Time limit in minutes (exams).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_plan(
    library: Library,
    mode: str,
    *,
    bank_ids: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    count: int | None = None,
    seed: int | None = None,
    minutes: int | None = None,
) -> SessionPlan:
    """The session plan for the command-line options, checked against ``library``.

    Raises:
        click.BadParameter: A bank or topic is not in the library; the message lists the
            valid ids.
    """
    from quiz.domain.session import DEFAULT_COUNT, Mode, SessionPlan

    loaded = {bank.id: bank for bank in library.usable()}
    if not loaded and (bank_ids or topics):
        raise click.UsageError("no usable banks are loaded; see `ims-quiz banks`")
    for bank_id in bank_ids:
        if bank_id not in loaded:
            raise click.BadParameter(
                f"no bank '{bank_id}'; loaded banks: {', '.join(sorted(loaded))}",
                param_hint="--bank",
            )
    chosen = [loaded[bank_id] for bank_id in (bank_ids or loaded)]
    valid_topics = {topic for bank in chosen for topic in bank.topics}
    valid_topics |= {f"{bank.id}/{topic}" for bank in chosen for topic in bank.topics}
    for topic in topics:
        if topic not in valid_topics:
            listed = sorted(t for t in valid_topics if "/" not in t)
            raise click.BadParameter(
                f"no topic '{topic}' in {'the chosen banks' if bank_ids else 'any bank'}; "
                f"topics: {', '.join(listed)} (or bank-id/topic-id)",
                param_hint="--topic",
            )
    return SessionPlan(
        mode=Mode(mode),
        bank_ids=tuple(bank_ids),
        topics=tuple(topics),
        count=count or DEFAULT_COUNT,
        seed=seed,
        minutes=minutes,
    )


def _open_session(ctx: click.Context, mode: str, **options: Any) -> None:
    from quiz.banks.loader import discover

    settings = _settings(ctx)
    library = discover(settings.bank_dirs)
    # The banks, and the modules loaded so far, last as long as the trainer: frozen out of the
    # cycle collector's way now (not when the app mounts), start-up's young collections stop
    # walking them over and over; about a twentieth of the time to the first question.
    gc.freeze()
    plan = build_plan(library, mode, **options)
    from quiz.tui.app import run_app

    run_app(settings, plan=plan, library=library)


@main.command()
@session_options
@global_options
@click.pass_context
def practice(ctx: click.Context, **options: Any) -> None:
    """Practise: random questions, feedback after each answer."""
    _open_session(ctx, "practice", **options)


@main.command()
@session_options
@global_options
@click.pass_context
def exam(ctx: click.Context, **options: Any) -> None:
    """Sit an exam: feedback at the end, optional time limit (--minutes)."""
    _open_session(ctx, "exam", **options)


@main.command()
@session_options
@global_options
@click.pass_context
def review(ctx: click.Context, **options: Any) -> None:
    """Review what spaced repetition has due, then new questions (20 a day)."""
    _open_session(ctx, "review", **options)


def _open_trainer(settings: Settings, library: Library) -> Trainer:
    from quiz.progress import StoreError
    from quiz.service import Trainer

    try:
        return Trainer.open(settings, library)
    except StoreError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@global_options
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Your progress: totals, accuracy, mastery per topic and per spinal root, what is due."""
    from quiz.banks.loader import discover

    settings = _settings(ctx)
    trainer = _open_trainer(settings, discover(settings.bank_dirs))
    try:
        progress = trainer.progress()
    finally:
        trainer.close()
    summary = progress.summary
    if as_json:
        payload = {
            "profile": summary.profile,
            "attempts": summary.attempts,
            "accuracy": summary.accuracy,
            "due_today": summary.due_today,
            "new_available": summary.new_available,
            "streak_days": summary.streak_days,
            "unsafe_picks": summary.unsafe_picks,
            "questions_total": summary.questions_total,
            "topics": [_mastery_json(m) for m in progress.topics],
            "roots": [_mastery_json(m) for m in progress.roots],
            "unsafe": [
                {"question": key, "option": option, "when": when.isoformat()}
                for key, option, when in progress.unsafe
            ],
            "history": [
                {"day": d.day.isoformat(), "attempts": d.attempts, "correct": d.correct}
                for d in progress.history
            ],
            "forecast": [{"day": day.isoformat(), "due": due} for day, due in progress.forecast],
        }
        click.echo(_json(payload))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    accuracy = f"{summary.accuracy:.0%}" if summary.accuracy is not None else "-"
    lines = Text()
    lines.append(f"Profile {summary.profile}\n", style="bold")
    lines.append(f"Answered         {summary.attempts} (accuracy {accuracy})\n")
    lines.append(f"Streak           {summary.streak_days} day(s)\n")
    lines.append(f"Due today        {summary.due_today}\n")
    lines.append(f"New available    {summary.new_available}\n")
    lines.append(f"Questions        {summary.questions_total}\n")
    lines.append(
        f"Unsafe picks     {summary.unsafe_picks}",
        style="bold red" if summary.unsafe_picks else "",
    )
    console.print(lines)
    topics = Table(title="Mastery per topic", title_justify="left")
    for name, justify in (
        ("topic", "left"),
        ("bank", "left"),
        ("mastery", "right"),
        ("attempts", "right"),
    ):
        topics.add_column(name, justify=justify)  # type: ignore[arg-type]
    for mastery in progress.topics:
        bank_id = mastery.key.partition("/")[0]
        topics.add_row(
            Text(mastery.title), Text(bank_id), f"{mastery.mastery:.0%}", str(mastery.attempts)
        )
    if progress.topics:
        console.print(topics)
    roots = [mastery for mastery in progress.roots if mastery.attempts]
    if roots:
        table = Table(title="Mastery per spinal root", title_justify="left")
        for name, justify in (("root", "left"), ("mastery", "right"), ("attempts", "right")):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for mastery in roots:
            table.add_row(mastery.key, f"{mastery.mastery:.0%}", str(mastery.attempts))
        console.print(table)


def _mastery_json(mastery: Mastery) -> dict[str, Any]:
    return {
        "key": mastery.key,
        "title": mastery.title,
        "mastery": mastery.mastery,
        "attempts": mastery.attempts,
    }


EXPORT_FIELDS = (
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
)
"""The columns of ``ims-quiz export``, in order."""


def export_record(attempt: Attempt) -> dict[str, Any]:
    """One attempt as an export record: JSON values, times in ISO 8601 UTC."""
    from quiz.domain.grading import response_to_dict

    return {
        "id": attempt.id,
        "profile": attempt.profile,
        "session_id": attempt.session_id,
        "mode": attempt.mode.value,
        "bank_id": attempt.bank_id,
        "question_id": attempt.question_id,
        "content_hash": attempt.content_hash,
        "response": response_to_dict(attempt.response),
        "score": attempt.score,
        "correct": attempt.correct,
        "unsafe": attempt.unsafe,
        "unsafe_choices": list(attempt.unsafe_choices),
        "seconds": attempt.seconds,
        "answered_at": attempt.answered_at.isoformat(),
    }


@main.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv: one row per attempt (JSON in the response columns); json: a list of objects.",
)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to FILE instead of stdout."
)
@click.option("--all-profiles", is_flag=True, help="Every profile's attempts, not only yours.")
@global_options
@click.pass_context
def export(ctx: click.Context, output_format: str, output: Path | None, all_profiles: bool) -> None:
    """Export every attempt, with all its fields, oldest first."""
    import csv
    import io

    from quiz.banks.loader import Library

    trainer = _open_trainer(_settings(ctx), Library())
    try:
        attempts = trainer.attempts(all_profiles=all_profiles)
    finally:
        trainer.close()
    records = [export_record(attempt) for attempt in attempts]
    if output_format == "json":
        text = _json(records) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(
                {
                    key: _json(value, indent=None)
                    if isinstance(value, (dict, list, bool))
                    else value
                    for key, value in record.items()
                }
            )
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    click.echo(f"wrote {len(records)} attempt(s) to {output}", err=True)


@main.command()
@click.option(
    "--bank", "bank_ids", multiple=True, metavar="ID", help="Only this bank (repeatable)."
)
@click.option("--flagged", is_flag=True, help="Only questions with a flag.")
@click.option(
    "--min-trainees",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Trainees needed before a question is flagged.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@global_options
@click.pass_context
def items(
    ctx: click.Context, bank_ids: tuple[str, ...], flagged: bool, min_trainees: int, as_json: bool
) -> None:
    """Item analysis for instructors: which questions are too easy, too hard or misleading.

    Uses every profile's first try at the current text of each question (see
    quiz/domain/analysis.py for the definitions).
    """
    from quiz.banks.loader import discover
    from quiz.domain.analysis import item_analysis

    settings = _settings(ctx)
    library = discover(settings.bank_dirs)
    unknown = [bank_id for bank_id in bank_ids if bank_id not in library.banks]
    if unknown:
        raise click.BadParameter(
            f"no bank {', '.join(unknown)}; loaded banks: {', '.join(sorted(library.banks))}",
            param_hint="--bank",
        )
    trainer = _open_trainer(settings, library)
    try:
        attempts = trainer.attempts(all_profiles=True)
        banks = [bank for bank in trainer.banks() if not bank_ids or bank.id in bank_ids]
    finally:
        trainer.close()
    results = item_analysis(banks, attempts, min_trainees=min_trainees)
    if flagged:
        results = [item for item in results if item.flags]
    if as_json:
        import msgspec

        click.echo(_json([msgspec.structs.asdict(item) for item in results]))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def number(value: float | None, form: str) -> str:
        return "–" if value is None else format(value, form)

    table = Table(title="Item analysis (first tries)", title_justify="left")
    table.add_column("question", overflow="fold")
    table.add_column("type")
    table.add_column("n", justify="right")
    table.add_column("facility", justify="right")
    table.add_column("discr.", justify="right")
    table.add_column("median s", justify="right")
    table.add_column("top distractor", overflow="fold")
    table.add_column("flags", style="yellow", overflow="fold")
    for item in results:
        distractor = (
            f"{item.top_distractor} ({item.top_distractor_share:.0%})"
            if item.top_distractor is not None and item.top_distractor_share is not None
            else ""
        )
        table.add_row(
            Text(item.key),
            item.kind,
            str(item.trainees),
            number(item.facility, ".0%"),
            number(item.discrimination, "+.2f"),
            number(item.median_seconds, ".0f"),
            Text(distractor),
            Text(", ".join(item.flags)),
        )
    console = Console(highlight=False)
    if results:
        console.print(table)
    answered = sum(1 for item in results if item.trainees)
    console.print(
        f"{len(results)} question(s), {answered} answered, "
        f"{sum(1 for item in results if item.flags)} flagged"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
