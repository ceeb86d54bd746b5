"""Checking files as given: one department's frames together, cross-file duplicates included.

Used by `python main.py check`. Rows keep their sheet row numbers; the typed 0-prefix of mobiles
is checked (a workspace writes it itself, a file as given must carry it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from forms.base.bulk import paused_gc
from forms.base.findings import Finding, Severity, make
from forms.checks import oneshot
from forms.checks.normalize import normalize_batch
from forms.checks.rules import serial_findings
from forms.notice import campaign as campaign_mod
from forms.notice.attachments import FRAME_FORMS, Role
from forms.sheets.excel_in import SheetRead, read_file
from forms.sheets.sheet_notes import uncalculated_cells


@dataclass
class CheckOptions:
    form: str | None = None
    category: str | None = None
    local_units: bool = True
    campaign: str = "2015"


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    # (sheet index, sheet row) → the row's normalised values, for merging checked frames (forms.tasks.intake_merge)
    values: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)

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
    return _check_sheets([sheet for path in paths for sheet in read_file(path, form=options.form)], options)


def check_sheets(sheets: Sequence[SheetRead], options: CheckOptions | None = None) -> CheckResult:
    """Check sheets already read (one department's, together); `values` keeps each row's normalised values."""
    with paused_gc():
        return _check_sheets(sheets, options or CheckOptions())


def _check_sheets(sheets: Sequence[SheetRead], options: CheckOptions) -> CheckResult:
    campaign = campaign_mod.load(options.campaign)
    several = {s.file for s in sheets if sum(o.file == s.file for o in sheets) > 1}
    result = CheckResult()
    frames = []
    for frame_id, sheet in enumerate(sheets):
        result.findings.extend(replace(f, file=sheet.file, sheet=f.sheet or sheet.sheet, form=f.form or (sheet.form or ""))
                               for f in sheet.findings)
        form = _rule_form(sheet)
        if form is None:
            continue
        kind = campaign.kind(FRAME_FORMS[form].kind)
        certain = sheet.form is not None
        # column by column, each distinct cell normalised once (as an import into a workspace does)
        batch = normalize_batch(sheet.table, FRAME_FORMS[form].normalisers)
        values = [norm.values for norm in batch.rows]
        result.values.update(zip([(frame_id, number) for number in sheet.numbers], values, strict=True))
        frames.append(oneshot.Frame(frame_id, FRAME_FORMS[form], frame_id,
                                    kind.minimum(options.category) if certain else None, options.local_units and certain,
                                    sheet.numbers, values, [norm.notes for norm in batch.rows], batch.columns))
    # checked once, whole: the engine's findings without its per-row bookkeeping (forms.checks.oneshot)
    checked = oneshot.check_once(campaign, frames, lambda key: _place(sheets[key[0]], key[1], sheets[key[0]].file in several))
    for frame in frames:
        result.findings.extend(_sheet_findings(checked[frame.id], frame.form.number, sheets[frame.id]))
    return result


def _place(sheet: SheetRead, sheet_row: int, named: bool) -> str:
    """Where a row is, for another row's duplicate message: the sheet too when its file has several."""
    return f"{sheet.file}工作表“{sheet.sheet}”第{sheet_row}行" if named else f"{sheet.file}第{sheet_row}行"


def _counting(count: int) -> list[str]:
    """序号 1..N as an exported frame writes them: no serial finding, so no walk over the rows."""
    return list(map(str, range(1, count + 1)))


def _sheet_findings(checked: oneshot.Checked, form: str, sheet: SheetRead) -> list[Finding]:
    placed = [replace(f, file=sheet.file, sheet=sheet.sheet, form=form) for f in checked.whole]
    by_row: dict[int, list[Finding]] = {}
    serials = sheet.table.columns.get("serial")
    if "serial" in sheet.mapping.values() and serials is not None and serials != _counting(len(serials)):
        for index, finding in serial_findings([(text or "").strip() for text in serials]):
            by_row.setdefault(sheet.numbers[index], []).append(finding)
    formulas = uncalculated_cells(sheet.findings)  # such a cell is not missing: its own finding says why
    for sheet_row, found in checked.rows.items():
        by_row.setdefault(sheet_row, []).extend(
            f for f in found if not (f.code == "required" and (sheet_row, f.column or "") in formulas))
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
