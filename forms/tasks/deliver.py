"""From the workspace to the files the office receives: each frame as its template .xlsx.

The exporter writes what the rules decided: the mobile's leading 0 from the Nanning decision
(or the clerk's override), 序号 renumbered, accepted warnings' reasons beside their rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from forms.checks import phones
from forms.sheets import excel_out
from forms.store.workspace import Frame, Workspace
from forms.tasks import outputs

INCOMPLETE = "_未完成"


@dataclass(frozen=True)
class Exported:
    frame: Frame
    path: Path
    rows: int
    errors: int


def export_values(values: dict[str, str], override: bool | None = None) -> dict[str, str]:
    """A row's values as exported: the mobile carries the 0-prefix its Nanning decision asks for."""
    values = dict(values)
    mobile = phones.without_zero(values.get("mobile", ""))
    if phones.is_valid_mobile(mobile):
        values["mobile"] = phones.export_prefix(mobile[:7], override) + mobile
    return values


def unfinished_name(path: Path, unfinished: bool) -> Path:
    """`附件3_….xlsx` → `附件3_…_未完成.xlsx` while the deliverable still has errors."""
    return path.with_name(path.stem + INCOMPLETE + path.suffix) if unfinished else path


def frame_file_name(ws: Workspace, frame: Frame, incomplete: bool = False) -> str:
    name = ws.campaign.file_name(frame.form, ws.profile.department, frame.item)
    return unfinished_name(Path(name), incomplete).name


def export_frame(ws: Workspace, frame: Frame, out_dir: Path, date: dt.date | None = None,
                 progress: Callable[[int], bool] | None = None) -> Exported:
    engine = ws.engine  # holds every row's normalised values: no need to read and parse them again
    keys = [(frame.id, row_id) for row_id in ws.row_ids(frame.id)]
    keys = [key for key in keys if any(engine.values(key).values())]
    reasons: dict[int, list[str]] = {}
    for (row_id, _code), text in ws.justifications(frame.id).items():
        reasons.setdefault(row_id, []).append(text)
    notes = {index: "；".join(reasons[key[1]]) for index, key in enumerate(keys) if key[1] in reasons}
    errors, _warnings = ws.engine.counts(frame.id)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / frame_file_name(ws, frame, incomplete=errors > 0)
    excel_out.export_frame(path, ws.campaign, frame.form, ws.profile.department,
                           (export_values(engine.values(k), engine.overrides.get(k)) for k in keys),
                           item=frame.item, date=date, notes=notes,
                           progress=progress)
    return Exported(frame, path, len(keys), errors)


def export_frames(ws: Workspace, out_dir: str | Path, date: dt.date | None = None) -> list[Exported]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [export_frame(ws, frame, out, date) for frame in ws.frames()]


def export_frame_owned(ws: Workspace, frame: Frame, out_dir: Path,
                       progress: Callable[[int], bool] | None = None) -> tuple[Exported, outputs.Settled]:
    """`export_frame` (导出本表), replacing the frame's file an earlier export wrote into the folder
    (its `_未完成` twin, or its name before the work item was renamed)."""
    done = export_frame(ws, frame, out_dir, progress=progress)
    scope = outputs.same_deliverable([done.path.name], [frame.label, f"frame:{frame.id}"])
    return done, outputs.settle(ws, out_dir, [done.path], what=lambda _p: f"frame:{frame.id}", scope=scope)
