"""Write the sampling frames (附件2–7) as .xlsx, laid out as the notice's templates.

Frames are streamed with openpyxl's write-only mode: 50 000 rows must cost little more than a bare
write-only dump of the same values. Everything the layout needs (merges, widths, frozen panes, print
set-up, print titles, comments) works in write-only mode as long as it is set before the first row;
column widths therefore need the data first, so rows are materialised once before writing.

Files are written atomically: a temporary `.~…` file in the target folder (recorded by forms.base.scratch,
so a crash's leftover is swept at the next start), then `os.replace`. The contacts table (附件8) is
forms.sheets.contacts_xlsx, which uses the public styles, page set-up and saving here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _writer as _openpyxl_writer
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

from forms.base import scratch
from forms.base.errors import UserError
from forms.base.file_errors import os_reason
from forms.notice.attachments import FRAME_FORMS, Column
from forms.notice.campaign import Campaign
from forms.sheets.xlsx_rows import (
    NOT_XML,
    CellRow,
    StyledCell,
    ValueRow,
    install_fast_rows,
    install_row_xml,
    needs_escaping,
)

AUTHOR = "报送助手"
PROGRESS_EVERY = 1000
MAX_WIDTH = 60
LINE_HEIGHT = 14.25  # points per line of 11 pt text
PAPER_A4 = 9
TEXT_FORMAT = "@"
FONT_NAME = "宋体"
_WRAPPED_KEYS = frozenset({"unit", "title", "remark"})
# The widest a free-text column grows before its text wraps: one long 备注 must not widen the sheet
# so much that fitting it to the page's width shrinks every row's print (A4 landscape holds about 130).
WRAP_CAP = {"unit": 36, "title": 20, "remark": 20}
_CENTRED_KEYS = frozenset({"gender", "area_code", "landline", "mobile", "postcode"})
MAX_CELL_TEXT = 32767  # Excel's limit; openpyxl truncates to it

# Style objects are created once and shared by every cell that uses them (the public ones by 附件8 too).
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GREY = PatternFill("solid", fgColor="D9D9D9")
FONT = Font(name=FONT_NAME, size=11)
_BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")
_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
_MIDDLE = Alignment(vertical="center")


class ExportError(UserError):
    """The user's environment refused the file (disk full, file open in Excel, folder gone): not a bug."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ExportCancelled(Exception):
    """The clerk cancelled the export; no file was left behind."""


# ---------------------------------------------------------------------------------------------- frames


def export_frame(path: str | Path, campaign: Campaign, form: str, department: str,
                 rows: Iterable[Mapping[str, str]], item: str = "", date: dt.date | None = None,
                 notes: Mapping[int, str] | None = None,
                 progress: Callable[[int], bool] | None = None) -> Path:
    """Write one sampling frame (附件2–7). `path` is the file, or a folder to put `campaign.file_name` in.

    序号 is renumbered 1..N. `notes` maps a 0-based row index to a justification, shown as a comment on
    that row's 姓名. `progress(n)` is called every PROGRESS_EVERY rows; returning False cancels.
    """
    target = target_file(path, campaign.file_name(form, department, item))
    sheet = SheetSpec(f"附件{form}", campaign.title(form, department, item), FRAME_FORMS[form].columns, rows,
                      (f"报送单位:{department}", f"报送时间:{chinese_date(date)}"), notes or {})
    return export_sheets(target, [sheet], progress)


@dataclass
class SheetSpec:
    """A sheet laid out as the templates are: title, a line of two texts (left, right), header, 序号 1..N."""

    name: str
    title: str
    columns: Sequence[Column]  # the first is 序号, renumbered
    rows: Iterable[Mapping[str, str]]
    line: tuple[str, str] = ("", "")
    notes: Mapping[int, str] = field(default_factory=dict)


def export_sheets(target: Path, sheets: Sequence[SheetSpec], progress: Callable[[int], bool] | None = None) -> Path:
    """Write the sheets into one .xlsx, atomically. Every value is text: nothing becomes a formula."""

    def build(wb: Workbook) -> None:
        for spec in sheets:
            table = _collect(spec.rows, spec.columns)
            ws = wb.create_sheet(spec.name)
            install_fast_rows(ws)
            _set_up_sheet(ws, table.widths)
            _write_head(ws, spec.columns, spec.title, spec.line)
            _write_data(ws, spec.columns, table, spec.notes, progress)

    return save_atomically(target, build, write_only=True)


def target_file(path: str | Path, file_name: str) -> Path:
    """`path` itself, or `file_name` inside it when `path` is a folder."""
    target = Path(path)
    return target / file_name if target.is_dir() else target


@dataclass(slots=True)
class _Table:
    """The rows as value lists (blank → None) and what the sheet needs to know about them up front."""

    data: list[list[Any]]
    widths: list[float] = field(default_factory=list)  # every column's, 序号 included
    markup: list[bool] = field(default_factory=list)  # value columns holding & < > or CR, to escape in XML
    heights: dict[int, float] = field(default_factory=dict)  # row index → height, for wrapped long text


def _collect(rows: Iterable[Mapping[str, str]], columns: Sequence[Column]) -> _Table:
    """Materialise the rows; measure and check each column on its distinct values only (cheap)."""
    keys = [c.key for c in columns[1:]]
    table = _Table([[row.get(k) or None for k in keys] for row in rows])
    widest = [len(str(len(table.data)))]
    for j in range(len(keys)):
        distinct = {r[j] for r in table.data}
        distinct.discard(None)
        joined = "\n".join(distinct) if set(map(type, distinct)) <= {str} else None  # one C-level scan each
        if joined is None or NOT_XML.search(joined):
            distinct = _rewrite_column(table.data, j, _as_clean_text)  # all text, no control characters
            joined = "\n".join(distinct)
        widest.append(_widest(distinct, joined))
        if widest[-1] > MAX_CELL_TEXT:
            distinct = _rewrite_column(table.data, j, _cut_to_cell_limit)
        table.markup.append(needs_escaping(joined))
    for idx, (column, most) in enumerate(zip(columns, widest, strict=True)):
        fit = max(most, display_width(column.header)) + 2
        cap = WRAP_CAP.get(column.key, MAX_WIDTH)
        table.widths.append(max(column.width, min(cap, fit)))
        if fit > cap and column.key in _WRAPPED_KEYS:
            _measure_heights(table, idx - 1, int(table.widths[-1]) - 2)
    return table


def _widest(distinct: set[str], joined: str) -> int:
    """The widest text in display columns (a CJK character is two, as in Excel's default font)."""
    if joined.isascii():
        return max(map(len, distinct), default=0)
    return max((len(v) + len(v.encode("utf-8")) for v in distinct), default=0) // 2


def _rewrite_column(data: list[list[Any]], j: int, fix: Callable[[Any], str]) -> set[str]:
    """Put every filled cell of column j through `fix` (blank → None); the column's values (the rare slow path)."""
    for r in data:
        if r[j] is not None:
            r[j] = fix(r[j]) or None
    return {r[j] for r in data} - {None}


def _as_clean_text(value: Any) -> str:
    return NOT_XML.sub("", str(value))


def _cut_to_cell_limit(text: str) -> str:
    return text[:MAX_CELL_TEXT]  # Excel's limit, as openpyxl's own cells cut it


def _measure_heights(table: _Table, j: int, room: int) -> None:
    """Rows whose column-j text wraps get a height for all its lines (readers do not all re-fit rows)."""
    for i, row in enumerate(table.data):
        text = row[j]
        if text is not None and len(text) * 2 > room:
            lines = -(-display_width(text) // room)
            table.heights[i] = max(table.heights.get(i, 0), LINE_HEIGHT * lines + 3)


def display_width(text: str) -> int:
    """Width in Excel character units: CJK (and other wide) characters count 2."""
    return (len(text) + len(text.encode("utf-8"))) // 2


def _set_up_sheet(ws: Any, widths: Sequence[float]) -> None:
    """Everything openpyxl writes before the first row: widths, frozen panes, page set-up."""
    for idx, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    page_set_up(ws, landscape=True)


def page_set_up(ws: Any, landscape: bool) -> None:
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def as_text(cell: Cell, value: Any) -> Cell:
    """Put `value` in the cell; text always as text: openpyxl would make `=…` a live formula (and `#N/A` an
    error), and a clerk's `=HYPERLINK(…)` must reach the office as the characters typed."""
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"
    return cell


def _cell(ws: Any, column: int, value: Any = None, cell: Cell | None = None, **style: Any) -> Cell:
    """A positioned cell given shared style objects (font=, border=, …); `cell` to style one made elsewhere."""
    cell = cell or as_text(Cell(ws, row=1, column=column), value)
    for attribute, shared in style.items():
        setattr(cell, attribute, shared)
    return cell


def _row(ws: Any, width: int, cells: Sequence[Cell]) -> CellRow:
    """A full-width row: the given cells in place, blank unstyled cells elsewhere."""
    placed = {c.column: c for c in cells}
    return CellRow(placed.get(idx) or Cell(ws, row=1, column=idx) for idx in range(1, width + 1))


def _write_head(ws: Any, columns: Sequence[Column], title: str, line: tuple[str, str]) -> None:
    """Rows 1–3: the title, a line such as 报送单位 / 报送时间, the header row."""
    n = len(columns)
    last = get_column_letter(n)
    split = max(2, n - 4)  # 报送单位 over the left columns, 报送时间 over the last four
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{get_column_letter(split)}2")
    ws.merged_cells.add(f"{get_column_letter(split + 1)}2:{last}2")
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[2].height = 22
    ws.row_dimensions[3].height = 30
    ws.append(_row(ws, n, [_cell(ws, 1, title, font=TITLE_FONT, alignment=CENTRE)]))
    ws.append(_row(ws, n, [_cell(ws, 1, line[0], font=FONT, alignment=LEFT),
                           _cell(ws, split + 1, line[1], font=FONT, alignment=RIGHT)]))
    ws.append(_row(ws, n, [_cell(ws, idx, c.header, font=_BOLD, border=BORDER, fill=_GREY, alignment=CENTRE)
                           for idx, c in enumerate(columns, 1)]))


def chinese_date(date: dt.date | None) -> str:
    date = date or dt.date.today()
    return f"{date.year}年{date.month}月{date.day}日"


def _data_cells(ws: Any, columns: Sequence[Column]) -> CellRow:
    """One styled cell per column, reused for every data row (write-only serialises each row at once)."""
    cells = CellRow()
    for idx, column in enumerate(columns, 1):
        align = (_WRAP if column.key in _WRAPPED_KEYS
                 else CENTRE if column.text or column.key in _CENTRED_KEYS or idx == 1 else _MIDDLE)
        style = {"number_format": TEXT_FORMAT} if column.text else {}
        cells.append(_cell(ws, idx, cell=StyledCell(ws, idx), font=FONT, border=BORDER, alignment=align,
                           **style))
    return cells


def _write_data(ws: Any, columns: Sequence[Column], table: _Table, notes: Mapping[int, str],
                progress: Callable[[int], bool] | None) -> None:
    """Rows 4…: 序号 1..N and the values, PROGRESS_EVERY rows between progress reports.

    A row with a note (a comment) goes through openpyxl's cells; the others (with their own height or not)
    are written as XML directly when forms.sheets.xlsx_rows could hook the writer.
    """
    cells = _data_cells(ws, columns)
    serial, values = cells[0], cells[1:]
    keys = [c.key for c in columns]
    name = cells[keys.index("name") if "name" in keys else 1]  # the cell a note is shown on
    data = table.data
    plain = install_row_xml(ws, cells, table.markup)
    for start in range(0, len(data), PROGRESS_EVERY):
        for i in range(start, min(start + PROGRESS_EVERY, len(data))):
            if plain and i not in notes:
                row = ValueRow((i + 1, *data[i]))
                row.height = table.heights.get(i)
                ws.append(row)
                continue
            serial.value = i + 1
            for cell, value in zip(values, data[i], strict=True):
                as_text(cell, value)  # a text that looks like a formula or an error code stays text
            if i in table.heights:
                ws.row_dimensions[i + 4].height = table.heights[i]
            if i in notes:
                name.comment = Comment(notes[i], AUTHOR, height=100, width=240)
            ws.append(cells)
            name.comment = None
        done = min(start + PROGRESS_EVERY, len(data))
        if progress is not None and progress(done) is False:
            raise ExportCancelled


# ---------------------------------------------------------------------------------------------- saving


def save_atomically(target: Path, build: Callable[[Workbook], None], write_only: bool) -> Path:
    """Build the workbook, save it to `.~<name>…` beside the target, then replace the target.

    openpyxl spools a write-only sheet's rows (the people) to a temp file: into a scratch folder of our
    own, removed when the save ends however it ends, and swept at the next start after a crash."""
    with scratch.folder("表格"):
        return _save_atomically(target, build, write_only)


def _spool_file(suffix: str = "") -> str:
    """openpyxl's create_temporary_file, in our scratch folder instead of the shared temp folder."""
    handle = tempfile.NamedTemporaryFile(mode="w+", suffix=suffix, prefix="openpyxl.", delete=False,
                                         dir=scratch.current())
    handle.close()
    _openpyxl_writer.ALL_TEMP_FILES.append(handle.name)
    return handle.name


_openpyxl_writer.create_temporary_file = _spool_file


def _save_atomically(target: Path, build: Callable[[Workbook], None], write_only: bool) -> Path:
    with scratch.beside(target) as temp:
        _create(temp, target)
        wb = Workbook(write_only=write_only)
        if not write_only:
            wb.remove(wb.active)
        stage = "write"
        try:
            build(wb)
            with open(temp, "wb") as fh:
                _save_workbook(wb, fh)
            stage = "replace"
            os.replace(temp, target)
        except OSError as exc:
            raise _known_error(exc, target, stage) from exc
        finally:
            if temp.exists():
                _discard(wb, temp)
    return target


def _save_workbook(wb: Workbook, fh: BinaryIO) -> None:
    """openpyxl's save_workbook, but a zip whose write failed (a full disk) is abandoned: otherwise its
    finaliser later retries on the closed file and prints "Exception ignored … seek of closed file"."""
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = ZipFile(fh, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        archive.fp = None  # ZipFile.close() does nothing more once it has no file: the temp file is discarded
        raise


def _create(temp: Path, target: Path) -> None:
    """The empty temp file beside the target (normal permissions, unlike mkstemp's 0600)."""
    try:
        with open(temp, "xb"):
            pass
    except OSError as exc:
        raise _known_error(exc, target, "write") from exc


def _discard(wb: Workbook, temp: Path) -> None:
    """Remove our temporary file, and openpyxl's own per-sheet temporary files now rather than at exit."""
    with contextlib.suppress(OSError):
        temp.unlink()
    for ws in wb.worksheets:
        if (writer := getattr(ws, "_writer", None)) is not None:
            with contextlib.suppress(Exception):
                if not ws.closed:  # finish the half-written sheet so its generator ends cleanly
                    ws.close()
            with contextlib.suppress(Exception):
                writer.cleanup()


def _known_error(exc: OSError, target: Path, stage: str) -> ExportError:
    """Say in Chinese what went wrong with the user's disk or folder."""
    where = f"无法写入文件 {target}："
    winerror = getattr(exc, "winerror", None)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)) or winerror in (39, 112):
        return ExportError(where + "磁盘已满，请清理磁盘空间后重试", target)
    if winerror in (32, 33) or (isinstance(exc, PermissionError) and stage == "replace" and target.exists()):
        return ExportError(where + "文件正被其他程序（如Excel）打开，请关闭后重试", target)
    if isinstance(exc, FileNotFoundError) and not target.parent.is_dir():
        return ExportError(where + f"文件夹 {target.parent} 不存在，请重新选择保存位置", target)
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return ExportError(where + "没有写入该文件夹的权限，请选择其他保存位置", target)
    return ExportError(where + os_reason(exc), target)
