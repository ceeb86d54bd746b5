"""Where python-calamine puts the cells of an .xlsx worksheet that is not written the way Excel writes it.

A cell's `r="B7"` is optional: without it calamine counts on (the cell after the previous one, the row after
the previous `</row>`; `<c/>` and `<row/>` count too), and a reference it does read may be lower case, carry
leading zeros or more digits than any sheet has rows. forms.sheets.sheet_guard's fast patterns know Excel's
form only, so a sheet with any other cell comes here: it is parsed with expat (without namespaces, as
calamine ignores prefixes) and each value cell is placed the way calamine places it. A 5 KB sheet of
16 383 `<c/>` before one value in row 1 048 576 would otherwise be a grid of 512 GiB. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

_WRAP = 1 << 32  # calamine's row and column are u32 and wrap


class TooManyCells(ValueError):
    """More distinct rows or columns hold values than any sheet has: the sheet is refused as it stands."""

    def __init__(self, rows: int, cols: int) -> None:
        super().__init__(f"{rows} rows × {cols} columns")
        self.rows, self.cols = rows, cols


class _Stop(Exception):
    """The end of the sheet's data: calamine reads nothing after </sheetData>."""


@dataclass
class Extent:
    """The 1-based rows and columns holding a value, each with one cell of it (to name in a message)."""

    rows: dict[int, int] = field(default_factory=dict)  # row → the column of its first value
    cols: dict[int, int] = field(default_factory=dict)  # column → the row of its first value


def parse_reference(text: str, need_column: bool = True) -> tuple[int, int | None] | None:
    """(0-based row, 0-based column or None) as calamine reads `B7`, `b0007`, `7`; None where calamine
    fails (its error stops the read: nothing to bound)."""
    digits: list[str] = []
    letters: list[str] = []
    for char in reversed(text):
        if "0" <= char <= "9" and not letters:
            digits.append(char)
        elif "A" <= char.upper() <= "Z" and char.isascii():
            letters.append(char.upper())
        else:
            return None
    row, col = int("".join(reversed(digits)) or "0") % _WRAP, 0
    for at, char in enumerate(letters):
        col = (col + (ord(char) - 64) * 26 ** at) % _WRAP
    if row == 0 or (need_column and not letters):
        return None
    return row - 1, (col - 1 if letters else None)


class _Walk:
    """calamine's walk over a sheet's events: the row and column counters and the cell being read."""

    def __init__(self, extent: Extent, max_rows: int, max_cols: int) -> None:
        self.extent, self.max_rows, self.max_cols = extent, max_rows, max_cols
        self.started = False
        self.row = self.col = 0
        self.cell: tuple[int, int] | None = None  # inside a <c>: its position
        self.filled = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if self.cell is not None:  # calamine reads a cell's content until its </c>, whatever it holds
            self.filled = self.filled or local in ("v", "is")
        elif not self.started:
            self.started = local == "sheetData"
        elif local == "row" and (ref := attributes.get("r")) is not None:
            self.row = parsed[0] if (parsed := parse_reference(ref, need_column=False)) else self.row
        elif local == "c":
            ref = attributes.get("r")
            parsed = parse_reference(ref) if ref is not None else (self.row, self.col)
            if parsed is None:
                raise _Stop  # calamine fails on this reference: it lays out nothing
            self.cell, self.col, self.filled = (parsed[0], parsed[1] or 0), parsed[1] or 0, False

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if self.cell is not None:
            if local == "c":
                if self.filled:
                    self._record(*self.cell)
                self.cell, self.col = None, self.col + 1
        elif self.started and local == "row":
            self.row, self.col = self.row + 1, 0
        elif self.started and local == "sheetData":
            raise _Stop

    def _record(self, row: int, col: int) -> None:
        rows, cols = self.extent.rows, self.extent.cols
        rows.setdefault(row + 1, col + 1)
        cols.setdefault(col + 1, row + 1)
        if len(rows) > self.max_rows or len(cols) > self.max_cols:
            raise TooManyCells(max(rows), max(cols))


def extent(blocks: Iterable[bytes], max_rows: int, max_cols: int,
           on_block: Callable[[bytes], None] = lambda block: None) -> Extent:
    """The value cells of a worksheet's XML (in pieces), placed as calamine places them. Raises TooManyCells
    past `max_rows` distinct rows or `max_cols` columns, ValueError for XML expat cannot read (a sheet no
    spreadsheet program wrote: refused as damaged). `on_block` sees each piece as it is parsed."""
    found = Extent()
    walk = _Walk(found, max_rows, max_cols)
    parser = expat.ParserCreate()
    parser.StartElementHandler = walk.start
    parser.EndElementHandler = walk.end
    parser.StartDoctypeDeclHandler = _no_doctype  # no entity of its own: no billion laughs
    try:
        for block in blocks:
            on_block(block)
            parser.Parse(block, False)
        parser.Parse(b"", True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        raise ValueError(f"worksheet XML: {exc}") from None
    return found


def _no_doctype(*_args: object) -> None:
    raise ValueError("worksheet XML with a DOCTYPE")
