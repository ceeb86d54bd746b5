"""The date that goes on the files, shown and set where the clerk exports or prints.

A row with a label, a date box (calendar pop-up) and a hint: until the clerk picks a date it shows
the default (today, or the workspace's date for a report) and says it is a default to confirm.
The date is kept in the workspace (forms.tasks.filedate) as soon as it is changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QWidget

from forms.tasks import filedate
from gui import style

if TYPE_CHECKING:
    from forms.store.workspace import Workspace


class DateRow(QWidget):
    """`label` and a date box over the workspace text `key`; `default()` is shown while none is set."""

    def __init__(self, ws: Workspace, key: str, label: str, default: Callable[[], dt.date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.key, self.default = ws, key, default
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(label))
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy年M月d日")
        self.edit.dateChanged.connect(self._changed)
        row.addWidget(self.edit)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        row.addWidget(self.hint)
        row.addStretch(1)
        self.load()

    def date(self) -> dt.date:
        return filedate.stored(self.ws, self.key) or self.default()

    def load(self) -> None:
        shown = self.date()
        self.edit.blockSignals(True)
        self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.edit.blockSignals(False)
        self._show_hint()

    def _changed(self, value: QDate) -> None:
        self.ws.set_text(self.key, dt.date(value.year(), value.month(), value.day()).isoformat())
        self._show_hint()

    def _show_hint(self) -> None:
        if filedate.stored(self.ws, self.key) is None:
            style.coloured(self.hint, "（默认值，请确认或改为实际日期）", style.WARNING_COLOUR)
        else:
            style.coloured(self.hint, "（已确认）", style.OK_COLOUR)


def file_date_row(ws: Workspace, parent: QWidget | None = None) -> DateRow:
    """报送时间: the date on the frames (and the reports' default 成文日期)."""
    return DateRow(ws, filedate.KEY, "报送时间（写在各文件上）：", lambda: filedate.file_date(ws), parent)


def report_date_row(ws: Workspace, kind: str, parent: QWidget | None = None) -> DateRow:
    """成文日期 of a report: its own, by default the workspace's date."""
    return DateRow(ws, filedate.report_date_key(kind), "成文日期：", lambda: filedate.file_date(ws), parent)
