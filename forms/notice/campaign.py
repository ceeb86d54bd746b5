"""The year's notice as data: titles, kinds, minimums, deadlines, mailboxes, rule parameters.

A different year is a different `data/campaign-<id>.json`, not new code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

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
        stem = self.file_stems[form].format(item=item.removesuffix("工作") if item else "")
        return f"附件{form}_{department}_{stem}{suffix}"

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


@cache
def load(campaign_id: str = "2015") -> Campaign:
    """Load the campaign data file shipped in forms/notice/data."""
    text = resources.files("forms.notice").joinpath(f"data/campaign-{campaign_id}.json").read_text("utf-8")
    return _parse(json.loads(text))


def load_path(path: str) -> Campaign:
    """Load a campaign data file from anywhere (a later year's notice)."""
    with open(path, encoding="utf-8") as fh:
        return _parse(json.load(fh))
