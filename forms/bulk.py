"""Bulk work (an import, opening a workspace, checking files) with the cyclic garbage collector paused.

Such work builds tens of thousands of long-lived row objects and almost no reference cycles; each
automatic collection would walk all of them again (0.7-2 s of a 50 000-row import). Reference counting
still frees everything else at once, and collection resumes as before when the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()  # a caller (the GUI's worker) may have paused it already
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
