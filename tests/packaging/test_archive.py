"""The archive as a library: contents, naming, atomic write, verification, errors in Chinese."""

from __future__ import annotations

import errno
import hashlib
import os
from datetime import date
from pathlib import Path

import pytest
import pyzipper

from packaging import archive
from packaging.archive import ArchiveError, build_archive

PASSWORD = "K7PM-Q4XR-W9TF-H3JD-N6CB"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".报送助手-")]


def test_archive_file_name_follows_the_notice() -> None:
    name = archive.archive_file_name("南宁市公安局", 2015, date(2015, 11, 10))
    assert name == "南宁市公安局_2015年度社会评价抽样框_20151110.zip"
    assert archive.archive_file_name('南宁市/公安局:"一处"', 2015, date(2015, 11, 3)).startswith(
        "南宁市／公安局：＂一处＂_"  # forms.base.filenames: the characters Windows refuses become full-width twins
    )
    with pytest.raises(ArchiveError, match="单位名称"):
        archive.archive_file_name(" /: ", 2015, date(2015, 11, 3))


def test_build_writes_aes256_members_that_read_back_equal(tmp_path: Path, frames: list[Path]) -> None:
    out = tmp_path / "报送"
    result = build_archive(out, "南宁市公安局_2015年度社会评价抽样框_20151110.zip", frames, PASSWORD)
    assert result.path == out / "南宁市公安局_2015年度社会评价抽样框_20151110.zip"
    assert result.size == result.path.stat().st_size
    assert result.sha256 == sha(result.path)
    assert [(m.arcname, m.sha256, m.size) for m in result.members] == [
        (f.name, sha(f), f.stat().st_size) for f in frames
    ]
    with pyzipper.AESZipFile(result.path) as zf:
        zf.setpassword(PASSWORD.encode())
        for info, frame in zip(zf.infolist(), frames, strict=True):
            assert info.filename == frame.name
            assert info.flag_bits & 0x1 and info.flag_bits & 0x800  # encrypted, UTF-8 name
            assert info.wz_aes_strength == 3  # 256-bit
            assert zf.read(info) == frame.read_bytes()
    assert leftovers(out) == []


def test_questionnaires_go_beside_or_inside(tmp_path: Path, frames: list[Path], questionnaire: Path) -> None:
    beside = archive.plan_bundle(frames, [questionnaire])
    assert beside.members == frames and beside.beside == [questionnaire]
    inside = archive.plan_bundle(frames, [questionnaire], questionnaires_inside=True)
    assert inside.beside == []
    result = build_archive(tmp_path / "out", "a.zip", inside.members, PASSWORD)
    assert result.members[-1].arcname == f"评议问卷/{questionnaire.name}"


def test_progress_reports_writing_then_verifying(tmp_path: Path, frames: list[Path]) -> None:
    calls: list[tuple[str, int, int]] = []
    build_archive(tmp_path / "out", "a.zip", frames, PASSWORD, progress=lambda *c: calls.append(c))
    total = sum(f.stat().st_size for f in frames)
    stages = [c[0] for c in calls]
    assert stages == sorted(stages, key=["write", "verify"].index)
    assert calls[-1] == ("verify", total, total)
    assert ("write", total, total) in calls


def test_a_cancelling_progress_leaves_nothing(tmp_path: Path, frames: list[Path]) -> None:
    def cancel(stage: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_archive(tmp_path / "out", "a.zip", frames, PASSWORD, progress=cancel)
    assert list((tmp_path / "out").iterdir()) == []


def test_an_existing_archive_is_not_overwritten_unless_asked(tmp_path: Path, frames: list[Path]) -> None:
    first = build_archive(tmp_path, "a.zip", frames[:1], PASSWORD)
    with pytest.raises(ArchiveError, match="已经存在") as caught:
        build_archive(tmp_path, "a.zip", frames, PASSWORD)
    assert "新密码" in caught.value.message
    assert sha(first.path) == first.sha256
    second = build_archive(tmp_path, "a.zip", frames, "Another-Pass-Word-77", overwrite=True)
    assert len(second.members) == len(frames)


@pytest.mark.parametrize(
    ("members", "password", "expected"),
    [
        ([], PASSWORD, "没有可打包的文件"),
        (None, "", "没有密码"),
        (None, "密码密码密码密码密码密码", "中文"),
        ("missing", PASSWORD, "找不到文件"),
        ("twice", PASSWORD, "同名"),
        ("badname", PASSWORD, "无效"),
        ("folder", PASSWORD, "不是文件"),
    ],
)
def test_bad_input_is_refused_in_chinese(
    tmp_path: Path, frames: list[Path], members: object, password: str, expected: str
) -> None:
    cases = {
        None: frames,
        "missing": [tmp_path / "附件9_不存在.xlsx"],
        "twice": [frames[0], (frames[1], frames[0].name.upper())],
        "badname": [(frames[0], "../逃出去.xlsx")],
        "folder": [tmp_path],
    }
    chosen = members if isinstance(members, list) else cases[members]  # type: ignore[index]
    with pytest.raises(ArchiveError) as caught:
        build_archive(tmp_path / "out", "a.zip", chosen, password)
    assert expected in caught.value.message
    assert str(caught.value) == caught.value.message


def test_a_bad_archive_name_is_refused(tmp_path: Path, frames: list[Path]) -> None:
    for name in ("a.rar", "子目录/a.zip", "a?.zip"):
        with pytest.raises(ArchiveError, match="名称"):
            build_archive(tmp_path, name, frames, PASSWORD)


@pytest.mark.parametrize(
    ("err", "expected"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EACCES, "没有权限"),
        (errno.EROFS, "没有权限"),
        (errno.EIO, "无法在"),
    ],
)
def test_write_errors_become_chinese_messages_and_leave_nothing(
    tmp_path: Path, frames: list[Path], monkeypatch: pytest.MonkeyPatch, err: int, expected: str
) -> None:
    def broken_replace(src: object, dst: object) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(archive.os, "replace", broken_replace)
    out = tmp_path / "out"
    with pytest.raises(ArchiveError) as caught:
        build_archive(out, "a.zip", frames, PASSWORD)
    assert expected in caught.value.message and str(out) in caught.value.message
    assert PASSWORD not in caught.value.message
    assert list(out.iterdir()) == []


def test_full_disk_while_writing_leaves_nothing(
    tmp_path: Path, frames: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("packaging._fs.os.fsync", full)
    with pytest.raises(ArchiveError, match="磁盘空间不足"):
        build_archive(tmp_path / "out", "a.zip", frames, PASSWORD)
    assert list((tmp_path / "out").iterdir()) == []


def test_an_unwritable_folder_is_named(tmp_path: Path, frames: list[Path]) -> None:
    blocker = tmp_path / "是文件不是文件夹"
    blocker.write_text("x")
    with pytest.raises(ArchiveError) as caught:
        build_archive(blocker / "out", "a.zip", frames, PASSWORD)
    assert "是文件不是文件夹" in caught.value.message


def test_a_source_changed_during_packing_fails_verification_and_is_removed(
    tmp_path: Path, frames: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = archive._write

    def write_then_edit(handle, sources, password, report, level):  # type: ignore[no-untyped-def]
        digests = real(handle, sources, password, report, level)
        frames[0].write_bytes(b"changed by Excel while packing")
        return digests

    monkeypatch.setattr(archive, "_write", write_then_edit)
    out = tmp_path / "out"
    with pytest.raises(ArchiveError, match="校验失败") as caught:
        build_archive(out, "a.zip", frames, PASSWORD)
    assert frames[0].name in caught.value.message and "已删除" in caught.value.message
    assert list(out.iterdir()) == []


def test_an_archive_that_opens_without_the_password_is_refused(
    tmp_path: Path, frames: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "_check_listing", lambda zf, sources: None)

    def plain_write(handle, sources, password, report, level):  # type: ignore[no-untyped-def]
        with pyzipper.ZipFile(handle, "w") as zf:
            for src in sources:
                zf.write(src.path, src.arcname)
        return [sha(src.path) for src in sources]

    monkeypatch.setattr(archive, "_write", plain_write)
    with pytest.raises(ArchiveError, match="没有被加密"):
        build_archive(tmp_path / "out", "a.zip", frames, PASSWORD)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_member_without_aes256_is_refused(
    tmp_path: Path, frames: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pyzipper.AESZipFile

    def aes128(*args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("encryption_kwargs"):
            kwargs["encryption_kwargs"] = {"nbits": 128}
        return real(*args, **kwargs)

    monkeypatch.setattr(archive.pyzipper, "AESZipFile", aes128)
    with pytest.raises(ArchiveError, match="AES-256"):
        build_archive(tmp_path / "out", "a.zip", frames, PASSWORD)


def test_remove_plain_copies_reports_what_remains(tmp_path: Path, frames: list[Path]) -> None:
    stuck = tmp_path / "无法删除.xlsx"
    stuck.mkdir()  # a folder cannot be unlinked: stands in for a file Excel holds open on Windows
    gone = tmp_path / "早已删除.xlsx"
    remaining = archive.remove_plain_copies([*frames, stuck, gone])
    assert remaining == [stuck]
    assert not any(f.exists() for f in frames)
