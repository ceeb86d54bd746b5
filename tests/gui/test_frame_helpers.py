"""Shared helpers of the frame editor tests (no tests here): an editor on a hot frame, typing like a person."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from gui.frame_editor import FrameEditor

# The offscreen platform says this for every top-level window with a layout; a real screen does not.
OFFSCREEN_SIZE_HINTS = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
GOOD = {"name": "张三", "gender": "男", "unit": "南宁市交通运输局", "title": "科长", "mobile": "13877112345"}


def editor_for(qtbot: QtBot, ws: Workspace, frame_id: int | None = None) -> FrameEditor:
    frame_id = frame_id if frame_id is not None else ws.add_hot_item("公路建设").id
    editor = FrameEditor(ws, frame_id)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.table.setFocus()
    return editor


def col(editor: FrameEditor, key: str) -> int:
    return editor.model.keys.index(key)


def open_cell(qtbot: QtBot, editor: FrameEditor, row: int, key: str) -> QLineEdit:
    """Select a cell and press F2, as a person starts editing; returns the cell editor."""
    editor.table.setCurrentIndex(editor.model.index(row, col(editor, key)))
    QTest.keyClick(editor.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: editor.table.delegate.editor is not None)
    line = editor.table.delegate.editor
    assert line is not None
    return line


def type_ascii(qtbot: QtBot, editor: FrameEditor, row: int, key: str, text: str, keep: bool = False) -> None:
    line = open_cell(qtbot, editor, row, key)
    if not keep:
        line.selectAll()
    qtbot.keyClicks(line, text)
    QTest.keyClick(line, Qt.Key.Key_Return)


def type_chinese(widget: object, text: str) -> None:
    """What an input method sends when the clerk picks the characters."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
