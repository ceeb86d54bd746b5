"""The workspace file's schema, its version, its migrations and how it is opened.

Each migration is keyed by the version it produces; opening an older file runs the missing ones
in one transaction. A newer file than this program knows is refused rather than damaged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from forms.base.errors import UserError

SCHEMA_VERSION = 2

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
}

_LOCKED = "该工作区正在被另一个报送助手窗口或程序使用。请先关闭那个窗口再打开；如确认没有其他程序在用，请重启电脑后再试。"
_NOT_A_WORKSPACE = "“{name}”不是报送助手的工作区文件，或文件已损坏。请选择扩展名为 .baosong 的工作区文件。"


class WorkspaceError(UserError):
    """A workspace problem the clerk can act on; `message` is one Chinese sentence."""


class WorkspaceLocked(WorkspaceError):
    """Another process holds the workspace open."""


def _error(message: str) -> WorkspaceError:
    return WorkspaceLocked(message) if message == _LOCKED else WorkspaceError(message)


def connect(path: Path, create: bool) -> sqlite3.Connection:
    """Open with WAL, full sync and an exclusive lock held for the life of the connection."""
    try:
        conn = sqlite3.connect(str(path), timeout=0.5, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise _error(f"无法打开“{path.name}”：{exc}。请确认文件夹存在且有写入权限。") from exc
    conn.isolation_level = None
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")  # takes and keeps the exclusive lock now, not at the first edit
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise _error(_LOCKED) from exc
        raise _error(_NOT_A_WORKSPACE.format(name=path.name)) from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _error(_NOT_A_WORKSPACE.format(name=path.name)) from exc
    conn.isolation_level = "DEFERRED"  # `with conn:` makes each edit one transaction
    return conn


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


def version(conn: sqlite3.Connection) -> int:
    try:
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _error(_NOT_A_WORKSPACE.format(name="该文件")) from exc
    if not found:
        raise _error(_NOT_A_WORKSPACE.format(name="该文件"))
    return int(found[0])


def migrate(conn: sqlite3.Connection) -> None:
    current = version(conn)
    if current > SCHEMA_VERSION:
        raise _error("这个工作区由更新版本的报送助手创建，请升级报送助手后再打开。")
    with conn:
        for target in range(current + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
