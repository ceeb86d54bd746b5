"""Render a `Doc` to PDF with reportlab: our own real layout, the same as the .docx's in Word/WPS.

The page count of a document is measured here, on the laid-out pages, never estimated from the
number of characters: the clerk's PC has Word or WPS but no layout engine we could drive, so the
program lays the same document out itself. Same page, margins, exact line pitch, fonts of the
same widths, the same first-line indents, table column widths and cell paddings, and the line
breaking rules of Chinese text (a closing mark such as ，or 。 never starts a line: it hangs in the
margin, as Word does).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus import paragraph as rl_paragraph

from forms.documents import pdf_fonts
from forms.documents.files import atomic_write
from forms.documents.model import (
    BORDER_PT,
    CELL_PAD_X,
    CELL_PAD_Y,
    Block,
    Doc,
    PageSpec,
    Para,
    Table,
    TextStyle,
)

# Word's default list of marks that may not start a line in Simplified Chinese (行首禁则). reportlab's
# own list lacks ，：；？” and others, and would start a line with a comma where Word hangs it.
NO_LINE_START = "!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｀｜｝～￠"
rl_paragraph.ALL_CANNOT_START = "".join(sorted(set(rl_paragraph.ALL_CANNOT_START + NO_LINE_START)))

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


class _Paragraph(Paragraph):
    """reportlab's Paragraph with one line breaker for all Chinese text.

    reportlab breaks a paragraph of a single font run with another routine (other line-start
    rules, and parts that cannot be split again), and lays out a part cut off by split() afresh,
    which fails when that part is one line. Here every paragraph goes through cjkFragSplit, and a
    cut-off part keeps the lines it was cut with."""

    def breakLinesCJK(self, maxWidths: list[float]) -> object:
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        return rl_paragraph.cjkFragSplit(self.frags, maxWidths, calcBounds=False)


class _BoldParagraph(_Paragraph):
    """A paragraph drawn stroked as well as filled: bold Chinese, as Word makes it from a regular font."""

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas._code.append("2 Tr")
        canvas.setLineWidth(self.style.fontSize / 32)
        super().draw()
        canvas.restoreState()


def _keep_spaces(text: str) -> str:
    """Blanks as Word draws them: reportlab collapses a run of blanks into one space, so a space
    after a space becomes a no-break space (the same width in Times) and the ideographic space
    becomes four no-break spaces of Times (4 × 0.25 em = 1 em)."""
    text = text.replace("\u3000", "\xa0" * 4)
    return re.sub(r" {2,}", lambda run: " " + "\xa0" * (len(run.group()) - 1), text)


def _markup(text: str, cjk: str, bold: bool) -> str:
    """Paragraph markup with each character in the font that draws it at the .docx's width."""
    parts: list[tuple[str, str]] = []
    for char in _keep_spaces(text):
        font = pdf_fonts.font_for(char, cjk)
        if bold and font == pdf_fonts.LATIN:
            font = pdf_fonts.LATIN_BOLD
        if parts and parts[-1][0] == font:
            parts[-1] = (font, parts[-1][1] + char)
        else:
            parts.append((font, char))
    return "".join(f'<font face="{font}">{escape(chunk)}</font>' for font, chunk in parts)


def _style(style: TextStyle) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"s{id(style)}", fontName=pdf_fonts.cjk_font(style.font), fontSize=style.size,
        leading=style.line, alignment=_ALIGN[style.align], firstLineIndent=style.first_indent,
        spaceBefore=style.before, spaceAfter=style.after, wordWrap="CJK",
        allowWidows=1, allowOrphans=1, splitLongWords=1,
    )


def _flowable(para: Para) -> Flowable:
    style = para.style
    if not para.text:
        return Spacer(1, style.before + style.line + style.after)
    kind = _BoldParagraph if style.bold else _Paragraph
    return kind(_markup(para.text, pdf_fonts.cjk_font(style.font), style.bold), _style(style))


def _table_style(model: Table) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), BORDER_PT, "black"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        # A horizontal border takes its width out of the row below it, as in Word and LibreOffice.
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y + BORDER_PT),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, -1), (-1, -1), CELL_PAD_Y + BORDER_PT),
    ]
    for row, column, item in model.placed():
        end = (column + item.span - 1, row + item.rowspan - 1)
        commands.append(("VALIGN", (column, row), end, "MIDDLE" if item.valign == "center" else "TOP"))
        if end != (column, row):
            commands.append(("SPAN", (column, row), end))
    return TableStyle(commands)


class _Boxed(Flowable):
    """One paragraph of a one-column table, drawn with the cell's side borders (and its top border
    when it starts a row, the table's bottom border when it ends the table). Laid out in the page's
    own flow, so a long cell breaks across pages line by line, as a Word row does."""

    def __init__(self, inner: Flowable, width: float, top: bool, bottom: bool, cut: bool = False) -> None:
        super().__init__()
        self.inner, self.width, self.top, self.bottom, self.cut = inner, width, top, bottom, cut
        self.hAlign = "CENTER"

    def _extra(self) -> tuple[float, float]:
        spaces = self.inner.getSpaceBefore(), self.inner.getSpaceAfter()
        return (BORDER_PT if self.top else 0) + spaces[0], (BORDER_PT if self.bottom else 0) + spaces[1]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        above, below = self._extra()
        _w, inner_height = self.inner.wrap(self.width - 2 * CELL_PAD_X, availHeight - above - below)
        self.height = above + inner_height + below
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        above, _below = self._extra()
        parts = self.inner.split(self.width - 2 * CELL_PAD_X, availHeight - above)
        if len(parts) != 2:
            return []
        # The part left at the foot of a page is closed by a rule that takes no height, as in Word.
        return [_Boxed(parts[0], self.width, self.top, False, cut=True),
                _Boxed(parts[1], self.width, False, self.bottom)]

    def draw(self) -> None:
        canvas, (_above, below) = self.canv, self._extra()
        self.inner.drawOn(canvas, CELL_PAD_X, below)
        canvas.saveState()
        canvas.setLineWidth(BORDER_PT)
        canvas.line(0, 0, 0, self.height)
        canvas.line(self.width, 0, self.width, self.height)
        if self.top:
            canvas.line(0, self.height, self.width, self.height)
        if self.bottom or self.cut:
            canvas.line(0, 0, self.width, 0)
        canvas.restoreState()


def _column(model: Table) -> list[Flowable]:
    """A one-column table as boxed paragraphs in the page flow."""
    out: list[Flowable] = []
    for row_index, row in enumerate(model.rows):
        paragraphs = row[0].paras
        for index, para in enumerate(paragraphs):
            last = row_index == len(model.rows) - 1 and index == len(paragraphs) - 1
            out.append(_Boxed(_flowable(para), model.width, top=index == 0, bottom=last))
    return out


def _table(model: Table) -> list[Flowable]:
    """A table: one column flows and breaks inside its rows; several columns keep each row whole
    (the .docx marks those rows 'cannot split', so Word does the same)."""
    if len(model.widths) == 1:
        return _column(model)
    data: list[list[object]] = [["" for _ in model.widths] for _ in model.rows]
    for row, column, item in model.placed():
        data[row][column] = [_flowable(para) for para in item.paras]
    return [RLTable(data, colWidths=list(model.widths), style=_table_style(model), hAlign="CENTER",
                    splitByRow=1, splitInRow=0)]


def _first_line(block: Block) -> float:
    """Height that must follow a keep-with-next paragraph on the same page (Word: the next line)."""
    if isinstance(block, Table):
        return max(para.style.line for para in block.rows[0][0].paras)
    return block.style.before + block.style.line


def _story(model: Doc) -> list[Flowable]:
    story: list[Flowable] = []
    blocks = model.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            story.extend(_table(block))
            continue
        if block.style.keep_next and index + 1 < len(blocks):
            own = block.style.before + block.style.line + block.style.after
            story.append(CondPageBreak(own + _first_line(blocks[index + 1])))
        story.append(_flowable(block))
    return story


def _frame(page: PageSpec, left: float, name: str) -> Frame:
    return Frame(left, page.bottom, page.text_width, page.text_height, id=name,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _template(out: object, model: Doc) -> BaseDocTemplate:
    page = model.page
    odd = PageTemplate("odd", [_frame(page, page.inside, "odd")], autoNextPageTemplate="even")
    even_left = page.outside if page.mirror else page.inside
    even = PageTemplate("even", [_frame(page, even_left, "even")], autoNextPageTemplate="odd")
    return BaseDocTemplate(out, pagesize=(page.width, page.height), pageTemplates=[odd, even],
                           title=model.title, author="报送助手", lang="zh-CN",
                           leftMargin=page.inside, rightMargin=page.outside,
                           topMargin=page.top, bottomMargin=page.bottom)


def render(model: Doc) -> tuple[bytes, int]:
    """The PDF of `model` and its number of pages."""
    out = io.BytesIO()
    template = _template(out, model)
    template.build(_story(model))
    return out.getvalue(), template.page


def page_count(model: Doc) -> int:
    """Pages of `model` laid out on paper."""
    return render(model)[1]


def save(model: Doc, path: str | os.PathLike[str]) -> tuple[Path, int]:
    """Write the PDF of `model` at `path`, atomically; returns the path and its number of pages."""
    data, pages = render(model)

    def write(fh: BinaryIO) -> None:
        fh.write(data)
    return atomic_write(path, write), pages
