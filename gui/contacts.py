"""附件8 (社会评价工作有关情况表) as a form: the liaison and the principal leaders, checked as typed.

Fields are CONTACT_FIELDS; the checks are forms.tasks.steps.contacts_findings, the same ones the guide's
status reads. A required field stays red until it is filled; a phone stays red until it is valid.
The party secretary and the administrative head are separate people unless "同一人" is ticked.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from forms.base.findings import Finding, Severity
from forms.notice.attachments import CONTACT_FIELDS
from forms.tasks import steps
from gui import style
from gui.settings import Page

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

SAME = "head_same_as_secretary"
HEAD_KEYS = ("head_name", "head_title")
GROUPS = (("联络员", ("liaison_name", "liaison_title", "liaison_phone", "liaison_mobile")),
          ("主要领导", ("secretary_name", "secretary_title", SAME, "head_name", "head_title")))
PLACEHOLDERS = {"liaison_phone": "如 0771-2811111", "liaison_mobile": "11位手机号码",
                "secretary_title": "如 党组书记、厅长", "head_title": "如 厅长"}


class ContactsPage(Page):
    """The 附件8 form, saved to the workspace text `contacts` as JSON keyed by CONTACT_FIELDS."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.fields: dict[str, QLineEdit] = {}
        self.labels = {f.key: f.label for f in CONTACT_FIELDS}
        self.same = QCheckBox("党组(委)书记与行政首长为同一人")
        self.same.toggled.connect(self._same_toggled)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(style.page_title("附件8 社会评价工作有关情况表"))
        layout.addWidget(style.hint("填写本部门社会评价工作联络员和主要领导的情况，12月10日前报自治区绩效考评办。"
                                    "带 * 的为必填项；党组(委)书记与行政首长不是同一人时，两人都要填写。"))
        for title, keys in GROUPS:
            layout.addWidget(self._group(title, keys))
        layout.addWidget(self.problems)
        layout.addStretch(1)
        self.load()

    def _group(self, title: str, keys: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key in keys:
            if key == SAME:
                form.addRow("", self.same)
                continue
            edit = QLineEdit()
            edit.setPlaceholderText(PLACEHOLDERS.get(key, ""))
            edit.textChanged.connect(self._typed)
            self.watch(edit)
            self.fields[key] = edit
            form.addRow(self._label(key), edit)
        return box

    def _label(self, key: str) -> str:
        spec = next(f for f in CONTACT_FIELDS if f.key == key)
        return spec.label + (" *" if spec.required or key in HEAD_KEYS else "")

    # -- load / check / save -------------------------------------------------------------------
    def load(self) -> None:
        data = steps.load_json(self.ws.text(steps.CONTACTS_KEY, ""))
        if not data.get("liaison_name") and self.ws.profile.liaison:
            data["liaison_name"] = self.ws.profile.liaison
        for key, edit in self.fields.items():
            edit.blockSignals(True)
            edit.setText(str(data.get(key, "") or ""))
            edit.blockSignals(False)
        self.same.blockSignals(True)
        self.same.setChecked(steps.truthy(data.get(SAME, False)))
        self.same.blockSignals(False)
        self._enable_head()
        self.show_findings()

    def data(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: edit.text().strip() for key, edit in self.fields.items()}
        values[SAME] = self.same.isChecked()
        if values[SAME]:
            values.update({key: "" for key in HEAD_KEYS})
        return values

    def check(self) -> list[Finding]:
        return steps.contacts_findings(self.data())

    def save(self) -> None:
        self.ws.set_text(steps.CONTACTS_KEY, json.dumps(self.data(), ensure_ascii=False))

    # -- reacting ------------------------------------------------------------------------------
    def _typed(self) -> None:
        self.show_findings()
        self.edited()

    def _same_toggled(self) -> None:
        self._enable_head()
        self._typed()

    def _enable_head(self) -> None:
        for key in HEAD_KEYS:
            self.fields[key].setEnabled(not self.same.isChecked())

    def show_findings(self) -> None:
        """Red fields with their message as tooltip, and the list of what is left below the form."""
        found = self.check()
        by_field: dict[str, Finding] = {}
        for finding in found:
            by_field.setdefault(str(finding.column), finding)
        for key, edit in self.fields.items():
            problem = by_field.get(key)
            bad = problem is not None and problem.severity is Severity.ERROR and edit.isEnabled()
            edit.setStyleSheet(style.INVALID_STYLE if bad else "")
            edit.setToolTip(problem.message if problem else "")
        if found:
            style.coloured(self.problems, "还需处理：\n" + "\n".join(f"· {f.message}" for f in found), style.ERROR_COLOUR)
        else:
            style.coloured(self.problems, "附件8已填写完整。", style.OK_COLOUR, bold=True)

    def invalid_fields(self) -> list[str]:
        """Keys of the fields now shown red (for tests and the status line)."""
        return [key for key, edit in self.fields.items() if edit.styleSheet()]
