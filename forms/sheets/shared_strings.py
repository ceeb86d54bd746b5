"""Bound the text python-calamine would make of an .xlsx's shared strings, before it reads the sheets.

A cell of type "s" holds an index into the shared-string table and calamine copies that string into every
such cell: a 100 KB file whose 50 000 rows each point at one 32 767-character string becomes gigabytes.
The bound goes from cheap to exact: the most cells the sheets' XML can hold times the longest entry, and
only when that is too much, every reference counted against its own entry's text.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence

from forms.base.file_errors import MIB, BombError

# The UTF-8 text expanded into cells. Python holds a str of it in at most four bytes a character (one
# astral character makes a whole string four bytes wide), beside calamine's own copy: 160 MB of it stays
# within the 1.5 GB bound, and a 200 000-row frame of ordinary text is about 50 MB.
MAX_TEXT = 160 * MIB
_SMALLEST_CELL = 20  # bytes of XML: `<c t="s"><v>0</v></c>` is 21

_ENTRY_END = re.compile(rb"</(?:\w+:)?si\s*>")
_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)<")
# A shared-string cell and the index it holds (any attribute order, quotes, prefix or spacing; a formula may
# come first). Matching too much only refuses sooner what is already absurd; matching too little is the risk.
_STRING_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*>\s*"
                          rb"(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f\s*>)\s*)?<(?:\w+:)?v\s*>\s*([0-9]+)")

_BOMB = ("文件“{name}”里的同一段文字被大量单元格重复引用，展开后有{size}MB，远超任何正常的抽样框，"
         "为防止程序耗尽内存已拒绝读取。请在Excel或WPS中打开它，删除重复的大段文字后另存，再导入。")


def is_table(member: str) -> bool:
    """Whether a package member is a shared-string table (calamine finds it by this name)."""
    return member.lower().rsplit("/", 1)[-1] == "sharedstrings.xml"


def check(archive: zipfile.ZipFile, name: str, blocks: Callable[[str], Iterable[bytes]]) -> None:
    """Refuse (BombError) a workbook whose shared strings would expand past MAX_TEXT. `blocks(member)`
    yields a member's XML in pieces, read only when the cheap bound does not settle it. Reading each table
    whole also verifies its CRC."""
    tables = [info for info in archive.infolist() if is_table(info.filename)]
    if not tables:
        return
    others = [info for info in archive.infolist() if not info.is_dir() and info not in tables]
    cells = sum(info.file_size for info in others) // _SMALLEST_CELL  # (the sizes were checked: forms.base.file_errors)
    for table in tables:
        entries = _ENTRY_END.split(archive.read(table))
        if cells * max(map(len, entries)) > MAX_TEXT:
            sizes = [sum(map(len, _TEXT.findall(entry))) for entry in entries]
            _count_references(name, sizes, [info.filename for info in others], blocks)


def _count_references(name: str, sizes: Sequence[int], sheets: Iterable[str],
                      blocks: Callable[[str], Iterable[bytes]]) -> None:
    total, count = 0, len(sizes)
    for member in sheets:
        for block in blocks(member):
            total += sum(sizes[i] if i < count else 0 for i in map(int, _STRING_CELL.findall(block)))
            if total > MAX_TEXT:
                raise BombError(_BOMB.format(name=name, size=total // MIB))
