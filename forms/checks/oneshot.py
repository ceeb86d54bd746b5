"""Frames checked once, whole (the `check` command's files, the office's intake): the engine's findings without
the bookkeeping that keeps a frame checked through edits.

The engine (forms.checks.engine) keeps a state per row, the duplicate indexes and per-frame counters up to date so
that one edit in the window costs O(1). Rows that are checked once and thrown away need none of it: here the row
rules run column by column over each frame (forms.checks.rules.check_rows: the same declarations), the frame's
counters are counted once, and the duplicate search (forms.checks.duplicates, the same code) is given only the
rows that share a mobile, a name or an office phone with another row of the department, found by counting each
column once in C. Every duplicate-person and possible-duplicate finding is about rows sharing one of those (the
same mobile; the same name and unit; the same name, or the same office phone, for a near pair or a crowd), so a
row that shares none has none in the engine either, and the groups of the rows searched are the engine's groups.
tests/forms/test_oneshot.py holds the two paths to the same findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import compress
from operator import and_, itemgetter, or_

from forms.base.findings import Finding
from forms.checks import geo
from forms.checks.duplicates import Duplicates
from forms.checks.engine import repeat_findings, row_states, whole_frame_findings
from forms.checks.normalize import Note
from forms.checks.rowstate import FrameState, RowKey, RowState
from forms.checks.rules import Batch, RuleContext, check_rows
from forms.notice.attachments import FrameForm, Role
from forms.notice.campaign import Campaign

KEYED = ("unit", "name", "mobile", "landline", "area_code")  # the columns the duplicate search keys rows by
_TAIL = itemgetter(slice(-11, None))  # a mobile's last 11 characters: equal for two rows of one duplicate key


@dataclass
class Frame:
    """One frame to check: its rows' normalised values (and, when the caller has them, the same as columns)."""

    id: int
    form: FrameForm
    order: int  # frames are ordered by it, then rows by their number: "the earlier row" of a duplicate
    minimum: int | None  # the notice's minimum count (a hot frame's only)
    coverage: bool  # whether the department has city/county units to cover (a system frame's only)
    numbers: Sequence[int]  # each row's id (a sheet's row number)
    values: Sequence[dict[str, str]]
    notes: Sequence[tuple[tuple[str, Note], ...]]
    columns: Mapping[str, Sequence[str]] | None = None


@dataclass
class Checked:
    """A frame's findings: whole-frame ones, and row id → the row's own (only rows that have some)."""

    whole: list[Finding]
    rows: dict[int, list[Finding]]


@dataclass
class _Prepared:
    frame: Frame
    texts: dict[str, Sequence[str]]
    places: list[geo.Location | None]
    filled: list[bool]


def check_once(campaign: Campaign, frames: Sequence[Frame], describe: Callable[[RowKey], str],
               check_prefix: bool = True) -> dict[int, Checked]:
    """Every frame's findings, as an engine loaded with the same frames in the same order would give them.

    `describe`: another row (frame id, row id) as a duplicate's message names it."""
    ctx = RuleContext.of(dict(campaign.rules), check_prefix)
    divisions = campaign.raw.get("division_overrides")
    prepared = _prepare(frames, campaign.year, divisions)
    repeated = _duplicate_findings(prepared, describe)
    checked = {}
    for item in prepared:
        frame = item.frame
        rows = _own_findings(item, ctx)
        for number, found in repeated.get(frame.id, {}).items():
            rows.setdefault(number, []).extend(found)
        whole = whole_frame_findings(_counters(item), sum(item.filled), (), campaign.year, divisions)
        checked[frame.id] = Checked(whole, rows)
    return checked


def _prepare(frames: Sequence[Frame], year: int, divisions: dict[str, object] | None) -> list[_Prepared]:
    """Each frame's columns the rules and the search read, where each unit is (each distinct unit looked up once)."""
    texts = [_texts(frame) for frame in frames]
    units = set().union(*(t["unit"] for t in texts))
    located = geo.locate_all(units, year, overrides=divisions)  # type: ignore[arg-type]
    return [_Prepared(frame, t, list(map(located.__getitem__, t["unit"])), list(map(any, map(dict.values, frame.values))))
            for frame, t in zip(frames, texts, strict=True)]


def _texts(frame: Frame) -> dict[str, Sequence[str]]:
    texts = dict(frame.columns or {})
    if any(len(column) != len(frame.values) for column in texts.values()):
        raise ValueError("check_once: columns and rows differ in length")
    for key in KEYED:
        if key not in texts:
            texts[key] = [v.get(key, "") for v in frame.values]
    return texts


def _own_findings(item: _Prepared, ctx: RuleContext) -> dict[int, list[Finding]]:
    """The row rules' findings of each row that has some, with the form number set (as the engine keeps them)."""
    frame = item.frame
    batch = Batch(frame.values, frame.notes, item.places, [None] * len(frame.values), item.texts, item.filled)
    number = frame.form.number
    return {row: [replace(f, form=number) for f in found]
            for row, found in zip(frame.numbers, check_rows(frame.form, ctx, batch), strict=True) if found}


def _counters(item: _Prepared) -> FrameState:
    """The frame with its filled rows counted by city and by county, for below-minimum and coverage."""
    frame = item.frame
    role = frame.form.role  # as Engine.add_frame: a minimum for hot frames, coverage for system frames
    state = FrameState(frame.id, frame.form, "", frame.order, frame.minimum if role is Role.HOT else None,
                       frame.coverage and role is Role.SYSTEM)
    at = dict(zip(map(id, item.places), item.places, strict=True))  # (made in C)
    for place_id, count in Counter(map(id, compress(item.places, item.filled))).items():
        place = at[place_id]
        if place and place.city:
            state.cities[place.city.code] += count
        if place and place.county:
            state.counties[place.county.code] += count
    return state


def _duplicate_findings(prepared: list[_Prepared], describe: Callable[[RowKey], str]) -> dict[int, dict[int, list[Finding]]]:
    """Frame id → row id → the row's duplicate findings, searched among the rows that share a key with another."""
    shared = _shared_rows(prepared)
    states: dict[RowKey, RowState] = {}
    order = {item.frame.id: item.frame.order for item in prepared}
    searched = Duplicates(states, lambda key: (order[key[0]], states[key].pos, key[1]))
    joined: list[tuple[_Prepared, list[RowState]]] = []
    for item, at in zip(prepared, shared, strict=True):
        if not at:
            continue
        frame = item.frame
        keys = [(frame.id, frame.numbers[i]) for i in at]
        rows = row_states(keys, [float(frame.numbers[i]) for i in at], [frame.values[i] for i in at], [True] * len(at),
                          {key: [item.texts[key][i] for i in at] for key in KEYED}, [item.places[i] for i in at])
        states.update(zip(keys, rows, strict=True))
        searched.join(rows)  # frame by frame, in order, as the engine is loaded
        joined.append((item, rows))
    found: dict[int, dict[int, list[Finding]]] = {}
    for item, rows in joined:
        for row in rows:
            if searched.involved(row):
                repeats = repeat_findings(searched.repeats(row.key), item.frame.form, describe)
                if repeats:
                    found.setdefault(item.frame.id, {})[row.key[1]] = repeats
    return found


def _shared_rows(prepared: list[_Prepared]) -> list[list[int]]:
    """Per frame, the filled rows whose mobile, name or office phone another filled row of the department has too
    (a superset of the rows with a duplicate finding: a mobile is compared by its last 11 characters)."""
    keyed = [(list(map(_TAIL, item.texts["mobile"])), item.texts["name"], item.texts["landline"]) for item in prepared]
    counted: list[Counter[str]] = [Counter(), Counter(), Counter()]
    for item, columns in zip(prepared, keyed, strict=True):
        for counter, column in zip(counted, columns, strict=True):
            counter.update(compress(column, item.filled))
    repeated = [{value for value, count in counter.items() if count > 1 and value} for counter in counted]
    shared = []
    for item, columns in zip(prepared, keyed, strict=True):
        marks = [map(values.__contains__, column) for values, column in zip(repeated, columns, strict=True)]
        either = map(or_, map(or_, *marks[:2]), marks[2])
        shared.append(list(compress(range(len(item.filled)), map(and_, either, item.filled))))
    return shared
