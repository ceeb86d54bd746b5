"""The office's table of departments (考评办收件): one row per department, its status as icon, text and tint.

A view over packaging.intake's batch; the model holds no rule and reads no file. Colour is never the only
sign: each status has its own words (合格, 有问题, 密码不对 …) and an icon whose shape differs by kind.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap, QPolygon

from forms.base.findings import Finding
from forms.notice.attachments import FRAME_FORMS
from packaging.intake.members import Status
from packaging.intake.receive import STATUS_LABELS, ArchiveReport, IntakeBatch

AnyIndex = QModelIndex | QPersistentModelIndex
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
# (colour, tint, shape): green tick-circle for ok, red square for errors, amber triangle for a password
# problem, grey diamond for an archive that cannot be used at all
STATUS_LOOK = {
    Status.OK: ("#2e7d32", "#e8f5e9", "circle"),
    Status.ERRORS: ("#c62828", "#fdecea", "square"),
    Status.WRONG_PASSWORD: ("#b26a00", "#fff4e0", "triangle"),
    Status.NO_PASSWORD: ("#b26a00", "#fff4e0", "triangle"),
    Status.UNREADABLE: ("#5f6368", "#eeeeee", "diamond"),
    Status.NOT_OURS: ("#5f6368", "#eeeeee", "diamond"),
}
COLUMNS = ("状态", "报送单位", "压缩包", *(f"附件{n}" for n in FRAME_FORMS), "错误", "提醒", "缺少", "收到日期")
FIRST_FORM_COLUMN = 3
_ICONS: dict[Status, QIcon] = {}


def status_icon(status: Status) -> QIcon:
    """A small shape in the status colour; the shape tells the kind apart without the colour."""
    if status not in _ICONS:
        colour, _tint, shape = STATUS_LOOK[status]
        pixmap = QPixmap(32, 32)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        if shape == "circle":
            painter.drawEllipse(4, 4, 24, 24)
        elif shape == "square":
            painter.drawRect(6, 6, 20, 20)
        else:
            points = [(16, 3), (29, 28), (3, 28)] if shape == "triangle" else [(16, 2), (30, 16), (16, 30), (2, 16)]
            painter.drawPolygon(QPolygon([QPoint(x, y) for x, y in points]))
        painter.end()
        _ICONS[status] = QIcon(pixmap)
    return _ICONS[status]


class IntakeModel(QAbstractTableModel):
    """The departments of the batch, in the order received; a re-received department keeps its row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.batch = IntakeBatch()
        self.keys: list[str] = []
        self.partial = False

    def set_batch(self, batch: IntakeBatch, partial: bool = False) -> None:
        """Show `batch`: rows of departments already shown stay where they are, new ones are appended.

        `partial`: a run is still adding to it; the duplicates across departments are not looked for until
        the run ends (each look goes over every row received)."""
        self.beginResetModel()
        kept = [k for k in self.keys if k in batch.entries]
        self.keys = kept + [k for k in batch.entries if k not in kept]
        self.batch, self.partial = batch, partial
        self.endResetModel()

    def add_report(self, report: ArchiveReport) -> None:
        """A report received during a run: its department's row is replaced, or one is appended."""
        self.batch.add(report)
        self.set_batch(self.batch, partial=True)

    def report(self, row: int) -> ArchiveReport:
        return self.batch.entries[self.keys[row]]

    def findings(self, row: int) -> list[Finding]:
        report = self.report(row)
        return report.findings if self.partial else self.batch.findings(report)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.keys):
            return None
        report = self.report(index.row())
        if role == STATUS_ROLE:
            return str(report.status)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(report, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return report.message
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return status_icon(report.status)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATUS_LOOK[report.status][1]))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(QColor(STATUS_LOOK[report.status][0]))
        return None

    def _text(self, report: ArchiveReport, column: int) -> str:
        found = report.findings if self.partial else self.batch.findings(report)
        errors = sum(f.severity == "error" for f in found)
        forms = [report.rows.get(n) for n in FRAME_FORMS]
        texts = [STATUS_LABELS[report.status], report.department or "（单位不明）", report.archive,
                 *("" if n is None else str(n) for n in forms), str(errors), str(len(found) - errors),
                 "、".join(f"附件{n}" for n in report.missing), report.received.isoformat()]
        return texts[column]


class StatusFilter(QSortFilterProxyModel):
    """Rows of one status only (or all of them)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status = ""

    def set_status(self, status: str) -> None:
        self.beginFilterChange()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self.status:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return bool(index.data(STATUS_ROLE) == self.status)
