"""Checking files as given: one department's frames together, cross-file duplicates included.

Used by `python main.py check`. Rows keep their sheet row numbers; the typed 0-prefix of mobiles
is checked (a workspace writes it itself, a file as given must carry it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from forms.base.bulk import paused_gc
from forms.base.findings import Finding, Severity, make
from forms.checks.engine import Engine
from forms.checks.normalize import normalize_row
from forms.checks.rules import serial_findings
from forms.notice import campaign as campaign_mod
from forms.notice.attachments import FRAME_FORMS, Role
from forms.sheets.excel_in import SheetRead, read_file


@dataclass
class CheckOptions:
    form: str | None = None
    category: str | None = None
    local_units: bool = True
    campaign: str = "2015"


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def _rule_form(sheet: SheetRead) -> str | None:
    """The form whose rules check a sheet: the recognised one, or for an ambiguous sheet a
    candidate without the rules the candidates do not share (a hot frame has no address rule)."""
    if sheet.form:
        return sheet.form
    if not sheet.candidates:
        return None
    hot = [c for c in sheet.candidates if FRAME_FORMS[c].role is Role.HOT]
    return hot[0] if hot else sheet.candidates[0]


def check_files(paths: Sequence[str], options: CheckOptions | None = None) -> CheckResult:
    """Check the files; raises excel_in.ReadError for a file that cannot be read."""
    with paused_gc():
        return _check_files(paths, options)


def _check_files(paths: Sequence[str], options: CheckOptions | None) -> CheckResult:
    options = options or CheckOptions()
    campaign = campaign_mod.load(options.campaign)
    sheets = [sheet for path in paths for sheet in read_file(path, form=options.form)]
    places: dict[tuple[int, int], str] = {}
    engine = Engine(campaign, check_prefix=True, describe=lambda key: places[key])
    result = CheckResult()
    loaded = []
    for frame_id, sheet in enumerate(sheets):
        result.findings.extend(replace(f, file=sheet.file, sheet=sheet.sheet, form=f.form or (sheet.form or ""))
                               for f in sheet.findings)
        form = _rule_form(sheet)
        if form is None:
            continue
        kind = campaign.kind(FRAME_FORMS[form].kind)
        certain = sheet.form is not None
        engine.add_frame(frame_id, form, label=f"{sheet.file}", order=frame_id,
                         minimum=kind.minimum(options.category) if certain else None,
                         coverage=options.local_units and certain)
        normalisers = FRAME_FORMS[form].normalisers
        for sheet_row, raw in sheet.rows:
            places[(frame_id, sheet_row)] = f"{sheet.file}第{sheet_row}行"
            norm = normalize_row(raw, normalisers)
            loaded.append(((frame_id, sheet_row), norm.values, norm.notes, float(sheet_row)))
    engine.load(loaded)
    for frame_id, sheet in enumerate(sheets):
        if frame_id in engine.frames:
            result.findings.extend(_sheet_findings(engine, frame_id, sheet))
    return result


def _sheet_findings(engine: Engine, frame_id: int, sheet: SheetRead) -> list[Finding]:
    form = engine.frames[frame_id].form.number
    placed = [replace(f, file=sheet.file, sheet=sheet.sheet, form=form) for f in engine.frame_findings(frame_id)]
    by_row: dict[int, list[Finding]] = {}
    if "serial" in sheet.mapping.values():
        for index, finding in serial_findings([raw.get("serial", "").strip() for _r, raw in sheet.rows]):
            by_row.setdefault(sheet.rows[index][0], []).append(finding)
    for sheet_row, _raw in sheet.rows:
        by_row.setdefault(sheet_row, []).extend(engine.row_findings((frame_id, sheet_row)))
    for sheet_row in sorted(by_row):
        placed.extend(replace(f, file=sheet.file, sheet=sheet.sheet, form=form, row=sheet_row)
                      for f in by_row[sheet_row])
    return placed


WORKSPACE_SUFFIX = ".baosong"


def check_workspace(path: str) -> CheckResult:
    """A workspace's findings as `check` reports files': each frame's, rows numbered as the grid shows them
    (序号), plus whether its archive still holds what the frames hold now (`bundle-stale`)."""
    from forms.store.workspace import Workspace
    from forms.tasks import packed

    result = CheckResult()
    with Workspace.open(path) as ws:
        for frame in ws.frames():
            numbers = {row_id: n for n, row_id in enumerate(ws.row_ids(frame.id), start=1)}
            result.findings.extend(replace(f, file=path, sheet=frame.label, form=frame.form,
                                           row=numbers.get(row_id) if row_id is not None else None)
                                   for row_id, f in ws.findings(frame.id))
        changed = packed.archive_changes(ws)
        if changed:
            result.findings.append(replace(make("bundle-stale", changes="；".join(changed)), file=path))
    return result
