"""The frame editor: an Excel-like grid over one sampling frame, with its problems, counts and coverage.

Embed with `FrameEditor(ws, frame_id)`; connect `changed` (after any edit), `status(str)` (the message of
the current cell) and `open_row(frame_id, row_id)` (a duplicate in another frame); put `import_action`,
`export_action` and `undo_stack` in the window's menus. While `gui.worker.busy()` a background job owns
the workspace: the window must not touch it then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forms.notice.attachments import Role
from forms.sheets import excel_out
from forms.store.workspace import Workspace
from forms.tasks import deliver
from gui import habits, import_dialog, import_modes, problems, worker
from gui.coverage import CoverageView, FrameHeader
from gui.frame_grid import FindBar, FrameTable, single_shot
from gui.frame_model import FrameModel
from gui.grid_actions import GridActions
from gui.problems import ProblemsPanel

REFRESH_MS = 200
PLAIN_EXPORT_WARNING = ("导出的Excel文件没有加密，里面有{rows}人的姓名、单位和电话，属于保密的个人信息。\n"
                        "请只存放在本机，核对后及时删除，不要通过邮件、微信或U盘传出；"
                        "向考评办报送请用“打包加密发送”生成加密压缩包。\n\n仍要导出吗？")  # panels and counts follow edits after this pause


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
        habits.size_columns(self.table, self.model.form.number, self.model.keys.index("unit"))
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
        self.undo_action = self._stack_action("撤销", self.undo_stack.undo, self.undo_stack.canUndoChanged,
                                              self.undo_stack.undoTextChanged)
        self.redo_action = self._stack_action("重做", self.undo_stack.redo, self.undo_stack.canRedoChanged,
                                              self.undo_stack.redoTextChanged)
        self.find_action = self._action("查找…", self.find_bar.start, QKeySequence.StandardKey.Find)
        self.next_problem_action = self._action("下一个问题", self.next_problem, QKeySequence(Qt.Key.Key_F8))
        self.grid_actions = GridActions(self.table, self, self.find_action, self.next_problem_action)
        self.grid_actions.find_needle = lambda: self.find_bar.edit.text().strip()
        self.edit_actions = self.grid_actions.menu_actions()  # the window's 编辑 menu lists them

    def _stack_action(self, text: str, slot: Callable[[], object], can: SignalInstance,
                      said: SignalInstance) -> QAction:
        """撤销/重做 with a fixed label (the toolbar does not jump as the step's name changes); the step is
        named in the tooltip."""
        action = self._action(text, slot)
        action.setEnabled(False)
        can.connect(action.setEnabled)
        said.connect(lambda step: action.setToolTip(f"{text}：{step}" if step else text))
        return action

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
        split.setSizes([380, 340])  # the problem list shows ten lines, the coverage tree a whole city and more
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addLayout(tools)
        layout.addWidget(self.find_bar)
        layout.addWidget(split, 1)
        self.cell_line.setMinimumHeight(self.fontMetrics().height() + 4)
        layout.addWidget(self.cell_line)

    def _wire(self) -> None:
        self._refresh_timer = single_shot(self, REFRESH_MS, self.refresh)
        self._changed_timer = single_shot(self, 0, self.changed.emit)
        self.model.edited.connect(self._edited)
        self.model.failed.connect(lambda message: QMessageBox.warning(self, "操作没有完成", message))
        self.filter_box.toggled.connect(self.model.set_problem_filter)
        self.problems.jump.connect(self.show_cell)
        self.problems.open_row.connect(self.open_row)
        self.problems.agreed_changed.connect(self._agreed_changed)
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
        self.header.refresh(self.model.accepted)
        self.problems.refresh()
        if self.coverage is not None:
            self.coverage.refresh()
        errors, warnings = self.ws.engine.counts(self.frame_id)
        self.side.setTabText(0, f"问题列表（{errors + warnings}）")
        self._current_status()

    def _agreed_changed(self) -> None:
        self.refresh()
        self.changed.emit()  # the guide's status and the pack page follow

    def _show_status(self, text: str) -> None:
        """The whole text goes in the line under the grid; the window's status bar gets only where and how many,
        so one problem is not written out three times."""
        self.cell_line.setText(text)
        where, found, messages = text.partition("：")
        count = messages.count("；") + 1
        self.status.emit(f"{where}：{count}处问题，详见表格下方" if found else text)

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
        path = habits.open_file(self, "选择要导入的表格", "表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)")
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
            self.undo_stack.push(import_modes.command(self.model, dialog.mode(), raws, Path(dialog.path).name))

    def export(self) -> None:
        """导出本表: the clerk is told first that the file is not encrypted (personal data outside the archive)."""
        rows = self.ws.engine.row_count(self.frame_id)
        if rows and QMessageBox.warning(self, "导出的文件没有加密", PLAIN_EXPORT_WARNING.format(rows=rows),
                                        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
                                        QMessageBox.StandardButton.Cancel) != QMessageBox.StandardButton.Ok:
            return
        folder = habits.existing_folder(self, "选择导出到哪个文件夹")
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write the frame's .xlsx into `folder` off the GUI thread; say where it went or what went wrong."""
        ws, frame = self.ws, self.ws.frame(self.frame_id)
        total = max(ws.engine.row_count(self.frame_id), 1)

        def work(progress: worker.Progress) -> object:
            try:
                return deliver.export_frame_owned(ws, frame, folder, progress=lambda done: progress(done, total))
            except excel_out.ExportCancelled:
                raise worker.Cancelled() from None

        outcome = worker.run_modal(self, f"正在导出{frame.label}…", work)
        if outcome.error is not None:
            QMessageBox.warning(self, "导出没有完成", worker.error_message(outcome.error))
        elif outcome.ok:
            done, settled = outcome.value
            note = f"\n还有{done.errors}处错误，文件名中标有“_未完成”，改正后请重新导出。" if done.errors else ""
            lines = "".join(f"\n{line}" for line in settled.lines())
            message = f"已导出{done.rows}人到：\n{done.path}{note}{lines}"
            QMessageBox.information(self, "导出完成", message)

    # -- context menu ------------------------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = QMenu(self)
        self.table.add_edit_actions(menu)
        self.grid_actions.add_fill_actions(menu)
        row_id = self.model.row_id(index.row()) if index.isValid() else None
        if row_id is not None:
            problems.add_row_actions(menu, self.model, row_id, self.model.keys[index.column()], self)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def set_override(self, row_id: int, nanning: bool | None) -> None:
        problems.set_override(self.model, row_id, nanning)

    def accept_warning(self, row_id: int, code: str) -> bool:
        """Ask for the reason a warning does not apply, and keep it (shown in exports)."""
        return problems.accept_warning(self.model, row_id, code, self)
