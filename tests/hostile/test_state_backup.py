"""While a workspace is open, the .baosong file alone is the whole workspace (a copy of it is a backup), and
备份 writes one self-contained file: through forms, the CLI's `backup` and the window's 文件 → 备份工作区…."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from forms.store.workspace import Profile, Workspace, WorkspaceError
from tests.e2e.test_cli_bundle import clean_rows
from tests.e2e.test_cli_check import main_py
from tests.gui.conftest import no_unexpected_message_box, said  # noqa: F401 - fixtures used here


def rows_in(path: Path) -> int:
    with Workspace.open(path) as ws:
        return sum(ws.row_count(frame.id) for frame in ws.frames())


@pytest.fixture
def open_ws(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "交通厅.baosong", Profile("自治区交通运输厅", "gov", "经济管理类"))
    ws.import_rows(ws.system_frame().id, clean_rows(250, 0))
    ws.set_text("report:performance", "全年完成公路建设投资")
    yield ws
    ws.close()


def test_a_copy_of_the_main_file_alone_while_open_has_every_row(open_ws: Workspace, tmp_path: Path) -> None:
    frame = open_ws.system_frame().id
    [row] = open_ws.row_ids(frame)[:1]
    open_ws.set_cell(frame, row, "name", "黄小明")  # one small edit after the import: also in the main file
    copy = tmp_path / "备份" / "交通厅.baosong"
    copy.parent.mkdir()
    shutil.copy(open_ws.path, copy)  # the main file only, as Explorer copies it: no -wal beside it
    assert rows_in(copy) == 250
    with Workspace.open(copy) as ws:
        assert ws.row(frame, row).values["name"] == "黄小明"
        assert ws.text("report:performance") == "全年完成公路建设投资"


def test_backup_writes_one_self_contained_file(open_ws: Workspace, tmp_path: Path) -> None:
    target = open_ws.backup(tmp_path / "备份.baosong")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("备份")) == ["备份.baosong"]
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    moved = tmp_path / "别处" / "x.baosong"
    moved.parent.mkdir()
    shutil.move(target, moved)
    assert rows_in(moved) == 250
    with pytest.raises(WorkspaceError, match="已经存在"):
        open_ws.backup(moved)
    with pytest.raises(WorkspaceError, match="已经存在"):
        open_ws.backup(open_ws.path, overwrite=True)


def test_backup_command(tmp_path: Path) -> None:
    path = tmp_path / "w.baosong"
    with Workspace.create(path, Profile("自治区交通运输厅", "gov", "经济管理类")) as ws:
        ws.import_rows(ws.system_frame().id, clean_rows(30, 0))
    result = main_py("backup", str(path), "--out", str(tmp_path / "b.baosong"))
    assert result.returncode == 0, result.stderr
    assert "已备份到" in result.stdout and "共30行" in result.stdout
    assert rows_in(tmp_path / "b.baosong") == 30
    again = main_py("backup", str(path), "--out", str(tmp_path / "b.baosong"))
    assert again.returncode == 2 and "已经存在" in again.stderr and "Traceback" not in again.stderr


def test_backup_menu_in_the_window(qtbot: QtBot, open_ws: Workspace, tmp_path: Path,
                                   said: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from gui.main_window import MainWindow
    from gui.settings import AppSettings

    win = MainWindow(AppSettings(tmp_path / "settings.ini"), save_dir=tmp_path)
    qtbot.addWidget(win)
    win.show()
    assert not win.backup_action.isEnabled()
    win.show_workspace(open_ws)
    action = next(a for a in win.menuBar().actions()[0].menu().actions() if a.text() == "备份工作区(&K)…")
    assert action is win.backup_action and action.isEnabled()
    chosen = tmp_path / "U盘" / "交通厅备份"
    chosen.parent.mkdir()
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _t, suggested, _f: (asked.append(suggested), (str(chosen), ""))[1])
    action.trigger()
    assert Path(asked[0]).name.startswith("交通厅-备份-") and Path(asked[0]).suffix == ".baosong"
    assert rows_in(chosen.with_name("交通厅备份.baosong")) == 250
    assert "已完整备份到" in said["information"][0]
    full = tmp_path / "满" / "x.baosong"  # a folder that is not there: refused in a message box, nothing written
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(full), ""))
    action.trigger()
    assert "备份没有完成" not in said["warning"][0] and "不是可以保存备份的文件名" in said["warning"][0]
    win.ws = None  # the fixture closes it
    win.view = None
