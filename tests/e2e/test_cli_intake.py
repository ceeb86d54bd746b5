"""`python main.py intake`: the office's side on real archives made by the bundle code (passwords from the
test keyring), through the real command line: JSON per archive, exit codes, the files in OUT."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests import intake_archives as ia
from tests.e2e.test_cli_check import main_py


@pytest.fixture(scope="module")
def batch(intake_batch: ia.Batch) -> ia.Batch:
    return intake_batch


@pytest.fixture(scope="module")
def run(batch: ia.Batch, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[dict], Path]:
    out = tmp_path_factory.mktemp("out")
    result = main_py("intake", str(batch.folder), "--passwords", str(batch.passwords), "--out", str(out), "--json",
                     "--sample", "5", "--seed", "42")
    assert not result.stdout.count("Traceback") and not result.stderr.count("Traceback"), result.stderr
    return result.returncode, json.loads(result.stdout), out


def test_one_object_per_archive_with_its_status(run: tuple[int, list[dict], Path], batch: ia.Batch) -> None:
    code, objects, _out = run
    assert code == 1
    assert len(objects) == len(list(batch.folder.glob("*.zip")))
    status = {o["department"] or o["archive"]: o["status"] for o in objects}
    assert status == {ia.GOOD_A: "ok", ia.GOOD_B: "ok", ia.WRONG: "wrong-password", ia.CORRUPT: "unreadable",
                      ia.NO_PASSWORD: "no-password", ia.MISSING: "errors", "不是报送材料.zip": "not-ours"}
    for o in objects:
        assert set(o) >= {"archive", "department", "status", "rows", "errors", "warnings", "missing"}
    good = next(o for o in objects if o["department"] == ia.GOOD_A)
    assert good["rows"] == {"2": ia.SYSTEM_ROWS, "3": ia.HOT_ROWS} and good["errors"] == []
    assert [w["code"] for w in good["warnings"]] == ["duplicate-across-departments"]
    missing = next(o for o in objects if o["department"] == ia.MISSING)
    assert missing["missing"] == ["3"] and missing["rows"] == {"2": ia.SYSTEM_ROWS}


def test_out_holds_the_tables_and_no_password(run: tuple[int, list[dict], Path], batch: ia.Batch) -> None:
    _code, objects, out = run
    names = sorted(p.name for p in out.iterdir())
    assert names == ["抽样名单.xlsx", "收件情况.xlsx", "汇总_附件2.xlsx", "汇总_附件3.xlsx"]
    status = load_workbook(out / "收件情况.xlsx", read_only=True).active
    assert len(list(status.iter_rows(min_row=4))) == len(objects)
    merged = load_workbook(out / "汇总_附件3.xlsx", read_only=True).worksheets[0]
    assert len(list(merged.iter_rows(min_row=4))) == 2 * ia.HOT_ROWS  # the two departments whose 附件3 was read
    calls = load_workbook(out / "抽样名单.xlsx", read_only=True)["抽样名单"]
    assert "抽样种子:42" in next(calls.iter_rows(min_row=2, max_row=2, values_only=True))[0]
    for path in out.iterdir():
        with zipfile.ZipFile(path) as zf:
            xml = b"".join(zf.read(n) for n in zf.namelist())
        for secret in batch.secrets.values():
            assert secret.encode() not in xml and secret.replace("-", "").encode() not in xml


def test_same_seed_same_call_list(run: tuple[int, list[dict], Path], batch: ia.Batch, tmp_path: Path) -> None:
    def names(folder: Path) -> list[tuple[object, ...]]:
        sheet = load_workbook(folder / "抽样名单.xlsx", read_only=True)["抽样名单"]
        return [r[1:6] for r in sheet.iter_rows(min_row=4, values_only=True)]

    again, other = tmp_path / "again", tmp_path / "other"
    for folder, seed in ((again, "42"), (other, "43")):
        main_py("intake", str(batch.folder), "--passwords", str(batch.passwords), "--out", str(folder),
                "--sample", "5", "--seed", seed)
    assert names(again) == names(run[2]) and names(other) != names(run[2])
    assert len(names(again)) == 5 * 5  # five frames read (甲 and 乙: 附件2 and 3; 戊: 附件2), five people each


def test_exit_0_when_every_archive_is_ok(batch: ia.Batch, tmp_path: Path) -> None:
    folder = tmp_path / "good"
    folder.mkdir()
    for department in (ia.GOOD_A, ia.GOOD_B):
        shutil.copy2(next(batch.folder.glob(f"{department}*.zip")), folder)
    result = main_py("intake", str(folder), "--passwords", str(batch.passwords), "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert ia.GOOD_A in result.stdout and "合格" in result.stdout
    status = load_workbook(tmp_path / "o" / "收件情况.xlsx", read_only=True).active
    rows = {r[1] or r[2]: r[3] for r in status.iter_rows(min_row=4, values_only=True)}
    assert rows[ia.GOOD_A] == "合格（ok）" and rows[ia.WRONG] == rows[ia.MISSING] == "未收到"


def test_a_later_archive_of_the_same_department_replaces_the_earlier(batch: ia.Batch, tmp_path: Path) -> None:
    folder = tmp_path / "again"
    folder.mkdir()
    missing = next(batch.folder.glob(f"{ia.MISSING}*.zip"))
    first = shutil.copy2(missing, folder / "戊厅第一次.zip")
    later = shutil.copy2(next(batch.folder.glob(f"{ia.GOOD_A}*.zip")), folder / "甲厅.zip")
    os.utime(first, (1_000_000_000, 1_000_000_000))
    table = tmp_path / "密码.csv"
    table.write_text(f"压缩包,密码\n{first.name},{batch.secrets[ia.MISSING]}\n{later.name},{batch.secrets[ia.GOOD_A]}\n"
                     f"甲厅重发.zip,{batch.secrets[ia.GOOD_A]}\n", encoding="utf-8")
    shutil.copy2(later, folder / "甲厅重发.zip")  # the same department again, received last
    result = main_py("intake", str(folder), "--passwords", str(table), "--out", str(tmp_path / "o"), "--json")
    objects = {o["archive"]: o for o in json.loads(result.stdout)}
    assert objects["甲厅.zip"]["replaced_by"] == "甲厅重发.zip" and objects["甲厅重发.zip"]["replaced_by"] is None
    assert result.returncode == 1  # 戊 still misses 附件3
    status = load_workbook(tmp_path / "o" / "收件情况.xlsx", read_only=True).active
    assert [r[2] for r in status.iter_rows(min_row=4, values_only=True)] == ["戊厅第一次.zip", "甲厅重发.zip"]


@pytest.mark.parametrize("broken", ["dir", "file", "columns", "out"])
def test_exit_2_when_dir_or_file_cannot_be_read(batch: ia.Batch, tmp_path: Path, broken: str) -> None:
    folder, table = batch.folder, batch.passwords
    if broken == "out":  # OUT names a file: refused in Chinese before any archive is opened
        (tmp_path / "o").write_bytes(b"")
    elif broken == "dir":
        folder = tmp_path / "nowhere"
    elif broken == "file":
        table = tmp_path / "nowhere.xlsx"
    else:
        table = tmp_path / "t.csv"
        table.write_text("a,b\n1,2\n", encoding="utf-8")
    result = main_py("intake", str(folder), "--passwords", str(table), "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and result.stderr.strip() and "Traceback" not in result.stderr
    assert "exists" not in result.stderr and any("\u4e00" <= ch <= "\u9fff" for ch in result.stderr)
