"""Every file the department owes, written from the workspace: frames, 附件8, the leader form with the
analysis, a questionnaire per work item, the two reports. A deliverable with errors is still written,
with `_未完成` in its name, so the clerk sees how far it is; the caller lists those.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from forms.base.findings import Finding, Severity
from forms.documents import contacts as contacts_doc
from forms.documents import docx_writer, importer, leader_form, markdown, pdf_writer, reports
from forms.documents import questionnaire as questionnaire_doc
from forms.documents.model import Doc
from forms.notice import questionnaire as questions_mod
from forms.sheets import contacts_xlsx
from forms.store.workspace import Workspace
from forms.tasks import deliver, filedate, outputs

REPORT_KINDS = {"rectification": "整改情况报告", "performance": "年度绩效情况报告"}


@dataclass
class Written:
    """A deliverable written to disk, with the errors that keep it unfinished."""

    what: str
    path: Path
    errors: list[str] = field(default_factory=list)


def analysis_sections(ws: Workspace) -> dict[str, str]:
    return {name: ws.text(f"analysis:{name}") for name in ws.campaign.rules["analysis_sections"]}


def set_analysis_sections(ws: Workspace, sections: dict[str, str]) -> None:
    for name, text in sections.items():
        ws.set_text(f"analysis:{name}", text)


def leader_form_of(ws: Workspace) -> leader_form.LeaderForm:
    return leader_form.for_form(ws.campaign, ws.kind.leader_form, ws.profile.department, analysis_sections(ws))


def contacts_of(ws: Workspace) -> dict[str, str]:
    try:
        data = json.loads(ws.text("contacts", "{}") or "{}")
    except ValueError:
        data = {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def contacts_sheet(ws: Workspace) -> contacts_doc.ContactsSheet:
    c = contacts_of(ws)
    leaders = [contacts_doc.Person(c.get("secretary_name", ""), c.get("secretary_title", ""))]
    if c.get("head_same_as_secretary") not in ("1", "True", "true") and c.get("head_name", "").strip():
        leaders.append(contacts_doc.Person(c.get("head_name", ""), c.get("head_title", "")))
    phone = "；".join(p for p in (c.get("liaison_phone", ""), c.get("liaison_mobile", "")) if p.strip())
    return contacts_doc.ContactsSheet(ws.campaign, ws.profile.department,
                                      contacts_doc.Person(c.get("liaison_name", ""), c.get("liaison_title", "")),
                                      phone, leaders)


def report_title_key(kind: str) -> str:
    return f"report:{kind}:title"


def report_from_markdown(ws: Workspace, kind: str, date: dt.date | None = None) -> reports.Report:
    """A report from its editor's Markdown (`#` headings, `##` 小标题, `**` bold), its title and its
    成文日期: the report's own date, else a date closing the text, else `date` or the workspace's."""
    body, closing_date = reports.closing(markdown.pieces(ws.text(f"report:{kind}")), ws.profile.department)
    own = filedate.stored(ws, filedate.report_date_key(kind)) or closing_date
    date = own or date or filedate.file_date(ws)
    return reports.Report(ws.campaign, kind, ws.profile.department, body,
                          title_text=ws.text(report_title_key(kind)), date=date)


def report_to_markdown(imported: importer.ReportImport) -> str:
    """Markdown for the report editor from an imported document: paragraphs apart, headings as `#`."""
    parts = [line for line in imported.preamble.splitlines() if line.strip()]
    for section in imported.sections:
        parts.append(f"# {_escaped(section.heading)}")
        parts.extend(line for line in section.text.splitlines() if line.strip())
    return "\n\n".join(part if part.startswith("# ") else _escaped(part) for part in parts) + "\n"


def _escaped(text: str) -> str:
    """Text kept literal in Markdown: marks that would start emphasis, a heading or a list are escaped."""
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text.strip())
    text = re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text)
    return re.sub(r"^([#+-])(\s|$)", r"\\\1\2", text)


def store_imported_report(ws: Workspace, kind: str, imported: importer.ReportImport) -> None:
    """Put an imported report into the workspace: its text, its title (as typed) and its date."""
    ws.set_text(f"report:{kind}", report_to_markdown(imported))
    ws.set_text(report_title_key(kind), imported.title.strip())
    if imported.date is not None:
        ws.set_text(filedate.report_date_key(kind), imported.date.isoformat())


def _errors(found: list[Finding]) -> list[str]:
    return [f.message for f in found if f.severity is Severity.ERROR]


def _write(out: Path, name: str, errors: list[str], what: str, write: Callable[[Path], object]) -> Written:
    path = deliver.unfinished_name(out / name, bool(errors))
    write(path)
    return Written(what, path, errors)


def _document(out: Path, name: str, errors: list[str], what: str, doc: Doc) -> list[Written]:
    """A document as .docx (to edit in Word/WPS) and as .pdf (to print without Word, and the office's
    electronic copy), both rendered from the same `Doc`."""
    pdf_name = str(Path(name).with_suffix(".pdf"))
    return [_write(out, name, errors, what, lambda p: docx_writer.save(doc, p)),
            _write(out, pdf_name, errors, what, lambda p: pdf_writer.save(doc, p))]


def write_all(ws: Workspace, out_dir: str | Path, date: dt.date | None = None) -> list[Written]:
    """Write every deliverable this department owes into `out_dir`, dated `date` (else the
    workspace's date: filedate.file_date)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dept, campaign = ws.profile.department, ws.campaign
    written = [Written(e.frame.label, e.path, [f"{e.errors}处错误"] if e.errors else [])
               for e in deliver.export_frames(ws, out, date or filedate.file_date(ws))]
    sheet = contacts_sheet(ws)
    contacts_errors = _errors(sheet.findings())
    written.append(_write(out, campaign.file_name("8", dept), contacts_errors, "附件8",
                          lambda p: contacts_xlsx.export_contacts_xlsx(p, campaign, dept, contacts_of(ws))))
    written += _document(out, campaign.file_name("8", dept, suffix=".docx"), contacts_errors, "附件8",
                         sheet.document())
    form = leader_form_of(ws)
    written += _document(out, campaign.file_name(form.form, dept, suffix=".docx"), _errors(form.findings()),
                         f"附件{form.form}", form.document())
    for frame in ws.hot_frames():
        paper = questionnaire_doc.Questionnaire(campaign, dept, frame.item, questions_mod.load(ws, frame.id),
                                                questions_mod.load_intro(ws, frame.id))
        written += _document(out, paper.file_name(), _errors(paper.findings()), f"评议问卷（{frame.item}）",
                             paper.document())
    for kind, label in REPORT_KINDS.items():
        report = report_from_markdown(ws, kind, date)
        errors = [f"{label}还没有内容"] if report.is_empty() else []
        written += _document(out, f"{dept}_{label}.docx", errors, label, report.document())
    return written


def export_all(ws: Workspace, out_dir: str | Path) -> tuple[list[Written], outputs.Settled]:
    """`write_all`, then what an earlier export wrote into the folder and is now stale is removed (and listed)."""
    out = Path(out_dir)
    before = outputs.snapshot(out)
    written = write_all(ws, out)
    whats = {w.path.stem: w.what for w in written}
    paths = outputs.with_siblings(out, before, [w.path for w in written])
    return written, outputs.settle(ws, out, paths, what=lambda p: whats.get(p.stem, ""))
