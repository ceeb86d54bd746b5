"""Row rules: small functions over one normalised row, declared once in `ROW_RULES`.

The same rules serve the window, the `check` command and the exporter. Frame-wide rules
(duplicates, counts, coverage, serials) live in forms.engine, which keeps indexes for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from forms import geo, phones
from forms.attachments import FrameForm
from forms.findings import Finding, make
from forms.normalize import Note

NANNING_CODE = "0771"
_HAS_DIGIT = re.compile(r"\d").search


@cache
def _address_marker(markers: tuple[str, ...], false_markers: tuple[str, ...]) -> Callable[[str], object]:
    """A search for a street-address part; words like 公路 or 农村 hide their 路/村 from it."""
    hide = re.compile("|".join(map(re.escape, false_markers))) if false_markers else None
    find = re.compile("|".join(map(re.escape, markers))).search
    return (lambda unit: find(hide.sub("", unit))) if hide else find


@dataclass(slots=True)
class RowView:
    """What a rule sees: the form, the row's normalised values and notes, where its unit is."""

    form: FrameForm
    values: dict[str, str]
    notes: tuple[tuple[str, Note], ...]
    location: geo.Location | None
    params: dict[str, Any]
    check_prefix: bool  # files as given: the typed 0-prefix is checked; a workspace writes it itself
    nanning_override: bool | None = None
    noted: set[str] = field(default_factory=set)  # columns a normaliser note already covers

    def header(self, key: str) -> str:
        return self.form.column(key).header

    def get(self, key: str) -> str:
        return self.values.get(key, "")


Found = tuple[Finding, ...]
Rule = Callable[[RowView], Found]
NONE: Found = ()


def _required(row: RowView) -> Found:
    values = row.values
    for key in row.form.required_keys:
        if not values.get(key):
            return tuple(make("required", row.header(k)) for k in row.form.required_keys if not values.get(k))
    return NONE


def _notes(row: RowView) -> Found:
    for key, _note in row.notes:
        row.noted.add(key)
    return tuple(make(n.code, row.header(k), value=row.get(k), reason=n.reason) for k, n in row.notes)


def _gender(row: RowView) -> Found:
    value = row.get("gender")
    if value and value not in ("男", "女"):
        return (make("gender", row.header("gender"), value=value),)
    return NONE


def _name(row: RowView) -> Found:
    value = row.get("name")
    if not value:
        return NONE
    reason = ""
    if _HAS_DIGIT(value):
        reason = "含有数字"
    elif value.isascii() and value.replace(" ", "").replace("·", "").isalpha():
        reason = "只有英文字母"
    elif len(value) > row.params["name_max_length"]:
        reason = f"超过{row.params['name_max_length']}个字"
    if reason:
        return (make("name", row.header("name"), value=value, reason=reason),)
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


def _mobile(row: RowView) -> Found:
    value = row.get("mobile")
    if not value or "mobile" in row.noted:
        return NONE
    reason = _mobile_format_reason(value)
    if reason:
        return (make("mobile-format", row.header("mobile"), value=value, reason=reason),)
    return _mobile_prefix(row, value) if row.check_prefix else NONE


def _mobile_prefix(row: RowView, value: str) -> Found:
    decision = phones.nanning_decision(value.removeprefix("0"), row.nanning_override)
    typed_zero = len(value) == 12
    if typed_zero == decision.is_nanning:
        place = decision.place or "未知"
        if decision.is_nanning:
            reason = f"是南宁本地手机（归属地{place}），请去掉前面的0"
        else:
            reason = f"不是南宁本地手机（归属地{place}），请在号码前加0，写成0{value}"
        return (make("mobile-prefix", row.header("mobile"), value=value, reason=reason),)
    return NONE


def _landline(row: RowView) -> Found:
    value = row.get("landline")
    if not value or "landline" in row.noted:
        return NONE
    if not value.isdigit():
        reason = "含有数字以外的字符，请只填一个号码（区号填在“区号”列）"
    elif len(value) == 11 and value.startswith("1"):
        reason = "是手机号码，请填到“手机号码”列"
    elif not 7 <= len(value) <= 8 or value.startswith("0"):
        reason = f"不是7—8位的本地号码（现有{len(value)}位），区号请填在“区号”列"
    else:
        return NONE
    return (make("landline-format", row.header("landline"), value=value, reason=reason),)


def _area_code(row: RowView) -> Found:
    code, city = row.get("area_code"), row.location.city if row.location else None
    if code and not phones.is_area_code(code):
        return (make("area-code", row.header("area_code"), reason=f"区号“{code}”不是有效的长途区号，请核对（如南宁0771、柳州0772）。"),)
    elif not code and row.get("landline") and city and city.area_code != NANNING_CODE:
        return (make("area-code", row.header("area_code"),
                   reason=f"单位在{city.name}，办公电话不是南宁号码，请在“区号”列填写{city.area_code}。"),)
    elif code and city and row.form.needs_address and code != city.area_code:
        return (make("area-code", row.header("area_code"),
                   reason=f"区号“{code}”与单位所在地{city.name}（{city.area_code}）不符，请核对。"),)
    return NONE


def _no_phone(row: RowView) -> Found:
    if not row.get("landline") and not row.get("mobile"):
        return (make("no-phone", row.header("mobile")),)
    return NONE


def _address(row: RowView) -> Found:
    unit = row.get("unit")
    marker = _address_marker(tuple(row.params["address_markers"]), tuple(row.params.get("address_false_markers", ())))
    if unit and not marker(unit):
        return (make("address", row.header("unit"), value=unit),)
    return NONE


def _postcode(row: RowView) -> Found:
    value = row.get("postcode")
    if not value:
        return NONE
    if not (value.isdigit() and len(value) == 6):
        return (make("postcode", row.header("postcode"), value=value, reason="不是6位数字，请核对"),)
    elif row.location and row.location.city and not geo.postcode_fits(value, row.location):
        place = row.location.city.name
        return (make("postcode", row.header("postcode"), value=value,
                   reason=f"不是单位所在地{place}的邮政编码（应以{row.location.city.postcode_prefix}开头），请核对"),)
    return NONE


# A normaliser's notes (lost precision …) are checked first in check_row: they silence the format rules.
ROW_RULES: tuple[Rule, ...] = (
    _required, _gender, _name, _mobile, _landline, _area_code, _no_phone, _address, _postcode,
)


def _applies(rule: Rule, form: FrameForm) -> bool:
    if rule is _address:
        return form.needs_address
    return rule is not _postcode or form.has_postcode


_RULES_BY_FORM: dict[str, tuple[Rule, ...]] = {}


def rules_for(form: FrameForm) -> tuple[Rule, ...]:
    """The row rules a form's rows go through (an address only where the survey is mailed, …)."""
    found = _RULES_BY_FORM.get(form.number)
    if found is None:
        found = _RULES_BY_FORM[form.number] = tuple(rule for rule in ROW_RULES if _applies(rule, form))
    return found


def check_row(row: RowView) -> list[Finding]:
    """Every row rule's findings for one row (column set, row number not yet)."""
    found: list[Finding] = []
    if not any(row.values.values()):
        return found
    if row.notes:
        found.extend(_notes(row))
    for rule in rules_for(row.form):
        result = rule(row)
        if result:
            found.extend(result)
    return found


def serial_findings(serials: list[str]) -> list[tuple[int, Finding]]:
    """`serial` findings of a frame as given in a file: (index into `serials`, finding).

    After a blank or non-numeric serial the next number is taken as it comes (it resyncs), so one
    bad cell is one finding, not two.
    """
    found: list[tuple[int, Finding]] = []
    seen: set[int] = set()
    previous: int | None = 0
    for index, text in enumerate(serials):
        number = int(text) if text.isdigit() else None
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
