"""The rule engine's picture of a frame and of a row: what its rules and duplicate indexes read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from forms.base.findings import Finding
from forms.notice.attachments import FrameForm

RowKey = tuple[int, int]  # (frame id, row id)


@dataclass(slots=True)
class FrameState:
    """A frame as the engine sees it: its form, its rows and the counters its whole-frame rules read."""

    id: int
    form: FrameForm
    label: str
    order: int
    minimum: int | None  # hot frames: the notice's minimum count
    coverage: bool  # system frames of departments with city/county units
    rows: set[RowKey] = field(default_factory=set)
    counties: Counter[str] = field(default_factory=Counter)
    cities: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    warnings: int = 0


@dataclass(slots=True)
class RowState:
    key: RowKey
    pos: float
    values: dict[str, str]
    local: tuple[Finding, ...]
    filled: bool  # a row with nothing in it takes part in no rule
    mobile: str
    name: str
    name_unit: str
    name_place: str  # county and name, when both are known: namesakes who may be one person share it
    unit: str  # without white space, for comparing units
    phone: str
    city: str
    county: str
    errors: int = 0
    warnings: int = 0
