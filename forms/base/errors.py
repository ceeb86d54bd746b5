"""The one base of every error the clerk can cause or fix (a bad file, a full disk, a locked workspace).

Kept apart from bugs: the window and the CLI catch `UserError` and show `message`, which is Chinese and
says what to do; anything else is a bug and is not dressed up as one of these.
"""

from __future__ import annotations

import errno


class UserError(Exception):
    """A problem of the clerk's data or machine, not of the program; `message` tells the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DISK_FULL_WINERRORS = {39, 112}  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL


def is_disk_full(exc: BaseException) -> bool:
    """Whether an OSError (or SQLite's own error) says the disk or the user's quota is full."""
    if isinstance(exc, OSError):
        return exc.errno in _DISK_FULL_ERRNOS or getattr(exc, "winerror", None) in _DISK_FULL_WINERRORS
    return "disk is full" in str(exc).lower() or "database or disk is full" in str(exc).lower()


def disk_full_message(folder: object) -> str:
    """The one Chinese sentence for a full disk: what happened, that nothing half-written is left, the fix."""
    return f"磁盘空间已满，无法在“{folder}”中写入文件（没有留下写了一半的文件）：请清理该磁盘的空间，或换一个空间充足的文件夹后重试。"
