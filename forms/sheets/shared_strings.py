"""Bound the text python-calamine would make of an .xlsx's shared strings, before it reads the sheets.

A cell of type "s" holds an index into the shared-string table and calamine copies that string into every
such cell: a 100 KB file whose 50 000 rows each point at one 32 767-character string becomes gigabytes.
The bound goes from cheap to close: the most cells the sheets' XML can hold times the longest entry, and
only when that is too much, every reference counted against its own entry's size.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence

from forms.base.file_errors import MIB, BombError

# The UTF-8 text expanded into cells. Python holds a str of it in at most four bytes a character (one
# astral character makes a whole string four bytes wide), beside calamine's own copy: 160 MB of it stays
# within the 1.5 GB bound, and a 200 000-row frame of ordinary text is about 50 MB.
MAX_TEXT = 160 * MIB
_CHUNK = 4 << 20
_SMALLEST_CELL = 20  # bytes of XML: `<c t="s"><v>0</v></c>` is 21

_ENTRY_END = re.compile(rb"</(?:\w+:)?si\s*>")
# A shared-string cell and the index it holds (any attribute order, quotes, prefix or spacing; a formula may
# come first). Matching too much only refuses sooner what is already absurd; matching too little is the risk.
_STRING_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*>\s*"
                          rb"(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f\s*>)\s*)?<(?:\w+:)?v\s*>\s*([0-9]+)")

_BOMB = ("文件“{name}”的单元格文字展开后有{size}MB（常见原因：同一段很长的文字被重复引用或复制到了大量单元格），"
         "远超任何正常的抽样框，为防止程序耗尽内存已拒绝读取。请在Excel或WPS中打开它，删除多余的大段文字后另存，再导入。")


def is_table(member: str) -> bool:
    """Whether a package member is a shared-string table (calamine finds it by this name)."""
    return member.lower().rsplit("/", 1)[-1] == "sharedstrings.xml"


def check(archive: zipfile.ZipFile, name: str, blocks: Callable[[str], Iterable[bytes]]) -> None:
    """Refuse (BombError) a workbook whose shared strings would expand past MAX_TEXT. `blocks(member)`
    yields a member's XML in pieces, read again only when the cheap bound does not settle it. The tables
    are streamed (which also verifies their CRC): a 350 MB one costs a few MB here."""
    tables = [info for info in archive.infolist() if is_table(info.filename)]
    if not tables:
        return
    others = [info for info in archive.infolist() if not info.is_dir() and info not in tables]
    cells = sum(info.file_size for info in others) // _SMALLEST_CELL  # (the sizes were checked: forms.base.file_errors)
    for table in tables:
        if cells * _longest_entry(archive, table) > MAX_TEXT:
            _count_references(name, list(_entry_sizes(archive, table)), [info.filename for info in others], blocks)


def _longest_entry(archive: zipfile.ZipFile, table: zipfile.ZipInfo) -> int:
    """The longest entry's size (as _entry_sizes gives it), each piece split in C: no loop per entry."""
    longest, size, rest = 0, 0, b""
    with archive.open(table) as stream:
        while chunk := stream.read(_CHUNK):
            parts = _ENTRY_END.split(rest + chunk)
            if len(parts) > 1:
                longest = max(longest, size + len(parts[0]), max(map(len, parts[1:-1]), default=0))
                size = 0
            rest = parts[-1]
            if len(rest) > _CHUNK:
                size, rest = size + len(rest) - 16, rest[-16:]
    return max(longest, size + len(rest))


def _entry_sizes(archive: zipfile.ZipFile, table: zipfile.ZipInfo) -> Iterator[int]:
    """Each entry's size in bytes, its markup included: never less than the text calamine makes of it
    (entities only shrink). An entry longer than a piece is counted as it goes, not held."""
    size, rest = 0, b""
    with archive.open(table) as stream:
        while chunk := stream.read(_CHUNK):
            block, start = rest + chunk, 0
            for end in _ENTRY_END.finditer(block):
                yield size + end.end() - start
                size, start = 0, end.end()
            rest = block[start:]
            if len(rest) > _CHUNK:  # far longer than any cell's text: count it, keep only what may be a cut tag
                size, rest = size + len(rest) - 16, rest[-16:]
    if size or rest:
        yield size + len(rest)


def _count_references(name: str, sizes: Sequence[int], sheets: Iterable[str],
                      blocks: Callable[[str], Iterable[bytes]]) -> None:
    total, count = 0, len(sizes)
    for member in sheets:
        for block in blocks(member):
            total += sum(sizes[i] if i < count else 0 for i in map(int, _STRING_CELL.findall(block)))
            if total > MAX_TEXT:
                raise BombError(_BOMB.format(name=name, size=total // MIB))
