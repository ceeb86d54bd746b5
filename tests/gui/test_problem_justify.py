"""A warning's reason from the problem list itself (button and context menu); one count of open warnings."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from forms.tasks import steps
from gui.frame_editor import FrameEditor
from packaging import bundle
from tests.gui.test_frame_helpers import OFFSCREEN_SIZE_HINTS, editor_for
from tests.gui.test_frame_problems import ROWS

pytestmark = OFFSCREEN_SIZE_HINTS
REASON = "两人同名，已电话核实不是同一人"


@pytest.fixture
def editor(qtbot: QtBot, workspace: Workspace) -> FrameEditor:
    frame = workspace.add_hot_item("公路建设")
    workspace.insert_rows(frame.id, 0, ROWS)
    return editor_for(qtbot, workspace, frame.id)


def first_warning(editor: FrameEditor) -> int:
    panel = editor.problems
    return next(n for n in range(panel.model.total) if panel.warning_at(n) is not None)


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_the_button_asks_for_the_reason_of_the_selected_warning(monkeypatch: pytest.MonkeyPatch,
                                                                editor: FrameEditor) -> None:
    asked: list[str] = []

    def dialog(_parent: object, _title: str, label: str, _old: str) -> tuple[str, bool]:
        asked.append(label)
        return REASON, True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", dialog)
    panel = editor.problems
    assert not panel.justify_button.isEnabled()  # nothing selected
    panel.view.selectRow(0)  # an error: no reason can be given
    assert not panel.justify_button.isEnabled()
    entry = first_warning(editor)
    panel.view.selectRow(entry)
    assert panel.justify_button.isEnabled() and panel.justify_button.text() == "填写说明…"
    steps_before = editor.undo_stack.count()
    QTest.mouseClick(panel.justify_button, Qt.MouseButton.LeftButton)
    row_id, code = panel.warning_at(entry) or (0, "")
    assert code == "possible-duplicate" and asked
    assert editor.ws.justifications(editor.frame_id) == {(row_id, code): REASON}
    assert editor.undo_stack.count() == steps_before + 1
    editor.refresh()
    panel.view.selectRow(entry)
    assert panel.justify_button.text() == "修改说明…"


def test_the_context_menu_on_a_problem_gives_and_takes_back_the_reason(monkeypatch: pytest.MonkeyPatch,
                                                                       editor: FrameEditor) -> None:
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a: (REASON, True))
    panel = editor.problems
    entry = first_warning(editor)

    def choose(text: str) -> list[str]:
        menu = panel.problem_menu(entry)
        assert menu is not None
        next(a for a in menu.actions() if a.text() == text).trigger()
        return [a.text() for a in menu.actions()]

    assert choose("填写说明…") == ["转到该单元格", "填写说明…"]
    assert len(editor.ws.justifications(editor.frame_id)) == 1
    editor.refresh()
    assert choose("取消说明") == ["转到该单元格", "修改说明…", "取消说明"]
    assert editor.ws.justifications(editor.frame_id) == {}
    assert panel.problem_menu(-1) is None and panel.problem_menu(panel.model.total) is None
    editor.refresh()
    choose("转到该单元格")
    row_id = (panel.warning_at(entry) or (0, ""))[0]
    assert editor.model.row_id(editor.table.currentIndex().row()) == row_id


def test_header_problem_list_guide_and_pack_page_give_one_count(monkeypatch: pytest.MonkeyPatch,
                                                                editor: FrameEditor) -> None:
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a: (REASON, True))
    ws, frame_id = editor.ws, editor.frame_id
    ws.import_rows(frame_id, [{**ROWS[0], "name": "王五", "unit": "南宁市交通运输局办公室", "mobile": "13877112398"}])
    ws.validate()
    editor.model.reload()
    editor.refresh()
    total = ws.engine.counts(frame_id)[1]
    assert total >= 2
    editor.problems.view.selectRow(first_warning(editor))
    assert editor.problems.justify_current()
    editor.refresh()
    open_, explained = steps.warning_counts(ws, frame_id)
    assert (open_, explained) == (total - 1, 1)
    header = editor.header.counts.text()
    assert f"提醒 {open_} 处未说明" in header and f"已说明 {explained} 处" in header
    assert f"{open_} 处提醒未说明" in editor.problems.summary.text()
    pack = next(line for line in bundle.unexplained_warnings(ws) if line.startswith("附件3"))
    assert numbers(pack.split("：")[1]) == [open_]
