"""The analysis page's 从Word导入…: a .docx drafted in Word fills the three sections, says which heading it lacks,
asks before replacing typed text, and the replaced text comes back with Ctrl+Z in its box."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from forms.tasks import deliverables
from gui.analysis import AnalysisPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
FIRST, SECOND, THIRD = "重点工作任务完成情况", "工作创新和亮点", "工作难点和薄弱环节"


def drafted(path: Path, with_third: bool = True) -> Path:
    """The analysis as a clerk drafts it in Word: a title, numbered headings in bold, paragraphs."""
    document = docx.Document()
    document.add_paragraph("自治区交通运输厅2015年度绩效分析")
    document.add_heading("一、重点工作任务完成情况", level=2)
    document.add_paragraph("全年完成公路建设投资120亿元。")
    document.add_paragraph("农村公路建设任务全部完成。")
    heading = document.add_paragraph()
    heading.add_run("二、工作创新与亮点").bold = True
    document.add_paragraph("推行审批“一站式”服务。")
    if with_third:
        document.add_paragraph("三、工作难点和薄弱环节：养护资金不足。")
    document.save(str(path))
    return path


def page_of(qtbot: QtBot, ws: Workspace) -> AnalysisPage:
    page = AnalysisPage(ws)
    qtbot.addWidget(page)
    page.show()
    return page


def test_import_fills_the_sections_and_saves(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                             said: dict[str, list[str]]) -> None:
    page = page_of(qtbot, workspace)
    assert page.import_button.text() == "从Word导入…"
    assert page.import_file(drafted(tmp_path / "分析.docx"))
    assert page.texts() == {FIRST: "全年完成公路建设投资120亿元。\n农村公路建设任务全部完成。",
                            SECOND: "推行审批“一站式”服务。", THIRD: "养护资金不足。"}
    assert deliverables.analysis_sections(workspace) == page.texts()  # saved at once
    assert page.counter.text().startswith("已写 ")
    assert said["question"] == []  # nothing typed was replaced: no question
    assert "已从“分析.docx”导入" in said["information"][0]


def test_missing_headings_are_named_and_their_sections_kept(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                                           said: dict[str, list[str]]) -> None:
    page = page_of(qtbot, workspace)
    page.edits[THIRD].setPlainText("已经写好的难点")
    page.import_file(drafted(tmp_path / "分析.docx", with_third=False))
    assert page.texts()[THIRD] == "已经写好的难点"
    assert f"没有找到这些标题，相应部分保持原样：{THIRD}" in said["information"][0]


def test_replacing_typed_text_is_asked_and_undoable(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                                   said: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    page = page_of(qtbot, workspace)
    page.edits[FIRST].setPlainText("手工写的第一部分")
    source = drafted(tmp_path / "分析.docx")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not page.import_file(source)
    assert page.texts()[FIRST] == "手工写的第一部分" and page.texts()[SECOND] == ""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.import_file(source)
    assert page.texts()[FIRST].startswith("全年完成")
    page.edits[FIRST].undo()
    assert page.texts()[FIRST] == "手工写的第一部分"


def test_a_document_without_any_heading_or_not_a_docx_is_refused(qtbot: QtBot, workspace: Workspace,
                                                                 tmp_path: Path, said: dict[str, list[str]]) -> None:
    page = page_of(qtbot, workspace)
    plain = tmp_path / "随便.txt"
    plain.write_text("今年工作很好。\n明年继续努力。", encoding="utf-8")
    assert not page.import_file(plain)
    assert "没有找到以下任何一个标题" in said["warning"][0]
    broken = tmp_path / "坏的.docx"
    broken.write_bytes(b"not a zip")
    assert not page.import_file(broken)
    assert "无法读取“坏的.docx”" in said["warning"][1]
    assert page.texts() == {FIRST: "", SECOND: "", THIRD: ""}
