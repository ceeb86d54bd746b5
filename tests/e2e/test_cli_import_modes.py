"""`import` into a frame that has rows: refused without --mode (exit 2), then append / merge / replace."""

from __future__ import annotations

from pathlib import Path

from forms.store.workspace import Workspace
from tests.e2e import messy
from tests.e2e.test_cli_check import main_py


def count(ws: Path) -> int:
    with Workspace.open(ws) as opened:
        return sum(opened.engine.row_count(f.id) for f in opened.hot_frames())


def test_a_second_import_needs_a_mode_and_merge_does_not_double(tmp_path: Path) -> None:
    ws, source = tmp_path / "交通厅.baosong", messy.write_hot(tmp_path / "热点.xlsx")
    assert main_py("new", str(ws), "--department", "自治区交通运输厅", "--kind", "gov",
                   "--category", "经济管理类").returncode == 0
    args = ("import", str(ws), str(source), "--form", "3", "--item", "公路建设")
    assert main_py(*args).returncode == 0
    rows = count(ws)
    assert rows == len(messy.HOT_ROWS)
    again = main_py(*args)
    assert again.returncode == 2 and "--mode" in again.stderr and "merge" in again.stderr
    assert count(ws) == rows  # nothing written
    merged = main_py(*args, "--mode", "merge")
    assert merged.returncode == 0, merged.stderr
    assert "新增0人" in merged.stdout and count(ws) == rows
    replaced = main_py(*args, "--mode", "replace")
    assert replaced.returncode == 0 and f"删除现有{rows}人" in replaced.stdout and count(ws) == rows
    appended = main_py(*args, "--mode", "append")
    assert appended.returncode == 0 and "追加后会重复" in appended.stdout and count(ws) == 2 * rows
    assert main_py(*args, "--mode", "sideways").returncode == 2
