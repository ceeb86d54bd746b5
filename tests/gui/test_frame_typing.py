"""The grid as a clerk types into it: validation as typed, Chinese input, Excel's keys, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from gui import frame_model
from tests.gui.test_frame_helpers import (
    GOOD,
    OFFSCREEN_SIZE_HINTS,
    col,
    editor_for,
    open_cell,
    type_ascii,
    type_chinese,
)

pytestmark = OFFSCREEN_SIZE_HINTS
BG = Qt.ItemDataRole.BackgroundRole
TIP = Qt.ItemDataRole.ToolTipRole


def test_model_passes_qtmodeltester(qtbot: QtBot, qtmodeltester: object, workspace: Workspace) -> None:
    frame = workspace.add_hot_item("公路建设")
    workspace.insert_rows(frame.id, 0, [GOOD, {**GOOD, "name": "李四", "mobile": "12"}, {}])
    model = frame_model.FrameModel(workspace, frame.id)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 4  # three rows and the line for a new one


def test_invalid_mobile_turns_red_and_fixing_it_clears(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    model = editor.model
    line = open_cell(qtbot, editor, 0, "mobile")
    with qtbot.waitSignal(editor.status, timeout=2000) as said:
        qtbot.keyClicks(line, "1387711234")  # ten digits: the pause in typing checks it
    assert said.args[0] == "新行 手机号码：1处问题，详见表格下方"  # the status bar is short: the text is under the grid
    assert "不是11位手机号码" in editor.cell_line.text()
    assert "f7b9b9" in line.styleSheet() and "不是11位手机号码" in line.toolTip()
    QTest.keyClick(line, Qt.Key.Key_Return)
    cell = model.index(0, col(editor, "mobile"))
    assert model.data(cell, BG) == frame_model.ERROR_BRUSH
    assert "手机号码“1387711234”不是11位手机号码（现有10位）" in model.data(cell, TIP)
    assert editor.table.currentIndex().row() == 1  # Enter moved down, like Excel

    type_ascii(qtbot, editor, 0, "mobile", "5", keep=True)  # F2 keeps the text: the missing digit added
    assert model.data(cell, BG) is None
    assert model.data(cell, Qt.ItemDataRole.DisplayRole) == "13877112345"
    assert model.data(cell, TIP) == "号段表归属地：广西南宁（号段表2312版），南宁号码，不加0"
    row_id = workspace.row_ids(editor.frame_id)[0]
    assert workspace.row(editor.frame_id, row_id).raw["mobile"] == "13877112345"


def test_chinese_through_an_input_method(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "unit")))
    type_chinese(editor.table, "南宁市民族大道")  # on the selected cell: starts editing, replaces
    line = editor.table.delegate.editor
    assert line is not None and line.text() == "南宁市民族大道"
    QTest.keyClick(line, Qt.Key.Key_Tab)
    assert (editor.table.currentIndex().row(), editor.table.currentIndex().column()) == (0, col(editor, "title"))
    assert editor.model.rowCount() == 2  # the typed line became a row, a new empty line opened below
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "name")))
    QApplication.sendEvent(editor.table, QInputMethodEvent("nanning", []))  # pinyin being composed
    type_chinese(editor.table, "南宁")
    line = editor.table.delegate.editor
    assert line is not None and line.text() == "南宁"
    QTest.keyClick(line, Qt.Key.Key_Return)
    [row_id] = workspace.row_ids(editor.frame_id)
    raw = workspace.row(editor.frame_id, row_id).raw
    assert raw["unit"] == "南宁市民族大道" and raw["name"] == "南宁"


def test_typing_replaces_and_tab_shift_tab_move(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    workspace.insert_rows(editor.frame_id, 0, [GOOD])
    editor.model.reload()
    table = editor.table
    table.setCurrentIndex(editor.model.index(0, col(editor, "title")))
    QTest.keyClick(table, Qt.Key.Key_X)  # a printable key on a selected cell replaces its text
    line = table.delegate.editor
    assert line is not None and line.text() == "x"
    qtbot.keyClicks(line, "yz")
    QTest.keyClick(line, Qt.Key.Key_Backtab)
    assert table.currentIndex().column() == col(editor, "unit")
    assert editor.model.data(editor.model.index(0, col(editor, "title"))) == "xyz"
    QTest.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert table.currentIndex().row() == 0
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 1


def test_undo_and_redo_of_typing(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    type_ascii(qtbot, editor, 0, "mobile", "13877112345")
    type_ascii(qtbot, editor, 0, "title", "abc")
    [row_id] = workspace.row_ids(editor.frame_id)
    editor.table.setFocus()
    QTest.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workspace.row(editor.frame_id, row_id).raw.get("title", "") == ""
    QTest.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workspace.row_ids(editor.frame_id) == []
    assert editor.model.rowCount() == 1
    QTest.keyClick(editor.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert workspace.row_ids(editor.frame_id) == [row_id]
    assert workspace.row(editor.frame_id, row_id).raw["title"] == "abc"


def test_changed_is_emitted_after_an_edit(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    with qtbot.waitSignal(editor.changed, timeout=1000):
        type_ascii(qtbot, editor, 0, "title", "abc")


def test_text_still_being_typed_is_stored_before_the_window_closes(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    line = open_cell(qtbot, editor, 0, "title")
    qtbot.keyClicks(line, "abc")
    editor.commit_pending()  # what the window's flush does before it closes the workspace
    [row_id] = workspace.row_ids(editor.frame_id)
    assert workspace.row(editor.frame_id, row_id).raw["title"] == "abc"
    assert editor.table.delegate.editor is None


def test_free_text_shows_as_typed_and_the_rest_as_it_is_written(qtbot: QtBot, workspace: Workspace) -> None:
    """单位/职务/备注 are written to the files as typed (full-width brackets kept); the grid shows the same,
    while the mobile shows as the exporter writes it."""
    frame = workspace.add_hot_item("公路建设")
    typed = {**GOOD, "unit": "南宁市（青秀区）交通局，办公室", "title": "科员（借调）", "mobile": "139 0772 0577"}
    workspace.insert_rows(frame.id, 0, [typed, GOOD])
    model = frame_model.FrameModel(workspace, frame.id)
    keys = [c.key for c in model.columns]
    shown = {key: model.data(model.index(0, keys.index(key)), Qt.ItemDataRole.DisplayRole) for key in keys}
    assert shown["unit"] == "南宁市（青秀区）交通局，办公室" and shown["title"] == "科员（借调）"
    assert shown["mobile"] == "013907720577"  # not Nanning's 号段: the 0 the exporter adds
    assert model.data(model.index(0, keys.index("unit")), Qt.ItemDataRole.EditRole) == typed["unit"]
    row_id = workspace.row_ids(frame.id)[0]
    assert workspace.engine.values((frame.id, row_id))["unit"] != typed["unit"]  # the checks see it normalised
