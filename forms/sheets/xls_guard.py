"""Look inside an Excel 97–2003 .xls before python-calamine reads it: where its cells are, and its error values.

calamine reserves each sheet's grid from the sheet's DIMENSIONS record, as declared, and then lays its cells
out densely: a 7 KB .xls declaring 4 294 967 295 × 65 535 cells, or holding one cell at row and column 65 535,
aborts the process; one cell at IV65536 costs 1.2 GB. The compound file is opened here (its FAT chains
followed with a bound, so a loop ends), the Workbook stream's records are walked sheet by sheet as calamine
walks them (from each BOUNDSHEET's offset to the sheet's EOF), and a sheet is refused when its declared or
real extent is past a real frame's. calamine reads an error value (#N/A, #REF!…) as empty: those cells are
collected too, so that the clerk hears "错误值", not "不能为空". Standard library only.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFF_FFFE
_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x0200, 0x002F
_MULRK, _FORMULA, _BOOLERR = 0x00BD, 0x0006, 0x0205
# Records calamine reads as a cell with a value: NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING, FORMULA, MULRK.
_CELLS = frozenset({0x0203, 0x0204, _BOOLERR, 0x027E, 0x00FD, 0x00D6, _FORMULA, _MULRK})
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
           0x2A: "#N/A"}


@dataclass
class XlsSheet:
    """One sheet's declared extent (from DIMENSIONS: rows, columns) and its cells."""

    name: str
    declared: tuple[int, int] = (0, 0)
    cells: dict[int, int] = field(default_factory=dict)  # 1-based row → the column of its first value
    columns: dict[int, int] = field(default_factory=dict)  # 1-based column → the row of its first value
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, #N/A…), 1-based


class Damaged(ValueError):
    """A compound file whose structure cannot be followed: calamine fails on it too."""


def sheets(data: bytes) -> list[XlsSheet] | None:
    """The sheets of an .xls (its bytes), or None when it is encrypted (calamine says so itself) or holds no
    Workbook stream. Raises Damaged."""
    try:
        stream = _workbook_stream(data)
    except (struct.error, IndexError, ValueError) as exc:
        raise Damaged(str(exc)) from None
    if stream is None:
        return None
    found: list[XlsSheet] = []
    for kind, body in _records(stream, 0):
        if kind == _FILEPASS:
            return None
        if kind == _BOUNDSHEET and len(body) >= 8:
            found.append(_walk(stream, struct.unpack_from("<I", body)[0], _sheet_name(body[6:])))
        elif kind == _EOF:
            break
    return found


def _walk(stream: bytes, at: int, name: str) -> XlsSheet:
    """A sheet's records from its BOF to its EOF (read in place: a 50 000-row sheet is 450 000 records)."""
    sheet, unpack, end = XlsSheet(name), struct.unpack_from, len(stream)
    rows, columns = sheet.cells, sheet.columns
    if at + 4 > end or unpack("<H", stream, at)[0] != _BOF:
        return sheet
    while at + 4 <= end:
        kind, size = unpack("<HH", stream, at)
        body, at = at + 4, at + 4 + size
        if kind in _CELLS and size >= 4 and at <= end:
            row, col = unpack("<HH", stream, body)
            rows.setdefault(row + 1, col + 1)
            columns.setdefault(col + 1, row + 1)
            if kind == _MULRK and size >= 6:  # a run of cells: its last column closes the record
                last = unpack("<H", stream, at - 2)[0]
                columns.setdefault(last + 1, row + 1)
            elif kind in (_BOOLERR, _FORMULA) and (error := _error(kind, stream[body:at])) is not None:
                sheet.errors.append((row + 1, col + 1, error))
        elif kind == _DIMENSIONS and size >= 10 and at <= end:
            first_row, end_row, first_col, end_col = unpack("<IIHH" if size >= 14 else "<HHHH", stream, body)
            rows_, cols = end_row - first_row, end_col - first_col
            sheet.declared = (rows_, cols) if rows_ >= 0 and cols >= 0 else (1 << 32, 1 << 16)
        elif kind == _EOF:
            break
    return sheet


def _error(kind: int, body: bytes) -> str | None:
    """The error value a BOOLERR or a FORMULA's cached result holds, if any."""
    if kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
        return _ERRORS.get(body[6], "#错误")
    if kind == _FORMULA and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 0x02:
        return _ERRORS.get(body[8], "#错误")
    return None


def _sheet_name(data: bytes) -> str:
    """A ShortXLUnicodeString: a count, a flag (bit 0: two bytes a character), the characters."""
    if len(data) < 2:
        return ""
    count, wide = data[0], data[1] & 1
    text = data[2:2 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


def _records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    """(type, data) of each BIFF record from `at`, the first being a BOF; ends where the stream does."""
    first = True
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        if first and kind != _BOF:
            return
        first = False
        yield kind, stream[at + 4:at + 4 + size]
        at += 4 + size


def _workbook_stream(data: bytes) -> bytes | None:
    """The Workbook (or Book) stream of a compound file, its sector chains followed at most once each."""
    if len(data) < 512 or data[:8] != MAGIC:
        raise Damaged("no compound file")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise Damaged("sector size")
    size = 1 << shift
    first_dir, = struct.unpack_from("<I", data, 0x30)
    cutoff, first_mini_fat, _mini_fat_count, first_difat, difat_count = struct.unpack_from("<5I", data, 0x38)
    sector = _Sectors(data, size, size)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END_OF_CHAIN]
    for difat in sector.chain_of(first_difat, difat_count, next_in_last=True):
        fat_sectors += [s for s in struct.unpack_from(f"<{size // 4 - 1}I", sector.read(difat)) if s < _END_OF_CHAIN]
    sector.fat = _table(b"".join(sector.read(s) for s in fat_sectors))
    directory = sector.stream(first_dir, None)
    entries = [directory[at:at + 128] for at in range(0, len(directory) - 127, 128)]
    if not entries:
        raise Damaged("no directory")
    root_start, root_size = _entry_place(entries[0])
    for entry in entries:
        name = entry[:max(0, min(64, struct.unpack_from("<H", entry, 0x40)[0]) - 2)].decode("utf-16-le", "replace")
        if entry[0x42] == 2 and name in ("Workbook", "Book"):
            start, length = _entry_place(entry)
            if length >= cutoff:
                return sector.stream(start, length)
            mini = _Sectors(sector.stream(root_start, root_size), 64, 0)
            mini.fat = _table(sector.stream(first_mini_fat, None) if first_mini_fat < _END_OF_CHAIN else b"")
            return mini.stream(start, length)
    return None


def _entry_place(entry: bytes) -> tuple[int, int]:
    start, low, high = struct.unpack_from("<III", entry, 0x74)
    return start, low | (high << 32 if high < 0x8000 else 0)


def _table(raw: bytes) -> array[int]:
    """An allocation table: 32-bit sector numbers (4 bytes each, not a Python int each)."""
    table = array("I")
    table.frombytes(raw[:len(raw) // 4 * 4])
    if table.itemsize != 4 or struct.pack("=I", 1) != struct.pack("<I", 1):
        raise Damaged("this machine's integers are not 32-bit little-endian")
    return table


class _Sectors:
    """Sectors of one size and the allocation table that chains them; sector 0 starts at `base` (a file's
    follows its header, a mini stream's is its start)."""

    def __init__(self, data: bytes, size: int, base: int) -> None:
        self.data, self.size, self.base, self.fat = data, size, base, array("I")

    def read(self, number: int) -> bytes:
        at = self.base + number * self.size
        if at >= len(self.data):
            raise Damaged("sector past the end")
        return self.data[at:at + self.size]

    def chain_of(self, start: int, count: int, next_in_last: bool = False) -> Iterator[int]:
        """The DIFAT's own chain: each sector's last entry names the next."""
        for _ in range(min(count, len(self.data) // self.size + 1)):
            if start >= _END_OF_CHAIN:
                return
            yield start
            start = struct.unpack_from("<I", self.read(start), self.size - 4)[0] if next_in_last else _END_OF_CHAIN

    def stream(self, start: int, length: int | None) -> bytes:
        pieces: list[bytes] = []
        seen = 0
        while start < _END_OF_CHAIN:
            if start >= len(self.fat) or seen > len(self.fat):
                raise Damaged("chain out of the table or in a loop")
            pieces.append(self.read(start))
            start, seen = self.fat[start], seen + 1
            if length is not None and seen * self.size >= length:
                break
        body = b"".join(pieces)
        return body if length is None else body[:length]
