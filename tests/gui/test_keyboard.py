"""The whole submission from the keyboard: no pane traps the focus, every control is reachable both ways and
has a name, Enter acts where a double-click does, and each key the window documents does what it says."""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPlainTextEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from forms.store.workspace import Profile, Workspace
from gui import keyboard
from gui.main_window import MainWindow
from gui.settings import AppSettings

TODAY = dt.date(2015, 11, 5)
ROWS = [
    {"name": "张三", "gender": "男", "unit": "柳州市交通运输局（柳州市东环大道256号）", "title": "局长",
     "area_code": "0772", "landline": "2811111", "mobile": "13877212345", "postcode": "545001"},
    {"name": "李四", "gender": "女", "unit": "桂林市公路管理局", "title": "副局长", "mobile": "1387711"},
]
Key = Qt.Key
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def make_workspace(path: Path) -> Path:
    ws = Workspace.create(path, Profile("自治区交通运输厅", "gov", "经济管理类", liaison="黄小明"))
    ws.insert_rows(ws.system_frame().id, 0, ROWS)
    ws.add_hot_item("农村公路建设")
    ws.close()
    return path


@pytest.fixture(autouse=True)
def _no_wrappers_left() -> Iterator[None]:
    """These tests make Python wrappers for every widget of a page (findChildren, the focus walk): let them go
    before the next workspace opens, whose gc.freeze() would keep any still in a cycle for good."""
    yield
    gc.collect()


@pytest.fixture
def win(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """The window with a workspace opened as from the command line (in the background), and active."""
    window = MainWindow(AppSettings(tmp_path / "settings.ini"), today=TODAY, save_dir=tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    with qtbot.waitSignal(window.workspace_opened, timeout=10000):
        window.open_path(str(make_workspace(tmp_path / "交通厅.baosong")))
    return window


def show_step(qtbot: QtBot, window: MainWindow, key: str) -> None:
    """Show a step; offscreen, a new page with a progress bar takes the activation away: give it back."""
    assert window.view is not None and window.view.select(key)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget:
    qtbot.keyClick(focus(), key, modifiers)
    return focus()


def name_of(widget: QWidget) -> str:
    """What a screen reader announces: its own name, its text, or its buddy label's text."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def page_controls(window: MainWindow) -> list[QWidget]:
    """Every control Tab should reach while the current page is shown (step list and page, not the menus)."""
    assert window.view is not None
    return [w for w in window.view.findChildren(QWidget) if keyboard.focusable(w)
            and not (isinstance(w, QRadioButton) and not w.isChecked())]  # a radio group: Tab, then arrows


def walk(qtbot: QtBot, start: QWidget, forward: bool, limit: int = 400) -> list[QWidget]:
    """Tab (or Shift+Tab) from `start` until the focus comes back to it; fails on a trap (no way on)."""
    start.setFocus()
    seen: list[QWidget] = [start]
    stuck = 0
    for _ in range(limit):
        before = focus()
        after = press(qtbot, Key.Key_Tab if forward else Key.Key_Backtab, Qt.KeyboardModifier.NoModifier
                      if forward else SHIFT)
        if after is start:
            return seen
        stuck = stuck + 1 if after is before else 0
        assert stuck < 60, f"Tab is trapped in {type(after).__name__} “{name_of(after)}”"
        if after not in seen:
            seen.append(after)
    raise AssertionError("Tab never came back round")


# -- the whole task ---------------------------------------------------------------------------------------
def test_the_whole_submission_with_keys_only(qtbot: QtBot, win: MainWindow) -> None:
    assert win.view is not None
    editor = win.view.current_page().editor  # type: ignore[union-attr]
    assert win.view.current_key() == "frame:1" and focus() is editor.table  # the grid has the focus at once
    press(qtbot, Key.Key_Home, CTRL)
    press(qtbot, Key.Key_Down)
    for _ in range(editor.model.keys.index("mobile")):
        press(qtbot, Key.Key_Right)
    assert editor.model.marks(1, "mobile") is not None  # 1387711: the error cell
    press(qtbot, Key.Key_F2)
    press(qtbot, Key.Key_A, CTRL)
    qtbot.keyClicks(focus(), "13877112345")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.marks(1, "mobile") is None, timeout=3000)  # fixed, and the mark went
    assert press(qtbot, Key.Key_F6) is editor.problems.view  # the problem list
    editor.problems.view.setCurrentIndex(editor.problems.model.index(0, 0))
    while editor.problems.model.entry(editor.problems.view.currentIndex().row())[0] is None:
        press(qtbot, Key.Key_Down)  # past the whole-frame problem (coverage) to a cell's
    row_id, finding, _ = editor.problems.model.entry(editor.problems.view.currentIndex().row())
    assert press(qtbot, Key.Key_Return) is editor.table  # Enter jumps, as a double-click does
    index = editor.table.currentIndex()
    assert editor.model.row_id(index.row()) == row_id
    assert editor.model.columns[index.column()].header == finding.column
    assert press(qtbot, Key.Key_F6) is editor.problems.view
    assert press(qtbot, Key.Key_F6) is editor.problems.detail
    assert press(qtbot, Key.Key_F6) is win.view.guide.tree  # round to the step list
    for _ in range(10):
        if win.view.current_key() == "bundle":
            break
        press(qtbot, Key.Key_Down)  # over the deadline headings, never stopping on one
        assert win.view.guide.tree.currentItem().data(0, Qt.ItemDataRole.UserRole)
    assert win.view.current_key() == "bundle"
    press(qtbot, Key.Key_F6)
    page = win.view.current_page()
    assert page is not None and page.isAncestorOf(focus())
    for _ in range(40):
        if focus() is page.build_button:  # type: ignore[attr-defined]
            break
        press(qtbot, Key.Key_Tab)
    assert focus() is page.build_button  # type: ignore[attr-defined]  # 生成压缩包 reached


def test_every_page_is_walked_both_ways_and_every_control_is_named(qtbot: QtBot, win: MainWindow) -> None:
    assert win.view is not None
    for key in win.view.guide.keys():
        show_step(qtbot, win, key)
        controls = page_controls(win)
        forward = walk(qtbot, win.view.guide.tree, True)
        backward = walk(qtbot, win.view.guide.tree, False)
        missing = [f"{type(w).__name__} “{name_of(w)}”" for w in controls if w not in forward]
        assert not missing, f"{key}: Tab never reaches {missing}"
        missing = [f"{type(w).__name__} “{name_of(w)}”" for w in controls if w not in backward]
        assert not missing, f"{key}: Shift+Tab never reaches {missing}"
        unnamed = [type(w).__name__ for w in controls if not name_of(w)]
        assert not unnamed, f"{key}: no accessible name or label for {unnamed}"


def test_print_buttons_come_first_on_the_pages_they_top(qtbot: QtBot, win: MainWindow) -> None:
    assert win.view is not None
    for key in ("analysis", "contacts", "report:rectification", "report:performance"):
        win.view.select(key)
        page = win.view.current_page()
        buttons = page.document_buttons  # type: ignore[union-attr]
        chain = keyboard.focus_chain(page)  # type: ignore[arg-type]
        assert chain[:3] == [buttons.preview_button, buttons.print_button, buttons.word_button], key


def mnemonic(text: str) -> str:
    found = re.search(r"&([^&])", text)
    return found.group(1).upper() if found else ""


def test_mnemonics_are_unique_on_every_page(qtbot: QtBot, win: MainWindow) -> None:
    assert win.view is not None
    menus = [mnemonic(a.text()) for a in win.menuBar().actions() if a.isVisible()]
    for key in win.view.guide.keys():
        show_step(qtbot, win, key)
        shown = [w for w in win.view.findChildren(QAbstractButton) if w.isVisible()]
        labels = [w for w in win.view.findChildren(QLabel) if w.isVisible() and w.buddy() is not None]
        letters = [m for m in [*menus, *(mnemonic(w.text()) for w in [*shown, *labels])] if m]
        doubled = {m for m in letters if letters.count(m) > 1}
        assert not doubled, f"{key}: Alt+{doubled} is taken twice"
    buttons = [mnemonic(w.text()) for w in win.view.findChildren(QAbstractButton)]
    assert buttons.count("") < len(buttons) // 3  # most buttons have one


# -- the keys one by one ---------------------------------------------------------------------------------
def test_the_grid_keeps_tab_but_ctrl_tab_and_its_last_cell_leave(qtbot: QtBot, win: MainWindow) -> None:
    editor = win.view.current_page().editor  # type: ignore[union-attr]
    table, model = editor.table, editor.model
    table.setFocus()
    table.go_to(model.index(0, 1))
    assert press(qtbot, Key.Key_Tab) is table and table.currentIndex().column() == 2  # Excel's Tab
    assert press(qtbot, Key.Key_Tab, CTRL) is not table  # Ctrl+Tab: out
    table.go_to(model.index(0, 1))
    assert press(qtbot, Key.Key_Backtab, CTRL | SHIFT) is not table
    table.go_to(model.index(model.rowCount() - 1, model.columnCount() - 1))
    assert press(qtbot, Key.Key_Tab) is not table  # past the last cell: out
    table.go_to(model.index(0, 1))
    press(qtbot, Key.Key_F2)  # in the cell editor Ctrl+Tab keeps the text and leaves too
    qtbot.keyClicks(focus(), "x")
    assert not table.isAncestorOf(press(qtbot, Key.Key_Tab, CTRL)) and focus() is not table
    assert model.data(model.index(0, 1)) == "张三x"


def test_editors_move_on_with_tab_and_type_a_tab_with_ctrl_tab(qtbot: QtBot, win: MainWindow) -> None:
    assert win.view is not None and win.view.select("analysis")
    page = win.view.current_page()
    edits = list(page.edits.values())  # type: ignore[union-attr]
    edits[0].setFocus()
    assert press(qtbot, Key.Key_Tab) is edits[1]
    assert press(qtbot, Key.Key_Backtab, SHIFT) is edits[0]
    press(qtbot, Key.Key_Tab, CTRL)
    assert focus() is edits[0] and edits[0].toPlainText() == "\t"
    assert isinstance(edits[0], QPlainTextEdit) and edits[0].tabChangesFocus()


def test_space_on_a_problem_jumps_and_the_list_lets_tab_go(qtbot: QtBot, win: MainWindow) -> None:
    editor = win.view.current_page().editor  # type: ignore[union-attr]
    view = editor.problems.view
    view.setFocus()
    view.setCurrentIndex(editor.problems.model.index(editor.problems.model.rowCount() - 1, 0))
    assert press(qtbot, Key.Key_Space) is editor.table
    view.setFocus()
    assert press(qtbot, Key.Key_Tab) is not view


def test_ctrl_page_keys_walk_the_steps_and_focus_follows(qtbot: QtBot, win: MainWindow) -> None:
    assert win.view is not None
    keys = win.view.guide.keys()
    assert press(qtbot, Key.Key_PageDown, CTRL) and win.view.current_key() == keys[1]
    assert win.view.current_page().isAncestorOf(focus())  # type: ignore[union-attr]
    press(qtbot, Key.Key_PageUp, CTRL)
    assert win.view.current_key() == keys[0]
    win.view.guide.tree.setFocus()
    press(qtbot, Key.Key_PageUp, CTRL)  # at the first step: stays, focus stays in the list
    assert win.view.current_key() == keys[0] and focus() is win.view.guide.tree


def test_shortcuts_are_spelt_out(qtbot: QtBot, win: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = win.view.current_page().editor  # type: ignore[union-attr]
    assert editor.import_action.shortcut().toString() == "Ctrl+I"
    assert editor.export_action.shortcut().toString() == "Ctrl+E"
    assert win.close_action.shortcut().toString() == "Ctrl+W" and win.quit_action.shortcut().toString() == "Ctrl+Q"
    assert win.print_action.shortcut().toString() == "Ctrl+P" and not win.print_action.isEnabled()
    printed: list[str] = []
    monkeypatch.setattr("gui.preview.print_key", lambda _parent, _ws, key: printed.append(key))
    show_step(qtbot, win, "contacts")
    win.view.guide.tree.setFocus()  # type: ignore[union-attr]
    assert win.print_action.isEnabled()
    press(qtbot, Key.Key_P, CTRL)
    assert printed == ["contacts"]
    qtbot.keyClick(win, Key.Key_W, CTRL)
    assert win.ws is None and win.stack.currentWidget() is win.start


def test_the_step_list_skips_the_deadline_headings(qtbot: QtBot, win: MainWindow) -> None:
    tree = win.view.guide.tree  # type: ignore[union-attr]
    tree.setFocus()
    keys = win.view.guide.keys()  # type: ignore[union-attr]
    for expected in keys[1:]:
        press(qtbot, Key.Key_Down)
        assert win.view.current_key() == expected  # type: ignore[union-attr]
    for expected in reversed(keys[:-1]):
        press(qtbot, Key.Key_Up)
        assert win.view.current_key() == expected  # type: ignore[union-attr]
    press(qtbot, Key.Key_Up)  # the first heading above: nothing to go to
    assert win.view.current_key() == keys[0]  # type: ignore[union-attr]


def test_a_cell_tells_its_problem_to_assistive_technology(win: MainWindow) -> None:
    model = win.view.current_page().editor.model  # type: ignore[union-attr]
    cell = model.index(1, model.keys.index("mobile"))
    assert "不是11位手机号码" in model.data(cell, Qt.ItemDataRole.AccessibleDescriptionRole)
    assert model.data(model.index(0, 1), Qt.ItemDataRole.AccessibleDescriptionRole) is None
