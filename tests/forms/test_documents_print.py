"""Documents as the office wants them (issue 14, items 1–8): reports with title, 落款 and 成文日期; no
markup on paper; 避头尾 without hanging; embedded fonts covering every glyph; questionnaire options as
unbreakable aligned units; the clerk's punctuation kept; page numbers, 附件N labels, keep-with-next,
normal file permissions; one date on the files."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import load_workbook

from forms.documents import docx_writer, linebreak, pdf_writer
from forms.documents.importer import Line, split_report
from forms.documents.leader_form import LeaderForm
from forms.documents.markdown import pieces
from forms.documents.model import NO_LINE_END, Doc, Para, TextStyle
from forms.documents.questionnaire import Questionnaire, option_grid
from forms.documents.reports import Report, parse_date
from forms.notice.campaign import load
from forms.notice.questionnaire import Question, starter
from forms.store.workspace import Profile, Workspace
from forms.tasks import deliverables, filedate

CAMPAIGN = load()
NAMES = tuple(CAMPAIGN.rules["analysis_sections"])
POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "交通厅.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    yield workspace
    workspace.close()


def pdf_text(path: Path) -> list[list[str]]:
    """Each page's lines (blanks removed), as poppler reads the PDF."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return [[re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()] for page in out.stdout.split("\f")]


# --- 1. reports: title, body, 落款, 成文日期 -------------------------------------------------------------


def test_report_ends_with_department_and_date_flush_right(tmp_path: Path) -> None:
    report = Report(CAMPAIGN, "performance", "自治区交通运输厅", pieces("# 主要工作\n\n完成了全部任务。\n"),
                    date=dt.date(2015, 12, 8))
    paragraphs = docx.Document(str(report.write_docx(tmp_path / "r.docx"))).paragraphs
    closing = [p for p in paragraphs if p.text][-2:]
    assert [p.text for p in closing] == ["自治区交通运输厅", "2015年12月8日"]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in closing)
    assert all(not p.paragraph_format.first_line_indent for p in closing)


def test_importer_keeps_title_and_closing_date_in_either_numerals() -> None:
    lines = [Line(t) for t in ("关于整改情况的报告", "自治区绩效考评办：", "一、存在问题", "窗口排队。",
                               "自治区交通运输厅", "二〇一五年十二月八日")]
    found = split_report(lines, "自治区交通运输厅")
    assert found.title == "关于整改情况的报告"
    assert found.date == dt.date(2015, 12, 8)
    assert [s.heading for s in found.sections] == ["一、存在问题"]
    assert parse_date("2015年12月1日") == dt.date(2015, 12, 1) and parse_date("2015年13月1日") is None


def test_imported_report_prints_its_title_and_date_and_the_date_field_defaults_to_the_workspaces(
        ws: Workspace) -> None:
    found = split_report([Line(t) for t in ("我厅整改报告", "一、问题", "若干。", "2015年12月8日")])
    deliverables.store_imported_report(ws, "rectification", found)
    report = deliverables.report_from_markdown(ws, "rectification")
    assert report.title == "我厅整改报告" and report.date == dt.date(2015, 12, 8)
    filedate.set_file_date(ws, dt.date(2015, 12, 9))
    assert deliverables.report_from_markdown(ws, "performance").date == dt.date(2015, 12, 9)


def test_a_date_typed_as_the_last_line_is_the_date_not_a_paragraph(ws: Workspace) -> None:
    ws.set_text("report:performance", "# 主要工作\n\n完成了全部任务。\n\n自治区交通运输厅\n\n2015年12月3日\n")
    report = deliverables.report_from_markdown(ws, "performance")
    texts = [b.text for b in report.document().blocks if isinstance(b, Para)]
    assert texts[-2:] == ["自治区交通运输厅", "2015年12月3日"]
    assert texts.count("2015年12月3日") == 1 and texts.count("自治区交通运输厅") == 1


# --- 2. no markup on paper -------------------------------------------------------------------------------


@needs_poppler
def test_bold_and_subheadings_print_without_markup(ws: Workspace, tmp_path: Path) -> None:
    ws.set_text("report:performance", "自治区绩效考评办：\n\n# 总体情况\n\n## 重点项目\n\n投资 **1250亿元**，"
                                      "增长\\*较快。\n\n## 民生工程\n\n# 存在问题\n\n## 资金不足\n")
    doc = deliverables.report_from_markdown(ws, "performance").document()
    path, _pages = pdf_writer.save(doc, tmp_path / "r.pdf")
    lines = [line for page in pdf_text(path) for line in page]
    assert "一、总体情况" in lines and "二、存在问题" in lines
    assert "（一）重点项目" in lines and "（二）民生工程" in lines and "（一）资金不足" in lines
    assert not any("**" in line or "#" in line or "\\" in line for line in lines)
    assert any("投资1250亿元，增长*较快。" in line for line in lines)
    written = docx.Document(str(docx_writer.save(doc, tmp_path / "r.docx")))
    runs = [(r.text, bool(r.bold)) for p in written.paragraphs for r in p.runs if "1250" in r.text or "亿元" in r.text]
    assert runs and all(bold for _text, bold in runs)
    salutation = next(p for p in written.paragraphs if p.text == "自治区绩效考评办：")
    assert not salutation.paragraph_format.first_line_indent  # the salutation is not indented


# --- 4. fonts and line breaking ----------------------------------------------------------------------------


@needs_poppler
def test_every_font_is_embedded_and_the_middle_dot_prints(tmp_path: Path) -> None:
    form = LeaderForm(CAMPAIGN, "gov", "自治区民族宗教事务委员会",
                      {NAMES[0]: "走访阿依古丽·买买提等群众120户。", NAMES[1]: "创新“一站式”服务。", NAMES[2]: "无。"})
    path, _pages = form.write_pdf(tmp_path / "f.pdf")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("yes" == row[-5] for row in rows), fonts  # the 'emb' column of every font
    text = "".join(line for page in pdf_text(path) for line in page)
    assert "阿依古丽·买买提" in text and "\ufffd" not in text


def test_no_line_ends_with_an_opening_mark_and_none_starts_with_a_closing_one() -> None:
    chars = list("一二三四五六七八九“十一二三四五六七八九十。一二")
    ends = linebreak.line_ends(chars, [12.0] * len(chars), [120.0])
    lines = ["".join(chars[a:b]) for a, b in zip([0, *ends], ends, strict=False)]
    assert all(line[-1] not in NO_LINE_END for line in lines), lines
    assert all(line[0] not in "，。、；：？！”）》" for line in lines), lines
    assert all(len(line) <= 10 for line in lines), lines  # nothing hangs past the 10-character measure


@needs_poppler
def test_no_full_stop_hangs_over_a_table_border(tmp_path: Path) -> None:
    """A 。 that falls just past a cell's measure goes down with the character before it."""
    width = 34 * 12  # a cell's text width is the page's minus the paddings: about 34 characters
    text = "甲" * 33 + "乙。" + "丙" * 10
    form = LeaderForm(CAMPAIGN, "gov", "某厅", {NAMES[0]: text, NAMES[1]: "x", NAMES[2]: "y"})
    path, _pages = form.write_pdf(tmp_path / "f.pdf")
    lines = [line for page in pdf_text(path) for line in page if "甲" in line or "丙" in line]
    assert lines and not any(line.startswith("。") for line in lines)
    assert all(len(line) * 12 <= width + 24 for line in lines)


# --- 5. questionnaire -----------------------------------------------------------------------------------


def test_each_option_is_a_cell_of_an_aligned_grid_and_never_splits_from_its_box() -> None:
    options = ("满意", "比较满意", "一般", "不太满意", "不满意", "说不清楚")
    grid = option_grid(options, 450)
    assert not grid.border
    cells = [cell.paras[0].text for row in grid.rows for cell in row[1:] if cell.paras[0].text]
    assert cells == [f"□{o}" for o in options]
    column = grid.widths[1]
    assert all(w == column for w in grid.widths[1:]) and column >= 5 * 12  # 说不清楚 with its box fits
    assert grid.widths[0] + 5.4 == pytest.approx(24)  # the options start two characters in


def test_questionnaire_names_the_department_not_本部门() -> None:
    questions = [Question("您对本部门交通工作的总体评价是：", ("满意",)), *starter("交通", "自治区交通运输厅")[1:5]]
    paper = Questionnaire(CAMPAIGN, "自治区交通运输厅", "交通", questions)
    texts = [b.text for b in paper.document().blocks if isinstance(b, Para)]
    assert "1. 您对自治区交通运输厅交通工作的总体评价是：" in texts
    assert not any("本部门" in t for t in texts)
    assert starter("交通", "自治区交通运输厅")[0].stem.startswith("您对自治区交通运输厅")


# --- 6. the clerk's punctuation is kept -----------------------------------------------------------------


def test_export_keeps_free_text_as_typed(ws: Workspace, tmp_path: Path) -> None:
    frame = ws.system_frame()
    ws.import_rows(frame.id, [{"name": "张三", "gender": "男", "unit": "（南宁市）民族大道１号，某局",
                               "title": "科长（主持工作）", "mobile": "13877112345", "postcode": "530022"}])
    path = next(w.path for w in deliverables.write_all(ws, tmp_path / "out") if w.path.suffix == ".xlsx"
                and w.path.name.startswith("附件2"))
    values = [c.value for c in load_workbook(path).active[4]]
    assert "（南宁市）民族大道１号，某局" in values and "科长（主持工作）" in values


# --- 7. page numbers, labels, keep-with-next, permissions ---------------------------------------------------


def test_docx_has_a_page_number_field_in_its_footer(tmp_path: Path) -> None:
    doc = Doc("t", (Para("正文"),))
    footer = docx.Document(str(docx_writer.save(doc, tmp_path / "t.docx"))).sections[0].footer
    codes = [t.text for t in footer._element.iter(qn("w:instrText"))]
    assert [c.strip() for c in codes] == ["PAGE"]


@needs_poppler
def test_pdf_pages_are_numbered(tmp_path: Path) -> None:
    doc = Doc("t", tuple(Para("正文" * 20, TextStyle()) for _ in range(60)))
    path, pages = pdf_writer.save(doc, tmp_path / "t.pdf")
    assert pages >= 2
    assert [page[-1] for page in pdf_text(path)[:pages]] == [f"—{n}—" for n in range(1, pages + 1)]


@needs_poppler
def test_a_section_name_is_never_left_alone_at_a_page_foot(tmp_path: Path) -> None:
    """Grow the first section line by line: whatever the length, page 1 never ends on a section's name."""
    for extra in range(0, 40, 3):
        texts = {NAMES[0]: "\n".join(["重点工作推进有力，成效明显。"] * (30 + extra)), NAMES[1]: "创新。", NAMES[2]: "难点。"}
        path, pages = LeaderForm(CAMPAIGN, "gov", "某厅", texts).write_pdf(tmp_path / f"f{extra}.pdf")
        for page in pdf_text(path)[:pages]:
            body = [line for line in page if not line.startswith("—")]
            assert body[-1] not in NAMES, (extra, body[-3:])


def test_files_get_the_users_normal_permissions(ws: Workspace, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    written = deliverables.write_all(ws, tmp_path / "out")
    assert written and all(w.path.stat().st_mode & 0o777 == 0o666 & ~umask for w in written)
    assert {w.path.suffix for w in written} == {".xlsx", ".docx", ".pdf"}
    docx_names = {w.path.with_suffix("").name for w in written if w.path.suffix == ".docx"}
    assert docx_names == {w.path.with_suffix("").name for w in written if w.path.suffix == ".pdf"}  # a PDF each


# --- 8. one date on the files --------------------------------------------------------------------------------


def test_the_file_date_is_a_workspace_field_defaulting_to_today(ws: Workspace, tmp_path: Path) -> None:
    assert filedate.file_date(ws) == dt.date.today() and filedate.stored(ws) is None
    filedate.set_file_date(ws, dt.date(2015, 11, 10))
    ws.close()
    reopened = Workspace.open(ws.path)
    try:
        assert filedate.file_date(reopened) == dt.date(2015, 11, 10)
        written = deliverables.write_all(reopened, tmp_path / "out")
        frame = next(w.path for w in written if w.path.name.startswith("附件2"))
        head = " ".join(str(c.value) for c in load_workbook(frame).active[2] if c.value)
        assert "报送时间:2015年11月10日" in head
    finally:
        reopened.close()
    with pytest.raises(ValueError, match="不是有效的日期"):
        filedate.parse("2015-02-30")


def _rules(pdf: bytes, index: int) -> tuple[list[int], list[int]]:
    """(rows drawn as a rule across most of the text width, rows with any ink) of page `index` at 72 dpi."""
    import pypdfium2 as pdfium

    bitmap = pdfium.PdfDocument(pdf)[index].render(scale=1, grayscale=True)
    data, width, stride = bytes(bitmap.buffer), bitmap.width, bitmap.stride
    dark = [sum(1 for x in range(width) if data[y * stride + x] < 128) for y in range(bitmap.height)]
    return [y for y, n in enumerate(dark) if n > 0.6 * width], [y for y, n in enumerate(dark) if n]


def test_a_table_broken_by_a_page_is_closed_at_the_foot_and_reopened_at_the_head() -> None:
    texts = {NAMES[0]: "重点工作推进有力，成效明显，群众满意度持续提升。" * 60, NAMES[1]: "创新。", NAMES[2]: "难点。"}
    data, pages = pdf_writer.render(LeaderForm(CAMPAIGN, "gov", "某厅", texts).document())
    assert pages == 2
    rules, inked = _rules(data, 0)
    footer = max(inked)  # the page number
    body = [y for y in inked if y < footer - 20]
    assert rules and max(rules) >= max(body) - 1  # page 1 ends on the table's rule, not on open sides
    rules, inked = _rules(data, 1)
    assert rules and min(rules) <= min(inked) + 1  # page 2 starts with a rule over the continued cell
