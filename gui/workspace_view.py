"""An open workspace in the window: the guide (its steps) beside the page of the current step, built when
first shown; the pane keys (F6) and the work items' add, rename and remove.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from gui import keyboard
from gui.settings import Debounce, Page, dispose, workspace_busy

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

SIDEBAR_WIDTH = 340
DEFAULT_SIZE = (1280, 800)  # the window's first size: the page gets what the sidebar leaves
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
        self.splitter = QSplitter()
        self.splitter.addWidget(self.guide)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, True)  # at a large text size the page may need the whole width
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([SIDEBAR_WIDTH, DEFAULT_SIZE[0] - SIDEBAR_WIDTH])
        self._sized = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._refresh_later = Debounce(self, 300, self.refresh)
        keyboard.install_pane_keys(self, self)
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

    def showEvent(self, event: QShowEvent) -> None:
        """The step list's first width: a quarter of the window, at most 340 px, so a narrow window (large
        text) leaves the page most of the width."""
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            total = sum(self.splitter.sizes()) or self.width()
            side = max(self.guide.minimumSizeHint().width(), min(SIDEBAR_WIDTH, total // 4))
            self.splitter.setSizes([side, max(total - side, 0)])

    # -- keyboard: panes (F6) and steps (Ctrl+PgUp/PgDn) --------------------------------------------
    def panes(self) -> list[QWidget]:
        """What F6 cycles through: the step list, then the current page's panes (or the page itself)."""
        page = self.current_page()
        own = getattr(page, "panes", None)
        return [self.guide.tree, *(own() if callable(own) else [page] if page is not None else [])]

    def step_by(self, delta: int) -> None:
        """Show the step `delta` places on; focus follows to the new page unless it is in the step list."""
        keys, key = self.guide.keys(), self.current_key()
        if not keys:
            return
        target = keys[max(0, min(len(keys) - 1, keys.index(key) + delta))] if key in keys else keys[0]
        in_list = keyboard.pane_of([self.guide.tree], QApplication.focusWidget()) == 0
        self.select(target)
        if not in_list:
            self.focus_page()

    def focus_page(self) -> None:
        """The focus on the current page's first pane (a frame's grid), else the step list."""
        panes = self.panes()
        keyboard.focus_pane(panes[1] if len(panes) > 1 else panes[0])

    def focus_start(self) -> None:
        """Where the focus lands when the workspace opens: a frame's grid, else the step list."""
        if self.current_key().startswith("frame:"):
            self.focus_page()
        else:
            self.guide.tree.setFocus(Qt.FocusReason.OtherFocusReason)

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

