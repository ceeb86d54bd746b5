"""`python main.py check` on messy files it has never seen: every planted defect at its file and row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import messy

ROOT = Path(__file__).resolve().parents[2]


def main_py(*args: str, cwd: Path = ROOT, tmpdir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if tmpdir is not None:  # the program's temp folder, to be scanned afterwards
        env.update(TMPDIR=str(tmpdir), TEMP=str(tmpdir), TMP=str(tmpdir))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("messy")
    return messy.write_hot(folder / "热点.xlsx"), messy.write_system(folder / "系统.xlsx")


@pytest.fixture(scope="module")
def report(files: tuple[Path, Path]) -> list[dict[str, object]]:
    result = main_py("check", str(files[0]), str(files[1]), "--json")
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_json_fields_are_the_contract(report: list[dict[str, object]]) -> None:
    assert report and all(list(f) == ["file", "form", "sheet", "row", "column", "code", "severity", "message"]
                          for f in report)


@pytest.mark.parametrize("which", ["hot", "system"])
def test_every_planted_defect_is_found_at_its_row(report: list[dict[str, object]], files: tuple[Path, Path],
                                                  which: str) -> None:
    path, rows, first = (files[0], messy.HOT_ROWS, 5) if which == "hot" else (files[1], messy.SYSTEM_ROWS, 4)
    found = {(f["row"], f["code"]) for f in report if f["file"] == str(path)}
    for row, code in messy.planted(rows, first).items():
        assert (row, code) in found, f"{code} planted at row {row} of {path.name} not found"


@pytest.mark.parametrize("which", ["hot", "system"])
def test_clean_rows_raise_no_error(report: list[dict[str, object]], files: tuple[Path, Path], which: str) -> None:
    path, rows, first = (files[0], messy.HOT_ROWS, 5) if which == "hot" else (files[1], messy.SYSTEM_ROWS, 4)
    clean = {first + i for i, (_v, code) in enumerate(rows) if code is None}
    noisy = [f for f in report if f["file"] == str(path) and f["row"] in clean]
    assert noisy == []


def test_whole_frame_findings_have_no_row(report: list[dict[str, object]], files: tuple[Path, Path]) -> None:
    whole = {(f["file"], f["code"]) for f in report if f["row"] is None}
    assert (str(files[0]), "below-minimum") in whole and (str(files[1]), "coverage") in whole


def test_text_output_and_exit_code_for_a_clean_file(tmp_path: Path) -> None:
    path = tmp_path / "附件3_clean.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(messy.HEADER_3)
    wb.active.append(messy.HOT_ROWS[0][0])
    wb.save(path)
    result = main_py("check", str(path), "--form", "3", "--category", "专项事务管理")
    assert "below-minimum" in result.stdout and result.returncode == 1


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 broken zip", os.urandom(2000)])
def test_unreadable_file_is_refused_in_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    result = main_py("check", str(path), "--json")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr and not lines[0].isascii()


def test_missing_file_is_refused(tmp_path: Path) -> None:
    result = main_py("check", str(tmp_path / "无此文件.xlsx"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_mobiles_attributed_by_the_block_table(tmp_path: Path) -> None:
    """Newer Nanning blocks (the geocoder: 北京市 or only 中国) take no 0, a 百色 one needs it, a block the
    table lacks is a warning to confirm, never an error."""
    from openpyxl import Workbook

    mobiles = ["17377112345", "19977112346", "16677112347", "19077112348", "019977612349", "19777112350",
               "017377112351", "19977612352"]
    wb = Workbook()
    wb.active.append(messy.HEADER_3)
    for n, mobile in enumerate(mobiles, start=1):
        wb.active.append([n, f"张{chr(0x4E00 + n)}", "男", "南宁市某某公司", "经理", "", "", mobile, ""])
    path = tmp_path / "附件3_号段.xlsx"
    wb.save(path)
    result = main_py("check", str(path), "--form", "3", "--category", "专项事务管理", "--json")
    found = {f["row"]: (f["code"], f["severity"], f["message"]) for f in json.loads(result.stdout) if f["row"]}
    assert sorted(found) == [7, 8, 9]  # data rows start at sheet row 2
    assert found[7][:2] == ("mobile-prefix", "warning") and "号段1977711不在号段表中" in str(found[7][2])
    assert found[8][:2] == ("mobile-prefix", "error") and "去掉前面的0" in str(found[8][2])
    assert found[9][:2] == ("mobile-prefix", "error") and "广西百色" in str(found[9][2])
