"""The guide: a sidebar of the steps the department owes, grouped by deadline, each with its status.

Also the small pages that belong to the guide itself: the work items (add, rename, remove), the
frame step (GUI-B's FrameEditor when it is there, a summary otherwise) and the bundle placeholder.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QAction, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.notice import questionnaire
from forms.store.schema import WorkspaceError, name_too_long
from forms.tasks import steps
from gui import style
from gui.settings import Page

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

KEY_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
FRAME_ROLE = Qt.ItemDataRole.UserRole + 3
ICON_PX = 14
ItemIndex = QModelIndex | QPersistentModelIndex


class StepDelegate(QStyledItemDelegate):
    """Draws a step as two lines: its title, then its status in the status colour."""

    def sizeHint(self, option: QStyleOptionViewItem, index: ItemIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(STATUS_ROLE):
            size.setHeight(option.fontMetrics.height() * 2 + 12)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ItemIndex) -> None:
        if not index.data(STATUS_ROLE):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        self._draw_lines(painter, opt, index)

    def _draw_lines(self, painter: QPainter, opt: QStyleOptionViewItem, index: ItemIndex) -> None:
        rect = opt.rect.adjusted(6, 4, -6, -4)
        line = opt.fontMetrics.height()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        title = opt.fontMetrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(opt.palette.highlightedText().color() if selected else opt.palette.text().color())
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignVCenter, title)
        status_top = rect.top() + line + 2
        icon_rect = QRect(rect.left(), status_top + (line - ICON_PX) // 2, ICON_PX, ICON_PX)
        style.state_icon(str(index.data(STATE_ROLE))).paint(painter, icon_rect)
        painter.setPen(opt.palette.highlightedText().color() if selected
                       else style.qcolor(style.STATE_COLOURS.get(str(index.data(STATE_ROLE)), style.MUTED_COLOUR)))
        painter.drawText(QRect(rect.left() + ICON_PX + 6, status_top, rect.width() - ICON_PX - 6, line),
                         Qt.AlignmentFlag.AlignVCenter, str(index.data(STATUS_ROLE)))
        painter.restore()


class StepTree(QTreeWidget):
    """The step list: the arrow keys, Home/End and PgUp/PgDn go from step to step, over the deadline headings."""

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        landed = super().moveCursor(action, modifiers)
        back = action in (QAbstractItemView.CursorAction.MoveUp, QAbstractItemView.CursorAction.MovePageUp,
                          QAbstractItemView.CursorAction.MovePrevious, QAbstractItemView.CursorAction.MoveEnd)
        for upwards in (back, not back):  # past a heading the way the key goes; at the list's end, the other way
            index = landed
            while index.isValid() and not index.flags() & Qt.ItemFlag.ItemIsSelectable:
                index = self.indexAbove(index) if upwards else self.indexBelow(index)
            if index.isValid():
                return index
        return self.currentIndex()


class GuidePanel(QFrame):
    """The sidebar: days to the next deadline, the steps by deadline, and the work-item buttons."""

    step_selected = Signal(str)
    add_item = Signal()
    rename_item = Signal(int)
    remove_item = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.tree = StepTree()
        self.tree.setObjectName("guide")
        self.tree.setAccessibleName("报送步骤")
        self.tree.setAccessibleDescription("按截止日期分组的全部报送步骤；上下方向键在步骤间移动，F6 转到本步骤的页面")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(10)
        self.tree.setItemDelegate(StepDelegate(self.tree))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.currentItemChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.deadline)
        layout.addWidget(self.tree, 1)
        layout.addLayout(self._buttons())
        self._items: dict[str, QTreeWidgetItem] = {}

    def _buttons(self) -> QGridLayout:
        row = QGridLayout()  # two rows, so the sidebar stays narrow at a large text size
        self.add_button = QPushButton("添加工作事项(&A)…")
        self.add_button.setToolTip("为绩效考评办确定的热点、难点工作事项各建一个抽样框和一份评议问卷")
        self.add_button.clicked.connect(self.add_item)
        self.rename_button = QPushButton("重命名(&M)…")
        self.rename_button.clicked.connect(lambda: self._item_action(self.rename_item))
        self.remove_button = QPushButton("删除事项(&D)")
        self.remove_button.setToolTip("删除当前选中的热点、难点工作事项，连同它的抽样框和评议问卷")
        self.remove_button.clicked.connect(lambda: self._item_action(self.remove_item))
        row.addWidget(self.add_button, 0, 0, 1, 2)
        row.addWidget(self.rename_button, 1, 0)
        row.addWidget(self.remove_button, 1, 1)
        self._enable_item_buttons()
        return row

    # -- showing the plan ----------------------------------------------------------------------
    def show_plan(self, groups: list[steps.StepGroup], today: dt.date, deadline_text: str,
                  hot_keys: set[str]) -> None:
        """Show the steps; items are updated in place when the same steps are already shown."""
        self.deadline.setText(deadline_text)
        self._hot_keys = hot_keys
        wanted = [s.key for g in groups for s in g.steps]
        if wanted != list(self._items):
            self._rebuild(groups, today)
        for group_index, group in enumerate(groups):
            head = self.tree.topLevelItem(group_index)
            if head is not None:
                head.setText(0, steps.group_text(group.deadline, today))
            for step in group.steps:
                self._fill(self._items[step.key], step)
        self._enable_item_buttons()

    def _rebuild(self, groups: list[steps.StepGroup], today: dt.date) -> None:
        current = self.current_key()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items = {}
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group in groups:
            head = QTreeWidgetItem([steps.group_text(group.deadline, today)])
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setFont(0, bold)
            head.setToolTip(0, f"{group.deadline.what}\n{group.deadline.how}")
            self.tree.addTopLevelItem(head)
            for step in group.steps:
                self._items[step.key] = QTreeWidgetItem(head)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if current in self._items:
            self.select(current)

    @staticmethod
    def _fill(item: QTreeWidgetItem, step: steps.Step) -> None:
        item.setText(0, step.title)
        item.setData(0, KEY_ROLE, step.key)
        item.setData(0, STATUS_ROLE, step.status.label)
        item.setData(0, STATE_ROLE, str(step.status.state))
        item.setData(0, FRAME_ROLE, step.frame_id)
        item.setToolTip(0, f"{step.title}\n{step.status.label}")

    # -- selection -----------------------------------------------------------------------------
    def select(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        return True

    def current_key(self) -> str:
        item = self.tree.currentItem()
        return str(item.data(0, KEY_ROLE) or "") if item else ""

    def keys(self) -> list[str]:
        return list(self._items)

    def status_text(self, key: str) -> str:
        return str(self._items[key].data(0, STATUS_ROLE))

    def title_of(self, key: str) -> str:
        return self._items[key].text(0)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        self._enable_item_buttons()
        if current is not None and current.data(0, KEY_ROLE):
            self.step_selected.emit(str(current.data(0, KEY_ROLE)))

    # -- work items ----------------------------------------------------------------------------
    def _selected_item_frame(self) -> int | None:
        """The frame id when the current step belongs to a work item (its frame or its questionnaire)."""
        item = self.tree.currentItem()
        key = self.current_key()
        if item is None or not (key in getattr(self, "_hot_keys", set()) or key.startswith("questionnaire:")):
            return None
        return int(item.data(0, FRAME_ROLE))

    def _enable_item_buttons(self) -> None:
        has_item = self._selected_item_frame() is not None
        self.rename_button.setEnabled(has_item)
        self.remove_button.setEnabled(has_item)

    def _item_action(self, signal: SignalInstance) -> None:
        frame_id = self._selected_item_frame()
        if frame_id is not None:
            signal.emit(frame_id)

    def _menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction("添加工作事项…", self.add_item.emit)
        if self._selected_item_frame() is not None:
            menu.addAction("重命名工作事项…", lambda: self._item_action(self.rename_item))
            menu.addAction("删除工作事项…", lambda: self._item_action(self.remove_item))
        menu.exec(self.tree.viewport().mapToGlobal(pos))


# -- work items: asked here, carried out on the workspace ----------------------------------------------
def ask_item(parent: QWidget, title: str, text: str = "") -> str:
    name, ok = QInputDialog.getText(parent, title, "热点、难点工作事项的名称（如“农村公路建设”）：", text=text)
    return name.strip() if ok else ""


def add_item(parent: QWidget, ws: Workspace) -> int | None:
    """Ask for a work item's name and add its frame; the new frame's id (None when nothing was added)."""
    name = ask_item(parent, "添加工作事项")
    if not name:
        return None
    try:
        return ws.add_hot_item(name).id
    except WorkspaceError as exc:
        style.warn(parent, "无法添加工作事项", exc.message)
        return None


def ask_new_name(parent: QWidget, ws: Workspace, frame_id: int) -> str:
    """A new name for a work item ('' when unchanged, cancelled or taken)."""
    old = ws.frame(frame_id).item
    name = ask_item(parent, "重命名工作事项", old)
    if name and name != old and any(f.item == name for f in ws.hot_frames()):
        style.warn(parent, "无法重命名", f"工作事项“{name}”已经存在，请换一个名称。")
        return ""
    if too_long := name_too_long("工作事项名称", name):
        style.warn(parent, "无法重命名", too_long)
        return ""
    return name if name != old else ""


def confirm_remove(parent: QWidget, ws: Workspace, frame_id: int) -> bool:
    frame = ws.frame(frame_id)
    return style.confirm(parent, "删除工作事项", f"删除工作事项“{frame.item}”，将同时删除它的抽样框"
                         f"（{ws.row_count(frame_id)}人）和评议问卷，且不能撤销。确定删除吗？")


def remove_item(ws: Workspace, frame_id: int) -> None:
    ws.remove_frame(frame_id)
    questionnaire.clear(ws, frame_id)  # a later item may get the same frame id


def items_page(ws: Workspace) -> ItemsPage:
    return ItemsPage(ws)


class ItemsPage(Page):
    """The hot/difficult work items: what they are, and a way to add the first one."""

    add_item = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(style.page_title(f"热点难点工作抽样框（附件{ws.kind.hot_form}）"))
        layout.addWidget(style.hint(
            f"自治区绩效考评办为本部门确定的每一项热点、难点工作，都要单独报送一个抽样框（附件{ws.kind.hot_form}）"
            f"和一份评议问卷。每个抽样框不少于{ws.minimum}人，列入与该项工作相关的服务对象和管理对象。"))
        self.items = QListWidget()
        self.items.addItems([f.item for f in ws.hot_frames()] or ["（尚未添加工作事项）"])
        self.items.setAccessibleName("热点难点工作事项")
        layout.addWidget(self.items, 1)
        button = QPushButton("添加一个工作事项(&J)…")
        button.clicked.connect(self.add_item)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)


class PlaceholderPage(Page):
    """A step whose screen comes in a later version: what it will do and what to do meanwhile."""

    def __init__(self, ws: Workspace, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(style.page_title(title))
        layout.addWidget(style.hint(text))
        layout.addStretch(1)


class FramePage(Page):
    """A frame step: GUI-B's FrameEditor, its edits committed by the workspace as they are made."""

    open_row = Signal(int, int)  # a duplicate in another frame: frame id, row id

    def __init__(self, ws: Workspace, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor)
        self.undo_stack = getattr(editor, "undo_stack", None)
        self.actions_for_menu: list[QAction] = [a for a in (getattr(editor, "import_action", None),
                                                            getattr(editor, "export_action", None)) if a]
        self.edit_actions: list[QAction | None] = list(getattr(editor, "edit_actions", []))
        if hasattr(editor, "changed"):
            editor.changed.connect(lambda *_: self.saved.emit())
        if hasattr(editor, "status"):
            editor.status.connect(self.status)
        if hasattr(editor, "open_row"):
            editor.open_row.connect(self.open_row)

    def panes(self) -> list[QWidget]:
        own = getattr(self.editor, "panes", None)
        return list(own()) if callable(own) else [self.editor]

    def flush(self) -> bool:
        commit = getattr(self.editor, "commit_pending", None)
        if callable(commit):
            commit()
        return super().flush()


def frame_summary_page(ws: Workspace, frame_id: int, note: str) -> PlaceholderPage:
    frame = ws.frame(frame_id)
    errors, warnings = ws.engine.counts(frame_id)
    text = (f"共{ws.engine.row_count(frame_id)}人，{errors}处错误，{warnings}处提醒。{note}"
            "在表格编辑器提供之前，可以用命令行导入Excel：python main.py import 工作区.baosong 文件.xlsx "
            f"--form {frame.form}" + (f" --item {frame.item}" if frame.item else ""))
    return PlaceholderPage(ws, frame.label + " 抽样框", text)


def frame_page(ws: Workspace, frame_id: int) -> Page:
    """GUI-B's FrameEditor for the frame, or a summary of it when the editor cannot be loaded."""
    try:
        from gui.frame_editor import FrameEditor
    except ImportError:
        return frame_summary_page(ws, frame_id, "")
    except Exception:  # a half-built editor must not take the rest of the window down with it
        traceback.print_exc(file=sys.stderr)
        return frame_summary_page(ws, frame_id, "表格编辑器加载失败，请将报送助手更新到最新版本。")
    return FramePage(ws, FrameEditor(ws, frame_id))
