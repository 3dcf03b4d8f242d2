"""Commands for instructors: ``validate``, ``banks``, ``schema``, ``new-bank``, ``items`` and
``reports``."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli.base import (
    console,
    echo_json,
    global_options,
    inert,
    main,
    open_trainer,
    reading,
    settings_of,
    write_output,
)
from quiz.domain.text import visible


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
    import msgspec

    from quiz.banks.diagnostics import Severity
    from quiz.banks.loader import bank_dirs, find_bank_files, load_library
    from quiz.cli.reports import ValidationReport

    settings = settings_of(ctx)
    files = find_bank_files(paths or bank_dirs(settings.bank_dirs))
    library = load_library(files)
    diagnostics = [d.promoted() if strict else d for d in library.diagnostics]
    diagnostics.sort(key=lambda d: (d.path, d.line, d.column))
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    questions = sum(len(bank.questions) for bank in library.usable())
    if output_format == "json":
        report = ValidationReport(
            files=[str(f) for f in files],
            banks=len(library.banks),
            questions=questions,
            errors=errors,
            warnings=warnings,
            # asdict, not to_builtins: a diagnostic omits its defaults, the report shows them.
            # A diagnostic about a whole file (missing, unreadable) has no line: null, not 0.
            diagnostics=[
                {**msgspec.structs.asdict(d), "line": d.line or None, "column": d.column or None}
                for d in diagnostics
            ],
        )
        echo_json(msgspec.to_builtins(report))
    else:
        for diagnostic in diagnostics:
            color = "red" if diagnostic.severity is Severity.ERROR else "yellow"
            location, _, rest = diagnostic.format().partition(f" {diagnostic.severity.value}[")
            severity = click.style(diagnostic.severity.value, fg=color, bold=True)
            click.echo(f"{visible(location)} {severity}[{visible(rest)}")
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
    """List discovered banks, the questions left out of them and the banks skipped as broken,
    each with its first problem."""
    import msgspec

    from quiz import paths
    from quiz.banks.loader import bank_dirs, discover
    from quiz.cli.reports import BankRow, BanksReport, SkippedBank, SkippedQuestionRow

    settings = settings_of(ctx)
    library = discover(settings.bank_dirs)
    report = BanksReport(
        banks=[
            BankRow(
                id=loaded.bank.id,
                title=loaded.bank.title,
                questions=len(loaded.bank.questions),
                topics=len(loaded.bank.topics),
                path=str(loaded.path),
                topic_ids=list(loaded.bank.topics),
            )
            for loaded in library.banks.values()
            if loaded.bank is not None
        ],
        skipped=[
            SkippedBank(
                path=str(loaded.path),
                errors=len(loaded.errors),
                first=loaded.errors[0].format() if loaded.errors else "",
            )
            for loaded in library.skipped
        ],
        skipped_questions=[
            SkippedQuestionRow(
                bank=loaded.bank.id if loaded.bank is not None else str(loaded.path),
                question=skipped.id,
                line=skipped.line,
                errors=len(skipped.errors),
                first=skipped.errors[0].format() if skipped.errors else "",
            )
            for loaded, skipped in library.skipped_questions
        ],
        searched=[str(folder) for folder in bank_dirs(settings.bank_dirs)],
        user_bank_dir=str(paths.user_bank_dir()),
    )
    if as_json:
        echo_json(msgspec.to_builtins(report))
        return
    from rich.table import Table

    out = console()
    table = Table(title="Question banks", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("questions", justify="right")
    table.add_column("topics", justify="right")
    table.add_column("path", overflow="fold")
    for row in report.banks:
        table.add_row(
            inert(row.id), inert(row.title), str(row.questions), str(row.topics), inert(row.path)
        )
    out.print(table)
    if not report.banks:
        out.print("No usable banks found.")
    else:
        out.print(inert("Topic ids, for --topic (alone, or as bank-id/topic-id):", style="bold"))
        for row in report.banks:
            out.print(inert(f"  {row.id}: {', '.join(row.topic_ids)}"))
    if report.skipped_questions:
        count = len(report.skipped_questions)
        out.print(inert(f"Left out {count} broken question(s):", style="bold yellow"))
        for question in report.skipped_questions:
            more = f"  (+{question.errors - 1} more)" if question.errors > 1 else ""
            out.print(inert(f"  {question.first}{more}"))
    if report.skipped:
        out.print(inert(f"Skipped {len(report.skipped)} broken bank(s):", style="bold red"))
        for skipped in report.skipped:
            more = f"  (+{skipped.errors - 1} more)" if skipped.errors > 1 else ""
            out.print(inert(f"  {skipped.first}{more}"))
    if report.skipped or report.skipped_questions:
        out.print("Run `ims-quiz validate PATH` for every problem.")
    out.print(inert(f"Searched: {', '.join(report.searched)}", style="dim"))
    out.print(inert(f"Put your own banks in {report.user_bank_dir}", style="dim"))


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
        write_output(output, text)
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
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror or error}") from None
    write_output(file, scaffold(file))
    try:
        write_schema_beside(file)  # the bank's first line names it: ./bank.schema.json
    except OSError as error:
        schema_file = file.parent / "bank.schema.json"
        raise click.ClickException(
            f"cannot write {schema_file}: {error.strerror or error}"
        ) from None
    click.echo(f"wrote {file}; check it with: ims-quiz validate {file}")


@main.command()
@click.option(
    "--bank", "bank_ids", multiple=True, metavar="ID", help="Only this bank (repeatable)."
)
@click.option("--alerts", is_flag=True, help="Only questions the analysis raises an alert on.")
@click.option("--flagged", "alerts_alias", is_flag=True, hidden=True)  # the old name of --alerts
@click.option(
    "--min-trainees",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Trainees needed before the analysis raises alerts on a question.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@global_options
@click.pass_context
def items(
    ctx: click.Context,
    bank_ids: tuple[str, ...],
    alerts: bool,
    alerts_alias: bool,
    min_trainees: int,
    as_json: bool,
) -> None:
    """Item analysis for instructors: which questions are too easy, too hard or misleading.

    Uses every profile's first try at the current text of each question (see
    quiz/domain/analysis.py for the definitions).
    """
    import msgspec

    from quiz.banks.loader import discover
    from quiz.domain.analysis import item_analysis
    from quiz.domain.keys import question_key
    from quiz.domain.plain import first_line

    settings = settings_of(ctx)
    library = discover(settings.bank_dirs)
    unknown = [bank_id for bank_id in bank_ids if bank_id not in library.banks]
    if unknown:
        raise click.BadParameter(
            f"no bank {', '.join(unknown)}; loaded banks: {', '.join(sorted(library.banks))}",
            param_hint="--bank",
        )
    from quiz.domain.reports import current_hashes, open_report_counts

    with reading(open_trainer(settings, library)) as trainer:
        attempts = trainer.attempts(all_profiles=True)
        problem_reports = trainer.problem_reports()
        chosen = [bank for bank in trainer.banks() if not bank_ids or bank.id in bank_ids]
    results = item_analysis(chosen, attempts, min_trainees=min_trainees)
    reported = open_report_counts(problem_reports, current_hashes(chosen))
    if alerts or alerts_alias:
        results = [item for item in results if item.flags or item.key in reported]
    if as_json:
        rows = msgspec.to_builtins(results)
        for row in rows:
            row["open_reports"] = reported.get(row["key"], 0)
        echo_json(rows)
        return
    from rich.table import Table

    prompts = {
        question_key(bank.id, question.id): first_line(question.prompt)
        for bank in chosen
        for question in bank.questions
    }

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
    table.add_column("alerts", style="yellow", overflow="fold")
    for item in results:
        distractor = (
            f"{item.top_distractor} ({item.top_distractor_share:.0%})"
            if item.top_distractor is not None and item.top_distractor_share is not None
            else ""
        )
        question = inert(item.key, style="bold")
        question.append("\n")
        question.append_text(inert(prompts.get(item.key, ""), style="dim"))
        table.add_row(
            question,
            inert(item.kind),
            str(item.trainees),
            number(item.facility, ".0%"),
            number(item.discrimination, "+.2f"),
            number(item.median_seconds, ".0f"),
            inert(distractor),
            inert(", ".join([*item.flags, *_reported(reported.get(item.key, 0))])),
        )
    out = console()
    if results:
        out.print(table)
    answered = sum(1 for item in results if item.trainees)
    out.print(
        f"{len(results)} question(s), {answered} answered, "
        f"{sum(1 for item in results if item.flags)} with alerts"
    )
    if with_reports := sum(1 for item in results if item.key in reported):
        out.print(
            f"{with_reports} question(s) with open problem reports: see `ims-quiz reports`",
            style="yellow",
        )


def _reported(count: int) -> list[str]:
    """The alerts cell's words for ``count`` open problem reports."""
    return [f"{count} open report{'s' if count > 1 else ''}"] if count else []


@main.command()
@click.option("--all", "show_all", is_flag=True, help="Also reports on questions edited since.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every report) instead.")
@global_options
@click.pass_context
def reports(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Problem reports trainees sent on questions (ctrl+r in a session), for instructors.

    A report is open while its question reads as it did when reported; editing the question
    (its content hash changes) closes it. The table shows open reports; --all adds the others.
    """
    import msgspec

    from quiz.banks.loader import discover
    from quiz.domain.reports import ReportState, current_hashes, report_state

    settings = settings_of(ctx)
    library = discover(settings.bank_dirs)
    with reading(open_trainer(settings, library)) as trainer:
        found = trainer.problem_reports()
        hashes = current_hashes(trainer.banks())
    states = [report_state(report, hashes) for report in found]
    if as_json:
        rows = msgspec.to_builtins(found)
        for row, state in zip(rows, states, strict=True):
            row["state"] = state.value
        echo_json(rows)
        return
    from rich.table import Table
    from rich.text import Text

    shown = [
        (report, state)
        for report, state in zip(found, states, strict=True)
        if show_all or state is ReportState.OPEN
    ]
    out = console()
    if not shown:
        out.print("No open problem reports." if found else "No problem reports yet.")
        if found and not show_all:
            out.print(f"{len(found)} closed report(s): --all lists them.", style="dim")
        return
    table = Table(title="Problem reports", title_justify="left")
    table.add_column("question", overflow="fold")
    table.add_column("note", overflow="fold", ratio=1)
    table.add_column("by", overflow="fold")
    table.add_column("when", no_wrap=True)
    if show_all:
        table.add_column("state")
    for report, state in shown:
        cells: list[Text | str] = [
            inert(report.key, style="bold"),
            inert(report.note),
            inert(report.profile),
            report.reported_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        ]
        table.add_row(*cells, *([state.value] if show_all else []))
    out.print(table)
    opened = sum(1 for state in states if state is ReportState.OPEN)
    out.print(f"{opened} open, {len(found) - opened} closed by an edit or removal.")
