"""Merging departments' checked frames: every row once, 报送单位 added, duplicates across departments named,
nothing a department typed turned into a formula."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from forms.notice import campaign
from forms.notice.attachments import FRAME_FORMS
from forms.sheets.excel_in import read_bytes
from forms.tasks.check import check_sheets
from forms.tasks.intake_merge import Submission, cross_department_duplicates, merged_rows, write_merged
from tests.e2e.messy import write_hot


def submission(tmp_path: Path, department: str, hostile: str = "") -> Submission:
    path = write_hot(tmp_path / f"{department}.xlsx")
    sheets = read_bytes(path.name, path.read_bytes())
    if hostile:
        sheets[0].table.columns["remark"] = [hostile] * len(sheets[0].table)
    return Submission(department, sheets, check_sheets(sheets))


def test_merged_count_is_the_sum_and_formulas_stay_text(tmp_path: Path) -> None:
    subs = [submission(tmp_path, "甲厅", "=HYPERLINK(\"http://x\")"), submission(tmp_path, "乙厅", "+1-2@3")]
    merged = merged_rows(subs)
    form = next(iter(merged))
    counts = [sum(len(s.numbers) for s in sub.sheets if s.form == form) for sub in subs]
    assert len(merged[form]) == sum(counts) > 0
    cross = cross_department_duplicates(merged)  # the same file twice: every valid mobile is in both
    assert cross["甲厅"] and all(f.code == "duplicate-across-departments" and "乙厅" in f.message for f in cross["甲厅"])
    path = write_merged(tmp_path, campaign.load(), form, merged[form], {s.department: s.result.findings for s in subs})
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[3]]
    assert header[-1] == "报送单位" and header[:-1] == list(FRAME_FORMS[form].headers)
    remarks = [sheet.cell(row=r, column=header.index("备注") + 1) for r in range(4, sheet.max_row + 1)]
    assert {c.value for c in remarks} == {"=HYPERLINK(\"http://x\")", "+1-2@3"}
    assert all(c.data_type == "s" for c in remarks)
    with zipfile.ZipFile(path) as zf:
        assert b"<f>" not in b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets"))
    problems = list(book.worksheets[1].iter_rows(min_row=4, values_only=True))
    assert problems and {p[2] for p in problems} <= {"甲厅", "乙厅"}


def test_only_mobiles_in_two_departments_are_named_with_the_others_in_merged_order() -> None:
    from forms.tasks.intake_merge import MergedRow

    def row(n: int, department: str, form: str, mobile: str, name: str) -> MergedRow:
        return MergedRow(n, department, form, {"mobile": mobile, "name": name}, f"{department}.xlsx", "表", n + 3)

    merged = {"2": [row(1, "甲厅", "2", "13877112345", "张三"), row(2, "甲厅", "2", "013978012345", "李四"),
                    row(3, "乙厅", "2", "13978012345", "李四")],
              "3": [row(1, "甲厅", "3", "13877112345", "张三"), row(2, "丙厅", "3", "13877112345", "张叁"),
                    row(3, "乙厅", "3", "", "王五"), row(4, "丙厅", "3", "", "赵六")]}
    cross = cross_department_duplicates(merged)
    assert sorted(cross) == ["丙厅", "乙厅", "甲厅"]  # 13877112345 twice in 甲厅 alone would be its own error
    assert [(f.form, f.row) for f in cross["甲厅"]] == [("2", 4), ("3", 4), ("2", 5)]  # by mobile, then merged order
    [c] = cross["丙厅"]
    assert "甲厅" in c.message and "附件2第4行 张三" in c.message and "附件3第4行 张三" in c.message
    assert [(f.form, f.row) for f in cross["乙厅"]] == [("2", 6)] and "附件2第5行 李四" in cross["乙厅"][0].message
