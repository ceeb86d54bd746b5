"""Texts drafted in Word or Notepad read back into the analysis sections and the reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from forms.base.file_errors import ReadError
from forms.documents.importer import (
    Line,
    import_analysis,
    import_report,
    match_section,
    read_lines,
    split_analysis,
)
from forms.documents.leader_form import LeaderForm
from forms.documents.reports import Report, Section, pieces_of
from forms.notice.campaign import load

CAMPAIGN = load()
NAMES = tuple(CAMPAIGN.rules["analysis_sections"])
TEXTS = {
    NAMES[0]: "全年完成固定资产投资1250亿元，同比增长16.8%。\n重点项目建设进展顺利。",
    NAMES[1]: "推进“放管服”改革，网上办理率达到100%。",
    NAMES[2]: "基层服务能力仍有差距。\n专业人才不足。",
}


@pytest.mark.parametrize(("line", "expected"), [
    ("重点工作任务完成情况", (NAMES[0], "")),
    ("一、重点工作任务完成情况", (NAMES[0], "")),
    ("（二）工作创新与亮点：", (NAMES[1], "")),
    ("2. 工作创新和亮点", (NAMES[1], "")),
    ("三、工作难点和薄弱环节：人才不足。", (NAMES[2], "人才不足。")),
    ("第一部分 重点工作任务完成情况（1月1日—11月30日）", (NAMES[0], "")),
    ("重点工作任务完成情况良好，成效明显。", None),
    ("全年工作总结", None),
])
def test_headings_are_recognised_with_their_numbering(line: str, expected: tuple[str, str] | None) -> None:
    assert match_section(line, NAMES) == expected


def test_word_draft_with_numbered_headings(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("某厅2015年度绩效分析", level=1)
    for number, name in zip("一二三", NAMES, strict=True):
        document.add_heading(f"{number}、{name}", level=2)
        for paragraph in TEXTS[name].split("\n"):
            document.add_paragraph(paragraph)
    document.save(str(tmp_path / "draft.docx"))
    result = import_analysis(tmp_path / "draft.docx", NAMES)
    assert result.sections == TEXTS
    assert result.missing == [] and result.ignored == ["某厅2015年度绩效分析"]


def test_our_own_form_round_trips(tmp_path: Path) -> None:
    path = LeaderForm(CAMPAIGN, "gov", "某厅", TEXTS).write_docx(tmp_path / "附件9.docx")
    result = import_analysis(path, NAMES)
    assert result.sections == TEXTS and result.missing == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_text_file_in_the_encodings_notepad_saves(tmp_path: Path, encoding: str) -> None:
    body = "\n".join(f"{n}、{name}\n{TEXTS[name]}\n" for n, name in zip("一二三", NAMES, strict=True))
    (tmp_path / "draft.txt").write_bytes(body.replace("\n", "\r\n").encode(encoding))
    assert import_analysis(tmp_path / "draft.txt", NAMES).sections == TEXTS


def test_missing_sections_are_reported() -> None:
    result = split_analysis([Line("工作创新和亮点"), Line("只有这一段。")], NAMES)
    assert result.sections == {NAMES[1]: "只有这一段。"}
    assert result.missing == [NAMES[0], NAMES[2]]


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    (tmp_path / "draft.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ReadError, match="docx"):
        read_lines(tmp_path / "draft.doc")


def test_report_round_trips_through_docx(tmp_path: Path) -> None:
    original = Report(
        CAMPAIGN, "performance", "某厅",
        pieces_of([Section("主要工作目标任务完成情况", "完成投资1250亿元。\n（一）重点项目进展顺利。"),
                   Section("工作亮点", "网上办理率100%。")],
                  preamble="现将本厅2015年度绩效情况报告如下。"), date=dt.date(2015, 12, 1),
    )
    result = import_report(original.write_docx(tmp_path / "report.docx"), "某厅")
    assert result.title == "某厅2015年度绩效情况报告"
    assert result.preamble == "现将本厅2015年度绩效情况报告如下。"
    assert [s.heading for s in result.sections] == ["一、主要工作目标任务完成情况", "二、工作亮点"]
    assert result.sections[0].text == "完成投资1250亿元。\n（一）重点项目进展顺利。"
    assert result.sections[1].text == "网上办理率100%。"
    assert result.date == dt.date(2015, 12, 1)


def test_report_from_text_with_word_headings(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于整改情况的报告")
    document.add_paragraph("前言一段。")
    document.add_heading("存在问题", level=2)
    document.add_paragraph("窗口排队时间长。")
    document.save(str(tmp_path / "r.docx"))
    result = import_report(tmp_path / "r.docx")
    assert (result.title, result.preamble) == ("关于整改情况的报告", "前言一段。")
    assert result.sections == [Section("存在问题", "窗口排队时间长。")]
