"""The session commands: ``practice``, ``exam``, ``review``, ``weak`` and ``mistakes`` open the
trainer straight into a session planned from their options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
import msgspec

from quiz import collector
from quiz.cli.base import F, global_options, main, run_tui, settings_of
from quiz.domain.model import QUESTION_TYPES

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
            "--root",
            "roots",
            multiple=True,
            metavar="ROOT",
            help="Only questions about this spinal root, e.g. C5 (repeatable: any of them).",
        ),
        click.option(
            "--tag",
            "tags",
            multiple=True,
            metavar="TAG",
            help="Only questions with this tag (repeatable: any of them).",
        ),
        click.option(
            "--type",
            "types",
            multiple=True,
            type=click.Choice(QUESTION_TYPES),
            help="Only questions of this type (repeatable).",
        ),
        click.option(
            "--difficulty",
            "difficulties",
            multiple=True,
            type=click.IntRange(1, 3),
            help="Only this difficulty: 1 recall, 2 application, 3 reasoning (repeatable).",
        ),
        click.option("--unused", is_flag=True, help="Only questions you have never answered."),
        click.option(
            "--incorrect", is_flag=True, help="Only questions you got wrong (or partly) last time."
        ),
        click.option("--flagged", is_flag=True, help="Only questions you have flagged."),
        click.option(
            "--count",
            type=click.IntRange(min=1),
            help=(
                "How many questions (default: 20 in exams, the whole due queue in review, "
                "10 otherwise)."
            ),
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
    roots: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
    difficulties: tuple[int, ...] = (),
    unused: bool = False,
    incorrect: bool = False,
    flagged: bool = False,
    count: int | None = None,
    seed: int | None = None,
    minutes: int | None = None,
    certainty: bool | None = None,
) -> SessionPlan:
    """The session plan for the command-line options, checked against ``library``.

    ``certainty`` (exams' ``--certainty/--no-certainty``): ask how sure the trainee is before
    each answer is kept; ``None`` leaves it to the mode (exams: no).

    Raises:
        click.BadParameter: A bank, topic, root or tag is not in the library; the message
            lists the valid ones.
        click.UsageError: ``minutes`` outside an exam, or no question passes the filters that
            need no history.
    """
    from quiz.domain.keys import topic_key
    from quiz.domain.planning import select_questions
    from quiz.domain.session import Mode, SessionPlan

    chosen_mode = Mode(mode)
    if minutes is not None and chosen_mode is not Mode.EXAM:
        raise click.UsageError(f"--minutes sets an exam's time limit; {mode} has no timer")
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
    questions = [question for bank in chosen for question in bank.questions]
    _check_known(roots, {r for q in questions if q.anatomy for r in q.anatomy.roots}, "--root")
    _check_known(tags, {tag for q in questions for tag in q.tags}, "--tag")
    if count is None and chosen_mode is Mode.REVIEW:
        from quiz.domain.planning import whole_queue

        count = whole_queue(chosen)  # what is due now, then today's new questions: all of it
    plan = SessionPlan(
        mode=chosen_mode,
        bank_ids=tuple(bank_ids),
        topics=tuple(topics),
        tags=tuple(tags),
        difficulties=tuple(sorted(set(difficulties))),
        roots=tuple(roots),
        types=tuple(types),
        unused=unused,
        incorrect=incorrect,
        flagged=flagged,
        count=count or chosen_mode.default_count,
        seed=seed,
        minutes=minutes,
        certainty=certainty,
    )
    # The history filters wait for the store; the others can be checked now.
    without_history = msgspec.structs.replace(plan, unused=False, incorrect=False, flagged=False)
    if loaded and not select_questions(without_history, chosen):
        raise click.UsageError(
            "no question matches these options together (--bank, --topic, --root, --tag, "
            "--type, --difficulty); loosen one of them"
        )
    return plan


def _check_known(given: tuple[str, ...], known: set[str], option: str) -> None:
    """Reject a ``given`` value that no chosen question has, naming the ones that exist."""
    for value in given:
        if value not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise click.BadParameter(
                f"no question {'is about' if option == '--root' else 'has'} '{value}' in "
                f"the chosen banks; they have: {listed}",
                param_hint=option,
            )


def _open_session(ctx: click.Context, mode: str, **options: Any) -> None:
    from quiz.banks.loader import discover

    settings = settings_of(ctx)
    with collector.paused():  # the trainer's start-up: see run_tui
        library = discover(settings.bank_dirs)
        plan = build_plan(library, mode, **options)
        run_tui(settings, plan=plan, library=library)


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
    """Review what spaced repetition has due now, then today's new questions (see Settings)."""
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
