"""The workspace file's schema, its version, its migrations and how it is opened.

Each migration is keyed by the version it produces; opening an older file runs the missing ones
in one transaction. A newer file than this program knows is refused rather than damaged.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms.base import scratch
from forms.base.errors import UserError, disk_full_message, is_disk_full
from forms.notice.campaign import KINDS

SCHEMA_VERSION = 3

_V1 = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE profile(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE frames(id INTEGER PRIMARY KEY, form TEXT NOT NULL, item TEXT NOT NULL DEFAULT '',
                    position INTEGER NOT NULL);
CREATE TABLE rows(id INTEGER PRIMARY KEY, frame_id INTEGER NOT NULL REFERENCES frames(id),
                  pos REAL NOT NULL, raw TEXT NOT NULL, norm TEXT NOT NULL, notes TEXT, override INTEGER);
CREATE INDEX rows_by_frame ON rows(frame_id, pos);
CREATE TABLE justifications(row_id INTEGER NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL,
                            PRIMARY KEY(row_id, code));
CREATE TABLE texts(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

MIGRATIONS: dict[int, Callable[[sqlite3.Connection], object]] = {
    1: lambda conn: conn.executescript(_V1),
    # 2: rows may be stored compactly (forms.store.rowstore) and raw = '' means "as normalised". Version 1
    # rows (JSON) read as they are, so nothing is rewritten; the number tells an older program that
    # it cannot read this file.
    2: lambda conn: None,
    # 3: the clerk's Nanning decision for every mobile of a 7-digit block (forms.checks.phones.Overrides.blocks).
    # IF NOT EXISTS: a file whose version number was set back (by hand, or a test) may hold the table already.
    3: lambda conn: conn.execute(
        "CREATE TABLE IF NOT EXISTS block_overrides(block TEXT PRIMARY KEY, nanning INTEGER NOT NULL)"),
}

_LOCKED = "该工作区正在被另一个报送助手窗口或程序使用。请先关闭那个窗口再打开；如确认没有其他程序在用，请重启电脑后再试。"
_NOT_A_WORKSPACE = "“{name}”不是报送助手的工作区文件，或文件已损坏。请选择扩展名为 .baosong 的工作区文件。"
_DAMAGED = ("工作区文件“{name}”已损坏，无法打开（{detail}）。请改用它的备份（“文件 → 备份工作区…”保存的文件）；"
            "没有备份时，请新建工作区并重新导入抽样框。")
APPLICATION = "报送助手"


class WorkspaceError(UserError):
    """A workspace problem the clerk can act on; `message` is one Chinese sentence."""


class WorkspaceLocked(WorkspaceError):
    """Another process holds the workspace open."""


def _error(message: str) -> WorkspaceError:
    return WorkspaceLocked(message) if message == _LOCKED else WorkspaceError(message)


def damaged(path: Path, detail: str) -> WorkspaceError:
    """The "已损坏" refusal: names the file, what is wrong with it and how to carry on."""
    return WorkspaceError(_DAMAGED.format(name=path.name, detail=detail))


def writable(path: Path) -> bool:
    """Whether the file and its folder can be written (SQLite keeps its journal beside the file)."""
    folder = path.resolve().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def connect(path: Path, create: bool) -> sqlite3.Connection:
    """Open with WAL, full sync and an exclusive lock held for the life of the connection.

    An existing file is read first and must be a workspace before anything is written to it (a foreign
    SQLite file is left byte for byte as it was). A file or folder that cannot be written is opened
    read-only and immutable: the main file is whole after every save (see `checkpoint`), so it holds
    everything, and check and export work as usual."""
    if not create and not writable(path):
        return _connect_read_only(path)
    try:
        conn = sqlite3.connect(str(path), timeout=0.5, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise _error(f"无法打开“{path.name}”：{exc}。请确认文件夹存在且有写入权限。") from exc
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        if not create:
            _refuse_foreign(conn, path)
            quick_check(conn, path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")  # takes and keeps the exclusive lock now, not at the first edit
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        conn.close()
        raise _opening_error(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    conn.isolation_level = "DEFERRED"  # `with conn:` makes each edit one transaction
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise _error(f"无法打开“{path.name}”：{exc}。请确认文件存在且可以读取。") from exc
    try:
        _refuse_foreign(conn, path)
        quick_check(conn, path)
    except BaseException:
        conn.close()
        raise
    conn.isolation_level = "DEFERRED"
    return conn


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Read only: is this one of our workspaces? Raise before anything could write to a foreign file."""
    try:
        ours = "meta" in _tables(conn) and conn.execute(
            "SELECT value FROM meta WHERE key = 'application'").fetchone() == (APPLICATION,)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a flipped byte in a name: not UTF-8
        raise _opening_error(exc, path) from exc
    if not ours:
        raise _error(_NOT_A_WORKSPACE.format(name=path.name))


def _opening_error(exc: sqlite3.DatabaseError | UnicodeDecodeError, path: Path) -> WorkspaceError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return _error(_LOCKED)
    if is_disk_full(exc):
        return WorkspaceError(disk_full_message(path.parent))
    if "not a database" in text:
        return _error(_NOT_A_WORKSPACE.format(name=path.name))
    return damaged(path, text)


# A department or a work item is a name of a few dozen characters; one of 20 000 took 20 s to export (every
# document sets it as a paragraph) and one of a million never finished. Refused when typed past 100; damage
# when read past 1000 (a workspace made before the limit, with a long name typed in it, still opens).
MAX_NAME_CHARS = 100
MAX_STORED_NAME_CHARS = 1000


def name_too_long(what: str, name: str) -> str | None:
    """The clerk's message for a department or work item name past MAX_NAME_CHARS, else None."""
    if len(name) <= MAX_NAME_CHARS:
        return None
    return f"{what}太长（{len(name)}个字）：请填写不超过{MAX_NAME_CHARS}个字的名称（全称即可，不要粘贴整段文字）。"


class _BadProfile(ValueError):
    """The stored department profile does not make sense (a damaged or hand-edited file)."""


def valid_profile(data: dict[str, Any]) -> dict[str, Any]:
    """The stored profile's fields if each has its type and a known value; else _BadProfile saying which not."""
    wrong = [k for k, v in data.items() if not isinstance(v, bool if k == "local_units" else str)]
    if wrong or "department" not in data or "kind" not in data:
        raise _BadProfile(f"单位信息中的{'、'.join(wrong) or '单位名称或类别'}格式不对")
    if data["kind"] not in KINDS:
        raise _BadProfile(f"单位类别“{data['kind'][:20]}”无效")
    if len(data["department"]) > MAX_STORED_NAME_CHARS:
        raise _BadProfile(f"单位名称有{len(data['department'])}个字，不像单位名称")
    campaign = data.get("campaign", "2015")
    if not re.fullmatch(r"[0-9A-Za-z_-]{1,40}", campaign):  # a campaign id names a data file: no path in it
        raise _BadProfile(f"考评年度“{campaign[:20]}”无效")
    return data


def damage_of(exc: BaseException) -> str:
    """What is wrong, for the "已损坏" message: ours in Chinese, SQLite's own words, else a general phrase."""
    if isinstance(exc, _BadProfile | sqlite3.DatabaseError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "它所属的考评年度不在本程序中"
    return f"内容不符合工作区的格式：{type(exc).__name__}"


def _free_space(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 1 << 62  # unknown: not taken for a full disk


def remove_files(path: Path) -> None:
    """Remove a workspace that could not be created, with SQLite's files beside it."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        with contextlib.suppress(OSError):
            (path.parent / name).unlink(missing_ok=True)


def explain_create_error(exc: sqlite3.OperationalError, path: Path) -> str:
    if is_disk_full(exc):
        return f"没有创建工作区“{path.name}”：{disk_full_message(path.parent)}"
    return f"没有创建工作区“{path.name}”（{exc}）：请换一个文件夹（如“文档”）后重试。"


def explain_write_error(exc: sqlite3.OperationalError, path: Path) -> str:
    """A failed write in Chinese: what happened, that earlier work is safe, and what to do."""
    text = str(exc).lower()
    kept = "刚才的修改没有保存，之前保存的内容都还在。"
    if "full" in text:
        return f"磁盘空间已满，{kept}请清理“{path.parent}”所在磁盘的空间后再试。"
    if "readonly" in text or "read-only" in text:
        return f"工作区文件“{path.name}”现在是只读的，{kept}请检查文件属性或把它复制到可写的文件夹后再打开。"
    if "i/o" in text:
        return f"读写工作区文件“{path.name}”时出错（U盘或网络盘可能已断开），{kept}请确认磁盘连接正常后再试。"
    if "locked" in text or "busy" in text:
        return f"工作区正忙，{kept}请稍后再试。"
    return f"保存到“{path.name}”失败（{exc}），{kept}请检查磁盘后再试。"


def create(conn: sqlite3.Connection) -> None:
    for version in sorted(MIGRATIONS):
        MIGRATIONS[version](conn)
    conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    conn.execute("INSERT INTO meta(key, value) VALUES ('application', '报送助手')")


def version(conn: sqlite3.Connection, path: Path) -> int:
    """The stored schema version: a whole number from 1 on, else the file is damaged."""
    try:
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise damaged(path, str(exc)) from exc
    text = found[0] if found else None
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise damaged(path, f"版本号“{str(text)[:20]}”无效")
    return int(text)


def migrate(conn: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
    current = version(conn, path)
    if current > SCHEMA_VERSION:
        raise _error("这个工作区由更新版本的报送助手创建，请升级报送助手后再打开。")
    if read_only:  # every older version reads as it is (see MIGRATIONS); nothing may be written
        return
    with conn:
        for target in range(current + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file whose pages do not hold together (cut short, bytes flipped), before any of it is used:
    about 0.1 s for 200 000 rows, under 1 % of opening them, and it finds damage in pages read only later.
    The texts (reports, records) are read once too: SQLite checks structure, not that text is UTF-8."""
    _check_size(path)
    try:
        found = conn.execute("PRAGMA quick_check(1)").fetchone()
        if found == ("ok",) and "texts" in _tables(conn):
            conn.execute("SELECT key, value FROM texts").fetchall()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a flipped byte inside a text: not UTF-8
        raise damaged(path, str(exc)) from exc
    if found != ("ok",):
        raise damaged(path, str(found[0] if found else "")[:120])


# Values of the right shape, checked in SQL on every open (about 20 ms for 200 000 rows: most rows keep no
# typed text). SQLite keeps any value in any column, so a hand-edited or "repaired" file can hold a word
# where a number belongs; such a file is damaged, said at once rather than as a traceback at export.
_CONTENT_CHECKS = (
    ("SELECT key FROM texts WHERE typeof(value) != 'text' LIMIT 1", "“{}”一项不是文字"),
    ("SELECT key FROM profile WHERE typeof(value) != 'text' LIMIT 1", "单位信息“{}”一项不是文字"),
    ("SELECT id FROM frames WHERE typeof(form) != 'text' OR typeof(item) != 'text' OR typeof(position) != 'integer'"
     " LIMIT 1", "第{}个抽样框的记录格式不对"),
    (f"SELECT id FROM frames WHERE length(item) > {MAX_STORED_NAME_CHARS} LIMIT 1", "第{}个抽样框的工作事项名称过长"),
    ("SELECT row_id FROM justifications WHERE typeof(row_id) != 'integer' OR typeof(code) != 'text'"
     " OR typeof(text) != 'text' LIMIT 1", "编号为{}的一行所填的说明格式不对"),
    ("SELECT id FROM rows WHERE typeof(pos) NOT IN ('real', 'integer') OR typeof(frame_id) != 'integer'"
     " OR typeof(norm) != 'text' OR typeof(raw) != 'text' OR id > 9007199254740991"
     " OR (override IS NOT NULL AND typeof(override) != 'integer') LIMIT 1", "编号为{}的一行格式不对"),
    ("SELECT id FROM rows WHERE raw != '' AND (NOT json_valid(raw) OR json_type(raw) != 'object') LIMIT 1",
     "编号为{}的一行所录入的内容格式不对"),
)


def content_check(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a workspace whose values are of the wrong type (see _CONTENT_CHECKS) as damaged."""
    for query, detail in _CONTENT_CHECKS:
        found = conn.execute(query).fetchone()
        if found is not None:
            raise damaged(path, detail.format(str(found[0])[:40]))


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _check_size(path: Path) -> None:
    """A file cut short: its size is not whole pages, or not the page count its header gives."""
    with path.open("rb") as handle:
        header = handle.read(100)
    size = path.stat().st_size
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return  # not SQLite at all: refused as not a workspace
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # SQLite's own rule for trusting the page count
    wal = Path(f"{path}-wal")
    header_valid &= not (wal.exists() and wal.stat().st_size)  # a crash mid-checkpoint: the WAL completes it
    if page_size < 512 or size % page_size or (header_valid and pages and pages * page_size != size):
        raise damaged(path, "文件不完整，可能在复制或保存时被截断")


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy what the WAL holds into the main file, so the .baosong file alone is the whole workspace
    (a copy of it made while the window is open is a real backup). The lock is exclusive, so no reader
    can hold the copy back; PASSIVE never waits. A failure (a full disk) leaves the pages in the WAL,
    where they are safe; the next save tries again, so it is not reported."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()


def backup_file(conn: sqlite3.Connection, source: Path, target: Path, overwrite: bool = False) -> Path:
    """Write the whole workspace into `target` through SQLite's backup API: one self-contained file
    (rollback-journal mode, no -wal beside it), put in place only when complete."""
    if target.exists() and (not overwrite or target.resolve() == source.resolve()):
        raise WorkspaceError(f"“{target}”已经存在，请换一个文件名（备份不会覆盖已有的文件）。")
    if target.is_dir() or not target.parent.is_dir():
        raise WorkspaceError(f"“{target}”不是可以保存备份的文件名，请选择一个文件夹中的新文件名。")
    with scratch.beside(target) as part:
        try:
            copy = sqlite3.connect(str(part), isolation_level=None)
            try:
                conn.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE").fetchone()
            finally:
                copy.close()
            os.replace(part, target)
        except (OSError, sqlite3.Error) as exc:
            remove_files(part)  # with the -wal and -shm SQLite made beside it
            raise WorkspaceError(_backup_error(exc, target, source.stat().st_size)) from exc
    return target


def _backup_error(exc: OSError | sqlite3.Error, target: Path, needed: int) -> str:
    text = str(exc).lower()
    if is_disk_full(exc) or ("i/o" in text and _free_space(target.parent) < needed + (1 << 20)):
        # SQLite reports a write refused for want of space as "disk I/O error": the free space tells
        return f"磁盘空间不足，备份没有完成：请清理“{target.parent}”所在磁盘的空间，或换一个文件夹后重试。"
    if isinstance(exc, PermissionError) or "readonly" in text or "unable to open" in text:
        return f"无法在“{target.parent}”中写入备份：请换一个可写的文件夹（如“文档”或U盘）后重试。"
    return f"备份到“{target}”失败（{exc}）：请换一个文件夹后重试。"


