"""Keyboard ways around the window, so no pane is a trap and every step can be reached without a mouse.

- F6 / Shift+F6 cycle the panes of the workspace: the step list, then the page's own panes (a frame
  page: its grid, its problem list, the detail under it; any other page: its first field).
- Ctrl+PgDn / Ctrl+PgUp show the next / previous step.
- Text editors move focus on Tab and Shift+Tab (Ctrl+Tab types a tab character instead).
- Lists of things to act on (the problems, the pack page's list) act on Enter and Space as on a double-click.
- The frame grid keeps Tab for moving between cells, as Excel does; Ctrl+Tab / Ctrl+Shift+Tab leave it
  (see gui.frame_grid), and Tab past its very last cell leaves it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPlainTextEdit, QTextEdit, QWidget

NEXT_PANE, PREVIOUS_PANE = QKeySequence(Qt.Key.Key_F6), QKeySequence("Shift+F6")
NEXT_STEP, PREVIOUS_STEP = QKeySequence("Ctrl+PgDown"), QKeySequence("Ctrl+PgUp")
ACTIVATING_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


def focusable(widget: QWidget) -> bool:
    """Whether Tab can land on `widget` now (visible, enabled, taking Tab focus, not passing it to a proxy)."""
    return (widget.isVisible() and widget.isEnabled() and widget.focusProxy() is None
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus))


def leave(widget: QWidget, forward: bool = True) -> None:
    """Move the focus to the widget after (or before) `widget` in the Tab order, skipping its children.

    QWidget's own focusNextPrevChild is called, not the item view's, which would move within the view."""
    QWidget.focusNextPrevChild(widget, forward)
    focus = QApplication.focusWidget()
    if focus is not None and focus is not widget and widget.isAncestorOf(focus):  # landed inside: go on
        leave(focus, forward)


def focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets inside `root` that Tab visits, in Tab order (each once)."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not None and widget is not root and widget not in chain:
        if root.isAncestorOf(widget) and focusable(widget):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def first_focusable(root: QWidget) -> QWidget | None:
    chain = focus_chain(root)
    return chain[0] if chain else None


def put_first(root: QWidget, first: Sequence[QWidget]) -> None:
    """Make `first` come first in `root`'s Tab order (the print buttons at the top of a page), the rest after.

    QWidget.setTabOrder moves a widget only after a focusable one, so the widget that opens `root`'s part of
    the focus chain (a page's title, say) takes Tab focus just for the move."""
    anchor = root.nextInFocusChain()
    if anchor is None or anchor in first or not root.isAncestorOf(anchor):
        return
    policy = anchor.focusPolicy()
    anchor.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    try:
        for before, after in zip([anchor, *first], first, strict=False):
            QWidget.setTabOrder(before, after)
    finally:
        anchor.setFocusPolicy(policy)


# -- text editors: Tab moves on ------------------------------------------------------------------------
class _CtrlTabTypes(QObject):
    """Ctrl+Tab in an editor whose Tab moves focus types the tab character Tab no longer types."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Tab and event.modifiers() == Qt.KeyboardModifier.ControlModifier \
                and isinstance(watched, QPlainTextEdit | QTextEdit) and not watched.isReadOnly():
            watched.insertPlainText("\t")
            return True
        return False


_ctrl_tab = _CtrlTabTypes()


def tab_moves_focus(*editors: QPlainTextEdit | QTextEdit) -> None:
    for editor in editors:
        editor.setTabChangesFocus(True)
        editor.installEventFilter(_ctrl_tab)


# -- lists: Enter and Space act -----------------------------------------------------------------------
class _ActivateOnKeys(QObject):
    """Enter, Return or Space on a list's current entry calls `act(index)`, as a double-click does."""

    def __init__(self, view: QAbstractItemView, act: Callable[[QModelIndex], object]) -> None:
        super().__init__(view)
        self.view, self.act = view, act

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in ACTIVATING_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            index = self.view.currentIndex()
            if index.isValid():
                self.act(index)
                return True
        return False


def activate_on_keys(view: QAbstractItemView, act: Callable[[QModelIndex], object]) -> None:
    view.installEventFilter(_ActivateOnKeys(view, act))


def list_view(view: QAbstractItemView, name: str, act: Callable[[QModelIndex], object] | None = None) -> None:
    """A list the clerk reads and acts on: named for a screen reader, left by Tab (arrows move within),
    and, given `act`, acted on by Enter/Space as by a double-click."""
    view.setAccessibleName(name)
    view.setTabKeyNavigation(False)
    if act is not None:
        activate_on_keys(view, act)


# -- panes and steps ----------------------------------------------------------------------------------
class Workspace(Protocol):
    """What the pane keys need of the workspace view (gui.workspace_view.WorkspaceView)."""

    def panes(self) -> list[QWidget]: ...

    def step_by(self, delta: int) -> None: ...


def pane_of(panes: Sequence[QWidget], widget: QWidget | None) -> int:
    """The index of the pane holding `widget` (-1 when none does)."""
    for n, pane in enumerate(panes):
        if widget is not None and (widget is pane or pane.isAncestorOf(widget)):
            return n
    return -1


def cycle_panes(panes: Sequence[QWidget], forward: bool) -> QWidget | None:
    """Focus the next (previous) pane after the one holding the focus; the pane focused, if any."""
    shown = [p for p in panes if p.isVisible() and p.isEnabled()]
    if not shown:
        return None
    here = pane_of(shown, QApplication.focusWidget())
    target = shown[(here + (1 if forward else -1)) % len(shown)] if here >= 0 else shown[0 if forward else -1]
    focus_pane(target, forward)
    return target


def focus_pane(pane: QWidget, forward: bool = True) -> None:
    """Focus a pane itself when it takes focus, else its first focusable child.

    For the child Qt walks the focus chain itself: walking it from Python makes a wrapper for every internal
    widget on the way (scroll bars, viewports), and PySide 6.11 was seen to hand such a wrapper, stale, to
    a later widget at the same address."""
    if pane.focusPolicy() != Qt.FocusPolicy.NoFocus:
        pane.setFocus(Qt.FocusReason.OtherFocusReason)
        return
    pane.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # for a moment, to step from it to its first child
    pane.setFocus(Qt.FocusReason.OtherFocusReason)
    QWidget.focusNextPrevChild(pane, True)
    pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def install_pane_keys(view: QWidget, workspace: Workspace) -> list[QShortcut]:
    """F6 / Shift+F6 and Ctrl+PgDn / Ctrl+PgUp on the workspace view and everything in it."""
    keys: Iterable[tuple[QKeySequence, Callable[[], object]]] = (
        (NEXT_PANE, lambda: cycle_panes(workspace.panes(), True)),
        (PREVIOUS_PANE, lambda: cycle_panes(workspace.panes(), False)),
        (NEXT_STEP, lambda: workspace.step_by(1)),
        (PREVIOUS_STEP, lambda: workspace.step_by(-1)),
    )
    shortcuts = []
    for sequence, slot in keys:
        shortcut = QShortcut(sequence, view)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    return shortcuts
