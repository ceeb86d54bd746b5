"""Where rows sit in their frame: each row has a real-number position, so rows go in between two others
without renumbering the frame; only when no room is left between two rows are they numbered 1, 2, 3… again."""

from __future__ import annotations

import sqlite3

_SMALLEST_STEP = 1e-6  # below it, float positions could meet: renumber first


def between(conn: sqlite3.Connection, frame_id: int, index: int, count: int) -> list[float] | None:
    """`count` positions between the rows now at `index - 1` and `index` (after the last when past the end);
    None when there is no room left between those two rows."""
    rows = int(conn.execute("SELECT count(*) FROM rows WHERE frame_id = ?", (frame_id,)).fetchone()[0])
    if index >= rows:
        last = conn.execute("SELECT COALESCE(MAX(pos), 0) FROM rows WHERE frame_id = ?", (frame_id,)).fetchone()[0]
        return [last + n + 1 for n in range(count)]
    if index <= 0:
        first = conn.execute("SELECT MIN(pos) FROM rows WHERE frame_id = ?", (frame_id,)).fetchone()[0]
        before, after = first - count - 1, first
    else:
        before, after = (p for (p,) in conn.execute(
            "SELECT pos FROM rows WHERE frame_id = ? ORDER BY pos LIMIT 2 OFFSET ?", (frame_id, index - 1)))
    step = (after - before) / (count + 1)
    if step < _SMALLEST_STEP:
        return None
    return [before + step * (n + 1) for n in range(count)]


def renumber(conn: sqlite3.Connection, frame_id: int) -> None:
    """Number the frame's rows 1, 2, 3… in their order (inside the caller's transaction)."""
    ids = conn.execute("SELECT id FROM rows WHERE frame_id = ? ORDER BY pos", (frame_id,)).fetchall()
    conn.executemany("UPDATE rows SET pos = ? WHERE id = ?", [(float(n + 1), row_id) for n, (row_id,) in enumerate(ids)])
