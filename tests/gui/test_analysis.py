"""The performance analysis: the live 字数 counter (Chinese through an input method, ASCII by key clicks),
the 1400 limit, the page-fit indicator after a pause, and autosave of the three sections."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from forms.notice.campaign import load
from forms.store.workspace import Workspace
from gui import analysis, style
from gui.analysis import AnalysisPage

FIRST, SECOND, THIRD = "重点工作任务完成情况", "工作创新和亮点", "工作难点和薄弱环节"


def ime_type(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def page_of(qtbot: QtBot, ws: Workspace) -> AnalysisPage:
    page = AnalysisPage(ws)
    qtbot.addWidget(page)
    page.show()
    return page


def test_sections_come_from_the_campaign(qtbot: QtBot, workspace: Workspace) -> None:
    page = page_of(qtbot, workspace)
    assert list(page.edits) == [FIRST, SECOND, THIRD]
    assert page.counter.text() == "已写 0 / 1400 字" and page.fit_label.text() == "可容纳在2页A4内"


def test_counter_counts_as_word_does_while_typing(qtbot: QtBot, workspace: Workspace) -> None:
    page = page_of(qtbot, workspace)
    edit = page.edits[FIRST]
    ime_type(edit, "南宁")
    qtbot.keyClicks(edit, "abc 123")
    assert edit.toPlainText() == "南宁abc 123"
    assert page.counter.text() == "已写 4 / 1400 字" and page.section_counts[FIRST].text() == "4字"
    ime_type(page.edits[THIRD], "难点，")
    assert page.counter.text() == "已写 7 / 1400 字"  # 难、点 and the full-width comma


def test_above_the_limit_the_counter_turns_red(qtbot: QtBot, workspace: Workspace) -> None:
    page = page_of(qtbot, workspace)
    ime_type(page.edits[SECOND], "创" * 1401)
    assert page.counter.text().startswith("已写 1401 / 1400 字") and "超出1字" in page.counter.text()
    assert style.ERROR_COLOUR in page.counter.styleSheet()


def test_page_fit_is_computed_after_a_pause_and_flips_for_a_long_text(qtbot: QtBot, workspace: Workspace) -> None:
    page = page_of(qtbot, workspace)
    ime_type(page.edits[FIRST], "全年重点工作任务全部完成。" * 20)
    assert page._fit.pending()  # typing does not wait for the layout
    qtbot.waitUntil(lambda: not page._fit.pending(), timeout=5000)
    assert page.fit_label.text() == "可容纳在2页A4内" and page.pages <= 2
    for name in (FIRST, SECOND, THIRD):
        ime_type(page.edits[name], "工作推进情况良好，成效明显。\n" * 60)
    qtbot.waitUntil(lambda: page.fit_label.text().startswith("超出2页"), timeout=5000)
    assert page.pages > 2 and style.ERROR_COLOUR in page.fit_label.styleSheet()


def test_layout_reserves_the_scale_table_of_the_form() -> None:
    campaign = load("2015")
    text = "字" * 700
    only_analysis = analysis.page_count(campaign, "gov", "自治区交通运输厅", {FIRST: text * 2})
    assert only_analysis == 2  # 1400 字 fit, after the title, the 5-level table and the note
    assert analysis.page_count(campaign, "gov", "自治区交通运输厅", {FIRST: text * 3}) == 3


def test_sections_are_saved_under_their_keys(qtbot: QtBot, workspace: Workspace) -> None:
    page = page_of(qtbot, workspace)
    ime_type(page.edits[SECOND], "首创“一站式”服务。")
    with qtbot.waitSignal(page.saved, timeout=5000):
        pass
    assert workspace.text(f"analysis:{SECOND}") == "首创“一站式”服务。"
    again = page_of(qtbot, workspace)
    assert again.edits[SECOND].toPlainText() == "首创“一站式”服务。" and again.counter.text() == "已写 10 / 1400 字"
