"""A printed document as plain data, rendered twice: to .docx (Word/WPS) and to .pdf (our own layout).

Every deliverable is first built as a `Doc` (paragraphs and tables with exact sizes). The .docx
writer and the PDF writer render the same `Doc` with the same page, margins, type sizes, exact
line pitches, column widths and cell paddings, so the page count of our PDF is the page count of
the .docx in Word/WPS. Sizes are in points (1 pt = 1/72 inch = 20 twips).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from forms.checks.textcount import is_wide

MM = 72 / 25.4  # points per millimetre
Align = Literal["left", "center", "right", "justify"]
VAlign = Literal["top", "center"]

# Word's default left/right cell margin (0.19 cm = 108 twips); top/bottom are 0.
CELL_PAD_X = 5.4
CELL_PAD_Y = 0.0
BORDER_PT = 0.5


@dataclass(frozen=True)
class FontSpec:
    """A Chinese typeface as Word/WPS on Windows name it, with what stands in for it when missing."""

    word: str         # the name in w:rFonts w:eastAsia: what Word and WPS look up
    alt: str          # w:altName in the font table: the stand-in when `word` is not installed
    panose: str       # w:panose1, so Word substitutes a font of the same look
    pdf_files: tuple[str, ...]  # font files that the PDF layout embeds, first found wins


LATIN_FONT = "Times New Roman"  # digits and Latin letters, as in official documents

FONTS: dict[str, FontSpec] = {
    "song": FontSpec("宋体", "SimSun", "02010600030101010101",
                     ("simsun.ttc", "simsun.ttf", "uming.ttc", "wqy-microhei.ttc", "wqy-zenhei.ttc")),
    "fang": FontSpec("仿宋_GB2312", "仿宋", "02010609030101010101",
                     ("仿宋_GB2312.ttf", "FS_GB2312.ttf", "simfang.ttf", "simsun.ttc", "uming.ttc",
                      "wqy-microhei.ttc", "wqy-zenhei.ttc")),
    "hei": FontSpec("黑体", "SimHei", "02010609060101010101",
                    ("simhei.ttf", "wqy-microhei.ttc", "wqy-zenhei.ttc", "uming.ttc")),
}


@dataclass(frozen=True)
class TextStyle:
    """How a paragraph is set: typeface key of FONTS, size, weight, alignment and an exact line pitch."""

    font: str = "song"
    size: float = 12.0
    bold: bool = False
    align: Align = "justify"
    line: float = 16.0            # exact line pitch (Word: 行距 固定值)
    indent_chars: float = 0.0     # first-line indent, in characters of this size
    before: float = 0.0
    after: float = 0.0
    keep_next: bool = False

    @property
    def first_indent(self) -> float:
        return self.indent_chars * self.size

    def but(self, **changes: object) -> TextStyle:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Para:
    """One paragraph. An empty text still takes one line, as in Word."""

    text: str
    style: TextStyle = TextStyle()


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs, how many grid columns and rows it spans, its vertical alignment.
    A row lists only the cells that start in it; places covered by a cell from above are skipped."""

    paras: tuple[Para, ...]
    span: int = 1
    valign: VAlign = "center"
    rowspan: int = 1


@dataclass(frozen=True)
class Table:
    """A bordered table with fixed column widths (pt); rows may break across pages, as in Word."""

    widths: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def width(self) -> float:
        return sum(self.widths)

    def placed(self) -> Iterator[tuple[int, int, Cell]]:
        """(row, first grid column, cell) of every cell, columns found around row-spanning cells."""
        covered: set[tuple[int, int]] = set()
        for row_index, row in enumerate(self.rows):
            column = 0
            for item in row:
                while (row_index, column) in covered:
                    column += 1
                yield row_index, column, item
                covered.update((row_index + r, column + c) for r in range(item.rowspan) for c in range(item.span))
                column += item.span


Block = Para | Table


@dataclass(frozen=True)
class PageSpec:
    """A4 portrait with mirrored margins: the inside one (binding) alternates sides when printed on both."""

    width: float = 210 * MM
    height: float = 297 * MM
    top: float = 30 * MM
    bottom: float = 25 * MM
    inside: float = 28 * MM
    outside: float = 22 * MM
    mirror: bool = True

    @property
    def text_width(self) -> float:
        return self.width - self.inside - self.outside

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class Doc:
    """A whole document: its title (file metadata), page and blocks in reading order."""

    title: str
    blocks: tuple[Block, ...]
    page: PageSpec = field(default_factory=PageSpec)


# The type of every deliverable: 小四号 (12 pt) body with an exact 18-pt pitch; 小二号 (18 pt) title.
BODY = TextStyle()
BODY_FANG = TextStyle(font="fang", indent_chars=2)
TITLE = TextStyle(size=18, bold=True, align="center", line=26, after=6, keep_next=True)
HEADING = TextStyle(font="hei", keep_next=True, align="left", indent_chars=2)
CELL = TextStyle(align="center")
CELL_LEFT = TextStyle(align="justify")


def uses_cjk_font(char: str) -> bool:
    """A character set in the Chinese font (one em wide): Chinese, full-width marks, GB2312 symbols,
    the ideographic space, and anything the Latin font (Windows-1252) cannot draw."""
    if is_wide(char) or char == "\u3000":
        return True
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def paras(text: str, style: TextStyle) -> tuple[Para, ...]:
    """Split a typed text into paragraphs: one per non-blank line, stripped of the typist's indents."""
    lines = [line.strip(" \t\u3000\r").replace("\t", " ") for line in text.splitlines()]
    return tuple(Para(line, style) for line in lines if line)


def cell(text: str, style: TextStyle = CELL, span: int = 1, valign: VAlign = "center", rowspan: int = 1) -> Cell:
    """A one-paragraph cell."""
    return Cell((Para(text, style),), span=span, valign=valign, rowspan=rowspan)


def column_width(chars: int, size: float = 12.0) -> float:
    """A column wide enough for `chars` characters of `size` plus the paddings and half a character
    of slack, so Word, WPS, LibreOffice and our layout all break its lines at the same places."""
    return chars * size + 2 * CELL_PAD_X + size / 2


# Where a title may break, best first: after “关于”, after “及”, after “、”, after “的”.
_TITLE_BREAKS = ("关于", "及", "、", "的")


def title_paras(title: str, width: float, style: TextStyle = TITLE, suffix: str = "") -> tuple[Para, ...]:
    """The title on one line if it fits, else on two at a natural place: before `suffix` (as the
    notice breaks “……民主党派机关 / 领导评价表”), after 关于, 及, 、 or 的, else in the middle."""
    def fits(text: str) -> bool:
        return sum(style.size if uses_cjk_font(c) else style.size / 2 for c in text) <= width
    if fits(title):
        return (Para(title, style),)
    cut = _title_cut(title, suffix, fits)
    first = style.but(after=0, keep_next=True)
    return Para(title[:cut], first), Para(title[cut:], style)


def _title_cut(title: str, suffix: str, fits: Callable[[str], bool]) -> int:
    middle = len(title) / 2
    candidates = [title.rfind(suffix)] if suffix and suffix in title else []
    for mark in _TITLE_BREAKS:
        places = [i + len(mark) for i in range(len(title)) if title.startswith(mark, i)]
        candidates.extend(sorted(places, key=lambda i: abs(i - middle)))
    for cut in candidates:
        if 0 < cut < len(title) and fits(title[:cut]) and fits(title[cut:]):
            return cut
    return (len(title) + 1) // 2
