"""Questionnaires, the two reports and 附件8: read back, measured, and opened by real readers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from forms.documents.contacts import NOTE, ContactsSheet, Person
from forms.documents.files import libreoffice_pdf, pdf_page_count, soffice
from forms.documents.questionnaire import BOX, Questionnaire, option_line
from forms.documents.reports import Report, Section, chinese_number, numbered
from forms.notice.campaign import load
from forms.notice.questionnaire import SCALE_5 as SATISFACTION
from forms.notice.questionnaire import Question, satisfaction
from forms.notice.questionnaire import free_text as opinion
from forms.notice.questionnaire import starter as standard_questions

CAMPAIGN = load()


def questionnaire(count: int = 6) -> Questionnaire:
    questions = standard_questions("道路交通安全管理")
    questions.append(Question("您通过哪些渠道了解这项工作？（可多选）", ("电视", "报纸", "网络", "其他")))
    return Questionnaire(CAMPAIGN, "自治区公安厅", "道路交通安全管理", questions[:count])


def report() -> Report:
    return Report(
        CAMPAIGN, "rectification", "自治区公安厅",
        [Section("存在问题", "办事窗口排队时间长。\n部分政策宣传不到位。"),
         Section("二、整改措施", "增设窗口，推行网上预约。"),
         Section("整改成效", "平均等候时间由40分钟缩短到15分钟。")],
        preamble="根据自治区绩效考评办的要求，现将整改情况报告如下。", date="2015年12月1日",
    )


def contacts(leaders: int = 2) -> ContactsSheet:
    people = [Person("张三", "党委书记"), Person("李四", "厅长")][:leaders]
    return ContactsSheet(CAMPAIGN, "自治区公安厅", Person("王小明", "办公室副主任"), "0771-2811111", people)


# --- questionnaire -------------------------------------------------------------------------------


def test_questionnaire_title_intro_and_numbered_questions(tmp_path: Path) -> None:
    texts = [p.text for p in docx.Document(str(questionnaire().write_docx(tmp_path / "q.docx"))).paragraphs]
    assert texts[0] == "2015年度自治区公安厅道路交通安全管理工作评议问卷"
    assert "自治区公安厅道路交通安全管理工作" in texts[1] and "无记名" in texts[1]
    stems = [text for text in texts if text[:2] in {f"{n}." for n in range(1, 7)}]
    assert [stem.split(".")[0] for stem in stems] == ["1", "2", "3", "4", "5", "6"]
    assert option_line(SATISFACTION) in texts
    assert f"{BOX}电视" in texts[-1]


def test_opinion_question_gets_a_box_to_write_in(tmp_path: Path) -> None:
    document = docx.Document(str(questionnaire().write_docx(tmp_path / "q.docx")))
    assert len(document.tables) == 1
    assert len(document.tables[0].rows[0].cells[0].paragraphs) >= 3


def test_option_line_ticks_every_option() -> None:
    line = option_line(["满意", "不满意"])
    assert line == f"{BOX}满意\u3000\u3000{BOX}不满意"
    assert satisfaction("x").options == SATISFACTION
    assert opinion("x").free_text and not opinion("x").options


def test_fewer_than_five_questions_is_an_error() -> None:
    assert questionnaire(5).findings() == []
    findings = questionnaire(3).findings()
    assert [(f.code, f.severity.value) for f in findings] == [("questionnaire-short", "error")]
    assert "3个问题" in findings[0].message and "2个" in findings[0].message


def test_questionnaire_type_and_page(tmp_path: Path) -> None:
    document = docx.Document(str(questionnaire().write_docx(tmp_path / "q.docx")))
    stem = next(p for p in document.paragraphs if p.text.startswith("1."))
    assert all(run.font.size == Pt(12) for run in stem.runs)
    assert stem.runs[-1]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    _path, pages = questionnaire().write_pdf(tmp_path / "q.pdf")
    assert pages == 1


# --- reports -------------------------------------------------------------------------------------


def test_report_headings_are_numbered_once(tmp_path: Path) -> None:
    texts = [p.text for p in docx.Document(str(report().write_docx(tmp_path / "r.docx"))).paragraphs]
    assert texts[0] + texts[1] == "自治区公安厅关于2014年度绩效考评存在问题整改情况的报告"
    assert ["一、存在问题", "二、整改措施", "三、整改成效"] == [t for t in texts if t[1:2] == "、"]
    assert texts[-2:] == ["自治区公安厅", "2015年12月1日"]


def test_report_body_is_fangsong_12pt(tmp_path: Path) -> None:
    document = docx.Document(str(report().write_docx(tmp_path / "r.docx")))
    body = next(p for p in document.paragraphs if p.text.startswith("办事窗口"))
    assert body.runs[0].font.size == Pt(12)
    assert body.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(24)


def test_performance_report_title_and_numbering_helpers() -> None:
    assert Report(CAMPAIGN, "performance", "自治区公安厅").title == "自治区公安厅2015年度绩效情况报告"
    assert [chinese_number(n) for n in (1, 10, 12, 20, 23)] == ["一", "十", "十二", "二十", "二十三"]
    assert numbered("（一）已编号", 3) == "（一）已编号"
    assert numbered("工作亮点", 3) == "三、工作亮点"


# --- 附件8 ---------------------------------------------------------------------------------------


def test_contacts_table_as_the_notice(tmp_path: Path) -> None:
    document = docx.Document(str(contacts().write_docx(tmp_path / "k.docx")))
    texts = [p.text for p in document.paragraphs]
    assert "".join(texts[:2]).startswith("2015年度自治区直属机关社会评价工作有关情况表")
    assert "填报单位(盖章):自治区公安厅" in texts and NOTE in texts
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["本单位负责此项工作的联络员", "姓名及职务", "王小明\u3000办公室副主任"]
    assert rows[1] == ["本单位负责此项工作的联络员", "联系电话", "0771-2811111"]
    assert rows[2] == ["本单位主要领导情况", "姓名及职务", "张三\u3000党委书记"]
    assert rows[3] == ["本单位主要领导情况", "姓名及职务", "李四\u3000厅长"]


def test_one_leader_gives_one_row(tmp_path: Path) -> None:
    document = docx.Document(str(contacts(1).write_docx(tmp_path / "k.docx")))
    assert len(document.tables[0].rows) == 3


def test_contacts_missing_entries_are_required_findings() -> None:
    sheet = ContactsSheet(CAMPAIGN, "某部门", Person("王小明", ""), " ", [])
    columns = [(f.code, f.form, f.column) for f in sheet.findings()]
    assert columns == [("required", "8", "联络员职务"), ("required", "8", "联系电话"),
                       ("required", "8", "主要领导姓名"), ("required", "8", "主要领导职务")]
    assert contacts().findings() == []


# --- real readers --------------------------------------------------------------------------------


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_opens_each_document(tmp_path: Path) -> None:
    for name, document in (("q", questionnaire()), ("r", report()), ("k", contacts())):
        path = document.write_docx(tmp_path / f"{name}.docx")
        pdf = libreoffice_pdf(path, tmp_path / "lo")
        _ours, pages = document.write_pdf(tmp_path / f"{name}.pdf")
        assert pdf is not None and pdf_page_count(pdf) == pages == 1


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_questionnaire_page_one_renders_as_png(tmp_path: Path) -> None:
    """Page 1 of a questionnaire as PNG (ours and, where present, LibreOffice's) to look at."""
    sources = [questionnaire().write_pdf(tmp_path / "问卷.pdf")[0]]
    if soffice() is not None:
        lo = libreoffice_pdf(questionnaire().write_docx(tmp_path / "问卷.docx"), tmp_path / "lo")
        assert lo is not None
        sources.append(lo)
    for source in sources:
        prefix = source.parent / f"{source.stem}-page"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(source), str(prefix)], check=True)
        assert next(source.parent.glob(f"{source.stem}-page*.png")).stat().st_size > 10_000
