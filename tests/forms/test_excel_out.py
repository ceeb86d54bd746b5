"""Exported frames (附件2–7) and 附件8, checked by opening the produced files with openpyxl and calamine."""

from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from forms.notice.attachments import FRAME_FORMS
from forms.notice.campaign import Campaign, load
from forms.sheets import excel_out, xlsx_rows
from forms.sheets.contacts_xlsx import export_contacts_xlsx
from forms.sheets.excel_out import (
    WRAP_CAP,
    ExportCancelled,
    ExportError,
    display_width,
    export_frame,
)

FORMS = sorted(FRAME_FORMS)
DEPARTMENT = "自治区交通运输厅"
ITEM = "农村公路建设工作"
DATE = dt.date(2015, 11, 10)
LONG_UNIT = "南宁市青秀区民族大道" + "某某" * 40 + "号"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load("2015")


def person(i: int, **extra: str) -> dict[str, str]:
    row = {"serial": "x" if i % 2 else "99", "name": f"张{i}", "gender": "男" if i % 2 else "女",
           "unit": f"南宁市民族大道{i}号某某局", "title": "科长", "area_code": "0771",
           "landline": f"28{i:05d}", "mobile": "013877112345", "postcode": "530022", "remark": f"备注{i}"}
    row.update(extra)
    return row


def sample_rows() -> list[dict[str, str]]:
    return [person(1), person(2, unit=LONG_UNIT, landline="", remark=""), person(3, area_code="0772")]


def export(tmp_path: Path, campaign: Campaign, form: str, rows: Any = None, **kw: Any) -> Path:
    rows = sample_rows() if rows is None else rows
    return export_frame(tmp_path, campaign, form, DEPARTMENT, rows, item=ITEM, date=DATE, **kw)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~"))


# ------------------------------------------------------------------------------------------ layout


@pytest.mark.parametrize("form", FORMS)
def test_title_row(tmp_path: Path, campaign: Campaign, form: str) -> None:
    ws = load_workbook(export(tmp_path, campaign, form))[f"附件{form}"]
    last = chr(ord("A") + len(FRAME_FORMS[form].columns) - 1)
    assert ws["A1"].value == campaign.title(form, DEPARTMENT, ITEM)
    assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14
    assert ws["A1"].alignment.horizontal == "center"
    assert ws.row_dimensions[1].height > 20


@pytest.mark.parametrize("form", FORMS)
def test_department_and_date_row(tmp_path: Path, campaign: Campaign, form: str) -> None:
    ws = load_workbook(export(tmp_path, campaign, form)).active
    texts = [c.value for c in ws[2] if c.value]
    assert texts == [f"报送单位:{DEPARTMENT}", "报送时间:2015年11月10日"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:E2", f"F2:{chr(ord('A') + ws.max_column - 1)}2"} <= merged


@pytest.mark.parametrize("form", FORMS)
def test_header_row_is_the_declared_headers(tmp_path: Path, campaign: Campaign, form: str) -> None:
    ws = load_workbook(export(tmp_path, campaign, form)).active
    header = list(ws[3])
    assert tuple(c.value for c in header) == FRAME_FORMS[form].headers
    for cell in header:
        assert cell.font.b
        assert cell.alignment.horizontal == "center"
        assert cell.border.left.style == cell.border.bottom.style == "thin"
        assert cell.fill.fgColor.rgb.endswith("D9D9D9")


@pytest.mark.parametrize("form", FORMS)
def test_serials_are_renumbered_from_one(tmp_path: Path, campaign: Campaign, form: str) -> None:
    rows = [person(i, serial=s) for i, s in enumerate(["7", "", "abc", "7"], 1)]
    ws = load_workbook(export(tmp_path, campaign, form, rows)).active
    assert [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)] == [1, 2, 3, 4]
    assert all(ws.cell(r, 1).data_type == "n" for r in range(4, 8))


@pytest.mark.parametrize("form", FORMS)
def test_phone_columns_are_text_with_leading_zeros(tmp_path: Path, campaign: Campaign, form: str) -> None:
    ws = load_workbook(export(tmp_path, campaign, form)).active
    frame = FRAME_FORMS[form]
    text_columns = [i for i, c in enumerate(frame.columns, 1) if c.text]
    assert {frame.columns[i - 1].key for i in text_columns} >= {"area_code", "landline", "mobile"}
    for row in range(4, 7):
        for col in text_columns:
            assert ws.cell(row, col).number_format == "@"
            if ws.cell(row, col).value is not None:
                assert ws.cell(row, col).data_type == "s"
    assert ws.cell(4, frame.keys.index("area_code") + 1).value == "0771"
    assert ws.cell(4, frame.keys.index("mobile") + 1).value == "013877112345"


@pytest.mark.parametrize("form", FORMS)
def test_data_cells_have_thin_borders(tmp_path: Path, campaign: Campaign, form: str) -> None:
    ws = load_workbook(export(tmp_path, campaign, form)).active
    for cell in ws[5]:  # row 5 has blank cells too: they must be bordered like the rest
        assert cell.border.top.style == cell.border.right.style == "thin"


@pytest.mark.parametrize("form", FORMS)
def test_note_becomes_a_comment_on_the_name(tmp_path: Path, campaign: Campaign, form: str) -> None:
    note = "该同志同时在两个单位任职，已核实"
    ws = load_workbook(export(tmp_path, campaign, form, notes={1: note})).active
    name_col = FRAME_FORMS[form].keys.index("name") + 1
    comment = ws.cell(5, name_col).comment
    assert comment is not None and comment.text == note and comment.author == "报送助手"
    assert ws.cell(4, name_col).comment is None and ws.cell(6, name_col).comment is None


@pytest.mark.parametrize("form", FORMS)
def test_print_set_up(tmp_path: Path, campaign: Campaign, form: str) -> None:
    ws = load_workbook(export(tmp_path, campaign, form)).active
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"
    assert ws.print_options.horizontalCentered
    assert ws.page_margins.left < 0.7
    assert ws.freeze_panes == "A4"


@pytest.mark.parametrize("form", FORMS)
def test_widths_fit_declared_and_content(tmp_path: Path, campaign: Campaign, form: str) -> None:
    ws = load_workbook(export(tmp_path, campaign, form)).active
    for idx, column in enumerate(FRAME_FORMS[form].columns, 1):
        width = ws.column_dimensions[chr(ord("A") + idx - 1)].width
        assert width >= column.width
        assert width >= display_width(column.header)
    index = FRAME_FORMS[form].keys.index("unit")
    unit = ws.column_dimensions[chr(ord("A") + index)].width
    declared = FRAME_FORMS[form].columns[index].width
    assert unit == max(declared, WRAP_CAP["unit"])  # the long address widens it, up to the cap


def test_width_follows_the_longest_value_up_to_its_cap(tmp_path: Path, campaign: Campaign) -> None:
    rows = [person(1, title="办公室副主任"), person(2, title="自治区党委某某办公室副主任兼综合科科长")]  # 19 → 38
    ws = load_workbook(export(tmp_path, campaign, "3", rows)).active
    assert ws.column_dimensions["E"].width == WRAP_CAP["title"]  # capped: the long one wraps
    assert ws["E5"].alignment.wrap_text
    assert ws.row_dimensions[5].height >= 2 * excel_out.LINE_HEIGHT  # its row is tall enough for 2 lines


def test_one_long_remark_does_not_shrink_the_whole_print(tmp_path: Path, campaign: Campaign) -> None:
    """附件6 with one 28-character 备注: the sheet stays within A4 landscape's width at 100 %, so
    Excel's fit-to-width does not shrink every row (it printed at 68 %)."""
    rows = [person(1), person(2, remark="该同志为本系统驻南宁市某某区某某街道办事处联络点负责人员")]
    ws = load_workbook(export(tmp_path, campaign, "6", rows)).active
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(FRAME_FORMS["6"].columns))]
    assert sum(widths) <= 135  # A4 landscape's printable width in Excel's character units (Calibri 11)
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0  # fit the width only


@pytest.mark.parametrize("form", FORMS)
def test_file_and_sheet_names(tmp_path: Path, campaign: Campaign, form: str) -> None:
    path = export(tmp_path, campaign, form)
    assert path == tmp_path / campaign.file_name(form, DEPARTMENT, ITEM)
    assert load_workbook(path).sheetnames == [f"附件{form}"]
    assert leftovers(tmp_path) == []


def test_explicit_file_path_is_used_as_given(tmp_path: Path, campaign: Campaign) -> None:
    target = tmp_path / "抽样框.xlsx"
    assert export_frame(target, campaign, "2", DEPARTMENT, sample_rows(), date=DATE) == target
    assert target.is_file()


@pytest.mark.parametrize("form", FORMS)
def test_calamine_reads_back_the_input(tmp_path: Path, campaign: Campaign, form: str) -> None:
    rows = sample_rows()
    sheet = CalamineWorkbook.from_path(str(export(tmp_path, campaign, form, rows))).get_sheet_by_name(f"附件{form}")
    got = sheet.to_python()
    keys = FRAME_FORMS[form].keys
    assert got[2] == list(FRAME_FORMS[form].headers)
    expected = [[float(i), *(r.get(k, "") for k in keys[1:])] for i, r in enumerate(rows, 1)]
    assert got[3:] == expected


def test_formula_and_error_lookalikes_stay_text(tmp_path: Path, campaign: Campaign) -> None:
    rows = [person(1, unit="=HYPERLINK(\"x\")", title="#N/A", remark="=1+1")]
    ws = load_workbook(export(tmp_path, campaign, "3", rows)).active
    assert [(ws.cell(4, c).value, ws.cell(4, c).data_type) for c in (4, 5, 9)] == [
        ('=HYPERLINK("x")', "s"), ("#N/A", "s"), ("=1+1", "s")]


def test_control_characters_and_non_text_values_are_written_as_text(tmp_path: Path, campaign: Campaign) -> None:
    rows: list[dict[str, Any]] = [person(1, name="王\x07五", landline=2811111)]  # type: ignore[arg-type]
    ws = load_workbook(export(tmp_path, campaign, "2", rows)).active
    assert ws["B4"].value == "王五"
    assert (ws["G4"].value, ws["G4"].data_type) == ("2811111", "s")


def test_empty_frame_has_the_template_rows(tmp_path: Path, campaign: Campaign) -> None:
    ws = load_workbook(export(tmp_path, campaign, "5", [])).active
    assert ws.max_row == 3
    assert tuple(c.value for c in ws[3]) == FRAME_FORMS["5"].headers


def test_generator_input_is_accepted(tmp_path: Path, campaign: Campaign) -> None:
    ws = load_workbook(export(tmp_path, campaign, "4", (person(i) for i in range(1, 6)))).active
    assert ws.max_row == 8


def sheet_xml(folder: Path, campaign: Campaign, rows: list[dict[str, Any]], notes: dict[int, str]) -> bytes:
    """The exported sheet's XML in canonical form (`<c/>` and `<c></c>` are the same element)."""
    folder.mkdir()
    path = export(folder, campaign, "7", rows, notes=notes)
    with zipfile.ZipFile(path) as zf:
        return etree.tostring(etree.fromstring(zf.read("xl/worksheets/sheet1.xml")), method="c14n")


HOSTILE = [person(1), person(2, unit=LONG_UNIT, landline=""), person(3, remark=" a&b <c> \"q\" 'x'\r\n "),
           person(4, unit="=SUM(A1)", title="#N/A", remark="\t前后\u3000"), person(5, name="王\x07五", mobile=""),
           person(6, remark="长" * 40000), person(7, title="", unit="", remark="&amp;&#13;")]


@pytest.mark.parametrize("notes", [{}, {0: "说明", 3: "另一条"}])
def test_fast_rows_write_the_same_sheet_as_openpyxl_own_path(tmp_path: Path, campaign: Campaign,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              notes: dict[int, str]) -> None:
    fast = sheet_xml(tmp_path / "fast", campaign, HOSTILE, notes)
    monkeypatch.setattr(xlsx_rows, "FAST_ROWS", False)
    assert sheet_xml(tmp_path / "standard", campaign, HOSTILE, notes) == fast


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({k: st.text(max_size=12) for k in ("name", "unit", "landline", "remark")}),
                min_size=1, max_size=6))
def test_fast_rows_equal_openpyxl_own_path_on_any_text(tmp_path: Path, campaign: Campaign,
                                                       rows: list[dict[str, Any]]) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    fast = sheet_xml(folder / "fast", campaign, rows, {})
    xlsx_rows.FAST_ROWS = False
    try:
        assert sheet_xml(folder / "standard", campaign, rows, {}) == fast
    finally:
        xlsx_rows.FAST_ROWS = True


def test_fast_rows_keep_every_value(tmp_path: Path, campaign: Campaign) -> None:
    rows = [dict(r) for r in HOSTILE]
    got = CalamineWorkbook.from_path(str(export(tmp_path, campaign, "7", rows))).get_sheet_by_index(0).to_python()
    assert got[5][8] == rows[2]["remark"]  # the CR too: a parser would have turned a bare one into LF
    assert got[6][3:5] == ["=SUM(A1)", "#N/A"]
    assert got[8][8] == "长" * excel_out.MAX_CELL_TEXT
    assert got[9][8] == "&amp;&#13;"


# ------------------------------------------------------------------------------------------ progress and cancel


def test_progress_reports_every_thousand_rows(tmp_path: Path, campaign: Campaign) -> None:
    seen: list[int] = []
    rows = [person(i) for i in range(1, 2501)]
    export(tmp_path, campaign, "3", rows, progress=lambda n: seen.append(n) is None)
    assert seen == [1000, 2000, 2500]


def test_progress_returning_none_does_not_cancel(tmp_path: Path, campaign: Campaign) -> None:
    path = export(tmp_path, campaign, "3", [person(i) for i in range(1, 1200)], progress=lambda n: None)  # type: ignore[arg-type,return-value]
    assert path.is_file()


def test_cancel_leaves_no_file(tmp_path: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "system-temp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where openpyxl streams the sheet
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportCancelled):
        export(out, campaign, "2", [person(i) for i in range(1, 3001)], progress=lambda n: n < 2000)
    assert list(out.iterdir()) == []
    assert list(scratch.iterdir()) == []


def test_cancel_keeps_an_older_file(tmp_path: Path, campaign: Campaign) -> None:
    target = tmp_path / campaign.file_name("2", DEPARTMENT, ITEM)
    target.write_bytes(b"older")
    with pytest.raises(ExportCancelled):
        export(tmp_path, campaign, "2", [person(i) for i in range(1, 1001)], progress=lambda n: False)
    assert target.read_bytes() == b"older"
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------------------------------ atomic write, errors


def failing_replace(exc: OSError) -> Any:
    def replace(src: Any, dst: Any) -> None:
        raise exc
    return replace


def test_disk_full_leaves_no_temp_file(tmp_path: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / campaign.file_name("2", DEPARTMENT, ITEM)
    target.write_bytes(b"older")
    monkeypatch.setattr(os, "replace", failing_replace(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(ExportError) as info:
        export(tmp_path, campaign, "2")
    assert "磁盘已满" in info.value.message and str(target) in info.value.message
    assert info.value.path == target
    assert leftovers(tmp_path) == []
    assert target.read_bytes() == b"older"


def test_file_open_in_excel(tmp_path: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / campaign.file_name("3", DEPARTMENT, ITEM)).write_bytes(b"open in Excel")
    monkeypatch.setattr(os, "replace", failing_replace(PermissionError(errno.EACCES, "Permission denied")))
    with pytest.raises(ExportError) as info:
        export(tmp_path, campaign, "3")
    assert "正被其他程序（如Excel）打开" in info.value.message
    assert leftovers(tmp_path) == []


def test_folder_not_writable(tmp_path: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = open

    def refuse(file: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
        if "x" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, mode, *args, **kw)

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(ExportError) as info:
        export(tmp_path, campaign, "2")
    assert "没有写入该文件夹的权限" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_missing_folder(tmp_path: Path, campaign: Campaign) -> None:
    with pytest.raises(ExportError) as info:
        export_frame(tmp_path / "不存在" / "a.xlsx", campaign, "2", DEPARTMENT, sample_rows())
    assert "不存在" in info.value.message


def test_a_bug_is_not_dressed_as_a_user_error(tmp_path: Path, campaign: Campaign,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", failing_replace(RuntimeError("bug")))  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        export(tmp_path, campaign, "2")
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------------------------------ 附件8

CONTACTS = {"liaison_name": "王五", "liaison_title": "办公室主任", "liaison_phone": "0771-2811111",
            "liaison_mobile": "013877112345", "secretary_name": "赵六", "secretary_title": "党组书记、厅长",
            "head_same_as_secretary": "1", "head_name": "", "head_title": ""}


def contacts_values(path: Path) -> list[list[Any]]:
    ws = load_workbook(path)["附件8"]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_contacts_layout(tmp_path: Path, campaign: Campaign) -> None:
    path = export_contacts_xlsx(tmp_path, campaign, DEPARTMENT, CONTACTS)
    assert path == tmp_path / campaign.file_name("8", DEPARTMENT)
    rows = contacts_values(path)
    assert rows[0][0] == campaign.title("8")
    assert rows[1][0] == f"填报单位(盖章):{DEPARTMENT}"
    assert not any("填报时间" in str(value) for row in rows for value in row)  # the notice's form has none
    assert rows[2][:3] == ["本单位负责此项工作的联络员", "姓名及职务", "王五 办公室主任"]
    assert rows[3][1:] == ["联系电话", "办公电话:0771-2811111", "手机:013877112345"]
    assert rows[4][:3] == ["本单位主要领导情况", "姓名及职务", "赵六 党组书记、厅长"]
    assert rows[5][0] == "注:如党组(委)书记和行政首长不是同一人,请分别填写"
    ws = load_workbook(path).active
    assert {"A1:D1", "A3:A4", "C3:D3"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["D3"].border.right.style == "thin"  # the merged answer is boxed all round
    assert ws.page_setup.paperSize == 9


def test_contacts_secretary_and_head_apart(tmp_path: Path, campaign: Campaign) -> None:
    contacts = CONTACTS | {"head_same_as_secretary": "", "secretary_title": "党组书记",
                           "head_name": "钱七", "head_title": "厅长"}
    rows = contacts_values(export_contacts_xlsx(tmp_path, campaign, DEPARTMENT, contacts))
    assert rows[4][1:3] == ["姓名及职务", "赵六 党组书记"]
    assert rows[5][1:3] == ["姓名及职务", "钱七 厅长"]
    assert "A5:A6" in {str(r) for r in load_workbook(tmp_path / campaign.file_name("8", DEPARTMENT))
                       .active.merged_cells.ranges}
    assert rows[6][0].startswith("注:")


def test_contacts_write_is_atomic(tmp_path: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", failing_replace(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(ExportError):
        export_contacts_xlsx(tmp_path, campaign, DEPARTMENT, CONTACTS)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------ helpers


@pytest.mark.parametrize(("text", "width"), [("", 0), ("0771", 4), ("张三", 4), ("南宁市1号", 9), ("（）", 4)])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


@pytest.mark.parametrize("fast", [True, False])
def test_characters_xml_forbids_are_left_out_not_a_failed_export(tmp_path: Path, campaign: Campaign,
                                                                 monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    monkeypatch.setattr(xlsx_rows, "FAST_ROWS", fast)
    rows = [person(1, remark="a\ufffeb\uffffc\ud800d")]
    got = CalamineWorkbook.from_path(str(export(tmp_path, campaign, "7", rows))).get_sheet_by_index(0).to_python()
    assert got[3][8] == "abcd"
