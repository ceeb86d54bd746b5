"""Issue 13 items 1 and 10 for Excel 97–2003 files: a .xls had no guard at all. calamine reserves the grid its
DIMENSIONS record declares and lays the cells out densely, so a 5 KB .xls aborted the process (exit 134) or
took 1.2 GB; and it reads an error value (#N/A, #REF!) as empty, which was reported as "不能为空" (in an .ods
written by LibreOffice too)."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from forms.sheets import excel_in
from tests.hostile.files import HEADER, ROW, assert_refused, main_py
from tests.hostile.test_reader_disguises import _ods, _ods_row

FREE, END, FAT_SECTOR = 0xFFFF_FFFF, 0xFFFF_FFFE, 0xFFFF_FFFD


def _biff(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _label(row: int, col: int, text: str) -> bytes:
    """A LABEL record: the cell's text, UTF-16."""
    return _biff(0x0204, struct.pack("<HHHHB", row, col, 15, len(text), 1) + text.encode("utf-16-le"))


def _error(row: int, col: int, code: int) -> bytes:
    """A BOOLERR record holding an error value (0x2A #N/A, 0x17 #REF!)."""
    return _biff(0x0205, struct.pack("<HHHBB", row, col, 15, code, 1))


def _workbook(cells: bytes, dimensions: tuple[int, int, int, int]) -> bytes:
    """A BIFF8 Workbook stream: globals naming one sheet, 附件3, then the sheet."""
    name = "附件3"
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0, 1997, 0, 0x0006)
    boundsheet_size = 4 + 6 + 2 + 2 * len(name)
    sheet_at = len(_biff(0x0809, bof)) + boundsheet_size + len(_biff(0x000A))
    globals_ = (_biff(0x0809, bof) + _biff(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(name), 1)
                                           + name.encode("utf-16-le")) + _biff(0x000A))
    sheet = (_biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 1997, 0, 0x0006))
             + _biff(0x0200, struct.pack("<IIHHH", *dimensions, 0)) + cells + _biff(0x000A))
    stream = globals_ + sheet
    return stream + bytes(max(0, 4096 - len(stream)))  # a stream under 4096 bytes would live in the mini stream


def _compound(stream: bytes) -> bytes:
    """A version 3 compound file (512-byte sectors): the FAT in sector 0, the directory in 1, the stream after."""
    count = -(-len(stream) // 512)
    fat = [FAT_SECTOR, END] + [2 + n + 1 for n in range(count - 1)] + [END]
    fat += [FREE] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", 0, *([FREE] * 108)))
    return header + struct.pack("<128I", *fat) + _directory(len(stream)) + stream.ljust(count * 512, b"\0")


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", FREE, FREE, child) + bytes(16 + 4 + 16) + struct.pack("<III", start, size, 0))


def _directory(size: int) -> bytes:
    empty = bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", FREE, FREE, FREE) + bytes(48)
    return _entry("Root Entry", 5, 1, END, 0) + _entry("Workbook", 2, FREE, 2, size) + empty + empty


def xls(path: Path, cells: bytes = b"", rows: int = 3, dimensions: tuple[int, int, int, int] | None = None) -> Path:
    """A 附件3 .xls: title, header, `rows` people, then `cells` (BIFF records)."""
    body = _label(0, 0, "2015年度自治区XX部门XX工作评价抽样框(政府部门)")
    body += b"".join(_label(1, col, text) for col, text in enumerate(HEADER))
    for n in range(rows):
        person = [str(n + 1), f"张三{'一二三四五'[n % 5]}", "男", "南宁市民族大道1号", "科长", "0771", "2811111",
                  f"138771123{n:02d}"]
        body += b"".join(_label(2 + n, col, text) for col, text in enumerate(person))
    path.write_bytes(_compound(_workbook(body + cells, dimensions or (0, 2 + rows, 0, len(HEADER)))))
    return path


def test_the_hand_made_xls_is_read_as_excel_would(tmp_path: Path) -> None:
    (read,) = excel_in.read_file(xls(tmp_path / "附件3.xls"))
    assert read.headers == HEADER and [number for number, _raw in read.rows] == [3, 4, 5]


@pytest.mark.parametrize(("row", "col", "cell"), [(65535, 255, "IV65536"), (65535, 65535, "CRXP65536"),
                                                  (4, 65535, "CRXP5")])
def test_a_far_cell_in_an_xls_is_refused_by_name(tmp_path: Path, row: int, col: int, cell: str) -> None:
    path = xls(tmp_path / "附件3.xls", _label(row, col, "x"))
    assert_refused(main_py("check", str(path), "--form", "3"), "附件3.xls", cell, "删除", "另存为.xlsx")


@pytest.mark.parametrize("dimensions", [(0, 0xFFFF_FFFF, 0, 0xFFFF), (9, 3, 0, 9), (0, 300_000, 0, 9)])
def test_a_declared_extent_past_any_frame_is_refused(tmp_path: Path, dimensions: tuple[int, int, int, int]) -> None:
    """calamine reserves rows × columns from DIMENSIONS before it reads a cell (an end before the start wraps)."""
    path = xls(tmp_path / "附件3.xls", dimensions=dimensions)
    assert_refused(main_py("check", str(path), "--form", "3"), "附件3.xls", "删除", "另存")


def test_error_values_in_an_xls_are_named_not_reported_missing(tmp_path: Path) -> None:
    path = xls(tmp_path / "附件3.xls", _error(2, 1, 0x2A) + _error(3, 3, 0x17))  # B3 #N/A, D4 #REF!
    result = main_py("check", str(path), "--form", "3", "--json")
    assert result.returncode == 1, result.stderr[-2000:]
    found = json.loads(result.stdout)
    named = {(f["row"], f["column"]): f["message"] for f in found if "错误值" in f["message"]}
    assert set(named) == {(3, "姓名"), (4, "单位")} and "#N/A" in named[3, "姓名"] and "#REF!" in named[4, "单位"]
    assert not [f for f in found if f["code"] == "required" and (f["row"], f["column"]) in named], found


def test_a_compound_file_whose_chain_loops_is_damaged_not_a_hang(tmp_path: Path) -> None:
    data = bytearray(xls(tmp_path / "附件3.xls").read_bytes())
    struct.pack_into("<I", data, 512 + 4 * 1, 1)  # the directory's sector is followed by itself
    (tmp_path / "环.xls").write_bytes(bytes(data))
    assert_refused(main_py("check", str(tmp_path / "环.xls"), "--form", "3"), "环.xls", "另存为")


def test_error_values_in_an_ods_are_named_not_reported_missing(tmp_path: Path) -> None:
    """As LibreOffice writes them: a string value of "", the error's text, and calcext's value type."""
    cells = [f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
             for value in ROW[:8]]
    cells[1] = ('<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" '
                'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>')
    path = _ods(tmp_path / "附件3.ods", _ods_row(ROW) + f"<table:table-row>{''.join(cells)}</table:table-row>")
    with zipfile.ZipFile(path) as package:
        items = {info.filename: package.read(info) for info in package.infolist()}
    items["content.xml"] = items["content.xml"].replace(b'office:version="1.2"', b'xmlns:calcext="urn:org:'
                                                        b'documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
                                                        b' office:version="1.2"')
    with zipfile.ZipFile(path, "w") as package:
        for member, data in items.items():
            package.writestr(member, data)
    result = main_py("check", str(path), "--form", "3", "--json")
    assert result.returncode == 1, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert [(f["row"], f["column"]) for f in found if "错误值“#N/A”" in f["message"]] == [(3, "姓名")], found
    assert not [f for f in found if f["code"] == "required" and f["row"] == 3], found


def test_an_xls_past_any_frame_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """The guard reads the file whole, and calamine reads it again: a 210 MB compound file (sparse here) is refused."""
    path = tmp_path / "附件3.xls"
    with path.open("wb") as out:
        out.write(xls(tmp_path / "小.xls").read_bytes())
        out.truncate(210 << 20)
    assert_refused(main_py("check", str(path), "--form", "3"), "附件3.xls", "210MB", "另存为.xlsx")
