"""Issue 13 item 2 (and 10's damaged .docx): packages refused from their declared sizes, plainly, exit 2."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from forms.base.errors import UserError
from forms.documents import importer
from forms.sheets import excel_in
from tests.hostile.files import assert_refused, frame, main_py

MIB = 1 << 20


def _inflated(path: Path, member: str, size: int, fill: bytes = b"<x/>") -> Path:
    """`path` with `member` replaced by `size` bytes of filler, deflated as it is written (little memory)."""
    with zipfile.ZipFile(path) as src:
        items = [(i.filename, src.read(i)) for i in src.infolist() if i.filename != member]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, data in items:
            out.writestr(name, data)
        with out.open(member, "w", force_zip64=True) as stream:
            block = fill * (MIB // len(fill))
            for _ in range(size // MIB):
                stream.write(block)
    return path


@pytest.mark.parametrize(("member", "size"), [("xl/worksheets/sheet1.xml", 420 * MIB),
                                               ("xl/sharedStrings.xml", 64 * MIB)])
def test_an_xlsx_that_inflates_past_any_real_sheet_is_refused(tmp_path: Path, member: str, size: int) -> None:
    path = _inflated(frame(tmp_path / "炸弹.xlsx"), member, size)
    assert path.stat().st_size < 4 * MIB
    assert_refused(main_py("check", str(path)), "炸弹.xlsx", "解压后", "拒绝")


def test_an_ods_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "炸弹.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        out.writestr("content.xml", b" " * (64 * MIB))
    with pytest.raises(UserError, match="解压后"):
        excel_in.read_file(path)


def test_damaged_deflate_data_is_damage_not_a_crash(tmp_path: Path) -> None:
    path = frame(tmp_path / "附件3.xlsx")
    data = bytearray(path.read_bytes())
    at = data.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    data[at:at + 64] = bytes(reversed(data[at:at + 64]))  # the member's deflate stream, scrambled
    path.write_bytes(bytes(data))
    with pytest.raises(UserError, match="附件3.xlsx"):
        excel_in.read_file(path)


def _analysis_docx(path: Path) -> Path:
    document = docx.Document()
    for line in ("一、重点工作任务完成情况", "完成了。", "二、工作创新和亮点", "有创新。"):
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "部门.baosong"
    result = main_py("new", str(ws), "--department", "自治区测试厅", "--kind", "gov", "--category", "经济管理类")
    assert result.returncode == 0, result.stderr
    return ws


@pytest.mark.parametrize("damage", ["truncated", "not-a-zip", "no-document", "bad-xml"])
def test_a_damaged_docx_for_the_analysis_is_a_clear_refusal(tmp_path: Path, damage: str) -> None:
    path = _analysis_docx(tmp_path / "绩效分析.docx")
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:2000])
    elif damage == "not-a-zip":
        path.write_bytes(b"PK\x03\x04 not really a zip" * 10)
    else:
        with zipfile.ZipFile(path) as src:
            items = {i.filename: src.read(i) for i in src.infolist()}
        if damage == "no-document":
            del items["word/document.xml"]
        else:
            items["word/document.xml"] = items["word/document.xml"][:-40]
        with zipfile.ZipFile(path, "w") as out:
            for name, data in items.items():
                out.writestr(name, data)
    assert_refused(main_py("import", str(_workspace(tmp_path)), str(path), "--form", "9"), "绩效分析.docx", "另存")


def test_a_docx_bomb_is_refused(tmp_path: Path) -> None:
    path = _inflated(_analysis_docx(tmp_path / "绩效分析.docx"), "word/document.xml", 64 * MIB)
    with pytest.raises(UserError, match="解压后"):
        importer.read_lines(path)


def _understated(path: Path, member: str, size: int) -> Path:
    """`path` with `member` made `size` bytes of filler whose headers (local and central) claim 4 KB."""
    _inflated(path, member, size)
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (4096).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def test_a_member_that_inflates_past_its_header_is_refused(tmp_path: Path) -> None:
    """64 MB of styles under a header that says 4 KB: damaged, the file named."""
    path = _understated(frame(tmp_path / "附件3.xlsx"), "xl/styles.xml", 64 * MIB)
    with pytest.raises(UserError, match="附件3.xlsx"):
        excel_in.read_file(path)


def test_a_small_member_that_lies_about_its_size_costs_little(tmp_path: Path) -> None:
    """A few KB packed cannot hold more than a few MB (deflate: 1032-fold at most), so it is not looked at:
    whatever calamine makes of it, a result or a plain refusal, never a crash."""
    path = _understated(frame(tmp_path / "附件3.xlsx"), "docProps/app.xml", 2 * MIB)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("docProps/app.xml").compress_size <= 16 << 10
    try:
        excel_in.read_file(path)
    except UserError as refused:
        assert "附件3.xlsx" in refused.message
