"""Every file the department owes, written from the workspace: frames, 附件8, the leader form with the
analysis, a questionnaire per work item, the two reports. A deliverable with errors is still written,
with `_未完成` in its name, so the clerk sees how far it is; the caller lists those.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from forms.base.findings import Finding, Severity
from forms.documents import contacts as contacts_doc
from forms.documents import leader_form, reports
from forms.documents import questionnaire as questionnaire_doc
from forms.notice import questionnaire as questions_mod
from forms.sheets import contacts_xlsx
from forms.store.workspace import Workspace
from forms.tasks import deliver, outputs

REPORT_KINDS = {"rectification": "整改情况报告", "performance": "年度绩效情况报告"}
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


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


def report_from_markdown(ws: Workspace, kind: str) -> reports.Report:
    """A report from its editor's Markdown: `#` lines are headings, text before the first is the preamble."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in ws.text(f"report:{kind}").splitlines():
        heading = _HEADING.match(line.strip())
        if heading:
            sections.append((heading.group(1).strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return reports.Report(ws.campaign, kind, ws.profile.department,
                          [reports.Section(h, "\n".join(t).strip()) for h, t in sections], "\n".join(preamble).strip())


def report_to_markdown(imported: object) -> str:
    """Markdown for the report editor from an imported document (title, preamble, sections)."""
    parts = [getattr(imported, "preamble", "")]
    parts += [f"# {s.heading}\n\n{s.text}" for s in getattr(imported, "sections", [])]
    return "\n\n".join(p for p in parts if p.strip())


def _errors(found: list[Finding]) -> list[str]:
    return [f.message for f in found if f.severity is Severity.ERROR]


def _write(out: Path, name: str, errors: list[str], what: str, write: Callable[[Path], object]) -> Written:
    path = deliver.unfinished_name(out / name, bool(errors))
    write(path)
    return Written(what, path, errors)


def write_all(ws: Workspace, out_dir: str | Path) -> list[Written]:
    """Write every deliverable this department owes into `out_dir`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dept, campaign = ws.profile.department, ws.campaign
    written = [Written(e.frame.label, e.path, [f"{e.errors}处错误"] if e.errors else [])
               for e in deliver.export_frames(ws, out)]
    sheet = contacts_sheet(ws)
    contacts_errors = _errors(sheet.findings())
    written.append(_write(out, campaign.file_name("8", dept), contacts_errors, "附件8",
                          lambda p: contacts_xlsx.export_contacts_xlsx(p, campaign, dept, contacts_of(ws))))
    written.append(_write(out, campaign.file_name("8", dept, suffix=".docx"), contacts_errors, "附件8",
                          sheet.write_docx))
    form = leader_form_of(ws)
    written.append(_write(out, campaign.file_name(form.form, dept, suffix=".docx"), _errors(form.findings()),
                          f"附件{form.form}", form.write_docx))
    for frame in ws.hot_frames():
        doc = questionnaire_doc.Questionnaire(campaign, dept, frame.item, questions_mod.load(ws, frame.id),
                                              questions_mod.load_intro(ws, frame.id))
        written.append(_write(out, doc.file_name(), _errors(doc.findings()), f"评议问卷（{frame.item}）",
                              doc.write_docx))
    for kind, label in REPORT_KINDS.items():
        report = report_from_markdown(ws, kind)
        errors = [f"{label}还没有内容"] if report.is_empty() else []
        written.append(_write(out, f"{dept}_{label}.docx", errors, label, report.write_docx))
    return written


def export_all(ws: Workspace, out_dir: str | Path) -> tuple[list[Written], outputs.Settled]:
    """`write_all`, then what an earlier export wrote into the folder and is now stale is removed (and listed)."""
    out = Path(out_dir)
    before = outputs.snapshot(out)
    written = write_all(ws, out)
    whats = {w.path.stem: w.what for w in written}
    paths = outputs.with_siblings(out, before, [w.path for w in written])
    return written, outputs.settle(ws, out, paths, what=lambda p: whats.get(p.stem, ""))
