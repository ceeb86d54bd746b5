"""The year's notice as data: titles, kinds, minimums, deadlines, mailboxes, rule parameters.

A different year is a different `data/campaign-<id>.json`, not new code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from forms.base.errors import UserError
from forms.base.file_errors import os_reason
from forms.base.filenames import safe_file_name, safe_part
from forms.notice import campaign_check

KINDS = ("gov", "party", "pub")


@dataclass(frozen=True)
class Kind:
    """A department kind (参评单位类别) and the forms it owes."""

    key: str
    name: str
    system_form: str
    hot_form: str
    leader_form: str
    categories: dict[str, int]
    default_minimum: int

    def minimum(self, category: str | None) -> int:
        if category and category in self.categories:
            return self.categories[category]
        return self.default_minimum


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    what: str
    how: str
    deliverables: tuple[str, ...]
    mailbox: str | None


@dataclass(frozen=True)
class Campaign:
    """One year's campaign, loaded from its data file."""

    id: str
    year: int
    notice_number: str
    attachment_titles: dict[str, str]
    file_stems: dict[str, str]
    kinds: dict[str, Kind]
    deadlines: tuple[Deadline, ...]
    mailboxes: dict[str, dict[str, Any]]
    publicity: tuple[dict[str, Any], ...]
    rules: dict[str, Any]
    leader_scale: tuple[dict[str, Any], ...]
    leader_form_note: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    def title(self, form: str, department: str = "", item: str = "") -> str:
        item = item.removesuffix("工作") if item else "XX"
        template = self.attachment_titles[form]
        if "自治区{department}" in template:  # the template says 自治区 itself: 自治区交通运输厅 → 交通运输厅
            department = department.removeprefix("广西壮族自治区").removeprefix("自治区")
        return template.format(year=self.year, department=department or "XX部门", item=item)

    def file_name(self, form: str, department: str, item: str = "", suffix: str = ".xlsx") -> str:
        """``附件3_<department>_<item>评价抽样框.xlsx``, safe as a file name whatever the two names hold."""
        stem = self.file_stems[form].format(item=safe_part(item.removesuffix("工作")) if item else "")
        return safe_file_name(f"附件{form}_{safe_part(department)}_{stem}{suffix}")

    def kind(self, key: str) -> Kind:
        return self.kinds[key]

    def kind_of_form(self, form: str) -> str | None:
        for kind in self.kinds.values():
            if form in (kind.system_form, kind.hot_form, kind.leader_form):
                return kind.key
        return None

    def next_deadline(self, today: dt.date) -> Deadline | None:
        return next((d for d in self.deadlines if d.date >= today), None)


def _parse(data: dict[str, Any]) -> Campaign:
    kinds = {
        key: Kind(key=key, name=k["name"], system_form=k["system_form"], hot_form=k["hot_form"],
                  leader_form=k["leader_form"], categories=dict(k["categories"]),
                  default_minimum=int(k["default_minimum"]))
        for key, k in data["kinds"].items()
    }
    deadlines = tuple(
        Deadline(dt.date.fromisoformat(d["date"]), d["what"], d["how"], tuple(d["deliverables"]), d["mailbox"])
        for d in data["deadlines"]
    )
    return Campaign(
        id=data["id"], year=int(data["year"]), notice_number=data["notice_number"],
        attachment_titles=dict(data["attachment_titles"]), file_stems=dict(data["file_stems"]),
        kinds=kinds, deadlines=deadlines, mailboxes=dict(data["mailboxes"]),
        publicity=tuple(data["publicity"]), rules=dict(data["rules"]),
        leader_scale=tuple(data["leader_scale"]), leader_form_note=data["leader_form_note"], raw=data,
    )


class CampaignError(UserError):
    """A campaign file that cannot be used; `message` lists every problem in Chinese."""


def from_data(data: Any, source: str = "年度通知文件") -> Campaign:
    """A campaign from its data, checked first (CampaignError listing every problem)."""
    found = campaign_check.problems(data)
    if found:
        raise CampaignError(f"{source}有以下问题，请修改后再试：\n" + "\n".join(f"· {p}" for p in found))
    return _parse(data)


@cache
def load(campaign_id: str = "2015") -> Campaign:
    """Load the campaign data file shipped in forms/notice/data (an id read from a workspace is checked
    against what ships: it never becomes a path of its own)."""
    if campaign_id not in shipped():
        raise CampaignError(f"本程序没有“{campaign_id[:40]}”年度的通知数据：请用“年度通知 → 从文件载入…”选择该年度的通知文件。")
    text = resources.files("forms.notice").joinpath(f"data/campaign-{campaign_id}.json").read_text("utf-8")
    return _parse(json.loads(text))


def shipped() -> list[str]:
    """The ids of the campaigns that ship with the program, newest first."""
    names = [p.name for p in resources.files("forms.notice").joinpath("data").iterdir()]
    found = [n.removeprefix("campaign-").removesuffix(".json") for n in names
             if n.startswith("campaign-") and n.endswith(".json")]
    return sorted(found, reverse=True)


def load_path(path: str | os.PathLike[str]) -> Campaign:
    """Load and check a campaign data file from anywhere (a later year's notice); CampaignError in Chinese."""
    where = Path(path)
    try:
        text = where.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise CampaignError(f"找不到年度通知文件“{where}”，请确认路径。") from exc
    except UnicodeDecodeError as exc:
        raise CampaignError(f"“{where.name}”不是 UTF-8 编码的文本文件：请用记事本“另存为”UTF-8 编码后再试。") from exc
    except OSError as exc:
        raise CampaignError(f"无法读取“{where}”：{os_reason(exc)}。") from exc
    try:
        data = _parse_json(text)
    except _TooBig as exc:
        raise CampaignError(f"“{where.name}”{exc}，这不是年度通知文件的内容，请对照随程序提供的 campaign-2015.json 修改。") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", "?")
        raise CampaignError(f"“{where.name}”不是有效的 JSON 文件（第{line}行附近格式有误，如缺少逗号或引号）。"
                            "请对照随程序提供的 campaign-2015.json 修改。") from exc
    return from_data(data, f"年度通知文件“{where.name}”")


class _TooBig(ValueError):
    """JSON the parser must not take on: nesting deeper than its stack, a number longer than any in a notice."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise _TooBig(f"中有一个{len(text)}位的数字")
    return int(text)


def _parse_json(text: str) -> Any:
    """json.loads with the two ways a hostile file breaks it turned into _TooBig (RecursionError is no
    ValueError; a 5000-digit integer fails deep in int())."""
    try:
        return json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise _TooBig("的内容嵌套过深") from None


def kept_or_shipped(kept: str, campaign_id: str) -> Campaign:
    """The campaign a workspace keeps a copy of, or the shipped one it names when it keeps none."""
    if not kept:
        return load(campaign_id)
    try:
        data = _parse_json(kept)
    except ValueError as exc:
        raise CampaignError("工作区中保存的年度通知数据已损坏，无法打开：请从备份恢复工作区。") from exc
    return from_data(data, "工作区中保存的年度通知数据")


def to_text(campaign: Campaign) -> str:
    """The campaign's data as kept inside a workspace (so the workspace opens anywhere)."""
    return json.dumps(campaign.raw, ensure_ascii=False)
