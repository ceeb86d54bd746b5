"""附件9/10/11: read the .docx back, measure the PDF, and open both with real readers where present."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from forms.checks.textcount import count_chars
from forms.documents.files import DocumentWriteError, libreoffice_pdf, pdf_page_count, soffice
from forms.documents.leader_form import TARGET_LABEL, LeaderForm, for_form
from forms.notice.campaign import load

CAMPAIGN = load()
SECTIONS = tuple(CAMPAIGN.rules["analysis_sections"])
SENTENCES = (
    "全年围绕自治区党委、政府部署的重点工作任务，坚持稳中求进工作总基调，统筹推进改革发展稳定各项工作。",
    "重点项目建设进展顺利，1—11月完成固定资产投资1250亿元，同比增长16.8%，完成年度计划的95%。",
    "深化行政审批制度改革，取消和下放审批事项42项，网上办理率达到100%，群众办事更加便捷。",
    "推进PPP模式试点，签约项目23个，总投资约310亿元，社会资本参与的积极性明显提高。",
    "加强干部队伍建设，开展业务培训12期，培训干部1800余人次，服务基层的能力进一步增强。",
)


def analysis_text(total: int, paragraphs: int = 3) -> str:
    """Realistic text of exactly `total` 字 (as Word counts), in `paragraphs` paragraphs."""
    per = total // paragraphs
    out = []
    sentences = itertools.cycle(SENTENCES)
    for index in range(paragraphs):
        target = per if index < paragraphs - 1 else total - per * (paragraphs - 1)
        text = ""
        while count_chars(text) < target:
            text += next(sentences)
        while count_chars(text) > target:
            text = text[:-1]
        out.append(text)
    return "\n".join(out)


def sections_of(total: int, paragraphs: tuple[int, int, int] = (3, 2, 2)) -> dict[str, str]:
    shares = (total * 4 // 10, total * 3 // 10, total - total * 4 // 10 - total * 3 // 10)
    return {name: analysis_text(share, n) for name, share, n in zip(SECTIONS, shares, paragraphs, strict=True)}


def form_1400(kind: str = "gov") -> LeaderForm:
    return LeaderForm(CAMPAIGN, kind, "自治区发展和改革委员会", sections_of(1400))


# --- the .docx read back -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return form_1400().write_docx(tmp_path_factory.mktemp("docx") / "附件9.docx")


def test_title_target_and_note(written: Path) -> None:
    texts = [p.text for p in docx.Document(str(written)).paragraphs]
    assert texts[0] == "2015年度自治区人民政府直属行政机构领导评价表"
    assert f"{TARGET_LABEL}自治区发展和改革委员会" in texts
    assert CAMPAIGN.leader_form_note in texts
    assert not any("式样" in text for text in texts)


def test_scale_table_is_the_notices(written: Path) -> None:
    table = docx.Document(str(written)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["评价等级", "评价标准", "分值", "您的评价分"]
    assert [row[0] for row in rows[1:]] == ["优秀", "良好", "一般", "差", "很差"]
    assert [row[2] for row in rows[1:]] == ["5", "4", "3", "2", "1"]
    assert [row[1] for row in rows[1:]] == [level["standard"] for level in CAMPAIGN.leader_scale]
    assert all(row[3] == "" for row in rows[1:])


def test_analysis_sections_carry_the_text(written: Path) -> None:
    table = docx.Document(str(written)).tables[1]
    cells = [row.cells[0] for row in table.rows]
    assert cells[0].text == "自治区发展和改革委员会2015年度绩效分析"
    expected = sections_of(1400)
    for index, name in enumerate(SECTIONS):
        heading, body = cells[1 + 2 * index], cells[2 + 2 * index]
        assert heading.text == name
        assert [p.text for p in body.paragraphs] == expected[name].split("\n")


def test_body_type_is_12pt_with_chinese_fonts(written: Path) -> None:
    document = docx.Document(str(written))
    body = document.tables[1].rows[2].cells[0].paragraphs[0]
    runs = [run for run in body.runs if run.text]
    assert runs and all(run.font.size == Pt(12) for run in runs)
    fonts = {run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for run in runs}
    assert fonts == {"仿宋_GB2312"}
    standard = document.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert standard.font.size == Pt(12)
    assert standard._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert body.paragraph_format.line_spacing_rule is not None


def test_fonts_have_stand_ins_in_the_font_table(written: Path) -> None:
    document = docx.Document(str(written))
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in xml
    assert '<w:font w:name="宋体"><w:altName w:val="SimSun"/>' in xml


def test_page_is_a4_with_room_for_binding(written: Path) -> None:
    document = docx.Document(str(written))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert section.left_margin >= Mm(25)
    assert document.settings.element.find(qn("w:mirrorMargins")) is not None


@pytest.mark.parametrize(("kind", "form", "title"), [
    ("gov", "9", "2015年度自治区人民政府直属行政机构领导评价表"),
    ("party", "10", "2015年度自治区党委群团类及法院、检察院、民主党派机关领导评价表"),
    ("pub", "11", "2015年度自治区参照公务员法管理的事业单位领导评价表"),
])
def test_each_kind_gets_its_own_form(kind: str, form: str, title: str, tmp_path: Path) -> None:
    leader_form = LeaderForm(CAMPAIGN, kind, "某部门", sections_of(600))
    assert leader_form.form == form
    document = docx.Document(str(leader_form.write_docx(tmp_path / "f.docx")))
    assert "".join(p.text for p in document.paragraphs[:2]).startswith(title)
    assert for_form(CAMPAIGN, form, "某部门", {}).kind == kind


def test_for_form_refuses_a_frame() -> None:
    with pytest.raises(ValueError):
        for_form(CAMPAIGN, "3", "某部门", {})


# --- the limits, measured ------------------------------------------------------------------------


def test_1400_zi_fit_in_two_pages(tmp_path: Path) -> None:
    for kind in ("gov", "party", "pub"):
        leader_form = form_1400(kind)
        assert leader_form.char_count() == 1400
        path, pages = leader_form.write_pdf(tmp_path / f"{kind}.pdf")
        assert pages == 2 and pdf_page_count(path) == 2
        assert leader_form.findings() == []


def test_three_pages_worth_is_refused_with_the_page_finding() -> None:
    leader_form = LeaderForm(CAMPAIGN, "gov", "某部门", sections_of(2700))
    assert leader_form.page_count() == 3
    codes = {finding.code: finding for finding in leader_form.findings()}
    assert set(codes) == {"analysis-length", "analysis-pages"}
    assert "3页" in codes["analysis-pages"].message and codes["analysis-pages"].form == "9"
    assert "2700字" in codes["analysis-length"].message and "1300字" in codes["analysis-length"].message


def test_short_paragraphs_overflow_pages_within_the_character_limit() -> None:
    many = {name: "\n".join(["全年完成重点工作任务，成效明显。"] * 25) for name in SECTIONS}
    leader_form = LeaderForm(CAMPAIGN, "gov", "某部门", many)
    assert leader_form.char_count() <= 1400
    assert [finding.code for finding in leader_form.findings()] == ["analysis-pages"]


def test_1401_zi_is_refused_by_length_alone() -> None:
    leader_form = LeaderForm(CAMPAIGN, "gov", "某部门", sections_of(1401))
    assert [f.code for f in leader_form.findings()] == ["analysis-length"]


def test_an_empty_section_is_unfinished() -> None:
    texts = sections_of(900)
    texts[SECTIONS[1]] = "  \n "
    findings = LeaderForm(CAMPAIGN, "pub", "某部门", texts).findings()
    assert [(f.code, f.form) for f in findings] == [("analysis-empty", "11")]
    assert SECTIONS[1] in findings[0].message


# --- writing safely ------------------------------------------------------------------------------


def test_write_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "附件9.docx"
    target.write_bytes(b"old")
    form_1400().write_docx(target)
    assert docx.Document(str(target)).tables
    assert [p.name for p in tmp_path.iterdir()] == ["附件9.docx"]


def test_write_into_a_file_in_place_of_the_folder_is_a_known_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(DocumentWriteError):
        form_1400().write_docx(blocker / "附件9.docx")


# --- real readers: LibreOffice and poppler -------------------------------------------------------

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed here")
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")


@needs_soffice
def test_libreoffice_opens_each_form_and_keeps_1400_zi_in_two_pages(tmp_path: Path) -> None:
    for kind in ("gov", "party", "pub"):
        path = form_1400(kind).write_docx(tmp_path / f"{kind}.docx")
        pdf = libreoffice_pdf(path, tmp_path / "lo")
        assert pdf is not None and pdf_page_count(pdf) == 2


@needs_soffice
def test_libreoffice_agrees_on_three_pages(tmp_path: Path) -> None:
    many = {name: "\n".join(["全年完成重点工作任务，成效明显。"] * 25) for name in SECTIONS}
    leader_form = LeaderForm(CAMPAIGN, "gov", "某部门", many)
    pdf = libreoffice_pdf(leader_form.write_docx(tmp_path / "many.docx"), tmp_path / "lo")
    assert pdf is not None and pdf_page_count(pdf) == leader_form.page_count() == 3


@needs_pdftoppm
def test_page_one_renders_as_png(tmp_path: Path) -> None:
    """Page 1 of 附件9 as PNG (ours and, where present, LibreOffice's) for a person to look at."""
    leader_form = form_1400()
    pdf, _pages = leader_form.write_pdf(tmp_path / "附件9.pdf")
    pdfs = [pdf]
    if soffice() is not None:
        lo = libreoffice_pdf(leader_form.write_docx(tmp_path / "附件9.docx"), tmp_path / "lo")
        assert lo is not None
        pdfs.append(lo)
    for source in pdfs:
        prefix = source.parent / f"{source.stem}-page"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(source), str(prefix)], check=True)
        png = next(source.parent.glob(f"{source.stem}-page*.png"))
        assert png.stat().st_size > 20_000
