"""The problem list of the department side (gui/problems.py) over a fixed list of findings: what the office's
intake shows for one department, with the same 【错误】/【提醒】 lines and colours."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from forms.base.findings import Finding, Severity
from gui.problems import FindingTableModel, finding_brush, finding_line

AnyIndex = QModelIndex | QPersistentModelIndex


class FindingsModel(FindingTableModel):
    """A fixed list of findings about files (a received archive's): the problem, and where it is."""

    HEADERS = ("问题", "文件")

    def __init__(self, findings: list[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        order = {Severity.ERROR: 0, Severity.WARNING: 1}
        self.findings = sorted(findings, key=lambda f: (order[f.severity], f.file, f.sheet, f.row or 0))

    def count(self) -> int:
        return len(self.findings)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.findings):
            return None
        finding = self.findings[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return finding_brush(finding)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.column() == 1:
            return finding.file.rsplit("/", 1)[-1]
        return self.line(index.row())

    def line(self, row: int) -> str:
        f = self.findings[row]
        where = ((f"附件{f.form} " if f.form else "") + (f"第{f.row}行 {f.column or ''}" if f.row
                 else "整个抽样框" if f.form else "整个压缩包"))
        return finding_line(f, where.strip())


class FindingsPanel(QWidget):
    """The problem list of the department side, over a fixed list of findings (the office's intake)."""

    def __init__(self, findings: list[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel(findings, self)
        errors = sum(f.severity is Severity.ERROR for f in findings)
        self.summary = QLabel("没有发现问题。" if not findings else f"共 {errors} 处错误、{len(findings) - errors} 处提醒")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().resizeSection(1, 200)
        self.detail = QLabel("单击一条问题，在这里看全文。")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.view.selectionModel().currentRowChanged.connect(
            lambda index: self.detail.setText(self.model.line(index.row()) if index.isValid() else ""))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
