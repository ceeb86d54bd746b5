"""Read a clerk's text table (.csv/.tsv/.txt, as Excel and WPS save it) into rows of cell texts.

The encoding is found (UTF-16 with BOM, UTF-8, GBK/GB18030) and the delimiter guessed; a cell Excel
exported as `="0771"` loses its quoting. The row count is bounded as a workbook's is (forms.sheets.sheet_guard).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from forms.base.file_errors import ReadError
from forms.sheets.sheet_guard import MAX_ROWS

# A cell may hold up to what the file holds: a long cell is a finding of the rules (Excel's 32 767
# characters), not a reason to call the file damaged as csv's 128 KiB default would.
csv.field_size_limit(1 << 30)

CORRUPT = "文件“{name}”无法读取：它不是有效的表格文件，或者已经损坏。请用Excel或WPS打开它，另存为.xlsx后再导入。"
_TOO_MANY_ROWS = ("文件“{name}”超过{limit}行，一个抽样框不会有这么多人。请检查是否把其他表格带了进来，"
                  "删除多余的行后另存，再导入。")


def read_text(p: Path, sheet: str | None, remarks: list[str]) -> list[tuple[str, list[list[Any]]]]:
    """The one table of a text file, as (its name, rows of cell texts). Raises ReadError. What the clerk
    should hear of (NUL bytes dropped) is added to `remarks`."""
    if sheet is not None and sheet != p.stem:
        raise ReadError(f"“{p.name}”是CSV文本表格，只有一个表（“{p.stem}”），没有名为“{sheet}”的工作表。")
    return read_text_data(p, p.read_bytes(), remarks)


def read_text_data(p: Path, data: bytes, remarks: list[str]) -> list[tuple[str, list[list[Any]]]]:
    """`read_text` of a file held in memory; `p` names it in messages."""
    text = _decode(data, p, remarks)
    reader: Iterator[list[Any]] = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(text))
    rows = list(islice(reader, MAX_ROWS + 1))
    if len(rows) > MAX_ROWS:
        raise ReadError(_TOO_MANY_ROWS.format(name=p.name, limit=MAX_ROWS))
    if '="' in text:  # Excel-safe export: ="0771"
        rows = [[_unquoted(c) for c in row] for row in rows]
    return [(p.stem, rows)]


def _unquoted(cell: object) -> object:
    return cell[2:-1] if isinstance(cell, str) and cell.startswith('="') and cell.endswith('"') else cell


def _decode(data: bytes, p: Path, remarks: list[str]) -> str:
    """UTF-16 with BOM (or without: Excel's 'Unicode text'), else UTF-8 (BOM or not), else GBK/GB18030.
    A few NUL bytes (a save cut short by a power cut pads the file with them) are dropped, and said."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    if b"\0" in data:
        if (wide := _bomless_utf16(data)) is not None:
            return data.decode(wide, errors="replace")
        data = _without_nul(data, p, remarks)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"无法识别文件“{p.name}”的文字编码，请用Excel打开后另存为.xlsx（或UTF-8编码的CSV）再导入。")


def _bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le"/"-be" when the NULs sit on every other byte as in UTF-16 text of ASCII digits and commas."""
    head = data[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > len(head) // 8 and even * 20 < odd:
        return "utf-16-le"
    if even > len(head) // 8 and odd * 20 < even:
        return "utf-16-be"
    return None


_CONTROL_BYTES = [bytes([c]) for c in range(32) if chr(c) not in "\t\n\r"]


def _without_nul(data: bytes, p: Path, remarks: list[str]) -> bytes:
    """The text without its NUL bytes, when they are padding at the end or a stray few; else ReadError (a
    binary file, not text)."""
    body = data.rstrip(b"\0")
    if sum(map(body.count, _CONTROL_BYTES)) * 100 > len(body):  # NULs among other control bytes: binary
        raise ReadError(CORRUPT.format(name=p.name))
    remarks.append(f"文件“{p.name}”中有{data.count(0)}个空字符（NUL，常见于保存时断电或复制出错），已忽略。"
                   "请核对名单是否完整（特别是最后几行），必要时从原始表格重新导出。")
    return body.replace(b"\0", b"")


def _sniff(text: str) -> str:
    """The delimiter among comma, tab and semicolon that splits most of the first lines."""
    lines = [line for line in text[:65536].splitlines()[:30] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        return sum(delimiter in line for line in lines), sum(line.count(delimiter) for line in lines)

    return max(("\t", ",", ";"), key=score)
