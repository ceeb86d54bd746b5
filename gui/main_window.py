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
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from forms.base.paths import app_dirs
from gui import habits, style
from gui.settings import AppSettings, Debounce, Page, dispose, workspace_busy
from gui.start import WORKSPACE_SUFFIX, Opener, StartScreen, dropped_workspace

if TYPE_CHECKING:
    from forms.store.workspace import Workspace
    from gui.intake import IntakePage

APP_TITLE = "报送助手"
DEFAULT_SIZE = (1280, 800)
PRINTED_STEPS = ("analysis", "contacts", "report:rectification", "report:performance")  # and questionnaires


def make_page(ws: Workspace, key: str, today: Callable[[], dt.date]) -> Page:
    """The page of a step, its module imported only when the step is first shown."""
    from gui import guide

    kind, _, number = key.partition(":")
    if kind == "frame":
        return guide.frame_page(ws, int(number))
    if kind == "questionnaire":
        from gui.questionnaire import QuestionnairePage
        return QuestionnairePage(ws, int(number))
    if kind == "report":
        from gui.reports import ReportPage
        return ReportPage(ws, key)
    if key == "contacts":
        from gui.contacts import ContactsPage
        return ContactsPage(ws)
    if key == "publicity":
        from gui.checklist import PublicityPage
        return PublicityPage(ws, today)
    if key == "analysis":
        from gui.analysis import AnalysisPage
        return AnalysisPage(ws)
    if key == "bundle":
        from gui.bundle_page import BundlePage
        return BundlePage(ws, today)
    return guide.items_page(ws)


class WorkspaceView(QWidget):
    """An open workspace: the guide on the left, the current step's page on the right."""

    saved = Signal()  # a page wrote to the workspace
    status = Signal(str)
    page_changed = Signal(str)  # the key of the step now shown

    def __init__(self, ws: Workspace, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        from gui.guide import GuidePanel

        super().__init__(parent)
        self.ws, self.today = ws, today
        self.guide = GuidePanel()
        self.guide.step_selected.connect(self.show_step)
        self.guide.add_item.connect(self.add_item)
        self.guide.rename_item.connect(self.rename_item)
        self.guide.remove_item.connect(self.remove_item)
        self.pages = QStackedWidget()
        self._pages: dict[str, Page] = {}
        splitter = QSplitter()
        splitter.addWidget(self.guide)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 940])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._refresh_later = Debounce(self, 300, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Statuses and days left again, from the workspace as it is now."""
        from forms.tasks import steps

        if workspace_busy():
            self._refresh_later.start()
            return
        today = self.today()
        hot = {f"frame:{f.id}" for f in self.ws.hot_frames()}
        self.guide.show_plan(steps.plan(self.ws, today), today, steps.deadline_text(self.ws.campaign, today), hot)

    # -- steps and their pages -----------------------------------------------------------------------
    def select(self, key: str) -> bool:
        return bool(key) and self.guide.select(key)

    def select_first(self) -> None:
        self.guide.select(self.guide.keys()[0])

    def current_key(self) -> str:
        return self.guide.current_key()

    def current_page(self) -> Page | None:
        page = self.pages.currentWidget()
        return page if isinstance(page, Page) else None

    def page(self, key: str) -> Page:
        if key not in self._pages:
            page = make_page(self.ws, key, self.today)
            page.saved.connect(self._page_saved)
            page.status.connect(self.status)
            if hasattr(page, "add_item"):
                page.add_item.connect(self.add_item)
            if hasattr(page, "open_row"):
                page.open_row.connect(self.open_row)
            if hasattr(page, "open_step"):
                page.open_step.connect(self.select)
            if key in PRINTED_STEPS or key.startswith("questionnaire:"):
                from gui import preview  # QtPrintSupport and the document layout, for a page that prints
                preview.attach(page, self.ws, key)  # 打印预览 / 打印 / 用Word/WPS打开
            self._pages[key] = page
            self.pages.addWidget(page)
        return self._pages[key]

    def show_step(self, key: str) -> None:
        current = self.current_page()
        if current is not None:
            current.flush()
        self.pages.setCurrentWidget(self.page(key))
        self.page_changed.emit(key)

    def open_row(self, frame_id: int, row_id: int) -> None:
        """Show a row of another frame (a duplicate the problems panel links to)."""
        if self.select(f"frame:{frame_id}"):
            show_cell = getattr(getattr(self.current_page(), "editor", None), "show_cell", None)
            if callable(show_cell):
                show_cell(row_id)

    def flush_all(self) -> bool:
        return all([page.flush() for page in self._pages.values()])

    def _page_saved(self) -> None:
        self.saved.emit()
        self._refresh_later.start()

    def _drop_pages(self, frame_id: int) -> None:
        for key in (f"frame:{frame_id}", f"questionnaire:{frame_id}", "items"):
            page = self._pages.pop(key, None)
            if page is not None:
                page.flush()
                dispose(self.pages, page, later=True)

    # -- work items ----------------------------------------------------------------------------------
    def add_item(self) -> None:
        from gui import guide

        frame_id = guide.add_item(self, self.ws)
        if frame_id is not None:
            self._drop_pages(0)
            self._pages_changed(f"frame:{frame_id}")

    def rename_item(self, frame_id: int) -> None:
        from gui import guide

        key = self.current_key()
        name = guide.ask_new_name(self, self.ws, frame_id)
        if name:
            self._drop_pages(frame_id)
            self.ws.rename_item(frame_id, name)
            self._pages_changed(key)

    def remove_item(self, frame_id: int) -> None:
        from gui import guide

        if guide.confirm_remove(self, self.ws, frame_id):
            self._drop_pages(frame_id)
            guide.remove_item(self.ws, frame_id)
            self._pages_changed("")

    def _pages_changed(self, select: str) -> None:
        self.refresh()
        self.saved.emit()
        if not self.select(select):
            self.select_first()


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
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addAction("新建部门…", QKeySequence.StandardKey.New, self.new_department)
        file_menu.addAction("打开…", QKeySequence.StandardKey.Open, self.choose_file)
        self.recent_menu = file_menu.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.close_action = file_menu.addAction("关闭工作区", self.close_workspace)
        file_menu.addSeparator()
        self.preview_menu = file_menu.addMenu("打印预览")
        self.preview_menu.aboutToShow.connect(partial(self._fill_documents_menu, self.preview_menu, False))
        self.word_menu = file_menu.addMenu("用Word/WPS打开")
        self.word_menu.aboutToShow.connect(partial(self._fill_documents_menu, self.word_menu, True))
        file_menu.addSeparator()
        file_menu.addAction("退出", QKeySequence.StandardKey.Quit, self.close)
        edit_menu = bar.addMenu("编辑(&E)")
        self.undo_action = self.undo_group.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self.edit_menu = edit_menu
        self.page_edit_actions: list[QAction] = []
        self.frame_menu = bar.addMenu("抽样框(&S)")
        self.frame_menu.menuAction().setVisible(False)
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction("关于报送助手", self._about)

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

    # -- start screen, opening, creating ----------------------------------------------------------
    def _show_start(self) -> None:
        self.start.show_recent(self.settings.recent())
        self.stack.setCurrentWidget(self.start)
        self.close_action.setEnabled(False)
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
        self.settings.add_recent(ws.path)
        self.update_title()
        if not self.view.select(self.settings.last_step(ws.path)):
            self.view.select_first()
        self.workspace_opened.emit(ws)

    def _page_changed(self, key: str) -> None:
        page = self.view.current_page() if self.view else None
        stack = page.undo_stack if page else None
        if stack is not None and stack not in self.undo_group.stacks():
            self.undo_group.addStack(stack)
        self.undo_group.setActiveStack(stack)  # type: ignore[arg-type]  # None: no page stack
        self.set_page_actions(list(getattr(page, "actions_for_menu", [])))
        self.set_edit_actions(list(getattr(page, "edit_actions", [])))
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
