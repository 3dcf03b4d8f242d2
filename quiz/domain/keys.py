"""The keys progress, filters and mastery use: ``bank-id/question-id`` and ``bank-id/topic-id``.

Ids never contain ``/`` (:data:`~quiz.domain.model.ID_PATTERN`), so a key splits back
unambiguously. :func:`~quiz.domain.model.question_key` lives beside the model; it is
re-exported here so that every key has one import.
"""

from __future__ import annotations

from quiz.domain.model import question_key

__all__ = ["question_key", "split_key", "topic_key"]


def topic_key(bank_id: str, topic_id: str) -> str:
    """The key mastery and ``--topic`` use for a topic of one bank: ``bank-id/topic-id``."""
    return f"{bank_id}/{topic_id}"


def split_key(key: str) -> tuple[str, str]:
    """``(bank id, question or topic id)`` of a key; a key without ``/`` is ``("", key)``."""
    bank_id, slash, item_id = key.partition("/")
    return (bank_id, item_id) if slash else ("", key)
