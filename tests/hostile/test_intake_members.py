"""Hostile archives at the office's intake: each gets a status and a Chinese message, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import pyzipper

from packaging.intake.members import Status
from packaging.intake.passwords import PasswordBook, PasswordEntry
from packaging.intake.receive import receive_all
from tests.hostile.files import frame

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
