"""Checking a campaign file (a later year's notice as data) before a workspace is built on it.

A campaign file is typed by someone reading next year's notice: every mistake must come back as a
Chinese sentence that names the field (its JSON key and what it means) and says what to write, all of
them at once, never a KeyError halfway through a workspace. The program's templates fix the forms:
a kind's frames and leader form must be the ones the program lays out (附件2/3, 4/5, 6/7; 9/10/11).
Part of the notice room (forms.notice.campaign_check).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any

from forms.notice.attachments import FRAME_FORMS, LEADER_FORMS, Role

FORMS = tuple(str(n) for n in range(2, 12))
DELIVERABLES = ("system_frame", "hot_frames", "questionnaires", "bundle", "contacts", "report_rectification",
                "report_performance", "publicity", "leader_form")
RULE_TYPES: dict[str, type] = {
    "nanning_area_code": str, "name_max_length": int, "questionnaire_min_questions": int,
    "analysis_period": str, "analysis_max_chars": int, "analysis_max_pages": int, "analysis_font_size_pt": int,
    "analysis_sections": list, "address_markers": list, "address_false_markers": list,
}
_ID = re.compile(r"^[0-9A-Za-z_-]{1,40}$")
# Bounds no real notice comes near, so that a pasted 10 MB value or 10**30 stops here, not in a document.
MAX_TEXT = 2000
MAX_DEPTH = 20
RULE_RANGES = {"name_max_length": (1, 100), "questionnaire_min_questions": (1, 100), "analysis_max_chars": (1, 100_000),
               "analysis_max_pages": (1, 100), "analysis_font_size_pt": (5, 72)}
MAX_MINIMUM = 100_000
TEXT_LISTS = ("analysis_sections", "address_markers", "address_false_markers")

Problems = list[str]


def problems(data: Any) -> Problems:
    """Everything wrong with a campaign file's data, one Chinese sentence each ([] when it can be used)."""
    if not isinstance(data, dict):
        return ["年度通知文件的内容应是一个 JSON 对象（以 { 开头），请对照随程序提供的 campaign-2015.json 修改。"]
    found = _sizes(data, "", 0)
    if found:  # a value too big to echo or walk: say only that
        return found
    for check in (_identity, _titles, _kinds, _deadlines, _publicity, _rules, _leader):
        found.extend(check(data))
    return found


def shown(value: Any) -> str:
    """A value as a message may quote it: never more than a short line."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + f"…（共{len(text)}字）"


def _sizes(value: Any, where: str, depth: int) -> Problems:
    """Every text longer than MAX_TEXT, and nesting deeper than any notice needs, named by its place."""
    place = where or "（最外层）"
    if depth > MAX_DEPTH:
        return [f"“{place}”嵌套过深（超过{MAX_DEPTH}层），这不是年度通知文件的结构，请对照 campaign-2015.json 修改。"]
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return [f"“{place}”的文字长达{len(value)}字（上限{MAX_TEXT}字），请检查是否粘贴错了内容。"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in (_sizes(k, f"{where}/{shown(k)}", depth + 1)
                                                       + _sizes(v, f"{where}/{shown(k)}", depth + 1))]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in _sizes(v, f"{where}[{n}]", depth + 1)]
    return []


def _need(data: dict[str, Any], key: str, meaning: str, kind: type, found: Problems) -> Any:
    value = data.get(key)
    if value is None:
        found.append(f"缺少“{key}”（{meaning}）一项。")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        what = {str: "文字", int: "整数", list: "列表 [...]", dict: "对象 {...}"}[kind]
        found.append(f"“{key}”（{meaning}）应为{what}，现在是“{shown(value)}”。")
        return None
    return value


def _identity(data: dict[str, Any]) -> Problems:
    found: Problems = []
    cid = _need(data, "id", "通知的编号，如 2016", str, found)
    if cid is not None and not _ID.match(cid):
        found.append(f"“id”（通知的编号）“{shown(cid)}”只能用字母、数字、下划线或短横线，如 2016。")
    year = _need(data, "year", "年度，如 2016", int, found)
    if year is not None and not 2000 <= year <= 2100:
        found.append(f"“year”（年度）“{shown(year)}”不是合理的年份，请填写如 2016。")
    _need(data, "notice_number", "通知文号，如 桂绩办发〔2016〕XX号", str, found)
    for key, box in (_need(data, "mailboxes", "报送邮箱", dict, found) or {}).items():
        if not isinstance(box, dict) or not all(isinstance(box.get(f), (str, type(None))) for f in ("name", "address")):
            found.append(f"“mailboxes”中的“{shown(key)}”应为对象，含“name”（文字）和“address”（邮箱地址或 null）。")
    return found


def _titles(data: dict[str, Any]) -> Problems:
    found: Problems = []
    for key, meaning, fields in (("attachment_titles", "各附件的标题", ("year", "department", "item")),
                                 ("file_stems", "导出文件名中的附件名称", ("item",))):
        table = _need(data, key, meaning, dict, found)
        if table is None:
            continue
        for form in FORMS:
            text = table.get(form)
            if not isinstance(text, str) or not text.strip():
                found.append(f"“{key}”（{meaning}）缺少附件{form}的一项（\"{form}\": \"…\"）。")
            elif (bad := _placeholder_problem(text, fields)) is not None:
                found.append(f"“{key}”中附件{form}的“{shown(text)}”{bad}")
    return found


def _placeholder_problem(text: str, fields: tuple[str, ...]) -> str | None:
    """Only plain {year}-style fields: a width ({year:>99999999}), an attribute or a conversion is refused."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        parts = [("", "?", "", None)]
    if any(name is not None and (name not in fields or spec or conversion) for _t, name, spec, conversion in parts):
        allowed = "、".join("{" + f + "}" for f in fields)
        return f"含有无法识别的花括号占位符：只能用{allowed}。"
    return None


def _kinds(data: dict[str, Any]) -> Problems:
    found: Problems = []
    kinds = _need(data, "kinds", "参评单位类别", dict, found)
    if kinds is None:
        return found
    for key in LEADER_FORMS:
        kind = kinds.get(key)
        if not isinstance(kind, dict):
            found.append(f"“kinds”（参评单位类别）缺少“{key}”一类。")
            continue
        found.extend(f"“kinds”中“{key}”类：{p}" for p in _kind(key, kind))
    return found


def _kind(key: str, kind: dict[str, Any]) -> Problems:
    found: Problems = []
    _need(kind, "name", "类别全称", str, found)
    expected = {"system_form": _form_of(key, Role.SYSTEM), "hot_form": _form_of(key, Role.HOT),
                "leader_form": LEADER_FORMS[key]}
    for field, form in expected.items():
        if kind.get(field) != form:
            found.append(f"“{field}”应为\"{form}\"（程序的表格模板按此附件编排），现在是“{shown(kind.get(field))}”。")
    minimum = _need(kind, "default_minimum", "热点难点抽样框最少人数", int, found)
    if minimum is not None and not 0 < minimum <= MAX_MINIMUM:
        found.append(f"“default_minimum”（最少人数）应为1到{MAX_MINIMUM}之间的整数，现在是{shown(minimum)}。")
    categories = _need(kind, "categories", "分类及各自的最少人数，没有分类时写 {}", dict, found)
    for name, count in (categories or {}).items():
        if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
            found.append(f"分类“{shown(name)}”的最少人数应为大于0的整数，现在是“{shown(count)}”。")
        elif count > MAX_MINIMUM:
            found.append(f"分类“{shown(name)}”的最少人数{count}超过了{MAX_MINIMUM}，请检查是否多打了0。")
    return found


def _form_of(kind: str, role: Role) -> str:
    return next(f.number for f in FRAME_FORMS.values() if f.kind == kind and f.role is role)


def _date(value: Any, where: str, found: Problems) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        found.append(f"{where}“{shown(value)}”不是有效日期，请写成 2016-11-13 这样的格式。")
        return None


def _deadlines(data: dict[str, Any]) -> Problems:
    found: Problems = []
    deadlines = _need(data, "deadlines", "截止日期及各期报送的材料", list, found)
    if deadlines is None:
        return found
    mailboxes = data.get("mailboxes") if isinstance(data.get("mailboxes"), dict) else {}
    seen: list[str] = []
    dates: list[dt.date] = []
    for n, item in enumerate(deadlines, start=1):
        where = f"第{n}个截止日期（deadlines）"
        if not isinstance(item, dict):
            found.append(f"{where}应为对象 {{...}}。")
            continue
        day = _date(item.get("date"), f"{where}的“date”", found)
        dates.extend([day] if day else [])
        for field in ("what", "how"):
            if not isinstance(item.get(field), str):
                found.append(f"{where}缺少“{field}”（{'报送什么' if field == 'what' else '怎样报送'}）。")
        if item.get("mailbox") is not None and item.get("mailbox") not in (mailboxes or {}):
            found.append(f"{where}的邮箱“{shown(item.get('mailbox'))}”不在“mailboxes”中，请写 null 或已列出的邮箱。")
        items = item.get("deliverables")
        unknown = [d for d in items if d not in DELIVERABLES] if isinstance(items, list) else ["（不是列表）"]
        if unknown:
            found.append(f"{where}的“deliverables”中有无法识别的材料：{'、'.join(map(str, unknown))}；"
                         f"可用的有：{'、'.join(DELIVERABLES)}。")
        seen.extend(d for d in (items if isinstance(items, list) else []) if d in DELIVERABLES)
    found.extend(_coverage_of(seen))
    if dates != sorted(dates):
        found.append("截止日期（deadlines）应按日期先后排列。")
    return found


def _coverage_of(seen: list[str]) -> Problems:
    missing = [d for d in DELIVERABLES if d not in seen]
    twice = sorted({d for d in seen if seen.count(d) > 1})
    found = [f"截止日期（deadlines）中没有安排这些材料：{'、'.join(missing)}。"] if missing else []
    if twice:
        found.append(f"这些材料在截止日期（deadlines）中出现了不止一次：{'、'.join(twice)}。")
    return found


def _publicity(data: dict[str, Any]) -> Problems:
    found: Problems = []
    duties = _need(data, "publicity", "网站公示事项", list, found)
    for n, duty in enumerate(duties or [], start=1):
        where = f"第{n}个网站公示事项（publicity）"
        if not isinstance(duty, dict) or not all(isinstance(duty.get(k), str) for k in ("key", "what")):
            found.append(f"{where}应有“key”和“what”两项文字。")
            continue
        if not isinstance(duty.get("min_days"), int) or duty["min_days"] <= 0:
            found.append(f"{where}的“min_days”（最少公示天数）应为大于0的整数。")
        _date(duty.get("by"), f"{where}的“by”", found)
    return found


def _rules(data: dict[str, Any]) -> Problems:
    found: Problems = []
    rules = _need(data, "rules", "填报规则参数", dict, found)
    for key, kind in RULE_TYPES.items() if rules is not None else ():
        value = _need(rules, key, "填报规则参数", kind, found)
        low, high = RULE_RANGES.get(key, (None, None))
        if low is not None and value is not None and not low <= value <= high:  # type: ignore[operator]
            found.append(f"“{key}”应在{low}到{high}之间，现在是{shown(value)}。")
        if key in TEXT_LISTS and value is not None and (not value or not all(isinstance(v, str) and v for v in value)):
            found.append(f"“{key}”应为非空的文字列表，如 [\"…\", \"…\"]，每一项都是文字。")
    return [f"“rules”中{p}" for p in found] if rules is not None else found


def _leader(data: dict[str, Any]) -> Problems:
    found: Problems = []
    scale = _need(data, "leader_scale", "领导评价表的评分等级", list, found)
    for n, level in enumerate(scale or [], start=1):
        if not _level_ok(level):
            found.append(f"第{n}个评分等级（leader_scale）应有“level”“score”（整数）和“standard”三项。")
    _need(data, "leader_form_note", "领导评价表的注", str, found)
    return found


def _level_ok(level: Any) -> bool:
    return (isinstance(level, dict) and isinstance(level.get("level"), str)
            and isinstance(level.get("score"), int) and isinstance(level.get("standard"), str))
