"""The steps a department owes, grouped by deadline, each with its status computed from the workspace.

The campaign data says which deliverables fall due on which date; the department's kind says which
attachments those are. Each step's status is 未开始 / 有N处错误 / 有N处提醒 / 已完成, read from the
rule engine (frames) or from the checks below (附件8, the analysis, the website duties, the
questionnaires). No Qt here: the window's guide and any headless report read the same plan.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from forms.base.findings import Finding, Severity
from forms.checks.textcount import count_chars
from forms.notice import questionnaire as qmod
from forms.notice.attachments import CONTACT_FIELDS
from forms.notice.campaign import Campaign, Deadline
from forms.tasks import packed

if TYPE_CHECKING:
    from forms.store.workspace import Frame, Workspace

ANALYSIS_PREFIX = "analysis:"
REPORT_KEYS = {"report_rectification": "report:rectification", "report_performance": "report:performance"}
CONTACTS_KEY = "contacts"
PUBLICITY_PREFIX = "publicity:"
STALE = "需重新生成"
LONG_AWAY = 60  # days: beyond this, a deadline is shown by its date rather than as a count of days


class State(StrEnum):
    TODO = "todo"
    ERRORS = "errors"
    WARNINGS = "warnings"
    DONE = "done"


@dataclass(frozen=True)
class Status:
    """A step's state and how many findings make it so."""

    state: State
    count: int = 0
    text: str = ""  # a step's own word for its state (the bundle: 未发送 / 已生成 / 已告知密码)

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        if self.state is State.ERRORS:
            return f"有{self.count}处错误"
        if self.state is State.WARNINGS:
            return f"有{self.count}处提醒"
        return "已完成" if self.state is State.DONE else "未开始"

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Status:
        errors = sum(f.severity is Severity.ERROR for f in findings)
        return cls.from_counts(errors, len(findings) - errors)

    @classmethod
    def from_counts(cls, errors: int, warnings: int) -> Status:
        if errors:
            return cls(State.ERRORS, errors)
        return cls(State.WARNINGS, warnings) if warnings else cls(State.DONE)


TODO = Status(State.TODO)


@dataclass(frozen=True)
class Step:
    """One thing to do: `key` names it for the window ("frame:12", "analysis" …)."""

    key: str
    deliverable: str  # the campaign's deliverable key (system_frame, hot_frames, questionnaires …)
    title: str
    status: Status
    frame_id: int | None = None


@dataclass(frozen=True)
class StepGroup:
    deadline: Deadline
    steps: tuple[Step, ...]

    @property
    def label(self) -> str:
        return date_label(self.deadline.date)


def date_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


# -- what a kind owes, before there is a workspace (the new-department wizard) -----------------------
def owed(campaign: Campaign, kind_key: str) -> list[tuple[Deadline, list[str]]]:
    """For each deadline, the names of what a department of this kind hands in."""
    kind = campaign.kind(kind_key)
    names = {
        "system_frame": [f"附件{kind.system_form}（系统干部抽样框）"],
        "hot_frames": [f"附件{kind.hot_form}（热点难点工作抽样框，每个工作事项一份）"],
        "questionnaires": ["热点难点工作评议问卷（每个工作事项一份）"],
        "bundle": ["抽样框加密压缩包（密码另行告知）"],
        "contacts": ["附件8（社会评价工作有关情况表）"],
        "report_rectification": ["整改情况报告"],
        "report_performance": ["年度绩效情况报告"],
        "publicity": ["网站公示（整改情况、评价公告、年度绩效）"],
        "leader_form": [f"附件{kind.leader_form}（领导评价表及年度绩效分析）"],
    }
    return [(d, [n for key in d.deliverables for n in names.get(key, [key])]) for d in campaign.deadlines]


# -- deadlines ---------------------------------------------------------------------------------------
def days_left(campaign: Campaign, today: dt.date) -> tuple[Deadline | None, int]:
    """The next deadline on or after `today` and the days until it (0: today is the day)."""
    upcoming = campaign.next_deadline(today)
    return (upcoming, (upcoming.date - today).days) if upcoming else (None, 0)


def long_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def deadline_text(campaign: Campaign, today: dt.date) -> str:
    upcoming, days = days_left(campaign, today)
    if upcoming is None:
        last = max(d.date for d in campaign.deadlines)
        return f"{campaign.year}年度各项截止日期均已过（最后一项为{long_date(last)}）"
    when = date_label(upcoming.date)
    if days > LONG_AWAY:  # a campaign set up ahead of its year: the date says more than a count of days
        return f"下一个截止日期：{long_date(upcoming.date)}"
    return f"今天（{when}）是截止日期" if days == 0 else f"距{when}截止还有{days}天"


def group_text(deadline: Deadline, today: dt.date) -> str:
    """`11月13日前（还有3天）`; long past (an earlier year's workspace), the date and 已截止, not 4000 days."""
    days = (deadline.date - today).days
    when = f"{date_label(deadline.date)}前"
    if days < -LONG_AWAY:
        return f"{when}（{long_date(deadline.date)}，已截止）"
    if days < 0:
        return f"{when}（已过{-days}天）"
    if days > LONG_AWAY:
        return f"{when}（{long_date(deadline.date)}）"
    return f"{when}（今天截止）" if days == 0 else f"{when}（还有{days}天）"


# -- the plan of a workspace -------------------------------------------------------------------------
def plan(ws: Workspace, today: dt.date) -> list[StepGroup]:
    """Every step the department owes, grouped by deadline in date order."""
    return [StepGroup(d, tuple(s for key in d.deliverables for s in _steps_for(ws, key, today)))
            for d in ws.campaign.deadlines]


def all_steps(ws: Workspace, today: dt.date) -> list[Step]:
    return [s for g in plan(ws, today) for s in g.steps]


def _steps_for(ws: Workspace, deliverable: str, today: dt.date) -> list[Step]:
    kind = ws.kind
    if deliverable == "system_frame":
        frame = ws.system_frame()
        return [Step(f"frame:{frame.id}", deliverable, f"系统干部抽样框（附件{kind.system_form}）",
                     frame_status(ws, frame.id), frame.id)]
    if deliverable == "hot_frames":
        hot = ws.hot_frames()
        if not hot:
            return [Step("items", deliverable, f"热点难点抽样框（附件{kind.hot_form}）：请添加工作事项", TODO)]
        return [Step(f"frame:{f.id}", deliverable, f"热点难点抽样框（附件{kind.hot_form}）·{f.item}",
                     frame_status(ws, f.id), f.id) for f in hot]
    if deliverable == "questionnaires":
        return [Step(f"questionnaire:{f.id}", deliverable, f"评议问卷·{f.item}", questionnaire_status(ws, f), f.id)
                for f in ws.hot_frames()]
    single = _SINGLE_STEPS.get(deliverable)
    if single is None:
        return []
    key, title, status = single
    return [Step(key, deliverable, title.format(leader=kind.leader_form), status(ws, today))]


def status_of(ws: Workspace, key: str, today: dt.date) -> Status:
    """The status of one step by its key, without building the whole plan."""
    if key.startswith("frame:"):
        return frame_status(ws, int(key.split(":")[1]))
    if key.startswith("questionnaire:"):
        return questionnaire_status(ws, ws.frame(int(key.split(":")[1])))
    for step_key, _title, status in _SINGLE_STEPS.values():
        if step_key == key:
            return status(ws, today)
    return TODO


# -- statuses ----------------------------------------------------------------------------------------
def frame_status(ws: Workspace, frame_id: int) -> Status:
    if ws.engine.row_count(frame_id) == 0:
        return TODO
    errors, warnings = ws.engine.counts(frame_id)
    return Status.from_counts(errors, warnings - warning_counts(ws, frame_id)[1])  # explained ones are done


def warning_counts(ws: Workspace, frame_id: int,
                   reasons: Mapping[tuple[int, str], str] | None = None) -> tuple[int, int]:
    """(warnings still to explain, warnings explained with a reason) of a frame.

    The one count the guide, the frame's header, its problem list and the pack page all show. It starts
    from the engine's counters and looks only at the rows that have a reason, so it costs no pass over
    the frame. `reasons`: the frame's justifications when the caller holds them already (the window does)."""
    whole = sum(f.severity is Severity.WARNING for f in ws.engine.frame_findings(frame_id))
    warnings = ws.engine.counts(frame_id)[1] - whole  # a whole-frame warning is an agreed exception: no reason owed
    reasons = ws.justifications(frame_id) if reasons is None else reasons
    explained = sum(1 for row_id in {r for r, _code in reasons}
                    for f in ws.engine.row_findings((frame_id, row_id))
                    if f.severity is Severity.WARNING and (row_id, f.code) in reasons)
    return warnings - explained, explained


def questionnaire_status(ws: Workspace, frame: Frame) -> Status:
    if not qmod.is_started(ws, frame.id):
        return TODO
    questions = qmod.load(ws, frame.id)
    return Status.of(qmod.validate(questions, qmod.minimum_of(ws.campaign.rules), frame.item))


def _bundle_status(ws: Workspace, today: dt.date) -> Status:
    """未发送 until an archive is recorded, 已生成 until mailed and its password told, then 已发送并告知密码;
    需重新生成 once what it packed has changed since (a frame edited, added or removed).

    Read from the handover records packaging.bundle keeps (a JSON list, the latest last); parsed
    here because forms/ does not import packaging/."""
    latest = packed.latest_record(ws)
    if latest is None:
        return Status(State.TODO, text="未发送")
    changed = packed.archive_changes(ws)
    if changed:
        return Status(State.ERRORS, len(changed), text=f"{STALE}：{packed.short(changed)}")
    told, mailed = bool(latest.get("told_at")), bool(latest.get("mailed_at"))
    if told and mailed:
        return Status(State.DONE, text="已发送并告知密码")
    if told or mailed:  # half done: the other half still owed
        return Status(State.WARNINGS, text="已告知密码" if told else "已发送邮件")
    return Status(State.WARNINGS, text="已生成")


def _report_status(key: str) -> Callable[[Workspace, dt.date], Status]:
    def status(ws: Workspace, today: dt.date) -> Status:
        return Status(State.DONE) if ws.text(key, "").strip() else TODO
    return status


def _contacts_status(ws: Workspace, today: dt.date) -> Status:
    data = load_json(ws.text(CONTACTS_KEY, ""))
    if not any(str(v).strip() for k, v in data.items() if k != "head_same_as_secretary"):
        return TODO
    return Status.of(contacts_findings(data))


def _analysis_status(ws: Workspace, today: dt.date) -> Status:
    texts = analysis_texts(ws)
    if not any(t.strip() for t in texts.values()):
        return TODO
    return Status.of(analysis_findings(ws.campaign, texts))


def _publicity_status(ws: Workspace, today: dt.date) -> Status:
    records = publicity_records(ws)
    if not any(r.get("done") or r.get("date") or r.get("where") for r in records.values()):
        return TODO
    return Status.of(publicity_findings(ws.campaign, records, today))


_SINGLE_STEPS: dict[str, tuple[str, str, Callable[[Workspace, dt.date], Status]]] = {
    "bundle": ("bundle", "打包加密发送", _bundle_status),
    "contacts": ("contacts", "附件8情况表", _contacts_status),
    "report_rectification": ("report:rectification", "整改情况报告", _report_status("report:rectification")),
    "report_performance": ("report:performance", "年度绩效情况报告", _report_status("report:performance")),
    "publicity": ("publicity", "网站公示", _publicity_status),
    "leader_form": ("analysis", "领导评价表·绩效分析（附件{leader}）", _analysis_status),
}


# -- 附件8 -------------------------------------------------------------------------------------------
def load_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "是", "yes")


def _phone_finding(key: str, value: str) -> Finding | None:
    from forms.checks import normalize, phones  # phones loads the geocoder: only when a number is checked

    label = next(f.label for f in CONTACT_FIELDS if f.key == key)
    if key.endswith("mobile"):
        mobile = phones.without_zero(normalize.mobile(value).value)
        if phones.is_valid_mobile(mobile):
            return None
        return Finding("contact-phone", Severity.ERROR, f"{label}“{value}”不是有效的11位手机号码，请核对。", column=key)
    code, number = normalize.split_landline(normalize.landline(value).value)
    if number.isdigit() and 7 <= len(number) <= 8 and (not code or phones.is_area_code(code)):
        return None
    return Finding("contact-phone", Severity.ERROR, f"{label}“{value}”格式不对，请填写如 0771-2811111。", column=key)


def _name_finding(key: str, value: str) -> Finding | None:
    label = next(f.label for f in CONTACT_FIELDS if f.key == key)
    if any(c.isdigit() for c in value) or value.isascii():
        return Finding("contact-name", Severity.ERROR, f"{label}“{value}”不像中文姓名，请填写本人姓名。", column=key)
    return None


def contacts_findings(data: Mapping[str, Any]) -> list[Finding]:
    """What is missing or wrong in 附件8: required fields, phones, the two leaders."""
    same = truthy(data.get("head_same_as_secretary", False))
    values = {f.key: str(data.get(f.key, "") or "").strip() for f in CONTACT_FIELDS}
    found: list[Finding] = []
    for spec in CONTACT_FIELDS:
        value = values[spec.key]
        needed = spec.required or (spec.key in ("head_name", "head_title") and not same)
        if needed and not value:
            found.append(Finding("required", Severity.ERROR, f"请填写“{spec.label}”。", column=spec.key))
        elif value and spec.key in ("liaison_phone", "liaison_mobile"):
            found.extend(f for f in [_phone_finding(spec.key, value)] if f)
        elif value and spec.normaliser == "name":
            found.extend(f for f in [_name_finding(spec.key, value)] if f)
    if not values["liaison_phone"] and not values["liaison_mobile"]:
        found.append(Finding("no-phone", Severity.ERROR, "请至少填写联络员的办公电话或手机其中一个。",
                             column="liaison_phone"))
    if not same and values["head_name"] and values["head_name"] == values["secretary_name"]:
        found.append(Finding("contact-same", Severity.WARNING,
                             "行政首长与党组(委)书记姓名相同；如为同一人，请勾选“同一人”。", column="head_name"))
    return found


# -- 附件9/10/11: the performance analysis -----------------------------------------------------------
def analysis_texts(ws: Workspace) -> dict[str, str]:
    return {name: ws.text(ANALYSIS_PREFIX + name, "") for name in ws.campaign.rules["analysis_sections"]}


def analysis_findings(campaign: Campaign, texts: Mapping[str, str]) -> list[Finding]:
    """Empty sections and a 字数 above the limit (the page count needs a layout: the window checks it)."""
    names = campaign.rules["analysis_sections"]
    found = [Finding("analysis-empty", Severity.ERROR, f"“{n}”尚未填写，请填写本部门这部分的情况。", column=n)
             for n in names if not texts.get(n, "").strip()]
    count = sum(count_chars(texts.get(n, "")) for n in names)
    limit = int(campaign.rules["analysis_max_chars"])
    if count > limit:
        found.append(Finding("analysis-length", Severity.ERROR,
                             f"年度绩效分析共{count}字，超过{limit}字的上限，请删减{count - limit}字。"))
    return found


# -- website publicity -------------------------------------------------------------------------------
def publicity_records(ws: Workspace) -> dict[str, dict[str, Any]]:
    return {duty["key"]: load_json(ws.text(PUBLICITY_PREFIX + duty["key"], "")) for duty in ws.campaign.publicity}


def publicity_days(record: Mapping[str, Any], today: dt.date) -> int | None:
    """Days the duty has been on show by `today` (None when no valid date is recorded)."""
    try:
        since = dt.date.fromisoformat(str(record.get("date", "")))
    except ValueError:
        return None
    return (today - since).days


def _duty_findings(duty: Mapping[str, Any], record: Mapping[str, Any], today: dt.date) -> list[Finding]:
    what, key, minimum = duty["what"], duty["key"], int(duty["min_days"])
    if not record.get("done"):
        by = dt.date.fromisoformat(duty["by"])
        return [Finding("publicity-missing", Severity.ERROR, f"尚未完成：{what}（{date_label(by)}前）。", column=key)]
    found = []
    days = publicity_days(record, today)
    if days is None:
        found.append(Finding("publicity-detail", Severity.ERROR, f"请填写“{what}”的公示日期。", column=key))
    elif days < 0:
        found.append(Finding("publicity-detail", Severity.ERROR, f"“{what}”的公示日期晚于今天，请核对。", column=key))
    elif days < minimum:
        until = dt.date.fromisoformat(str(record["date"])) + dt.timedelta(days=minimum)
        found.append(Finding("publicity-days", Severity.WARNING,
                             f"已公示{days}天，须保持不少于{minimum}天（至{date_label(until)}）。", column=key))
    if not str(record.get("where", "")).strip():
        found.append(Finding("publicity-detail", Severity.ERROR, f"请填写“{what}”的公示位置（网址或板报）。", column=key))
    return found


def publicity_findings(campaign: Campaign, records: Mapping[str, Mapping[str, Any]],
                       today: dt.date) -> list[Finding]:
    return [f for duty in campaign.publicity for f in _duty_findings(duty, records.get(duty["key"], {}), today)]
