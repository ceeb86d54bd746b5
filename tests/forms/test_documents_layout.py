"""Our PDF layout against the .docx: the properties that make Word/WPS lay it out the same, the
Chinese line-breaking rules, independence from the fonts found, and LibreOffice as a second reader."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from forms.documents import pdf_fonts, pdf_writer
from forms.documents.files import libreoffice_pdf, pdf_page_count, soffice
from forms.documents.leader_form import LeaderForm
from forms.documents.model import BODY_FANG, Doc, Para, title_paras, uses_cjk_font
from forms.notice.campaign import load

CAMPAIGN = load()
NAMES = tuple(CAMPAIGN.rules["analysis_sections"])
CHINESE = (
    "围绕自治区党委、政府部署的重点工作任务，坚持稳中求进工作总基调，统筹推进改革发展稳定各项工作；"
    "重点项目建设进展顺利，服务群众能力明显提升。深化“放管服”改革，取消和下放一批审批事项，"
    "群众办事更加便捷！加强干部队伍建设：开展业务培训，服务基层的能力进一步增强。"
)


def chinese_form() -> LeaderForm:
    """A form whose analysis is Chinese only, cut so that many lines end on a closing mark."""
    rotations = [(CHINESE[i * 7:] + CHINESE[:i * 7]).lstrip("，。、；：？！") for i in range(3)]
    texts = {name: "\n".join(rotations) for name in NAMES}
    return LeaderForm(CAMPAIGN, "party", "自治区党委政法委员会", texts)


def pdf_lines(pdf: Path) -> list[tuple[int, str]]:
    """(page, text without blanks) of each text line of a PDF, as poppler reads it."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [(page, re.sub(r"\s+", "", line)) for page, text in enumerate(out.stdout.split("\f"), start=1)
            for line in text.splitlines() if line.strip()]


def clear_font_caches() -> None:
    for cached in (pdf_fonts.cjk_font, pdf_fonts.cjk_faces, pdf_fonts.font_for, pdf_fonts.latin_font):
        cached.cache_clear()


@pytest.fixture()
def no_font_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    clear_font_caches()
    monkeypatch.setattr(pdf_fonts, "_font_files", dict)
    yield
    clear_font_caches()


def test_every_paragraph_is_pinned_for_word(tmp_path: Path) -> None:
    document = docx.Document(str(chinese_form().write_docx(tmp_path / "f.docx")))
    paragraphs = list(document.paragraphs) + [p for t in document.tables for r in t.rows for c in r.cells
                                              for p in c.paragraphs]
    for paragraph in paragraphs:
        ppr = paragraph._p.pPr
        assert ppr.find(qn("w:spacing")).get(qn("w:lineRule")) == "exact"
        assert ppr.find(qn("w:widowControl")).get(qn("w:val")) == "0"
        assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    scale, analysis = document.tables
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in scale.rows)
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None for row in analysis.rows)
    assert scale._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_latin_runs_use_times_and_chinese_marks_the_chinese_font(tmp_path: Path) -> None:
    form = LeaderForm(CAMPAIGN, "gov", "某厅", {NAMES[0]: "投资1250亿元“增长”", NAMES[1]: "x", NAMES[2]: "y"})
    cell = docx.Document(str(form.write_docx(tmp_path / "f.docx"))).tables[1].rows[2].cells[0]
    fonts = [(run.text, run._r.rPr.find(qn("w:rFonts")).get(qn("w:ascii"))) for run in cell.paragraphs[0].runs]
    assert fonts == [("投资", "仿宋_GB2312"), ("1250", "Times New Roman"), ("亿元“增长”", "仿宋_GB2312")]


def test_reported_pages_are_the_pages_in_the_file(tmp_path: Path) -> None:
    path, pages = chinese_form().write_pdf(tmp_path / "f.pdf")
    assert pdf_page_count(path) == pages == chinese_form().page_count()


def test_the_measure_does_not_depend_on_the_fonts_found(no_font_files: None) -> None:
    assert pdf_fonts.cjk_font("fang") == pdf_fonts.CID_FONT
    assert chinese_form().page_count() == 2


def test_ideographic_spaces_keep_their_width() -> None:
    spaced = Doc("t", (Para("满意" + "\u3000" * 30 + "满意" * 10, BODY_FANG.but(indent_chars=0)),))
    plain = Doc("t", (Para("满意" + "满" * 30 + "满意" * 10, BODY_FANG.but(indent_chars=0)),))
    assert pdf_writer.page_count(spaced) == pdf_writer.page_count(plain) == 1
    assert pdf_writer._keep_spaces("a  b\u3000") == "a \xa0b" + "\xa0" * 4


def test_titles_break_at_a_natural_place() -> None:
    width = 160 * 72 / 25.4
    lines = [p.text for p in title_paras("2015年度自治区党委群团类及法院、检察院、民主党派机关领导评价表", width,
                                         suffix="领导评价表")]
    assert lines == ["2015年度自治区党委群团类及", "法院、检察院、民主党派机关领导评价表"]
    assert uses_cjk_font("□") and uses_cjk_font("\u3000") and not uses_cjk_font("7")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_no_line_starts_with_a_closing_mark(tmp_path: Path) -> None:
    path, _pages = chinese_form().write_pdf(tmp_path / "f.pdf")
    starts = {text[0] for _page, text in pdf_lines(path)}
    assert not starts & set("，。、；：？！”）》")


@pytest.mark.skipif(soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler-utils is not installed here")
def test_libreoffice_breaks_chinese_lines_and_pages_where_we_do(tmp_path: Path) -> None:
    """LibreOffice agrees on the pages and on nearly every line. Where a closing mark (，。) falls
    just past the margin, Word and WPS let it hang there (允许标点溢出边界, on by default) and so do
    we, while LibreOffice pushes the last character down with it: those lines differ."""
    form = chinese_form()
    ours, pages = form.write_pdf(tmp_path / "ours.pdf")
    theirs = libreoffice_pdf(form.write_docx(tmp_path / "lo.docx"), tmp_path / "lo")
    assert theirs is not None
    mine, lo = pdf_lines(ours), pdf_lines(theirs)
    assert pdf_page_count(theirs) == pages == 2
    assert len(lo) == len(mine)
    same = sum(1 for a, b in zip(mine, lo, strict=True) if a == b)
    assert same >= 0.8 * len(mine)
    hung = [a for a, b in zip(mine, lo, strict=True) if a != b and a[1][-1] in "，。；：！"]
    assert len(hung) >= (len(mine) - same) // 3


def test_a_long_analysis_is_broken_into_lines_once_per_paragraph_and_width(monkeypatch: pytest.MonkeyPatch,
                                                                            tmp_path: Path) -> None:
    """A table wraps a cell many times over while it finds the page breaks; each wrap broke the cell's whole
    text into lines again (18 times per paragraph: a 60 000-字 analysis took 24 s to measure)."""
    broken: list[tuple[int, tuple[float, ...]]] = []
    alive: list[object] = []  # (so that no id is reused by another paragraph's text)
    real = pdf_writer._break

    def counted(frags: list[object], widths: list[float]) -> object:
        alive.append(frags)
        broken.append((id(frags), tuple(widths)))
        return real(frags, widths)

    monkeypatch.setattr(pdf_writer, "_break", counted)
    text = "\n".join([CHINESE * 12] * 2)  # two paragraphs of about 1500 字, pages long together
    form = LeaderForm(CAMPAIGN, "party", "自治区党委政法委员会", dict.fromkeys(NAMES, text))
    path, pages = form.write_pdf(tmp_path / "长.pdf")
    assert pages > 3 and pdf_page_count(path) == pages
    assert broken and len(broken) == len(set(broken))
    drawn = "".join(line for _page, line in pdf_lines(path)).count(CHINESE[:20])  # (one may be cut by a page's
    assert drawn >= 12 * 2 * len(NAMES) - pages  # number between its lines): all the text is drawn
