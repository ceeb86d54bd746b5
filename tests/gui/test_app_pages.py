"""The smaller pages: 附件8 with its validated fields, the website-publicity checklist, the two reports."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from forms.tasks import steps
from gui.checklist import PublicityPage
from gui.contacts import ContactsPage
from gui.reports import ReportPage

TODAY = dt.date(2015, 11, 20)


def ime_type(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def shown(qtbot: QtBot, page: QWidget) -> QWidget:
    qtbot.addWidget(page)
    page.show()
    return page


# -- 附件8 --------------------------------------------------------------------------------------------
def test_required_fields_are_red_until_filled(qtbot: QtBot, workspace: Workspace) -> None:
    page = shown(qtbot, ContactsPage(workspace))
    assert page.fields["liaison_name"].text() == "黄小明"  # from the department profile
    assert set(page.invalid_fields()) == {"liaison_title", "liaison_phone", "secretary_name", "secretary_title",
                                          "head_name", "head_title"}
    ime_type(page.fields["liaison_title"], "科长")
    assert "liaison_title" not in page.invalid_fields()
    assert "请填写“党组(委)书记姓名”" in page.problems.text()


def test_phones_are_checked_and_fixing_clears_the_red(qtbot: QtBot, workspace: Workspace) -> None:
    page = shown(qtbot, ContactsPage(workspace))
    qtbot.keyClicks(page.fields["liaison_mobile"], "1387711")
    assert "liaison_mobile" in page.invalid_fields()
    assert "不是有效的11位手机号码" in page.fields["liaison_mobile"].toolTip()
    qtbot.keyClicks(page.fields["liaison_mobile"], "2345")
    assert "liaison_mobile" not in page.invalid_fields() and "liaison_phone" not in page.invalid_fields()
    qtbot.keyClicks(page.fields["liaison_phone"], "12")
    assert "liaison_phone" in page.invalid_fields()
    page.fields["liaison_phone"].setText("0771-2811111")
    assert "liaison_phone" not in page.invalid_fields()


def test_secretary_and_head_are_separate_unless_the_same_person(qtbot: QtBot, workspace: Workspace) -> None:
    page = shown(qtbot, ContactsPage(workspace))
    for key, text in (("liaison_title", "科长"), ("secretary_name", "李四"), ("secretary_title", "党组书记")):
        ime_type(page.fields[key], text)
    qtbot.keyClicks(page.fields["liaison_mobile"], "13877112345")
    assert page.invalid_fields() == ["head_name", "head_title"]
    page.same.setChecked(True)
    assert page.invalid_fields() == [] and not page.fields["head_name"].isEnabled()
    assert page.problems.text() == "附件8已填写完整。"
    page.same.setChecked(False)
    ime_type(page.fields["head_name"], "李四")
    ime_type(page.fields["head_title"], "厅长")
    assert "如为同一人，请勾选“同一人”" in page.problems.text()
    page.flush()
    data = json.loads(workspace.text("contacts"))
    assert data["head_same_as_secretary"] is False and data["head_name"] == "李四"
    assert steps.status_of(workspace, "contacts", TODAY).label == "有1处提醒"


def test_a_failed_save_keeps_the_text_and_says_what_to_do(qtbot: QtBot, workspace: Workspace,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    page = shown(qtbot, ContactsPage(workspace))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))

    def full(*_: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(workspace, "set_text", full)
    ime_type(page.fields["secretary_name"], "王五")
    assert page.flush() is False
    assert "无法保存" in said[0] and "磁盘空间" in said[0] and page.fields["secretary_name"].text() == "王五"
    monkeypatch.undo()
    assert page.flush() is True and "王五" in workspace.text("contacts")


# -- 网站公示 -----------------------------------------------------------------------------------------
def test_publicity_duties_with_date_place_and_days(qtbot: QtBot, workspace: Workspace) -> None:
    page = shown(qtbot, PublicityPage(workspace, lambda: TODAY))
    assert [row.duty["key"] for row in page.rows] == ["rectification", "announcement", "performance"]
    row = page.rows[1]
    assert row.days.text().startswith("未公示")
    row.done.setChecked(True)
    row.date.setDate(QDate(2015, 11, 10))
    ime_type(row.where, "本厅门户网站首页")
    assert row.days.text() == "已公示10天，还需4天（不少于14天）"
    row.date.setDate(QDate(2015, 11, 1))
    assert row.days.text() == "已公示19天，满14天"
    page.flush()
    assert json.loads(workspace.text("publicity:announcement")) == {
        "done": True, "date": "2015-11-01", "where": "本厅门户网站首页"}
    assert steps.status_of(workspace, "publicity", TODAY).label == "有2处错误"  # two duties still undone
    again = shown(qtbot, PublicityPage(workspace, lambda: TODAY))
    assert again.rows[1].done.isChecked() and again.rows[1].where.text() == "本厅门户网站首页"


# -- the reports ----------------------------------------------------------------------------------------
def test_reports_keep_headings_as_markdown(qtbot: QtBot, workspace: Workspace) -> None:
    page = shown(qtbot, ReportPage(workspace, "report:rectification"))
    ime_type(page.editor, "一、整改措施")
    page.apply_heading(1)
    page.editor.textCursor().insertBlock()
    page.apply_heading(0)
    ime_type(page.editor, "逐项落实整改。")
    page.flush()
    text = workspace.text("report:rectification")
    assert text.splitlines()[0] == "# 一、整改措施" and "逐项落实整改。" in text and "# 逐项" not in text
    again = shown(qtbot, ReportPage(workspace, "report:rectification"))
    assert again.editor.document().firstBlock().blockFormat().headingLevel() == 1
    assert steps.status_of(workspace, "report:rectification", TODAY).label == "已完成"


def test_an_emptied_report_is_not_started_again(qtbot: QtBot, workspace: Workspace) -> None:
    page = shown(qtbot, ReportPage(workspace, "report:performance"))
    ime_type(page.editor, "草稿")
    page.flush()
    page.editor.clear()
    page.flush()
    assert workspace.text("report:performance") == ""
    assert steps.status_of(workspace, "report:performance", TODAY).label == "未开始"
