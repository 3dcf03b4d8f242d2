"""Upkeep of the progress store: copies of the SQLite file (daily, before an upgrade, before a
repair), the check of a database (as Anki's Check Database), and the rebuild of FSRS cards from
the replay of their review logs and of the per-question tallies from their attempts."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, delete, insert, select, update

from quiz.domain.history import QuestionTally, tally_after
from quiz.domain.keys import question_key, split_key
from quiz.domain.scheduling import Card
from quiz.progress import StoreError
from quiz.progress.convert import (
    attempt_from_row,
    card_from_row,
    card_row,
    review_log_from_row,
    tally_from_row,
    tally_row,
)
from quiz.progress.errors import decoded
from quiz.progress.migrations import LATEST_VERSION
from quiz.progress.schema import attempts, cards, question_stats, review_logs
from quiz.progress.sqlite import back_up, backed_up_on

# --- backups -----------------------------------------------------------------------------------


def back_up_before_upgrade(path: Path, where: str, version: int, now: datetime) -> None:
    """Copy an existing SQLite file aside before its schema is upgraded, or refuse."""
    if version > LATEST_VERSION:
        return  # refused by recognise_and_migrate, untouched
    try:
        back_up(path, f"before-v{LATEST_VERSION}", now)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"cannot back up {where} before upgrading its schema (version {version} to "
            f"{LATEST_VERSION}): {error}. It was left untouched."
        ) from None


def back_up_daily(path: Path, now: datetime) -> None:
    """At most once a day, copy the SQLite file aside; a failure costs only the copy."""
    try:
        if not backed_up_on(path, now):
            back_up(path, "daily", now)
    except (OSError, sqlite3.Error):
        pass  # a read-only folder, a full disk: the database itself is fine


def back_up_before_repair(path: Path, where: str, now: datetime) -> None:
    """Copy the SQLite file aside before :func:`rebuild_cards` changes it, or refuse."""
    try:
        back_up(path, "before-repair", now)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"cannot back up {where} before repairing it: {error}. Nothing was changed."
        ) from None


# --- checking and repairing ----------------------------------------------------------------------


class CheckReport(NamedTuple):
    """What :meth:`Store.check` found; empty lists mean a healthy database."""

    integrity: list[str]
    """SQLite's ``PRAGMA integrity_check`` problems (none on other databases)."""
    differing_cards: list[tuple[int, str]]
    """(profile id, question key) of cards that differ from the replay of their review logs."""
    orphans: dict[str, int]
    """Rows whose parent row is missing, by what they are."""
    differing_tallies: list[tuple[int, str]]
    """(profile id, question key) of per-question tallies that differ from their attempts."""

    @property
    def ok(self) -> bool:
        return not (
            self.integrity
            or self.differing_cards
            or self.differing_tallies
            or any(self.orphans.values())
        )


_ORPHANS = {
    "attempts without a profile": "SELECT count(*) FROM attempts a WHERE NOT EXISTS "
    "(SELECT 1 FROM profiles p WHERE p.id = a.profile_id)",
    "attempts of a missing session": "SELECT count(*) FROM attempts a WHERE a.session_id IS NOT "
    "NULL AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = a.session_id)",
    "sessions without a profile": "SELECT count(*) FROM sessions s WHERE NOT EXISTS "
    "(SELECT 1 FROM profiles p WHERE p.id = s.profile_id)",
    "review logs of a missing attempt": "SELECT count(*) FROM review_logs r WHERE r.attempt_id IS "
    "NOT NULL AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.id = r.attempt_id)",
    "cards without a profile": "SELECT count(*) FROM cards c WHERE NOT EXISTS "
    "(SELECT 1 FROM profiles p WHERE p.id = c.profile_id)",
    "exam answers of a missing session": "SELECT count(*) FROM exam_answers e WHERE NOT EXISTS "
    "(SELECT 1 FROM sessions s WHERE s.id = e.session_id)",
    "flags of a missing session": "SELECT count(*) FROM flags f WHERE NOT EXISTS "
    "(SELECT 1 FROM sessions s WHERE s.id = f.session_id)",
}


def check(connection: Connection, where: str) -> CheckReport:
    """SQLite's integrity check, every card against the replay of its review logs, and the
    orphan rows, in the caller's transaction. Only reads."""
    integrity: list[str] = []
    if connection.dialect.name == "sqlite":
        found = [str(r[0]) for r in connection.exec_driver_sql("PRAGMA integrity_check")]
        integrity = [] if found == ["ok"] else found
    orphans = {
        name: int(connection.exec_driver_sql(sql).scalar_one()) for name, sql in _ORPHANS.items()
    }
    replayed = _replayed(connection, where)
    differing = []
    for row in connection.execute(select(cards)).mappings():
        ident = (row["profile_id"], row["bank_id"], row["question_id"])
        card = decoded(where, "cards", row, card_from_row)
        expected = replayed.get(ident)
        if expected is None or expected.to_dict() != card.to_dict():
            differing.append((ident[0], question_key(ident[1], ident[2])))
    tallies, _ = _differing_tallies(connection, where)
    return CheckReport(integrity, sorted(differing), orphans, tallies)


def _differing_tallies(
    connection: Connection, where: str
) -> tuple[list[tuple[int, str]], dict[tuple[int, str], QuestionTally]]:
    """(profile id, question key) of the tallies that differ from their attempts, sorted, and
    every tally as the attempts add it up."""
    stored = {
        (row["profile_id"], question_key(row["bank_id"], row["question_id"])): decoded(
            where, "question_stats", row, tally_from_row
        )
        for row in connection.execute(select(question_stats)).mappings()
    }
    tallied = _tallied(connection, where)
    differing = sorted(
        ident for ident in stored.keys() | tallied.keys() if stored.get(ident) != tallied.get(ident)
    )
    return differing, tallied


def _tallied(connection: Connection, where: str) -> dict[tuple[int, str], QuestionTally]:
    """Every per-question tally as the profile's attempts (oldest first) add up to it."""
    tallies: dict[tuple[int, str], QuestionTally] = {}
    query = select(attempts).order_by(attempts.c.id).execution_options(yield_per=2000)
    for row in connection.execute(query).mappings():
        attempt = decoded(where, "attempts", row, attempt_from_row)
        ident = (row["profile_id"], attempt.key)
        tallies[ident] = tally_after(tallies.get(ident), attempt)
    return tallies


def rebuild_tallies(connection: Connection, where: str) -> int:
    """Rebuild every per-question tally from its attempts, in the caller's write transaction;
    returns how many changed."""
    changed, tallied = _differing_tallies(connection, where)
    for profile_id, key in changed:
        bank_id, question_id = split_key(key)
        connection.execute(
            delete(question_stats).where(
                question_stats.c.profile_id == profile_id,
                question_stats.c.bank_id == bank_id,
                question_stats.c.question_id == question_id,
            )
        )
        tally = tallied.get((profile_id, key))
        if tally is not None:
            connection.execute(
                insert(question_stats).values(
                    profile_id=profile_id,
                    bank_id=bank_id,
                    question_id=question_id,
                    **tally_row(tally),
                )
            )
    return len(changed)


def rebuild_cards(connection: Connection, where: str) -> int:
    """Rebuild every card that has review logs from their replay, in the caller's write
    transaction; returns how many changed."""
    changed = 0
    replayed = _replayed(connection, where)
    stored = {
        (row["profile_id"], row["bank_id"], row["question_id"]): row["card"]
        for row in connection.execute(
            select(cards.c.profile_id, cards.c.bank_id, cards.c.question_id, cards.c.card)
        ).mappings()
    }
    for (profile_id, bank_id, question_id), card in replayed.items():
        if stored.get((profile_id, bank_id, question_id)) == card.to_dict():
            continue
        changed += 1
        match = (
            cards.c.profile_id == profile_id,
            cards.c.bank_id == bank_id,
            cards.c.question_id == question_id,
        )
        if (profile_id, bank_id, question_id) in stored:
            connection.execute(update(cards).where(*match).values(card_row(card)))
        else:
            connection.execute(
                insert(cards).values(
                    profile_id=profile_id,
                    bank_id=bank_id,
                    question_id=question_id,
                    **card_row(card),
                )
            )
    return changed


def _replayed(connection: Connection, where: str) -> dict[tuple[int, str, str], Card]:
    """Every card as the replay of its review logs (in commit order) makes it."""
    from quiz.domain.scheduling import new_card, review
    from quiz.domain.stats import DEFAULT_RETENTION

    replayed: dict[tuple[int, str, str], Card] = {}
    query = select(review_logs).order_by(review_logs.c.id)
    for row in connection.execute(query).mappings():
        log = decoded(where, "review_logs", row, review_log_from_row)
        ident = (row["profile_id"], row["bank_id"], row["question_id"])
        card = replayed.get(ident) or new_card(
            question_key(row["bank_id"], row["question_id"]), log.review_datetime
        )
        replayed[ident], _ = review(
            card,
            log.rating,
            log.review_datetime,
            (log.review_duration or 0) / 1000,
            desired_retention=row["desired_retention"] or DEFAULT_RETENTION,
        )
    return replayed
