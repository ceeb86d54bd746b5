"""A department and a work item of 30 characters each (the most a part keeps) made a frame's file name too long,
and the cut took its end: `附件3_…_…工作.xlsx`, without 评价抽样框 and without `_未完成`, so an unfinished frame
looked finished; the questionnaire lost `未完成` the same way. The middle of the name goes instead."""

from __future__ import annotations

from pathlib import Path

from forms.base import filenames
from tests.e2e.test_cli_check import main_py

LONG = "广西壮族自治区新闻出版广电局版权局直属机关事务服务中心"  # 26 characters


def test_a_long_department_and_item_keep_the_unfinished_mark_and_the_kind(tmp_path: Path) -> None:
    ws, frame = tmp_path / "w.baosong", tmp_path / "附件3.csv"
    frame.write_text("序号,姓名,性别,单位,职务,区号,办公电话,手机号码,备注\n1,张三,男,南宁市民族大道1号,科长,0771,2811111,13877112345,\n",
                     encoding="utf-8")
    department, item = LONG + "厅厅厅厅", LONG + "征地拆迁"
    assert main_py("new", str(ws), "--department", department, "--kind", "gov").returncode == 0
    assert main_py("import", str(ws), str(frame), "--form", "3", "--item", item).returncode == 0
    result = main_py("export", str(ws), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert [n for n in names if n.startswith("附件3_") and n.endswith("评价抽样框_未完成.xlsx")], names
    assert len([n for n in names if "评议问卷_未完成." in n]) == 2, names  # .docx and .pdf
    assert all(len(n.encode()) <= filenames.MAX_NAME_BYTES for n in names), names


def test_a_cut_name_keeps_its_start_and_its_end() -> None:
    name = filenames.safe_file_name("附件3_" + "局" * 30 + "_" + "局" * 30 + "工作评价抽样框_未完成.xlsx")
    assert name.startswith("附件3_局") and name.endswith("局工作评价抽样框_未完成.xlsx") and "…" in name
    assert len(name.encode()) <= filenames.MAX_NAME_BYTES
