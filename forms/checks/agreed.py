"""The office's agreed exceptions (协商调整, notice 二(三)): a frame short of counties or of its minimum, accepted.

The notice lets a department that cannot cover every city and county, or reach the minimum count,
settle it with the office. The clerk records such an agreement (which finding of which frame, with
whom at the office, on what day, a note). It covers exactly the finding as it stood: the counties
then missing (by code) or the number of people then listed. While the frame is no worse, the finding
is a warning that names the agreement; a county missing beyond those agreed, or fewer people, makes
it an error again. Data and small functions only (the checks room: forms.checks.agreed).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from forms.base.errors import UserError
from forms.base.findings import Finding, Severity

if TYPE_CHECKING:
    from forms.checks.engine import Engine

AGREED_KEY = "agreed"  # the workspace text that holds them, a JSON list
AGREEABLE = ("coverage", "below-minimum")


@dataclass(frozen=True)
class Agreed:
    """One agreement with the office about one frame's whole-frame finding."""

    frame_id: int
    code: str
    frame_label: str
    with_whom: str
    on: dt.date
    note: str = ""
    count: int | None = None  # below-minimum: the number of people the office accepted
    missing: tuple[str, ...] = ()  # coverage: the codes of the cities/counties the office accepted as missing
    missing_names: tuple[str, ...] = ()  # the same, as the clerk read them

    def covers(self, code: str, count: int | None = None, missing: Iterable[str] = ()) -> bool:
        """Whether the frame as it is now is within what was agreed."""
        if code != self.code:
            return False
        if code == "below-minimum":
            return count is not None and self.count is not None and count >= self.count
        return set(missing) <= set(self.missing)

    def what(self) -> str:
        """The finding as agreed, in a few words."""
        if self.code == "below-minimum":
            return f"抽样框人数为{self.count}人（少于要求的人数）"
        return f"未覆盖{'、'.join(self.missing_names)}"

    def describe(self) -> str:
        """`已与考评办协商调整（张科长，2015年11月10日同意；说明）`."""
        note = f"；{self.note}" if self.note else ""
        return f"已与考评办协商调整（{self.with_whom}，{self.on.year}年{self.on.month}月{self.on.day}日同意{note}）"

    def line(self) -> str:
        """The agreement on one line, for the handover record and the password slip."""
        return f"{self.frame_label}：{self.what()}，{self.describe()}"

    def to_dict(self) -> dict[str, Any]:
        return {"frame_id": self.frame_id, "code": self.code, "frame_label": self.frame_label,
                "with_whom": self.with_whom, "on": self.on.isoformat(), "note": self.note, "count": self.count,
                "missing": list(self.missing), "missing_names": list(self.missing_names)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Agreed:
        count = data.get("count")
        return cls(int(data["frame_id"]), str(data["code"]), str(data.get("frame_label", "")),
                   str(data["with_whom"]), dt.date.fromisoformat(str(data["on"])), str(data.get("note", "")),
                   int(count) if count is not None else None, tuple(map(str, data.get("missing", ()))),
                   tuple(map(str, data.get("missing_names", ()))))


def problems(code: str, with_whom: str, on: dt.date | None, today: dt.date) -> list[str]:
    """What is missing or wrong before an agreement can be recorded (简体中文)."""
    found = []
    if code not in AGREEABLE:
        found.append("只有“未覆盖市县”和“人数不足”可以记录为与考评办协商调整。")
    if not with_whom.strip():
        found.append("请填写与考评办哪位同志协商（如“考评办二处 张科长”）。")
    if on is None:
        found.append("请填写协商的日期。")
    elif on > today:
        found.append("协商日期晚于今天，请核对。")
    return found


class AgreedError(UserError):
    """An agreement that cannot be recorded; `message` lists what to fill in."""


def capture(engine: Engine, frame_id: int, label: str, code: str, with_whom: str, on: dt.date | None,
            note: str, today: dt.date) -> Agreed:
    """The agreement about the frame's `code` finding as it stands now; AgreedError when it cannot be one."""
    found = problems(code, with_whom, on, today)
    current = [f for f in engine.frame_findings(frame_id) if f.code == code]
    if not found and not current:
        found.append("该抽样框现在没有这个问题，不需要记录协商调整。")
    if found or on is None:
        raise AgreedError("".join(found))
    if code == "below-minimum":
        return Agreed(frame_id, code, label, with_whom.strip(), on, note.strip(), count=engine.row_count(frame_id))
    units = engine.missing_units(frame_id)
    return Agreed(frame_id, code, label, with_whom.strip(), on, note.strip(),
                  missing=tuple(c for c, _n in units), missing_names=tuple(n for _c, n in units))


def in_effect(engine: Engine, items: Iterable[Agreed]) -> list[Agreed]:
    """The agreements that now turn an error into a warning (a frame since completed needs none)."""
    return [a for a in items if a.frame_id in engine.frames
            and any(f.code == a.code and f.severity is Severity.WARNING for f in engine.frame_findings(a.frame_id))]


def load(text: str) -> list[Agreed]:
    """The agreements a workspace keeps; entries that cannot be read are left out (they unblock nothing)."""
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return []
    found = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            found.append(Agreed.from_dict(item))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


def dump(items: Sequence[Agreed]) -> str:
    return json.dumps([a.to_dict() for a in items], ensure_ascii=False)


def by_frame(items: Iterable[Agreed]) -> dict[int, tuple[Agreed, ...]]:
    found: dict[int, list[Agreed]] = {}
    for item in items:
        found.setdefault(item.frame_id, []).append(item)
    return {k: tuple(v) for k, v in found.items()}


def settle(finding: Finding, agreed: Sequence[Agreed], count: int | None = None,
           missing: Iterable[str] = ()) -> Finding:
    """The finding as the agreements leave it: a warning naming the agreement when one covers it."""
    missing = tuple(missing)
    cover = next((a for a in agreed if a.covers(finding.code, count, missing)), None)
    if cover is None:
        return finding
    return replace(finding, severity=Severity.WARNING, message=f"{cover.describe()}：{finding.message}")


def replaced(items: Sequence[Agreed], new: Agreed) -> list[Agreed]:
    """The agreements with `new` in place of an earlier one about the same finding of the same frame."""
    return [*(a for a in items if (a.frame_id, a.code) != (new.frame_id, new.code)), new]


def without(items: Sequence[Agreed], frame_id: int, code: str | None = None) -> list[Agreed]:
    return [a for a in items if not (a.frame_id == frame_id and (code is None or a.code == code))]
