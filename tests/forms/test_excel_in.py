"""forms.sheets.excel_in: real files written to tmp_path (xlsx, xls, ods, csv), then read back."""

from __future__ import annotations

import datetime as dt
import os
import struct
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.base.findings import Severity
from forms.notice.campaign import load
from forms.sheets.excel_in import ReadError, cell_text, read_file, read_table
from forms.sheets.sheet_layout import find_header, map_header, recognise

SYSTEM_HEADER = ["序号", "姓 名", "性别", "单位(注明具体地址)", "职务", "区号", "办公电话", "手机号码", "邮政编码"]
HOT_HEADER = ["序号", "姓 名", "性别", "单位", "职务", "区号", "办公电话", "手机号码", "备注"]
PERSON = [1, "张三", "男", "柳州市城中区龙城路1号 柳州市交通局", "局长", 772, 2811111, 13877112345]
DEPT_LINE = "报送单位: 自治区交通运输厅          报送时间:2015年11月10日"


def title(form: str) -> str:
    return load().title(form, "交通运输厅", "农村公路建设工作")


def frame(form: str, head: list[str] | None = None, title_text: str | None = None) -> list[list[object]]:
    """A sheet laid out as the notice's template: 附件N, title, 报送单位 line, header, data, notes."""
    header = head or (SYSTEM_HEADER if form in "24" else HOT_HEADER)
    last = 545001 if "邮政编码" in header else "无"
    return [[f"附件{form}"], [title(form) if title_text is None else title_text], [DEPT_LINE], header,
            [*PERSON, last], [None] * 9, [2, None, None, "xx市xx路xx号 Xxxx单位"],
            ["……", "……", "……", "xx市xx路xx号 Xxxx单位", None, "……", None, "……"],
            [3, "李四", "女", "南宁市民族大道1号", "科长", None, None, 13977112345, last],
            ["填报要求:1.请按上述格式用Excel建立工作表;"], [None, "2.每个工作表的号码序号应为连续"]]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], merges: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in merges:
            ws.merge_cells(cells)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str, delimiter: str = ",") -> Path:
    text = "\r\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


def write_ods(path: Path, name: str, rows: list[list[object]]) -> Path:
    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{name}">{body}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


# --- OLE2 (CFB) and BIFF8, written by hand: no .xls writer is a project dependency -------------------

END, FREE = 0xFFFFFFFE, 0xFFFFFFFF


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal compound file: one FAT sector, one directory sector, each stream ≥ 4096 bytes."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    bodies = [streams[n].ljust(max(4096, -(-len(streams[n]) // 512) * 512), b"\0") for n in names]
    fat, starts = [0xFFFFFFFD, END], []
    for body in bodies:
        starts.append(len(fat))
        fat += list(range(len(fat) + 1, len(fat) + len(body) // 512)) + [END]
    fat += [FREE] * (128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, FREE, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, FREE, 1, END, 0)]
    entries += [entry(n, 2, i + 2 if i + 1 < len(names) else FREE, FREE, starts[i], len(bodies[i]))
                for i, n in enumerate(names)]
    entries += [entry("", 0, FREE, FREE, 0, 0)] * (4 - len(entries))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<9I", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    return header + struct.pack("<128I", *fat) + b"".join(entries) + b"".join(bodies)


def xls(name: str, rows: list[list[object]]) -> bytes:
    """A BIFF8 workbook (what Excel 97–2003 saves) with one sheet of strings and numbers."""
    def rec(kind: int, data: bytes = b"") -> bytes:
        return struct.pack("<HH", kind, len(data)) + data

    def text(s: str, fmt: str = "<H") -> bytes:
        return struct.pack(fmt, len(s)) + b"\x01" + s.encode("utf-16-le")

    def bof(kind: int) -> bytes:
        return rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    xf = rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    globals_ = bof(5) + rec(0x0042, struct.pack("<H", 1200)) + xf * 16
    sheet = bof(0x10) + rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(map(len, rows)), 0))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, str):
                sheet += rec(0x0204, struct.pack("<HHH", r, c, 15) + text(v))
            elif v is not None:
                sheet += rec(0x0203, struct.pack("<HHHd", r, c, 15, float(v)))  # type: ignore[arg-type]
    sheet += rec(0x000A)
    boundsheet_len = len(rec(0x0085, b"\0" * 6 + text(name, "<B")))
    offset = len(globals_) + boundsheet_len + len(rec(0x000A))
    stream = globals_ + rec(0x0085, struct.pack("<IBB", offset, 0, 0) + text(name, "<B")) + rec(0x000A) + sheet
    return cfb({"Workbook": stream})


# --- cell text ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (None, ""), ("", ""), (" 张三 ", " 张三 "), (13877112345.0, "13877112345"), (771.0, "771"), (771, "771"),
    (2.5, "2.5"), (0.1, "0.1"), (-0.0, "0"), (1e20, "1e+20"), (True, "TRUE"), (False, "FALSE"),
    (dt.date(2015, 11, 13), "2015-11-13"), (dt.datetime(2015, 11, 13, 9, 30), "2015-11-13T09:30:00"),
])
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_cell_text_integral_float_is_the_integer(n: int) -> None:
    assert cell_text(float(n)) == str(int(float(n)))


# --- header --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "expected"), [
    (HOT_HEADER, ["serial", "name", "gender", "unit", "title", "area_code", "landline", "mobile", "remark"]),
    (SYSTEM_HEADER, ["serial", "name", "gender", "unit", "title", "area_code", "landline", "mobile", "postcode"]),
    (["No", "姓\u3000名", "性 别", "单位（注明具体地址）", "职务", "电话区号", "电话", "手机", "邮编"],
     ["serial", "name", "gender", "unit", "title", "area_code", "landline", "mobile", "postcode"]),
    (["序号", "姓名*", "性别", "工作单位", "职 务", "区号", "固定电话", "手机号码(11位)", "说明"],
     ["serial", "name", "gender", "unit", "title", "area_code", "landline", "mobile", "remark"]),
    (["姓名", "手机号", "手机号码"], ["name", "mobile"]),  # a key is taken by its first column only
    (["姓名", "单位", "地址"], ["name", "unit", "unit"]),  # 单位 and 地址 both go to unit, joined
    (["2015年度自治区XX部门XX工作评价抽样框(政府部门)"], []),
])
def test_map_header(cells: list[str], expected: list[str]) -> None:
    assert list(map_header(cells).values()) == expected


def test_find_header_below_title_rows() -> None:
    rows = [["附件3"], ["2015年度…抽样框", ""], ["报送单位:", "", "报送时间:"], HOT_HEADER, ["1", "张三"]]
    found = find_header(rows)
    assert found is not None and found[0] == 3 and found[1][1] == "name"
    assert find_header([["随便写的"], ["张三", "男"]]) is None


# --- reading a frame ------------------------------------------------------------------------------------

def test_template_layout_with_merged_title(tmp_path: Path) -> None:
    rows = frame("2")
    rows[1:2] = [["2015年度自治区人民政府直属行政机构系统市、县"], ["两级干部评价抽样框"]]  # split as in the notice
    path = write_xlsx(tmp_path / "交通厅名单.xlsx", {"Sheet1": rows}, merges=("A2:I2", "A3:I3"))
    (sheet,) = read_file(path)
    assert (sheet.form, sheet.candidates, sheet.findings) == ("2", ("2",), [])
    assert sheet.title == "2015年度自治区人民政府直属行政机构系统市、县两级干部评价抽样框"
    assert sheet.department == "自治区交通运输厅"
    assert sheet.header_row == 5 and sheet.headers == SYSTEM_HEADER
    assert [n for n, _ in sheet.rows] == [6, 10]  # blank, serial-only, filler and notes rows skipped
    assert sheet.rows[0][1] == {"serial": "1", "name": "张三", "gender": "男", "unit": PERSON[3], "title": "局长",
                                "area_code": "772", "landline": "2811111", "mobile": "13877112345",
                                "postcode": "545001"}
    assert sheet.rows[1][1]["area_code"] == "" and sheet.rows[1][1]["mobile"] == "13977112345"


def test_two_row_header_and_unit_address_columns(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [title("3")],
        ["序号", "姓名", "性别", "单位", "地址", "职务", "联系电话", None, None, "备注"],
        [None, None, None, None, None, None, "区号", "办公电话", "手机", None],
        [1, "王五", "男", "桂林市交通局", "桂林市中山路1号", "科员", 773, 2811111, 13977312345, None],
    ]
    path = write_xlsx(tmp_path / "名单.xlsx", {"热点": rows}, merges=("G2:I2",))
    (sheet,) = read_file(path)
    assert sheet.header_row == 3 and sheet.form == "3"
    assert sheet.headers[6:9] == ["区号", "办公电话", "手机"]
    number, record = sheet.rows[0]
    assert number == 4 and record["unit"] == "桂林市交通局 桂林市中山路1号" and record["mobile"] == "13977312345"


WORDS = ["", " ", "序号", "姓名", "性别", "单位", "职务", "手机", "备注", "邮编", "张三", "男", "……", "1", "注：无",
         "填报要求", "附件3", "报送单位:某厅", "xx市xx路xx号", "13877112345"]


@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=9), max_size=25))
def test_any_sheet_reads_without_crashing(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "名单.csv", [[*row, "x"] for row in rows], "utf-8")
        try:
            sheets = read_file(path)
        except ReadError as exc:
            assert "没有任何数据" in exc.message or "是空的" in exc.message
            return
    for sheet in sheets:
        numbers = [n for n, _ in sheet.rows]
        assert numbers == sorted(set(numbers)) and all(n > sheet.header_row for n in numbers)
        assert all(set(record) <= set(sheet.mapping.values()) for _, record in sheet.rows)
        assert (sheet.header_row == 0) == any(f.code == "layout" and "表头行" in f.message for f in sheet.findings)


# --- recognition ------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", list("234567"))
def test_recognised_by_title(tmp_path: Path, form: str) -> None:
    (sheet,) = read_file(write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": frame(form)[1:]}))
    assert (sheet.form, sheet.candidates, sheet.findings) == (form, (form,), [])


@pytest.mark.parametrize(("title_text", "form"), [
    ("2015年度自治区人民政府直属行政机构系统市县两级干部调查抽样框(式样)", "2"),
    ("2015年度自治区XX部门XX工作评价抽样框(政府部门热点、难点工作)", "3"),
    ("2015年度自治区党委群团类单位系统市县两级干部调查抽样框(式样)", "4"),
    ("2015年度自治区XX部门XX工作评价抽样框(党群单位热点、难点工作)", "5"),
    ("2015年度自治区参照公务员法管理的事业单位系统\n市、县两级干部评价抽样框", "6"),
    ("2015年度自治区XX部门XX工作评价抽样框（参公单位热点、难点工作）", "7"),
])
def test_recognise_titles_of_the_attachment_list(title_text: str, form: str) -> None:
    keys = {"name", "gender", "unit", "title"} | ({"postcode"} if form in "24" else set())
    assert recognise(title_text, "名单.xlsx", "Sheet1", keys) == (form, (form,))


@pytest.mark.parametrize(("file_name", "sheet_name", "title_text", "header", "form", "candidates"), [
    ("附件3_交通运输厅.xlsx", "Sheet1", "", HOT_HEADER, "3", ("3",)),  # by file name
    ("名单.xlsx", "附件５", "", HOT_HEADER, "5", ("5",)),  # by sheet name, full-width digit
    ("附件三 名单.xlsx", "Sheet1", "", HOT_HEADER, "3", ("3",)),
    ("名单.xlsx", "Sheet1", "党委群团类单位干部名单", SYSTEM_HEADER, "4", ("4",)),  # kind by title, 2 vs 4 by columns
    ("名单.xlsx", "Sheet1", "参公单位名单", HOT_HEADER, None, ("6", "7")),
    ("名单.xlsx", "Sheet1", "", SYSTEM_HEADER, None, ("2", "4")),  # columns alone
    ("名单.xlsx", "Sheet1", "", HOT_HEADER, None, ("3", "5", "6", "7")),
    ("名单.xlsx", "Sheet1", "", [*HOT_HEADER[:3], "单位(注明具体地址)", *HOT_HEADER[4:]], None, ("2", "4", "6")),
    ("附件3_名单.xlsx", "Sheet1", title("5"), HOT_HEADER, "5", ("5",)),  # the title outranks the name
    ("附件3_名单.xlsx", "附件7", "", HOT_HEADER, "7", ("7",)),  # the sheet name outranks the file name
    ("附件3_名单.xlsx", "Sheet1", "", SYSTEM_HEADER, "3", ("3",)),  # the name outranks the columns
])
def test_recognised_by_name_and_columns(tmp_path: Path, file_name: str, sheet_name: str, title_text: str,
                                        header: list[str], form: str | None, candidates: tuple[str, ...]) -> None:
    rows = [[title_text], header, [*PERSON, "x"]] if title_text else [header, [*PERSON, "x"]]
    (sheet,) = read_file(write_xlsx(tmp_path / file_name, {sheet_name: rows}))
    assert (sheet.form, sheet.candidates) == (form, candidates)
    codes = [(f.code, f.severity) for f in sheet.findings]
    assert codes == ([] if form else [("layout", Severity.WARNING)])


def test_ambiguous_warning_and_form_argument(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [HOT_HEADER, [*PERSON, ""]]})
    (sheet,) = read_file(path)
    (finding,) = sheet.findings
    assert finding.severity is Severity.WARNING and finding.row is None
    assert "可能是附件3、附件5、附件6、附件7" in finding.message and "--form" in finding.message
    assert (finding.file, finding.sheet, finding.form) == (str(path), "Sheet1", "")
    (settled,) = read_file(path, form="5")
    assert (settled.form, settled.candidates, settled.findings, len(settled.rows)) == ("5", ("5",), [], 1)


@pytest.mark.parametrize(("rows", "file_name", "needle"), [
    ([["姓名", "手机号码"], ["张三", "13877112345"]], "名单.xlsx", "“性别”、“单位”、“职务”"),
    ([[title("2")], HOT_HEADER, [*PERSON, ""]], "名单.xlsx", "“邮政编码”"),  # 附件2 by title, no 邮政编码
    ([["人员名单"], ["张三", "男", "柳州"], ["李四", "女", "桂林"]], "名单.xlsx", "找不到表头"),
])
def test_no_fit_is_a_layout_error(tmp_path: Path, rows: list[list[object]], file_name: str, needle: str) -> None:
    (sheet,) = read_file(write_xlsx(tmp_path / file_name, {"Sheet1": rows}))
    (finding,) = sheet.findings
    assert (finding.code, finding.severity, finding.row, finding.sheet) == ("layout", Severity.ERROR, None, "Sheet1")
    assert needle in finding.message and "\n" not in finding.message


def test_sheets_of_a_workbook(tmp_path: Path) -> None:
    sheets = {"附件3": frame("3")[3:], "空表": [], "附件5": frame("5")[3:], "下拉选项": [["男"], ["女"]]}
    path = write_xlsx(tmp_path / "名单.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    wb["下拉选项"].sheet_state = "hidden"
    wb.save(path)
    assert [(s.sheet, s.form) for s in read_file(path)] == [("附件3", "3"), ("附件5", "5")]
    assert [s.sheet for s in read_file(path, sheet="附件5")] == ["附件5"]
    assert [name for name, _ in read_table(path)] == ["附件3", "附件5"]


# --- other formats ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("gb18030", "\t"), ("utf-8-sig", "\t"), ("gbk", ";"),
    ("utf-16", "\t"),  # Excel's “Unicode text”
])
def test_csv(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [[title("3")], HOT_HEADER, [1, "张三", "男", "柳州市交通局", "科长", "0772", "2811111", "13877112345", "无"]]
    (sheet,) = read_file(write_csv(tmp_path / "附件3.csv", rows, encoding, delimiter))
    assert (sheet.form, sheet.header_row, sheet.sheet) == ("3", 2, "附件3")
    assert sheet.rows == [(3, {"serial": "1", "name": "张三", "gender": "男", "unit": "柳州市交通局", "title": "科长",
                                "area_code": "0772", "landline": "2811111", "mobile": "13877112345", "remark": "无"})]


def test_csv_excel_safe_cells_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text('姓名,性别,单位,职务,区号,手机号码\n张三,男,柳州市交通局,科长,="0772"\n', encoding="utf-8")
    (sheet,) = read_file(path, form="7")
    assert sheet.rows[0][1]["area_code"] == "0772" and sheet.rows[0][1]["mobile"] == ""


def test_ods(tmp_path: Path) -> None:
    (sheet,) = read_file(write_ods(tmp_path / "名单.ods", "Sheet1", frame("7")[1:]))
    assert (sheet.form, sheet.department, [n for n, _ in sheet.rows]) == ("7", "自治区交通运输厅", [4, 8])
    assert sheet.rows[0][1]["mobile"] == "13877112345" and sheet.rows[0][1]["area_code"] == "772"


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])  # a real .xls, and one misnamed .xlsx
def test_xls(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"名单{suffix}"
    path.write_bytes(xls("附件6", frame("6")[1:]))
    (sheet,) = read_file(path)
    assert (sheet.sheet, sheet.form, [n for n, _ in sheet.rows]) == ("附件6", "6", [4, 8])
    assert sheet.rows[0][1]["mobile"] == "13877112345" and sheet.rows[0][1]["serial"] == "1"


# --- refusals --------------------------------------------------------------------------------------------

def _encrypted_xlsx() -> bytes:
    return cfb({"EncryptedInfo": b"\x04\x00\x04\x00" + os.urandom(500), "EncryptedPackage": os.urandom(6000)})


def _panicking_xls() -> bytes:
    """A stream that claims to live in the (absent) mini stream: calamine panics in Rust on it."""
    data = bytearray(xls("Sheet1", [["姓名"]]))
    struct.pack_into("<I", data, 512 + 512 + 128 + 120, 100)
    return bytes(data)


def _docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")


@pytest.mark.parametrize(("name", "make", "needle"), [
    ("缺失.xlsx", None, "找不到文件"),
    ("乱码.xlsx", lambda p: p.write_bytes(os.urandom(3000)), "不是有效的表格文件"),
    ("乱码.xls", lambda p: p.write_bytes(os.urandom(3000)), "不是有效的表格文件"),
    ("乱码.ods", lambda p: p.write_bytes(os.urandom(3000)), "不是有效的表格文件"),
    ("坏的.xls", lambda p: p.write_bytes(cfb({"Workbook": b"\x09\x08\xff\xff" + os.urandom(64)})), "不是有效的表格文件"),
    ("恐慌.xls", lambda p: p.write_bytes(_panicking_xls()), "不是有效的表格文件"),
    ("截断.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + os.urandom(100)), "不是有效的表格文件"),
    ("文档.docx", _docx, "不是有效的表格文件"),
    ("乱码.csv", lambda p: p.write_bytes(b"\x00\x01" + os.urandom(300)), "不是有效的表格文件"),
    ("加密.xlsx", lambda p: p.write_bytes(_encrypted_xlsx()), "文件已加密，请在Excel中取消密码后另存为.xlsx再导入"),
    ("加密.xlsm", lambda p: p.write_bytes(_encrypted_xlsx()), "文件已加密"),
    ("空.xlsx", lambda p: p.write_bytes(b""), "是空的"),
    ("空.csv", lambda p: p.write_bytes(b""), "是空的"),
    ("空表.xlsx", lambda p: write_xlsx(p, {"Sheet1": [], "Sheet2": [[None, ""]]}), "没有任何数据"),
    ("空行.csv", lambda p: p.write_text(",,\n,,\n", encoding="utf-8"), "没有任何数据"),
    ("文件夹", lambda p: p.mkdir(), "文件夹"),
])
def test_refusals(tmp_path: Path, name: str, make: object, needle: str) -> None:
    path = tmp_path / name
    if callable(make):
        make(path)
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert needle in caught.value.message
    assert "\n" not in caught.value.message and "Traceback" not in caught.value.message


@pytest.mark.parametrize(("suffix", "sheet"), [(".xlsx", "附件9"), (".csv", "Sheet2")])
def test_unknown_sheet(tmp_path: Path, suffix: str, sheet: str) -> None:
    path = tmp_path / f"名单{suffix}"
    write_xlsx(path, {"附件3": frame("3")}) if suffix == ".xlsx" else write_csv(path, frame("3"), "utf-8")
    with pytest.raises(ReadError, match=f"没有名为“{sheet}”的工作表"):
        read_file(path, sheet=sheet)


def test_form_out_of_range(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": frame("3")})
    with pytest.raises(ReadError, match="附件2到附件7"):
        read_file(path, form="9")


@given(st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-10**16, 10**16).map(float), st.none(),
                          st.text(max_size=3)), min_size=1, max_size=20), st.booleans())
def test_a_column_reads_as_its_cells_read_one_by_one(cells: list[object], numbers_only: bool) -> None:
    from forms.sheets.excel_in import _column_texts

    if numbers_only:
        cells = [c for c in cells if isinstance(c, float)] or [1.0]
    assert _column_texts([[c] for c in cells], 0) == [cell_text(c) for c in cells]


PEOPLE = ["张三", "李四", "注：无", "填报要求", "……", " 王五", "", "合计", "xx"]


@given(st.lists(st.tuples(st.sampled_from(["1", "2", "", "一", "填报要求：", "注："]), st.sampled_from(PEOPLE),
                          st.sampled_from(["", "13877112345"]), st.sampled_from(["", "中山路1号"])), max_size=12))
def test_rows_of_plain_people_are_kept_as_the_row_walk_keeps_them(rows: list[tuple[str, str, str, str]]) -> None:
    """The whole-column shortcut (every row a named person) keeps what walking the rows one by one keeps."""
    from unittest import mock

    from forms.sheets import excel_in

    body = [["表头"], *map(list, rows)]
    mapping = {0: "serial", 1: "name", 2: "mobile", 3: "unit"}
    numbers, table = excel_in._data_rows(body, 1, mapping)
    with mock.patch.object(excel_in, "_all_plain_people", return_value=False):
        walked_numbers, walked = excel_in._data_rows(body, 1, mapping)
    assert (numbers, table.dicts()) == (walked_numbers, walked.dicts())
    assert all(len(column) == len(numbers) for column in table.columns.values())


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_file_in_memory_reads_as_the_file_on_disk(tmp_path: Path, suffix: str) -> None:
    from forms.sheets.excel_in import read_bytes
    from tests.e2e.messy import write_hot

    path = write_hot(tmp_path / "附件3_热点.xlsx")
    if suffix == ".csv":
        rows = read_table(path)[0][1]
        path = tmp_path / "附件3_热点.csv"
        path.write_text("\n".join(",".join(cell_text(v) for v in row) for row in rows), encoding="gbk")
    on_disk = read_file(path)
    in_memory = read_bytes(path.name, path.read_bytes())
    assert [(s.form, s.numbers, s.rows) for s in in_memory] == [(s.form, s.numbers, s.rows) for s in on_disk]
    with pytest.raises(ReadError, match="空的"):
        read_bytes("附件3.xlsx", b"")
    with pytest.raises(ReadError):
        read_bytes("附件3.xlsx", b"PK\x03\x04garbage")
