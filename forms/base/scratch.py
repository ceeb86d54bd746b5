"""The program's own folder for plain copies of personal data (exports on their way into the archive,
openpyxl's spool files), never the clerk's output folder nor the shared temp folder.

Each use gets a sub-folder, removed on every way out of `folder()` (an error, Ctrl+C, cancel). A process
killed meanwhile cannot remove it, so each sub-folder holds a lock file locked by its owner for its
whole life: `sweep()`, called when the program or the CLI starts, removes the sub-folders no live
process holds and says which, so nothing plain outlives a crash unnoticed. The root is under the
per-user data folder (forms.base.paths): ``%LOCALAPPDATA%\\Baosong\\临时文件``, ``~/.local/share/Baosong/临时文件``.

A file written into the clerk's folder goes through a temp file beside it (same disk: an atomic
replace). `beside()` names that temp file in the scratch folder first, so the temp file of a killed
run is swept with the folder that recorded it and no half-written `.~…tmp` outlives the crash.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from forms.base.paths import app_dirs

FOLDER_NAME = "临时文件"
LOCK_NAME = ".in-use"
BESIDE_LIST = ".beside"  # the temp files this run opened beside its targets, one path per line
TEMP_PREFIX, TEMP_SUFFIX = ".~", ".tmp"
_UNLOCKED_GRACE_S = 60  # a folder without its lock file yet may be one being created right now

_local = threading.local()


def root() -> Path:
    return app_dirs().data / FOLDER_NAME


def current() -> Path | None:
    """The innermost scratch folder open on this thread (where openpyxl's spool files go), if any."""
    stack: list[Path] = getattr(_local, "stack", [])
    return stack[-1] if stack else None


@contextmanager
def folder(purpose: str) -> Iterator[Path]:
    """A fresh folder of our own, locked while in use and removed with everything in it on the way out."""
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{purpose}-", dir=base))
    lock = _hold(path / LOCK_NAME)
    stack = _local.__dict__.setdefault("stack", [])
    stack.append(path)
    try:
        yield path
    finally:
        stack.remove(path)
        lock.close()
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def beside(target: Path) -> Iterator[Path]:
    """A fresh temp file name `.~<name>.<random>.tmp` in `target`'s folder, for the caller to create,
    fill and `os.replace` onto `target`. Recorded in the scratch folder before the caller creates it;
    removed on the way out if it is still there (any failure). In a scratch folder of its own when no
    scratch folder is open on this thread."""
    with contextlib.ExitStack() as stack:
        here = current()
        if here is None:
            with contextlib.suppress(OSError):  # no room for the record: the write itself may still succeed
                here = stack.enter_context(folder("写入"))
        temp = target.with_name(f"{TEMP_PREFIX}{target.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}")
        if here is not None:
            with contextlib.suppress(OSError), open(here / BESIDE_LIST, "a", encoding="utf-8") as journal:
                journal.write(f"{temp}\n")
        try:
            yield temp
        finally:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Leftover:
    """A scratch folder a killed run left behind, the files that were in it, and the half-written temp
    files it had opened beside its targets (removed with it)."""

    path: Path
    files: tuple[str, ...]
    removed: bool
    beside: tuple[Path, ...] = ()


def sweep() -> list[Leftover]:
    """Remove every scratch folder no live process holds; what was found (and whether it is gone)."""
    base = root()
    if not base.is_dir():
        return []
    found = []
    for path in sorted(p for p in base.iterdir() if p.is_dir()):
        try:
            if _in_use(path):
                continue
            files = tuple(sorted(f.name for f in path.rglob("*") if f.is_file() and f.name not in _OURS))
        except OSError:  # removed meanwhile by another start, or unreadable: the next start looks again
            continue
        outside = _remove_beside(path / BESIDE_LIST)
        shutil.rmtree(path, ignore_errors=True)
        if files or outside or path.exists():
            found.append(Leftover(path, files, not path.exists(), outside))
    return found


_OURS = {LOCK_NAME, BESIDE_LIST}


def _remove_beside(journal: Path) -> tuple[Path, ...]:
    """Remove the temp files a killed run had opened beside its targets; those that were there."""
    try:
        lines = journal.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    removed = []
    for line in lines:
        temp = Path(line)
        # only a name of our own pattern: a damaged journal can never make the sweep remove a clerk's file
        if not (temp.name.startswith(TEMP_PREFIX) and temp.name.endswith(TEMP_SUFFIX)):
            continue
        for file in (temp, *(Path(f"{temp}{tail}") for tail in _SQLITE_TAILS)):
            with contextlib.suppress(OSError):
                if file.is_file() and not file.is_symlink():
                    file.unlink()
                    removed.append(file)
    return tuple(removed)


_SQLITE_TAILS = ("-journal", "-wal", "-shm")  # what SQLite keeps beside a database written as a temp file


def describe(leftovers: list[Leftover]) -> str:
    """The Chinese message naming what a crash left and what became of it ("" when nothing was left)."""
    lines = []
    for left in leftovers:
        if left.beside:
            lines.append("已删除上次异常退出时写了一半的文件：" + "、".join(str(p) for p in left.beside) + "。")
        if not left.files and left.removed:
            continue
        shown = "、".join(left.files[:3]) + (f"等{len(left.files)}个文件" if len(left.files) > 3 else "")
        what = f"（{shown}）" if shown else ""
        if left.removed:
            lines.append(f"已删除上次异常退出时留下的未加密临时文件：{left.path}{what}。")
        else:
            lines.append(f"上次异常退出时留下的未加密临时文件无法自动删除，请手动删除：{left.path}{what}。")
    return "\n".join(lines)


# --- the lock -------------------------------------------------------------------------------------


def _hold(path: Path) -> IO[bytes]:
    handle = open(path, "wb")  # noqa: SIM115 - kept open (and locked) for the folder's life
    try:
        _lock(handle)
    except OSError:
        handle.close()
        raise
    return handle


def _in_use(path: Path) -> bool:
    lock = path / LOCK_NAME
    if not lock.exists():
        return time.time() - path.stat().st_mtime < _UNLOCKED_GRACE_S
    try:
        with open(lock, "r+b") as handle:
            _lock(handle)  # got it: its owner is gone (the lock goes with the closed handle)
    except OSError:
        return True
    return False


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


__all__ = ["Leftover", "beside", "current", "describe", "folder", "root", "sweep"]
