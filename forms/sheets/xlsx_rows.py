"""How data rows reach openpyxl's write-only writer quickly (forms.sheets.excel_out lays out the sheet).

Two private hooks of openpyxl's WriteOnlyWorksheet, each with openpyxl's own path as the fallback:
rows of ready cells skip its per-value type sniffing, and plain rows of values are written as XML made
here. Tests compare the sheets written with and without the hooks (FAST_ROWS off).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lxml import etree
from openpyxl import LXML
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

FAST_ROWS = True  # tests turn it off to compare with openpyxl's own path
# openpyxl's control characters, and what XML 1.0 allows no more than them (U+FFFE, U+FFFF, a lone surrogate
# from a badly decoded file): either made both writer paths raise in the middle of an export
NOT_XML = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|[\ufffe\uffff\ud800-\udfff]")
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def needs_escaping(text: str) -> bool:
    """Whether text holds a character the row XML must escape (& < > and CR, which a parser would make LF)."""
    return any(chr(code) in text for code in _XML_TEXT)


class CellRow(list[Cell]):
    """A full-width row of ready cells (column numbers set), handed to append() as it is."""


class ValueRow(list[Any]):
    """A data row as plain values (序号, then text or None), written as XML by _RowXml, not as cells;
    `height`: its own height in points, for wrapped text (None: the sheet's default)."""

    height: float | None = None


class StyledCell(Cell):
    """A data cell reused for every row: its style is fixed once set up, so its style id is looked up once.

    (openpyxl hashes the cell's style array twice per written cell otherwise.)
    """

    __slots__ = ("_fixed_id",)
    has_style = True

    def __init__(self, ws: Any, column: int) -> None:
        super().__init__(ws, row=1, column=column)
        self._fixed_id: int | None = None

    @property
    def style_id(self) -> int:
        if self._fixed_id is None:
            self._fixed_id = Cell.style_id.fget(self)
        return self._fixed_id


def install_fast_rows(ws: Any) -> None:
    """Hand our ready rows to the writer without openpyxl's per-value type sniffing.

    WriteOnlyWorksheet.append() passes every value through `_values_to_row`, which tries to bind a cell
    as a value, fails, catches and allocates a fresh cell after each styled one: ~40 % of the time at
    50 000 rows. A `CellRow` already holds positioned cells, so only the row number is set; a `ValueRow`
    passes as it is, for install_row_xml's writer. Without this private hook (another openpyxl) append()
    takes the cells through its own path, slower but equal, and no `ValueRow` is made.
    """
    standard = getattr(ws, "_values_to_row", None)
    if not FAST_ROWS or standard is None:
        return

    def values_to_row(values: Any, row_idx: int) -> Any:
        if type(values) is ValueRow:
            return values
        if type(values) is not CellRow:
            return standard(values, row_idx)
        for cell in values:
            cell.row = row_idx
        return values

    ws._values_to_row = values_to_row


def install_row_xml(ws: Any, cells: Sequence[StyledCell], markup: Sequence[bool]) -> bool:
    """Let the sheet's writer write a `ValueRow` as XML made here; True when it can.

    openpyxl writes each cell through three nested lxml element contexts after binding and sniffing its
    value: about 12 µs a cell, most of an export. Our values are already known to be text (or the int
    序号) with no illegal characters, so a row is one string, parsed by lxml (a malformed string fails
    loudly, never reaches the file) and written whole. The XML is what openpyxl writes for the same cells
    (a test compares the two canonically), so the fallback to openpyxl's own path changes nothing.
    """
    writer: Any = getattr(ws, "_writer", None)
    standard = getattr(writer, "write_row", None)
    probe = ValueRow()
    if not (FAST_ROWS and LXML and standard is not None and ws._values_to_row(probe, 0) is probe):
        return False  # without both hooks, rows go through openpyxl's cells
    render = _RowXml(cells, markup)

    def write_row(xf: Any, row: Any, row_idx: int) -> None:
        if type(row) is ValueRow:
            xf.write(etree.fromstring(render(row, row_idx, row.height)))
        else:
            standard(xf, row, row_idx)

    writer.write_row = write_row
    return True


class _RowXml:
    """A data row's `<row>` element as openpyxl's lxml writer would write it for our styled cells."""

    def __init__(self, cells: Sequence[StyledCell], markup: Sequence[bool]) -> None:
        self.heads = [f'<c r="{get_column_letter(c.column)}' for c in cells]
        self.styles = [f'" s="{c.style_id}" t=' for c in cells]
        self.markup = [False, *markup]

    def __call__(self, values: Sequence[Any], row_idx: int, height: float | None = None) -> str:
        r = str(row_idx)
        # a height as openpyxl's RowDimension writes it (safe_string: "%.16g"), customHeight after it
        parts = [f'<row r="{r}">' if height is None else f'<row r="{r}" ht="{height:.16g}" customHeight="1">']
        for head, style, markup, value in zip(self.heads, self.styles, self.markup, values, strict=True):
            if value is None:
                parts.append(f'{head}{r}{style}"n"/>')
            elif type(value) is int:
                parts.append(f'{head}{r}{style}"n"><v>{value}</v></c>')
            else:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                text = value.translate(_XML_TEXT) if markup else value
                parts.append(f'{head}{r}{style}"inlineStr"><is><t{space}>{text}</t></is></c>')
        parts.append("</row>")
        return "".join(parts)
