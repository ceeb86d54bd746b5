"""Hostile archives at the office's intake: each gets a status and a Chinese message, never a traceback."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import pyzipper

from packaging.intake.members import Status
from packaging.intake.passwords import PasswordBook, PasswordEntry
from packaging.intake.receive import receive_all
from tests.hostile.files import frame, main_py
from tests.hostile.test_xls_cells import _label, xls

PASSWORD = "ABCD-EFGH-JKMN-PQRS"


def _sealed(path: Path, members: list[tuple[str, bytes, str]]) -> Path:
    """An AES archive whose members are each sealed with the password given beside them."""
    with pyzipper.AESZipFile(path, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        for name, data, password in members:
            zf.setpassword(password.encode())
            zf.writestr(name, data)
    return path


def _receive(folder: Path) -> tuple[Status, str]:
    book = PasswordBook([PasswordEntry("部门.zip", PASSWORD, "自治区测试厅")])
    reports, _batch = receive_all(folder, book)
    assert len(reports) == 1
    return reports[0].status, reports[0].message


def test_members_sealed_with_two_passwords_are_unreadable(tmp_path: Path) -> None:
    data = frame(tmp_path / "附件3.xlsx", rows=3).read_bytes()
    folder = tmp_path / "收件"
    folder.mkdir()
    _sealed(folder / "部门.zip", [("附件3.xlsx", data, PASSWORD), ("附件2.xlsx", data, "WXYZ-WXYZ-WXYZ-WXYZ")])
    status, message = _receive(folder)
    assert status is Status.UNREADABLE and "附件2.xlsx" in message and "密码不同" in message


def test_a_plain_member_added_to_a_sealed_archive_is_not_read(tmp_path: Path) -> None:
    data = frame(tmp_path / "附件3.xlsx", rows=3).read_bytes()
    folder = tmp_path / "收件"
    folder.mkdir()
    archive = _sealed(folder / "部门.zip", [("附件3.xlsx", data, PASSWORD)])
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("附件2.xlsx", data)
    status, message = _receive(folder)
    assert status is Status.UNREADABLE and "附件2.xlsx" in message and "没有加密" in message


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the zip library warns of what the test makes
def test_two_members_of_one_name_are_unreadable(tmp_path: Path) -> None:
    data = frame(tmp_path / "附件3.xlsx", rows=3).read_bytes()
    other = frame(tmp_path / "另一个.xlsx", rows=5).read_bytes()
    folder = tmp_path / "收件"
    folder.mkdir()
    _sealed(folder / "部门.zip", [("附件3.xlsx", data, PASSWORD), ("附件3.xlsx", other, PASSWORD)])
    status, message = _receive(folder)
    assert status is Status.UNREADABLE and "附件3.xlsx" in message and "同名" in message


def test_a_member_that_would_abort_the_reader_fails_its_own_archive_only(tmp_path: Path) -> None:
    """One department's .xls with a cell at row and column 65 536 aborted the whole intake (exit 134): every
    department's result lost. Now that archive alone is unreadable, saying why; the others are received."""
    folder, out = tmp_path / "收到", tmp_path / "结果"
    folder.mkdir()
    far = xls(tmp_path / "附件3.xls", _label(65535, 65535, "x")).read_bytes()
    _sealed(folder / "甲厅.zip", [("附件3_甲厅_公路建设.xls", far, PASSWORD)])
    _sealed(folder / "乙厅.zip", [("附件3_乙厅_公路建设.xlsx", frame(tmp_path / "乙.xlsx", rows=3).read_bytes(), PASSWORD)])
    table = tmp_path / "密码表.csv"
    table.write_text(f"压缩包,密码\n甲厅.zip,{PASSWORD}\n乙厅.zip,{PASSWORD}\n", encoding="utf-8")
    result = main_py("intake", str(folder), "--passwords", str(table), "--out", str(out), "--json")
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    reports = {r["archive"]: r for r in json.loads(result.stdout)}
    assert reports["甲厅.zip"]["status"] == "unreadable" and "CRXP65536" in reports["甲厅.zip"]["message"]
    assert reports["乙厅.zip"]["status"] == "errors" and reports["乙厅.zip"]["rows"] == {"3": 3}
    assert (out / "收件情况.xlsx").exists() and (out / "汇总_附件3.xlsx").exists()


def test_an_archive_whose_directory_points_nowhere_is_damaged_not_a_bad_file_name(tmp_path: Path) -> None:
    """An end record whose directory offset is garbage makes the seek fail with EINVAL, which was told to the
    office as "文件名中有系统不允许的字符"."""
    folder = tmp_path / "收到"
    folder.mkdir()
    (folder / "部门.zip").write_bytes(b"PK\x05\x06" + b"0" * 18)
    status, message = _receive(folder)
    assert status is Status.UNREADABLE and "已损坏" in message and "文件名" not in message, message


def test_a_member_that_says_it_inflates_past_any_frame_is_refused_unread(tmp_path: Path) -> None:
    """A member .xlsx whose own directory declares 700 MB of sheet (a bomb, or a lie) is not inflated: the
    archive is unreadable, saying the table is too big when unpacked."""
    data = bytearray(frame(tmp_path / "附件3.xlsx", rows=3).read_bytes())
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/worksheets/sheet1.xml"))  # the sheet's directory entry
    assert at != -1
    data[at + 24:at + 28] = (700 << 20).to_bytes(4, "little")  # the sheet's declared size, in the directory
    folder = tmp_path / "收件"
    folder.mkdir()
    _sealed(folder / "部门.zip", [("附件3.xlsx", bytes(data), PASSWORD)])
    status, message = _receive(folder)
    assert status is Status.UNREADABLE and "附件3.xlsx" in message and "解压后" in message, message
