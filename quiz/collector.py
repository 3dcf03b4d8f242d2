"""Python's cycle collector, paused while the program builds what it keeps.

Loading a bank, importing the trainer's modules and building its first screen make hundreds of
thousands of objects that live as long as the process, and hardly a cycle of garbage among them.
Left on, the collector walks that ever larger heap again and again: most of a large bank's load
time, and about a twelfth of the time to the trainer's first question. Reference counting still
frees memory meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector until the block ends (or until something resumes it sooner,
    as the trainer does once its first screen is drawn). Inside a pause, it does nothing."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
