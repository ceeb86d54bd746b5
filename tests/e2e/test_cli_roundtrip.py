"""new → import of a messy frame → export: the exported file has the exact template, and reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.notice import campaign
from forms.notice.attachments import FRAME_FORMS
from forms.sheets.excel_in import read_file
from tests.e2e import messy
from tests.e2e.test_cli_check import main_py

DEPARTMENT = "自治区交通运输厅"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("测试 文件夹") / "子目录"
    folder.mkdir()
    ws = folder / "交通厅.baosong"
    source = messy.write_hot(folder / "热点.xlsx")
    steps = [
        ("new", str(ws), "--department", DEPARTMENT, "--kind", "gov", "--category", "经济管理类"),
        ("import", str(ws), str(source), "--form", "3", "--item", "公路建设"),
        ("export", str(ws), "--out", str(folder / "out")),
    ]
    for args in steps:
        result = main_py(*args)
        assert result.returncode == 0, (args, result.stderr)
    [path] = (folder / "out").glob("附件3_*.xlsx")
    return path, source


def test_file_name_names_the_attachment_department_and_item(exported: tuple[Path, Path]) -> None:
    path, _ = exported
    expected = campaign.load().file_name("3", DEPARTMENT, "公路建设")
    assert path.name in (expected, expected.replace(".xlsx", "_未完成.xlsx"))
    assert path.name.startswith(f"附件3_{DEPARTMENT}_公路建设")


def test_exact_template(exported: tuple[Path, Path]) -> None:
    sheet = load_workbook(exported[0]).active
    assert sheet["A1"].value == "2015年度自治区交通运输厅公路建设工作评价抽样框(政府部门)"
    assert any(str(r).startswith("A1:") for r in sheet.merged_cells.ranges)
    assert DEPARTMENT in str(sheet["A2"].value) and "报送单位" in str(sheet["A2"].value)
    assert any("报送时间" in str(c.value) for c in sheet[2] if c.value)
    assert [c.value for c in sheet[3]] == list(FRAME_FORMS["3"].headers)
    data = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in data] == list(range(1, len(data) + 1))
    assert len(data) == len(messy.HOT_ROWS)


def test_phones_are_text_with_their_zeros(exported: tuple[Path, Path]) -> None:
    sheet = load_workbook(exported[0]).active
    headers = [c.value for c in sheet[3]]
    mobile, area = headers.index("手机号码") + 1, headers.index("区号") + 1
    cells = [sheet.cell(row=r, column=mobile) for r in range(4, sheet.max_row + 1)]
    assert all(c.data_type == "s" for c in cells if c.value)
    # 李四's Liuzhou mobile carries its 0; 张三's Nanning one does not; 772 typed as a number is 0772.
    values: dict[str, str] = {}
    for r in range(4, sheet.max_row + 1):
        values.setdefault(sheet.cell(row=r, column=2).value, sheet.cell(row=r, column=mobile).value)
    assert values["李四"] == "013978012345" and values["张三"] == "13877112345"
    assert values["刘强"] == "013978012349"  # the missing 0 the check reported is written by the exporter
    assert sheet.cell(row=5, column=area).value == "0772"


def test_export_then_import_gives_the_same_rows(exported: tuple[Path, Path]) -> None:
    [sheet] = read_file(exported[0])
    assert sheet.form == "3"
    names = [raw.get("name", "") for _r, raw in sheet.rows]
    assert names == [values[1] for values, _code in messy.HOT_ROWS]


def test_print_setup(exported: tuple[Path, Path]) -> None:
    sheet = load_workbook(exported[0]).active
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.print_title_rows
