"""An input file the system refused to open, said as what it is (not as a damaged file).

Shared by the readers of clerks' files (forms.sheets.excel_in, forms.documents.importer): a missing file, one
locked by Excel, a path or a name too long for the system, a shortcut that points to itself.
"""

from __future__ import annotations

import errno
import zipfile
from pathlib import Path
from typing import IO

from forms.base.errors import UserError

MIB = 1 << 20
MAX_MEMBER = 400 * MIB  # a 200 000-row frame's sheet XML is about 40 MiB
MAX_TOTAL = 600 * MIB
MAX_RATIO = 100  # XML deflates 5–20×; only a crafted member comes near the format's ~1000×
RATIO_FLOOR = 16 * MIB  # small members may compress as well as they like
MAX_NAME_BYTES = 255  # one path component, in bytes, on every file system the program meets
_LOOP = {errno.ELOOP}


class ReadError(UserError):
    """A file that cannot be imported; `message` is one Chinese line saying what is wrong and what to do."""


_TOO_LONG = {errno.ENAMETOOLONG}


class BombError(ReadError):
    """A package whose contents would not fit in memory: refused before anything is inflated."""


_BOMB = ("文件“{name}”解压后有{size}MB（压缩了{ratio}倍），不像正常的{what}，为防止程序耗尽内存已拒绝读取。"
         "请在Excel、WPS或Word中打开它，删除多余的内容后另存，再导入。")
_TOO_BIG = ("文件“{name}”解压后有{size}MB，超过了程序能读取的{limit}MB（正常的{what}远小于此），已拒绝读取。"
            "请在Excel、WPS或Word中打开它，删除多余的内容（其他工作表、图片、大段文字）后另存，再导入。")


def check_zip(source: Path | IO[bytes], name: str, what: str = "表格文件") -> zipfile.ZipFile | None:
    """The open zip after its declared sizes passed, or None when the file is no zip. Raises BombError.

    (A member whose data inflates past its declared size fails its CRC check as it is read.)"""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    worst = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1), default=None)
    too_big = total > MAX_TOTAL or any(i.file_size > MAX_MEMBER for i in infos)
    ratio = worst.file_size / max(worst.compress_size, 1) if worst else 0
    if worst is not None and worst.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        archive.close()
        raise BombError(_BOMB.format(name=_short(name), size=total // MIB, ratio=int(ratio), what=what))
    if too_big:
        archive.close()
        limit = MAX_TOTAL if total > MAX_TOTAL else MAX_MEMBER
        raise BombError(_TOO_BIG.format(name=_short(name), size=total // MIB, limit=limit // MIB, what=what))
    return archive


def paths_error(exc: OSError, p: Path) -> str | None:
    """The clerk's message for an OS refusal to open `p`, or None when it is not one of these."""
    name = _short(p.name)
    if exc.errno in _TOO_LONG or getattr(exc, "winerror", None) == 206:
        if any(len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES for part in p.parts):
            return f"文件名“{name}”太长，系统无法打开。请把文件名改短（不超过80个汉字）后重新选择。"
        return f"文件“{name}”所在的文件夹路径太长，系统无法打开。请把文件移到较浅的文件夹（如桌面）后重新选择。"
    if exc.errno in _LOOP:
        return f"“{name}”是一个循环指向自身的快捷方式（符号链接），找不到真正的文件。请直接选择表格文件本身。"
    if isinstance(exc, FileNotFoundError):
        return f"找不到文件“{_short(str(p), 120)}”，请确认文件还在原来的位置，或重新选择文件。"
    if isinstance(exc, PermissionError):
        return (f"无法打开“{name}”：文件正被其他程序（如Excel、WPS）占用或没有读取权限，"
                "请先关闭该文件再导入。")
    return None


def _short(text: str, limit: int = 60) -> str:
    """A name cut for a message: a 300-byte name would hide the message itself."""
    return text if len(text) <= limit else f"{text[:limit]}…"


_REASONS = {
    errno.ENOSPC: "磁盘空间不足", getattr(errno, "EDQUOT", errno.ENOSPC): "磁盘空间不足",
    errno.EACCES: "没有权限（或文件正被其他程序占用）", errno.EPERM: "没有权限（或文件正被其他程序占用）",
    errno.EROFS: "磁盘是只读的", errno.ENOENT: "找不到文件或文件夹", errno.EEXIST: "同名的文件已存在",
    errno.ENOTDIR: "路径中有一项是文件而不是文件夹", errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EIO: "磁盘读写出错（U盘或网络盘可能已断开）", errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ELOOP: "快捷方式（符号链接）循环指向自身", errno.EBUSY: "文件正被其他程序占用",
    errno.EMFILE: "同时打开的文件太多", errno.EINVAL: "文件名中有系统不允许的字符",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese (Python's own words for it are English): by the error's number,
    else the system's words (on a Chinese Windows, its own message is Chinese already)."""
    if getattr(exc, "winerror", None) == 32:  # ERROR_SHARING_VIOLATION: Excel holds the file
        return "文件正被其他程序（如Excel、WPS）占用"
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__

