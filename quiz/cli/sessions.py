"""The session commands: ``practice``, ``exam``, ``review``, ``weak`` and ``mistakes`` open the
trainer straight into a session planned from their options."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

import click

from quiz.cli.base import F, global_options, main, settings_of

if TYPE_CHECKING:
    from quiz.banks.loader import Library
    from quiz.domain.session import SessionPlan


def session_options(command: F) -> F:
    """The options every session command takes."""
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
            help="How many questions (default: 20 in exams and review, 10 otherwise).",
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
    certainty: bool | None = None,
) -> SessionPlan:
    """The session plan for the command-line options, checked against ``library``.

    ``certainty`` (exams' ``--certainty/--no-certainty``): ask how sure the trainee is before
    each answer is kept; ``None`` leaves it to the mode (exams: no).

    Raises:
        click.BadParameter: A bank or topic is not in the library; the message lists the
            valid ids.
    """
    from quiz.domain.keys import topic_key
    from quiz.domain.session import Mode, SessionPlan

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
    valid_topics |= {topic_key(bank.id, topic) for bank in chosen for topic in bank.topics}
    for topic in topics:
        if topic not in valid_topics:
            listed = sorted(t for t in valid_topics if "/" not in t)
            raise click.BadParameter(
                f"no topic '{topic}' in {'the chosen banks' if bank_ids else 'any bank'}; "
                f"topics: {', '.join(listed)} (or bank-id/topic-id)",
                param_hint="--topic",
            )
    chosen_mode = Mode(mode)
    return SessionPlan(
        mode=chosen_mode,
        bank_ids=tuple(bank_ids),
        topics=tuple(topics),
        count=count or chosen_mode.default_count,
        seed=seed,
        minutes=minutes,
        certainty=certainty,
    )


def _open_session(ctx: click.Context, mode: str, **options: Any) -> None:
    from quiz.banks.loader import discover

    settings = settings_of(ctx)
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
@click.option(
    "--certainty/--no-certainty",
    default=None,
    help="Ask how sure you are of each answer (certainty-based marking; off by default).",
)
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


@main.command()
@session_options
@global_options
@click.pass_context
def weak(ctx: click.Context, **options: Any) -> None:
    """Drill weak areas: the topics you know least, their least known questions first."""
    _open_session(ctx, "weak", **options)


@main.command()
@session_options
@global_options
@click.pass_context
def mistakes(ctx: click.Context, **options: Any) -> None:
    """Retry mistakes: questions answered wrong last time, or flagged and not yet put right."""
    _open_session(ctx, "mistakes", **options)
