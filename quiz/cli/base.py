"""The ``ims-quiz`` group, the global options, and what every command shares.

Output helpers keep bank-derived text inert: :func:`inert` for Rich tables and plain lines,
:func:`echo_json` for JSON (which JSON itself escapes only partly).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from quiz import __version__, collector
from quiz.domain.text import inert_json, visible
from quiz.settings import Settings

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from quiz.banks.loader import Library
    from quiz.service import Trainer

F = TypeVar("F", bound=Callable[..., Any])


def settings_of(ctx: click.Context) -> Settings:
    """The settings that the global options of this invocation built."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def _set_profile(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        settings_of(ctx).profile = value


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        settings_of(ctx).db_url = value


def _add_bank_dirs(ctx: click.Context, _param: click.Parameter, value: tuple[Path, ...]) -> None:
    settings_of(ctx).bank_dirs.extend(value)


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
    settings_of(ctx)
    if ctx.invoked_subcommand is None:
        run_tui(settings_of(ctx))
    else:
        # The script paused the cycle collector for the trainer's start-up (quiz.launch); a
        # session command pauses it again for its own (quiz.cli.sessions), the rest run with it.
        gc.enable()


def run_tui(settings: Settings, **options: Any) -> None:
    """Run the trainer app, the TUI (options as for :func:`quiz.tui.app.run_app`), until the
    trainee quits. Its start-up, Textual's import included, runs with the cycle collector
    paused, until the first screen is drawn (:mod:`quiz.collector`)."""
    with collector.paused():
        from quiz.tui.app import NoTerminal, run_app

        try:
            run_app(settings, **options)
        except NoTerminal as error:
            raise click.ClickException(str(error)) from None


# --- output -------------------------------------------------------------------------------------


def inert(text: object, style: str = "") -> Text:
    """``text`` as a Rich ``Text``: never markup, and every control character a visible escape."""
    from rich.text import Text

    return Text(visible(str(text)), style=style)


def console() -> Console:
    """A console for tables and lines; nothing is highlighted or read as markup by default."""
    from rich.console import Console

    return Console(highlight=False)


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """``value`` (plain builtins, e.g. from ``msgspec.to_builtins``) as JSON text.

    Non-ASCII text is kept as is, but every character :data:`~quiz.domain.text.FORBIDDEN` is
    written as a ``\\uXXXX`` escape: ``json`` escapes C0 controls only, and C1 or bidi
    controls printed raw could still drive a terminal. The data a reader decodes is unchanged.
    json is imported only by the commands that print it, not on the way to the trainer.
    """
    import json

    return inert_json(json.dumps(value, indent=indent, ensure_ascii=False))


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON (see :func:`json_text`)."""
    click.echo(json_text(value))


def open_trainer(settings: Settings, library: Library) -> Trainer:
    """The trainer for ``settings``; a database that cannot be used is a clean CLI error."""
    from quiz.progress import StoreError
    from quiz.service import Trainer

    try:
        return Trainer.open(settings, library)
    except StoreError as error:
        raise click.ClickException(str(error)) from None


def write_output(output: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, written as they come) to ``output``; failures become a
    clean CLI error.

    The text goes to a temp file beside ``output`` that then replaces it in one step, so a
    full disk, a crash or a failure while the pieces are produced leaves the previous file
    whole, never a truncated one.
    """
    import os
    import tempfile

    temp: str | None = None
    try:
        try:
            mode = output.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        fd, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            if isinstance(text, str):
                file.write(text)
            else:
                file.writelines(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
        os.replace(temp, output)
        temp = None
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass


@contextmanager
def reading(trainer: Trainer) -> Iterator[Trainer]:
    """Use ``trainer`` and close it; a read of the store that fails is a clean CLI error."""
    from quiz.progress import StoreError

    try:
        yield trainer
    except StoreError as error:
        raise click.ClickException(f"reading your progress failed: {error}") from None
    finally:
        trainer.close()
