"""File-system helpers shared by the packaging modules: atomic writes and OS errors in plain Chinese."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from forms.base import scratch
from forms.base.file_errors import os_reason

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NO_RIGHTS = {errno.EACCES, errno.EPERM, errno.EROFS}


def explain_write_error(exc: OSError, folder: Path) -> str:
    """What went wrong writing into ``folder`` and what the clerk can do, in Chinese."""
    if exc.errno in _NO_SPACE:
        return f"磁盘空间不足，无法在“{folder}”中写入文件：请清理磁盘空间，或换一个空间充足的文件夹后重试。"
    if exc.errno in _NO_RIGHTS or isinstance(exc, PermissionError):
        return (
            f"没有权限在“{folder}”中写入文件：请换一个文件夹（例如“文档”或桌面），"
            "或请单位管理员开放该文件夹的写入权限。"
        )
    if exc.errno == errno.ENOENT:
        return f"找不到文件夹“{folder}”：它可能已被删除或移动（U 盘是否已拔出？），请重新选择保存位置。"
    return f"无法在“{folder}”中写入文件：{os_reason(exc)}。请换一个文件夹后重试。"


def explain_read_error(exc: OSError, path: Path) -> str:
    """What went wrong reading ``path`` (a file to be packed or attached), in Chinese."""
    if isinstance(exc, FileNotFoundError):
        return f"找不到文件“{path}”：它可能已被移动或删除，请重新导出后再试。"
    if isinstance(exc, PermissionError):
        return f"无法读取“{path}”：文件可能正在被 Excel 或 WPS 打开，请关闭后重试。"
    return f"无法读取“{path}”：{os_reason(exc)}。请重新导出后再试。"


@contextlib.contextmanager
def temp_file_beside(target: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A hidden temp file in ``target``'s folder (same disk, so ``os.replace`` is atomic), owner-only.

    The caller replaces ``target`` with it inside the block; whatever is left of it on the way out is
    removed, and one a killed run left is swept at the next start (forms.base.scratch records it).
    """
    with scratch.beside(target) as tmp:
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "w+b") as handle:
            yield handle, tmp


def flush_to_disk(handle: BinaryIO) -> None:
    """Push the file's bytes to the disk before it is renamed into place."""
    handle.flush()
    os.fsync(handle.fileno())


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temp file in the same folder and an atomic replace."""
    with temp_file_beside(target) as (handle, tmp):
        handle.write(data)
        flush_to_disk(handle)
        handle.close()
        os.replace(tmp, target)


def remove_quietly(path: Path) -> bool:
    """Remove ``path``; True when it is gone afterwards (also when it never existed)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        return not path.exists()
    return True
