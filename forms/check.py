"""Checking files as given: one department's frames together, cross-file duplicates included.

Used by `python main.py check`. Rows keep their sheet row numbers; the typed 0-prefix of mobiles
is checked (a workspace writes it itself, a file as given must carry it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from forms import campaign as campaign_mod
from forms.attachments import FRAME_FORMS, Role
from forms.bulk import paused_gc
from forms.engine import Engine
from forms.excel_in import SheetRead, read_file
from forms.findings import Finding, Severity
from forms.normalize import normalize_row
from forms.rules import serial_findings
from forms.sheet_notes import uncalculated_cells


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
    several = {s.file for s in sheets if sum(o.file == s.file for o in sheets) > 1}
    engine = Engine(campaign, check_prefix=True, describe=lambda key: places[key])
    result = CheckResult()
    loaded = []
    for frame_id, sheet in enumerate(sheets):
        result.findings.extend(replace(f, file=sheet.file, sheet=f.sheet or sheet.sheet, form=f.form or (sheet.form or ""))
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
            places[(frame_id, sheet_row)] = _place(sheet, sheet_row, sheet.file in several)
            norm = normalize_row(raw, normalisers)
            loaded.append(((frame_id, sheet_row), norm.values, norm.notes, float(sheet_row)))
    engine.load(loaded)
    for frame_id, sheet in enumerate(sheets):
        if frame_id in engine.frames:
            result.findings.extend(_sheet_findings(engine, frame_id, sheet))
    return result


def _place(sheet: SheetRead, sheet_row: int, named: bool) -> str:
    """Where a row is, for another row's duplicate message: the sheet too when its file has several."""
    return f"{sheet.file}工作表“{sheet.sheet}”第{sheet_row}行" if named else f"{sheet.file}第{sheet_row}行"


def _sheet_findings(engine: Engine, frame_id: int, sheet: SheetRead) -> list[Finding]:
    form = engine.frames[frame_id].form.number
    placed = [replace(f, file=sheet.file, sheet=sheet.sheet, form=form) for f in engine.frame_findings(frame_id)]
    by_row: dict[int, list[Finding]] = {}
    if "serial" in sheet.mapping.values():
        for index, finding in serial_findings([raw.get("serial", "").strip() for _r, raw in sheet.rows]):
            by_row.setdefault(sheet.rows[index][0], []).append(finding)
    formulas = uncalculated_cells(sheet.findings)  # such a cell is not missing: its own finding says why
    for sheet_row, _raw in sheet.rows:
        by_row.setdefault(sheet_row, []).extend(
            f for f in engine.row_findings((frame_id, sheet_row))
            if not (f.code == "required" and (sheet_row, f.column or "") in formulas))
    for sheet_row in sorted(by_row):
        placed.extend(replace(f, file=sheet.file, sheet=sheet.sheet, form=form, row=sheet_row)
                      for f in by_row[sheet_row])
    return placed
