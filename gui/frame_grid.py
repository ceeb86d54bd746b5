"""The frame editor's grid: an Excel-like table view, its cell editor and its find bar.

`FrameTable` takes Excel's keys, the clipboard (as tab-separated text, see gui.clipboard) and files
dropped on it; `CellDelegate` checks the text being typed after a pause; `FindBar` is Ctrl+F.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from forms.base.findings import Severity
from forms.sheets import excel_in
from gui import clipboard, undo, worker
from gui.frame_model import FrameModel

HIGHLIGHTS = {"error": QColor("#e57373"), "warning": QColor("#f0c14b"), "accepted": QColor("#bdbdbd")}
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
        self.timer = single_shot(self, CHECK_MS, self.check)

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


def single_shot(parent: QObject, ms: int, slot: Callable[[], object]) -> QTimer:
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
        if clipboard.is_blank(text):  # an empty cell copied in Excel: pasting it empties the selection
            self.clear()
            return
        rows, cols = self.block()
        lines = clipboard.line_count(text)
        if lines > clipboard.MAX_PASTE_ROWS:
            QMessageBox.warning(self, "粘贴", clipboard.too_many_rows(lines))
            return
        filled = clipboard.fill_selection(text, len(rows), len(cols))
        if filled is not None:  # one value fills the selection
            text, current = filled, self.model_.index(rows[0], cols[0])
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
