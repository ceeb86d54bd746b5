"""Importing a spreadsheet: the preview, fixing the column mapping, drag and drop, files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from forms.tasks import deliver
from gui.frame_editor import FrameEditor
from gui.import_dialog import ImportDialog
from tests.gui.test_frame_helpers import GOOD, OFFSCREEN_SIZE_HINTS, editor_for

pytestmark = OFFSCREEN_SIZE_HINTS


def clerk_workbook(path: Path, rows: int = 30) -> Path:
    """A sheet as a clerk keeps it: a title, a header whose 移动号 column nobody recognises, the people."""
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["2015年度公路建设工作评价抽样框"])
    sheet.append(["序号", "姓名", "性别", "工作单位", "职务", "移动号", "备注"])
    for n in range(rows):
        mobile = "138771" + f"{n:05d}" if n else "12345"  # the first one is wrong
        sheet.append([n + 1, name(n), "女" if n % 2 else "男", "南宁市交通运输局", "科员", mobile, ""])
    book.save(path)
    return path


def name(n: int) -> str:
    """A different Chinese name for each n below 800."""
    return "王李张刘陈杨黄赵"[n % 8] + "伟芳娜敏静丽强磊军洋"[n // 8 % 10] + "一二三四五六七八九十"[n // 80 % 10]


def summary_done(dialog: ImportDialog) -> bool:
    return "正在检查" not in dialog.summary.text()


def open_dialog(qtbot: QtBot, editor: FrameEditor, path: Path) -> ImportDialog:
    editor.open_import(str(path))
    dialog = editor.import_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and summary_done(dialog))
    return dialog


def test_import_with_the_mapping_fixed_in_the_preview(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    editor = editor_for(qtbot, workspace)
    dialog = open_dialog(qtbot, editor, clerk_workbook(tmp_path / "名单.xlsx"))
    assert "表头在第2行" in dialog.where.text()
    assert dialog.mapping() == {0: "serial", 1: "name", 2: "gender", 3: "unit", 4: "title", 6: "remark"}
    assert dialog.preview.item(1, 1).text() == name(0)
    letters = [dialog.preview.horizontalHeaderItem(c).text().split(" ")[0] for c in range(dialog.preview.columnCount())]
    assert letters == [chr(65 + c) for c in range(len(letters))]  # Excel's column letters, A first
    assert dialog.summary.text() == "将导入 30 行，其中 30 行有错误（导入后可在问题列表中逐条改正）。"  # no phone at all

    combo = dialog.combos[5]
    combo.setCurrentIndex(combo.findText("手机号码"))  # the clerk says 移动号 is the mobile
    qtbot.waitUntil(lambda: summary_done(dialog))
    assert dialog.summary.text() == "将导入 30 行，其中 1 行有错误（导入后可在问题列表中逐条改正）。"
    dialog.accept()

    rows = workspace.rows(editor.frame_id)
    assert len(rows) == 30 and rows[1].values["mobile"] == "13877100001" and rows[1].values["name"] == name(1)
    assert editor.model.rowCount() == 31
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert workspace.row_ids(editor.frame_id) == []
    editor.undo_stack.redo()
    assert len(workspace.row_ids(editor.frame_id)) == 30


def test_a_big_import_runs_in_the_background(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    editor = editor_for(qtbot, workspace)
    dialog = open_dialog(qtbot, editor, clerk_workbook(tmp_path / "大名单.xlsx", rows=600))
    dialog.set_mapping(5, "mobile")
    qtbot.waitUntil(lambda: summary_done(dialog))
    dialog.accept()
    assert len(workspace.row_ids(editor.frame_id)) == 600
    qtbot.waitUntil(lambda: editor.header.bar.format() == "600 / 500")


def test_dropping_a_file_on_the_grid_opens_the_preview(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    editor = editor_for(qtbot, workspace)
    path = clerk_workbook(tmp_path / "拖进来的.xlsx", rows=3)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    viewport = editor.table.viewport()
    where, buttons, keys = viewport.rect().center(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    try:  # the drag comes in first; PySide6 ≥ 6.12 takes a QPointF, older ones a QPoint
        enter = QDragEnterEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, keys)
    except TypeError:
        enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(viewport, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: editor.import_dialog is not None and editor.import_dialog.isVisible())
    assert editor.import_dialog is not None and Path(editor.import_dialog.path) == path
    editor.import_dialog.reject()
    assert workspace.row_ids(editor.frame_id) == []


def test_a_corrupt_file_is_a_chinese_message_and_nothing_changes(qtbot: QtBot, workspace: Workspace,
                                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: said.append(text))
    editor = editor_for(qtbot, workspace)
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook" * 20)
    editor.open_import(str(bad))
    assert editor.import_dialog is None
    assert len(said) == 1 and "无法读取" in said[0] and "另存为.xlsx" in said[0]
    assert workspace.row_ids(editor.frame_id) == [] and editor.undo_stack.count() == 0


def test_export_writes_the_file_off_the_gui_thread(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *a: said.append(text))
    editor = editor_for(qtbot, workspace)
    workspace.insert_rows(editor.frame_id, 0, [GOOD])
    editor.export_to(tmp_path)
    [written] = tmp_path.glob("*.xlsx")
    assert len(said) == 1 and said[0].startswith("已导出1人到：") and str(written) in said[0]
    assert "_未完成" in written.name  # 1 person of 500: the file says it is not finished


def test_export_failure_says_what_to_do(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: said.append(text))

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deliver, "export_frame", full_disk)
    editor = editor_for(qtbot, workspace)
    editor.export_to(tmp_path)
    assert len(said) == 1 and said[0].startswith("磁盘空间已满")
