"""Persistence of profiles, sessions, attempts, scheduling state and flags.

The store (:mod:`quiz.progress.store`) uses SQLAlchemy Core and is imported only when a database
is opened, so that importing this package, or :mod:`quiz.service`, stays cheap.
"""

from __future__ import annotations


class StoreError(Exception):
    """The progress database cannot be used; ``str(error)`` is a message for the user."""
