"""Run in a subprocess by test_scaled_screens.py: the program's window as `main.py WORKSPACE` opens it, on a
1366×768 offscreen screen at the QT_SCALE_FACTOR of the environment. Saves a screenshot of the 附件2 step
and prints one JSON line of what the test checks."""

from __future__ import annotations

import datetime as dt
import json
import sys

from PySide6.QtWidgets import QApplication

from gui.app import create_application
from gui.main_window import MainWindow
from gui.settings import AppSettings


def main(workspace: str, settings: str, shot: str) -> None:
    app = create_application()
    window = MainWindow(AppSettings(settings), today=dt.date(2015, 11, 5))
    window.show()
    opened: list[object] = []
    window.workspace_opened.connect(opened.append)
    window.open_path(workspace)
    while not opened:
        app.processEvents()
    for _ in range(10):
        app.processEvents()
    editor = window.view.current_page().editor  # type: ignore[union-attr]
    table, header = editor.table, editor.table.horizontalHeader()
    last = header.count() - 1
    free = window.screen().availableGeometry()
    frame = window.frameGeometry()
    window.grab().save(shot)
    focus = QApplication.focusWidget()
    print(json.dumps({
        "screen": [free.x(), free.y(), free.width(), free.height()],
        "window": [frame.x(), frame.y(), frame.width(), frame.height()],
        "last_column_right": header.sectionViewportPosition(last) + header.sectionSize(last),
        "viewport_width": table.viewport().width(),
        "last_column": editor.model.columns[last].header,
        "focus": focus.accessibleName() if focus is not None else "",
    }), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
    sys.exit(0)
