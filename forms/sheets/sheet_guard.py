"""Look inside a spreadsheet package before python-calamine reads it, so a hostile file costs little.

calamine inflates every member it reads and lays each sheet out as a dense grid from A1 to the last cell
with a value: a 4 MB zip that inflates to 4 GiB, or one stray cell at XFD1048576 (a grid of 512 GiB),
exhausts memory or aborts the process. Here the zip's declared sizes and ratios are checked first, and
each worksheet's XML is streamed once to find where its values really are: cells far away from the rest
(a stray cell) are left out of a rewritten copy of the package and named, and a sheet beyond any real
frame's size is refused. An .ods has its repeats bounded (forms.sheets.ods_guard); an .xlsb's records are
walked (forms.sheets.cell_positions) and a far cell refuses it.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, cast

from forms.base.file_errors import BombError, ReadError, check_zip
from forms.sheets import cell_positions, ods_guard, shared_strings, xls_guard

MAX_ROWS = 200_000  # the largest real frame is a few 10 000 people; see bench_memory for the cost
MAX_CELLS = 8_000_000  # the dense grid calamine makes: rows × columns
MAX_COLUMNS = 16_384  # Excel's last column, XFD
COLUMN_GAP = 64  # columns this far right of the last used one hold no part of the list
ROW_GAP = 1000  # rows this far below the list's end are a stray cell, not the list
_CHUNK = 4 << 20
_BOUNDED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # methods whose output is bounded by their input
_HARMLESS_PACKED = 16 << 10  # packed bytes that inflate to at most 16.5 MB (deflate's ratio: 1032 at most)

_TOO_MANY_ROWS = ("文件“{name}”的工作表“{sheet}”有{rows}行，超过了程序能处理的{limit}行：一个抽样框不会有这么多人。"
                  "请检查是否把其他表格或大量空白格式带了进来，删除多余的行后另存，再导入。")
_TOO_WIDE = ("文件“{name}”的工作表“{sheet}”占了{rows}行×{cols}列，大到无法读取。请删除名单以外的内容"
             "（按Ctrl+End可找到最后一个单元格）后另存，再导入。")
_FAR_UNPLACED = ("文件“{name}”的工作表“{sheet}”在单元格{cell}有内容，远在名单之外；这个文件不是按Excel的方式记录单元格"
                 "位置的，程序无法只略过这个单元格。请在Excel或WPS中打开它，删除这个单元格（按Ctrl+End可找到）后另存为"
                 ".xlsx，再导入。")
_FAR_XLSB = ("文件“{name}”的工作表“{sheet}”在单元格{cell}有内容，远在名单之外，程序无法在.xlsb文件中略过它。"
             "请在Excel中打开它，删除这个单元格（按Ctrl+End可找到）后另存为.xlsx，再导入。")
_FAR_XLS = ("文件“{name}”的工作表“{sheet}”在单元格{cell}有内容，远在名单之外，程序无法在.xls文件中略过它。"
            "请在Excel中打开它，删除这个单元格（按Ctrl+End可找到）后另存为.xlsx，再导入。")
_MAX_XLS = 200 << 20  # an .xls holds at most 65 536 rows: a full frame is a few 10 MB
_XLS_TOO_BIG = ("文件“{name}”有{size}MB，远大于任何抽样框（.xls最多65536行），为防止程序耗尽内存已拒绝读取。"
                "请在Excel中打开它，删除名单以外的内容后另存为.xlsx，再导入。")
_XML_STARTS = (b"", b"<", b"\xef", b"\xfe", b"\xff", b" ", b"\t", b"\r", b"\n")  # a BOM or the first tag
# Every member calamine may read as a sheet: it makes a sheet's path itself ("xl/" + the relationship's
# target, second part worksheets/chartsheets/dialogsheets) and finds it without regard to case.
_SHEET_FOLDERS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/")
_NAMES_LIMIT = 16 << 20  # a real workbook.xml is a few KB: past this the sheets keep their members' names
_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


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
        return _guard_xls(source, name)
    with archive:
        if ods_guard.is_ods(archive):
            errors = ods_guard.check(archive, name, MAX_ROWS, MAX_CELLS, (_TOO_MANY_ROWS, _TOO_WIDE))
            return Guarded(None, {sheet: SheetScan("content.xml", errors=[
                (f"{column_letters(col)}{row}", text) for row, col, text in found]) for sheet, found in errors.items()})
        members = _sheet_members(archive)
        shared_strings.check(archive, name, partial(_member_blocks, archive))  # first: it reads odd XML as is
        scans = {member: _scan(archive, member, name, sheet) for member, sheet in members.items()}
        _verify_others(archive, set(members))
        for member, scan in scans.items():
            _refuse_oversize(name, members[member], scan)
        by_sheet: dict[str, SheetScan] = {}
        for member, scan in scans.items():  # two sheets of one name: calamine reads the first
            by_sheet.setdefault(members[member], scan)
        if not any(scan.stray for scan in scans.values()):
            return Guarded(None, by_sheet)
        return Guarded(_without_stray(archive, scans), by_sheet)


def _guard_xls(source: Path | IO[bytes], name: str) -> Guarded | None:
    """An Excel 97–2003 file's sheets bounded (forms.sheets.xls_guard), its error values noted; None: no .xls."""
    if isinstance(source, Path):
        with source.open("rb") as head:
            if head.read(8) != xls_guard.MAGIC:
                return None
        if (size := source.stat().st_size) > _MAX_XLS:  # read whole here, and again by calamine
            raise BombError(_XLS_TOO_BIG.format(name=name, size=size >> 20))
        data = source.read_bytes()
    else:
        source.seek(0)
        data = source.read()
    found = xls_guard.sheets(data)
    if found is None:
        return None
    scans: dict[str, SheetScan] = {}
    for sheet in found:
        scan = _bounded(SheetScan("Workbook"), name, sheet.name, _FAR_XLS,
                        partial(cell_positions.Extent, sheet.cells, sheet.columns))
        rows, cols = sheet.declared
        if rows > MAX_ROWS or rows * cols > MAX_CELLS:  # calamine reserves the declared grid before reading
            raise BombError(_TOO_WIDE.format(name=name, sheet=sheet.name, rows=rows, cols=cols))
        scan.errors = [(f"{column_letters(col)}{row}", error) for row, col, error in sheet.errors]
        scans.setdefault(sheet.name, scan)
    return Guarded(None, scans)


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
    """Every member calamine may read as a sheet → the sheet's name (from xl/workbook.xml where it can be
    matched, else the member's own name). The workbook's relationships are no guide to what calamine reads:
    it resolves them its own way and finds the member without regard to case (a sheet not scanned here is a
    sheet whose far cell aborts the process)."""
    named = _sheet_names(archive)
    return {info.filename: named.get(info.filename.lower(), posixpath.basename(info.filename))
            for info in archive.infolist() if info.filename.lower().startswith(_SHEET_FOLDERS) and not info.is_dir()}


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Lower-cased member → sheet name, from xl/workbook.xml and its relationships read as calamine reads them
    (tags by local name, `r:id` by its literal name whatever namespace `r` is bound to, no XML validity asked);
    the first sheet of a name wins, as in calamine. {} when they cannot be read."""
    lower = {info.filename.lower(): info for info in archive.infolist()}
    binary = "xl/workbook.bin" in lower and "xl/workbook.xml" not in lower
    book, rels = (lower.get("xl/workbook.bin"), lower.get("xl/_rels/workbook.bin.rels")) if binary else (
        lower.get("xl/workbook.xml"), lower.get("xl/_rels/workbook.xml.rels"))
    if book is None or rels is None or max(book.file_size, rels.file_size) > _NAMES_LIMIT:
        return {}  # the members are scanned all the same, under their own names
    try:
        targets = {attrs.get("Id"): attrs.get("Target", "") for attrs in _tags(archive.read(rels), "Relationship")}
        sheets = (list(cell_positions.xlsb_sheets(archive.read(book))) if binary else
                  [(attrs.get("r:id") or attrs.get("relationships:id"), html.unescape(attrs.get("name", "")))
                   for attrs in _tags(archive.read(book), "sheet")])
    except (zipfile.BadZipFile, OSError, EOFError):
        return {}
    found: dict[str, str] = {}
    for relation, sheet in sheets:
        if target := targets.get(relation):
            for member in (_calamine_path(target), f"xl/{target}"):  # (calamine's earlier rule: the second)
                found.setdefault(member.lower(), sheet)
    return found


def _tags(xml: bytes, local: str) -> Iterator[dict[str, str]]:
    """The attributes (by their literal names, values as written) of each element `local`, any prefix."""
    for match in re.finditer(rb"<(?:[\w.-]+:)?" + local.encode() + rb"\s([^>]*)>", xml):
        yield {key.decode("utf-8", "replace"): (double or single).decode("utf-8", "replace")
               for key, double, single in _ATTRIBUTE.findall(match.group(1))}


def _calamine_path(target: str) -> str:
    if target.startswith("/xl/"):
        return target[1:]
    return target if target.startswith("xl/") else f"xl/{target}"


# A cell with a value: `<c r="B7" …>` then an optional formula, then <v> or <is> (any attribute order, quotes
# and namespace prefix: Excel, WPS and the .NET SDK differ).
_CELL = rb'<(?:\w+:)?c\s(?:[^>]*?\s)?r\s*=\s*["\']([A-Z]{1,3})([0-9]{1,7})["\'][^>]*?'
_FORMULA = rb'<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)'
_VALUE_CELL = re.compile(_CELL + rb'(?<!/)>(?:' + _FORMULA + rb')?<(?:\w+:)?(?:v|is)\b')
_FORMULA_ONLY = re.compile(_CELL + rb'(?<!/)>' + _FORMULA + rb'(?:<(?:\w+:)?v/>|<(?:\w+:)?v></(?:\w+:)?v>)?</(?:\w+:)?c>')
# Not a prefixed closing tag `</x:c>` (a longer prefix only costs the full count); tested last, as it is rare.
_NOT_CLOSING = rb'(?<!</\w:c)(?<!</\w\w:c)(?<!</\w\w\w:c)'
# A cell not in Excel's form within Z99999 (`<c r="B7"`, the reference first): only such a sheet needs its cells
# counted. One search from the rare `c` of a cell's tag, as cheap as the far reference alone; text that looks
# like a cell only costs the full count.
_UNUSUAL = re.compile(rb'c(?<=<c|:c)(?=[\s/>])(?!\sr=(?:"[A-Z][1-9][0-9]{0,4}"|\'[A-Z][1-9][0-9]{0,4}\'))' + _NOT_CLOSING)
# An attribute r after another attribute (a quote, or two spaces, before it): calamine takes a cell's last r,
# so `<c r="A6" r="XFD1048576">` is a far cell behind a near one.
_SECOND_R = re.compile(rb'''r(?:(?<=["']r)|(?<=["'\s]\sr))\s*=''')
# CDATA, a comment, a processing instruction or a DOCTYPE: text that may hold tags (`<![CDATA[</row><c
# r="XFD1">]]>`), which these patterns would take for markup. Excel writes none but the XML declaration.
_MARKUP_IN_TEXT = re.compile(rb"<[!?]")
# A cell without an Excel reference among its attributes (none, lower case, leading zeros, eight digits…):
# calamine places it by counting, or reads its reference otherwise than these patterns do.
_UNPLACED = re.compile(rb'c(?<=<c|:c)(?=[\s/>])(?![^>]*?\sr\s*=\s*(?:"[A-Z]{1,3}[1-9][0-9]{0,6}"|\'[A-Z]{1,3}[1-9][0-9]{0,6}\'))'
                       + _NOT_CLOSING)
# Two r attributes in one cell (calamine takes the last), or a `>` inside an attribute's value (which these
# patterns take for the tag's end, and calamine does not): expat places those cells instead.
_TWO_R = re.compile(rb'''c(?<=<c|:c)(?=\s)[^>]*?[\s"']r\s*=[^>]*?[\s"']r\s*=''')
_QUOTED_GT = re.compile(rb'''c(?<=<c|:c)(?=\s)(?=[^>]*?=\s*(?:"[^"]*>|'[^']*>))''')
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


def _scan(archive: zipfile.ZipFile, member: str, name: str, sheet: str) -> SheetScan:
    """A streaming pass: a sheet within Z99999 in Excel's form needs nothing more; another has its cells counted."""
    scan = SheetScan(member)
    with archive.open(member) as stream:
        if cast(zipfile.ZipExtFile, stream).peek(1)[:1] not in _XML_STARTS:  # an .xlsb's records
            return _bounded(scan, name, sheet, _FAR_XLSB,
                            partial(cell_positions.xlsb_extent, stream, MAX_ROWS, MAX_COLUMNS))
        for at, block in enumerate(_row_blocks(stream)):
            if _UNUSUAL.search(block) or _SECOND_R.search(block) or _markup_in_text(block, at == 0):
                return _count(archive, member, name, sheet)
            _note_formulas(scan, block)
    return scan


def _markup_in_text(block: bytes, first: bool) -> bool:
    """Whether `block` holds CDATA, a comment, a processing instruction or a DOCTYPE (the first block may start
    with the XML declaration, after a BOM)."""
    if block.find(b"!") < 0 and block.find(b"?", 64 if first else 0) < 0:
        return False  # the usual case, told by two byte searches: `<` is in every tag, ! and ? hardly anywhere
    found = _MARKUP_IN_TEXT.search(block)
    if found is not None and first and found.start() <= 3 and block.startswith(b"<?", found.start()):
        found = _MARKUP_IN_TEXT.search(block, found.start() + 2)
    return found is not None


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


def _count(archive: zipfile.ZipFile, member: str, name: str, sheet: str) -> SheetScan:
    """Every value cell's column and row, counted (never kept as cells); what lies past a gap is stray."""
    scan = SheetScan(member)
    columns: Counter[bytes] = Counter()
    rows: set[int] = set()
    with archive.open(member) as stream:
        for at, block in enumerate(_row_blocks(stream)):
            if (_UNPLACED.search(block) or _TWO_R.search(block) or _QUOTED_GT.search(block)
                    or _markup_in_text(block, at == 0)):
                return _place(archive, member, name, sheet)
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


def _place(archive: zipfile.ZipFile, member: str, name: str, sheet: str) -> SheetScan:
    """A sheet with cells not in Excel's form, placed as calamine places them (forms.sheets.cell_positions).
    Such cells cannot be cut out of the copy by their reference: a far one refuses the file, named."""
    scan = SheetScan(member)
    with archive.open(member) as stream:
        return _bounded(scan, name, sheet, _FAR_UNPLACED, partial(
            cell_positions.extent, _row_blocks(stream), MAX_ROWS, MAX_COLUMNS, partial(_note_formulas, scan)))


def _bounded(scan: SheetScan, name: str, sheet: str, far: str,
             place: Callable[[], cell_positions.Extent]) -> SheetScan:
    """`scan` with the extent of the cells `place` finds; refused when they reach past the bounds."""
    try:
        found = place()
    except cell_positions.TooManyCells as many:
        raise BombError(_TOO_WIDE.format(name=name, sheet=sheet, rows=many.rows, cols=many.cols)) from None
    if not found.rows:
        return scan
    rows, cols = sorted(found.rows), sorted(found.cols)
    scan.rows, scan.cols = _kept(rows, ROW_GAP)[-1], _kept(cols, COLUMN_GAP)[-1]
    if scan.rows != rows[-1]:
        cell = f"{column_letters(found.rows[rows[-1]])}{rows[-1]}"
    elif scan.cols != cols[-1]:
        cell = f"{column_letters(cols[-1])}{found.cols[cols[-1]]}"
    else:
        return scan
    raise ReadError(far.format(name=name, sheet=sheet, cell=cell))


def _first(pair: tuple[bytes, bytes]) -> bytes:
    return pair[0]


def _second(pair: tuple[bytes, bytes]) -> bytes:
    return pair[1]


def _row_blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """The XML of a zip member in pieces that end at a `</row>` tag, so no cell is cut in two (text may hold
    `row>`; a section that may hold `</row>` itself, CDATA or a comment, sends the sheet to expat: see
    _MARKUP_IN_TEXT)."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        if not rest and len(chunk) < _CHUNK:  # a member's read is short at its end only: the rest of it, uncut
            yield chunk  # (most sheets are one piece; no copy of it)
            continue
        block = rest + chunk
        cut = _row_end(block)
        if not cut:
            rest = block
            continue
        yield block[:cut]
        rest = block[cut:]
    if rest:
        yield rest


def _row_end(block: bytes) -> int:
    """Just after the last `</row>` (or `</x:row>`) tag of `block`; 0 when it has none."""
    at = len(block)
    while (at := block.rfind(b"row>", 0, at)) > 0:
        if _ROW_TAG_END.fullmatch(block, max(0, at - 40), at + 4) or block[at - 2:at] == b"</":
            return at + 4
    return 0


_ROW_TAG_END = re.compile(rb".*</(?:[\w.-]+:)?row>", re.S)


def _kept(used: list[int], gap: int) -> list[int]:
    """The used indexes up to the first gap wider than `gap`: the rest are stray."""
    for at in range(1, len(used)):
        if used[at] - used[at - 1] > gap:
            return used[:at]
    return used


def column_letters(index: int) -> str:
    """2 → `B`, 16384 → `XFD`."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
