"""Look inside a spreadsheet package before python-calamine reads it, so a hostile file costs little.

calamine inflates every member it reads and lays each sheet out as a dense grid from A1 to the last cell
with a value: a 4 MB zip that inflates to 4 GiB, or one stray cell at XFD1048576 (a grid of 512 GiB),
exhausts memory or aborts the process. Here the zip's declared sizes and ratios are checked first, and
each worksheet's XML is streamed once to find where its values really are: cells far away from the rest
(a stray cell) are left out of a rewritten copy of the package and named, and a sheet beyond any real
frame's size is refused. An .ods has its repeats bounded (forms.sheets.ods_guard); an .xlsb gets
forms.base.file_errors' zip checks only.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from forms.base.file_errors import BombError, check_zip
from forms.sheets import ods_guard, shared_strings

MAX_ROWS = 200_000  # the largest real frame is a few 10 000 people; see bench_memory for the cost
MAX_CELLS = 8_000_000  # the dense grid calamine makes: rows × columns
COLUMN_GAP = 64  # columns this far right of the last used one hold no part of the list
ROW_GAP = 1000  # rows this far below the list's end are a stray cell, not the list
_CHUNK = 4 << 20
_BOUNDED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # methods whose output is bounded by their input
_HARMLESS_PACKED = 16 << 10  # packed bytes that inflate to at most 16.5 MB (deflate's ratio: 1032 at most)
_NAMESPACE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_TOO_MANY_ROWS = ("文件“{name}”的工作表“{sheet}”有{rows}行，超过了程序能处理的{limit}行：一个抽样框不会有这么多人。"
                  "请检查是否把其他表格或大量空白格式带了进来，删除多余的行后另存，再导入。")
_TOO_WIDE = ("文件“{name}”的工作表“{sheet}”占了{rows}行×{cols}列，大到无法读取。请删除名单以外的内容"
             "（按Ctrl+End可找到最后一个单元格）后另存，再导入。")


@dataclass
class SheetScan:
    """Where one worksheet's values are, from a streaming pass over its XML."""

    member: str
    rows: int = 0  # the last row with a value
    cols: int = 0  # the last column with a value
    stray: list[str] = field(default_factory=list)  # cells left out, as A1 references
    uncalculated: list[str] = field(default_factory=list)  # formulas saved without a result
    errors: list[tuple[str, str]] = field(default_factory=list)  # (A1 reference, #N/A…): calamine reads ""
    quotes: tuple[Callable[[bytes], object], ...] = ()  # finders of an error cell's type as the sheet quotes it


@dataclass
class Guarded:
    """A package that passed: the bytes calamine should read (None: the file as it is) and each sheet's scan."""

    data: bytes | None
    sheets: dict[str, SheetScan]


def guard_xlsx(source: Path | IO[bytes], name: str) -> Guarded | None:
    """Scan an .xlsx/.xlsm's worksheets (a file, or one held in memory called `name`); a copy without stray
    cells when there were any. None: not a zip."""
    archive = check_zip(source, name)
    if archive is None:
        return None
    with archive:
        if ods_guard.is_ods(archive):
            ods_guard.check(archive, name, MAX_ROWS, MAX_CELLS, (_TOO_MANY_ROWS, _TOO_WIDE))
            return Guarded(None, {})
        members = _sheet_members(archive)
        scans = {sheet: _scan(archive, member) for sheet, member in members.items()}
        _verify_others(archive, set(members.values()))
        for sheet, scan in scans.items():
            _refuse_oversize(name, sheet, scan)
        shared_strings.check(archive, name, partial(_member_blocks, archive))
        if not any(scan.stray for scan in scans.values()):
            return Guarded(None, scans)
        return Guarded(_without_stray(archive, scans), scans)


def _verify_others(archive: zipfile.ZipFile, scanned: set[str]) -> None:
    """Inflate the other members once, in pieces: one that inflates past its declared size (which calamine
    might believe) fails its CRC check here, as a damaged file. (The shared-string tables are read whole
    by forms.sheets.shared_strings.) A small deflated or stored member needs no look: deflate inflates at most
    1032-fold, so its few KB cannot become more than a few MB, whatever its header says."""
    for info in archive.infolist():
        if info.compress_type in _BOUNDED and info.compress_size <= _HARMLESS_PACKED:
            continue
        if info.filename not in scanned and not info.is_dir() and not shared_strings.is_table(info.filename):
            with archive.open(info) as stream:
                while stream.read(_CHUNK):
                    pass


def _member_blocks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with archive.open(member) as stream:
        yield from _row_blocks(stream)


def _refuse_oversize(name: str, sheet: str, scan: SheetScan) -> None:
    if scan.rows > MAX_ROWS:
        raise BombError(_TOO_MANY_ROWS.format(name=name, sheet=sheet, rows=scan.rows, limit=MAX_ROWS))
    if scan.rows * scan.cols > MAX_CELLS:
        raise BombError(_TOO_WIDE.format(name=name, sheet=sheet, rows=scan.rows, cols=scan.cols))


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet XML member, from xl/workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
        return {}  # calamine reports the damage in its own words
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    found: dict[str, str] = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") and (target := targets.get(sheet.get(_NAMESPACE_REL))):
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if member in archive.NameToInfo:
                found[sheet.get("name", "")] = member
    return found


# A cell with a value: `<c r="B7" …>` then an optional formula, then <v> or <is> (any attribute order, quotes
# and namespace prefix: Excel, WPS and the .NET SDK differ).
_CELL = rb'<(?:\w+:)?c\s(?:[^>]*?\s)?r\s*=\s*["\']([A-Z]{1,3})([0-9]{1,7})["\'][^>]*?'
_FORMULA = rb'<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)'
_VALUE_CELL = re.compile(_CELL + rb'(?<!/)>(?:' + _FORMULA + rb')?<(?:\w+:)?(?:v|is)\b')
_FORMULA_ONLY = re.compile(_CELL + rb'(?<!/)>' + _FORMULA + rb'(?:<(?:\w+:)?v/>|<(?:\w+:)?v></(?:\w+:)?v>)?</(?:\w+:)?c>')
# Any reference beyond column Z or row 99 999: only such a sheet needs its cells counted (the fast test
# may also hit text that looks like one, which only costs the full count).
_FAR_REF = re.compile(rb'r\s*=\s*["\'](?:[A-Z]{2,3}|[A-Z][0-9]{6})')
# A cell holding an error value (#N/A, #REF!…), its formula if any, and the error's text.
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*?\bt\s*=\s*["\']e["\'][^>]*)>\s*(?:' + _FORMULA
                         + rb'\s*)?<(?:\w+:)?v\s*>([^<]*)<')
_REF_ATTRIBUTE = re.compile(rb'(?<![\w:])r\s*=\s*["\']([A-Z]{1,3}[0-9]{1,7})["\']')
# An error cell's type value, quoted either way (re finds a literal faster than `in`, whose skip table stalls
# on the many `"` of XML: 15 ms instead of 24 over the intake benchmark's sheets).
_DOUBLE_QUOTES = (re.compile(rb'"e"').search,)
_BOTH_QUOTES = (*_DOUBLE_QUOTES, re.compile(rb"'e'").search)
# Whether a block may hold a formula element at all (`<f>`, `<f …/>`, `<x:f>`); starting at the rare `f`.
_MAY_FORMULA = re.compile(rb'f(?<=<f|:f)(?!\w)')


def _scan(archive: zipfile.ZipFile, member: str) -> SheetScan:
    """A streaming pass: a sheet within Z99999 needs nothing more; a larger one has its cells counted."""
    scan = SheetScan(member)
    with archive.open(member) as stream:
        for block in _row_blocks(stream):
            if _FAR_REF.search(block):
                return _count(archive, member)
            _note_formulas(scan, block)
    return scan


def _note_formulas(scan: SheetScan, block: bytes) -> None:
    if _MAY_FORMULA.search(block):  # (a sheet's footer, <firstFooter>, is no formula and costs no findall)
        scan.uncalculated.extend(f"{c.decode()}{r.decode()}" for c, r in _FORMULA_ONLY.findall(block))
    if not scan.quotes:  # a writer quotes its attributes one way, from its first tag: the second search is
        scan.quotes = _BOTH_QUOTES if b"='" in block[:4096] else _DOUBLE_QUOTES  # paid only when used
    if any(found(block) for found in scan.quotes):  # an error cell's type, t="e"
        scan.errors.extend(_error_cells(block))


def _error_cells(block: bytes) -> Iterator[tuple[str, str]]:
    for attributes, value in _ERROR_CELL.findall(block):
        if reference := _REF_ATTRIBUTE.search(attributes):
            yield reference.group(1).decode(), value.decode("utf-8", "replace").strip()[:20]


def _count(archive: zipfile.ZipFile, member: str) -> SheetScan:
    """Every value cell's column and row, counted (never kept as cells); what lies past a gap is stray."""
    scan = SheetScan(member)
    columns: Counter[bytes] = Counter()
    rows: set[int] = set()
    with archive.open(member) as stream:
        for block in _row_blocks(stream):
            cells = _VALUE_CELL.findall(block)
            columns.update(map(_first, cells))
            rows.update(map(int, set(map(_second, cells))))
            _note_formulas(scan, block)
    if not rows:
        return scan
    used_cols = sorted(map(column_index, columns))
    kept_cols, kept_rows = _kept(used_cols, COLUMN_GAP), _kept(sorted(rows), ROW_GAP)
    scan.cols, scan.rows = kept_cols[-1], kept_rows[-1]
    if scan.cols != used_cols[-1] or scan.rows != max(rows):
        scan.stray = ["?"]  # the references are collected while the copy is written
    return scan


def _first(pair: tuple[bytes, bytes]) -> bytes:
    return pair[0]


def _second(pair: tuple[bytes, bytes]) -> bytes:
    return pair[1]


def _row_blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """The XML of a zip member in pieces that end at a `</row>`, so no cell is cut in two."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        if not rest and len(chunk) < _CHUNK:  # a member's read is short at its end only: the rest of it, uncut
            yield chunk  # (most sheets are one piece; no copy of it)
            continue
        block = rest + chunk
        cut = block.rfind(b"row>") + 4  # after a </row> (or </x:row>)
        if cut < 4:
            rest = block
            continue
        yield block[:cut]
        rest = block[cut:]
    if rest:
        yield rest


def _kept(used: list[int], gap: int) -> list[int]:
    """The used indexes up to the first gap wider than `gap`: the rest are stray."""
    for at in range(1, len(used)):
        if used[at] - used[at - 1] > gap:
            return used[:at]
    return used


def column_index(letters: bytes | str) -> int:
    """`B` → 2, `XFD` → 16384."""
    index = 0
    for char in letters if isinstance(letters, str) else letters.decode():
        index = index * 26 + ord(char) - 64
    return index


_ANY_CELL = re.compile(_CELL + rb'(?:/>|>.*?</(?:\w+:)?c>)', re.S)


def _without_stray(archive: zipfile.ZipFile, scans: dict[str, SheetScan]) -> bytes:
    """The package again, each sheet's stray cells removed (and named in its scan)."""
    by_member = {scan.member: scan for scan in scans.values()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            scan = by_member.get(info.filename)
            if scan is None or not scan.stray:
                copy.writestr(info, archive.read(info))
                continue
            scan.stray = []
            with archive.open(info) as stream:
                body = b"".join(_ANY_CELL.sub(partial(_drop_far, scan=scan), block) for block in _row_blocks(stream))
            copy.writestr(info.filename, body)
    return out.getvalue()


def _drop_far(match: re.Match[bytes], scan: SheetScan) -> bytes:
    col, row = column_index(match.group(1)), int(match.group(2))
    if col <= scan.cols and row <= scan.rows or not scan.cols:
        return match.group(0)
    if _VALUE_CELL.match(match.group(0)):
        scan.stray.append(f"{match.group(1).decode()}{row}")
    return b""
