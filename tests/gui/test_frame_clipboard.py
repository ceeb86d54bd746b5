"""Copy and paste with Excel/WPS, Delete, inserting and deleting rows, each undoable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from gui.clipboard import fill_selection, is_blank, parse_tsv, to_tsv
from gui.frame_editor import FrameEditor
from tests.gui.test_frame_helpers import GOOD, OFFSCREEN_SIZE_HINTS, col, editor_for

pytestmark = OFFSCREEN_SIZE_HINTS
CTRL = Qt.KeyboardModifier.ControlModifier


def excel_text(count: int) -> str:
    """What Excel puts on the clipboard: CRLF rows, a quoted cell with a line break and a tab, a final CRLF."""
    lines = [f"人员{n}\t{'男' if n % 2 else '女'}\t南宁市交通运输局\t科员\t\t\t1387711{n:04d}\t"
             + ('"第一行\n第二行\t后半"' if n == 3 else "") for n in range(count)]
    return "\r\n".join(lines) + "\r\n"


def key(editor: FrameEditor, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    editor.table.setFocus()
    QTest.keyClick(editor.table, k, modifiers)


def select(editor: FrameEditor, top: int, left: int, bottom: int, right: int) -> None:
    model, table = editor.model, editor.table
    table.setCurrentIndex(model.index(top, left))
    table.selectionModel().select(QItemSelection(model.index(top, left), model.index(bottom, right)),
                                  QItemSelectionModel.SelectionFlag.ClearAndSelect)


@pytest.mark.parametrize(("text", "rows"), [
    ("a\tb\r\nc\td\r\n", [["a", "b"], ["c", "d"]]),
    ("a\tb\nc\td", [["a", "b"], ["c", "d"]]),
    ('"x\ny"\t"p""q"\r\n', [["x\ny", 'p"q']]),
    ("one\r\n\r\n", [["one"]]),
    ("a\t\tc\r\n", [["a", "", "c"]]),
    ("x\n\ny", [["x"], [""], ["y"]]),
])
def test_clipboard_text_as_excel_writes_it(text: str, rows: list[list[str]]) -> None:
    assert parse_tsv(text) == rows
    assert parse_tsv(to_tsv(rows)) == rows


@pytest.mark.parametrize("text", ["\r\n", "", "\t\r\n"])
def test_an_empty_copied_cell_fills_nothing_and_never_raises(text: str) -> None:
    assert fill_selection(text, 3, 2) is None
    assert is_blank(text)


def test_pasting_an_empty_excel_cell_clears_the_selection(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    QGuiApplication.clipboard().setText(excel_text(3))
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "name")))
    key(editor, Qt.Key.Key_V, CTRL)
    select(editor, 0, col(editor, "name"), 1, col(editor, "name"))
    QGuiApplication.clipboard().setText("\r\n")
    key(editor, Qt.Key.Key_V, CTRL)
    names = [workspace.row(editor.frame_id, r).raw.get("name", "") for r in workspace.row_ids(editor.frame_id)]
    assert names == ["", "", "人员2"]
    key(editor, Qt.Key.Key_Z, CTRL)
    names = [workspace.row(editor.frame_id, r).raw.get("name", "") for r in workspace.row_ids(editor.frame_id)]
    assert names == ["人员0", "人员1", "人员2"]


def test_a_100000_row_paste_is_refused_with_a_message(qtbot: QtBot, workspace: Workspace,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    editor = editor_for(qtbot, workspace)
    QGuiApplication.clipboard().setText(excel_text(2))
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "name")))
    key(editor, Qt.Key.Key_V, CTRL)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))
    QGuiApplication.clipboard().setText("人员\t男\r\n" * 100_000)
    key(editor, Qt.Key.Key_V, CTRL)
    assert shown and "100000行" in shown[0] and "导入表格" in shown[0]
    assert len(workspace.row_ids(editor.frame_id)) == 2  # the saved rows are as they were


def test_paste_1000_rows_then_undo_and_redo(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    frame_id = editor.frame_id
    QGuiApplication.clipboard().setText(excel_text(1000))
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "name")))
    key(editor, Qt.Key.Key_V, CTRL)
    ids = workspace.row_ids(frame_id)
    assert len(ids) == 1000 and editor.model.rowCount() == 1001
    fourth = workspace.row(frame_id, ids[3])
    assert fourth.values["name"] == "人员3" and fourth.values["mobile"] == "13877110003"
    assert fourth.raw["remark"] == "第一行\n第二行\t后半"
    assert editor.undo_stack.count() == 1  # one paste, one step

    key(editor, Qt.Key.Key_Z, CTRL)
    assert workspace.row_ids(frame_id) == [] and editor.model.rowCount() == 1
    key(editor, Qt.Key.Key_Y, CTRL)
    assert workspace.row_ids(frame_id) == ids and editor.model.rowCount() == 1001
    assert workspace.row(frame_id, ids[999]).values["name"] == "人员999"
    qtbot.waitUntil(lambda: editor.header.bar.format() == "1000 / 500")


def test_cancelling_a_big_paste_takes_back_what_was_written(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    QGuiApplication.clipboard().setText(excel_text(1000))
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "name")))
    seen: list[str] = []

    def press_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QProgressDialog)
        button = dialog.findChild(QPushButton)
        seen.extend([dialog.labelText(), button.text()])
        button.click()

    QTimer.singleShot(10, press_cancel)
    key(editor, Qt.Key.Key_V, CTRL)
    assert seen == ["正在粘贴…", "取消"]
    assert workspace.row_ids(editor.frame_id) == [] and editor.model.rowCount() == 1
    assert editor.undo_stack.count() == 0  # nothing happened, so nothing to undo


def test_paste_over_rows_changes_them_and_adds_the_rest(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    workspace.insert_rows(editor.frame_id, 0, [GOOD])
    editor.model.reload()
    QGuiApplication.clipboard().setText("处长\t0771\r\n副处长\t0772\r\n")
    editor.table.setCurrentIndex(editor.model.index(0, col(editor, "title")))
    key(editor, Qt.Key.Key_V, CTRL)
    first, second = workspace.rows(editor.frame_id)
    assert first.values["name"] == "张三" and first.values["title"] == "处长" and first.values["area_code"] == "0771"
    assert second.values["title"] == "副处长" and second.values["name"] == ""
    key(editor, Qt.Key.Key_Z, CTRL)
    [only] = workspace.rows(editor.frame_id)
    assert only.raw["title"] == "科长" and only.raw.get("area_code", "") == ""


def test_copy_gives_tab_separated_text(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    workspace.insert_rows(editor.frame_id, 0, [GOOD, {**GOOD, "name": "李四", "gender": "女",
                                                      "mobile": "13978012345"}])
    editor.model.reload()
    select(editor, 0, col(editor, "name"), 1, col(editor, "gender"))
    key(editor, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "张三\t男\n李四\t女"
    select(editor, 1, col(editor, "mobile"), 1, col(editor, "mobile"))
    key(editor, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "013978012345"  # as the exporter writes it


def test_delete_clears_selected_cells_and_undo_brings_them_back(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    [row_id] = workspace.insert_rows(editor.frame_id, 0, [GOOD])
    editor.model.reload()
    select(editor, 0, col(editor, "unit"), 0, col(editor, "title"))
    key(editor, Qt.Key.Key_Delete)
    raw = workspace.row(editor.frame_id, row_id).raw
    assert raw["unit"] == "" and raw["title"] == "" and raw["name"] == "张三"
    key(editor, Qt.Key.Key_Z, CTRL)
    assert workspace.row(editor.frame_id, row_id).raw["unit"] == "南宁市交通运输局"


def test_insert_and_delete_rows_with_undo(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    ids = workspace.insert_rows(editor.frame_id, 0, [GOOD, {**GOOD, "name": "李四", "mobile": "13877112346"}])
    editor.model.reload()
    editor.table.setCurrentIndex(editor.model.index(1, col(editor, "name")))
    key(editor, Qt.Key.Key_Equal, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Ctrl+Shift+=: a row above
    now = workspace.row_ids(editor.frame_id)
    assert len(now) == 3 and now[0] == ids[0] and now[2] == ids[1]
    assert editor.model.data(editor.model.index(2, col(editor, "name"))) == "李四"
    key(editor, Qt.Key.Key_Z, CTRL)
    assert workspace.row_ids(editor.frame_id) == ids

    editor.table.go_to(editor.model.index(0, col(editor, "name")))
    key(editor, Qt.Key.Key_Minus, CTRL)  # Ctrl+-: delete the row
    assert workspace.row_ids(editor.frame_id) == [ids[1]]
    assert editor.model.data(editor.model.index(0, col(editor, "name"))) == "李四"
    key(editor, Qt.Key.Key_Z, CTRL)
    assert workspace.row_ids(editor.frame_id) == ids
    assert editor.model.data(editor.model.index(0, col(editor, "name"))) == "张三"
    assert editor.model.data(editor.model.index(1, 0)) == "2"
