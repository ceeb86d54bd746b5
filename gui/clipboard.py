"""Excel/WPS clipboard text: tab-separated cells, one line a row, quoted where a cell holds a tab or newline.

No Qt here: the grid hands in the clipboard's text and the shape of its selection; the model turns
the parsed cells into edits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

# A frame holds tens of thousands of people at most; a paste far beyond that is a wrong selection in
# Excel (whole columns), refused with a message before anything is parsed or written.
MAX_PASTE_ROWS = 60_000


def too_many_rows(lines: int) -> str:
    return (f"剪贴板里有{lines}行，一次最多粘贴{MAX_PASTE_ROWS}行，本次没有粘贴任何内容。"
            "可能在Excel中选中了整列；请只选有数据的行再复制，或用“导入表格”直接导入整个文件。")


def to_tsv(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as Excel/WPS take them from the clipboard: tabs, newlines, quotes where needed."""
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '\t\n\r"') else text
    return "\n".join("\t".join(cell(c) for c in row) for row in rows)


def parse_tsv(text: str) -> list[list[str]]:
    """Excel/WPS clipboard text as rows of cells: CRLF or LF, quoted cells with tabs or newlines inside,
    the trailing empty line Excel adds dropped."""
    rows = [row or [""] for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t")]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return [[cell.replace("\r\n", "\n") for cell in row] for row in rows]


def line_count(text: str) -> int:
    """How many lines pasted text has, the trailing line break Excel adds not counted."""
    return text.rstrip("\r\n").count("\n") + 1


def is_blank(text: str) -> bool:
    """Clipboard text that holds no value at all (Excel's copy of an empty cell is "\\r\\n").

    Looks at the characters only: this runs on the GUI thread, where parsing a large paste would stall."""
    return not text.strip()


def fill_selection(text: str, rows: int, cols: int) -> str | None:
    """One copied value pasted on a selection of `rows` × `cols` cells: the text that fills every cell
    with it, as Excel does; None when the text is more than one value, no value, or the selection one cell."""
    if line_count(text) != 1 or "\t" in text.strip("\r\n") or rows * cols < 2:
        return None  # decided before parsing: a large paste is parsed on the worker thread, not here
    values = parse_tsv(text)
    return to_tsv([[values[0][0]] * cols] * rows) if values else None


def pasted_values(text: str, keys: Sequence[str], col: int) -> list[dict[str, str]]:
    """Pasted text as {column key: cell} per line, its first cell in column `col`; cells past the last
    column, and those landing on 序号, are dropped."""
    return [{keys[col + k]: cell for k, cell in enumerate(cells)
             if col + k < len(keys) and keys[col + k] != "serial"}
            for cells in parse_tsv(text)]
