"""Read a clerk's spreadsheet (.xlsx/.xlsm/.xls/.ods via python-calamine, .csv) into sampling-frame rows.

Finds the header below any title rows and recognises which attachment (附件2–7) each sheet is (both by
forms.sheets.sheet_layout), keeps each cell's raw text with its real sheet row and skips notes and template
filler; a file that cannot be read is a `ReadError` (one Chinese line).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from forms.base.errors import UserError
from forms.base.file_errors import ReadError, paths_error
from forms.base.findings import Finding, Severity, make
from forms.base.records import Table
from forms.notice.attachments import FRAME_FORMS
from forms.sheets import csv_in, file_kind, sheet_guard, sheet_layout, sheet_notes

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")

_CORRUPT = csv_in.CORRUPT
_ENCRYPTED = "“{name}”：文件已加密，请在Excel中取消密码后另存为.xlsx再导入。"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
Rows = list[list[Any]]  # cell values of a sheet, row by row from A1


@dataclass
class SheetRead:
    """One imported sheet: where its header is, which form it is, and its rows as raw text by column key."""

    file: str
    sheet: str
    title: str
    form: str | None
    candidates: tuple[str, ...]
    header_row: int
    mapping: dict[int, str]
    headers: list[str]
    numbers: list[int]  # the 1-based sheet row of each data row
    table: Table  # the data rows' raw texts, column by column
    findings: list[Finding]
    department: str = ""

    @cached_property
    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """(1-based sheet row, {key: raw text}) of each data row, made when first asked for (an import
        takes `table` as it is)."""
        return list(zip(self.numbers, self.table.dicts(), strict=True))


def combined_rows(sheets: Sequence[SheetRead]) -> Sequence[dict[str, str]]:
    """The data rows of sheets imported together: one sheet's as its table, several as dicts in order."""
    if len(sheets) == 1:
        return sheets[0].table
    return [raw for sheet in sheets for _row, raw in sheet.rows]


def cell_text(value: object) -> str:
    """A cell as text: numbers as typed (13877112345.0 → "13877112345"), dates ISO, strings untouched."""
    if value is None:
        return ""
    if isinstance(value, float):  # Excel keeps 13877112345 and 771 as floats
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return str(value)


_NOTE_BLOCKS = ("填报要求", "填表说明", "填报说明", "合计", "总计", "小计")
_NOTE_LINES = tuple(f"{w}{c}" for w in ("注", "说明", "备注", "填表人", "填报人", "制表人", "审核人", "联系人",
                                         "负责人", "单位负责人") for c in (":", "："))
_FILLER_START = frozenset("….。·、-—_xXｘＸ")
_FILLER_CHARS = "….。·、-—_ \u3000"
# a name starting with none of these, beside a numeric (or no) 序号, is a person: no further checks
_SLOW_START = _FILLER_START | {w[0] for w in _NOTE_BLOCKS + _NOTE_LINES} | set(" \t\r\n\u3000\xa0\0")


def _is_filler(text: str) -> bool:
    """Template filler like “……” or “xx市xx路xx号 Xxxx单位”, not a clerk's data."""
    text = text.strip()
    if not text or text[0] not in _FILLER_START:
        return False
    low = unicodedata.normalize("NFKC", text).casefold()
    return not text.strip(_FILLER_CHARS) or "xx市" in low or "xxxx" in low


def _row_kind(record: dict[str, str]) -> str:
    """'data', 'single' (one filled cell), 'blank' (nothing but 序号 or template filler), 'note' (注:…)
    or 'block' (填报要求…, 合计: the notes that follow are skipped too)."""
    filled = [(k, t) for k, t in record.items() if t and not t.isspace()]
    if not filled:
        return "blank"
    first = filled[0][1].lstrip()
    if first.startswith(_NOTE_BLOCKS):
        return "block"
    if first.startswith(_NOTE_LINES):
        return "note"
    if all(k == "serial" or _is_filler(t) for k, t in filled):
        return "blank"
    return "data" if len(filled) > 1 else "single"


def _data_rows(rows: Rows, start: int, mapping: dict[int, str]) -> tuple[list[int], Table]:
    """(1-based sheet row of each data row from index `start` on, their raw texts by key). The hot loop.

    Cells are converted column by column (a column of text is taken as it is), which is what keeps
    reading within a few per cent of calamine's own read. When every row is a named person (the usual
    case, told in C) no row dict is made here at all."""
    pairs, joins = _column_plan(mapping)
    body = rows[start:]
    by_column = list(zip(*body, strict=True)) if len(set(map(len, body))) == 1 else None  # a grid: one width
    columns = {key: _column_texts(body, index, by_column) for index, key in pairs}
    for index, key in joins:  # a separate 地址 column joins 单位
        columns[key] = [f"{text.strip()} {extra}".strip() if (extra := more.strip()) else text
                        for text, more in zip(columns[key], _column_texts(body, index, by_column), strict=True)]
    table = Table(columns)
    numbers = list(range(start + 1, start + 1 + len(table)))
    if _all_plain_people(columns):
        return numbers, table
    kept: list[int] = []
    in_notes = False
    for at, record in enumerate(table.dicts()):
        name = record.get("name") or "\0"
        if not in_notes and name[0] not in _SLOW_START and (record.get("serial") or "0")[0].isdigit():
            kept.append(at)  # fast path: a named person, not a note or filler
            continue
        kind = _row_kind(record)
        in_notes = kind == "block" or (in_notes and kind in ("single", "note", "blank"))
        if kind in ("data", "single") and not in_notes:
            kept.append(at)
    return [numbers[at] for at in kept], table.subset(kept)


def _all_plain_people(columns: dict[str, list[str]]) -> bool:
    """Whether every row takes the row walk's fast path: a name not starting as a note or filler does,
    with a numeric or empty 序号."""
    names, serials = columns.get("name"), columns.get("serial", [])
    if not names or not all(names) or not _SLOW_START.isdisjoint("".join(map(itemgetter(0), names))):
        return False
    firsts = "".join(map(itemgetter(0), filter(None, serials)))
    return not firsts or firsts.isdigit()


def _column_texts(body: Rows, index: int, by_column: list[tuple[Any, ...]] | None = None) -> list[str]:
    """The text of column `index` in every row (short rows give ""); `by_column`: the rows transposed, when
    they are all one width (taken apart in C at once instead of column by column)."""
    cells: list[Any]
    if by_column is not None:
        cells = list(by_column[index]) if index < len(by_column) else [""] * len(body)
    else:
        try:
            cells = list(map(itemgetter(index), body))
        except IndexError:
            cells = [row[index] if index < len(row) else "" for row in body]
    types = set(map(type, cells))
    if types <= {str}:
        return cells
    if types == {float} and all(map(float.is_integer, cells)) and -1e15 < min(cells) and max(cells) < 1e15:
        return list(map(str, map(int, cells)))  # a column of whole numbers (序号, a phone typed as a number)
    return [cell if type(cell) is str else cell_text(cell) for cell in cells]


def _column_plan(mapping: dict[int, str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The first column of each key, and the further 单位/地址 columns to join into it."""
    first = {key: index for index, key in sorted(mapping.items(), reverse=True)}
    return sorted((i, k) for k, i in first.items()), [(i, k) for i, k in sorted(mapping.items()) if first[k] != i]


_DEPT_RE = re.compile(r"(?:报送|填报)单位\s*[:：]?\s*(.*?)\s*(?:(?:报送|填报)(?:时间|日期).*)?$")
_MARKER_RE = re.compile(r"附件\s*[0-9二三四五六七]+\s*[:：]?")


def _preamble(rows: list[list[str]]) -> tuple[str, str, str]:
    """(title, department, 附件N marker) from the rows above the header."""
    titles: list[str] = []
    department = marker = ""
    for cells in rows:
        filled = [c.strip() for c in cells if c and not c.isspace()]
        line = " ".join(filled)
        if not line:
            continue
        if "报送单位" in line or "填报单位" in line or "报送时间" in line:
            found = _DEPT_RE.search(line)
            department = found.group(1).replace("(盖章)", "").replace("（盖章）", "").strip() if found else ""
        elif _MARKER_RE.fullmatch(unicodedata.normalize("NFKC", line).replace(" ", "")):
            marker = line
        elif len(filled) == 1:  # a title is one (merged) cell; group labels above a header are not
            titles.append("".join(line.splitlines()))
    return "".join(titles), department, marker


_NO_HEADER = ("工作表“{sheet}”中找不到表头行。请在名单上方保留表头，列名为：序号、姓名、性别、单位、职务、区号、"
              "办公电话、手机号码，再加邮政编码（附件2、4）或备注（附件3、5、6、7）；如果这个工作表不是抽样框，请删除它。")


def _read_sheet(file: str, sheet: str, rows: Rows, form: str | None) -> SheetRead:
    head = [[cell_text(v) for v in row] for row in rows[:sheet_layout.HEADER_SCAN + 1]]
    found = sheet_layout.locate_header(head, form)
    if found is None:
        finding = replace(make("layout", reason=_NO_HEADER.format(sheet=sheet)), file=file, sheet=sheet,
                          form=form or "")
        return SheetRead(file, sheet, "", form, (form,) if form else (), 0, {}, [], [], Table({}), [finding])
    top, bottom, mapping = found
    title, department, marker = _preamble(head[:top])
    headers = _header_texts(head, top, bottom)
    keys = set(mapping.values())
    if any("地址" in headers[i] for i, k in mapping.items() if k == "unit"):
        keys.add(sheet_layout.ADDRESS_HINT)
    names = (marker, title, sheet, Path(file).name)
    number, candidates = (form, (form,)) if form else sheet_layout.recognise_names(title, names, keys)
    findings = [replace(f, file=file, sheet=sheet, form=number or "")
                for f in _layout_findings(sheet, number, candidates, keys)]
    return SheetRead(file, sheet, title, number, candidates, bottom + 1, mapping, headers,
                     *_data_rows(rows, bottom + 1, mapping), findings, department)


def _header_texts(head: list[list[str]], top: int, bottom: int) -> list[str]:
    """The header text of each column; in a two-row header the lower cell wins where it is filled."""
    upper, lower = head[top], head[bottom] if top != bottom else []
    width = max(len(upper), len(lower))
    texts = [((lower[i] if i < len(lower) else "").strip() or (upper[i] if i < len(upper) else "").strip())
             for i in range(width)]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _layout_findings(sheet: str, form: str | None, candidates: tuple[str, ...], keys: set[str]) -> list[Finding]:
    """An error when a needed column is missing, a warning when several forms fit."""
    missing = _missing_columns(form, keys)
    if missing:
        which = f"附件{form}" if form else "抽样框"
        names = "、".join(f"“{h}”" for h in missing)
        return [make("layout", reason=f"工作表“{sheet}”的表头缺少{names}列，{which}必须有这些列。"
                                      "请按模板补上这些列（或改正列名）后重新导入。")]
    if form is None and len(candidates) > 1:
        forms = "、".join(f"附件{n}" for n in candidates)
        return [make("layout", severity=Severity.WARNING,
                     reason=f"无法确定工作表“{sheet}”是哪个附件，可能是{forms}。请在表格标题中写明单位类别和"
                            "抽样框名称（如“2015年度自治区XX部门XX工作评价抽样框(政府部门)”），或把文件名改为"
                            f"“附件{candidates[0]}_…”，或用 --form 指定；在确定之前只按这些附件共同的规则检查。")]
    return []


def _missing_columns(form: str | None, keys: set[str]) -> list[str]:
    """Required headers of the form (or, when none fits, the columns every frame has) not in the sheet."""
    columns, core = FRAME_FORMS[form or "3"].columns, sheet_layout.CORE_KEYS
    return [c.header for c in columns if c.required and c.key not in keys and (form or c.key in core)]


def read_file(path: str | Path, form: str | None = None, sheet: str | None = None) -> list[SheetRead]:
    """Every sheet with data in the file (or the named one), header found and form recognised."""
    return [read for read, _cells in read_file_with_cells(path, form, sheet)]


def read_file_with_cells(path: str | Path, form: str | None = None,
                         sheet: str | None = None) -> list[tuple[SheetRead, Rows]]:
    """`read_file`, each sheet with its cells as read (for the import preview), from one read of the file."""
    _check_form(form)
    collecting = gc.isenabled()
    gc.disable()  # the rows hold no cycles: the collector would only rescan 50 000 fresh dicts, again and again
    try:
        tables, notes = read_tables(path, sheet)
        reads = [(_read_sheet(str(path), name, rows, form), rows) for name, rows in tables]
    finally:
        if collecting:
            gc.enable()
    return sheet_notes.attach(reads, notes)


def _check_form(form: str | None) -> None:
    if form is not None and form not in FRAME_FORMS:
        raise ReadError(f"附件编号“{form}”不对：抽样框只有附件2到附件7，请用2–7之间的数字。")


def read_bytes(name: str, data: bytes, form: str | None = None) -> list[SheetRead]:
    """`read_file` of a file held in memory (a member of a received archive: never written to disk).

    `name` is what findings and messages call the file; its suffix says how to read it."""
    _check_form(form)
    p = Path(name)
    notes = sheet_notes.Notes(name)
    try:
        if not data:
            raise ReadError(f"文件“{p.name}”是空的（0字节），请确认选对了文件，或在Excel中重新保存后再导入。")
        tables = (csv_in.read_text_data(p, data, notes.remarks) if _is_text(p, data[:file_kind.HEAD], notes)
                  else _read_book_data(p, data, notes))
    except UserError:
        raise
    except BaseException as exc:  # calamine also fails by a Rust panic, which is no Exception
        raise _translate(exc, p) from None
    reads = [(_read_sheet(name, sheet, rows, form), None) for sheet, rows in _with_data(tables, p, None, notes)]
    return [read for read, _none in sheet_notes.attach(reads, notes)]


def _read_book_data(p: Path, data: bytes, notes: sheet_notes.Notes) -> list[tuple[str, Rows]]:
    if data[:8] == _CFB_MAGIC and _ENCRYPTED_STREAM in data:
        raise ReadError(_ENCRYPTED.format(name=p.name))
    guarded = sheet_guard.guard_xlsx(io.BytesIO(data), p.name)
    book = CalamineWorkbook.from_filelike(io.BytesIO(guarded.data if guarded and guarded.data else data))
    return _sheets_of(book, p, None, notes, guarded)


def _with_data(tables: list[tuple[str, Rows]], p: Path, sheet: str | None,
               notes: sheet_notes.Notes) -> list[tuple[str, Rows]]:
    """The sheets that hold anything; ReadError when none does."""
    tables = [(name, rows) for name, rows in tables if _has_data(rows)]
    if not tables:
        where = f"工作表“{sheet}”" if sheet else f"文件“{p.name}”"
        raise ReadError(f"{where}里没有任何数据，请确认选对了文件，名单录入并保存后再导入。{notes.hidden_hint()}")
    return tables


def _has_data(rows: Rows) -> bool:
    return any(any(v is not None and v != "" for v in r) for r in rows)


def read_table(path: str | Path, sheet: str | None = None) -> list[tuple[str, Rows]]:
    """Raw sheets with data, as (sheet name, rows of cell values from A1). Raises ReadError."""
    return read_tables(path, sheet)[0]


def read_tables(path: str | Path, sheet: str | None = None) -> tuple[list[tuple[str, Rows]], sheet_notes.Notes]:
    """`read_table`, with what reading saw that the clerk must hear of (stray cells, hidden sheets…)."""
    p = Path(path)
    notes = sheet_notes.Notes(str(path))
    try:
        if p.is_dir():
            raise ReadError(f"“{p}”是一个文件夹，请选择其中的表格文件（.xlsx、.xls、.csv）。")
        if p.stat().st_size == 0:
            raise ReadError(f"文件“{p.name}”是空的（0字节），请确认选对了文件，或在Excel中重新保存后再导入。")
        tables = (csv_in.read_text(p, sheet, notes.remarks) if _is_text(p, file_kind.read_head(p), notes)
                  else _read_workbook(p, sheet, notes))
    except UserError:
        raise
    except BaseException as exc:  # calamine also fails by a Rust panic, which is no Exception
        raise _translate(exc, p) from None
    return _with_data(tables, p, sheet, notes), notes


def _is_text(p: Path, head: bytes, notes: sheet_notes.Notes) -> bool:
    """Whether to read the file as a text table: by its content, whatever its name says (a web page or an
    Excel 2003 XML file is refused with the way to convert it; a renamed file is read, and the name noted)."""
    kind, named_text = file_kind.kind_of(head), p.suffix.lower() in TEXT_SUFFIXES
    if kind == "html":
        raise ReadError(file_kind.HTML_MESSAGE.format(name=p.name))
    if kind == "xml2003":
        raise ReadError(file_kind.XML2003_MESSAGE.format(name=p.name))
    if named_text and kind in ("zip", "ole"):
        notes.remarks.append(file_kind.BOOK_AS_TEXT.format(name=p.name, suffix=p.suffix))
        return False
    if not named_text and kind == "text":
        notes.remarks.append(file_kind.TEXT_AS_BOOK.format(name=p.name, suffix=p.suffix or "（无）"))
        return True
    return named_text


def _read_workbook(p: Path, sheet: str | None, notes: sheet_notes.Notes) -> list[tuple[str, Rows]]:
    guarded = sheet_guard.guard_xlsx(p, p.name)  # by content: a .xlsx renamed .xls is guarded too
    return _sheets_of(_open_workbook(p, guarded.data if guarded else None), p, sheet, notes, guarded)


def _sheets_of(book: CalamineWorkbook, p: Path, sheet: str | None, notes: sheet_notes.Notes,
               guarded: sheet_guard.Guarded | None) -> list[tuple[str, Rows]]:
    """The named sheet, or every visible one, of an open workbook (closed afterwards); the hidden ones
    with data and the guard's scans go into `notes`."""
    try:
        meta = book.sheets_metadata
        names = [m.name for m in meta if sheet or m.visible == SheetVisibleEnum.Visible]
        if sheet is not None and sheet not in names:
            raise ReadError(f"文件“{p.name}”中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}），"
                            "请检查工作表名称。")
        chosen = [sheet] if sheet is not None else names
        if sheet is None:
            notes.hidden = [m.name for m in meta if m.visible != SheetVisibleEnum.Visible
                            and _has_data(_sheet_rows(book, m.name))]
        notes.scans = guarded.sheets if guarded else {}
        return [(n, _sheet_rows(book, n)) for n in chosen]
    finally:
        book.close()


def _sheet_rows(book: CalamineWorkbook, name: str) -> Rows:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _open_workbook(p: Path, data: bytes | None) -> CalamineWorkbook:
    """Open by extension, then by content (a .xls renamed .xlsx); an encrypted package is refused.
    `data`: the package to read instead of the file (forms.sheets.sheet_guard's copy without stray cells)."""
    if data is not None:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xlsb"):
        with p.open("rb") as fh:  # Excel saves a password-protected .xlsx as OLE2 with an EncryptedPackage
            if fh.read(8) == _CFB_MAGIC and _ENCRYPTED_STREAM in fh.read():
                raise ReadError(_ENCRYPTED.format(name=p.name))
    if p.suffix.lower() in SPREADSHEET_SUFFIXES:
        try:
            return CalamineWorkbook.from_path(str(p))
        except BaseException as exc:
            if isinstance(exc, PasswordError) or not _is_calamine_failure(exc):
                raise
    return CalamineWorkbook.from_filelike(io.BytesIO(p.read_bytes()))


def _is_calamine_failure(exc: BaseException) -> bool:
    # calamine reports a malformed file as CalamineError, or as a Rust panic (pyo3's PanicException)
    return isinstance(exc, CalamineError) or type(exc).__name__ == "PanicException"


def _translate(exc: BaseException, p: Path) -> ReadError:
    """A calamine/OS/csv failure as the clerk's ReadError; anything else (a bug, Ctrl-C) propagates."""
    if isinstance(exc, PasswordError):
        return ReadError(_ENCRYPTED.format(name=p.name))
    if isinstance(exc, OSError) and (known := paths_error(exc, p)) is not None:
        return ReadError(known)
    if _is_calamine_failure(exc) or isinstance(exc, (OSError, ValueError, EOFError, csv.Error, zipfile.BadZipFile, zlib.error)):
        return ReadError(_CORRUPT.format(name=p.name))
    raise exc
