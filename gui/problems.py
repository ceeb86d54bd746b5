"""The problems panel: every finding of a frame, whole-frame ones first, then row by row.

The list is built from the engine's per-row counters (no rule runs to know how long it is); a row's
findings are asked for only when the list shows them. Double-click jumps to the cell; for a duplicate
the second column names the other row and double-clicking it jumps there (or asks the window to
open the other frame through `open_row`).

Helpers at the top read the engine's state that has no public accessor yet (see each docstring).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from forms.base.findings import Finding, Severity
from forms.checks.engine import RowKey
from forms.tasks import steps
from gui import keyboard, prefix_menu, style, worker
from gui.problem_actions import ProblemActions, _justify, accept_warning

if TYPE_CHECKING:
    from gui.frame_model import FrameModel

DUPLICATE_CODES = ("duplicate-person", "possible-duplicate")
HINT = "单击一条问题，在这里看全文；双击或按回车键转到该单元格。"
AnyIndex = QModelIndex | QPersistentModelIndex


def add_row_actions(menu: QMenu, model: FrameModel, row_id: int, key: str, parent: QWidget) -> None:
    """The grid's context-menu entries about a row: its mobile's 0-prefix, accepting its warnings."""
    if key == "mobile":
        prefix_menu.override_menu(menu.addMenu("手机号码前面加不加0"), model, row_id, parent)
    found = model.ws.engine.row_findings((model.frame_id, row_id))
    warnings = [f for f in found if f.severity is Severity.WARNING]
    if warnings:
        menu.addSeparator()
    for code in dict.fromkeys(f.code for f in warnings):
        accepted = (row_id, code) in model.accepted
        menu.addAction("修改接受理由…" if accepted else "接受提醒并说明理由…").triggered.connect(
            lambda _c=False, c=code: accept_warning(model, row_id, c, parent))
        if accepted:
            menu.addAction("取消接受该提醒").triggered.connect(lambda _c=False, c=code: _justify(model, row_id, c, ""))


class FindingTableModel(QAbstractTableModel):
    """A flat list of findings in two columns: the problem, and a second column its subclass names (HEADERS)."""

    HEADERS: tuple[str, str] = ("问题", "")

    def count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.count()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < 2:
            return self.HEADERS[section]
        return None


class ProblemsModel(FindingTableModel):
    """Findings of one frame as a two-column list: the problem, and the other row of a duplicate."""

    HEADERS = ("问题", "重复的另一行")

    def __init__(self, frame_model: FrameModel) -> None:
        super().__init__(frame_model)
        self.source = frame_model
        self.whole: list[Finding] = []
        self.rows: list[int] = []  # row ids with findings, in frame order
        self.row_pos: list[int] = []  # their position in the frame
        self.starts: list[int] = []  # index of each row's first entry
        self.total = 0
        self._found: dict[int, list[tuple[Finding, RowKey | None]]] = {}
        self._labels: dict[RowKey, str] = {}

    def refresh(self) -> None:
        """Rebuild the list from the engine's counters (cheap: no rule runs)."""
        engine, frame_id = self.source.ws.engine, self.source.frame_id
        self.beginResetModel()
        self.whole = engine.frame_findings(frame_id)
        self.rows, self.row_pos, self.starts = [], [], []
        total = len(self.whole)
        states = engine.rows  # read directly: this loop runs over every row of the frame
        for pos, row_id in enumerate(self.source.all_ids):
            state = states.get((frame_id, row_id))
            if state is not None and (state.errors or state.warnings):
                self.rows.append(row_id)
                self.row_pos.append(pos)
                self.starts.append(total)
                total += state.errors + state.warnings
        self.total = total
        self._found.clear()
        self._labels.clear()
        self.endResetModel()

    def count(self) -> int:
        return self.total

    def entry(self, index: int) -> tuple[int | None, Finding, RowKey | None]:
        """(row id or None, finding, the other row of a duplicate) of list entry `index`."""
        if index < len(self.whole):
            return None, self.whole[index], None
        n = bisect_right(self.starts, index) - 1
        row_id = self.rows[n]
        found = self.row_findings(row_id)
        if not found:  # the row was put right since the list was counted; the next refresh drops it
            return row_id, _UPDATING, None
        finding, partner = found[min(index - self.starts[n], len(found) - 1)]
        return row_id, finding, partner

    def _ready(self, entry: int, column: int) -> bool:
        """While a job writes (gui.worker.busy) only what was already looked up is shown."""
        if not worker.busy() or entry < len(self.whole):
            return True
        row_id = self.rows[bisect_right(self.starts, entry) - 1]
        partners = [p for _f, p in self._found.get(row_id, []) if p is not None]
        return row_id in self._found and (column == 0 or all(p in self._labels for p in partners))

    def row_findings(self, row_id: int) -> list[tuple[Finding, RowKey | None]]:
        """A row's findings in column order, each with the other row when it is a duplicate."""
        if row_id not in self._found:
            key = (self.source.frame_id, row_id)
            engine = self.source.ws.engine
            found = engine.row_findings(key)
            partners = iter(engine.duplicate_partners(key))
            paired = [(f, next(partners, None) if f.code in DUPLICATE_CODES else None) for f in found]
            order = {c.header: n for n, c in enumerate(self.source.columns)}
            self._found[row_id] = sorted(paired, key=lambda p: order.get(p[0].column or "", 1))
        return self._found[row_id]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.total or not self._ready(index.row(), index.column()):
            return None
        row_id, finding, partner = self.entry(index.row())
        accepted = row_id is not None and (row_id, finding.code) in self.source.accepted
        if index.column() == 1:
            return self._link_data(partner, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row_id, finding, accepted, role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.ForegroundRole:
            return finding_brush(finding, accepted)
        return None

    def _text(self, row_id: int | None, finding: Finding, accepted: bool, full: bool) -> str:
        where = "整个抽样框" if row_id is None else f"第{self.source.serial(row_id)}行 {finding.column or ''}"
        text = finding_line(finding, where, accepted)
        if accepted and row_id is not None:
            text += f"（理由：{self.source.accepted[(row_id, finding.code)]}）"
        return text if full or len(text) < 160 else text[:158] + "…"

    def _link_data(self, partner: RowKey | None, role: int) -> Any:
        if partner is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            label = self.partner_label(partner)
            return label if role == Qt.ItemDataRole.DisplayRole else f"双击转到{label}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return _LINK
        if role == Qt.ItemDataRole.FontRole:
            return _UNDERLINED
        return None

    def partner_label(self, key: RowKey) -> str:
        """“→ 第5行 张三” in this frame, “→ 附件2 第5行 张三” in another."""
        if key not in self._labels:
            frame_id, row_id = key
            ws = self.source.ws
            if frame_id == self.source.frame_id:
                where, number = "", self.source.serial(row_id)
            else:
                ids = ws.row_ids(frame_id)
                where, number = f"附件{ws.frame(frame_id).form} ", ids.index(row_id) + 1 if row_id in ids else 0
            name = ws.engine.values(key).get("name", "")
            self._labels[key] = f"→ {where}第{number}行 {name}"
        return self._labels[key]

    def detail(self, entry: int) -> str:
        """What the list line does not already say: the other row of a duplicate, the reason given, or the
        whole text when the line had to be cut (the message itself is in the list and under the grid)."""
        row_id, finding, partner = self.entry(entry)
        accepted = row_id is not None and (row_id, finding.code) in self.source.accepted
        full = self._text(row_id, finding, accepted, True)
        parts = [full] if full != self._text(row_id, finding, accepted, False) else []
        if partner is not None:
            parts.append(f"另一行：{self.partner_label(partner)[2:]}（双击右列转到该行）")
        if finding.severity is Severity.WARNING and row_id is not None and not accepted:
            parts.append("这是提醒：核对无误时，点“填写说明…”写明理由即可。")
        return "\n".join(parts) or HINT

    def next_after(self, row_pos: int, column: int) -> int | None:
        """The first list entry after the cell (frame position `row_pos`, column index), wrapping."""
        if not self.rows:
            return None
        order = {c.header: n for n, c in enumerate(self.source.columns)}
        n = bisect_left(self.row_pos, row_pos)
        if n < len(self.rows) and self.row_pos[n] == row_pos:
            for k, (finding, _) in enumerate(self.row_findings(self.rows[n])):
                if order.get(finding.column or "", 1) > column:
                    return self.starts[n] + k
            n += 1
        return self.starts[n] if n < len(self.rows) else self.starts[0]

    def entry_column(self, finding: Finding) -> str:
        """The column key a finding points at (姓名 for a finding without a column)."""
        return next((c.key for c in self.source.columns if c.header == finding.column), "name")


class ProblemsPanel(ProblemActions):
    """The list of a frame's problems beside the grid."""

    jump = Signal(int, str)  # row id, column key
    open_row = Signal(int, int)  # frame id, row id (a duplicate in another frame)
    agreed_changed = Signal()  # an agreement with the office was recorded or withdrawn

    def __init__(self, frame_model: FrameModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(frame_model)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() * 2 + 8)
        self.view.setWordWrap(True)  # two lines a problem: most messages show whole even in a narrow panel
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().resizeSection(1, 130)
        self.view.doubleClicked.connect(self._activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.justify_button = QPushButton("填写说明…")
        self.justify_button.setToolTip("说明这条提醒为什么可以忽略（理由随导出的表格一并报送）")
        self.justify_button.setEnabled(False)
        self.justify_button.clicked.connect(self.justify_current)
        keyboard.list_view(self.view, "问题列表", self._activated)  # Enter/Space jump; Tab leaves the list
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.detail.setAccessibleName("问题详情")
        self.detail.setMinimumHeight(self.fontMetrics().height() * 2 + 6)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        self.agree_button = QPushButton("记录协商调整…")
        self.agree_button.setToolTip("与考评办协商同意后，记录本问题的协商调整，使其不再阻止打包")
        self.agree_button.clicked.connect(self.record_agreed)
        self.agree_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.justify_button)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.detail, 1)
        row.addWidget(self.agree_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)

    def _show_detail(self, index: QModelIndex) -> None:
        self.detail.setText(self.model.detail(index.row()) if index.isValid() else HINT)
        warning = self.warning_at(index.row()) if index.isValid() else None
        self.justify_button.setEnabled(warning is not None)
        if warning is not None:
            accepted = warning in self.model.source.accepted
            self.justify_button.setText("修改说明…" if accepted else "填写说明…")
        code = self._agreeable(index.row()) if index.isValid() else None
        if code is not None:
            from gui import agreed_dialog

            existing = agreed_dialog.has_agreement(self.model.source.ws, self.model.source.frame_id, code)
            self.agree_button.setText("修改协商调整…" if existing else "记录协商调整…")
        self.agree_button.setVisible(code is not None)

    def refresh(self) -> None:
        self.model.refresh()
        self.detail.setText(HINT)
        self.justify_button.setEnabled(False)
        self.agree_button.hide()
        source = self.model.source
        errors = source.ws.engine.counts(source.frame_id)[0]
        warnings, explained = steps.warning_counts(source.ws, source.frame_id, source.accepted)
        done = f"，另有 {explained} 处提醒已说明" if explained else ""
        self.summary.setText(f"没有待处理的问题{done}。" if not errors and not warnings
                             else f"共 {errors} 处错误、{warnings} 处提醒未说明{done}（双击或回车转到该单元格，F8 转到下一个问题）")

    def activate(self, entry: int, column: int = 0) -> None:
        """Jump to what list entry `entry` is about (its cell, or the other row of a duplicate)."""
        row_id, finding, partner = self.model.entry(entry)
        self.view.selectRow(entry)
        if column == 1 and partner is not None:
            frame_id, other = partner
            if frame_id == self.model.source.frame_id:
                self.jump.emit(other, self.model.entry_column(finding))
            else:
                self.open_row.emit(frame_id, other)
        elif row_id is not None:
            self.jump.emit(row_id, self.model.entry_column(finding))

    def _activated(self, index: QModelIndex) -> None:
        self.activate(index.row(), index.column())


def finding_line(finding: Finding, where: str, accepted: bool = False) -> str:
    """A finding as the problem lists show it: 【错误】/【提醒】/【已说明】, where, the message."""
    tag = "已说明" if accepted else "错误" if finding.severity is Severity.ERROR else "提醒"
    return f"【{tag}】{where}：{finding.message}"


def finding_brush(finding: Finding, accepted: bool = False) -> QBrush:
    return _GREY if accepted else _RED if finding.severity is Severity.ERROR else _AMBER


_UPDATING = Finding("updating", Severity.WARNING, "已修改，问题列表正在更新…")
_RED = QBrush(QColor(style.ERROR_COLOUR))
_AMBER = QBrush(QColor(style.WARNING_COLOUR))
_GREY = QBrush(QColor(style.MUTED_COLOUR))
_LINK = QBrush(QColor(style.LINK_COLOUR))
_UNDERLINED = QFont()
_UNDERLINED.setUnderline(True)
