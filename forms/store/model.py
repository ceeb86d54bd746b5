"""What a workspace holds, as plain records: the department's profile, its frames, a stored row, and a batch of
stored rows as the engine takes them."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from forms.checks.engine import RowKey
from forms.checks.normalize import Note


@dataclass(frozen=True)
class Profile:
    """The department: name, kind (gov/party/pub), category (for gov), whether it has city/county units."""

    department: str
    kind: str
    category: str = ""
    local_units: bool = True
    liaison: str = ""
    campaign: str = "2015"


@dataclass(frozen=True)
class Frame:
    id: int
    form: str
    item: str
    position: int

    @property
    def label(self) -> str:
        return f"附件{self.form}" + (f"（{self.item}）" if self.item else "")


@dataclass(frozen=True)
class RowRecord:
    """A stored row: what was typed (raw) and what it became (values), for views and undo."""

    id: int
    frame_id: int
    pos: float
    raw: dict[str, str]
    values: dict[str, str]
    notes: tuple[tuple[str, Note], ...]
    override: bool | None


def override_from(value: int | None) -> bool | None:
    return None if value is None else bool(value)


# A batch of stored rows as the engine takes them, with their values as columns when normalising kept them
# (the checks then need not take them out of the rows' dicts again).
Inserted = tuple[list[tuple[RowKey, dict[str, str], tuple[tuple[str, Note], ...], float]], dict[str, list[str]] | None]


def joined_columns(batches: list[dict[str, list[str]] | None]) -> dict[str, list[str]] | None:
    """The columns of the batches one after another, when every batch has them with the same keys; else None."""
    present = [batch for batch in batches if batch is not None]
    if not present or len(present) < len(batches) or any(batch.keys() != present[0].keys() for batch in present):
        return None
    if len(present) == 1:
        return present[0]
    return {key: list(chain.from_iterable(batch[key] for batch in present)) for key in present[0]}
