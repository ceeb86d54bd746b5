"""The guide: only the steps a department owes, by deadline; statuses that follow the data; days left."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from forms.notice import questionnaire as q
from forms.store.workspace import Profile, Workspace
from gui.workspace_view import WorkspaceView

TODAY = dt.date(2015, 11, 5)
ROW = {"name": "张三", "gender": "男", "unit": "南宁市某公司", "title": "经理", "mobile": "13877112345"}
ALL_FORMS = ("2", "3", "4", "5", "6", "7", "9", "10", "11")


def ime_type(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def view_of(qtbot: QtBot, ws: Workspace, today: dt.date = TODAY) -> WorkspaceView:
    view = WorkspaceView(ws, lambda: today)
    qtbot.addWidget(view)
    return view


@pytest.fixture
def kind_ws(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "ws.baosong", Profile("自治区某单位", request.param, liaison="黄小明"))
    ws.add_hot_item("重点工作")
    yield ws
    ws.close()


@pytest.mark.parametrize(("kind_ws", "owed"), [("gov", ("2", "3", "9")), ("party", ("4", "5", "10")),
                                               ("pub", ("6", "7", "11"))], indirect=["kind_ws"])
def test_only_the_owed_steps_for_each_kind(qtbot: QtBot, kind_ws: Workspace, owed: tuple[str, ...]) -> None:
    guide = view_of(qtbot, kind_ws).guide
    titles = " ".join(guide.title_of(k) for k in guide.keys())
    for form in ALL_FORMS:
        assert (f"附件{form}）" in titles) is (form in owed), form
    for common in ("评议问卷·重点工作", "打包加密发送", "附件8情况表", "整改情况报告", "年度绩效情况报告", "网站公示"):
        assert common in titles


def test_steps_are_grouped_under_the_three_deadlines(qtbot: QtBot, workspace: Workspace) -> None:
    guide = view_of(qtbot, workspace).guide
    heads = [guide.tree.topLevelItem(n).text(0) for n in range(guide.tree.topLevelItemCount())]
    assert heads == ["11月13日前（还有8天）", "12月10日前（还有35天）", "12月20日前（还有45天）"]
    assert guide.tree.topLevelItem(2).child(0).text(0) == "领导评价表·绩效分析（附件9）"


@pytest.mark.parametrize(("today", "text"), [
    (dt.date(2015, 11, 5), "距11月13日截止还有8天"),
    (dt.date(2015, 11, 13), "今天（11月13日）是截止日期"),
    (dt.date(2015, 12, 11), "距12月20日截止还有9天"),
])
def test_days_left_to_the_next_deadline(qtbot: QtBot, workspace: Workspace, today: dt.date, text: str) -> None:
    assert view_of(qtbot, workspace, today).guide.deadline.text() == text


def test_statuses_change_when_the_data_changes(qtbot: QtBot, workspace: Workspace) -> None:
    view = view_of(qtbot, workspace)
    key = f"frame:{workspace.system_frame().id}"
    assert view.guide.status_text(key) == "未开始"
    [row] = workspace.insert_rows(workspace.system_frame().id, 0, [ROW])
    view.refresh()
    assert view.guide.status_text(key).endswith("处错误")  # no street address, no coverage yet
    frame = workspace.add_hot_item("农村公路建设")
    q.save(workspace, frame.id, [q.satisfaction(f"问题{n}") for n in range(5)])
    view.refresh()
    assert view.guide.status_text(f"questionnaire:{frame.id}") == "已完成"


def test_a_page_edit_updates_its_step(qtbot: QtBot, workspace: Workspace) -> None:
    view = view_of(qtbot, workspace)
    view.select("report:performance")
    ime_type(view.current_page().editor, "全年完成各项目标任务。")
    qtbot.waitUntil(lambda: view.guide.status_text("report:performance") == "已完成", timeout=5000)


def test_selecting_a_step_shows_its_page_and_keeps_it(qtbot: QtBot, workspace: Workspace) -> None:
    view = view_of(qtbot, workspace)
    view.select("contacts")
    contacts = view.current_page()
    view.select("analysis")
    view.select("contacts")
    assert view.current_page() is contacts and view.current_key() == "contacts"
    assert view.select("no-such-step") is False


def test_a_duplicate_link_opens_the_other_frame_at_its_row(qtbot: QtBot, workspace: Workspace) -> None:
    frame = workspace.add_hot_item("农村公路建设")
    rows = workspace.insert_rows(frame.id, 0, [ROW, {**ROW, "name": "李四", "mobile": "13877112346"}])
    view = view_of(qtbot, workspace)
    view.select(f"frame:{workspace.system_frame().id}")
    view.open_row(frame.id, rows[1])
    assert view.current_key() == f"frame:{frame.id}"
    editor = getattr(view.current_page(), "editor", None)
    if editor is not None:  # GUI-B's grid is there: the row is the current one
        assert editor.table.currentIndex().row() == 1


def test_nothing_touches_the_workspace_while_a_job_owns_it(qtbot: QtBot, workspace: Workspace,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import gui.settings
    import gui.workspace_view

    view = view_of(qtbot, workspace)
    view.select("report:performance")
    monkeypatch.setattr(gui.settings, "workspace_busy", lambda: True)
    monkeypatch.setattr(gui.workspace_view, "workspace_busy", lambda: True)
    ime_type(view.current_page().editor, "全年完成各项目标任务。")
    assert view.current_page().flush() is True and workspace.text("report:performance") == ""
    view.refresh()
    assert view.guide.status_text("report:performance") == "未开始"
    monkeypatch.undo()
    qtbot.waitUntil(lambda: view.guide.status_text("report:performance") == "已完成", timeout=5000)
    assert "全年完成各项目标任务。" in workspace.text("report:performance")
