"""How a row's texts are kept in the workspace file: compact, and cheap to write and read back.

A normalised row is stored as its values in the form's column order, joined by a unit separator
(the form's keys name them back). What was typed is stored only when it differs from the values
(an empty text means "as normalised"), so a clean 50 000-row import writes no JSON at all. Older
rows written as JSON objects are read as before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence

from forms.base import records
from forms.checks.normalize import Note

_SEP = "\x1f"  # unit separator: starts a compactly stored row and parts its values; no JSON text starts with it


def encode_values(values: Mapping[str, str], keys: Sequence[str]) -> str:
    """The normalised values, compact when they are exactly the form's keys and hold no separator."""
    return encode_values_many([values], keys)[0]


def encode_values_many(rows: Sequence[Mapping[str, str]], keys: Sequence[str]) -> list[str]:
    """`encode_values` of many rows, column by column."""
    taken = records.columns(rows, keys)  # None: a row without one of the keys, or with another: each on its own
    encoded = encode_columns(list(taken.values()), len(rows)) if taken else None
    if encoded is not None:
        return encoded
    if len(rows) > 1:
        return [encode_values(row, keys) for row in rows]
    return [json.dumps(dict(rows[0]), ensure_ascii=False)] if rows else []


def encode_columns(columns: Sequence[Sequence[str]], count: int) -> list[str] | None:
    """`encode_values` of `count` rows given as their columns in the form's key order, all compact; None
    when a value holds the separator (such rows are stored as JSON)."""
    if not columns:
        return None
    encoded = list(map(_SEP.join, zip([""] * count, *columns, strict=True)))
    return encoded if "".join(encoded).count(_SEP) == count * len(columns) else None


def decode_values(text: str, keys: Sequence[str]) -> dict[str, str]:
    if text.startswith(_SEP):
        return dict(zip(keys, text[1:].split(_SEP), strict=True))
    found: dict[str, str] = json.loads(text)
    return found


def encode_raw(raw: Mapping[str, str], values: Mapping[str, str]) -> str:
    """What was typed in the form's columns (序号 is not kept): "" when it is what the values say, else JSON."""
    if raw == values:
        return ""
    typed = {key: text for key, text in raw.items() if key in values}
    if typed == values or (all(values[k] == v for k, v in typed.items())
                           and not any(values[k] for k in values.keys() - typed.keys())):
        return ""
    return json.dumps(typed, ensure_ascii=False)


def decode_raw(text: str, values: Mapping[str, str]) -> dict[str, str]:
    if not text:
        return dict(values)
    found: dict[str, str] = json.loads(text)
    return found


def encode_notes(notes: Sequence[tuple[str, Note]]) -> str | None:
    return json.dumps([[k, n.code, n.reason] for k, n in notes], ensure_ascii=False) if notes else None


def decode_notes(text: str | None) -> tuple[tuple[str, Note], ...]:
    return tuple((k, Note(c, r)) for k, c, r in json.loads(text)) if text else ()


def insert_stored(conn: sqlite3.Connection, frame_id: int, stored: list[tuple[int, float, str, str, str | None]]) -> None:
    """Insert (id, pos, raw, norm, notes) rows. Most rows of an import are stored as normalised, without
    notes: those bind three values instead of six, which is a third of the insert's time at 50 000 rows."""
    plain = [(row_id, pos, norm) for row_id, pos, raw, norm, notes in stored if not raw and notes is None]
    conn.executemany(f"INSERT INTO rows(id, frame_id, pos, raw, norm, notes) VALUES (?, {int(frame_id)}, ?, '', ?, NULL)",
                     plain)
    if len(plain) < len(stored):
        conn.executemany("INSERT INTO rows(id, frame_id, pos, raw, norm, notes) VALUES (?, ?, ?, ?, ?, ?)",
                         [(row_id, frame_id, pos, raw, norm, notes) for row_id, pos, raw, norm, notes in stored
                          if raw or notes is not None])

