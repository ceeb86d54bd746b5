"""Bound an .ods sheet's extent before python-calamine lays it out as a dense grid.

OpenDocument repeats a row or a cell by a count (`number-rows-repeated`, `number-columns-repeated`), and
calamine expands every repeat that holds a value: a 1 KB file can ask for 100 000 × 100 cells. The repeats
are read here, streaming, and a sheet whose values reach past forms.sheets.sheet_guard's bounds is refused.
Repeated empty rows and cells (LibreOffice writes them to the sheet's end) cost nothing and are not counted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from forms.base.file_errors import BombError

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ROW, _CELL, _COVERED = f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"
_SHEET, _NAME = f"{{{_TABLE}}}table", f"{{{_TABLE}}}name"
_ROWS_REPEATED, _COLUMNS_REPEATED = f"{{{_TABLE}}}number-rows-repeated", f"{{{_TABLE}}}number-columns-repeated"
_VALUE_TYPE = f"{{{_OFFICE}}}value-type"
# LibreOffice marks a formula's error result (#N/A, #REF!…) so; calamine reads such a cell as empty.
_ERROR_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"
Errors = dict[str, list[tuple[int, int, str]]]  # sheet → (1-based row, 1-based column, #N/A…)


def is_ods(archive: zipfile.ZipFile) -> bool:
    return "content.xml" in archive.NameToInfo


def check(archive: zipfile.ZipFile, name: str, max_rows: int, max_cells: int, messages: tuple[str, str]) -> Errors:
    """Refuse (BombError, with `messages`' texts for too many rows / too many cells) a sheet whose values
    reach past the bounds; the error values each sheet holds. A damaged content.xml is left to calamine to
    report."""
    too_many_rows, too_wide = messages
    errors: Errors = {}
    try:
        for sheet, rows, cols in _extents(archive, errors):
            if rows > max_rows:
                raise BombError(too_many_rows.format(name=name, sheet=sheet, rows=rows, limit=max_rows))
            if rows * cols > max_cells:
                raise BombError(too_wide.format(name=name, sheet=sheet, rows=rows, cols=cols))
    except (ElementTree.ParseError, ValueError, OSError, EOFError, zipfile.BadZipFile):
        return {}
    return errors


def _extents(archive: zipfile.ZipFile, errors: Errors) -> Iterator[tuple[str, int, int]]:
    """(sheet name, last row with a value, last column with a value) of each sheet, repeats counted; its error
    cells into `errors`."""
    sheet, row_at, last_row, last_col, cols = "", 0, 0, 0, 0
    with archive.open("content.xml") as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET:
                    sheet, row_at, last_row, last_col = element.get(_NAME, ""), 0, 0, 0
                elif element.tag == _ROW:
                    cols = 0
                continue
            if element.tag in (_CELL, _COVERED):
                repeat = _count(element, _COLUMNS_REPEATED)
                if element.get(_VALUE_TYPE) or len(element):
                    last_col = max(last_col, cols + repeat)
                    element.set("filled", "1")
                if element.get(_ERROR_TYPE) == "error":
                    text = "".join(element.itertext()).strip()[:20] or "#错误"
                    errors.setdefault(sheet, []).append((row_at + 1, cols + 1, text))
                cols += repeat
            elif element.tag == _ROW:
                repeat = _count(element, _ROWS_REPEATED)
                if any(cell.get("filled") for cell in element):
                    last_row = row_at + repeat
                row_at += repeat
                element.clear()
            elif element.tag == _SHEET:
                yield sheet, last_row, last_col
                element.clear()


def _count(element: ElementTree.Element, attribute: str) -> int:
    return max(1, int(element.get(attribute, "1")))
