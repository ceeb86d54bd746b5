"""An input file the system refused to open, said as what it is (not as a damaged file).

Shared by the readers of clerks' files (forms.excel_in, forms.documents.importer): a missing file, one
locked by Excel, a path or a name too long for the system, a shortcut that points to itself.
"""

from __future__ import annotations

import errno
from pathlib import Path

from forms.errors import UserError

MAX_NAME_BYTES = 255  # one path component, in bytes, on every file system the program meets
_LOOP = {errno.ELOOP}


class ReadError(UserError):
    """A file that cannot be imported; `message` is one Chinese line saying what is wrong and what to do."""


_TOO_LONG = {errno.ENAMETOOLONG}


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
