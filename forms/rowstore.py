"""How a row's texts are kept in the workspace file: compact, and cheap to write and read back.

A normalised row is stored as its values in the form's column order, joined by a unit separator
(the form's keys name them back). What was typed is stored only when it differs from the values
(an empty text means "as normalised"), so a clean 50 000-row import writes no JSON at all. Older
rows written as JSON objects are read as before.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from forms.normalize import Note

_COMPACT = "\x1e"  # first character of a compactly stored row; no JSON text starts with it
_SEP = "\x1f"


def encode_values(values: Mapping[str, str], keys: Sequence[str]) -> str:
    """The normalised values, compact when they are exactly the form's keys and hold no separator."""
    texts = [values.get(key, "") for key in keys]
    joined = _SEP.join(texts)
    if len(values) == len(keys) and _SEP not in joined and _COMPACT not in joined and values.keys() == set(keys):
        return _COMPACT + joined
    return json.dumps(dict(values), ensure_ascii=False)


def decode_values(text: str, keys: Sequence[str]) -> dict[str, str]:
    if text.startswith(_COMPACT):
        return dict(zip(keys, text[1:].split(_SEP), strict=True))
    found: dict[str, str] = json.loads(text)
    return found


def encode_raw(raw: Mapping[str, str], values: Mapping[str, str]) -> str:
    """What was typed: "" when it is what the values say (every typed cell, no other text), else JSON."""
    if raw == values or (raw.keys() <= values.keys() and all(values[k] == v for k, v in raw.items())
                         and not any(values[k] for k in values.keys() - raw.keys())):
        return ""
    return json.dumps(dict(raw), ensure_ascii=False)


def decode_raw(text: str, values: Mapping[str, str]) -> dict[str, str]:
    if not text:
        return dict(values)
    found: dict[str, str] = json.loads(text)
    return found


def encode_notes(notes: Sequence[tuple[str, Note]]) -> str | None:
    return json.dumps([[k, n.code, n.reason] for k, n in notes], ensure_ascii=False) if notes else None


def decode_notes(text: str | None) -> tuple[tuple[str, Note], ...]:
    return tuple((k, Note(c, r)) for k, c, r in json.loads(text)) if text else ()
