"""Problems panel, F8, accepted warnings, the mobile's 0-prefix override, the filter, find, the header."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from gui import frame_model, problems
from gui.frame_editor import FrameEditor
from tests.gui.test_frame_helpers import GOOD, OFFSCREEN_SIZE_HINTS, col, editor_for, type_chinese

pytestmark = OFFSCREEN_SIZE_HINTS
ROWS = [
    GOOD,
    {**GOOD, "name": "李四", "mobile": "1387711234"},  # a digit short: error
    {**GOOD, "unit": "南宁市交通运输局办公室", "mobile": "13877112399"},  # same name, close unit: warning
    {**GOOD, "name": "王五"},  # 张三's mobile: duplicate, an error pointing at row 1
    {**GOOD, "name": "赵六", "mobile": "13978012345"},  # a Liuzhou mobile: exported with a 0
]


@pytest.fixture
def editor(qtbot: QtBot, workspace: Workspace) -> FrameEditor:
    frame = workspace.add_hot_item("公路建设")
    workspace.insert_rows(frame.id, 0, ROWS)
    shown = editor_for(qtbot, workspace, frame.id)
    return shown


def entries(editor: FrameEditor) -> list[str]:
    model = editor.problems.model
    return [model.data(model.index(n, 0)) for n in range(model.rowCount())]


def double_click(qtbot: QtBot, editor: FrameEditor, entry: int, column: int = 0) -> None:
    view = editor.problems.view
    index = editor.problems.model.index(entry, column)
    view.scrollTo(index)
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a real double-click presses first
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def current(editor: FrameEditor) -> tuple[int, str]:
    index = editor.table.currentIndex()
    return index.row(), editor.model.keys[index.column()]


def test_problems_listed_whole_frame_first_then_rows(editor: FrameEditor) -> None:
    listed = entries(editor)
    assert listed[0].startswith("【错误】整个抽样框：本抽样框只有5人，少于要求的500人")
    assert "【错误】第2行 手机号码：手机号码“1387711234”不是11位手机号码" in listed[1]
    assert listed[2].startswith("【提醒】第3行 姓名：与附件3（公路建设）中的“张三”姓名相同（张三）、单位相近")
    assert any(text.startswith("【错误】第4行 手机号码：手机号码与附件3（公路建设）中的“张三”相同") for text in listed)


def test_double_click_jumps_to_the_cell_and_to_the_other_row(qtbot: QtBot, editor: FrameEditor) -> None:
    double_click(qtbot, editor, 1)
    assert current(editor) == (1, "mobile")
    duplicate = next(n for n, text in enumerate(entries(editor)) if text.startswith("【错误】第4行"))
    model = editor.problems.model
    assert model.data(model.index(duplicate, 1)) == "→ 第1行 张三"
    double_click(qtbot, editor, duplicate, 1)
    assert current(editor) == (0, "mobile")


def test_duplicate_in_another_frame_asks_the_window_to_open_it(qtbot: QtBot, workspace: Workspace,
                                                              editor: FrameEditor) -> None:
    system = workspace.system_frame()
    [other] = workspace.insert_rows(system.id, 0, [{**GOOD, "name": "钱七", "mobile": "13877112399",
                                                    "unit": "南宁市民族大道1号", "postcode": "530000"}])
    editor.model.changed_rows(None)
    editor.refresh()
    entry = next(n for n, text in enumerate(entries(editor)) if "附件2中的“钱七”" in text)
    assert editor.problems.model.data(editor.problems.model.index(entry, 1)) == "→ 附件2 第1行 钱七"
    with qtbot.waitSignal(editor.open_row) as opened:
        double_click(qtbot, editor, entry, 1)
    assert opened.args == [system.id, other]


def test_f8_walks_the_problems_from_the_current_cell(editor: FrameEditor) -> None:
    editor.table.go_to(editor.model.index(0, 0))
    visited = []
    for _ in range(4):
        QTest.keyClick(editor.table, Qt.Key.Key_F8)
        visited.append(current(editor))
    assert visited == [(1, "mobile"), (2, "name"), (3, "mobile"), (1, "mobile")]  # and round again


def test_accept_a_warning_with_a_reason(monkeypatch: pytest.MonkeyPatch, workspace: Workspace,
                                        editor: FrameEditor) -> None:
    reason = "两人同名，已电话核实不是同一人"
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *args: (reason, True))
    row_id = workspace.row_ids(editor.frame_id)[2]
    assert editor.accept_warning(row_id, "possible-duplicate")
    assert workspace.justifications(editor.frame_id) == {(row_id, "possible-duplicate"): reason}
    name = editor.model.index(2, col(editor, "name"))
    assert editor.model.data(name, Qt.ItemDataRole.BackgroundRole) == frame_model.ACCEPTED_BRUSH
    assert reason in editor.model.data(name, Qt.ItemDataRole.ToolTipRole)
    editor.refresh()
    assert any(text.startswith("【已说明】第3行") and reason in text for text in entries(editor))
    editor.undo_stack.undo()
    assert workspace.justifications(editor.frame_id) == {}
    assert editor.model.data(name, Qt.ItemDataRole.BackgroundRole) == frame_model.WARNING_BRUSH


def test_override_changes_the_displayed_prefix(workspace: Workspace, editor: FrameEditor) -> None:
    mobile = editor.model.index(4, col(editor, "mobile"))
    assert editor.model.data(mobile) == "013978012345"
    row_id = workspace.row_ids(editor.frame_id)[4]
    menu = QMenu()
    problems.override_menu(menu, editor.model, row_id)
    auto, nanning, other = menu.actions()
    assert auto.isChecked() and nanning.text() == "指定为南宁号码（不加0）"
    nanning.trigger()
    assert editor.model.data(mobile) == "13978012345"
    assert "已人工指定为南宁号码（不加0）" in editor.model.data(mobile, Qt.ItemDataRole.ToolTipRole)
    assert workspace.row(editor.frame_id, row_id).override is True
    editor.undo_stack.undo()
    assert editor.model.data(mobile) == "013978012345"
    assert workspace.row(editor.frame_id, row_id).override is None


def test_only_rows_with_problems(editor: FrameEditor) -> None:
    assert editor.model.rowCount() == 6
    editor.filter_box.setChecked(True)
    names = [editor.model.data(editor.model.index(r, col(editor, "name"))) for r in range(editor.model.rowCount())]
    assert names == ["李四", "张三", "王五"]
    assert editor.model.data(editor.model.index(2, 0)) == "4"  # 序号 stays the row's place in the frame
    editor.filter_box.setChecked(False)
    assert editor.model.rowCount() == 6


def test_find_bar(qtbot: QtBot, editor: FrameEditor) -> None:
    editor.table.go_to(editor.model.index(0, 1))
    QTest.keyClick(editor.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert editor.find_bar.isVisible()
    type_chinese(editor.find_bar.edit, "王五")
    QTest.keyClick(editor.find_bar.edit, Qt.Key.Key_Return)
    assert current(editor) == (3, "name")
    type_chinese(editor.find_bar.edit, "没有这个人")
    assert not editor.find_bar.search()
    assert "没有找到" in editor.find_bar.result.text()


def test_header_counts_and_coverage(qtbot: QtBot, workspace: Workspace, shots_dir: Path) -> None:
    system = workspace.system_frame()
    workspace.insert_rows(system.id, 0, [{**GOOD, "unit": "柳州市城中区文昌路1号", "postcode": "545001",
                                          "mobile": "13978012345", "area_code": "0772"}])
    shown = editor_for(qtbot, workspace, system.id)
    assert not shown.header.bar.isVisible() and shown.header.count.text() == "已录入 1 人"
    assert shown.coverage is not None
    liuzhou = next(shown.coverage.tree.topLevelItem(n) for n in range(14)
                   if "柳州市" in shown.coverage.tree.topLevelItem(n).text(0))
    assert liuzhou.text(0) == "△ 柳州市" and liuzhou.text(1) == "1"
    assert liuzhou.child(0).text(0) == "✓ 城中区" and liuzhou.child(1).text(0) == "✗ 鱼峰区"
    assert "已覆盖 1/14 个市" in shown.coverage.summary.text()
    shown.side.setCurrentWidget(shown.coverage)
    liuzhou.setExpanded(True)
    QApplication.processEvents()
    assert shown.grab().save(str(shots_dir / "frame_editor_coverage.png"))


def test_screenshot_with_errors(qtbot: QtBot, editor: FrameEditor, shots_dir: Path) -> None:
    editor.table.go_to(editor.model.index(1, col(editor, "mobile")))
    editor.refresh()
    QApplication.processEvents()
    assert editor.grab().save(str(shots_dir / "frame_editor.png"))
