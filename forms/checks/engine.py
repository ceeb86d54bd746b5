"""The incremental rule engine: row rules plus the indexes the frame and cross-frame rules keep.

One edit costs O(1): a row's own rules run again, it leaves and rejoins the duplicate indexes
(forms.checks.duplicates: mobile, name+unit, name, landline → rows, and the possible-duplicate pairs)
and the per-frame counters (rows, city and county counts). Duplicate and coverage findings are derived
from those when asked for, so nothing needs a full pass. The window, the `check` command and the exporter
all read findings from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from itertools import repeat
from operator import attrgetter
from typing import Any, TypeVar

from forms.base.bulk import paused_gc
from forms.base.findings import CODES, Finding, Severity, make
from forms.checks import agreed, geo, phones
from forms.checks.duplicates import Duplicates, Repeat, bounded
from forms.checks.normalize import Note
from forms.checks.rowstate import FrameState, RowKey, RowState
from forms.checks.rules import Batch, RuleContext, check_rows
from forms.notice.attachments import FRAME_FORMS, FrameForm, Role
from forms.notice.campaign import Campaign

T = TypeVar("T")
_KEY, _CITY, _COUNTY = attrgetter("key"), attrgetter("city"), attrgetter("county")
_REJOIN_AT = 2000  # rows of a frame removed at once past which the others are joined again instead


def _subset(column: Sequence[T], at: Sequence[int]) -> Sequence[T]:
    """The entries of `column` at `at`; the column itself when that is all of it."""
    return column if len(at) == len(column) else [column[i] for i in at]


Rows = Iterable[tuple[RowKey, Mapping[str, str], tuple[tuple[str, Note], ...], float]]


class Engine:
    """Findings of a whole department, kept up to date one row at a time."""

    def __init__(self, campaign: Campaign, check_prefix: bool = False,
                 describe: Callable[[RowKey], str] | None = None, year: int | None = None) -> None:
        self.campaign = campaign
        self.params: dict[str, Any] = dict(campaign.rules)
        self.context = RuleContext.of(self.params, check_prefix)
        self.year = year or campaign.year
        self.divisions: dict[str, Any] | None = campaign.raw.get("division_overrides")
        self._places: dict[str, geo.Location | None] = {}  # unit → where it is, each unit looked up once
        self.describe = describe or self._describe_default
        self.frames: dict[int, FrameState] = {}
        self.rows: dict[RowKey, RowState] = {}
        self.overrides = phones.Overrides()  # the clerk's Nanning decisions, per row and per mobile block
        self.agreed: dict[int, tuple[agreed.Agreed, ...]] = {}  # frame id → the office's agreed exceptions
        self.duplicates = Duplicates(self.rows, self._order)  # the duplicate indexes and possible-duplicate pairs

    # -- frames ---------------------------------------------------------------------------------
    def add_frame(self, frame_id: int, form: str, label: str = "", order: int = 0,
                  minimum: int | None = None, coverage: bool = False) -> None:
        spec = FRAME_FORMS[form]
        self.frames[frame_id] = FrameState(
            frame_id, spec, label or f"附件{form}", order,
            minimum if spec.role is Role.HOT else None, coverage and spec.role is Role.SYSTEM)

    def remove_frame(self, frame_id: int) -> set[RowKey]:
        """Take a frame and its rows out; the other rows whose findings may have changed."""
        if len(self.frames[frame_id].rows) > _REJOIN_AT:
            return self._remove_frame_rejoining(frame_id)
        affected: set[RowKey] = set()
        for key in list(self.frames[frame_id].rows):
            affected |= self.remove_row(key)
        for key in [key for key in self.rows if key[0] == frame_id]:  # the empty rows, in no index
            del self.rows[key]
        del self.frames[frame_id]
        return {k for k in affected if k[0] != frame_id}

    def _remove_frame_rejoining(self, frame_id: int) -> set[RowKey]:
        """remove_frame for a large frame: the other rows joined again from scratch. Row by row, each row
        leaving a crowded group (one office phone in 50 000 rows) costs a pass over the group: quadratic."""
        for key in [key for key in self.rows if key[0] == frame_id]:
            del self.rows[key]
            self.overrides.pop(key, None)
        del self.frames[frame_id]
        others = list(self.rows.values())
        self.duplicates = Duplicates(self.rows, self._order)
        for frame in self.frames.values():
            frame.rows.clear()
            frame.counties.clear()
            frame.cities.clear()
            frame.errors = frame.warnings = 0
        for row in others:
            row.errors = row.warnings = 0
        with paused_gc():
            self._join(others)
            self._recount(row.key for row in others if row.filled)
            self.duplicates.take_retold()
        return {row.key for row in others}

    # -- rows -----------------------------------------------------------------------------------
    def set_row(self, key: RowKey, values: Mapping[str, str], notes: tuple[tuple[str, Note], ...] = (),
                pos: float | None = None, override: bool | None = None) -> set[RowKey]:
        """Put a row (new or changed); returns every row whose findings may have changed."""
        old = self.rows.get(key)
        left: set[RowKey] = set()
        if old:
            left = self._leave(old)
            self.frames[key[0]].errors -= old.errors
            self.frames[key[0]].warnings -= old.warnings
        if override is None:
            self.overrides.pop(key, None)
        else:
            self.overrides[key] = override
        to_count = self._join(self._build([(key, values, notes, pos if pos is not None else (old.pos if old else 0.0))]))
        self._recount(left | to_count)
        return left | to_count | {key} | self.duplicates.take_retold()

    def remove_row(self, key: RowKey) -> set[RowKey]:
        old = self.rows.get(key)
        if not old:
            return set()
        affected = self._leave(old)
        frame = self.frames[key[0]]
        frame.errors -= old.errors
        frame.warnings -= old.warnings
        del self.rows[key]
        self.overrides.pop(key, None)
        affected.discard(key)
        self._recount(affected)
        return affected | self.duplicates.take_retold() - {key}

    def override(self, key: RowKey) -> bool | None:
        """The clerk's Nanning decision in force for a row: its own, else its mobile block's (None: none)."""
        row = self.rows.get(key)
        return self.overrides.of(key, row.mobile if row else "")

    def block_rows(self, block: str) -> list[RowKey]:
        """Every row, in every frame, whose mobile is of the 7-digit block."""
        return [key for key, row in self.rows.items() if row.mobile[:7] == block] if len(block) == 7 else []

    def add_rows(self, rows: Rows, columns: Mapping[str, Sequence[str]] | None = None) -> set[RowKey]:
        """Add many new rows (an import, a paste); returns every row whose findings may have changed.

        `columns`: the rows' values column by column, when the caller has them (an import does)."""
        with paused_gc():
            states = self._build(rows, columns)
            affected = self._join(states)
            self._recount(affected)
        return affected.union(map(_KEY, states), self.duplicates.take_retold())

    def load(self, rows: Rows, columns: Mapping[str, Sequence[str]] | None = None) -> None:
        """Bulk-load rows (`columns`: their values column by column, when the caller has them); no set of the
        rows affected is made (it would hold every row)."""
        with paused_gc():
            self._recount(self._join(self._build(rows, columns)))
            self.duplicates.take_retold()

    def _build(self, rows: Rows, columns: Mapping[str, Sequence[str]] | None = None) -> list[RowState]:
        """The rows' states, built column by column, their own rules checked frame by frame."""
        items = list(rows)
        keys = [item[0] for item in items]
        values = [v if type(v) is dict else dict(v) for _k, v, _n, _p in items]  # kept as given: nothing changes them
        texts = dict(columns or {})
        if any(len(column) != len(items) for column in texts.values()):
            raise ValueError("Engine: columns and rows differ in length")
        for key in ("unit", "name", "mobile", "landline", "area_code"):
            if key not in texts:
                texts[key] = [v.get(key, "") for v in values]
        units = texts["unit"]
        places = self._places_of(units, set(units))
        filled = list(map(any, map(dict.values, values)))
        states = row_states(keys, [item[3] for item in items], values, filled, texts, places)
        notes = [item[2] for item in items]
        overrides = self.overrides.column(keys, [row.mobile for row in states])
        frame_ids = {key[0] for key in keys}
        for frame_id in frame_ids:
            at: Sequence[int] = range(len(items))  # the usual bulk case: one frame, every column as it is
            if len(frame_ids) > 1:
                at = [i for i, key in enumerate(keys) if key[0] == frame_id]
            batch = Batch(_subset(values, at), _subset(notes, at), _subset(places, at), _subset(overrides, at),
                          {key: _subset(column, at) for key, column in texts.items()}, _subset(filled, at))
            form = self.frames[frame_id].form
            for index, found in zip(at, check_rows(form, self.context, batch), strict=True):
                if found:
                    states[index].local = tuple(replace(f, form=form.number) for f in found)
        return states

    def _places_of(self, units: Sequence[str], distinct: set[str]) -> list[geo.Location | None]:
        """Where each unit is (`distinct`: the set of them); each unit text is looked up once in the engine's life."""
        places = self._places
        places.update(geo.locate_all(distinct.difference(places), self.year, overrides=self.divisions))
        return list(map(places.__getitem__, units))

    def _join(self, states: list[RowState]) -> set[RowKey]:
        """Put rows into the frames' counters and the duplicate indexes; the rows whose counts must be redone:
        those whose duplicates changed, and new rows with findings of their own (a new row without either has
        none to count)."""
        filled = [row for row in states if row.filled]
        self.rows.update(zip(map(_KEY, states), states, strict=True))
        for frame_id in {row.key[0] for row in filled}:
            frame, members = self.frames[frame_id], [row for row in filled if row.key[0] == frame_id]
            frame.rows.update(map(_KEY, members))
            frame.counties.update(filter(None, map(_COUNTY, members)))
            frame.cities.update(filter(None, map(_CITY, members)))
        return self.duplicates.join(filled) | {row.key for row in filled if row.local}

    def _leave(self, row: RowState) -> set[RowKey]:
        key = row.key
        frame = self.frames[key[0]]
        if key not in frame.rows:
            return set()
        frame.rows.discard(key)
        if row.county:
            frame.counties[row.county] -= 1
        if row.city:
            frame.cities[row.city] -= 1
        return self.duplicates.leave(row)

    # -- findings -------------------------------------------------------------------------------
    def _order(self, key: RowKey) -> tuple[int, float, int]:
        return (self.frames[key[0]].order, self.rows[key].pos, key[1])

    def _describe_default(self, key: RowKey) -> str:
        row = self.rows[key]
        return f"{self.frames[key[0]].label}中的“{row.values.get('name', '')}”"

    def duplicate_partners(self, key: RowKey) -> list[RowKey | None]:
        """The other row of each duplicate finding of `key` (None: a group too big to compare), in the order
        `duplicate_findings` gives them."""
        return [other for other, _code, _column, _reason in self._repeats(key)]

    def duplicate_findings(self, key: RowKey) -> list[Finding]:
        return repeat_findings(self._repeats(key), self.frames[key[0]].form, self.describe) if key[0] in self.frames else []

    def _repeats(self, key: RowKey) -> list[tuple[RowKey | None, str, str, Callable[[str], str]]]:
        frame = self.frames.get(key[0])
        return self.duplicates.repeats(key) if frame and key in frame.rows else []

    def values(self, key: RowKey) -> dict[str, str]:
        """A row's normalised values as the rules saw them ({} for an unknown row)."""
        row = self.rows.get(key)
        return row.values if row else {}

    def row_counts(self, key: RowKey) -> tuple[int, int]:
        """(errors, warnings) of one row, from the counters kept up to date on every edit."""
        row = self.rows.get(key)
        return (row.errors, row.warnings) if row else (0, 0)

    def row_findings(self, key: RowKey) -> list[Finding]:
        row = self.rows.get(key)
        if not row:
            return []
        return [*row.local, *self.duplicate_findings(key)] if self._shares_a_key(row) else list(row.local)

    def _shares_a_key(self, row: RowState) -> bool:
        return self.duplicates.involved(row)

    def frame_findings(self, frame_id: int) -> list[Finding]:
        frame = self.frames[frame_id]
        return whole_frame_findings(frame, len(frame.rows), self.agreed.get(frame_id, ()), self.year, self.divisions)

    def missing_units(self, frame_id: int) -> list[tuple[str, str]]:
        """(code, name) of each unit a system frame lacks: counties, and a city with no row at all (市本级)."""
        return missing_units(self.coverage(frame_id))

    def coverage(self, frame_id: int) -> list[tuple[geo.City, int, list[tuple[geo.County, int]]]]:
        """Each city with its row count and its counties' row counts, for the coverage view."""
        return coverage(self.frames[frame_id], self.year, self.divisions)

    def missing_coverage(self, frame_id: int) -> list[str]:
        return missing_coverage(self.coverage(frame_id))

    def _recount(self, keys: Iterable[RowKey]) -> None:
        for key in keys:
            row = self.rows.get(key)
            if not row:
                continue
            frame = self.frames[key[0]]
            frame.errors -= row.errors
            frame.warnings -= row.warnings
            # counted from the duplicates' codes, no message made: each edit in a crowded group recounts all its rows
            repeats = [CODES[code].severity for _other, code, *_ in self._repeats(key)] if self._shares_a_key(row) else []
            row.errors = sum(f.severity is Severity.ERROR for f in row.local) + repeats.count(Severity.ERROR)
            row.warnings = len(row.local) + len(repeats) - row.errors
            frame.errors += row.errors
            frame.warnings += row.warnings

    def counts(self, frame_id: int) -> tuple[int, int]:
        """(errors, warnings) of a frame, whole-frame findings included."""
        frame = self.frames[frame_id]
        whole = self.frame_findings(frame_id)
        errors = sum(f.severity is Severity.ERROR for f in whole)
        return frame.errors + errors, frame.warnings + len(whole) - errors

    def row_count(self, frame_id: int) -> int:
        return len(self.frames[frame_id].rows)


# -- shared with the one-shot path (forms.checks.oneshot): what a row is keyed by, and the findings derived ----------
def row_states(keys: Sequence[RowKey], positions: Sequence[float], values: Sequence[dict[str, str]],
               filled: Sequence[bool], texts: Mapping[str, Sequence[str]],
               places: Sequence[geo.Location | None]) -> list[RowState]:
    """The rows' states without their own findings, built column by column: the keys the duplicate search
    groups them by (`texts` holds at least unit, name, mobile, landline and area_code)."""
    units, names = texts["unit"], texts["name"]
    keyed = bounded(names)  # what keys built from names hold (a name error's 100 000 characters are not copied)
    spaced = {u: "".join(u.split()) for u in set(units) if " " in u or "\t" in u or "\n" in u}
    compact = list(map(spaced.get, units, units)) if spaced else units
    return list(map(
        RowState, keys, positions, values, repeat(()), filled, phones.duplicate_keys(texts["mobile"]), names,
        [f"{n}|{c}" if n and u else "" for n, u, c in zip(keyed, units, bounded(compact), strict=True)],
        [f"{p.county.code}|{n}" if n and p and p.county else "" for n, p in zip(keyed, places, strict=True)], compact,
        [f"{code}-{line}" if line else "" for code, line in zip(texts["area_code"], texts["landline"], strict=True)],
        [p.city.code if p and p.city else "" for p in places],
        [p.county.code if p and p.county else "" for p in places]))


def repeat_findings(repeats: Iterable[Repeat], form: FrameForm, describe: Callable[[RowKey], str]) -> list[Finding]:
    """A row's duplicate findings (forms.checks.duplicates' repeats), placed in its form's columns."""
    found = []
    for other, code, column, reason in repeats:
        if other is None:  # a whole message: the group was too big to compare pair by pair
            finding = Finding(code, CODES[code].severity, reason(""))
        else:
            finding = make(code, column, reason=reason(describe(other)))
        found.append(Finding(finding.code, finding.severity, finding.message, form.number, form.column(column).header))
    return found


def whole_frame_findings(frame: FrameState, count: int, deals: Sequence[agreed.Agreed], year: int,
                         divisions: dict[str, Any] | None) -> list[Finding]:
    """below-minimum and coverage of a frame of `count` filled rows (its counters of cities and counties)."""
    found: list[Finding] = []
    if frame.minimum is not None and count < frame.minimum:
        found.append(agreed.settle(make("below-minimum", count=count, minimum=frame.minimum,
                                        missing=frame.minimum - count), deals, count=count))
    if frame.coverage:
        covered = coverage(frame, year, divisions)
        missing = missing_coverage(covered)
        if missing:
            codes = [code for code, _name in missing_units(covered)]
            found.append(agreed.settle(make("coverage", missing="；".join(missing)), deals, missing=codes))
    return [Finding(f.code, f.severity, f.message, frame.form.number) for f in found]


Coverage = list[tuple[geo.City, int, list[tuple[geo.County, int]]]]


def coverage(frame: FrameState, year: int, divisions: dict[str, Any] | None) -> Coverage:
    return [(city, frame.cities[city.code], [(c, frame.counties[c.code]) for c in counties])
            for city, counties in geo.coverage_units(year, overrides=divisions).items()]


def missing_units(covered: Coverage) -> list[tuple[str, str]]:
    missing = []
    for city, city_count, counties in covered:
        if city_count == 0:
            missing.append((city.code, f"{city.name}本级"))
        missing.extend((c.code, c.name) for c, n in counties if n == 0)
    return missing


def missing_coverage(covered: Coverage) -> list[str]:
    missing = []
    for city, city_count, counties in covered:
        gaps = [c.name for c, n in counties if n == 0]
        if city_count == 0:
            missing.append(f"{city.name}（全市均无人员：市本级及{'、'.join(gaps)}）")
        elif gaps:
            missing.append(f"{city.name}（{'、'.join(gaps)}）")
    return missing
