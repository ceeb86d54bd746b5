"""The main window as the clerk meets it: opening (and refusing) workspaces, drops, the title, reopening."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from forms.store.workspace import Profile, Workspace
from gui.main_window import MainWindow
from gui.settings import AppSettings

TODAY = dt.date(2015, 11, 5)


def ime_type(widget: QWidget, text: str) -> None:
    """Type Chinese the way an input method commits it (qtbot.keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def capture(_parent: object, title: str, text: str, *_: object) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, capture)
    return shown


def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    win = MainWindow(AppSettings(tmp_path / "settings.ini"), today=TODAY, save_dir=tmp_path)
    qtbot.addWidget(win)
    win.show()
    return win


def new_workspace(path: Path) -> Path:
    Workspace.create(path, Profile("自治区水利厅", "gov", "经济管理类", liaison="李明")).close()
    return path


def test_start_screen_then_opening_a_workspace_in_the_background(qtbot: QtBot, tmp_path: Path) -> None:
    path = new_workspace(tmp_path / "水利厅.baosong")
    win = window(qtbot, tmp_path)
    assert win.windowTitle() == "报送助手" and win.stack.currentWidget() is win.start
    with qtbot.waitSignal(win.workspace_opened, timeout=10000):
        win.open_path(str(path))
    assert win.windowTitle() == "报送助手 — 自治区水利厅"
    assert win.settings.recent() == [str(path.resolve())]
    win.close()
    fresh = window(qtbot, tmp_path)
    assert fresh.start.recent.item(0).data(Qt.ItemDataRole.UserRole) == str(path.resolve())


def test_a_locked_workspace_gives_the_chinese_message(qtbot: QtBot, tmp_path: Path, workspace: Workspace,
                                                      messages: list[tuple[str, str]]) -> None:
    win = window(qtbot, tmp_path)
    with qtbot.waitSignal(win.open_failed, timeout=10000):
        win.open_path(str(workspace.path))  # the fixture holds it open, as another window would
    assert messages and messages[0][0] == "无法打开工作区"
    assert "正在被另一个报送助手窗口或程序使用" in messages[0][1] and "关闭" in messages[0][1]
    assert win.stack.currentWidget() is win.start and win.ws is None


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("坏文件.baosong", b"this is not sqlite at all" * 100, "不是报送助手的工作区文件"),
    ("名单.xlsx", b"PK", "不是报送助手的工作区文件"),
    ("不存在.baosong", None, "找不到工作区文件"),
])
def test_files_that_are_no_workspace_are_refused_in_chinese(qtbot: QtBot, tmp_path: Path, messages: list,
                                                             name: str, content: bytes | None, expected: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    win = window(qtbot, tmp_path)
    with qtbot.waitSignal(win.open_failed, timeout=10000):
        win.open_path(str(path))
    assert expected in messages[-1][1]


def test_dropping_a_workspace_file_opens_it(qtbot: QtBot, tmp_path: Path) -> None:
    path = new_workspace(tmp_path / "水利厅.baosong")
    win = window(qtbot, tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(win.workspace_opened, timeout=10000):
        QApplication.sendEvent(win, drop)
    assert win.ws is not None and win.ws.profile.department == "自治区水利厅"


def test_title_tells_when_it_was_last_saved(qtbot: QtBot, tmp_path: Path, workspace: Workspace) -> None:
    win = window(qtbot, tmp_path)
    win.show_workspace(workspace)
    assert win.view is not None and win.view.select("analysis")
    page = win.view.current_page()
    ime_type(page.edits["重点工作任务完成情况"], "全年完成公路建设投资")
    assert "已自动保存" not in win.windowTitle()
    qtbot.waitUntil(lambda: "已自动保存" in win.windowTitle(), timeout=5000)
    assert win.windowTitle().startswith("报送助手 — 自治区交通运输厅 — 已自动保存 ")
    assert workspace.text("analysis:重点工作任务完成情况") == "全年完成公路建设投资"


def test_reopening_restores_the_last_step_and_the_geometry(qtbot: QtBot, tmp_path: Path) -> None:
    path = new_workspace(tmp_path / "水利厅.baosong")
    first = window(qtbot, tmp_path)
    with qtbot.waitSignal(first.workspace_opened, timeout=10000):
        first.open_path(str(path))
    first.resize(700, 520)  # the offscreen screen is 800 pixels wide
    assert first.view is not None and first.view.select("contacts")
    first.close()
    second = window(qtbot, tmp_path)
    assert (second.width(), second.height()) == (700, 520)
    with qtbot.waitSignal(second.workspace_opened, timeout=10000):
        second.open_path(str(path))
    assert second.view is not None and second.view.current_key() == "contacts"
    assert type(second.view.current_page()).__name__ == "ContactsPage"


def test_settings_keep_no_personal_data(qtbot: QtBot, tmp_path: Path, workspace: Workspace) -> None:
    win = window(qtbot, tmp_path)
    win.show_workspace(workspace)
    win.view.select("contacts")
    ime_type(win.view.current_page().fields["secretary_name"], "王大力")
    win.close()
    stored = (tmp_path / "settings.ini").read_text("utf-8")
    assert "王大力" not in stored and "黄小明" not in stored and "交通运输厅" not in stored


def test_work_items_are_added_renamed_and_removed(qtbot: QtBot, tmp_path: Path, workspace: Workspace,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    win = window(qtbot, tmp_path)
    win.show_workspace(workspace)
    guide = win.view.guide
    assert "items" in guide.keys()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("农村公路建设", True))
    guide.add_button.click()
    [frame] = workspace.hot_frames()
    assert guide.current_key() == f"frame:{frame.id}" and f"questionnaire:{frame.id}" in guide.keys()
    assert guide.rename_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("道路运输", True))
    guide.rename_button.click()
    assert workspace.frame(frame.id).item == "道路运输" and guide.title_of(f"frame:{frame.id}").endswith("道路运输")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    guide.remove_button.click()
    assert workspace.hot_frames() == [] and "items" in guide.keys()


def test_undo_menu_follows_the_current_page(qtbot: QtBot, tmp_path: Path, workspace: Workspace) -> None:
    frame = workspace.add_hot_item("农村公路建设")
    win = window(qtbot, tmp_path)
    win.show_workspace(workspace)
    win.view.select(f"questionnaire:{frame.id}")
    page = win.view.current_page()
    page.use_starter()
    assert win.undo_action.isEnabled() and "套用范本" in win.undo_action.text()
    win.undo_action.trigger()
    assert page.questions() == []
    win.view.select("contacts")
    assert not win.undo_action.isEnabled()


def test_double_clicking_a_recent_workspace_opens_it(qtbot: QtBot, tmp_path: Path) -> None:
    path = new_workspace(tmp_path / "水利厅.baosong")
    settings = AppSettings(tmp_path / "settings.ini")
    settings.add_recent(path)
    win = window(qtbot, tmp_path)
    item = win.start.recent.item(0)
    assert item.text().startswith("水利厅")
    rect = win.start.recent.visualItemRect(item)
    qtbot.mouseClick(win.start.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(win.workspace_opened, timeout=10000):
        qtbot.mouseDClick(win.start.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.ws is not None and win.ws.profile.department == "自治区水利厅"


def test_new_department_runs_the_wizard_and_opens_what_it_made(qtbot: QtBot, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.wizard import NewDepartmentWizard

    def finish(wizard: NewDepartmentWizard) -> int:  # what clicking through the pages does (see test_wizard)
        wizard.setField("department", "自治区水利厅")
        wizard.kind_page.radios["pub"].click()
        wizard.location_page.path.setText(str(tmp_path / "水利厅.baosong"))
        return int(wizard.create_workspace())

    monkeypatch.setattr(NewDepartmentWizard, "exec", finish)
    win = window(qtbot, tmp_path)
    with qtbot.waitSignal(win.workspace_opened, timeout=5000):
        win.new_department()
    assert win.ws is not None and win.ws.kind.system_form == "6"
    assert win.view is not None and win.view.current_key() == f"frame:{win.ws.system_frame().id}"
    assert (tmp_path / "水利厅.baosong").exists()


def test_ctrl_z_in_a_questionnaire_stem_undoes_through_the_window(qtbot: QtBot, tmp_path: Path,
                                                                  workspace: Workspace) -> None:
    from PySide6.QtTest import QTest

    frame = workspace.add_hot_item("农村公路建设")
    win = window(qtbot, tmp_path)
    win.show_workspace(workspace)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)  # shortcuts need it
    win.view.select(f"questionnaire:{frame.id}")
    page = win.view.current_page()
    page.use_starter()
    page.list.setCurrentRow(0)
    page.stem.setFocus()
    ime_type(page.stem, "新")
    assert page.questions()[0].stem.startswith("新您对")
    QTest.keyClick(page.stem, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.questions()[0].stem.startswith("您对") and page.stem.toPlainText().startswith("您对")
    QTest.keyClick(page.stem, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.questions() == []  # the draft itself, next in line
    QTest.keyClick(page.list, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(page.questions()) == 5
