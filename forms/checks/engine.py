"""The incremental rule engine: row rules plus the indexes the frame and cross-frame rules keep.

One edit costs O(1): a row's own rules run again, it leaves and rejoins the duplicate indexes
(mobile → rows, name+unit → rows, name → rows, landline → rows) and the per-frame counters
(rows, city and county counts). Duplicate and coverage findings are derived from those indexes
when asked for, so nothing needs a full pass. The window, the `check` command and the exporter
all read findings from here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from operator import attrgetter
from typing import Any, TypeVar

from forms.base.bulk import paused_gc
from forms.base.findings import Finding, Severity, make
from forms.checks import agreed, geo, phones
from forms.checks.groups import Groups
from forms.checks.normalize import Note
from forms.checks.rules import Batch, RuleContext, check_rows
from forms.checks.similarity import one_apart, units_close
from forms.notice.attachments import FRAME_FORMS, FrameForm, Role
from forms.notice.campaign import Campaign

RowKey = tuple[int, int]  # (frame id, row id)
T = TypeVar("T")


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


_KEY, _NAME, _CITY, _COUNTY = attrgetter("key"), attrgetter("name"), attrgetter("city"), attrgetter("county")


def _same_place(a: RowState, b: RowState) -> bool:
    """Units located in different counties (or cities) are not two spellings of one unit."""
    if a.county and b.county:
        return a.county == b.county
    return not (a.city and b.city) or a.city == b.city


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
        self.overrides: dict[RowKey, bool] = {}
        self.agreed: dict[int, tuple[agreed.Agreed, ...]] = {}  # frame id → the office's agreed exceptions
        self._exact: dict[str, Groups] = {"mobile": Groups(), "name_unit": Groups()}
        self._by_name = Groups()
        self._by_name_place = Groups()
        self._by_name_unplaced = Groups()  # names of rows whose county is not known
        self._by_phone = Groups()
        self._near: dict[RowKey, dict[RowKey, str]] = defaultdict(dict)  # row → other row → reason shown on row

    # -- frames ---------------------------------------------------------------------------------
    def add_frame(self, frame_id: int, form: str, label: str = "", order: int = 0,
                  minimum: int | None = None, coverage: bool = False) -> None:
        spec = FRAME_FORMS[form]
        self.frames[frame_id] = FrameState(
            frame_id, spec, label or f"附件{form}", order,
            minimum if spec.role is Role.HOT else None, coverage and spec.role is Role.SYSTEM)

    def remove_frame(self, frame_id: int) -> set[RowKey]:
        affected: set[RowKey] = set()
        for key in list(self.frames[frame_id].rows):
            affected |= self.remove_row(key)
        del self.frames[frame_id]
        return {k for k in affected if k[0] != frame_id}

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
        return left | to_count | {key}

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
        return affected

    def add_rows(self, rows: Rows, columns: Mapping[str, Sequence[str]] | None = None) -> set[RowKey]:
        """Add many new rows (an import, a paste); returns every row whose findings may have changed.

        `columns`: the rows' values column by column, when the caller has them (an import does)."""
        with paused_gc():
            states = self._build(rows, columns)
            affected = self._join(states)
            self._recount(affected)
        return affected.union(map(_KEY, states))

    def load(self, rows: Rows, columns: Mapping[str, Sequence[str]] | None = None) -> None:
        """Bulk-load rows (`columns`: their values column by column, when the caller has them); no set of the
        rows affected is made (it would hold every row)."""
        with paused_gc():
            self._recount(self._join(self._build(rows, columns)))

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
        units, names = texts["unit"], texts["name"]
        distinct_units = set(units)
        spaced = {u: "".join(u.split()) for u in distinct_units if " " in u or "\t" in u or "\n" in u}
        compact = list(map(spaced.get, units, units)) if spaced else units
        places = self._places_of(units, distinct_units)
        filled = list(map(any, map(dict.values, values)))
        states = list(map(
            RowState, keys, [item[3] for item in items], values, repeat(()), filled,
            phones.duplicate_keys(texts["mobile"]), names,
            [f"{n}|{c}" if n and u else "" for n, u, c in zip(names, units, compact, strict=True)],
            [f"{p.county.code}|{n}" if n and p and p.county else "" for n, p in zip(names, places, strict=True)], compact,
            [f"{code}-{line}" if line else "" for code, line in zip(texts["area_code"], texts["landline"], strict=True)],
            [p.city.code if p and p.city else "" for p in places],
            [p.county.code if p and p.county else "" for p in places]))
        notes = [item[2] for item in items]
        overrides = [self.overrides.get(k) for k in keys] if self.overrides else [None] * len(keys)
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
        """Put rows into the indexes; the rows whose counts must be redone: those that now share a key or
        are paired, and new rows with findings of their own (a new row without either has none to count).

        Only the groups the new rows made bigger than one are looked at, each pair of rows once."""
        filled = [row for row in states if row.filled]
        self.rows.update(zip(map(_KEY, states), states, strict=True))
        for frame_id in {row.key[0] for row in filled}:
            frame, members = self.frames[frame_id], [row for row in filled if row.key[0] == frame_id]
            frame.rows.update(map(_KEY, members))
            frame.counties.update(filter(None, map(_COUNTY, members)))
            frame.cities.update(filter(None, map(_CITY, members)))
        shared: set[RowKey] = set()
        keys = list(map(_KEY, filled))
        for index, attr in ((self._exact["mobile"], "mobile"), (self._exact["name_unit"], "name_unit")):
            for value in self._grow(index, keys, filled, attr):
                shared.update(index.members(value))
        phones = self._grow(self._by_phone, keys, filled, "phone")
        shared |= self._pair_up(filled, [self._by_phone.members(v) for v in phones] + self._namesakes(keys, filled))
        return shared | {row.key for row in filled if row.local}

    @staticmethod
    def _grow(index: Groups, keys: list[RowKey], rows: list[RowState], attr: str) -> set[str]:
        """Add the rows to an index by their `attr`; the values whose group now holds more than one row."""
        return index.add_many(map(attrgetter(attr), rows), keys)

    def _namesakes(self, keys: list[RowKey], rows: list[RowState]) -> list[Collection[RowKey]]:
        """Put the rows into the name indexes; the groups of namesakes among whom a new row may be one person.

        Namesakes in two counties are never one person by their units (_same_place), and one with the
        same office phone is found in the phone's group, so only namesakes of one county are grouped;
        a name with a row whose county is not known groups all who bear it."""
        names = self._grow(self._by_name, keys, rows, "name")
        placed = self._grow(self._by_name_place, keys, rows, "name_place")
        unplaced = [row for row in rows if row.name and not row.county]
        if unplaced:
            self._by_name_unplaced.add_many(map(_NAME, unplaced), map(_KEY, unplaced))
        anywhere = names & self._by_name_unplaced.keys()
        return [*map(self._by_name.members, anywhere),
                *(self._by_name_place.members(value) for value in placed if value.partition("|")[2] not in anywhere)]

    def _pair_up(self, new: list[RowState], groups: list[Collection[RowKey]]) -> set[RowKey]:
        """Record the possible duplicates within each group that involve a new row; the rows involved."""
        order = {row.key: n for n, row in enumerate(new)}
        involved: set[RowKey] = set()
        for group in groups:
            for key in group:
                mine = order.get(key)
                if mine is None:
                    continue
                row = self.rows[key]
                for other_key in group:
                    theirs = order.get(other_key, -1)
                    if theirs >= mine:  # itself, or a new row that meets this one from its own side
                        continue
                    reasons = self._near_reasons(row, self.rows[other_key])
                    if reasons:
                        self._near[key][other_key], self._near[other_key][key] = reasons
                        involved.update((key, other_key))
        return involved

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
        affected: set[RowKey] = set()
        for index, value in ((self._exact["mobile"], row.mobile), (self._exact["name_unit"], row.name_unit)):
            if value:
                affected |= index.remove_key(value, key)
        for index, value in ((self._by_name, row.name), (self._by_phone, row.phone),
                             (self._by_name_place, row.name_place),
                             (self._by_name_unplaced, "" if row.county else row.name)):
            if value:
                index.remove_key(value, key)
        for other in self._near.pop(key, {}):
            self._near[other].pop(key, None)
            affected.add(other)
        return affected

    def _exact_pair(self, a: RowState, b: RowState) -> bool:
        return bool(a.mobile and a.mobile == b.mobile) or bool(a.name_unit and a.name_unit == b.name_unit)

    def _near_reasons(self, row: RowState, other: RowState) -> tuple[str, str] | None:
        """Why two rows sharing a name or an office phone may be one person: (shown on row, shown on other)."""
        if self._exact_pair(row, other):
            return None
        if row.name and row.name == other.name:
            if row.phone and row.phone == other.phone:
                both = f"与{{other}}姓名相同、办公电话相同（{row.phone.strip('-')}）"
                return both, both
            if _same_place(row, other) and units_close(row.unit, other.unit):
                both = f"与{{other}}姓名相同（{row.name}）、单位相近"
                return both, both
            return None
        if row.phone and row.phone == other.phone and one_apart(row.name, other.name):
            return (f"与{{other}}（{other.name}）姓名只差一个字、办公电话相同",
                    f"与{{other}}（{row.name}）姓名只差一个字、办公电话相同")
        return None

    # -- findings -------------------------------------------------------------------------------
    def _order(self, key: RowKey) -> tuple[int, float, int]:
        return (self.frames[key[0]].order, self.rows[key].pos, key[1])

    def _describe_default(self, key: RowKey) -> str:
        row = self.rows[key]
        return f"{self.frames[key[0]].label}中的“{row.values.get('name', '')}”"

    def _earlier_duplicates(self, key: RowKey) -> list[tuple[RowKey, str, str, str]]:
        """(other row, code, column key, reason template) for each earlier row this one repeats."""
        row = self.rows.get(key)
        if not row or key not in self.frames[key[0]].rows:
            return []
        found: list[tuple[RowKey, str, str, str]] = []
        mine = self._order(key)
        for index, value, what, column in (("mobile", row.mobile, "手机号码", "mobile"),
                                            ("name_unit", row.name_unit, "姓名和单位", "name")):
            group = self._exact[index].members(value)
            if len(group) < 2:
                continue
            first = min(group, key=self._order)
            if first != key and all(first != f[0] for f in found) and self._order(first) < mine:
                found.append((first, "duplicate-person", column, f"{what}与{{other}}相同"))
        for other, template in sorted(self._near.get(key, {}).items(), key=lambda kv: self._order(kv[0])):
            if self._order(other) < mine:
                found.append((other, "possible-duplicate", "name", template))
        return found

    def duplicate_partners(self, key: RowKey) -> list[RowKey]:
        """The other row of each duplicate finding of `key`, in the order `duplicate_findings` gives them."""
        return [other for other, _code, _column, _template in self._earlier_duplicates(key)]

    def duplicate_findings(self, key: RowKey) -> list[Finding]:
        return [self._placed(make(code, column, reason=template.format(other=self.describe(other))), key, column)
                for other, code, column, template in self._earlier_duplicates(key)]

    def values(self, key: RowKey) -> dict[str, str]:
        """A row's normalised values as the rules saw them ({} for an unknown row)."""
        row = self.rows.get(key)
        return row.values if row else {}

    def row_counts(self, key: RowKey) -> tuple[int, int]:
        """(errors, warnings) of one row, from the counters kept up to date on every edit."""
        row = self.rows.get(key)
        return (row.errors, row.warnings) if row else (0, 0)

    def _placed(self, finding: Finding, key: RowKey, column_key: str) -> Finding:
        header = self.frames[key[0]].form.column(column_key).header
        return Finding(finding.code, finding.severity, finding.message, self.frames[key[0]].form.number, header)

    def row_findings(self, key: RowKey) -> list[Finding]:
        row = self.rows.get(key)
        if not row:
            return []
        return [*row.local, *self.duplicate_findings(key)] if self._shares_a_key(row) else list(row.local)

    def _shares_a_key(self, row: RowState) -> bool:
        mobile, name_unit = self._exact["mobile"], self._exact["name_unit"]
        return mobile.size(row.mobile) > 1 or name_unit.size(row.name_unit) > 1 or bool(self._near.get(row.key))

    def frame_findings(self, frame_id: int) -> list[Finding]:
        frame = self.frames[frame_id]
        found: list[Finding] = []
        count, deals = len(frame.rows), self.agreed.get(frame_id, ())
        if frame.minimum is not None and count < frame.minimum:
            found.append(agreed.settle(make("below-minimum", count=count, minimum=frame.minimum,
                                            missing=frame.minimum - count), deals, count=count))
        if frame.coverage:
            missing = self.missing_coverage(frame_id)
            if missing:
                codes = [code for code, _name in self.missing_units(frame_id)]
                found.append(agreed.settle(make("coverage", missing="；".join(missing)), deals, missing=codes))
        return [Finding(f.code, f.severity, f.message, frame.form.number) for f in found]

    def missing_units(self, frame_id: int) -> list[tuple[str, str]]:
        """(code, name) of each unit a system frame lacks: counties, and a city with no row at all (市本级)."""
        missing = []
        for city, city_count, counties in self.coverage(frame_id):
            if city_count == 0:
                missing.append((city.code, f"{city.name}本级"))
            missing.extend((c.code, c.name) for c, n in counties if n == 0)
        return missing

    def coverage(self, frame_id: int) -> list[tuple[geo.City, int, list[tuple[geo.County, int]]]]:
        """Each city with its row count and its counties' row counts, for the coverage view."""
        frame = self.frames[frame_id]
        return [(city, frame.cities[city.code], [(c, frame.counties[c.code]) for c in counties])
                for city, counties in geo.coverage_units(self.year, overrides=self.divisions).items()]

    def missing_coverage(self, frame_id: int) -> list[str]:
        missing = []
        for city, city_count, counties in self.coverage(frame_id):
            gaps = [c.name for c, n in counties if n == 0]
            if city_count == 0:
                missing.append(f"{city.name}（全市均无人员：市本级及{'、'.join(gaps)}）")
            elif gaps:
                missing.append(f"{city.name}（{'、'.join(gaps)}）")
        return missing

    def _recount(self, keys: Iterable[RowKey]) -> None:
        for key in keys:
            row = self.rows.get(key)
            if not row:
                continue
            frame = self.frames[key[0]]
            frame.errors -= row.errors
            frame.warnings -= row.warnings
            found = self.row_findings(key)
            row.errors = sum(f.severity is Severity.ERROR for f in found)
            row.warnings = len(found) - row.errors
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
