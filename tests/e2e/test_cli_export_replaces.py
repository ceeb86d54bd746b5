"""`export` owns the files it wrote into its folder: a fixed `_未完成` replaces its twin, and it says so."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli_check import main_py

REPORT_UNFINISHED = "自治区测试厅_整改情况报告_未完成.docx"
REPORT_DONE = "自治区测试厅_整改情况报告.docx"


def test_a_fixed_deliverable_replaces_its_unfinished_file_and_strangers_stay(tmp_path: Path) -> None:
    ws, out = str(tmp_path / "w.baosong"), tmp_path / "out"
    assert main_py("new", ws, "--department", "自治区测试厅", "--kind", "gov").returncode == 0
    assert main_py("export", ws, "--out", str(out)).returncode == 0
    first = sorted(p.name for p in out.iterdir())
    assert REPORT_UNFINISHED in first and REPORT_DONE not in first
    # the clerk's own files in the same folder, one named as ours would be: never ours to remove
    (out / "我的笔记.txt").write_text("备忘", encoding="utf-8")
    (out / "自治区测试厅_年度绩效情况报告.docx").write_bytes(b"clerk's own")
    report = tmp_path / "整改.txt"
    report.write_text("一、存在问题\n问题若干。\n二、整改措施\n措施若干。\n", encoding="utf-8")
    assert main_py("import", ws, str(report), "--form", "report-rectification").returncode == 0

    again = main_py("export", ws, "--out", str(out))

    assert again.returncode == 0, again.stderr
    second = sorted(p.name for p in out.iterdir())
    assert REPORT_DONE in second and REPORT_UNFINISHED not in second
    assert f"已删除上次导出的旧文件：{REPORT_UNFINISHED}" in again.stdout.splitlines()
    assert set(second) - set(first) == {REPORT_DONE, "我的笔记.txt", "自治区测试厅_年度绩效情况报告.docx"}
    assert set(first) - set(second) == {REPORT_UNFINISHED}
    assert (out / "我的笔记.txt").read_text(encoding="utf-8") == "备忘"


def test_a_file_the_clerk_changed_since_is_left_and_named(tmp_path: Path) -> None:
    ws, out = str(tmp_path / "w.baosong"), tmp_path / "out"
    assert main_py("new", ws, "--department", "自治区测试厅", "--kind", "gov").returncode == 0
    assert main_py("export", ws, "--out", str(out)).returncode == 0
    (out / REPORT_UNFINISHED).write_bytes(b"edited in Word after the export")
    report = tmp_path / "整改.txt"
    report.write_text("一、存在问题\n问题若干。\n", encoding="utf-8")
    assert main_py("import", ws, str(report), "--form", "report-rectification").returncode == 0

    again = main_py("export", ws, "--out", str(out))

    assert (out / REPORT_UNFINISHED).read_bytes() == b"edited in Word after the export"
    assert (out / REPORT_DONE).exists()
    assert f"上次导出的“{REPORT_UNFINISHED}”导出后被修改过，没有删除" in again.stderr
    assert "已删除" not in again.stdout
