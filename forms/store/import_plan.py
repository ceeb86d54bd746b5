"""Importing a sheet into a frame that already has people: append, replace, or merge by person.

Importing the same file twice used to double the frame. An import into a frame with rows now takes a
mode; this module works out what each mode would change (rows added, updated, unchanged, removed) before
anything is written, for the window's preview and the CLI alike. No Qt here.

The same person is recognised as the duplicate rule recognises them: the same mobile (with or without
its leading 0), or the same name and unit (white space ignored).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from forms.checks import phones

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

Change = tuple[int, str, str]  # row id, column key, raw text


class ImportMode(StrEnum):
    APPEND = "append"
    REPLACE = "replace"
    MERGE = "merge"


MODE_LABELS = {ImportMode.APPEND: "追加", ImportMode.REPLACE: "替换", ImportMode.MERGE: "按人合并"}
MODE_HINTS = {
    ImportMode.APPEND: "表中已有的人员保留，文件中的人员全部加在后面（同一人会出现两次）",
    ImportMode.REPLACE: "删除表中现有的全部人员，换成文件中的人员",
    ImportMode.MERGE: "同一人（手机号码相同，或姓名和单位相同）用文件中的内容更新，新的人员加在后面",
}


@dataclass(frozen=True)
class Existing:
    """A stored row as the plan needs it: its id and its normalised values (the engine holds them in memory)."""

    row_id: int
    values: Mapping[str, str]


@dataclass
class ImportPlan:
    """What an import would do: rows to add, cells to change, rows to delete, and the counts to show."""

    mode: ImportMode
    add: list[dict[str, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    already: int = 0  # people of the file already in the frame (in append mode: the rows that would double)

    def summary(self) -> str:
        """The preview line: 新增 / 更新 / 不变 / 删除, and a warning when appending doubles people."""
        parts = [f"新增{len(self.add)}人"]
        if self.mode is ImportMode.MERGE:
            parts += [f"更新{self.updated}人", f"不变{self.unchanged}人"]
        if self.remove:
            parts.append(f"删除现有{len(self.remove)}人")
        text = "，".join(parts)
        if self.mode is ImportMode.APPEND and self.already:
            text += f"；其中{self.already}人已在表中，追加后会重复"
        return text


def person_keys(values: Mapping[str, str]) -> tuple[str, str]:
    """(mobile key, name+unit key) of a row's normalised values; "" where the row has none."""
    mobile = phones.duplicate_keys([values.get("mobile", "")])[0]
    name, unit = values.get("name", ""), "".join(values.get("unit", "").split())
    return mobile, f"{name}|{unit}" if name and unit else ""


class _Index:
    """Stored rows by mobile key and by name+unit key."""

    def __init__(self, existing: Sequence[Existing]) -> None:
        self.by_mobile: dict[str, Existing] = {}
        self.by_name_unit: dict[str, Existing] = {}
        for row in existing:
            mobile, name_unit = person_keys(row.values)
            if mobile:
                self.by_mobile.setdefault(mobile, row)
            if name_unit:
                self.by_name_unit.setdefault(name_unit, row)

    def find(self, values: Mapping[str, str]) -> Existing | None:
        mobile, name_unit = person_keys(values)
        return (self.by_mobile.get(mobile) if mobile else None) or \
            (self.by_name_unit.get(name_unit) if name_unit else None)


def cell_changes(row: Existing, raw: Mapping[str, str], values: Mapping[str, str]) -> list[Change]:
    """The cells a merge changes in `row`: those the file fills with another value once normalised (１３８… and
    138… are one number); an empty cell of the file never empties a stored one. The file's text is written."""
    return [(row.row_id, key, text) for key, text in raw.items()
            if key != "serial" and text.strip() and values.get(key, text) != row.values.get(key, "")]


def plan_import(existing: Sequence[Existing], raws: Sequence[dict[str, str]],
                values: Sequence[Mapping[str, str]], mode: ImportMode) -> ImportPlan:
    """What importing `raws` (normalised as `values`) into a frame holding `existing` does in `mode`."""
    index = _Index(existing)
    matches = [index.find(v) for v in values]
    plan = ImportPlan(mode, already=sum(m is not None for m in matches))
    if mode is not ImportMode.MERGE:
        plan.add = list(raws)
        plan.remove = [row.row_id for row in existing] if mode is ImportMode.REPLACE else []
        return plan
    touched: dict[int, list[Change]] = {}
    for raw, value, match in zip(raws, values, matches, strict=True):
        if match is None:
            plan.add.append(raw)
        else:
            touched.setdefault(match.row_id, []).extend(cell_changes(match, raw, value))
    plan.updated = sum(bool(changes) for changes in touched.values())
    plan.unchanged = len(touched) - plan.updated
    plan.changes = [change for changes in touched.values() for change in changes]
    return plan


def existing_rows(ws: Workspace, frame_id: int, row_ids: Sequence[int] | None = None) -> list[Existing]:
    """The frame's rows as the engine holds them (no SQL per row: a snapshot the GUI thread can take)."""
    ids = ws.row_ids(frame_id) if row_ids is None else row_ids
    return [Existing(row_id, ws.engine.values((frame_id, row_id))) for row_id in ids]


def plan_for(ws: Workspace, frame_id: int, raws: Sequence[dict[str, str]], mode: ImportMode,
             existing: Sequence[Existing] | None = None) -> ImportPlan:
    """The plan against the frame as it is now (normalising every row of the file: a worker's job when large)."""
    rows = existing_rows(ws, frame_id) if existing is None else existing
    return plan_import(rows, raws, [ws.normalise(frame_id, raw).values for raw in raws], mode)


def apply(ws: Workspace, frame_id: int, plan: ImportPlan) -> list[int]:
    """Carry the plan out on the workspace (the CLI's way; the window does it as one undo step)."""
    if plan.remove:
        ws.delete_rows(frame_id, plan.remove)
    if plan.changes:
        ws.set_cells(frame_id, plan.changes)
    return ws.import_rows(frame_id, plan.add)
