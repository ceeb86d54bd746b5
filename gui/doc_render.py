"""A forms.documents `Doc` as a paginated QTextDocument, for the print preview and for printing.

The same page (A4, the .docx's margins), the same type (宋体/仿宋_GB2312/黑体 by the names Word and
WPS know, Times New Roman for Latin letters and digits, 12 pt body), exact line pitches, first-line
indents, bordered tables with fixed column widths, merged cells and the .docx's cell paddings. What
Qt cannot do is left out: margins do not mirror on even pages and a heading is not kept with the
next line, so a page may break a line or two away from where Word breaks it.

The layout runs on a 144-dpi paint device (two pixels to the point: the fonts' own advance widths
without rounding to whole points; at much higher resolutions Qt stops synthesising bold for a face
without a bold weight). `QTextDocument.print_` scales the page onto whatever printer it is given.
Qt draws no collapsed table border thinner than one screen pixel, so the rules are 0.75 pt, not
Word's 0.5 pt.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QFont,
    QGuiApplication,
    QImage,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableCellFormat,
    QTextTableFormat,
)

from forms.documents.docx_writer import segments
from forms.documents.model import (
    BORDER_PT,
    CELL_PAD_X,
    CELL_PAD_Y,
    Cell,
    Doc,
    Para,
    Table,
    TextStyle,
)

# Tried in order: the Windows face the .docx names first, then what stands in for it elsewhere.
SONG = ("宋体", "SimSun", "NSimSun", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN",
        "WenQuanYi Micro Hei")
FAMILIES: dict[str, tuple[str, ...]] = {
    "song": SONG,
    "fang": ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong", *SONG),
    "hei": ("黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", *SONG),
}
LATIN = ("Times New Roman", "Liberation Serif", "Tinos", "DejaVu Serif")
_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
          "right": Qt.AlignmentFlag.AlignRight, "justify": Qt.AlignmentFlag.AlignJustify}
_VALIGN = {"top": QTextCharFormat.VerticalAlignment.AlignTop,
           "center": QTextCharFormat.VerticalAlignment.AlignMiddle}
LAST_LINE_PT = 1.0  # the block Qt keeps after a final table: as Word's, one point high
DPI = 144
MIN_BORDER = 1.0  # the thinnest collapsed border Qt draws, in its unscaled unit (0.75 pt)
PX_PER_PT = DPI / 72


def units(points: float) -> float:
    """A length in a format (line pitch, margin, padding, width, border) that comes out as `points`.

    QTextDocumentLayout scales such lengths by the paint device's dpi over the screen's, while
    fonts, first-line indents and the page size follow the device alone: undo that scaling here."""
    screen = QGuiApplication.primaryScreen()
    return points * (screen.logicalDotsPerInchY() if screen else 96.0) / 72.0


@cache
def layout_device() -> QImage:
    """The paint device every document is laid out for: DPI dots per inch (kept alive for all of them)."""
    device = QImage(1, 1, QImage.Format.Format_Mono)
    device.setDotsPerMeterX(round(DPI / 0.0254))
    device.setDotsPerMeterY(round(DPI / 0.0254))
    return device


def page_size_pt(document: QTextDocument) -> QSizeF:
    """The page of a rendered document in points (A4 is 595.3 × 841.9)."""
    return document.pageSize() / PX_PER_PT


def font(style: TextStyle, wide: bool) -> QFont:
    """The face of a run: Chinese text in the style's Chinese face, the rest in Times New Roman."""
    chinese = FAMILIES.get(style.font, SONG)
    result = QFont()
    result.setFamilies(list(chinese if wide else (*LATIN, *chinese)))
    result.setPointSizeF(style.size)
    result.setBold(style.bold)
    result.setHintingPreference(QFont.HintingPreference.PreferNoHinting)  # the font's own widths
    return result


def char_format(style: TextStyle, wide: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFont(font(style, wide))
    return fmt


def block_format(style: TextStyle) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setLineHeight(units(style.line), QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    fmt.setTextIndent(style.first_indent * PX_PER_PT)  # not scaled by the layout
    fmt.setTopMargin(units(style.before))
    fmt.setBottomMargin(units(style.after))
    fmt.setAlignment(_ALIGN[style.align])
    return fmt


def write_para(cursor: QTextCursor, para: Para, block_chars: bool = True) -> None:
    """Set the cursor's (empty) block as `para` and fill it. `block_chars` False keeps the block's
    own character format: a cell's first block carries the cell's format (paddings, alignment)."""
    cursor.setBlockFormat(block_format(para.style))
    if block_chars:
        cursor.setBlockCharFormat(char_format(para.style, True))
    for text, wide in segments(para.text):
        cursor.insertText(text, char_format(para.style, wide))


def table_format(model: Table) -> QTextTableFormat:
    fmt = QTextTableFormat()
    fmt.setBorder(max(units(BORDER_PT), MIN_BORDER))
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(QBrush(Qt.GlobalColor.black))
    fmt.setBorderCollapse(True)
    fmt.setCellSpacing(0)
    fmt.setCellPadding(0)
    fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.FixedLength, units(w)) for w in model.widths])
    return fmt


def fill_cell(table: QTextTable, row: int, column: int, item: Cell) -> None:
    """The cell's paragraphs. Its format lives in the character format of its first block, so it is
    set once, with that block's characters, and not overwritten by the paragraph."""
    target = table.cellAt(row, column)
    fmt = QTextTableCellFormat()
    fmt.merge(char_format(item.paras[0].style if item.paras else TextStyle(), True))
    fmt.setLeftPadding(units(CELL_PAD_X))
    fmt.setRightPadding(units(CELL_PAD_X))
    fmt.setTopPadding(units(CELL_PAD_Y))
    fmt.setBottomPadding(units(CELL_PAD_Y))
    fmt.setVerticalAlignment(_VALIGN[item.valign])
    target.setFormat(fmt)
    cursor = target.firstCursorPosition()
    for index, para in enumerate(item.paras):
        if index:
            cursor.insertBlock()
        write_para(cursor, para, block_chars=index > 0)


def write_table(cursor: QTextCursor, model: Table) -> None:
    table = cursor.insertTable(len(model.rows), len(model.widths), table_format(model))
    for row, column, item in model.placed():
        if item.rowspan > 1 or item.span > 1:
            table.mergeCells(row, column, item.rowspan, item.span)
    for row, column, item in model.placed():
        fill_cell(table, row, column, item)


def page_setup(document: QTextDocument, model: Doc) -> None:
    """The paper and the .docx's margins (those of an odd page) on the root frame."""
    page = model.page
    document.documentLayout().setPaintDevice(layout_device())
    document.setDocumentMargin(0)
    document.setPageSize(QSizeF(page.width, page.height) * PX_PER_PT)
    frame = document.rootFrame().frameFormat()
    frame.setTopMargin(units(page.top))
    frame.setBottomMargin(units(page.bottom))
    frame.setLeftMargin(units(page.inside))
    frame.setRightMargin(units(page.outside))
    document.rootFrame().setFrameFormat(frame)


def render(model: Doc) -> QTextDocument:
    """The document laid out on its page (A4) as the .docx prints."""
    document = QTextDocument()
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, model.title)
    page_setup(document, model)
    document.setDefaultFont(font(TextStyle(), True))
    cursor = QTextCursor(document)
    cursor.beginEditBlock()  # one layout at the end, not one per paragraph
    fresh = True  # the cursor's block is empty and unused: the first one, or the one after a table
    for block in model.blocks:
        if isinstance(block, Table):
            if not fresh:
                cursor.insertBlock()
            write_table(cursor, block)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            fresh = True
            continue
        if not fresh:
            cursor.insertBlock()
        write_para(cursor, block)
        fresh = False
    if fresh and model.blocks:  # after a final table: as small as Word's closing paragraph
        write_para(cursor, Para("", TextStyle(size=LAST_LINE_PT, line=LAST_LINE_PT)))
    cursor.endEditBlock()
    return document
