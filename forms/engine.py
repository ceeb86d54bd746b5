"""The incremental rule engine: row rules plus the indexes the frame and cross-frame rules keep.

One edit costs O(1): a row's own rules run again, it leaves and rejoins the duplicate indexes
(mobile → rows, name+unit → rows, name → rows, landline → rows) and the per-frame counters
(rows, city and county counts). Duplicate and coverage findings are derived from those indexes
when asked for, so nothing needs a full pass. The window, the `check` command and the exporter
all read findings from here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from forms import geo
from forms.attachments import FRAME_FORMS, FrameForm, Role
from forms.bulk import paused_gc
from forms.campaign import Campaign
from forms.findings import Finding, Severity, make
from forms.normalize import Note
from forms.rules import RowView, check_row

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
    local: list[Finding]
    mobile: str
    name: str
    name_unit: str
    unit: str  # without white space, for comparing units
    phone: str
    city: str
    county: str
    errors: int = 0
    warnings: int = 0


def _compact(text: str) -> str:
    return "".join(text.split())


@lru_cache(maxsize=131072)
def _locate(unit: str, year: int) -> geo.Location | None:
    return geo.locate(unit, year) if unit else None


def _locator(year: int, overrides: dict[str, Any] | None) -> Callable[[str], geo.Location | None]:
    """Address → place for the campaign year; a campaign that overrides the division list skips the cache."""
    if overrides:
        return lambda unit: geo.locate(unit, year, overrides=overrides) if unit else None
    return lambda unit: _locate(unit, year)


def _one_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _units_close(a: str, b: str) -> bool:
    """Two units are close when one contains the other or their bigrams overlap by 60% (Jaccard)."""
    if not a or not b or a == b:
        return False
    if a in b or b in a:
        return True
    grams_a, grams_b = _bigrams(a), _bigrams(b)
    small, large = sorted((len(grams_a), len(grams_b)))
    if small < 0.6 * large:  # Jaccard can be no more than small/large
        return False
    shared = len(grams_a & grams_b)
    return shared >= 0.6 * (small + large - shared) and bool(shared)


def _same_place(a: RowState, b: RowState) -> bool:
    """Units located in different counties (or cities) are not two spellings of one unit."""
    if a.county and b.county:
        return a.county == b.county
    return not (a.city and b.city) or a.city == b.city


class Engine:
    """Findings of a whole department, kept up to date one row at a time."""

    def __init__(self, campaign: Campaign, check_prefix: bool = False,
                 describe: Callable[[RowKey], str] | None = None, year: int | None = None) -> None:
        self.campaign = campaign
        self.params: dict[str, Any] = dict(campaign.rules)
        self.check_prefix = check_prefix
        self.year = year or campaign.year
        self.divisions: dict[str, Any] | None = campaign.raw.get("division_overrides")
        self._locate = _locator(self.year, self.divisions)
        self.describe = describe or self._describe_default
        self.frames: dict[int, FrameState] = {}
        self.rows: dict[RowKey, RowState] = {}
        self.overrides: dict[RowKey, bool] = {}
        self._exact: dict[str, dict[str, set[RowKey]]] = {"mobile": defaultdict(set), "name_unit": defaultdict(set)}
        self._by_name: dict[str, set[RowKey]] = defaultdict(set)
        self._by_phone: dict[str, set[RowKey]] = defaultdict(set)
        self._near: dict[RowKey, dict[RowKey, str]] = defaultdict(dict)

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
        affected: set[RowKey] = set()
        if old:
            affected = self._leave(old)
            self.frames[key[0]].errors -= old.errors
            self.frames[key[0]].warnings -= old.warnings
        if override is None:
            self.overrides.pop(key, None)
        else:
            self.overrides[key] = override
        state = self._build(key, values, notes, pos if pos is not None else (old.pos if old else 0.0))
        affected |= self._join(state)
        affected.add(key)
        self._recount(affected)
        return affected

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

    def add_rows(self, rows: Iterable[tuple[RowKey, Mapping[str, str], tuple[tuple[str, Note], ...], float]]
                 ) -> set[RowKey]:
        """Add many new rows (an import, a paste); returns every row whose findings may have changed."""
        affected: set[RowKey] = set()
        for key, values, notes, pos in rows:
            affected |= self._join(self._build(key, values, notes, pos))
            affected.add(key)
        self._recount(affected)
        return affected

    def load(self, rows: Iterable[tuple[RowKey, Mapping[str, str], tuple[tuple[str, Note], ...], float]]) -> None:
        """Bulk-load rows (no affected sets); counts are settled once at the end."""
        with paused_gc():
            self._load_rows(rows)

    def _load_rows(self, rows: Iterable[tuple[RowKey, Mapping[str, str], tuple[tuple[str, Note], ...], float]]
                   ) -> None:
        for key, values, notes, pos in rows:
            self._join(self._build(key, values, notes, pos))
        self._recount(set(self.rows))

    def _build(self, key: RowKey, values: Mapping[str, str], notes: tuple[tuple[str, Note], ...],
               pos: float) -> RowState:
        frame = self.frames[key[0]]
        vals = dict(values)
        unit = vals.get("unit", "")
        compact_unit = _compact(unit)
        location = self._locate(unit)
        view = RowView(frame.form, vals, notes, location, self.params, self.check_prefix, self.overrides.get(key))
        name = vals.get("name", "")
        mobile = vals.get("mobile", "")
        mobile = mobile[1:] if len(mobile) == 12 and mobile.startswith("0") else mobile
        landline = vals.get("landline", "")
        return RowState(
            key=key, pos=pos, values=vals, local=[replace(f, form=frame.form.number) for f in check_row(view)],
            mobile=mobile if len(mobile) == 11 and mobile.isdigit() else "",
            name=name, name_unit=f"{name}|{compact_unit}" if name and unit else "", unit=compact_unit,
            phone=f"{vals.get('area_code', '')}-{landline}" if landline else "",
            city=location.city.code if location and location.city else "",
            county=location.county.code if location and location.county else "")

    def _join(self, row: RowState) -> set[RowKey]:
        key = row.key
        self.rows[key] = row
        frame = self.frames[key[0]]
        if not any(row.values.values()):
            return set()
        frame.rows.add(key)
        if row.county:
            frame.counties[row.county] += 1
        if row.city:
            frame.cities[row.city] += 1
        affected: set[RowKey] = set()
        for index, value in (("mobile", row.mobile), ("name_unit", row.name_unit)):
            if value:
                group = self._exact[index][value]
                group.add(key)
                affected |= group
        if row.name:
            self._by_name[row.name].add(key)
        if row.phone:
            self._by_phone[row.phone].add(key)
        for other, reason in self._near_partners(row).items():
            self._near[key][other] = reason
            self._near[other][key] = reason
            affected.add(other)
        return affected

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
        for index, value in (("mobile", row.mobile), ("name_unit", row.name_unit)):
            if value:
                group = self._exact[index][value]
                group.discard(key)
                affected |= group
                if not group:
                    del self._exact[index][value]
        for index_map, value in ((self._by_name, row.name), (self._by_phone, row.phone)):
            if value:
                index_map[value].discard(key)
                if not index_map[value]:
                    del index_map[value]
        for other in self._near.pop(key, {}):
            self._near[other].pop(key, None)
            affected.add(other)
        return affected

    def _exact_pair(self, a: RowState, b: RowState) -> bool:
        return bool(a.mobile and a.mobile == b.mobile) or bool(a.name_unit and a.name_unit == b.name_unit)

    def _near_partners(self, row: RowState) -> dict[RowKey, str]:
        partners: dict[RowKey, str] = {}
        namesakes = self._by_name.get(row.name, ())
        same_phone = self._by_phone.get(row.phone, ()) if row.phone else ()
        if len(namesakes) < 2 and len(same_phone) < 2:
            return partners
        for other_key in namesakes:
            other = self.rows[other_key]
            if other_key == row.key or self._exact_pair(row, other):
                continue
            if row.phone and row.phone == other.phone:
                partners[other_key] = f"与{{other}}姓名相同、办公电话相同（{row.phone.strip('-')}）"
            elif _same_place(row, other) and _units_close(row.unit, other.unit):
                partners[other_key] = f"与{{other}}姓名相同（{row.name}）、单位相近"
        for other_key in same_phone:
            other = self.rows[other_key]
            if other_key != row.key and other_key not in partners and _one_apart(row.name, other.name) \
                    and not self._exact_pair(row, other):
                partners[other_key] = f"与{{other}}（{other.name}）姓名只差一个字、办公电话相同"
        return partners

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
            group = self._exact[index].get(value) if value else None
            if not group or len(group) < 2:
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
        return row.local + self.duplicate_findings(key) if self._shares_a_key(row) else row.local

    def _shares_a_key(self, row: RowState) -> bool:
        mobile, name_unit = self._exact["mobile"], self._exact["name_unit"]
        return (len(mobile.get(row.mobile, ())) > 1 or len(name_unit.get(row.name_unit, ())) > 1
                or bool(self._near.get(row.key)))

    def frame_findings(self, frame_id: int) -> list[Finding]:
        frame = self.frames[frame_id]
        found: list[Finding] = []
        count = len(frame.rows)
        if frame.minimum is not None and count < frame.minimum:
            found.append(make("below-minimum", count=count, minimum=frame.minimum, missing=frame.minimum - count))
        if frame.coverage:
            missing = self.missing_coverage(frame_id)
            if missing:
                found.append(make("coverage", missing="；".join(missing)))
        return [Finding(f.code, f.severity, f.message, frame.form.number) for f in found]

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
