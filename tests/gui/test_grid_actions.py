"""Fill down (Ctrl+D), fill right (Ctrl+R), find and replace (Ctrl+H): each one undo step, by real keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from gui.frame_editor import FrameEditor
from gui.grid_actions import fill_pairs, replace_changes
from gui.main_window import MainWindow
from gui.settings import AppSettings
from tests.gui.test_frame_clipboard import excel_text, select
from tests.gui.test_frame_helpers import GOOD, OFFSCREEN_SIZE_HINTS, col, editor_for, type_chinese

pytestmark = OFFSCREEN_SIZE_HINTS
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.mark.parametrize(("rows", "cols", "down", "pairs"), [
    ([2, 3, 4], [1], True, [((2, 1), (3, 1)), ((2, 1), (4, 1))]),
    ([3], [1, 2], True, [((2, 1), (3, 1)), ((2, 2), (3, 2))]),  # one row: the row above is copied
    ([0], [1], True, []),  # nothing above the first row
    ([5], [1, 2, 3], False, [((5, 1), (5, 2)), ((5, 1), (5, 3))]),
    ([5, 6], [4], False, [((5, 3), (5, 4)), ((6, 3), (6, 4))]),
    ([], [], True, []),
])
def test_fill_copies_the_first_line_of_the_block(rows: list[int], cols: list[int], down: bool,
                                                   pairs: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    assert fill_pairs(rows, cols, down) == pairs


def test_replace_changes_only_cells_holding_the_text() -> None:
    rows = [(1, {"unit": "南宁市交通局", "name": "张三"}), (2, {"unit": "柳州市交通局"}), (3, {"unit": "水利局"})]
    assert replace_changes(rows, ["name", "unit"], "交通局", "交通运输局") == [
        (1, "unit", "南宁市交通运输局"), (2, "unit", "柳州市交通运输局")]
    assert replace_changes(rows, ["unit"], "", "x") == []


def pasted(qtbot: QtBot, workspace: Workspace, lines: int = 3) -> FrameEditor:
    editor = editor_for(qtbot, workspace)
    QGuiApplication.clipboard().setText(excel_text(lines))
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "name")))
    QTest.keyClick(editor.table, Qt.Key.Key_V, CTRL)
    qtbot.waitUntil(lambda: len(editor.model.all_ids) == lines)
    return editor


def raw(editor: FrameEditor, row: int, key: str) -> str:
    return editor.model.raw_text(editor.model.ids[row], key)


def test_ctrl_d_copies_the_row_above_and_ctrl_z_restores(qtbot: QtBot, workspace: Workspace) -> None:
    editor = pasted(qtbot, workspace)
    workspace.set_cell(editor.frame_id, editor.model.ids[0], "title", "处长")
    editor.model.changed_rows(None)
    steps = editor.undo_stack.count()
    select(editor, 0, col(editor, "title"), 2, col(editor, "title"))
    QTest.keyClick(editor.table, Qt.Key.Key_D, CTRL)
    assert [raw(editor, r, "title") for r in range(3)] == ["处长"] * 3
    assert editor.undo_stack.count() == steps + 1 and editor.undo_stack.undoText() == "向下填充"
    QTest.keyClick(editor.table, Qt.Key.Key_Z, CTRL)
    assert [raw(editor, r, "title") for r in range(3)] == ["处长", "科员", "科员"]
    assert len(editor.model.all_ids) == 3  # the paste before it is still there


def test_ctrl_d_on_one_cell_copies_the_cell_above(qtbot: QtBot, workspace: Workspace) -> None:
    editor = pasted(qtbot, workspace)
    workspace.set_cell(editor.frame_id, editor.model.ids[1], "title", "副处长")
    editor.table.go_to(editor.model.index(2, col(editor, "title")))
    QTest.keyClick(editor.table, Qt.Key.Key_D, CTRL)
    assert raw(editor, 2, "title") == "副处长" and raw(editor, 0, "title") == "科员"


def test_ctrl_r_fills_right_one_step(qtbot: QtBot, workspace: Workspace) -> None:
    editor = pasted(qtbot, workspace)
    select(editor, 0, col(editor, "area_code"), 1, col(editor, "landline"))
    workspace.set_cells(editor.frame_id, [(editor.model.ids[0], "area_code", "0772"),
                                          (editor.model.ids[1], "area_code", "0773")])
    QTest.keyClick(editor.table, Qt.Key.Key_R, CTRL)
    assert [raw(editor, r, "landline") for r in range(2)] == ["0772", "0773"]
    QTest.keyClick(editor.table, Qt.Key.Key_Z, CTRL)
    assert [raw(editor, r, "landline") for r in range(2)] == ["", ""]


def test_ctrl_h_replaces_in_every_frame_as_one_undo_step(qtbot: QtBot, workspace: Workspace) -> None:
    system = workspace.system_frame().id
    workspace.import_rows(system, [{**GOOD, "unit": "柳州市交通运输局城中区中山路1号", "mobile": "013907720577"}])
    editor = pasted(qtbot, workspace)
    QTest.keyClick(editor.table, Qt.Key.Key_H, CTRL)
    dialog = editor.grid_actions.replace_dialog
    assert dialog is not None and dialog.isVisible()
    type_chinese(dialog.needle, "交通运输局")
    type_chinese(dialog.replacement, "交通运输厅")
    dialog.scope.setCurrentIndex(1)
    QTest.mouseClick(dialog.replace_button, Qt.MouseButton.LeftButton)
    assert "已替换4个单元格" in dialog.result.text()
    assert [raw(editor, r, "unit") for r in range(3)] == ["南宁市交通运输厅"] * 3
    assert workspace.rows(system)[0].raw["unit"] == "柳州市交通运输厅城中区中山路1号"
    assert editor.undo_stack.undoText().startswith("替换")
    editor.table.setFocus()
    QTest.keyClick(editor.table, Qt.Key.Key_Z, CTRL)
    assert [raw(editor, r, "unit") for r in range(3)] == ["南宁市交通运输局"] * 3
    assert workspace.rows(system)[0].raw["unit"] == "柳州市交通运输局城中区中山路1号"


def test_replace_in_this_frame_only_and_nothing_found(qtbot: QtBot, workspace: Workspace) -> None:
    system = workspace.system_frame().id
    workspace.import_rows(system, [{**GOOD, "unit": "南宁市交通运输局民族大道1号"}])
    editor = pasted(qtbot, workspace, 2)
    steps = editor.undo_stack.count()
    editor.grid_actions.open_replace()
    dialog = editor.grid_actions.replace_dialog
    assert dialog is not None
    type_chinese(dialog.needle, "南宁市")
    assert dialog.replace_all() == 2
    assert workspace.rows(system)[0].raw["unit"].startswith("南宁市")
    dialog.needle.setText("nothing-here")
    assert dialog.replace_all() == 0 and "没有找到" in dialog.result.text()
    assert editor.undo_stack.count() == steps + 1


def test_the_edit_menu_lists_every_grid_action_with_its_keys(qtbot: QtBot, workspace: Workspace,
                                                               tmp_path: Path) -> None:
    frame_id = workspace.add_hot_item("公路建设").id
    win = MainWindow(AppSettings(tmp_path / "settings.ini"), today=dt.date(2015, 11, 5), save_dir=tmp_path)
    qtbot.addWidget(win)
    win.show()
    win.show_workspace(workspace)
    win.view.select(f"frame:{frame_id}")  # type: ignore[union-attr]
    entries = [(a.text().split("\t")[0], a.shortcut().toString() or a.text().partition("\t")[2])
               for a in win.edit_menu.actions() if not a.isSeparator()]
    for expected in (("复制", "Ctrl+C"), ("粘贴", "Ctrl+V"), ("清除内容", "Delete"), ("向下填充", "Ctrl+D"),
                     ("向右填充", "Ctrl+R"), ("在上方插入行", "Ctrl+Shift+="), ("删除行", "Ctrl+-"),
                     ("查找…", "Ctrl+F"), ("查找和替换…", "Ctrl+H"), ("下一个问题", "F8")):
        assert expected in entries
    assert entries[0][0].startswith("撤销") and entries[1][0].startswith("重做")
    win.view.select("contacts")  # type: ignore[union-attr]
    assert len([a for a in win.edit_menu.actions() if not a.isSeparator()]) == 2
    QApplication.processEvents()
    win.close_workspace()
