"""What the office may receive besides good archives: each gets a clear status, nothing is written to disk."""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from packaging.intake.members import Status
from packaging.intake.passwords import PasswordBook, read_passwords
from packaging.intake.receive import IntakeBatch, receive, receive_all
from tests.e2e.messy import write_hot


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_plain_zip_of_frames_is_read_and_named_unencrypted(tmp_path: Path) -> None:
    frame = write_hot(tmp_path / "附件3_热点.xlsx")
    report = receive(zipped(tmp_path / "甲.zip", {frame.name: frame.read_bytes()}), PasswordBook([]))
    assert report.status is Status.ERRORS  # messy.write_hot carries planted errors
    assert report.rows and any(f.code == "not-encrypted" and f.severity == "warning" for f in report.findings)


def test_gbk_member_names_of_winrar_are_decoded(tmp_path: Path) -> None:
    frame = write_hot(tmp_path / "f.xlsx").read_bytes()
    gbk = "附件3.xlsx".encode("gbk")
    placeholder = b"X" * (len(gbk) - 5) + b".xlsx"
    path = zipped(tmp_path / "rar.zip", {placeholder.decode(): frame})
    path.write_bytes(path.read_bytes().replace(placeholder, gbk))  # a name without the UTF-8 flag, as WinRAR writes
    report = receive(path, PasswordBook([]))
    assert report.rows and {f.file for f in report.findings if f.row} == {"附件3.xlsx"}


def test_spreadsheets_that_are_no_frames_are_not_ours(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["日期", "金额"])
    wb.active.append(["2015-11-01", 12])
    wb.save(tmp_path / "账目.xlsx")
    report = receive(zipped(tmp_path / "账.zip", {"账目.xlsx": (tmp_path / "账目.xlsx").read_bytes()}), PasswordBook([]))
    assert report.status is Status.NOT_OURS and "抽样框" in report.message


@pytest.mark.parametrize(("name", "data", "status"), [
    ("坏.zip", b"PK\x03\x04 not a zip at all", Status.UNREADABLE),
    ("空.zip", b"", Status.UNREADABLE),
    ("甲.rar", b"Rar!\x1a\x07\x00", Status.UNREADABLE),
])
def test_broken_or_foreign_archives_are_unreadable(tmp_path: Path, name: str, data: bytes, status: Status) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    report = receive(path, PasswordBook([]))
    assert report.status is status and report.message and report.errors()


def test_a_member_spreadsheet_that_claims_gigabytes_is_refused(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    zipped(inner, {"xl/worksheets/sheet1.xml": b"<a/>"})
    data = bytearray(inner.read_bytes())
    four = (4).to_bytes(4, "little")
    at = data.rfind(four, 0, data.rfind(b"xl/worksheets"))  # the central directory's uncompressed size
    data[at : at + 4] = (0xFFFFFFF0).to_bytes(4, "little")
    report = receive(zipped(tmp_path / "b.zip", {"附件2.xlsx": bytes(data)}), PasswordBook([]))
    assert report.status is Status.UNREADABLE and "恶意" in report.message


def test_password_table_in_xlsx_with_a_title_row_and_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2015年度抽样框压缩包密码登记表"])
    ws.append(["序号", "单位", "压缩包", "密码", "类别"])
    ws.append([1, "自治区甲厅", "甲厅.zip", 123456789012, "经济管理类"])
    ws.append([2, "自治区乙厅", "乙厅_2015年度社会评价抽样框_20151112.zip", "k7pm q4xr w9tf h3jd n6cb", ""])
    wb.save(tmp_path / "密码.xlsx")
    book = read_passwords(tmp_path / "密码.xlsx")
    first = book.lookup("甲厅.ZIP")
    assert first is not None and first.password == "123456789012" and first.category == "经济管理类"
    second = book.lookup("乙厅_2015年度社会评价抽样框_20151112.zip")
    assert second is not None and second.department == "自治区乙厅"
    assert "K7PM-Q4XR-W9TF-H3JD-N6CB" not in repr(second) and "k7pm" not in repr(second)


def system_frame(tmp_path: Path, addresses: list[str]) -> Path:
    from forms.notice import campaign
    from forms.sheets import excel_out

    rows = [{"name": f"测试{chr(0x4E00 + n)}", "gender": "男", "unit": f"{address}{n + 1}号 某局", "title": "科长",
             "mobile": f"1387711{n:04d}", "postcode": "530022" if address.startswith("南宁") else "541001"}
            for n, address in enumerate(addresses)]
    return excel_out.export_frame(tmp_path / "附件2.xlsx", campaign.load(), "2", "自治区测试厅", rows)


@pytest.mark.parametrize(("cities", "coverage"), [(["南宁市青秀区民族大道"] * 4, False),
                                                  (["南宁市青秀区民族大道", "桂林市七星区漓江路"] * 2, True)])
def test_coverage_is_asked_of_frames_reaching_beyond_one_city(tmp_path: Path, cities: list[str],
                                                              coverage: bool) -> None:
    frame = system_frame(tmp_path, cities)
    report = receive(zipped(tmp_path / "厅.zip", {frame.name: frame.read_bytes()}), PasswordBook([]))
    assert report.rows == {"2": 4}
    assert any(f.code == "coverage" for f in report.findings) is coverage


def test_only_an_attachment_encrypted_leaves_the_frames_readable(tmp_path: Path) -> None:
    import pyzipper

    frame = write_hot(tmp_path / "附件3_热点.xlsx")
    path = tmp_path / "mixed.zip"
    with pyzipper.AESZipFile(path, "w", compression=pyzipper.ZIP_DEFLATED) as zf:
        zf.writestr(frame.name, frame.read_bytes())
    with pyzipper.AESZipFile(path, "a", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(b"K7PM-Q4XR-W9TF-H3JD-N6CB")
        zf.writestr("评议问卷/问卷.docx", b"not really a docx")
    report = receive(path, PasswordBook([]))
    assert report.rows and any(f.code == "not-encrypted" for f in report.findings)


def test_an_archive_gone_since_listing_is_unreadable(tmp_path: Path) -> None:
    report = receive(tmp_path / "走了.zip", PasswordBook([]))
    assert report.status is Status.UNREADABLE and "无法读取" in report.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_a_dead_link_named_zip_is_reported_not_skipped_and_never_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "收件"
    folder.mkdir()
    frame = write_hot(tmp_path / "附件3_热点.xlsx")
    zipped(folder / "甲.zip", {frame.name: frame.read_bytes()})
    os.mkfifo(folder / "管道.zip")  # opening it for reading would wait for a writer for ever
    os.symlink("环.zip", folder / "环.zip")
    os.symlink("不存在.zip", folder / "断.zip")
    (folder / "文件夹.zip").mkdir()  # a folder is no archive, and no archive was lost: passed over
    done: list[tuple[list, IntakeBatch]] = []
    worker = threading.Thread(target=lambda: done.append(receive_all(folder, PasswordBook([]))), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done, "the intake waited on the pipe"
    reports = {r.archive: r for r in done[0][0]}
    assert set(reports) == {"甲.zip", "管道.zip", "环.zip", "断.zip"}
    assert reports["甲.zip"].rows
    assert all(reports[n].status is Status.UNREADABLE for n in ("管道.zip", "环.zip", "断.zip"))
    assert "不是普通文件" in reports["管道.zip"].message
    assert "循环" in reports["环.zip"].message and "找不到" in reports["断.zip"].message
    assert all("原件复制到收件文件夹" in reports[n].message for n in ("管道.zip", "环.zip", "断.zip"))
