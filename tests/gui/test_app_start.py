"""The program as the clerk starts it: `python main.py` and `python main.py WS.baosong`, in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from forms.store.workspace import Profile, Workspace
from gui import app

ROOT = Path(__file__).resolve().parents[2]


def run_main(tmp_path: Path, mode: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "BAOSONG_BENCH": mode}
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_no_argument_shows_the_start_screen(tmp_path: Path) -> None:
    done = run_main(tmp_path, "shown")
    assert done.returncode == 0 and done.stdout.startswith(app.BENCH_MARKER)


def test_a_workspace_argument_opens_it_and_remembers_it(tmp_path: Path) -> None:
    path = tmp_path / "水利厅.baosong"
    Workspace.create(path, Profile("自治区水利厅", "gov", "经济管理类")).close()
    done = run_main(tmp_path, "ready", str(path))
    assert done.returncode == 0 and done.stdout.startswith(app.READY_MARKER)
    settings = next((tmp_path / "config").rglob("*.ini")).read_text("utf-8")
    assert "recent" in settings and "水利厅.baosong" in settings
    with Workspace.open(path) as ws:  # closed again: the lock was released on exit
        assert ws.profile.department == "自治区水利厅"


@pytest.mark.usefixtures("qapp")
def test_qt_dialogs_speak_chinese() -> None:
    translator = app.install_translations(QApplication.instance())
    try:
        assert translator is not None
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        QCoreApplication.removeTranslator(translator)
