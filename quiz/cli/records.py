"""A trainee's records: ``stats`` (progress in numbers), ``export`` (every attempt) and
``check-db`` (the database checked, and its cards rebuilt from their logs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quiz.cli.base import (
    console,
    echo_json,
    global_options,
    inert,
    json_text,
    main,
    open_trainer,
    reading,
    settings_of,
    write_output,
)
from quiz.domain.text import visible

if TYPE_CHECKING:
    from quiz.banks.loader import Library
    from quiz.domain.session import Attempt
    from quiz.domain.stats import Mastery


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@global_options
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Your progress: totals, accuracy, mastery per topic and per spinal root, what is due."""
    import msgspec

    from quiz.banks.loader import discover
    from quiz.cli.reports import StatsReport
    from quiz.domain.history import retention_line
    from quiz.domain.keys import split_key

    settings = settings_of(ctx)
    with reading(open_trainer(settings, discover(settings.bank_dirs))) as trainer:
        progress = trainer.progress()
        cbm = trainer.cbm_report()
    summary = progress.summary
    if as_json:
        echo_json(msgspec.to_builtins(StatsReport.of(progress, cbm)))
        return
    from rich.table import Table

    out = console()
    accuracy = f"{summary.accuracy:.0%}" if summary.accuracy is not None else "-"
    lines = inert(f"Profile {summary.profile}\n", style="bold")
    lines.append(f"Answered         {summary.attempts} (accuracy {accuracy})\n")
    lines.append(f"Streak           {summary.streak_days} day(s)\n")
    lines.append(f"Due now          {summary.due_now}\n")
    lines.append(f"New today        {summary.new_available} (daily limit)\n")
    lines.append(f"Retention        {retention_line(summary)}\n")
    lines.append(f"Questions        {summary.questions_total}\n")
    lines.append(
        f"Unsafe picks     {summary.unsafe_picks}",
        style="bold red" if summary.unsafe_picks else "",
    )
    out.print(lines)
    if cbm is not None:
        from quiz.domain.cbm import CALIBRATION_HEADINGS, calibration_cells, summary_line

        out.print(inert(f"Certainty-based marking ({cbm.responses} answers)", style="bold"))
        out.print(inert(summary_line(cbm)))
        out.print(
            inert(
                f"Confident errors {cbm.confident_errors}, of them unsafe picks "
                f"{cbm.confident_unsafe}",
                style="bold red" if cbm.confident_unsafe else "",
            )
        )
        calibration = Table(title="Calibration by certainty", title_justify="left")
        for heading in CALIBRATION_HEADINGS:
            calibration.add_column(heading.lower())
        for level in cbm.calibration:
            calibration.add_row(*calibration_cells(level))
        out.print(calibration)
    topics = Table(title="Mastery per topic", title_justify="left")
    topics.add_column("topic")
    topics.add_column("bank")
    for name in MASTERY_COLUMNS:
        topics.add_column(name, justify="right")
    for mastery in progress.topics:
        bank_id, _ = split_key(mastery.key)
        topics.add_row(inert(mastery.title), inert(bank_id), *_mastery_cells(mastery))
    if progress.topics:
        out.print(topics)
    roots = [mastery for mastery in progress.roots if mastery.attempts]
    if roots:
        table = Table(title="Mastery per spinal root", title_justify="left")
        table.add_column("root")
        for name in MASTERY_COLUMNS:
            table.add_column(name, justify="right")
        for mastery in roots:
            table.add_row(inert(mastery.key), *_mastery_cells(mastery))
        out.print(table)


MASTERY_COLUMNS = ("held (seen)", "seen", "answers")
"""The mastery tables' number columns: how well the seen questions are held, coverage, answers."""


def _mastery_cells(mastery: Mastery) -> tuple[str, str, str]:
    held = f"{mastery.held:.0%}" if mastery.seen else "-"
    return held, f"{mastery.seen}/{mastery.questions}", str(mastery.attempts)


TEXT_FIELDS = ("topic", "prompt", "answer_text")
"""Export columns after an attempt's own: the question's topic title and prompt, and the answer
in the question's words; empty when the question is no longer in the loaded banks."""


def export_fields() -> tuple[str, ...]:
    """The columns of ``ims-quiz export``, in order: every field of an attempt, then the text."""
    from quiz.domain.session import ATTEMPT_FIELDS

    return (*ATTEMPT_FIELDS, *TEXT_FIELDS)


def _text_columns(library: Library) -> Callable[[Attempt], dict[str, str]]:
    """The text columns of an attempt, read from the questions of ``library``."""
    from quiz.domain.keys import question_key
    from quiz.domain.plain import response_text

    questions = {
        question_key(bank.id, question.id): (bank, question)
        for bank in library.usable()
        for question in bank.questions
    }

    def columns(attempt: Attempt) -> dict[str, str]:
        found = questions.get(attempt.key)
        if found is None:
            return dict.fromkeys(TEXT_FIELDS, "")
        bank, question = found
        topic = bank.topic(question.topic).title if question.topic in bank.topics else ""
        return {
            "topic": topic,
            "prompt": question.prompt,
            "answer_text": response_text(question, attempt.response),
        }

    return columns


def _csv_cell(value: Any) -> Any:
    """A CSV cell: JSON for lists, objects and booleans; every string made inert."""
    if isinstance(value, (dict, list, bool)):
        return visible(json_text(value, indent=None))
    return visible(value) if isinstance(value, str) else value


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
    """Export every attempt, with all its fields, oldest first.

    After the attempt's own fields come the question's topic, its prompt and the answer in the
    question's words (option texts rather than indices), from the banks loaded now.
    """
    from quiz.banks.loader import discover

    settings = settings_of(ctx)
    library = discover(settings.bank_dirs)
    skipped: list[str] = []
    exported = 0
    with reading(open_trainer(settings, library)) as trainer:
        attempts = trainer.iter_attempts(all_profiles=all_profiles, skipped=skipped)

        def records() -> Iterator[dict[str, Any]]:
            nonlocal exported
            for record in _export_records(attempts, library):
                exported += 1
                yield record

        pieces = _json_pieces(records()) if output_format == "json" else _csv_pieces(records())
        # Rows are written as they are read: a year of answers is never in memory at once.
        if output is None:
            for piece in pieces:
                click.echo(piece, nl=False)
        else:
            write_output(output, pieces)
    if skipped:
        click.echo(
            f"skipped {len(skipped)} unreadable attempt(s), exporting the rest; the first: "
            f"{skipped[0]}",
            err=True,
        )
    if output is not None:
        click.echo(f"wrote {exported} attempt(s) to {output}", err=True)


def _export_records(attempts: Iterable[Attempt], library: Library) -> Iterator[dict[str, Any]]:
    """Each attempt as an export record: its own fields, then the question's text columns.

    Times in ISO 8601 (UTC), responses tagged with their kind, as the store keeps them.
    """
    import msgspec

    text_columns = _text_columns(library)
    for attempt in attempts:
        yield {**msgspec.to_builtins(attempt, order="deterministic"), **text_columns(attempt)}


def _csv_pieces(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV export: the header, then a line per record."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=export_fields(), lineterminator="\n")

    def taken() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield taken()
    for record in records:
        writer.writerow({key: _csv_cell(value) for key, value in record.items()})
        yield taken()


def _json_pieces(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The JSON export, a list of objects, piece by piece: the same text as
    ``json_text(list(records))`` followed by a newline."""
    yield "["
    empty = True
    for record in records:
        lines = json_text(record).split("\n")
        yield ("\n" if empty else ",\n") + "\n".join(f"  {line}" for line in lines)
        empty = False
    yield "]\n" if empty else "\n]\n"


@main.command("check-db")
@click.option(
    "--repair",
    is_flag=True,
    help="Rebuild the cards that differ from their review logs (a SQLite file is backed up first).",
)
@global_options
@click.pass_context
def check_db(ctx: click.Context, repair: bool) -> None:
    """Check the progress database, as Anki's Check Database does.

    SQLite's integrity check, every FSRS card against the replay of its review logs, every
    per-question tally against its attempts, and rows whose parent is missing. Exits 0 when all
    is well (or was repaired), 1 when problems remain.
    """
    from quiz.progress import StoreError
    from quiz.progress.store import Store

    settings = settings_of(ctx)
    try:
        store = Store.open(settings.database_url())
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    try:
        report = after = store.check()
        rebuilt = retallied = 0
        if repair and report.differing_cards:
            rebuilt = store.rebuild_cards()
        if repair and report.differing_tallies:
            retallied = store.rebuild_tallies()
        if rebuilt or retallied:
            after = store.check()  # what the repair left, e.g. a card with no logs to replay
    except StoreError as error:
        raise click.ClickException(f"checking your progress failed: {error}") from None
    finally:
        store.close()
    for problem in report.integrity:
        click.echo(visible(f"integrity: {problem}"))
    for what, count in report.orphans.items():
        if count:
            click.echo(f"{count} {what}")
    for profile_id, key in report.differing_cards:
        click.echo(visible(f"card {key} (profile {profile_id}) differs from its review logs"))
    for profile_id, key in report.differing_tallies:
        click.echo(visible(f"tally of {key} (profile {profile_id}) differs from its attempts"))
    if rebuilt:
        click.echo(f"rebuilt {rebuilt} card(s) from their review logs")
    if retallied:
        click.echo(f"rebuilt {retallied} tally(ies) from their attempts")
    if not repair and (report.differing_cards or report.differing_tallies):
        click.echo("run `ims-quiz check-db --repair` to rebuild them from the logs and attempts")
    if report.integrity or any(report.orphans.values()):
        click.echo("--repair rebuilds cards only: restore a backup for the rest (see the README)")
    click.echo("the database is healthy" if after.ok else "the database has problems")
    ctx.exit(0 if after.ok else 1)
