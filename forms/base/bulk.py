"""Bulk work (an import, opening a workspace, checking files) with the cyclic garbage collector paused.

Such work builds tens of thousands of long-lived row objects and almost no reference cycles; each
automatic collection would walk all of them again (0.7-2 s of a 50 000-row import). Reference counting
still frees everything else at once.

What survives the work is then frozen (gc.freeze): the rows are kept until the workspace closes, so the
collector need never walk them. Without this the first collection after the work walks every object it
made (55-150 ms at 50 000 rows), and every full collection afterwards walks them again. A reference cycle
among frozen objects is reclaimed only after `release()`, which closing a workspace calls.
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
        gc.freeze()
        if was_enabled:
            gc.enable()


def release() -> None:
    """Let the collector see frozen objects again (a closed workspace's rows may hold cycles)."""
    gc.unfreeze()
