"""Issue 13, the readers' last cases: a shared string repeated in every row is refused before it is
expanded; an error value (#N/A) is named, not read as empty; a file is read for what it is, whatever its
name says (a CSV named .xlsx, an .xlsx named .csv, UTF-16 without a BOM, NUL padding), and a web page or an
Excel 2003 XML file named .xls is refused with the way to convert it."""

from __future__ import annotations

import codecs
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from forms.base.file_errors import BombError, ReadError
from forms.sheets import excel_in
from tests.hostile.files import HEADER, ROW, assert_refused, frame, main_py, patch_sheet, shared_string_frame

LONGEST = "长" * 32767  # Excel's longest cell


def test_one_long_shared_string_in_every_row_is_refused_small_and_fast(tmp_path: Path) -> None:
    path = shared_string_frame(tmp_path / "重复.xlsx", 5000, LONGEST)
    assert path.stat().st_size < 400_000  # expanded, it would be 5000 × 98 KB = 490 MB of text in calamine
    assert_refused(main_py("check", str(path)), "重复.xlsx", "重复引用", "拒绝")


def test_a_shared_string_reference_written_oddly_is_still_counted(tmp_path: Path) -> None:
    path = shared_string_frame(tmp_path / "单引号.xlsx", 5000, LONGEST, quote="'")
    patch_sheet(path, lambda data: re.sub(rb"<c r=\"(I\d+)\" t='s'><v>", rb"<c t = 's' r='\1' s=\"0\"><v> ", data))
    with pytest.raises(BombError, match="重复引用"):
        excel_in.read_file(path)


def test_an_archive_member_is_bounded_as_well(tmp_path: Path) -> None:
    data = shared_string_frame(tmp_path / "成员.xlsx", 5000, LONGEST).read_bytes()
    with pytest.raises(BombError, match="成员.xlsx"):
        excel_in.read_bytes("成员.xlsx", data)


def test_long_remarks_of_a_real_size_are_read(tmp_path: Path) -> None:
    """Below the bound nothing changes: 300 rows sharing a 3 000-character remark are read as typed."""
    path = shared_string_frame(tmp_path / "长备注.xlsx", 300, "情况说明" * 750)
    (read,) = excel_in.read_file(path)
    assert len(read.rows) == 300 and {raw["remark"] for _row, raw in read.rows} == {"情况说明" * 750}


def test_error_values_are_named_and_not_reported_as_missing(tmp_path: Path) -> None:
    path = frame(tmp_path / "错误值.xlsx", rows=3)
    patch_sheet(path, lambda data: re.sub(rb'<c r="H3"[^>]*>.*?</c>', b'<c r="H3" t="e"><v>#N/A</v></c>', data))
    patch_sheet(path, lambda data: re.sub(rb'<c r="B4"[^>]*>.*?</c>',
                                          b"<x:c t='e' r='B4'><x:f>A1/0</x:f><x:v>#DIV/0!</x:v></x:c>", data))
    result = main_py("check", str(path), "--json")
    assert result.returncode == 1, result.stderr
    found = [f for f in json.loads(result.stdout) if f.get("row") in (3, 4)]
    errors = {(f["row"], f["column"]): f["message"] for f in found if f["code"] == "layout"}
    assert "#N/A" in errors[(3, "手机号码")] and "H3" in errors[(3, "手机号码")]
    assert "#DIV/0!" in errors[(4, "姓名")] and "B4" in errors[(4, "姓名")]
    assert not [f for f in found if f["code"] == "required" and f["row"] == 4]


def _csv_text() -> str:
    return "\r\n".join(",".join(map(str, line)) for line in (HEADER, ROW)) + "\r\n"


def _rows(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    reads = excel_in.read_file(path, form="3")
    return [raw for read in reads for _row, raw in read.rows], [f.message for read in reads for f in read.findings]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_csv_named_as_a_workbook_is_read_as_csv_and_said(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"名单{suffix}"
    path.write_text(_csv_text(), encoding="utf-8-sig")
    rows, messages = _rows(path)
    assert [r["name"] for r in rows] == ["张三"] and rows[0]["mobile"] == "13877112345"
    assert any("内容却是CSV文本表格" in m and f"名单{suffix}" in m for m in messages)


def test_a_workbook_named_csv_is_read_as_a_workbook_and_said(tmp_path: Path) -> None:
    path = frame(tmp_path / "名单.xlsx", rows=2).rename(tmp_path / "名单.csv")
    rows, messages = _rows(path)
    assert len(rows) == 2 and any("内容却是Excel工作簿" in m for m in messages)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_bom_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(_csv_text().replace(",", "\t").encode(encoding))
    rows, _messages = _rows(path)
    assert [r["name"] for r in rows] == ["张三"] and rows[0]["unit"] == ROW[3]


def test_nul_padding_after_a_power_cut_is_dropped_and_said(tmp_path: Path) -> None:
    path = tmp_path / "断电.csv"
    path.write_bytes(_csv_text().encode("utf-8") + b"\0" * 4096)
    rows, messages = _rows(path)
    assert [r["name"] for r in rows] == ["张三"]
    assert any("4096个空字符" in m and "断电.csv" in m for m in messages)


def test_binary_named_csv_is_still_damaged(tmp_path: Path) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes(b"\x00\x01" + os.urandom(3000))
    with pytest.raises(ReadError, match="不是有效的表格文件"):
        excel_in.read_file(path)


@pytest.mark.parametrize(("content", "needle"), [
    ("<html><head><meta charset='utf-8'></head><body><table><tr><td>序号</td></tr></table></body></html>", "网页"),
    ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:'
     'office:spreadsheet"><Worksheet ss:Name="附件3"><Table><Row><Cell><Data ss:Type="String">序号</Data></Cell>'
     "</Row></Table></Worksheet></Workbook>", "Excel 2003 XML"),
])
def test_a_web_page_or_2003_xml_named_xls_says_how_to_convert(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "系统导出.xls"
    path.write_bytes(codecs.BOM_UTF8 + content.encode("utf-8"))
    assert_refused(main_py("check", str(path)), "系统导出.xls", needle, "另存为")


_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
             'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.'
             'oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
             'manifest:media-type="text/xml"/></manifest:manifest>')


def _ods(path: Path, body: str) -> Path:
    """An .ods whose one sheet, 附件3, has the header row and then `body` (table rows as XML)."""
    header = "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
                     for h in HEADER)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="附件3"><table:table-row>{header}</table:table-row>'
               f"{body}</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        out.writestr("content.xml", content)
        out.writestr("META-INF/manifest.xml", _MANIFEST)
    return path


def _ods_row(values: list[object], repeat: int = 1, cells: int = 1) -> str:
    cell = "".join(f'<table:table-cell office:value-type="string" table:number-columns-repeated="{cells}">'
                   f"<text:p>{v}</text:p></table:table-cell>" for v in values)
    return f'<table:table-row table:number-rows-repeated="{repeat}">{cell}</table:table-row>'


@pytest.mark.parametrize(("rows", "cells", "needle"), [(100_000, 100, "行×"), (1_048_575, 16384, "超过了")])
def test_an_ods_repeating_a_value_cell_is_refused(tmp_path: Path, rows: int, cells: int, needle: str) -> None:
    """A 1 KB .ods asking for 100 000 × 100 cells took 1.4 GB in calamine."""
    path = _ods(tmp_path / "重复.ods", _ods_row(["x"], rows, cells))
    assert path.stat().st_size < 2000
    assert_refused(main_py("check", str(path)), "重复.ods", needle)


def test_an_ods_with_libreoffices_empty_tail_is_read(tmp_path: Path) -> None:
    empty_tail = ('<table:table-row table:number-rows-repeated="1048500"><table:table-cell '
                  'table:number-columns-repeated="1024"/></table:table-row>')
    path = _ods(tmp_path / "附件3.ods", "".join(_ods_row(ROW) for _ in range(3)) + empty_tail)
    (read,) = excel_in.read_file(path, form="3")
    assert len(read.rows) == 3 and read.rows[0][1]["name"] == "张三"
