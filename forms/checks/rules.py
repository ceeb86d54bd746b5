"""Row rules: small functions over one normalised row, declared once in `ROW_RULES`.

The same rules serve the window, the `check` command and the exporter. Frame-wide rules
(duplicates, counts, coverage, serials) live in forms.checks.engine, which keeps indexes for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from forms.base.findings import Finding, Severity, make
from forms.checks import geo, phones
from forms.checks.normalize import Note, halfwidth
from forms.notice.attachments import FrameForm

NANNING_CODE = "0771"
_HAS_DIGIT = re.compile(r"\d").search


def _address_marker(markers: Sequence[str], false_markers: Sequence[str]) -> Callable[[str], bool]:
    """Whether a unit names a street-address part; words like 公路 or 农村 hide their 路/村 from it."""
    hide = re.compile("|".join(map(re.escape, false_markers))) if false_markers else None
    find = re.compile("|".join(map(re.escape, markers))).search
    return lambda unit: find(hide.sub("", unit) if hide else unit) is not None


@dataclass(frozen=True, slots=True)
class RuleContext:
    """The campaign's rule parameters, with what is derived from them built once per engine."""

    params: Mapping[str, Any]
    check_prefix: bool  # files as given: the typed 0-prefix is checked; a workspace writes it itself
    has_address: Callable[[str], bool]

    @classmethod
    def of(cls, params: Mapping[str, Any], check_prefix: bool = False) -> RuleContext:
        marker = _address_marker(params["address_markers"], params.get("address_false_markers", ()))
        return cls(params, check_prefix, marker)


Found = tuple[Finding, ...]
NONE: Found = ()


def _header(form: FrameForm, key: str) -> str:
    return form.column(key).header


# Each rule is a small function of the row's cells it declares in `reads` (see RowRule), so a frame
# can be checked column by column with each distinct input checked once.
def _required(form: FrameForm, ctx: RuleContext, filled: tuple[bool, ...]) -> Found:
    if all(filled):
        return NONE
    return tuple(make("required", _header(form, k)) for k, f in zip(form.required_keys, filled, strict=True) if not f)


def _gender(form: FrameForm, ctx: RuleContext, value: str) -> Found:
    if value and value not in ("男", "女"):
        return (make("gender", _header(form, "gender"), value=value),)
    return NONE


def _name(form: FrameForm, ctx: RuleContext, value: str) -> Found:
    if not value:
        return NONE
    reason = ""
    if _HAS_DIGIT(value):
        reason = "含有数字"
    elif value.isascii() and value.replace(" ", "").replace("·", "").isalpha():
        reason = "只有英文字母"
    elif len(value) > ctx.params["name_max_length"]:
        reason = f"超过{ctx.params['name_max_length']}个字"
    if reason:
        return (make("name", _header(form, "name"), value=value, reason=reason),)
    return NONE


def _mobile_format_reason(value: str) -> str:
    digits = value[1:] if value.startswith("0") else value
    if not value.isdigit():
        return "含有数字以外的字符，一格只能填一个11位手机号码"
    if len(digits) != 11 or not digits.startswith("1"):
        return f"不是11位手机号码（现有{len(value)}位），请核对"
    if not phones.is_valid_mobile(digits):
        return "不是已启用的手机号段，请核对"
    return ""


def _mobile(form: FrameForm, ctx: RuleContext, value: str, override: bool | None) -> Found:
    if not value:
        return NONE
    reason = _mobile_format_reason(value)
    if reason:
        return (make("mobile-format", _header(form, "mobile"), value=value, reason=reason),)
    decision = phones.nanning_decision(value, override)
    if decision.source is phones.Source.UNKNOWN:
        return (_unknown_block(form, ctx, value, decision.block),)
    return _mobile_prefix(form, value, decision) if ctx.check_prefix else NONE


def _unknown_block(form: FrameForm, ctx: RuleContext, value: str, block: str) -> Finding:
    """A block the table lacks: the clerk confirms (never a silent "not Nanning"), so a warning, not an error."""
    if ctx.check_prefix:
        todo = f"请核实：南宁号码不加0，非南宁号码写成0{value.removeprefix('0')}"
    else:
        todo = "导出时暂按非南宁号码在前面加0；请核实后在右键菜单“手机号码前面加不加0”中指定（可一次指定整个号段）"
    reason = f"的号段{block}不在号段表中，无法判断是否南宁号码，{todo}"
    return make("mobile-prefix", _header(form, "mobile"), Severity.WARNING, value=value, reason=reason)


def _mobile_prefix(form: FrameForm, value: str, decision: phones.NanningDecision) -> Found:
    typed_zero = len(value) == 12
    if typed_zero == decision.is_nanning:
        why = f"号段归属地{decision.place}" if decision.source is phones.Source.BLOCK else "已人工指定"
        if decision.is_nanning:
            reason = f"是南宁本地手机（{why}），请去掉前面的0"
        else:
            reason = f"不是南宁本地手机（{why}），请在号码前加0，写成0{value}"
        return (make("mobile-prefix", _header(form, "mobile"), value=value, reason=reason),)
    return NONE


def _landline(form: FrameForm, ctx: RuleContext, value: str) -> Found:
    if not value:
        return NONE
    if not value.isdigit():
        reason = "含有数字以外的字符，请只填一个号码（区号填在“区号”列）"
    elif len(value) == 11 and value.startswith("1"):
        reason = "是手机号码，请填到“手机号码”列"
    elif not 7 <= len(value) <= 8 or value.startswith("0"):
        reason = f"不是7—8位的本地号码（现有{len(value)}位），区号请填在“区号”列"
    else:
        return NONE
    return (make("landline-format", _header(form, "landline"), value=value, reason=reason),)


def _area_code(form: FrameForm, ctx: RuleContext, code: str, has_landline: bool, place: geo.Location | None) -> Found:
    city = place.city if place else None
    header = _header(form, "area_code")
    if code and not phones.is_area_code(code):
        return (make("area-code", header, reason=f"区号“{code}”不是有效的长途区号，请核对（如南宁0771、柳州0772）。"),)
    elif not code and has_landline and city and city.area_code != NANNING_CODE:
        return (make("area-code", header,
                     reason=f"单位在{city.name}，办公电话不是南宁号码，请在“区号”列填写{city.area_code}。"),)
    elif code and city and form.needs_address and code != city.area_code:
        return (make("area-code", header, reason=f"区号“{code}”与单位所在地{city.name}（{city.area_code}）不符，请核对。"),)
    return NONE


def _no_phone(form: FrameForm, ctx: RuleContext, has_landline: bool, has_mobile: bool) -> Found:
    if not has_landline and not has_mobile:
        return (make("no-phone", _header(form, "mobile")),)
    return NONE


def _address(form: FrameForm, ctx: RuleContext, unit: str) -> Found:
    if unit and not ctx.has_address(unit):
        return (make("address", _header(form, "unit"), value=unit),)
    return NONE


def _postcode(form: FrameForm, ctx: RuleContext, value: str, place: geo.Location | None) -> Found:
    if not value:
        return NONE
    if not (value.isdigit() and len(value) == 6):
        return (make("postcode", _header(form, "postcode"), value=value, reason="不是6位数字，请核对"),)
    elif place and place.city and not geo.postcode_fits(value, place):
        return (make("postcode", _header(form, "postcode"), value=value,
                     reason=f"不是单位所在地{place.city.name}的邮政编码（应以{place.city.postcode_prefix}开头），请核对"),)
    return NONE


CELL_LIMIT = 32767  # characters in one Excel cell: a longer text cannot be exported whole


def _too_long(key: str) -> Callable[[FrameForm, RuleContext, str], Found]:
    def check(form: FrameForm, ctx: RuleContext, value: str) -> Found:
        if len(value) > CELL_LIMIT:
            return (make("too-long", _header(form, key), count=len(value), limit=CELL_LIMIT),)
        return NONE
    return check


def _has(key: str) -> Callable[[FrameForm], bool]:
    return lambda form: any(column.key == key for column in form.columns)


# What a rule reads: a column key for its text, "?key" for whether it is filled, or one of these.
PLACE = "@place"  # where the row's unit is (a geo.Location or None)
OVERRIDE = "@override"  # the clerk's per-row Nanning decision (None, True or False)
FILLED_REQUIRED = "@required"  # whether each of the form's required columns is filled


def _always(form: FrameForm) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class RowRule:
    """A row rule: `check(form, context, *inputs)` with one input per entry of `reads`."""

    check: Callable[..., Found]
    reads: tuple[str, ...]
    applies: Callable[[FrameForm], bool] = _always
    noted: str = ""  # a normaliser's note on this column replaces the rule (it says more)
    # A regex no value of the first read that matches it can fail (None: the rule has none in this context).
    # It lets a whole column of plain values pass in one C-level scan; tests/forms/test_bulk_paths.py holds
    # each pattern to its rule.
    plain: Callable[[RuleContext], str | None] = lambda ctx: None
    # The values of a column (first read) that match `plain` and may still fail it, found in bulk (None: none).
    doubtful: Callable[[RuleContext, Sequence[str]], set[str]] | None = None
    # A rule of one text that a value of at most this many characters passes: a column is let through by its
    # longest value, measured in C (a length is no regex's work).
    short: int | None = None


def _plain_mobile(ctx: RuleContext) -> str | None:
    """An allocated 11-digit mobile, with or without a 0 before it. One that may still fail is `doubtful`
    (_doubtful_mobiles); a row with the clerk's override is always checked by itself (_Columns.failures)."""
    return rf"0?(?=1[0-9]{{10}}$)(?:{phones.mobile_pattern()})"


def _doubtful_mobiles(ctx: RuleContext, mobiles: Sequence[str]) -> set[str]:
    """Plain mobiles that fail all the same: of a block the 号段 table lacks (a warning), and in a file as
    given (check_prefix) those whose typed 0 the table's decision for their block contradicts."""
    return phones.doubtful_mobiles(mobiles, ctx.check_prefix)


def _plain_name(ctx: RuleContext) -> str:
    """At most the longest name, with a Chinese (non-ASCII) character and no digit."""
    return rf"(?=[^\n]*[^\x00-\x7f])[^\d\n]{{1,{int(ctx.params['name_max_length'])}}}"


# A normaliser's notes (lost precision …) come first in check_row and silence the rules they name.
ROW_RULES: tuple[RowRule, ...] = (
    RowRule(_required, (FILLED_REQUIRED,)),
    RowRule(_gender, ("gender",)),
    RowRule(_name, ("name",), plain=_plain_name),
    RowRule(_mobile, ("mobile", OVERRIDE), noted="mobile", plain=_plain_mobile, doubtful=_doubtful_mobiles),
    RowRule(_landline, ("landline",), noted="landline", plain=lambda ctx: "[1-9][0-9]{6,7}"),
    RowRule(_area_code, ("area_code", "?landline", PLACE)),
    RowRule(_no_phone, ("?landline", "?mobile")),
    RowRule(_address, ("unit",), applies=lambda form: form.needs_address),  # only where the survey is mailed
    RowRule(_postcode, ("postcode", PLACE), applies=lambda form: form.has_postcode),
    *(RowRule(_too_long(key), (key,), applies=_has(key), short=CELL_LIMIT)
      for key in ("unit", "title", "remark")),  # the other columns' own rules say more of a long text
)

_RULES_BY_FORM: dict[str, tuple[RowRule, ...]] = {}


def rules_for(form: FrameForm) -> tuple[RowRule, ...]:
    """The row rules a form's rows go through."""
    found = _RULES_BY_FORM.get(form.number)
    if found is None:
        found = _RULES_BY_FORM[form.number] = tuple(rule for rule in ROW_RULES if rule.applies(form))
    return found


@dataclass(slots=True)
class RowInput:
    """One row as the rules see it: normalised values, normalising notes, where its unit is, the override."""

    values: Mapping[str, str]
    notes: tuple[tuple[str, Note], ...] = ()
    place: geo.Location | None = None
    override: bool | None = None


def check_row(form: FrameForm, ctx: RuleContext, row: RowInput) -> list[Finding]:
    """Every row rule's findings for one row (column set, row number not yet)."""
    [found] = check_rows(form, ctx, Batch([row.values], [row.notes], [row.place], [row.override]))
    return list(found)


@dataclass(slots=True)
class Batch:
    """Rows to check together, as columns: one entry per row in each list."""

    values: Sequence[Mapping[str, str]]
    notes: Sequence[tuple[tuple[str, Note], ...]]
    places: Sequence[geo.Location | None]
    overrides: Sequence[bool | None]
    texts: dict[str, Sequence[str]] = field(default_factory=dict)  # columns of `values` the caller has taken out
    filled: Sequence[bool] | None = None  # whether each row has anything in it, if the caller knows


def check_rows(form: FrameForm, ctx: RuleContext, batch: Batch) -> list[Found]:
    """Every row rule's findings for each row, rule by rule over columns: each distinct input is checked once.

    A row with nothing in it has none. A normaliser's notes come first and silence the rules they name."""
    filled = batch.filled if batch.filled is not None else [any(values.values()) for values in batch.values]
    found: list[Found] = [NONE] * len(filled)
    noted: dict[int, set[str]] = {}
    for index, notes in enumerate(batch.notes):
        if notes and filled[index]:
            noted[index] = {key for key, _note in notes}
            found[index] = tuple(make(n.code, _header(form, k), value=batch.values[index].get(k, ""), reason=n.reason)
                                 for k, n in notes)
    plain: Sequence[int] = range(len(found)) if all(filled) else [i for i, full in enumerate(filled) if full]
    if len(plain) < len(found):
        batch = Batch([batch.values[i] for i in plain], [batch.notes[i] for i in plain],
                      [batch.places[i] for i in plain], [batch.overrides[i] for i in plain])
    columns = _Columns(form, batch)
    for rule in rules_for(form):
        keys = columns.keys(rule.reads)
        failed = columns.failures(rule, ctx, keys)
        if failed:
            for at, key in enumerate(keys):
                if key in failed and rule.noted not in noted.get(plain[at], ()):
                    found[plain[at]] += failed[key]
    return found


class _Columns:
    """The inputs of rules column by column, each built once. A place is keyed by its identity
    (hashing a Location is slow); every other input is its own key."""

    def __init__(self, form: FrameForm, batch: Batch) -> None:
        self.form = form
        self.batch = batch
        self._columns: dict[str, Sequence[Any]] = dict(batch.texts)
        self.places = dict(zip(map(id, batch.places), batch.places, strict=True))
        self._uniform: set[str] = set()  # columns known to hold one value in every row

    def keys(self, reads: tuple[str, ...]) -> Sequence[Any]:
        """One hashable key per row for the rule's inputs."""
        return self._column(reads[0]) if len(reads) == 1 else self._rows_of(reads)

    def _rows_of(self, reads: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """The inputs as one tuple per row; a single shared tuple when every column holds one value, and
        one of two shared tuples when only a filled-or-not column varies (e.g. 职务 left blank in some rows)."""
        columns = [self._column(read) for read in reads]
        if not columns[0]:
            return []
        varying = [at for at, read in enumerate(reads) if read not in self._uniform]
        if not varying:  # e.g. every required cell filled
            return [tuple(column[0] for column in columns)] * len(columns[0])
        if len(varying) == 1 and reads[varying[0]][0] == "?":
            at, fixed = varying[0], [column[0] for column in columns]
            made = {filled: (*fixed[:at], filled, *fixed[at + 1:]) for filled in (True, False)}
            return list(map(made.__getitem__, columns[at]))
        return list(zip(*columns, strict=True))

    def failures(self, rule: RowRule, ctx: RuleContext, keys: Sequence[Any]) -> dict[Any, Found]:
        """The rule's findings for each distinct key that fails it; keys whose first input is plain pass unchecked."""
        check, form = rule.check, self.form
        pattern = rule.plain(ctx)
        if rule.short is not None:
            pending: Collection[Any] = _longer_than(keys, rule.short)
        elif pattern is None:
            pending = set(keys)
        elif len(rule.reads) == 1:
            pending = _not_matching(keys, pattern) | (rule.doubtful(ctx, keys) if rule.doubtful else set())
        else:
            firsts = self._column(rule.reads[0])
            odd = _not_matching(firsts, pattern) | (rule.doubtful(ctx, firsts) if rule.doubtful else set())
            pending = {key for first, key in zip(firsts, keys, strict=True) if first in odd} if odd else set()
            if OVERRIDE in rule.reads and any(o is not None for o in self._column(OVERRIDE)):
                at = rule.reads.index(OVERRIDE)  # the clerk's say makes any value one to look at
                pending |= {key for key in keys if key[at] is not None}
        if PLACE in rule.reads:
            at, places = rule.reads.index(PLACE), self.places
            found = ((key, check(form, ctx, *key[:at], places[key[at]], *key[at + 1:])) for key in pending
                     ) if len(rule.reads) > 1 else ((key, check(form, ctx, places[key])) for key in pending)
        elif len(rule.reads) == 1:
            found = ((key, check(form, ctx, key)) for key in pending)
        else:
            found = ((key, check(form, ctx, *key)) for key in pending)
        return {key: result for key, result in found if result}

    def _column(self, read: str) -> Sequence[Any]:
        found = self._columns.get(read)
        if found is None:
            if read == PLACE:
                found = list(map(id, self.batch.places))
            elif read == OVERRIDE:
                found = list(self.batch.overrides)
            elif read == FILLED_REQUIRED:
                found = self._rows_of(tuple("?" + k for k in self.form.required_keys))
            elif read[0] == "?":
                texts = self._column(read[1:])
                if "" in texts:
                    found = list(map(bool, texts))
                else:
                    found = [True] * len(texts)
                    self._uniform.add(read)
            else:
                found = [values.get(read, "") for values in self.batch.values]
            self._columns[read] = found
        return found


def _longer_than(column: Sequence[Any], bound: int) -> set[Any]:
    """The values of `column` longer than `bound`; the column's longest value, measured in C, settles most."""
    return {value for value in set(column) if len(value) > bound} if max(map(len, column), default=0) > bound else set()


def _not_matching(column: Sequence[str], pattern: str) -> set[str]:
    """The values of `column` that do not match `pattern` whole, found in C: the column joined in its own
    order (joining a set of 50 000 strings costs several times as much, in cache misses) and every line that
    matches taken out in one `sub`; what is left is the odd values. A pattern never matches a line break."""
    joined = "\n".join(column)
    if joined.count("\n") != len(column) - 1:  # a value with a line break in it (or no values): one by one
        whole = _compiled(pattern).fullmatch
        return {value for value in set(column) if not whole(value)}
    left = _compiled(f"^(?:{pattern})\n", re.MULTILINE).sub("", joined + "\n")
    return set(left.split("\n")[:-1]) if left else set()


@lru_cache(maxsize=64)
def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def serial_findings(serials: list[str]) -> list[tuple[int, Finding]]:
    """`serial` findings of a frame as given in a file: (index into `serials`, finding).

    After a blank or non-numeric serial the next number is taken as it comes (it resyncs), so one
    bad cell is one finding, not two.
    """
    found: list[tuple[int, Finding]] = []
    seen: set[int] = set()
    previous: int | None = 0
    for index, typed in enumerate(serials):
        text = halfwidth(typed)  # ① and ２ are numbers as typed; a zero-width space or a BOM is no error to see
        number = int(text) if text.isdecimal() else None  # (isdigit() also takes ², which int() refuses)
        reason = ""
        if number is None:
            reason = "为空" if not text else "不是数字"
        elif number in seen:
            reason = "重复"
        elif previous is not None and number != previous + 1:
            reason = f"不连续（上一行是{previous}）" if previous else "没有从1开始"
        if number is not None:
            seen.add(number)
        previous = number
        if reason:
            found.append((index, make("serial", "序号", value=text, reason=reason)))
    return found
