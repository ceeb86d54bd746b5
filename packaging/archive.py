"""The encrypted archive: WinZip AES-256 .zip, written atomically, then verified, or removed.

The archive is built in a hidden temp file in the target folder, checked there (every member read
back with the password and its SHA-256 compared with the source file's, a wrong password refused,
AES-256 on every member), and only then renamed into place, so a half-written or unverified
archive never carries the real name. Opens with 7-Zip, WinRAR, Bandizip, 360压缩 and bsdtar; not
with Info-ZIP ``unzip`` nor Windows Explorer's own zip support (method 99).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, NoReturn

import pyzipper

from forms.base.errors import UserError
from packaging._fs import (
    explain_read_error,
    explain_write_error,
    flush_to_disk,
    remove_quietly,
    temp_file_beside,
)

log = logging.getLogger(__name__)

CHUNK = 1 << 20
AES_STRENGTH_256 = 3  # the WinZip AES extra field's code for 256-bit keys
QUESTIONNAIRE_FOLDER = "评议问卷"

Member = Path | tuple[Path, str]
Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stage is "write" then "verify", counts are bytes.
An exception raised by it stops the build (the temp file is removed) and propagates."""


class ArchiveError(UserError):
    """The archive could not be built or did not verify; ``message`` tells the clerk what to do."""


@dataclass(frozen=True)
class MemberDigest:
    arcname: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ArchiveResult:
    path: Path
    size: int
    sha256: str
    members: tuple[MemberDigest, ...]


@dataclass(frozen=True)
class BundlePlan:
    """What goes inside the archive and what is mailed beside it."""

    members: list[Member]
    beside: list[Path]


@dataclass(frozen=True)
class _Source:
    path: Path
    arcname: str
    size: int


_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def archive_file_name(department: str, year: int, day: date) -> str:
    """``<department>_<year>年度社会评价抽样框_<yyyymmdd>.zip``, safe as a Windows file name."""
    safe = _UNSAFE_NAME.sub("", department).strip(" .")
    if not safe:
        raise ArchiveError("单位名称为空或只含不能用于文件名的字符：请先在单位信息中填写单位全称。")
    return f"{safe}_{year}年度社会评价抽样框_{day:%Y%m%d}.zip"


def plan_bundle(
    frames: Sequence[Path], questionnaires: Sequence[Path], questionnaires_inside: bool = False
) -> BundlePlan:
    """The frames always go inside; the questionnaires beside (default) or in a 评议问卷 folder."""
    members: list[Member] = list(frames)
    if not questionnaires_inside:
        return BundlePlan(members, list(questionnaires))
    members += [(q, f"{QUESTIONNAIRE_FOLDER}/{q.name}") for q in questionnaires]
    return BundlePlan(members, [])


def build_archive(
    out_dir: Path,
    archive_name: str,
    members: Sequence[Member],
    password: str,
    progress: Progress | None = None,
    *,
    overwrite: bool = False,
    compresslevel: int | None = None,
) -> ArchiveResult:
    """Build, verify and put in place ``out_dir/archive_name``; raise :class:`ArchiveError`."""
    _check_password(password)
    sources = _sources(members)
    target = _target(Path(out_dir), archive_name, overwrite)
    report = progress or (lambda stage, done, total: None)
    try:
        with temp_file_beside(target) as (handle, tmp):  # removes the temp file on any failure
            digests = _write(handle, sources, password, report, compresslevel)
            flush_to_disk(handle)
            handle.close()
            result = _verify(tmp, target, sources, digests, password, report)
            os.replace(tmp, target)
    except OSError as exc:
        raise ArchiveError(explain_write_error(exc, target.parent)) from exc
    log.info("archive built and verified: %s, %d bytes, %d members", target.name, result.size, len(sources))
    return result


def remove_plain_copies(paths: Iterable[Path]) -> list[Path]:
    """Remove the exported plain files; return those that could not be removed (a copy remains there)."""
    return [path for path in paths if not remove_quietly(Path(path))]


# --- preparation -----------------------------------------------------------------------------


def _check_password(password: str) -> None:
    if not password:
        raise ArchiveError("没有密码，不能生成加密压缩包：请先生成或输入密码。")
    if not password.isascii():
        raise ArchiveError("密码含有中文或全角字符，部分解压软件无法打开：请改用英文字母、数字和半角符号。")


def _sources(members: Sequence[Member]) -> list[_Source]:
    if not members:
        raise ArchiveError("没有可打包的文件：请先导出附件2–7。")
    sources = [_source(member) for member in members]
    seen: set[str] = set()
    for src in sources:
        key = src.arcname.casefold()
        if key in seen:
            raise ArchiveError(f"压缩包中有两个同名文件“{src.arcname}”：请改名后重新导出。")
        seen.add(key)
    return sources


def _source(member: Member) -> _Source:
    path, arcname = (member, member.name) if isinstance(member, Path) else (Path(member[0]), member[1])
    arcname = arcname.replace("\\", "/").strip("/")
    if not arcname or any(part in ("", ".", "..") for part in arcname.split("/")):
        raise ArchiveError(f"压缩包内的文件名“{arcname}”无效：请改名后重新导出。")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArchiveError(explain_read_error(exc, path)) from exc
    if not path.is_file():
        raise ArchiveError(f"“{path}”不是文件，不能放进压缩包：请重新选择要打包的文件。")
    return _Source(path, arcname, size)


def _target(out_dir: Path, archive_name: str, overwrite: bool) -> Path:
    if not archive_name.lower().endswith(".zip") or _UNSAFE_NAME.search(archive_name):
        raise ArchiveError(
            f'压缩包名称“{archive_name}”无效：名称须以 .zip 结尾，且不含 \\ / : * ? " < > | 等字符。'
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(explain_write_error(exc, out_dir)) from exc
    target = out_dir / archive_name
    if target.exists() and not overwrite:
        raise ArchiveError(
            f"“{target}”已经存在：如果已经发出过它，请不要覆盖；确需重新生成时请确认覆盖，"
            "并记得把新密码重新告知考评办。"
        )
    return target


# --- writing -------------------------------------------------------------------------------


def _write(
    handle: BinaryIO, sources: list[_Source], password: str, report: Progress, level: int | None
) -> list[str]:
    """Write every source into an AES-256 zip on ``handle``; return each source's SHA-256 as read."""
    total = sum(src.size for src in sources)
    done = 0
    digests = []
    with pyzipper.AESZipFile(
        handle,
        "w",
        compression=pyzipper.ZIP_DEFLATED,
        compresslevel=level,
        encryption=pyzipper.WZ_AES,
        encryption_kwargs={"nbits": 256},
    ) as zf:
        zf.setpassword(password.encode("ascii"))
        for src in sources:
            info = pyzipper.zipfile_aes.AESZipInfo.from_file(src.path, src.arcname, strict_timestamps=False)
            info.compress_type = pyzipper.ZIP_DEFLATED
            info._compresslevel = level  # type: ignore[attr-defined]  # what ZipFile.write() does
            digest = hashlib.sha256()
            with _open_source(src) as reader, zf.open(info, "w") as writer:
                for chunk in _chunks(reader, src):
                    digest.update(chunk)
                    writer.write(chunk)
                    done += len(chunk)
                    report("write", done, total)
            digests.append(digest.hexdigest())
    return digests


def _open_source(src: _Source) -> BinaryIO:
    try:
        return open(src.path, "rb")
    except OSError as exc:
        raise ArchiveError(explain_read_error(exc, src.path)) from exc


def _chunks(reader: BinaryIO, src: _Source) -> Iterable[bytes]:
    while True:
        try:
            chunk = reader.read(CHUNK)
        except OSError as exc:
            raise ArchiveError(explain_read_error(exc, src.path)) from exc
        if not chunk:
            return
        yield chunk


# --- verification ------------------------------------------------------------------------------


def _verify(
    tmp: Path, target: Path, sources: list[_Source], digests: list[str], password: str, report: Progress
) -> ArchiveResult:
    """Re-open the written archive and prove it is what was meant; raise ArchiveError if not."""
    total = sum(src.size for src in sources)
    done = 0
    members = []
    try:
        with pyzipper.AESZipFile(tmp) as zf:
            zf.setpassword(password.encode("ascii"))
            _check_listing(zf, sources)
            for src, wrote in zip(sources, digests, strict=True):
                read, size = _member_digest(zf, src.arcname, _ticker(report, done, total))
                done += size
                if read != wrote or size != src.size or _source_digest(src) != read:
                    _fail(f"“{src.arcname}”读出的内容与原文件不一致（原文件是否在打包时被修改？）")
                members.append(MemberDigest(src.arcname, read, size))
            _check_wrong_password_refused(zf, sources[0].arcname, password)
    except (pyzipper.BadZipFile, RuntimeError, zlib.error, EOFError) as exc:
        _fail(f"压缩包无法用密码正确读出（{type(exc).__name__}）")
    return ArchiveResult(target, tmp.stat().st_size, _file_digest(tmp), tuple(members))


def _ticker(report: Progress, base: int, total: int) -> Callable[[int], None]:
    return lambda n: report("verify", base + n, total)


def _check_listing(zf: pyzipper.AESZipFile, sources: list[_Source]) -> None:
    infos = zf.infolist()
    if [i.filename for i in infos] != [src.arcname for src in sources]:
        _fail("压缩包内的文件清单与要打包的文件不一致")
    for info in infos:
        if not info.flag_bits & 0x1 or getattr(info, "wz_aes_strength", None) != AES_STRENGTH_256:
            _fail(f"“{info.filename}”没有用 AES-256 加密")


def _member_digest(zf: pyzipper.AESZipFile, arcname: str, tick: Callable[[int], None]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with zf.open(arcname) as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            tick(size)
    return digest.hexdigest(), size


def _check_wrong_password_refused(zf: pyzipper.AESZipFile, arcname: str, password: str) -> None:
    wrong = (password + "-x").encode("ascii")
    try:
        with zf.open(arcname, pwd=wrong) as reader:
            while reader.read(CHUNK):
                pass
    except (RuntimeError, pyzipper.BadZipFile, zlib.error):
        return  # refused, as it must be (bad password check, or the HMAC at the end)
    _fail("用错误的密码也能打开压缩包，说明它没有被加密")


def _source_digest(src: _Source) -> str:
    try:
        return _file_digest(src.path)
    except OSError as exc:
        raise ArchiveError(explain_read_error(exc, src.path)) from exc


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fail(what: str) -> NoReturn:
    raise ArchiveError(
        f"压缩包校验失败：{what}。未完成的压缩包已删除，请重新生成；如果再次失败，请换一个文件夹保存。"
    )
