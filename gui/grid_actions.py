"""The grid's Excel actions beyond the clipboard: fill down (Ctrl+D), fill right (Ctrl+R) and find and
replace (Ctrl+H) over one frame or every frame, each one undo step; and the list of every grid action with
its keys, for the 编辑 menu and the grid's context menu.

`fill_pairs` and `replace_changes` are the plans, Qt-free and tested on their own; `GridActions` wires them
to a FrameEditor's table and undo stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.checks.engine import RowKey
from forms.notice.attachments import FRAME_FORMS
from gui import undo, worker
from gui.frame_model import FrameModel

if TYPE_CHECKING:
    from gui.frame_grid import FrameTable

Change = tuple[int, str, str]  # row id, column key, raw text
Cell = tuple[int, int]  # view row, view column
SCOPE_FRAME, SCOPE_ALL = "frame", "all"


# -- plans (no Qt) ----------------------------------------------------------------------------------------
def fill_pairs(rows: Sequence[int], cols: Sequence[int], down: bool) -> list[tuple[Cell, Cell]]:
    """(source, target) cells of Excel's fill over the block `rows` × `cols`.

    Down: the block's top row is copied into the rows under it; a block of one row copies the row above
    it. Right: the same with the leftmost column. Nothing when there is nothing to copy from."""
    lines, across = (rows, cols) if down else (cols, rows)
    if not lines:
        return []
    if len(lines) == 1:
        source, targets = lines[0] - 1, list(lines)
    else:
        source, targets = lines[0], list(lines[1:])
    if source < 0:
        return []
    if down:
        return [((source, c), (r, c)) for r in targets for c in across]
    return [((r, source), (r, c)) for c in targets for r in across]


def replace_changes(rows: Iterable[tuple[int, Mapping[str, str]]], keys: Sequence[str], needle: str,
                    replacement: str) -> list[Change]:
    """Every cell of `rows` (row id, raw texts) under `keys` that holds `needle`, with it replaced."""
    if not needle:
        return []
    return [(row_id, key, raw[key].replace(needle, replacement)) for row_id, raw in rows for key in keys
            if needle in raw.get(key, "")]


def editable_keys(form: str) -> list[str]:
    """The columns a replace may change (序号 is the row's place, never typed)."""
    return [c.key for c in FRAME_FORMS[form].columns if c.key != "serial"]


# -- the command --------------------------------------------------------------------------------------------
class ReplaceCells(undo.FrameCommand):
    """Find and replace in one frame or all of them: one undo step on the stack of the frame it was started in.

    The plan (which cells change) is worked out on the worker thread for a large workspace; other frames'
    models repaint through the workspace's change bus."""

    def __init__(self, model: FrameModel, needle: str, replacement: str, frame_ids: Sequence[int]) -> None:
        ws = model.ws
        super().__init__(model, f"替换“{needle}”为“{replacement}”", sum(ws.engine.row_count(f) for f in frame_ids))
        self.needle, self.replacement, self.frame_ids = needle, replacement, list(frame_ids)
        self.new: dict[int, list[Change]] = {}
        self.old: dict[int, list[Change]] = {}

    @property
    def count(self) -> int:
        return sum(len(changes) for changes in self.new.values())

    def redo(self) -> None:
        self.execute("正在替换…", self._again if self.done_once else self._first, self.model.changed_rows)
        if not self.count:
            self.setObsolete(True)  # nothing found: no step to undo

    def undo(self) -> None:
        self.execute("正在撤销替换…", lambda _p: self._write(self.old), self.model.changed_rows)

    def _first(self, _progress: Any) -> set[RowKey]:
        ws = self.model.ws
        for frame_id in self.frame_ids:
            records = ws.rows(frame_id)
            changes = replace_changes(((r.id, r.raw) for r in records), editable_keys(ws.frame(frame_id).form),
                                      self.needle, self.replacement)
            if changes:
                raws = {r.id: r.raw for r in records}
                self.new[frame_id] = changes
                self.old[frame_id] = [(row_id, key, raws[row_id].get(key, "")) for row_id, key, _t in changes]
        try:
            return self._write(self.new)
        except BaseException:
            self._write(self.old)  # a failure half-way leaves every frame as it was
            self.new, self.old = {}, {}
            raise

    def _again(self, _progress: Any) -> set[RowKey]:
        return self._write(self.new)

    def _write(self, changes: Mapping[int, Sequence[Change]]) -> set[RowKey]:
        ws, affected = self.model.ws, set()
        for frame_id, cells in changes.items():
            for chunk in undo.chunks(cells):
                affected |= ws.set_cells(frame_id, chunk)
        ws.validate()
        return affected


# -- the replace dialog --------------------------------------------------------------------------------------
class ReplaceDialog(QDialog):
    """Ctrl+H: 查找内容 / 替换为 / 范围 (本表 or 所有抽样框), 全部替换 as one undo step."""

    def __init__(self, model: FrameModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setWindowTitle("查找和替换")
        self.needle, self.replacement = QLineEdit(), QLineEdit()
        self.needle.setPlaceholderText("要查找的文字")
        self.replacement.setPlaceholderText("替换成的文字（可以为空）")
        self.scope = QComboBox()
        self.scope.addItem(f"本表（{model.ws.frame(model.frame_id).label}）", SCOPE_FRAME)
        self.scope.addItem("所有抽样框", SCOPE_ALL)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.replace_button = QPushButton("全部替换")
        self.replace_button.setDefault(True)
        self.replace_button.clicked.connect(self.replace_all)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        form = QFormLayout()
        form.addRow("查找内容：", self.needle)
        form.addRow("替换为：", self.replacement)
        form.addRow("范围：", self.scope)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.replace_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        self.resize(460, self.sizeHint().height())

    def start(self, needle: str = "") -> None:
        if needle:
            self.needle.setText(needle)
        self.result.clear()
        self.show()
        self.activateWindow()
        self.needle.setFocus()
        self.needle.selectAll()

    def frame_ids(self) -> list[int]:
        if self.scope.currentData() == SCOPE_ALL:
            return [f.id for f in self.model.ws.frames()]
        return [self.model.frame_id]

    def replace_all(self) -> int:
        """Replace every occurrence in the chosen scope (one undo step); returns how many cells changed."""
        needle = self.needle.text()
        if not needle.strip():
            self.result.setText("请先填写要查找的文字。")
            return 0
        if worker.busy():
            return 0
        command = ReplaceCells(self.model, needle, self.replacement.text(), self.frame_ids())
        self.model.stack.push(command)
        count = command.count
        self.result.setText(f"已替换{count}个单元格（按Ctrl+Z可以全部撤销）。" if count
                            else f"没有找到“{needle}”，没有替换任何内容。")
        return count


# -- the actions -------------------------------------------------------------------------------------------
class GridActions:
    """Fill down/right and replace for one editor's table, and every grid action listed with its keys."""

    def __init__(self, table: FrameTable, owner: QWidget, find: QAction, next_problem: QAction) -> None:
        self.table, self.model, self.owner = table, table.model_, owner
        self.replace_dialog: ReplaceDialog | None = None
        self.find_needle: Callable[[], str] = lambda: ""
        self.fill_down_action = self._shortcut("向下填充", self.fill_down, "Ctrl+D")
        self.fill_right_action = self._shortcut("向右填充", self.fill_right, "Ctrl+R")
        self.replace_action = self._shortcut("查找和替换…", self.open_replace, "Ctrl+H")
        self.find_action, self.next_problem_action = find, next_problem

    def _shortcut(self, text: str, slot: Callable[[], object], keys: str) -> QAction:
        action = QAction(text, self.owner)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.owner.addAction(action)
        return action

    def fill_down(self) -> bool:
        return self._fill(down=True)

    def fill_right(self) -> bool:
        return self._fill(down=False)

    def _fill(self, down: bool) -> bool:
        """Excel's fill over the selection, one undo step; False when there was nothing to fill."""
        if worker.busy():
            return False
        self._commit_editor()
        rows, cols = self.table.block()
        model = self.model
        changes = []
        for (src_row, src_col), (row, col) in fill_pairs(rows, cols, down):
            row_id, key = model.row_id(row), model.keys[col]
            source_id = model.row_id(src_row)
            if row_id is None or key == "serial" or model.keys[src_col] == "serial":
                continue
            text = model.raw_text(source_id, model.keys[src_col]) if source_id is not None else ""
            if text != model.raw_text(row_id, key):
                changes.append((row_id, key, text))
        if not changes:
            return False
        model.stack.push(undo.Edit(model, "向下填充" if down else "向右填充", changes))
        return True

    def _commit_editor(self) -> None:
        delegate = self.table.delegate
        if delegate.editor is not None:
            from PySide6.QtWidgets import QAbstractItemDelegate

            delegate.commitData.emit(delegate.editor)
            delegate.closeEditor.emit(delegate.editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def open_replace(self) -> None:
        if self.replace_dialog is None:
            self.replace_dialog = ReplaceDialog(self.model, self.owner)
        self.replace_dialog.start(self.find_needle())

    def menu_actions(self) -> list[QAction | None]:
        """Every grid action with its keys, in the order of the 编辑 menu (None: a separator).

        Keys the grid handles itself (copy, paste, …) are shown as text, not registered again: a second
        registration of the same keys would make both ambiguous."""
        table = self.table
        shown = [("复制", table.copy, "Ctrl+C"), ("粘贴", table.paste, "Ctrl+V"), ("清除内容", table.clear, "Delete")]
        rows = [("在上方插入行", table.insert_above, "Ctrl+Shift+="), ("在下方插入行", table.insert_below, ""),
                ("删除行", table.delete_rows, "Ctrl+-")]
        return [*map(self._listed, shown), self.fill_down_action, self.fill_right_action, None,
                *map(self._listed, rows), None, self.find_action, self.replace_action, self.next_problem_action]

    def _listed(self, entry: tuple[str, Callable[[], object], str]) -> QAction:
        text, slot, keys = entry
        action = QAction(f"{text}\t{keys}" if keys else text, self.owner)
        action.triggered.connect(slot)
        return action

    def add_fill_actions(self, menu: QMenu) -> None:
        """The grid's context menu: fill down/right beside copy and paste."""
        menu.addSeparator()
        menu.addAction(self.fill_down_action)
        menu.addAction(self.fill_right_action)
