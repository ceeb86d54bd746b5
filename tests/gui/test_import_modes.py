"""Importing into a frame that has people: 按人合并 / 追加 / 替换 with their counts, each one undo step."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from forms.store.import_plan import ImportMode
from forms.store.workspace import Workspace
from gui.frame_editor import FrameEditor
from gui.import_dialog import ImportDialog
from tests.gui.test_frame_helpers import OFFSCREEN_SIZE_HINTS, editor_for
from tests.gui.test_import_dialog import clerk_workbook

pytestmark = OFFSCREEN_SIZE_HINTS
CTRL = Qt.KeyboardModifier.ControlModifier


def click(button: QRadioButton) -> None:
    """A click on the round button itself (the widget is wider than its text)."""
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(8, button.height() // 2))


def counted(dialog: ImportDialog) -> bool:
    box = dialog.mode_box
    return box is not None and all("计算" not in label.text() and label.text() for label in box.counts.values())


def imported_once(qtbot: QtBot, workspace: Workspace, path: Path) -> FrameEditor:
    editor = editor_for(qtbot, workspace)
    editor.open_import(str(path))
    dialog = editor.import_dialog
    assert dialog is not None and dialog.mode_box is None  # an empty frame: nothing to ask
    qtbot.waitUntil(lambda: "正在检查" not in dialog.summary.text())
    dialog.accept()
    assert len(workspace.row_ids(editor.frame_id)) == 30
    return editor


def second_dialog(qtbot: QtBot, editor: FrameEditor, path: Path) -> ImportDialog:
    editor.open_import(str(path))
    dialog = editor.import_dialog
    assert dialog is not None and dialog.mode_box is not None
    qtbot.waitUntil(lambda: counted(dialog))
    return dialog


def changed_copy(path: Path, target: Path) -> Path:
    """The same sheet a week later: one title changed, two people added."""
    book = load_workbook(path)
    sheet = book.active
    sheet.cell(row=4, column=5, value="副科长")
    sheet.append([31, "新人甲", "男", "南宁市交通运输局", "科员", "13877199001", ""])
    sheet.append([32, "新人乙", "女", "南宁市交通运输局", "科员", "13877199002", ""])
    book.save(target)
    return target


def test_the_same_file_again_merges_by_default_and_doubles_nobody(qtbot: QtBot, workspace: Workspace,
                                                                  tmp_path: Path) -> None:
    path = clerk_workbook(tmp_path / "名单.xlsx")
    editor = imported_once(qtbot, workspace, path)
    dialog = second_dialog(qtbot, editor, path)
    box = dialog.mode_box
    assert box is not None and box.mode() is ImportMode.MERGE
    assert box.counts[ImportMode.MERGE].text() == "将新增0人，更新0人，不变30人。"
    assert box.counts[ImportMode.APPEND].text() == "将新增30人；其中30人已在表中，追加后会重复。"
    assert box.counts[ImportMode.REPLACE].text() == "将新增30人，删除现有30人。"
    steps = editor.undo_stack.count()
    dialog.accept()
    assert len(workspace.row_ids(editor.frame_id)) == 30
    assert editor.undo_stack.count() == steps  # nothing changed: no step to undo


def test_merge_updates_and_adds_in_one_undo_step(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    path = clerk_workbook(tmp_path / "名单.xlsx")
    editor = imported_once(qtbot, workspace, path)
    dialog = second_dialog(qtbot, editor, changed_copy(path, tmp_path / "名单2.xlsx"))
    assert dialog.mode_box is not None
    assert dialog.mode_box.counts[ImportMode.MERGE].text() == "将新增2人，更新1人，不变29人。"
    dialog.accept()
    rows = workspace.rows(editor.frame_id)
    assert len(rows) == 32 and rows[1].raw["title"] == "副科长"
    assert editor.undo_stack.undoText().startswith("按人合并导入")
    editor.table.setFocus()
    QTest.keyClick(editor.table, Qt.Key.Key_Z, CTRL)
    rows = workspace.rows(editor.frame_id)
    assert len(rows) == 30 and rows[1].raw["title"] == "科员"


def test_replace_and_append_chosen_by_clicks(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    path = clerk_workbook(tmp_path / "名单.xlsx")
    editor = imported_once(qtbot, workspace, path)
    first_ids = workspace.row_ids(editor.frame_id)
    dialog = second_dialog(qtbot, editor, changed_copy(path, tmp_path / "名单2.xlsx"))
    assert dialog.mode_box is not None
    click(dialog.mode_box.buttons[ImportMode.REPLACE])
    assert dialog.mode() is ImportMode.REPLACE
    dialog.accept()
    rows = workspace.rows(editor.frame_id)
    assert len(rows) == 32 and rows[1].raw["title"] == "副科长" and rows[-1].values["name"] == "新人乙"
    assert editor.model.rowCount() == 33
    editor.undo_stack.undo()  # one step puts the old 30 back
    assert workspace.row_ids(editor.frame_id) == first_ids and editor.model.rowCount() == 31
    assert workspace.rows(editor.frame_id)[1].raw["title"] == "科员"
    dialog = second_dialog(qtbot, editor, path)
    assert dialog.mode_box is not None
    click(dialog.mode_box.buttons[ImportMode.APPEND])
    dialog.accept()
    assert len(workspace.row_ids(editor.frame_id)) == 60
