"""Where python-calamine puts the cells of an .xlsx worksheet that is not written the way Excel writes it, and
of an .xlsb worksheet.

A cell's `r="B7"` is optional: without it calamine counts on (the cell after the previous one, the row after
the previous `</row>`; `<c/>` and `<row/>` count too), and a reference it does read may be lower case, carry
leading zeros or more digits than any sheet has rows. forms.sheets.sheet_guard's fast patterns know Excel's
form only, so a sheet with any other cell comes here: it is parsed with expat (without namespaces, as
calamine ignores prefixes) and each value cell is placed the way calamine places it. A 5 KB sheet of
16 383 `<c/>` before one value in row 1 048 576 would otherwise be a grid of 512 GiB. An .xlsb sheet is a run
of binary records (MS-XLSB): a row header sets the row, each cell record names its column (any 32-bit
number), and calamine lays them out the same way. Standard library only.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO
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


# MS-XLSB records calamine reads as a cell (BrtCellRk … BrtFmlaBool), and the ones that frame the cells.
_XLSB_CELLS = frozenset(range(0x02, 0x0B))
_ROW_HEADER, _BEGIN_DATA, _END_DATA = 0x00, 0x91, 0x92
_XLSB_LAST_ROW = 0x10_0000  # calamine stops at a row header past this


def xlsb_extent(stream: IO[bytes], max_rows: int, max_cols: int) -> Extent:
    """The cells of an .xlsb worksheet's records (streamed), placed as calamine places them. Raises
    TooManyCells as `extent` does; a record cut short ends the walk (calamine fails on it)."""
    found = Extent()
    walk = _Walk(found, max_rows, max_cols)
    started = False
    for kind, data in _records(stream):
        if kind == _BEGIN_DATA:
            started = True
        elif not started:
            continue
        elif kind == _ROW_HEADER and len(data) >= 4:
            walk.row = struct.unpack_from("<I", data)[0]
            if walk.row > _XLSB_LAST_ROW:
                break
        elif kind in _XLSB_CELLS and len(data) >= 4:
            walk._record(walk.row, struct.unpack_from("<I", data)[0])
        elif kind == _END_DATA:
            break
    return found


def xlsb_sheets(workbook: bytes) -> Iterator[tuple[str, str]]:
    """(relationship id, sheet name) of each sheet an .xlsb's workbook.bin lists (BrtBundleSh records)."""
    at = 0
    while (header := _header(workbook, at)) is not None:
        kind, size, at = header
        data, at = workbook[at:at + size], at + size
        if kind == 0x9C and len(data) >= 12:
            relation, used = _wide(data, 8)
            name, _used = _wide(data, used)
            if relation is not None and name is not None:
                yield relation, name
        elif kind == 0x90:  # BrtEndBundleShs
            return


def _wide(data: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString (32-bit length in characters, then UTF-16) at `at`, and where it ends."""
    if len(data) < at + 4:
        return None, at
    end = at + 4 + 2 * struct.unpack_from("<I", data, at)[0]
    return (data[at + 4:end].decode("utf-16-le", "replace"), end) if end <= len(data) else (None, at)


def _records(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(record type, the first 8 bytes of its data) as calamine's RecordIter reads them: a type of one or two
    bytes, a length of one to four, 7 bits each. A long record is skipped in pieces, never held."""
    buffer, at = b"", 0
    while True:
        if len(buffer) - at < 16:  # a header (at most 6 bytes) and the 8 bytes kept of its data
            buffer, at = buffer[at:] + stream.read(_PIECE), 0
        header = _header(buffer, at)
        if header is None:
            return
        kind, size, at = header
        data = buffer[at:at + min(size, 8)]
        if len(buffer) - at >= size:
            at += size
        else:
            if not _skip(stream, size - (len(buffer) - at)):
                return
            buffer, at = b"", 0
        if len(data) < min(size, 8):
            return
        yield kind, data


_PIECE = 4 << 20


def _header(buffer: bytes, at: int) -> tuple[int, int, int] | None:
    """(type, length, where the data starts) of the record at `at`; None when the buffer ends first."""
    if at >= len(buffer):
        return None
    kind, at = buffer[at], at + 1
    if kind & 0x80:
        if at >= len(buffer):
            return None
        kind, at = (kind & 0x7F) | ((buffer[at] & 0x7F) << 7), at + 1
    size = 0
    for shift in (0, 7, 14, 21):
        if at >= len(buffer):
            return None
        byte, at = buffer[at], at + 1
        size |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
    return kind, size, at


def _skip(stream: IO[bytes], count: int) -> bool:
    """Read past `count` bytes; False when the stream ends first."""
    while count > 0:
        piece = stream.read(min(count, _PIECE))
        if not piece:
            return False
        count -= len(piece)
    return True
