"""The frame editor's header: the count against the minimum, the error counts, and the coverage view.

Everything here is refreshed from the engine's counters (row count, per-city and per-county counts),
so a refresh after an edit costs microseconds, not a pass over the rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.notice.attachments import FRAME_FORMS, Role
from forms.store.workspace import Workspace
from forms.tasks import steps

_RED = QBrush(QColor("#b00020"))
_GREEN = QBrush(QColor("#1b7f3a"))
_PLAIN = QBrush(QColor("#202020"))


class FrameHeader(QWidget):
    """Title of the frame, how many people against the minimum (hot frames), errors and warnings."""

    def __init__(self, ws: Workspace, frame_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.frame_id = ws, frame_id
        self.hot = FRAME_FORMS[ws.frame(frame_id).form].role is Role.HOT
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.count = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(220)
        self.bar.setVisible(self.hot)
        self.counts = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.title)
        layout.addSpacing(16)
        layout.addWidget(self.count)
        layout.addWidget(self.bar)
        layout.addSpacing(16)
        layout.addWidget(self.counts)
        layout.addStretch(1)
        self.refresh()

    def refresh(self, reasons: Mapping[tuple[int, str], str] | None = None) -> None:
        """`reasons`: the frame's justifications as the editor holds them (no SQL on a refresh)."""
        frame = self.ws.frame(self.frame_id)
        engine = self.ws.engine
        stem = self.ws.campaign.file_stems.get(frame.form, "").format(item=frame.item)
        self.title.setText(f"附件{frame.form}　{stem}")
        rows = engine.row_count(self.frame_id)
        if self.hot:
            minimum = self.ws.minimum
            self.count.setText("人数：")
            self.bar.setMaximum(max(minimum, 1))
            self.bar.setValue(min(rows, minimum))
            self.bar.setFormat(f"{rows} / {minimum}")
            self.bar.setToolTip(f"已录入{rows}人，不少于{minimum}人" if rows >= minimum
                                else f"已录入{rows}人，至少需要{minimum}人，还差{minimum - rows}人")
        else:
            self.count.setText(f"已录入 {rows} 人")
        errors = engine.counts(self.frame_id)[0]
        warnings, explained = steps.warning_counts(self.ws, self.frame_id, reasons)  # the pack page's count
        done = f"　<span style='color:#808080'>已说明 {explained} 处</span>" if explained else ""
        if not errors and not warnings:
            self.counts.setText(f"<span style='color:#1b7f3a'>✓ 没有待处理的问题</span>{done}")
        else:
            self.counts.setText(f"<span style='color:#b00020'>错误 {errors} 处</span>　"
                                f"<span style='color:#8a5a00'>提醒 {warnings} 处未说明</span>{done}")


class CoverageView(QWidget):
    """The 14 cities with their counties: covered ones ticked with their counts, missing ones in red."""

    def __init__(self, ws: Workspace, frame_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.frame_id = ws, frame_id
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["地区", "人数"])
        self.tree.setColumnWidth(0, 220)
        self.tree.setUniformRowHeights(True)
        self._cities: list[QTreeWidgetItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        self.refresh()

    def refresh(self) -> None:
        coverage = self.ws.engine.coverage(self.frame_id)
        if len(self._cities) != len(coverage):
            self._build(coverage)
        covered_cities = covered_counties = all_counties = 0
        for item, (city, count, counties) in zip(self._cities, coverage, strict=True):
            gaps = [county.name for county, n in counties if n == 0]
            _show(item, city.name, count, ok=count > 0 and not gaps, partly=count > 0)
            for child, (county, n) in zip(_children(item), counties, strict=True):
                _show(child, county.name, n, ok=n > 0, partly=False)
            covered_cities += count > 0
            covered_counties += len(counties) - len(gaps)
            all_counties += len(counties)
        self.summary.setText(f"已覆盖 {covered_cities}/{len(coverage)} 个市、{covered_counties}/{all_counties} "
                             "个县（市、区）。红色为尚无人员的地方。")

    def _build(self, coverage: list) -> None:
        self.tree.clear()
        self._cities = []
        for city, _count, counties in coverage:
            item = QTreeWidgetItem([city.name, ""])
            item.addChildren([QTreeWidgetItem([county.name, ""]) for county, _n in counties])
            self._cities.append(item)
        self.tree.addTopLevelItems(self._cities)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for n in range(item.childCount()) if (child := item.child(n)) is not None]


def _show(item: QTreeWidgetItem, name: str, count: int, ok: bool, partly: bool) -> None:
    mark = "✓" if ok else "△" if partly else "✗"
    item.setText(0, f"{mark} {name}")
    item.setText(1, str(count) if count else "缺")
    brush = _GREEN if ok else _PLAIN if partly else _RED
    item.setForeground(0, brush)
    item.setForeground(1, brush)
    item.setToolTip(0, f"{name}：{count}人" if count else f"{name}：尚无人员，请补充")
    item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
