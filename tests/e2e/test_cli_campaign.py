"""`new --campaign FILE.json`: a workspace for another year, its files titled with that year; a bad file, exit 2."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.e2e.test_cli_check import main_py
from tests.forms.campaign_2016 import write_2016


def test_a_2016_workspace_from_a_campaign_file_exports_2016_titles(tmp_path: Path) -> None:
    source = write_2016(tmp_path / "通知2016.json")
    ws = str(tmp_path / "w.baosong")

    made = main_py("new", ws, "--department", "自治区测试厅", "--kind", "gov", "--category", "专项事务管理",
                   "--campaign", str(source))

    assert made.returncode == 0, made.stderr
    assert "2016年度，桂绩办发〔2016〕28号" in made.stdout
    source.unlink()  # the workspace keeps its own copy
    out = tmp_path / "out"
    assert main_py("export", ws, "--out", str(out)).returncode == 0
    [frame] = out.glob("附件2_*.xlsx")
    sheet = load_workbook(frame).active
    assert sheet.cell(1, 1).value == "2016年度自治区人民政府直属行政机构系统市、县两级干部评价抽样框"


def test_a_bad_campaign_file_is_refused_in_chinese_and_no_workspace_is_left(tmp_path: Path) -> None:
    source = write_2016(tmp_path / "通知.json", lambda d: d.update(year=16000))
    ws = tmp_path / "w.baosong"
    result = main_py("new", str(ws), "--department", "自治区测试厅", "--kind", "gov", "--campaign", str(source))
    assert result.returncode == 2
    assert "“year”（年度）“16000”不是合理的年份，请填写如 2016。" in result.stderr
    assert "Traceback" not in result.stderr and not ws.exists()
