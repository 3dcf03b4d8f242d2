"""The application layer: what the TUI and the CLI do with banks and progress.

:class:`Trainer` (:mod:`quiz.service.trainer`) plans sessions, records answers, and reads
statistics for one profile; :class:`ActiveSession` (:mod:`quiz.service.active`) is one session
under way. Importing this package is cheap: SQLAlchemy is imported when :meth:`Trainer.open`
opens the store, and the FSRS scheduler when an answer is recorded or the history read, so a
session can show its first question without either. Methods that touch the database block, so
the TUI calls them from worker threads; they are safe to call from several threads.

The names below are the layer's face; callers import them from ``quiz.service``.
"""

from __future__ import annotations

from quiz.domain.history import Progress, Summary
from quiz.domain.session import Answer, SessionResult, TopicScore
from quiz.domain.stats import DayStat, Mastery
from quiz.service.active import ActiveSession, NothingToUndo, SessionClosed
from quiz.service.trainer import NoQuestions, SessionInfo, Trainer, needs_history, new_session

__all__ = [
    "ActiveSession",
    "Answer",
    "DayStat",
    "Mastery",
    "NoQuestions",
    "NothingToUndo",
    "Progress",
    "SessionClosed",
    "SessionInfo",
    "SessionResult",
    "Summary",
    "TopicScore",
    "Trainer",
    "needs_history",
    "new_session",
]
