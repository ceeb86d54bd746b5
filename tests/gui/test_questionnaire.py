"""The questionnaire builder: templates, the 5-question minimum, typing, reorder by drag, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from forms.notice import questionnaire as q
from forms.store.workspace import Frame, Workspace
from forms.tasks import steps
from gui import style
from gui.questionnaire import QuestionnairePage


def ime_type(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def frame(workspace: Workspace) -> Frame:
    return workspace.add_hot_item("农村公路建设")


def page_of(qtbot: QtBot, ws: Workspace, frame: Frame) -> QuestionnairePage:
    page = QuestionnairePage(ws, frame.id)
    qtbot.addWidget(page)
    page.show()
    return page


def status(ws: Workspace, frame: Frame) -> str:
    return steps.status_of(ws, f"questionnaire:{frame.id}", steps.dt.date(2015, 11, 5)).label


def test_a_new_questionnaire_is_not_started_and_offers_the_draft(qtbot: QtBot, workspace: Workspace,
                                                                 frame: Frame) -> None:
    page = page_of(qtbot, workspace, frame)
    assert page.summary.text() == "共0题，还差5题（评议问卷至少5题）"
    assert page.buttons["套用范本（5题）"].isVisible()
    assert status(workspace, frame) == "未开始"  # looking at the page writes nothing


def test_four_questions_are_an_error_five_are_enough(qtbot: QtBot, workspace: Workspace, frame: Frame) -> None:
    page = page_of(qtbot, workspace, frame)
    for n in range(4):
        page.buttons["添加满意度题"].click()
        ime_type(page.stem, f"您对第{n + 1}项服务是否满意？")
    page.flush()
    assert page.summary.text() == "共4题，还差1题（评议问卷至少5题）"
    assert style.ERROR_COLOUR in page.summary.styleSheet()
    assert status(workspace, frame) == "有1处错误"
    page.buttons["添加开放式题"].click()
    ime_type(page.stem, "您对改进农村公路建设工作有什么意见和建议？")
    page.flush()
    assert page.summary.text() == "共5题，题数符合要求（至少5题）"
    assert status(workspace, frame) == "已完成"
    saved = q.load(workspace, frame.id)
    assert len(saved) == 5 and saved[0].options == q.SCALE_5 and saved[4].free_text and saved[4].options == ()
    assert saved[4].stem == "您对改进农村公路建设工作有什么意见和建议？"


def test_an_empty_stem_is_named_below_the_list(qtbot: QtBot, workspace: Workspace, frame: Frame) -> None:
    page = page_of(qtbot, workspace, frame)
    page.use_starter()
    page.buttons["添加满意度题"].click()
    assert "第2题还没有题目" in page.findings_label.text()
    assert page.list.item(1).text() == "2. （未填写题目）"


def test_drag_reorder_persists(qtbot: QtBot, workspace: Workspace, frame: Frame) -> None:
    page = page_of(qtbot, workspace, frame)
    page.use_starter()
    first = page.questions()[0]
    # What the list's InternalMove drop does: move the row inside the model.
    assert page.list.model().moveRow(QModelIndex(), 0, QModelIndex(), 3)
    qtbot.waitUntil(lambda: page.questions()[2] == first, timeout=3000)
    assert page.list.item(2).text().startswith("3. 您对本部门农村公路建设工作的总体评价是")
    assert page.list.item(0).text().startswith("1. ")
    assert q.load(workspace, frame.id)[2] == first
    again = page_of(qtbot, workspace, frame)
    assert again.questions()[2] == first
    page.stack.undo()
    assert page.questions()[0] == first and q.load(workspace, frame.id)[0] == first


def test_duplicate_remove_and_undo(qtbot: QtBot, workspace: Workspace, frame: Frame) -> None:
    page = page_of(qtbot, workspace, frame)
    page.use_starter()
    page.list.setCurrentRow(1)
    page.duplicate()
    assert len(page.questions()) == 6 and page.questions()[1] == page.questions()[2]
    assert page.list.currentRow() == 2
    page.remove()
    page.remove()
    assert len(page.questions()) == 4 and status(workspace, frame) == "有1处错误"
    page.stack.undo()
    assert len(page.questions()) == 5 and status(workspace, frame) == "已完成"


def test_typing_is_one_undo_step_per_field(qtbot: QtBot, workspace: Workspace, frame: Frame) -> None:
    page = page_of(qtbot, workspace, frame)
    page.add(q.satisfaction())
    ime_type(page.stem, "您对")
    ime_type(page.stem, "道路养护是否满意？")
    assert page.questions()[0].stem == "您对道路养护是否满意？"
    page.stack.undo()
    assert page.questions()[0].stem == "" and page.stem.toPlainText() == ""
    page.stack.redo()
    assert page.stem.toPlainText() == "您对道路养护是否满意？"


def test_free_text_has_no_options_and_the_scale_comes_back(qtbot: QtBot, workspace: Workspace, frame: Frame) -> None:
    page = page_of(qtbot, workspace, frame)
    page.add(q.satisfaction("题目"))
    page.free.setChecked(True)
    assert page.questions()[0] == q.Question("题目", (), True) and not page.options.isEnabled()
    page.free.setChecked(False)
    assert page.questions()[0].options == q.SCALE_5
    page.options.setPlainText("是\n否")
    assert page.questions()[0].options == ("是", "否")
    page.scale_button.click()
    assert page.options.toPlainText().splitlines() == list(q.SCALE_5)
