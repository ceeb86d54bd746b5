"""The pieces a clerk missed: the questionnaire's opening paragraph, 从Word导入 for the reports, 邮件已发送,
the 附件1 text to publish, and a warning before 导出本表 writes personal data unencrypted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from forms.documents.questionnaire import Questionnaire
from forms.notice import questionnaire as qmod
from forms.notice.campaign import load
from forms.store.workspace import Workspace
from gui.checklist import PublicityPage
from gui.handover_box import HandoverBox
from gui.questionnaire import QuestionnairePage
from gui.reports import ReportPage
from packaging import bundle
from tests.gui.test_frame_helpers import GOOD, OFFSCREEN_SIZE_HINTS, editor_for, type_chinese
from tests.packaging.test_handover import record

pytestmark = OFFSCREEN_SIZE_HINTS
TODAY = dt.date(2015, 11, 20)


def shown(qtbot: QtBot, page: object) -> object:
    qtbot.addWidget(page)  # type: ignore[arg-type]
    page.show()  # type: ignore[attr-defined]
    return page


def test_the_questionnaire_opening_paragraph_is_editable(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    frame = workspace.add_hot_item("公路建设")
    page = shown(qtbot, QuestionnairePage(workspace, frame.id))
    assert isinstance(page, QuestionnairePage)
    assert page.intro.toPlainText().startswith("您好！为了解社会各界对自治区交通运输厅公路建设工作的评价")
    page.intro.setFocus()
    page.intro.selectAll()
    typed = "尊敬的同志：{请}如实填写本问卷，谢谢！"  # braces are text, not a template
    type_chinese(page.intro, typed)
    assert page.flush()
    assert qmod.load_intro(workspace, frame.id) == typed
    doc = Questionnaire(load("2015"), "自治区交通运输厅", "公路建设", [qmod.satisfaction("总体评价？")],
                        qmod.load_intro(workspace, frame.id))
    out = tmp_path / "问卷.docx"
    doc.write_docx(out)
    assert typed in [p.text for p in Document(str(out)).paragraphs]
    page.intro.selectAll()
    QTest.keyClick(page.intro, Qt.Key.Key_Delete)  # emptied: the standard paragraph again
    assert page.flush() and qmod.load_intro(workspace, frame.id) == ""


def report_docx(path: Path) -> Path:
    document = Document()
    document.add_heading("一、整改措施", level=1)
    document.add_paragraph("针对去年指出的问题，逐条整改。")
    document.add_heading("二、整改结果", level=1)
    document.add_paragraph("已全部整改到位。")
    document.save(str(path))
    return path


def test_reports_import_from_word_as_one_undoable_edit(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                                       said: dict[str, list[str]]) -> None:
    page = shown(qtbot, ReportPage(workspace, "report:rectification"))
    assert isinstance(page, ReportPage) and page.import_button.text() == "从Word导入…"
    type_chinese(page.editor, "旧的草稿")
    assert page.import_file(report_docx(tmp_path / "整改.docx"))
    assert said["question"] and "替换" in said["question"][0]  # typed text is not replaced without asking
    text = workspace.text("report:rectification")
    assert "# 一、整改措施" in text and "已全部整改到位。" in text and "旧的草稿" not in text
    page.editor.undo()
    assert "旧的草稿" in page.editor.toPlainText()
    (tmp_path / "坏.docx").write_bytes(b"not a zip")
    assert not page.import_file(tmp_path / "坏.docx") and "无法读取" in said["warning"][-1]


def test_mail_sent_is_recorded_beside_the_password(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                                   said: dict[str, list[str]]) -> None:
    bundle.save_record(workspace, record())
    box = shown(qtbot, HandoverBox(workspace, lambda: tmp_path, lambda *_a: None))
    assert isinstance(box, HandoverBox)
    box.show_record(box.record())
    assert "尚未记录为已发送" in box.mailed_line.text()
    box.mailed_to.clear()
    QTest.mouseClick(box.mailed_button, Qt.MouseButton.LeftButton)
    assert "邮箱地址" in said["warning"][-1] and box.record().mailed_at is None  # type: ignore[union-attr]
    box.mailed_to.setText("gzpy@example.gov.cn")
    QTest.mouseClick(box.mailed_button, Qt.MouseButton.LeftButton)
    saved = box.record()
    assert saved is not None and saved.mailed_to == "gzpy@example.gov.cn" and saved.status == "已发送邮件"
    box.show_record(saved)
    assert box.mailed_line.text().startswith("邮件已于") and box.mailed_button.text() == "更正发送时间"
    assert json.loads(workspace.text(bundle.HANDOVER_KEY))[-1]["mailed_to"] == "gzpy@example.gov.cn"


def test_the_announcement_duty_shows_and_copies_the_text_of_attachment_1(qtbot: QtBot, workspace: Workspace) -> None:
    page = shown(qtbot, PublicityPage(workspace, lambda: TODAY))
    assert isinstance(page, PublicityPage)
    row = next(r for r in page.rows if r.duty["key"] == "announcement")
    assert row.text_button is not None and "附件1" in row.text_button.text()
    assert all(r.text_button is None for r in page.rows if r is not row)
    QTest.mouseClick(row.text_button, Qt.MouseButton.LeftButton)
    dialog = row.text_dialog
    assert dialog is not None and dialog.isVisible()
    copy = next(b for b in dialog.findChildren(type(row.text_button)) if b.text() == "复制全文")
    QTest.mouseClick(copy, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert "关于开展2015年度机关绩效考评" in text and "（0771）12340" in text and text.endswith("2015年12月1日")


@pytest.mark.parametrize(("answer", "dialog_opened"), [(QMessageBox.StandardButton.Ok, True),
                                                       (QMessageBox.StandardButton.Cancel, False)])
def test_export_warns_that_the_file_is_not_encrypted(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
                                                     workspace: Workspace, answer: QMessageBox.StandardButton,
                                                     dialog_opened: bool) -> None:
    frame = workspace.add_hot_item("公路建设")
    workspace.import_rows(frame.id, [GOOD])
    editor = editor_for(qtbot, workspace, frame.id)
    warned: list[str] = []
    opened: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text) or answer)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: opened.append("dir") or "")
    editor.export()
    assert "没有加密" in warned[0] and "1人" in warned[0] and "打包加密发送" in warned[0]
    assert bool(opened) is dialog_opened
