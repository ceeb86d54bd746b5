"""Killing the program right after an edit loses nothing: every committed edit is already in SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from forms.store.workspace import Profile, Workspace

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from forms.store.workspace import Workspace
    from gui.frame_editor import FrameEditor

    app = QApplication([])
    ws = Workspace.open(sys.argv[1])
    editor = FrameEditor(ws, int(sys.argv[2]))
    editor.show()
    table = editor.table
    table.setCurrentIndex(editor.model.index(0, editor.model.keys.index("name")))
    event = QInputMethodEvent()
    event.setCommitString("黄小明")  # the clerk types a name through the input method
    QApplication.sendEvent(table, event)
    QTest.keyClick(table.delegate.editor, Qt.Key.Key_Tab)
    QTest.keyClick(table, Qt.Key.Key_M)
    QTest.keyClick(table.delegate.editor, Qt.Key.Key_Return)
    print("done", flush=True)
    app.exec()
""")


def test_killed_after_an_edit_the_edit_is_there(tmp_path: Path) -> None:
    path = tmp_path / "交通厅.baosong"
    with Workspace.create(path, Profile("自治区交通运输厅", "gov", "经济管理类")) as ws:
        frame_id = ws.add_hot_item("公路建设").id
    script = tmp_path / "edit_then_wait.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(script), str(path), str(frame_id)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "done", child.stderr.read() if child.stderr else ""
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with Workspace.open(path) as ws:
        [row] = ws.rows(frame_id)
        assert row.values["name"] == "黄小明" and row.values["gender"] == "男"
