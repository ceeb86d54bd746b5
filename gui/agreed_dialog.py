"""记录协商调整: the dialog that records an exception the office agreed to, from the problem it is about.

The agreement itself (what it covers, when it stops covering) is forms.checks.agreed; this asks for with whom
and when, shows what is refused in the dialog itself, and stores it in the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from forms.checks import agreed
from gui import style

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

TITLE = "记录与考评办的协商调整"


class AgreedDialog(QDialog):
    """Asks with whom at the office and on what day the exception was agreed, and a note."""

    def __init__(self, ws: Workspace, frame_id: int, code: str, today: Callable[[], dt.date] = dt.date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.frame_id, self.code, self.today = ws, frame_id, code, today
        self.result_agreed: agreed.Agreed | None = None
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(520)
        earlier = next((a for a in ws.agreed() if (a.frame_id, a.code) == (frame_id, code)), None)
        layout = QVBoxLayout(self)
        layout.addWidget(style.hint(
            "按通知第二部分第（三）项，确有困难不能覆盖全部市县或达不到最低人数的，可与自治区绩效考评办协商调整。"
            "记录后本问题改为提醒、不再阻止打包，并写入压缩包交接记录和密码告知单；"
            "情况再变差（又少了市县或人数）时仍会报错。"))
        self.finding = QLabel(self._finding_text())
        self.finding.setWordWrap(True)
        layout.addWidget(self.finding)
        form = QFormLayout()
        self.with_whom = QLineEdit(earlier.with_whom if earlier else "")
        self.with_whom.setPlaceholderText("如：考评办二处 张科长")
        self.on = QDateEdit(_qdate(earlier.on if earlier else today()))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy年M月d日")
        self.note = QPlainTextEdit(earlier.note if earlier else "")
        self.note.setPlaceholderText("协商的内容，如：两县无下属单位，经同意不列入")
        self.note.setMaximumHeight(90)
        form.addRow("与谁协商：", self.with_whom)
        form.addRow("协商日期：", self.on)
        form.addRow("说明：", self.note)
        layout.addLayout(form)
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.hide()
        layout.addWidget(self.refusal)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("记录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _finding_text(self) -> str:
        found = [f for f in self.ws.engine.frame_findings(self.frame_id) if f.code == self.code]
        label = self.ws.frame(self.frame_id).label
        return f"{label}：{found[0].message}" if found else label

    def accept(self) -> None:
        """Record it, or say in the dialog what is missing (the dialog stays open)."""
        frame = self.ws.frame(self.frame_id)
        try:
            deal = agreed.capture(self.ws.engine, frame.id, frame.label, self.code, self.with_whom.text(),
                                  self.on.date().toPython(), self.note.toPlainText(), self.today())
        except agreed.AgreedError as exc:
            style.coloured(self.refusal, exc.message, style.ERROR_COLOUR)
            self.refusal.show()
            return
        self.ws.set_agreed(agreed.replaced(self.ws.agreed(), deal))
        self.result_agreed = deal
        super().accept()


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def is_agreeable(row_id: int | None, code: str) -> bool:
    """Whether a problem of the list can be settled with the office (a whole frame's coverage or count)."""
    return row_id is None and code in agreed.AGREEABLE


def has_agreement(ws: Workspace, frame_id: int, code: str) -> bool:
    return any((a.frame_id, a.code) == (frame_id, code) for a in ws.agreed())


def withdraw(ws: Workspace, frame_id: int, code: str) -> None:
    """The agreement is taken back: the finding is an error again."""
    ws.set_agreed(agreed.without(ws.agreed(), frame_id, code))
