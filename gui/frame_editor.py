"""The frame editor: an Excel-like grid over one sampling frame, with its problems, counts and coverage.

Embed with `FrameEditor(ws, frame_id)`; connect `changed` (after any edit), `status(str)` (the message of
the current cell) and `open_row(frame_id, row_id)` (a duplicate in another frame); put `import_action`,
`export_action` and `undo_stack` in the window's menus. While `gui.worker.busy()` a background job owns
the workspace: the window must not touch it then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forms import deliver, excel_in, excel_out
from forms.attachments import Role
from forms.findings import Severity
from forms.workspace import Workspace
from gui import import_dialog, problems, undo, worker
from gui.coverage import CoverageView, FrameHeader
from gui.frame_model import FrameModel, parse_tsv, to_tsv
from gui.problems import ProblemsPanel

HIGHLIGHTS = {"error": QColor("#e57373"), "warning": QColor("#f0c14b"), "accepted": QColor("#bdbdbd")}
REFRESH_MS = 200  # panels and counts follow edits after this pause
CHECK_MS = 300  # a pause in typing this long checks the text
EDITOR_STYLE = {Severity.ERROR: "QLineEdit { background: #f7b9b9; }",
                Severity.WARNING: "QLineEdit { background: #ffe08a; }", None: ""}
DROPPABLE = excel_in.SPREADSHEET_SUFFIXES + (".csv",)
AnyIndex = QModelIndex | QPersistentModelIndex
_MOVES = {Qt.Key.Key_Tab: (0, 1), Qt.Key.Key_Backtab: (0, -1), Qt.Key.Key_Return: (1, 0), Qt.Key.Key_Enter: (1, 0)}


class CellDelegate(QStyledItemDelegate):
    """The cell editor: Enter/Tab commit and move like Excel; a pause in typing checks the text."""

    status = Signal(str)

    def __init__(self, table: FrameTable) -> None:
        super().__init__(table)
        self.table = table
        self.editor: QLineEdit | None = None
        self.index = QPersistentModelIndex()
        self.timer = _timer(self, CHECK_MS, self.check)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.textEdited.connect(lambda _text: self.timer.start())
        self.editor, self.index = editor, QPersistentModelIndex(index)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(self.table.model_.data(index, Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        self.timer.stop()
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def destroyEditor(self, editor: QWidget, index: AnyIndex) -> None:
        self.timer.stop()
        self.editor = None
        super().destroyEditor(editor, index)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if isinstance(editor, QLineEdit) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            move = _move_of(event)
            if move is not None:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                self.table.step(*move)
                return True
        return super().eventFilter(editor, event)

    def check(self) -> None:
        """Check the text being typed on a scratch copy of the row; colour the editor, say why."""
        editor, index = self.editor, self.index
        if editor is None or not index.isValid() or worker.busy():
            return
        model = self.table.model_
        column = model.columns[index.column()]
        found = model.check_text(index.row(), column.key, editor.text())
        worst = Severity.ERROR if any(f.severity is Severity.ERROR for f in found) else \
            Severity.WARNING if found else None
        editor.setStyleSheet(EDITOR_STYLE[worst])
        editor.setToolTip("\n".join(f.message for f in found))
        self.status.emit(f"{model.row_label(index.row())} {column.header}：{'；'.join(f.message for f in found)}"
                         if found else "")


def _timer(parent: QObject, ms: int, slot: Callable[[], object]) -> QTimer:
    """A single-shot timer that (re)starts on start() and calls `slot` after `ms`."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer


def _move_of(event: QKeyEvent) -> tuple[int, int] | None:
    """How Enter/Tab (with Shift: back) move the current cell."""
    move = _MOVES.get(Qt.Key(event.key()))
    if move is None:
        return None
    back = event.modifiers() & Qt.KeyboardModifier.ShiftModifier and event.key() != Qt.Key.Key_Backtab
    return (-move[0], -move[1]) if back else move


class FrameTable(QTableView):
    """The grid: Excel's keys (Enter/Tab move, typing replaces, F2, Delete, Ctrl+C/V/Z/Y, Ctrl+Shift+=/Ctrl+-)
    and files dropped on it."""

    file_dropped = Signal(str)
    cell_status = Signal(str)

    def __init__(self, model: FrameModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = model
        self.setModel(model)
        self.delegate = CellDelegate(self)
        self.delegate.status.connect(self.cell_status)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setWordWrap(False)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._highlight = self.palette().color(QPalette.ColorRole.Highlight)
        self._highlighted_text = self.palette().color(QPalette.ColorRole.HighlightedText)
        self._size_sections()

    def _size_sections(self) -> None:
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        rows.hide()
        metrics, columns = self.fontMetrics(), self.horizontalHeader()
        columns.setStretchLastSection(True)
        char = metrics.horizontalAdvance("0") + 1
        for n, column in enumerate(self.model_.columns):
            header = metrics.horizontalAdvance(column.header + "*") + 18
            width = 15 * char if column.key == "mobile" else min(column.width * char * 3 // 4, 200)
            columns.resizeSection(n, max(header, width))

    # -- moving ------------------------------------------------------------------------------------
    def edit(self, index: AnyIndex, trigger: QAbstractItemView.EditTrigger | None = None,  # type: ignore[override]
             event: QEvent | None = None) -> bool:
        if trigger is None:  # the public slot edit(index)
            super().edit(index)
            return True
        started = bool(super().edit(index, trigger, event))  # type: ignore[arg-type]
        editor = self.delegate.editor
        if started and editor is not None and trigger in (QAbstractItemView.EditTrigger.EditKeyPressed,
                                                          QAbstractItemView.EditTrigger.DoubleClicked):
            editor.end(False)  # F2 and double-click keep the text (the view selected it all)
        return started

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """A bare commit (no pre-edit first) on a selected cell: Qt opens the editor but drops the text."""
        index = self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState and event.commitString() \
                and not event.preeditString() and index.isValid() \
                and self.edit(index, QAbstractItemView.EditTrigger.AnyKeyPressed, event) and self.delegate.editor:
            QApplication.sendEvent(self.delegate.editor, event)
            return
        super().inputMethodEvent(event)

    def step(self, rows: int, cols: int) -> None:
        """Move the current cell like Excel; Tab past the last column goes on to the next row."""
        current = self.currentIndex()
        row, col = (current.row(), current.column()) if current.isValid() else (0, 0)
        last_col, last_row = self.model_.columnCount() - 1, self.model_.rowCount() - 1
        col += cols
        if col > last_col:
            row, col = row + 1, 1
        elif col < 1 and cols < 0:
            row, col = row - 1, last_col
        self.go_to(self.model_.index(max(0, min(row + rows, last_row)), max(0, min(col, last_col))))

    def show_state(self, state: str | None) -> None:
        """The selection takes the colour of the current cell's problem, so a selected red cell stays red."""
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Highlight, HIGHLIGHTS.get(state or "", self._highlight))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#000000") if state else self._highlighted_text)
        self.setPalette(palette)

    def go_to(self, index: QModelIndex) -> None:
        """Make `index` the current and only selected cell, scrolled into view."""
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.setFocus()

    # -- keys ----------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._key_action(event)
        if action is not None:
            action()
            event.accept()
            return
        move = _move_of(event)
        if move is not None and event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier == Qt.KeyboardModifier.NoModifier:
            self.step(*move)
            event.accept()
            return
        super().keyPressEvent(event)

    def _key_action(self, event: QKeyEvent) -> Callable[[], object] | None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        key = event.key()
        standard = ((QKeySequence.StandardKey.Copy, self.copy), (QKeySequence.StandardKey.Paste, self.paste),
                    (QKeySequence.StandardKey.Undo, self.model_.stack.undo),
                    (QKeySequence.StandardKey.Redo, self.model_.stack.redo))
        for sequence, action in standard:
            if event.matches(sequence):
                return action
        if ctrl and key == Qt.Key.Key_Y:
            return self.model_.stack.redo
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            return self.insert_above
        if ctrl and key == Qt.Key.Key_Minus:
            return self.delete_rows
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not ctrl:
            return self.clear
        return None

    # -- selection --------------------------------------------------------------------------------
    def block(self) -> tuple[list[int], list[int]]:
        """The rows and columns of the selection's bounding rectangle (the current cell when none)."""
        indexes = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        if not indexes:
            return [], []
        rows, cols = [i.row() for i in indexes], [i.column() for i in indexes]
        return list(range(min(rows), max(rows) + 1)), list(range(min(cols), max(cols) + 1))

    def selected_row_ids(self) -> list[int]:
        rows = {i.row() for i in self.selectedIndexes()} or {self.currentIndex().row()}
        return [r for r in (self.model_.row_id(row) for row in sorted(rows)) if r is not None]

    # -- clipboard and cells ------------------------------------------------------------------------
    def copy(self) -> None:
        rows, cols = self.block()
        if rows:
            QGuiApplication.clipboard().setText(self.model_.copy_block(rows, cols))

    def paste(self) -> None:
        """Paste Excel/WPS text at the current cell; rows past the end are added (one undo step)."""
        text = QGuiApplication.clipboard().text()
        current = self.currentIndex()
        if not text or not current.isValid():
            return
        rows, cols = self.block()
        lines = text.rstrip("\r\n").count("\n") + 1
        if lines == 1 and "\t" not in text.strip("\r\n") and len(rows) * len(cols) > 1:  # one value fills the selection
            text = to_tsv([[parse_tsv(text)[0][0]] * len(cols)] * len(rows))
            current = self.model_.index(rows[0], cols[0])
        model, row, col = self.model_, current.row(), max(current.column(), 0)
        model.stack.push(undo.Edit(model, f"粘贴{lines}行", label="正在粘贴…", cancellable=True, size=lines,
                                   plan=lambda: model.paste_plan(text, row, col)))

    def clear(self) -> None:
        """Delete: empty the selected cells (one undo step)."""
        model = self.model_
        changes = [(row_id, key, "") for i in (self.selectedIndexes() or [self.currentIndex()]) if i.isValid()
                   and (row_id := model.row_id(i.row())) is not None and (key := model.keys[i.column()]) != "serial"]
        if changes:
            model.stack.push(undo.Edit(model, "清除内容", changes))

    def insert_above(self) -> None:
        self._insert(below=False)

    def insert_below(self) -> None:
        self._insert(below=True)

    def _insert(self, below: bool) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()} or {self.currentIndex().row()})
        ids = [r for r in (self.model_.row_id(row) for row in rows) if r is not None]
        if not ids:
            index = len(self.model_.all_ids)
        else:
            index = self.model_.serial(ids[-1] if below else ids[0]) - (0 if below else 1)
        self.model_.stack.push(undo.InsertRows(self.model_, index, max(len(ids), 1)))

    def delete_rows(self) -> None:
        ids = self.selected_row_ids()
        if ids:
            self.model_.stack.push(undo.DeleteRows(self.model_, ids))

    def add_edit_actions(self, menu: QMenu) -> None:
        for text, slot, keys in (("复制", self.copy, "Ctrl+C"), ("粘贴", self.paste, "Ctrl+V"),
                                 ("清除内容", self.clear, "Delete"), (None, None, None),
                                 ("在上方插入行", self.insert_above, "Ctrl+Shift+="),
                                 ("在下方插入行", self.insert_below, ""), ("删除行", self.delete_rows, "Ctrl+-")):
            if text is None:
                menu.addSeparator()
                continue
            action = menu.addAction(f"{text}\t{keys}" if keys else text)
            action.triggered.connect(slot)

    # -- files dropped on the grid --------------------------------------------------------------------
    def _dropped_file(self, event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> str | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return next((p for p in paths if p.lower().endswith(DROPPABLE)), None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        event.acceptProposedAction() if self._dropped_file(event) else event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction() if self._dropped_file(event) else event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, self, lambda: self.file_dropped.emit(path))


class FindBar(QWidget):
    """Ctrl+F: find text in any column; Enter or 下一个 goes on, 上一个 goes back, Esc closes."""

    def __init__(self, table: FrameTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("查找姓名、单位、电话……")
        self.edit.returnPressed.connect(lambda: self.search(True))
        self.result = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("查找："))
        layout.addWidget(self.edit, 1)
        for text, slot in (("上一个", lambda: self.search(False)), ("下一个", lambda: self.search(True)),
                           ("关闭", self.hide)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(self.result)
        self.hide()

    def start(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def search(self, forward: bool = True) -> bool:
        needle = self.edit.text().strip()
        if not needle:
            return False
        current = self.table.currentIndex()
        row, col = (current.row(), current.column()) if current.isValid() else (-1 if forward else 0, -1)
        found = self.table.model_.find(needle, max(row, 0), col if row >= 0 else -1, forward)
        self.result.setText("" if found else f"没有找到“{needle}”")
        if found:
            self.table.go_to(self.table.model_.index(*found))
            self.edit.setFocus()
        return found is not None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.table.setFocus()
        else:
            super().keyPressEvent(event)


class FrameEditor(QWidget):
    """One frame's page: header with counts, toolbar, find bar, the grid, and problems/coverage beside it."""

    changed = Signal()  # after any edit (the window refreshes step status and “已自动保存”)
    status = Signal(str)  # the message of the current cell, for the window's status line
    open_row = Signal(int, int)  # a duplicate in another frame: frame id, row id

    def __init__(self, ws: Workspace, frame_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.frame_id = ws, frame_id
        self.undo_stack = QUndoStack(self)
        self.model = FrameModel(ws, frame_id, self.undo_stack, self)
        self.model.dialog_parent = self
        self.table = FrameTable(self.model, self)
        self.header = FrameHeader(ws, frame_id)
        self.problems = ProblemsPanel(self.model)
        self.coverage = CoverageView(ws, frame_id) if self._has_coverage() else None
        self.find_bar = FindBar(self.table)
        self.filter_box = QCheckBox("只看有问题的行")
        self.cell_line = QLabel()
        self.import_dialog: import_dialog.ImportDialog | None = None
        self._actions()
        self._layout()
        self._wire()
        self._same_when_inactive()
        self.refresh()

    def _same_when_inactive(self) -> None:
        """Look the same while a dialog is in front, so a progress dialog costs the grid no repaint."""
        palette = self.palette()
        for role in QPalette.ColorRole:
            if role != QPalette.ColorRole.NColorRoles:
                palette.setColor(QPalette.ColorGroup.Inactive, role, palette.color(QPalette.ColorGroup.Active, role))
        self.setPalette(palette)

    def commit_pending(self) -> None:
        """Store the text of a cell still being edited (the window calls this before closing)."""
        editor = self.table.delegate.editor
        if editor is not None:
            self.table.delegate.commitData.emit(editor)
            self.table.delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _has_coverage(self) -> bool:
        frame = self.ws.engine.frames[self.frame_id]
        return frame.form.role is Role.SYSTEM and frame.coverage

    # -- building ----------------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _actions(self) -> None:
        self.import_action = self._action("导入表格…", self.choose_import)
        self.import_action.setToolTip("从Excel、WPS或CSV表格导入人员名单（也可以把文件拖到表格上）")
        self.export_action = self._action("导出本表…", self.export)
        self.export_action.setToolTip("把本抽样框导出为报送用的Excel文件")
        self.undo_action = self.undo_stack.createUndoAction(self, "撤销")
        self.redo_action = self.undo_stack.createRedoAction(self, "重做")
        self.find_action = self._action("查找…", self.find_bar.start, QKeySequence.StandardKey.Find)
        self.next_problem_action = self._action("下一个问题", self.next_problem, QKeySequence(Qt.Key.Key_F8))

    def _layout(self) -> None:
        tools = QHBoxLayout()
        for action in (self.import_action, self.export_action, None, self.undo_action, self.redo_action, None,
                       self.find_action, self.next_problem_action):
            if action is None:
                tools.addSpacing(12)
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            tools.addWidget(button)
        tools.addSpacing(12)
        tools.addWidget(self.filter_box)
        tools.addStretch(1)
        side = QTabWidget()
        side.addTab(self.problems, "问题列表")
        if self.coverage is not None:
            side.addTab(self.coverage, "市县覆盖")
        self.side = side
        split = QSplitter(Qt.Orientation.Vertical)  # the grid keeps the whole width for its nine columns
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([480, 230])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addLayout(tools)
        layout.addWidget(self.find_bar)
        layout.addWidget(split, 1)
        self.cell_line.setMinimumHeight(self.fontMetrics().height() + 4)
        layout.addWidget(self.cell_line)

    def _wire(self) -> None:
        self._refresh_timer = _timer(self, REFRESH_MS, self.refresh)
        self._changed_timer = _timer(self, 0, self.changed.emit)
        self.model.edited.connect(self._edited)
        self.model.failed.connect(lambda message: QMessageBox.warning(self, "操作没有完成", message))
        self.filter_box.toggled.connect(self.model.set_problem_filter)
        self.problems.jump.connect(self.show_cell)
        self.problems.open_row.connect(self.open_row)
        self.table.file_dropped.connect(self.open_import)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.cell_status.connect(self._show_status)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._current_status())

    # -- refreshing ------------------------------------------------------------------------------
    def _edited(self) -> None:
        self._changed_timer.start()
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Counts, progress, problems and coverage, from the engine's counters."""
        if worker.busy():
            self._refresh_timer.start()
            return
        self.header.refresh()
        self.problems.refresh()
        if self.coverage is not None:
            self.coverage.refresh()
        errors, warnings = self.ws.engine.counts(self.frame_id)
        self.side.setTabText(0, f"问题列表（{errors + warnings}）")
        self._current_status()

    def _show_status(self, text: str) -> None:
        self.cell_line.setText(text)
        self.status.emit(text)

    def _current_status(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or worker.busy():
            return
        mark = self.model.marks(index.row(), self.model.keys[index.column()])
        self.table.show_state(mark.state if mark else None)
        where = f"{self.model.row_label(index.row())} {self.model.columns[index.column()].header}"
        self._show_status(f"{where}：{'；'.join(mark.messages)}" if mark else "")

    # -- jumping ---------------------------------------------------------------------------------
    def show_cell(self, row_id: int, key: str = "name") -> bool:
        """Select the cell of row `row_id`, column `key`, and scroll to it (the filter is lifted if needed)."""
        if self.model.position(row_id) is None and self.model.filtered:
            self.filter_box.setChecked(False)
        row = self.model.position(row_id)
        if row is None:
            return False
        index = self.model.index(row, self.model.keys.index(key) if key in self.model.keys else 1)
        self.table.go_to(index)
        return True

    def next_problem(self) -> None:
        """F8: the next finding after the current cell, in the order of the problems list."""
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self.refresh()
        index = self.table.currentIndex()
        row_id = self.model.row_id(index.row()) if index.isValid() else None
        position = self.model.serial(row_id) - 1 if row_id is not None else -1
        entry = self.problems.model.next_after(position, index.column() if index.isValid() else -1)
        if entry is None:
            self._show_status("本表没有需要处理的问题。")
            return
        self.problems.activate(entry)
        self.problems.view.scrollTo(self.problems.model.index(entry, 0))

    # -- import and export -----------------------------------------------------------------------
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的表格", str(Path.home()),
                                              "表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)")
        if path:
            self.open_import(path)

    def open_import(self, path: str) -> None:
        """Read `path` off the GUI thread and show the import preview (window-modal, not blocking)."""
        dialog = import_dialog.prepare(self.model, path, self)
        if dialog is None:
            return
        self.import_dialog = dialog
        dialog.accepted.connect(lambda: self._import_rows(dialog))
        dialog.open()

    def _import_rows(self, dialog: import_dialog.ImportDialog) -> None:
        raws = dialog.raws()
        if raws:
            name = Path(dialog.path).name
            self.undo_stack.push(undo.Edit(self.model, f"导入{len(raws)}行（{name}）", raws=raws,
                                           label=f"正在导入“{name}”…", cancellable=True))

    def export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择导出到哪个文件夹", str(Path.home()))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write the frame's .xlsx into `folder` off the GUI thread; say where it went or what went wrong."""
        ws, frame = self.ws, self.ws.frame(self.frame_id)
        total = max(ws.engine.row_count(self.frame_id), 1)

        def work(progress: worker.Progress) -> object:
            try:
                return deliver.export_frame(ws, frame, folder, progress=lambda done: progress(done, total))
            except excel_out.ExportCancelled:
                raise worker.Cancelled() from None

        outcome = worker.run_modal(self, f"正在导出{frame.label}…", work)
        if outcome.error is not None:
            QMessageBox.warning(self, "导出没有完成", worker.error_message(outcome.error))
        elif outcome.ok:
            done = outcome.value
            note = f"\n还有{done.errors}处错误，文件名中标有“_未完成”，改正后请重新导出。" if done.errors else ""
            QMessageBox.information(self, "导出完成", f"已导出{done.rows}人到：\n{done.path}{note}")

    # -- context menu ------------------------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = QMenu(self)
        self.table.add_edit_actions(menu)
        row_id = self.model.row_id(index.row()) if index.isValid() else None
        if row_id is not None:
            problems.add_row_actions(menu, self.model, row_id, self.model.keys[index.column()], self)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def set_override(self, row_id: int, nanning: bool | None) -> None:
        problems.set_override(self.model, row_id, nanning)

    def accept_warning(self, row_id: int, code: str) -> bool:
        """Ask for the reason a warning does not apply, and keep it (shown in exports)."""
        return problems.accept_warning(self.model, row_id, code, self)
