"""Issue 13 item 10: each small hostile case reported as what it is, in Chinese, never as 已损坏 or a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forms.base.findings import ECHOED
from forms.sheets import excel_in
from forms.sheets.excel_in import ReadError
from forms.tasks.check import check_files
from tests.hostile.files import HEADER, ROOT, assert_refused, frame, main_py, patch_sheet
from tests.hostile.files import name as person_name

DAMAGED = "损坏"


def _csv(path: Path, rows: list[list[str]]) -> Path:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _person(n: int, name: str = "", unit: str = "南宁市民族大道1号", mobile: str = "") -> list[str]:
    return [str(n), name or person_name(n), "男", unit, "科长", "0771", "2811111", mobile or f"1387711{n:04d}", ""]


def _check(*paths: Path, form: str = "3") -> list[dict[str, object]]:
    result = main_py("check", *map(str, paths), "--json", "--form", form, "--category", "监督与执法类")
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "部门.baosong"
    assert main_py("new", str(ws), "--department", "自治区测试厅", "--kind", "gov",
                   "--category", "经济管理类").returncode == 0
    return ws


def test_a_csv_cell_over_128_kib_is_read_and_reported_too_long(tmp_path: Path) -> None:
    path = _csv(tmp_path / "附件3.csv", [_person(1, unit="南宁市民族大道1号" + "很" * 140_000), _person(2)])
    found = _check(path)
    long = [f for f in found if f["code"] == "too-long"]
    assert [(f["row"], f["column"]) for f in long] == [(2, "单位")], found
    assert "32767" in str(long[0]["message"]) and len(str(long[0]["message"])) < 300
    assert all(DAMAGED not in str(f["message"]) for f in found)


@pytest.mark.parametrize("command", ["check", "import"])
@pytest.mark.parametrize(("case", "words"), [("long-path", ("路径太长",)), ("long-name", ("文件名", "太长")),
                                             ("loop", ("循环",))])
def test_paths_the_system_refuses_are_named_for_what_they_are(tmp_path: Path, command: str, case: str,
                                                              words: tuple[str, ...]) -> None:
    if case == "long-path":
        path = str(tmp_path) + "/" + "/".join(["目录名字" * 10] * 40) + "/附件3.xlsx"
        assert len(path.encode()) > 4096
    elif case == "long-name":
        path = str(tmp_path / ("名单" * 50 + ".xlsx"))
        assert len(Path(path).name.encode()) > 255
    else:
        os.symlink("附件3.xlsx", tmp_path / "附件3.xlsx")
        path = str(tmp_path / "附件3.xlsx")
    args = ["check", path] if command == "check" else ["import", str(_workspace(tmp_path)), path, "--form", "3"]
    result = main_py(*args)
    assert_refused(result, *words)
    assert DAMAGED not in result.stderr


def test_a_broken_pipe_is_no_disk_problem(tmp_path: Path) -> None:
    path = _csv(tmp_path / "附件3.csv", [_person(n, mobile="12345") for n in range(1, 3000)])
    script = f'{sys.executable} {ROOT / "main.py"} check {path} | head -1; echo "status=${{PIPESTATUS[0]}}" >&2'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.stdout.count("\n") == 1
    assert "磁盘" not in result.stderr and "Traceback" not in result.stderr and "Exception" not in result.stderr
    assert "status=1" in result.stderr, result.stderr  # the check's own verdict: errors found


def test_a_formula_without_its_result_is_said_so_not_reported_empty(tmp_path: Path) -> None:
    path = frame(tmp_path / "附件3.xlsx", rows=2)  # data rows 3 and 4; 姓名 of row 4 becomes a bare formula
    patch_sheet(path, lambda data: data.replace(b'<c r="B4" t="inlineStr"><is><t>', b'<c r="B4"><f>A1&amp;"x"</f>'
                                                b'</c><c r="Z9" t="inlineStr"><is><t>', 1))
    found = [f for f in _check(path) if f["row"] == 4]
    assert [f["code"] for f in found if f["column"] == "姓名"] == ["layout"], found
    assert "公式没有计算结果，请在Excel中打开后保存" in str(found[0]["message"]) and "B4" in str(found[0]["message"])


def test_data_on_a_hidden_sheet_is_not_ignored_silently(tmp_path: Path) -> None:
    path = frame(tmp_path / "附件3.xlsx", rows=2, sheets={"备用名单": [HEADER, _person(9)]}, hidden=("备用名单",))
    found = _check(path)
    hidden = [f for f in found if "备用名单" in str(f["message"])]
    assert len(hidden) == 1 and hidden[0]["severity"] == "warning" and "取消隐藏" in str(hidden[0]["message"])


def test_only_hidden_sheets_say_so(tmp_path: Path) -> None:
    path = frame(tmp_path / "附件3.xlsx", rows=0, sheets={"名单": [HEADER, _person(9)]}, hidden=("名单",))
    patch_sheet(path, lambda data: data.replace(b"<sheetData>", b"<sheetData/>").split(b"<sheetData/>")[0]
                + b"<sheetData/></worksheet>")
    with pytest.raises(ReadError, match="隐藏"):
        excel_in.read_file(path)


def test_a_statistics_sheet_gets_no_minimum_and_duplicates_name_the_other_sheet(tmp_path: Path) -> None:
    stats = [["地区", "人数"], ["南宁", 2], ["合计", 2]]
    second = [["2015年度自治区XX部门XX工作评价抽样框(政府部门)"], HEADER, _person(1), _person(2)]  # 1 again
    path = frame(tmp_path / "名单.xlsx", rows=2, sheets={"统计": stats, "补充": second})
    found = _check(path)
    assert [f["sheet"] for f in found if f["code"] == "below-minimum"] == ["附件3", "补充"], found
    assert not [f for f in found if f["sheet"] == "统计" and f["severity"] == "error"], found
    dupes = [f for f in found if f["code"] == "duplicate-person"]
    assert dupes and all("工作表“" in str(f["message"]) for f in dupes), dupes
    assert any("工作表“附件3”" in str(f["message"]) for f in dupes if f["sheet"] == "补充"), dupes


def test_zero_width_and_bidi_characters_are_stripped_and_said(tmp_path: Path) -> None:
    rows = [_person(1, name="张三", mobile="13877100001"), _person(2, name="张\u200b三\u202e"),
            _person(3, name="李四", mobile="138\u200d771\u200e00003")]
    found = _check(_csv(tmp_path / "附件3.csv", rows))
    assert {f["row"] for f in found if f["code"] == "duplicate-person"} == {3}, found  # same name + unit as row 2
    assert not [f for f in found if f["code"] in ("mobile-format", "name")], found
    said = [f for f in found if "看不见的字符" in str(f["message"])]
    assert len(said) == 1 and "第3、4行" in str(said[0]["message"])


def test_text_over_a_cell_limit_is_a_finding_in_the_workspace_too(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    path = _csv(tmp_path / "附件3.csv", [_person(1, unit="南宁市民族大道1号" + "长" * 33_000), _person(2)])
    result = main_py("import", str(ws), str(path), "--form", "3", "--item", "测试")
    assert result.returncode == 0, result.stderr
    check = main_py("check", str(path), "--json", "--form", "3")
    assert [(f["row"], f["code"]) for f in json.loads(check.stdout) if f["code"] == "too-long"] == [(2, "too-long")]
    out = tmp_path / "out"
    out.mkdir()
    assert main_py("export", str(ws), "--out", str(out)).returncode == 0
    assert any("未完成" in p.name for p in out.glob("附件3*.xlsx")), list(out.iterdir())


def test_a_name_finding_does_not_echo_a_huge_value(tmp_path: Path) -> None:
    result = check_files([str(_csv(tmp_path / "附件3.csv", [_person(1, name="张" * 100_000)]))])
    names = [f for f in result.findings if f.code == "name"]
    assert names and all(len(f.message) < ECHOED + 100 for f in names), names
    assert all(len(f.message) < 400 for f in result.findings)
