"""The main window: the start screen, or a workspace shown as the guide beside the page of its step.

A workspace is opened off the GUI thread (its engine checks every row as it loads), so the window
is up at once and stays responsive. There is no Save button: pages save after a pause in typing, on
focus-out and on close, and the title says when the last save happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from forms.base.paths import app_dirs
from gui import habits, style
from gui.settings import AppSettings, dispose
from gui.start import WORKSPACE_SUFFIX, Opener, StartScreen, dropped_workspace
from gui.workspace_view import DEFAULT_SIZE, WorkspaceView

if TYPE_CHECKING:
    from forms.store.workspace import Workspace
    from gui.intake import IntakePage

APP_TITLE = "报送助手"
KEYS_HELP = ("F6 / Shift+F6：在步骤列表、表格、问题列表、问题详情之间切换\n"
             "Ctrl+PgDn / Ctrl+PgUp：下一个 / 上一个步骤\n"
             "Tab / Shift+Tab：下一个 / 上一个控件；在表格中为下一个 / 上一个单元格\n"
             "Ctrl+Tab / Ctrl+Shift+Tab：离开表格，到下一个 / 上一个控件；在文本框中输入制表符\n"
             "回车或空格：在问题列表中转到该单元格；F8：下一个问题\n"
             "Ctrl+I 导入表格，Ctrl+E 导出本表，Ctrl+F 查找，Ctrl+P 打印本页文档\n"
             "Ctrl+B 显示或隐藏步骤栏，Ctrl+W 关闭工作区，Ctrl+Q 退出\n"
             "Alt+带下划线的字母：按下对应的按钮")


def add_menu(parent: QMenuBar | QMenu, title: str) -> QMenu:
    """A menu made on the Python side: a QMenu that QMenuBar.addMenu(str) makes in C++ was seen to lose its
    wrapper's object in the test suite (“already deleted” on closing the window)."""
    menu = QMenu(title, parent)
    parent.addMenu(menu)
    return menu


def add_action(menu: QMenu, text: str, slot: Callable[[], object], keys: str | Qt.Key = "") -> QAction:
    """A menu entry with its shortcut spelt out (a StandardKey such as Quit is empty on Windows)."""
    action = QAction(text, menu)
    action.triggered.connect(slot)
    if keys:
        action.setShortcut(QKeySequence(keys))
    menu.addAction(action)
    return action


def fit_to_screen(window: QWidget, margin: int = 24) -> None:
    """Keep the window inside its screen's free area: at 150 % text the default size is larger than it."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    width = min(window.width(), free.width() - margin)
    height = min(window.height(), free.height() - margin)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    if not free.contains(frame):
        window.move(max(free.left(), min(frame.left(), free.right() - frame.width())),
                    max(free.top(), min(frame.top(), free.bottom() - frame.height())))


class MainWindow(QMainWindow):
    """报送助手's one window."""

    workspace_opened = Signal(object)
    open_failed = Signal(str)

    def __init__(self, settings: AppSettings, today: dt.date | None = None, save_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        habits.use(settings)  # column widths and the dialogs' last folder
        self.today: Callable[[], dt.date] = (lambda: today) if today else dt.date.today
        self.save_dir = save_dir or app_dirs().workspaces  # Documents\报送助手, which the installer keeps
        self.ws: Workspace | None = None
        self.view: WorkspaceView | None = None
        self.saved_at: dt.datetime | None = None
        self.undo_group = QUndoGroup(self)
        self.opener = Opener(self)
        self.opener.done.connect(self._opened)
        self.opener.failed.connect(self._open_failed)
        self.start = StartScreen()
        self.start.open_requested.connect(self.open_path)
        self.start.browse_requested.connect(self.choose_file)
        self.start.new_requested.connect(self.new_department)
        self.start.intake_requested.connect(self.show_intake)
        self.intake: IntakePage | None = None
        self.loading = QLabel()
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.loading)
        self.setCentralWidget(self.stack)
        self.setAcceptDrops(True)
        self._build_menus()
        self._restore_geometry()
        self._show_start()

    # -- menus -------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """The menus, every shortcut spelt out: a StandardKey such as Quit is empty on Windows."""
        bar = self.menuBar()
        file_menu = add_menu(bar, "文件(&F)")
        add_action(file_menu, "新建部门(&N)…", self.new_department, "Ctrl+N")
        add_action(file_menu, "打开(&O)…", self.choose_file, "Ctrl+O")
        self.recent_menu = add_menu(file_menu, "最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.close_action = add_action(file_menu, "关闭工作区(&C)", self.close_workspace, "Ctrl+W")
        self.backup_action = add_action(file_menu, "备份工作区(&K)…", self.backup_workspace)
        file_menu.addSeparator()
        self.print_action = add_action(file_menu, "打印本页文档(&P)…", self.print_page, "Ctrl+P")
        self.print_action.setEnabled(False)
        self.preview_menu = add_menu(file_menu, "打印预览(&V)")
        self.preview_menu.aboutToShow.connect(partial(self._fill_documents_menu, self.preview_menu, False))
        self.word_menu = add_menu(file_menu, "用Word/WPS打开(&W)")
        self.word_menu.aboutToShow.connect(partial(self._fill_documents_menu, self.word_menu, True))
        file_menu.addSeparator()
        self.quit_action = add_action(file_menu, "退出(&X)", self.close, "Ctrl+Q")
        edit_menu = add_menu(bar, "编辑(&E)")
        self.undo_action = self.undo_group.createUndoAction(self, "撤销(&U)")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, "重做(&R)")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.edit_menu = edit_menu
        self.page_edit_actions: list[QAction] = []
        view_menu = add_menu(bar, "视图(&V)")
        self.sidebar_action = add_action(view_menu, "显示步骤栏(&B)", self.toggle_sidebar, "Ctrl+B")
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setChecked(True)
        self.frame_menu = add_menu(bar, "抽样框(&S)")
        self.frame_menu.menuAction().setVisible(False)
        help_menu = add_menu(bar, "帮助(&H)")
        add_action(help_menu, "键盘操作(&K)", self._keys_help, Qt.Key.Key_F1)
        help_menu.addAction("关于报送助手(&A)", self._about)

    def backup_workspace(self) -> None:
        from gui.backup import backup_workspace

        if self.ws is not None and self.view is not None and self.view.flush_all():
            backup_workspace(self, self.ws)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent():
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(partial(self.open_path, path))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("（无）").setEnabled(False)

    def _fill_documents_menu(self, menu: QMenu, word: bool) -> None:
        from gui import preview  # QtPrintSupport only once a menu is opened

        preview.fill_menu(menu, self, word)

    def _about(self) -> None:
        QMessageBox.about(self, "关于报送助手", "<b>报送助手</b><p>帮助自治区直属机关社会评价联络员准备抽样框、评议问卷、"
                          "情况表、报告和领导评价表，逐项检查，按要求生成报送文件。</p><p>全部数据只保存在本机的工作区文件中。</p>")

    def set_edit_actions(self, actions: list[QAction | None]) -> None:
        """The current page's grid actions with their keys under 撤销/重做 (None: a separator)."""
        for action in self.page_edit_actions:
            if shiboken6.isValid(action):  # a page already disposed took its actions with it
                self.edit_menu.removeAction(action)
        self.page_edit_actions = []
        for action in [None, *actions] if actions else []:
            if action is None:
                self.page_edit_actions.append(self.edit_menu.addSeparator())
            else:
                self.edit_menu.addAction(action)
                self.page_edit_actions.append(action)

    def _keys_help(self) -> None:
        QMessageBox.information(self, "键盘操作", KEYS_HELP)

    def toggle_sidebar(self) -> None:
        """Hide or show the step list (Ctrl+B), for the page to have the whole width at a large text size."""
        if self.view is not None:
            self.view.guide.setVisible(not self.view.guide.isVisible())
            self.sidebar_action.setChecked(self.view.guide.isVisible())

    def print_page(self) -> None:
        """Ctrl+P: the print dialog for the document of the page shown (its 打印… button)."""
        page = self.view.current_page() if self.view else None
        buttons = getattr(page, "document_buttons", None)
        if buttons is not None:
            buttons.print_()

    def set_page_actions(self, actions: list[QAction]) -> None:
        """The current page's own actions (a frame's import/export) in the 抽样框 menu."""
        self.frame_menu.clear()
        for action in actions:
            self.frame_menu.addAction(action)
        self.frame_menu.menuAction().setVisible(bool(actions))

    # -- title and geometry ------------------------------------------------------------------------
    def update_title(self) -> None:
        parts = [APP_TITLE]
        if self.ws is not None:
            parts.append(self.ws.profile.department)
            if self.saved_at is not None:
                parts.append(f"已自动保存 {self.saved_at:%H:%M:%S}")
        self.setWindowTitle(" — ".join(parts))

    def mark_saved(self) -> None:
        self.saved_at = dt.datetime.now()
        self.update_title()

    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        fit_to_screen(self)

    # -- start screen, opening, creating ----------------------------------------------------------
    def _show_start(self) -> None:
        self.start.show_recent(self.settings.recent())
        self.stack.setCurrentWidget(self.start)
        self.close_action.setEnabled(False)
        self.backup_action.setEnabled(False)
        self.update_title()

    def show_intake(self) -> IntakePage:
        """The office's side (考评办收件), made when first asked for."""
        if self.intake is None:
            from gui.intake import IntakePage

            self.intake = IntakePage()
            self.intake.back_requested.connect(self._show_start)
            self.stack.addWidget(self.intake)
        self.stack.setCurrentWidget(self.intake)
        self.setWindowTitle("考评办收件 — 报送助手")
        return self.intake

    def choose_file(self) -> None:
        start = self.save_dir if self.save_dir.is_dir() else Path.home()  # look, create nothing
        path, _ = QFileDialog.getOpenFileName(self, "打开工作区", str(start), "报送助手工作区 (*.baosong)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Open a workspace file in the background; the window shows it when it is ready."""
        target = Path(path)
        if target.suffix.lower() != WORKSPACE_SUFFIX:
            self._refuse(f"“{target.name}”不是报送助手的工作区文件。请选择扩展名为 .baosong 的文件；"
                         "Excel 抽样框请在打开工作区后，在抽样框步骤中导入。")
            return
        if self.ws is not None and Path(self.ws.path).resolve() == target.resolve():
            return
        if not self.close_workspace():
            return
        self.loading.setText(f"正在打开“{target.name}”……")
        self.stack.setCurrentWidget(self.loading)
        self.opener.start(target)

    def _refuse(self, message: str) -> None:
        style.warn(self, "无法打开工作区", message)
        self.open_failed.emit(message)

    def _open_failed(self, path: str, message: str) -> None:
        if not Path(path).exists():
            self.settings.remove_recent(path)
        self._show_start()
        self._refuse(message)

    def _opened(self, ws: Workspace) -> None:
        if self.ws is not None:  # something else was opened meanwhile
            ws.close()
            return
        self.show_workspace(ws)

    def show_workspace(self, ws: Workspace) -> None:
        """Show an open workspace: the guide, and the step the clerk was last on."""
        self.ws, self.saved_at = ws, None
        self.view = WorkspaceView(ws, self.today)
        self.view.saved.connect(self.mark_saved)
        self.view.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.view.page_changed.connect(self._page_changed)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.close_action.setEnabled(True)
        self.backup_action.setEnabled(True)
        self.settings.add_recent(ws.path)
        self.update_title()
        if not self.view.select(self.settings.last_step(ws.path)):
            self.view.select_first()
        self.view.focus_start()
        self.workspace_opened.emit(ws)

    def _page_changed(self, key: str) -> None:
        page = self.view.current_page() if self.view else None
        stack = page.undo_stack if page else None
        if stack is not None and stack not in self.undo_group.stacks():
            self.undo_group.addStack(stack)
        self.undo_group.setActiveStack(stack)  # type: ignore[arg-type]  # None: no page stack
        self.set_page_actions(list(getattr(page, "actions_for_menu", [])))
        self.set_edit_actions(list(getattr(page, "edit_actions", [])))
        self.print_action.setEnabled(getattr(page, "document_buttons", None) is not None)
        if self.ws is not None and key:
            self.settings.set_last_step(self.ws.path, key)

    def close_workspace(self) -> bool:
        """Save what is pending and close the workspace; False when saving failed (it stays open)."""
        if self.ws is None or self.view is None:
            return True
        if not self.view.flush_all():
            return False
        self.settings.set_last_step(self.ws.path, self.view.current_key())
        for stack in self.undo_group.stacks():
            self.undo_group.removeStack(stack)
        self.set_page_actions([])
        self.set_edit_actions([])
        self.print_action.setEnabled(False)
        dispose(self.stack, self.view)
        self.ws.close()
        self.ws, self.view, self.saved_at = None, None, None
        self._show_start()
        return True

    def new_department(self) -> None:
        from forms.notice import campaign
        from gui.wizard import NewDepartmentWizard

        if not self.close_workspace():
            return
        wizard = NewDepartmentWizard(campaign.load(), self.save_dir, self)  # the folder is made only if chosen
        if wizard.exec() and wizard.workspace is not None:
            self.show_workspace(wizard.workspace)

    # -- drag and drop, closing --------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_workspace(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_workspace(event)
        if path:
            event.acceptProposedAction()
            self.open_path(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_workspace():
            event.ignore()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        event.accept()
