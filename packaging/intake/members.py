"""Opening a received archive safely: members read into memory, within limits, never extracted to disk.

A received archive is untrusted: a member may decompress to gigabytes (a zip bomb), its header may lie
about its size, its name may climb out of any folder (``../../x``) or be absolute. Nothing here writes a
member anywhere: each is read into memory, counting the bytes actually decompressed, and reading stops
at the limit. Names are only labels; an unsafe one is skipped and named.
"""

from __future__ import annotations

import errno
import io
import stat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath

import pyzipper

from forms.base.file_errors import os_reason
from packaging.aes_zip import AESZipFile

MAX_ARCHIVE_BYTES = 1 << 30  # the archive file itself
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 64 << 20  # one member, decompressed (a 50 000-row frame is about 3 MB)
MAX_TOTAL_BYTES = 256 << 20  # all members, decompressed
MAX_INNER_BYTES = 512 << 20  # what a member .xlsx (itself a zip) says it holds, decompressed
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv")
CHUNK = 1 << 20
_COPY_AGAIN = "请把该单位发来的压缩包原件复制到收件文件夹后重新收件。"


class Status(StrEnum):
    """The state of a received archive (the contract of `intake --json`)."""

    OK = "ok"
    ERRORS = "errors"
    WRONG_PASSWORD = "wrong-password"
    NO_PASSWORD = "no-password"
    UNREADABLE = "unreadable"
    NOT_OURS = "not-ours"


class Refused(Exception):
    """The archive cannot be opened; `status` says why, `message` (Chinese) what the office can do."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Opened:
    """The spreadsheet members of an opened archive, in memory, and what was noticed on the way."""

    members: list[tuple[str, bytes]] = field(default_factory=list)
    encrypted: bool = False
    weak: bool = False  # sealed with ZipCrypto (broken since 1994), not AES as the department's program seals
    skipped: list[str] = field(default_factory=list)  # unsafe names, not read
    others: list[str] = field(default_factory=list)  # members that are no spreadsheet (questionnaires …)


def open_archive(path: Path, passwords: Sequence[str], has_entry: bool) -> Opened:
    """Read every spreadsheet member of `path`, trying `passwords` in turn; raise Refused."""
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):  # a pipe or a device: opening it may wait for ever
            raise Refused(Status.UNREADABLE, f"“{path.name}”不是普通文件（是管道或设备之类的特殊文件），不能当作压缩包读取："
                                             f"{_COPY_AGAIN}")
        if found.st_size > MAX_ARCHIVE_BYTES:
            raise Refused(Status.UNREADABLE, f"压缩包大于{MAX_ARCHIVE_BYTES >> 20} MB，不像报送材料：请与该单位核实。")
        with AESZipFile(path) as zf:  # (the key derived in one call: packaging.aes_zip says why)
            return _read_members(zf, passwords, has_entry)
    except Refused:
        raise
    except (zipfile.BadZipFile, pyzipper.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
            OSError) as exc:
        raise Refused(Status.UNREADABLE, _unreadable(path, exc)) from None


def _unreadable(path: Path, exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return "压缩包使用了本程序不支持的压缩方式：请让该单位用报送助手或7-Zip重新生成.zip压缩包。"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOENT, errno.ELOOP):  # a link to nothing, or to itself
        return f"无法读取“{path.name}”：{os_reason(exc)}。{_COPY_AGAIN}"
    if isinstance(exc, OSError) and exc.errno != errno.EINVAL:  # EINVAL: a seek to where a damaged directory points
        return f"无法读取“{path.name}”：{os_reason(exc)}。请确认文件没有被其他程序占用。"
    return "压缩包已损坏或不是.zip格式（可能在邮件传输中损坏）：请让该单位重新发送。"


def _read_members(zf: pyzipper.AESZipFile, passwords: Sequence[str], has_entry: bool) -> Opened:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise Refused(Status.UNREADABLE, f"压缩包内有{len(infos)}个文件，不像报送材料：请与该单位核实。")
    opened = Opened()
    wanted = []
    for info in infos:
        name = member_name(info)
        if not _safe(name):
            opened.skipped.append(name)
        elif PurePosixPath(name).suffix.lower() in SPREADSHEETS:
            wanted.append((name, info))
        else:
            opened.others.append(name)
    names = [name for name, _info in wanted]
    if twice := sorted({name for name in names if names.count(name) > 1}):  # 7-Zip would keep one of them only
        raise Refused(Status.UNREADABLE, f"压缩包内有两个同名的“{twice[0]}”，解压时其中一个会覆盖另一个，无法确定哪个是"
                                         "要报送的：请让该单位用报送助手重新生成压缩包后再发送。")
    probed: dict[str, bytes] = {}
    opened.encrypted = any(i.flag_bits & 0x1 for _n, i in wanted)  # what is read must have been encrypted
    opened.weak = any(i.flag_bits & 0x1 and getattr(i, "wz_aes_strength", None) is None for _n, i in wanted)
    if opened.encrypted:
        probe = next(i for _n, i in wanted if i.flag_bits & 0x1)
        pwd, probed[probe.filename] = _find_password(zf, probe, passwords, has_entry)
        zf.setpassword(pwd)
    total = 0
    for name, info in wanted:
        if opened.encrypted and not info.flag_bits & 0x1:  # added after the archive was sealed: not the department's
            raise Refused(Status.UNREADABLE, f"压缩包内的“{name}”没有加密，其他文件却是加密的：它可能是别人后加进去的，"
                                             "已停止读取。请让该单位用报送助手重新生成压缩包后再发送。")
        try:
            data = probed.pop(info.filename, None) or _read_bounded(zf, info, MAX_TOTAL_BYTES - total)
        except RuntimeError:  # "Bad password for file": members sealed with different passwords
            raise Refused(Status.UNREADABLE, f"压缩包内的“{name}”与其他文件的密码不同，无法用同一个密码打开："
                                             "请让该单位用报送助手重新生成压缩包后再发送。") from None
        if total + len(data) > MAX_TOTAL_BYTES:
            raise _too_big(info)
        total += len(data)
        _check_inner(name, data)
        opened.members.append((name, data))
    return opened


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker meant it: names without the UTF-8 flag are GBK on Chinese Windows."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/")


def _safe(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ":" not in parts[0] and ".." not in parts and "\0" not in name


def _find_password(zf: pyzipper.AESZipFile, probe: zipfile.ZipInfo, passwords: Sequence[str],
                   has_entry: bool) -> tuple[bytes, bytes]:
    """The password (of `passwords`) that opens `probe`, and `probe`'s content read with it."""
    if not has_entry:
        raise Refused(Status.NO_PASSWORD, "密码表中没有这个压缩包的密码：请向该单位电话询问密码，填入密码表后重新收件。")
    if not passwords:
        raise Refused(Status.NO_PASSWORD, "密码表中这个压缩包的密码是空的：请向该单位电话询问密码，填入密码表后重新收件。")
    damaged = False
    for pw in passwords:
        try:
            data = _read_bounded(zf, probe, MAX_MEMBER_BYTES, pw.encode("ascii"))
        except RuntimeError:
            continue  # "Bad password": the password verifier refused it
        except (zipfile.BadZipFile, pyzipper.BadZipFile, zlib.error):
            damaged = True  # the verifier took the password (a wrong one: 1 in 65 536), the content failed its check
            continue
        return pw.encode("ascii"), data
    if damaged:
        raise Refused(Status.UNREADABLE, "压缩包已损坏：密码通过了校验，但内容校验失败（可能在邮件传输中损坏）。"
                                         "请让该单位重新发送同一个压缩包。")
    raise Refused(Status.WRONG_PASSWORD, "密码不对，打不开这个压缩包：请与该单位电话核对密码（连字符“-”也是密码的一部分，"
                                         "字母都是大写），改正密码表后重新收件。")


def _read_bounded(zf: pyzipper.AESZipFile, info: zipfile.ZipInfo, room: int, pwd: bytes | None = None) -> bytes:
    limit = min(MAX_MEMBER_BYTES, room)
    if info.file_size > limit:
        raise _too_big(info)
    buffer = io.BytesIO()
    with zf.open(info, pwd=pwd) as reader:
        while chunk := reader.read(CHUNK):
            if buffer.tell() + len(chunk) > limit:
                raise _too_big(info)  # the header understated the size: a bomb, or a corrupt archive
            buffer.write(chunk)
    return buffer.getvalue()


def _too_big(info: zipfile.ZipInfo) -> Refused:
    return Refused(Status.UNREADABLE, f"压缩包内的“{member_name(info)}”解压后过大（超过{MAX_MEMBER_BYTES >> 20} MB），"
                                      "可能是损坏的或恶意的压缩包，已停止读取：请与该单位核实后让其重新发送。")


def _check_inner(name: str, data: bytes) -> None:
    """A member .xlsx is itself a zip: refuse one that says it decompresses to more than the limit."""
    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            declared = sum(i.file_size for i in inner.infolist())
    except (zipfile.BadZipFile, ValueError):
        return  # not a zip after all: the spreadsheet reader says what is wrong with it
    if declared > MAX_INNER_BYTES:
        raise Refused(Status.UNREADABLE, f"压缩包内的表格“{name}”解压后超过{MAX_INNER_BYTES >> 20} MB，"
                                         "可能是损坏的或恶意的文件，已停止读取：请与该单位核实后让其重新发送。")
