"""The website-publicity step: the campaign's three duties, each ticked with the date and the place.

Each duty is stored as `publicity:<key>` = {"done", "date", "where"}; the days on show are counted
against the duty's minimum (min_days) for the date the window is told is today.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.base.findings import Finding
from forms.tasks import steps
from gui import style
from gui.settings import Page

if TYPE_CHECKING:
    from forms.store.workspace import Workspace


class DutyRow:
    """The widgets of one duty: done, date, where, and how long it has been on show."""

    def __init__(self, duty: dict[str, Any]) -> None:
        self.duty = duty
        self.done = QCheckBox(duty["what"])
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.where = QLineEdit()
        self.where.setPlaceholderText("网址（如 http://…），或板报、公示栏的位置")
        self.days = QLabel()
        self.text_button: QPushButton | None = None
        if duty.get("text"):  # the text to publish ships with the campaign (附件1): shown and copied from here
            self.text_button = QPushButton(f"查看{duty.get('text_title', '公示文本')}…")
            self.text_button.clicked.connect(self.show_text)
        self.text_dialog: QDialog | None = None

    def show_text(self) -> QDialog:
        """The text to publish, read-only, with 复制全文 (to paste into the website's editor)."""
        dialog = QDialog(self.done.window())
        dialog.setWindowTitle(str(self.duty.get("text_title", "公示文本")))
        view = QPlainTextEdit(str(self.duty["text"]))
        view.setReadOnly(True)
        copy = QPushButton("复制全文")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(view.toPlainText()))
        close = QPushButton("关闭")
        close.clicked.connect(dialog.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(copy)
        buttons.addWidget(close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(style.hint("请把下面的公告原文发布到本部门内、外网站，发布时间不少于两周。"))
        layout.addWidget(view, 1)
        layout.addLayout(buttons)
        dialog.resize(620, 420)
        dialog.show()
        self.text_dialog = dialog
        return dialog

    def record(self) -> dict[str, Any]:
        if not self.done.isChecked():
            return {"done": False, "date": "", "where": self.where.text().strip()}
        return {"done": True, "date": self.date.date().toString("yyyy-MM-dd"), "where": self.where.text().strip()}

    def show(self, record: dict[str, Any], today: dt.date) -> None:
        for widget in (self.done, self.date, self.where):
            widget.blockSignals(True)
        self.done.setChecked(bool(record.get("done")))
        date = QDate.fromString(str(record.get("date", "")), "yyyy-MM-dd")
        self.date.setDate(date if date.isValid() else QDate(today.year, today.month, today.day))
        self.where.setText(str(record.get("where", "")))
        for widget in (self.done, self.date, self.where):
            widget.blockSignals(False)
        self.update_days(today)

    def update_days(self, today: dt.date) -> None:
        self.date.setEnabled(self.done.isChecked())
        minimum = int(self.duty["min_days"])
        if not self.done.isChecked():
            style.coloured(self.days, f"未公示（{steps.date_label(dt.date.fromisoformat(self.duty['by']))}前完成，"
                                      f"公示不少于{minimum}天）", style.ERROR_COLOUR)
            return
        days = steps.publicity_days(self.record(), today) or 0
        if days < 0:
            style.coloured(self.days, "公示日期晚于今天，请核对", style.ERROR_COLOUR)
        elif days < minimum:
            style.coloured(self.days, f"已公示{days}天，还需{minimum - days}天（不少于{minimum}天）", style.WARNING_COLOUR)
        else:
            style.coloured(self.days, f"已公示{days}天，满{minimum}天", style.OK_COLOUR)


class PublicityPage(Page):
    """网站公示: the duties of the campaign's `publicity` list as a checklist."""

    def __init__(self, ws: Workspace, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.today = today
        self.rows = [DutyRow(duty) for duty in ws.campaign.publicity]
        layout = QVBoxLayout(self)
        layout.addWidget(style.page_title("网站公示"))
        layout.addWidget(style.hint("以下事项须在本部门门户网站（或内、外网站）公示，并保持规定的天数。"
                                    "完成后勾选，填写开始公示的日期和位置（网址或板报）。"))
        for row in self.rows:
            layout.addWidget(self._duty_box(row))
            row.done.toggled.connect(self._changed)
            row.date.dateChanged.connect(self._changed)
            row.where.textChanged.connect(self._changed)
            self.watch(row.where)
        layout.addStretch(1)
        self.load()

    @staticmethod
    def _duty_box(row: DutyRow) -> QFrame:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        grid.addWidget(row.done, 0, 0, 1, 5)
        grid.addWidget(QLabel("开始公示日期"), 1, 0)
        grid.addWidget(row.date, 1, 1)
        grid.addWidget(QLabel("公示位置"), 1, 2)
        grid.addWidget(row.where, 1, 3)
        grid.addWidget(row.days, 2, 0, 1, 4)
        if row.text_button is not None:
            grid.addWidget(row.text_button, 2, 4)
        grid.setColumnStretch(3, 1)
        return box

    def load(self) -> None:
        records = steps.publicity_records(self.ws)
        for row in self.rows:
            row.show(records.get(row.duty["key"], {}), self.today())

    def records(self) -> dict[str, dict[str, Any]]:
        return {row.duty["key"]: row.record() for row in self.rows}

    def check(self) -> list[Finding]:
        return steps.publicity_findings(self.ws.campaign, self.records(), self.today())

    def save(self) -> None:
        for key, record in self.records().items():
            self.ws.set_text(steps.PUBLICITY_PREFIX + key, json.dumps(record, ensure_ascii=False))

    def _changed(self) -> None:
        for row in self.rows:
            row.update_days(self.today())
        self.edited()
