"""Render a `Doc` to .docx with python-docx, in the exact sizes the PDF layout uses.

Everything that could make Word, WPS or LibreOffice lay the text out differently from our PDF is
pinned down: exact line pitch, no space before/after unless asked, no widow control, no snapping
to a document grid, no automatic space between Chinese and Latin text, fixed table column widths
and explicit cell margins. Chinese text carries w:eastAsia fonts named as Windows knows them
(宋体, 仿宋_GB2312, 黑体), and the font table gives each a stand-in (w:altName, panose, GB2312
charset) for a machine that lacks it.
"""

from __future__ import annotations

import os
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from forms.documents.files import atomic_write
from forms.documents.model import (
    BORDER_PT,
    CELL_PAD_X,
    CELL_PAD_Y,
    FONTS,
    FOOTER,
    LATIN_FONT,
    NO_LINE_END,
    NO_LINE_START,
    PAGE_NUMBER,
    Doc,
    Para,
    Table,
    TextStyle,
    uses_cjk_font,
)

_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _twips(points: float) -> str:
    return str(round(points * 20))


def _set(parent: object, tag: str, **attrs: str) -> object:
    """Get or create the child `tag` of an oxml element and set its w: attributes."""
    element = parent.find(qn(tag))  # type: ignore[attr-defined]
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)  # type: ignore[attr-defined]
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _run_fonts(rpr: object, font: str, wide: bool) -> None:
    """Chinese in the eastAsia font; a run of wide marks (“”—…) in it on every slot, so that no
    program draws Chinese quotes with the Latin font; Latin letters and digits in Times New Roman."""
    cjk = FONTS[font].word
    latin = cjk if wide else LATIN_FONT
    _set(rpr, "w:rFonts", ascii=latin, hAnsi=latin, eastAsia=cjk, cs=latin, hint="eastAsia")


def _run_props(rpr: object, font: str, size: float, bold: bool, wide: bool) -> None:
    _run_fonts(rpr, font, wide)
    if bold:
        _set(rpr, "w:b")
        _set(rpr, "w:bCs")
    half_points = str(round(size * 2))
    _set(rpr, "w:sz", val=half_points)
    _set(rpr, "w:szCs", val=half_points)
    _set(rpr, "w:lang", val="en-US", eastAsia="zh-CN")


def segments(text: str) -> list[tuple[str, bool]]:
    """Split text into runs of wide (Chinese) and other characters."""
    out: list[tuple[str, bool]] = []
    for char in text:
        wide = uses_cjk_font(char)
        if out and out[-1][1] == wide:
            out[-1] = (out[-1][0] + char, wide)
        else:
            out.append((char, wide))
    return out


def _para_props(paragraph: DocxParagraph, para: Para) -> None:
    style = para.style
    ppr = paragraph._p.get_or_add_pPr()
    if style.keep_next:
        _set(ppr, "w:keepNext")
    _set(ppr, "w:widowControl", val="0")
    _set(ppr, "w:kinsoku", val="1")
    _set(ppr, "w:overflowPunct", val="0")  # no mark hangs in the margin (or over a table's border)
    _set(ppr, "w:autoSpaceDE", val="0")
    _set(ppr, "w:autoSpaceDN", val="0")
    _set(ppr, "w:snapToGrid", val="0")
    _set(ppr, "w:spacing", before=_twips(style.before), after=_twips(style.after),
         line=_twips(style.line), lineRule="exact")
    if style.indent_chars:
        _set(ppr, "w:ind", firstLineChars=str(round(style.indent_chars * 100)), firstLine=_twips(style.first_indent))
    _set(ppr, "w:jc", val=_JC[style.align])
    _run_props(_set(ppr, "w:rPr"), style.font, style.size, style.bold, False)


def _write_para(paragraph: DocxParagraph, para: Para) -> None:
    _para_props(paragraph, para)
    for runs_text, bold in para.runs():
        for text, wide in segments(runs_text):
            run = paragraph.add_run(text)
            _run_props(run._r.get_or_add_rPr(), para.style.font, para.style.size, bold, wide)


def _borders(tbl_pr: object, border: bool) -> None:
    borders = _set(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if border:
            _set(borders, f"w:{side}", val="single", sz=str(round(BORDER_PT * 8)), space="0", color="000000")
        else:
            _set(borders, f"w:{side}", val="nil")


def _table_props(table: DocxTable, model: Table) -> None:
    """Table properties rebuilt in schema order: width, centred, borders, fixed layout, cell margins."""
    tbl_pr = table._tbl.tblPr
    for child in list(tbl_pr):
        tbl_pr.remove(child)
    _set(tbl_pr, "w:tblW", w=_twips(model.width), type="dxa")
    _set(tbl_pr, "w:jc", val="center")
    _borders(tbl_pr, model.border)
    _set(tbl_pr, "w:tblLayout", type="fixed")
    margins = _set(tbl_pr, "w:tblCellMar")
    for side, pad in (("top", CELL_PAD_Y), ("left", CELL_PAD_X), ("bottom", CELL_PAD_Y), ("right", CELL_PAD_X)):
        _set(margins, f"w:{side}", w=_twips(pad), type="dxa")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, model.widths, strict=True):
        grid_col.set(qn("w:w"), _twips(width))


def _fill_cell(target: _Cell, width: float, valign: str, paras: tuple[Para, ...]) -> None:
    tc_pr = target._tc.get_or_add_tcPr()
    _set(tc_pr, "w:tcW", w=_twips(width), type="dxa")
    _set(tc_pr, "w:vAlign", val=valign)
    first = target.paragraphs[0]
    for index, para in enumerate(paras):
        _write_para(first if index == 0 else target.add_paragraph(), para)


def _write_table(document: DocxDocument, model: Table) -> None:
    table = document.add_table(rows=len(model.rows), cols=len(model.widths))
    _table_props(table, model)
    if len(model.widths) > 1:
        for row in table.rows:
            _set(row._tr.get_or_add_trPr(), "w:cantSplit")
    for row_index, column, item in model.placed():
        target = table.cell(row_index, column)
        last = table.cell(row_index + item.rowspan - 1, column + item.span - 1)
        if last is not target:
            target = target.merge(last)
        width = sum(model.widths[column:column + item.span])
        _fill_cell(target, width, item.valign, item.paras)


def _field(paragraph: DocxParagraph, code: str, style: TextStyle) -> None:
    """A field (PAGE) as Word writes one: begin, instruction, separate, a placeholder result, end."""
    def run(child: object) -> None:
        element = OxmlElement("w:r")
        _run_props(_set(element, "w:rPr"), style.font, style.size, style.bold, False)
        element.append(child)
        paragraph._p.append(element)
    for kind in ("begin", "code", "separate", "result", "end"):
        if kind == "code":
            child = OxmlElement("w:instrText")
            child.set(qn("xml:space"), "preserve")
            child.text = f" {code} "
        elif kind == "result":
            child = OxmlElement("w:t")
            child.text = "1"
        else:
            child = OxmlElement("w:fldChar")
            child.set(qn("w:fldCharType"), kind)
        run(child)


def _footer(document: DocxDocument) -> None:
    """“— N —” centred in the footer, N the PAGE field (both page kinds: mirrored margins)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    before, _mark, after = PAGE_NUMBER.partition("{page}")
    _write_para(paragraph, Para(before, FOOTER))
    _field(paragraph, "PAGE", FOOTER)
    for text, wide in segments(after):
        _run_props(paragraph.add_run(text)._r.get_or_add_rPr(), FOOTER.font, FOOTER.size, False, wide)


def _page_setup(document: DocxDocument, model: Doc) -> None:
    section = document.sections[0]
    page = model.page
    section.page_width, section.page_height = Pt(page.width), Pt(page.height)
    section.top_margin, section.bottom_margin = Pt(page.top), Pt(page.bottom)
    section.left_margin, section.right_margin = Pt(page.inside), Pt(page.outside)
    section.header_distance, section.footer_distance = Pt(page.top / 2), Pt(page.bottom / 2)
    section.gutter = Pt(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        section._sectPr.remove(grid)
    settings = document.settings.element
    if page.mirror:
        settings.find(qn("w:zoom")).addnext(OxmlElement("w:mirrorMargins"))
    _set(settings, "w:themeFontLang", val="en-US", eastAsia="zh-CN")
    _kinsoku(settings)


def _kinsoku(settings: object) -> None:
    """The marks that may not start or end a line, as our PDF layout keeps them (w:settings order:
    after w:characterSpacingControl, which python-docx's template has)."""
    anchor = settings.find(qn("w:characterSpacingControl"))  # type: ignore[attr-defined]
    for tag, marks in (("w:noLineBreaksAfter", NO_LINE_END), ("w:noLineBreaksBefore", NO_LINE_START)):
        element = OxmlElement(tag)
        element.set(qn("w:lang"), "zh-CN")
        element.set(qn("w:val"), marks)
        if anchor is not None:
            anchor.addnext(element)
            anchor = element
        else:
            settings.append(element)  # type: ignore[attr-defined]


def _defaults(document: DocxDocument) -> None:
    """Document defaults: 小四 宋体 with Times New Roman, Chinese language, no paragraph spacing."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rpr.find(qn("w:rFonts")).attrib.pop(qn(f"w:{attr}"), None)
    _run_props(rpr, "song", 12, False, False)
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(ppr, "w:spacing", before="0", after="0", line="360", lineRule="exact")


def _font_table(document: DocxDocument) -> None:
    """Declare the Chinese fonts with their stand-ins, so a machine without one substitutes sensibly."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{spec.word}"><w:altName w:val="{spec.alt}"/><w:panose1 w:val="{spec.panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for spec in FONTS.values()
    )
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def render(model: Doc) -> DocxDocument:
    """The python-docx document of `model`."""
    document = docx.Document()
    _defaults(document)
    _font_table(document)
    _page_setup(document, model)
    if model.page_numbers:
        _footer(document)
    for block in model.blocks:
        if isinstance(block, Table):
            _write_table(document, block)
        else:
            _write_para(document.add_paragraph(), block)
    _end_paragraph(document)
    document.core_properties.title = model.title
    document.core_properties.language = "zh-CN"
    return document


def _end_paragraph(document: DocxDocument) -> None:
    """Word needs a paragraph after a final table; make it 1 pt high so it never adds a page."""
    body = document.element.body
    last = [child for child in body if child.tag != qn("w:sectPr")][-1]
    if last.tag == qn("w:tbl"):
        _write_para(document.add_paragraph(), Para("", TextStyle(size=1, line=1)))


def save(model: Doc, path: str | os.PathLike[str]) -> Path:
    """Write `model` as .docx at `path`, atomically."""
    document = render(model)
    return atomic_write(path, document.save)
