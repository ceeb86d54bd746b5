"""Render a `Doc` to PDF with reportlab: our own real layout, the same as the .docx's in Word/WPS.

The page count of a document is measured here, on the laid-out pages, never estimated from the
number of characters: the clerk's PC has Word or WPS but no layout engine we could drive, so the
program lays the same document out itself. Same page, margins, exact line pitch, fonts of the
same widths, the same first-line indents, table column widths and cell paddings, and the line
breaking rules of Chinese text (forms.documents.linebreak: 避头尾, nothing hanging in the margin).
The window prints and previews this very PDF, so what the 2-page check passes prints on 2 pages.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
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

from forms.documents import linebreak, pdf_fonts
from forms.documents.files import atomic_write
from forms.documents.model import (
    BORDER_PT,
    CELL_PAD_X,
    CELL_PAD_Y,
    FOOTER,
    PAGE_NUMBER,
    Block,
    Doc,
    PageSpec,
    Para,
    Table,
    TextStyle,
)

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Bold runs of Chinese text are drawn stroked as well as filled (Word's bold from a regular font). The
# paragraph marks them with this colour (black to the eye), and its drawing turns the colour into
# stroking: reportlab sets a run's colour again at each line it starts, so a run broken over lines
# stays bold.
BOLD_MARK = "#000001"
_COLOUR = re.compile(r"0 0 (\.00392\d*|0) rg")


class _Paragraph(Paragraph):
    """reportlab's Paragraph with our line breaker (forms.documents.linebreak) for every paragraph, and
    bold runs of Chinese text stroked as well as filled, as Word makes bold from a regular font.

    A part cut off by split() keeps the lines it was cut with (reportlab would lay it out afresh)."""

    def breakLinesCJK(self, maxWidths: list[float]) -> object:
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        known = getattr(self, "_broken", None)  # (frags, widths, lines): a table wraps a cell many times over
        if known is not None and known[0] is self.frags and known[1] == widths:  # (18 times per page of a long
            return known[2]  # cell, each a full pass over its text: 24 s for a 60 000-字 analysis)
        lines = _break(self.frags, widths)
        self._broken = (self.frags, widths, lines)
        return lines

    def draw(self) -> None:
        canvas = self.canv
        if not getattr(self, "has_bold", False):
            return super().draw()
        canvas.saveState()
        canvas.setLineWidth(self.style.fontSize / 32)
        mark = len(canvas._code)
        super().draw()

        def mode(match: re.Match[str]) -> str:
            return f"0 0 0 rg {0 if match.group(1) == '0' else 2} Tr"
        canvas._code[mark:] = [_COLOUR.sub(mode, code) for code in canvas._code[mark:]]
        canvas.restoreState()
        return None


def _break(frags: list[object], max_widths: list[float]) -> object:
    """The paragraph's lines as reportlab's CJK line records, cut where `linebreak.line_ends` says."""
    chars = [rl_paragraph.cjkU(char, frag, "utf8") for frag in frags for char in getattr(frag, "text", "")]
    ends = linebreak.line_ends(chars, [u.width for u in chars], max_widths)
    lines, start = [], 0
    for number, end in enumerate(ends):
        width = max_widths[min(number, len(max_widths) - 1)]
        used = sum(u.width for u in chars[start:end])
        lines.append(rl_paragraph.makeCJKParaLine(chars[start:end], width, used, width - used, False, False))
        start = end
    return rl_paragraph.ParaLines(kind=1, lines=lines)


def _keep_spaces(text: str) -> str:
    """Blanks as Word draws them: reportlab collapses a run of blanks into one space, so a space
    after a space becomes a no-break space (the same width in Times) and the ideographic space
    becomes four no-break spaces of Times (4 × 0.25 em = 1 em)."""
    text = text.replace("\u3000", "\xa0" * 4)
    return re.sub(r" {2,}", lambda run: " " + "\xa0" * (len(run.group()) - 1), text)


def _fonts_of(para: Para) -> list[tuple[str, str, bool]]:
    """(font, text) chunks of the paragraph, each character in the font that draws it at the .docx's
    width; bold runs in Times Bold or in the stroked alias of the Chinese face."""
    key = para.style.font
    cjk = pdf_fonts.cjk_font(key)
    parts: list[tuple[str, str, bool]] = []
    for text, bold in para.runs():
        for char in _keep_spaces(text):
            font = pdf_fonts.font_for(char, cjk, key)
            if bold and font == pdf_fonts.latin_font():
                font = pdf_fonts.latin_font(True)
            if parts and parts[-1][0] == font and parts[-1][2] == bold:
                parts[-1] = (font, parts[-1][1] + char, bold)
            else:
                parts.append((font, char, bold))
    return parts


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
    parts = _fonts_of(para)
    stroked = {font for font, _chunk, bold in parts if bold} - {pdf_fonts.latin_font(True)}

    def run(font: str, chunk: str, bold: bool) -> str:
        colour = f' color="{BOLD_MARK}"' if bold and font in stroked else ""
        return f'<font face="{font}"{colour}>{escape(chunk)}</font>'
    flowable = _Paragraph("".join(run(*part) for part in parts), _style(style))
    flowable.has_bold = bool(stroked)  # type: ignore[attr-defined]
    return flowable


def _table_style(model: Table) -> TableStyle:
    rule = BORDER_PT if model.border else 0.0
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.latin_font()),  # no unembedded Helvetica for empty cells
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        # A horizontal border takes its width out of the row below it, as in Word and LibreOffice.
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y + rule),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, -1), (-1, -1), CELL_PAD_Y + rule),
    ]
    if model.border:
        commands.append(("GRID", (0, 0), (-1, -1), BORDER_PT, "black"))
    for row, column, item in model.placed():
        end = (column + item.span - 1, row + item.rowspan - 1)
        commands.append(("VALIGN", (column, row), end, "MIDDLE" if item.valign == "center" else "TOP"))
        if end != (column, row):
            commands.append(("SPAN", (column, row), end))
    return TableStyle(commands)


@dataclass(frozen=True)
class _Item:
    """A paragraph (or the part of one left by a page break) of a one-column table."""

    inner: Flowable
    row_start: bool   # the first paragraph of a row: the row's top rule is drawn above it
    keep: bool        # kept on the page of the next paragraph (a section's name row)


class _Column(Flowable):
    """A one-column table laid out in the page's own flow, so a long cell breaks across pages line by
    line, as a Word row does. Each part of it on a page is a closed box: a page break draws the rule
    under the part it ends and above the part it starts (Word closes a broken row the same way), and a
    row marked keep-with-next never stays alone at the foot of a page."""

    def __init__(self, items: list[_Item], width: float, open_top: bool = False, last: bool = True) -> None:
        super().__init__()
        self.items, self.width, self.open_top, self.last = items, width, open_top, last
        self.hAlign = "CENTER"
        self.heights: list[tuple[float, float, float]] = []

    def _above(self, item: _Item) -> float:
        return (BORDER_PT if item.row_start else 0.0) + item.inner.getSpaceBefore()

    def _below(self, index: int) -> float:
        closes = self.last and index == len(self.items) - 1
        return (BORDER_PT if closes else 0.0) + self.items[index].inner.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner_width = self.width - 2 * CELL_PAD_X
        self.heights = [(self._above(item), item.inner.wrap(inner_width, availHeight)[1], self._below(i))
                        for i, item in enumerate(self.items)]
        self.height = sum(sum(h) for h in self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        used, head, tail = 0.0, list(self.items), []
        for index, (above, inner, below) in enumerate(self.heights):
            if used + above + inner + below <= availHeight:
                used += above + inner + below
                continue
            item = self.items[index]
            parts = item.inner.split(self.width - 2 * CELL_PAD_X, availHeight - used - above)
            head, tail = self.items[:index], self.items[index:]
            if len(parts) == 2:
                head = [*head, _Item(parts[0], item.row_start, False)]
                tail = [_Item(parts[1], False, item.keep), *tail[1:]]
            break
        while head and head[-1].keep:
            tail.insert(0, head.pop())
        if not head or not tail:
            return []
        return [_Column(head, self.width, self.open_top, last=False), _Column(tail, self.width, True, self.last)]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(BORDER_PT)
        top = self.height
        for item, (above, inner, below) in zip(self.items, self.heights, strict=True):
            if item.row_start or (top == self.height and self.open_top):
                canvas.line(0, top, self.width, top)
            item.inner.drawOn(canvas, CELL_PAD_X, top - above - inner)
            top -= above + inner + below
        canvas.line(0, 0, self.width, 0)  # the table's end, or the foot of the page that breaks it
        canvas.line(0, 0, 0, self.height)
        canvas.line(self.width, 0, self.width, self.height)
        canvas.restoreState()


def _column(model: Table) -> list[Flowable]:
    """A one-column table as one flowable that breaks between and inside its paragraphs."""
    items = [_Item(_flowable(para), index == 0, para.style.keep_next)
             for row in model.rows for index, para in enumerate(row[0].paras)]
    return [_Column(items, model.width)]


def _table(model: Table) -> list[Flowable]:
    """A table: one bordered column flows and breaks inside its rows; several columns keep each row
    whole (the .docx marks those rows 'cannot split', so Word does the same)."""
    if len(model.widths) == 1 and model.border:
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
            own = sum(b.style.before + b.style.line + b.style.after for b in _kept(blocks, index))
            story.append(CondPageBreak(own + _first_line(blocks[index + 1 + _run(blocks, index)])))
        story.append(_flowable(block))
    return story


def _run(blocks: tuple[Block, ...], index: int) -> int:
    """How many keep-with-next paragraphs follow the one at `index` directly (a two-line title)."""
    count = 0
    while index + count + 1 < len(blocks) - 1:
        following = blocks[index + count + 1]
        if isinstance(following, Table) or not following.style.keep_next:
            break
        count += 1
    return count


def _kept(blocks: tuple[Block, ...], index: int) -> list[Para]:
    return [b for b in blocks[index:index + 1 + _run(blocks, index)] if isinstance(b, Para)]


def _page_number(canvas: Canvas, model: Doc) -> None:
    """“— N —” centred in the footer, where the .docx's PAGE field prints it."""
    if not model.page_numbers:
        return
    flowable = _flowable(Para(PAGE_NUMBER.format(page=canvas.getPageNumber()), FOOTER))
    width, height = flowable.wrap(model.page.width, FOOTER.line)
    flowable.drawOn(canvas, (model.page.width - width) / 2, model.page.bottom / 2)


def _frame(page: PageSpec, left: float, name: str) -> Frame:
    return Frame(left, page.bottom, page.text_width, page.text_height, id=name,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _template(out: object, model: Doc) -> BaseDocTemplate:
    page = model.page
    def number(canvas: Canvas, _doc: object) -> None:
        _page_number(canvas, model)
    odd = PageTemplate("odd", [_frame(page, page.inside, "odd")], autoNextPageTemplate="even", onPageEnd=number)
    even_left = page.outside if page.mirror else page.inside
    even = PageTemplate("even", [_frame(page, even_left, "even")], autoNextPageTemplate="odd", onPageEnd=number)
    return BaseDocTemplate(out, pagesize=(page.width, page.height), pageTemplates=[odd, even],
                           title=model.title, author="报送助手", lang="zh-CN",
                           initialFontName=pdf_fonts.latin_font(),
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
