"""The office's password table: the passwords phoned in, typed by the office into .xlsx or .csv.

Columns 压缩包 (the archive's file name) and 密码; 单位 and 类别 are optional. What a person typing a
phoned password gets wrong is forgiven: spaces, missing or extra dashes, lower case, full-width
characters. The program's own passwords (packaging.password) are upper-case groups of four from an
alphabet without look-alikes (no 0/O, no 1/I/l), so regrouping them is never a guess between two readings.
Nothing here logs a password or writes it anywhere.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from forms.base.errors import UserError
from forms.sheets.excel_in import ReadError, cell_text, read_table
from packaging import password as password_mod

HEADER_SCAN = 10
COLUMNS = {"archive": ("压缩包", "压缩包名称", "压缩包文件名", "文件名"), "password": ("密码", "解压密码"),
           "department": ("单位", "报送单位", "单位名称"), "category": ("类别", "单位类别")}


class IntakeError(UserError):
    """The folder of archives or the password table cannot be read; `message` says what to do."""


@dataclass(frozen=True)
class PasswordEntry:
    archive: str
    password: str = ""
    department: str = ""
    category: str = ""

    def __repr__(self) -> str:  # a password must never reach a log or a traceback by repr()
        return f"PasswordEntry(archive={self.archive!r}, department={self.department!r})"


def name_key(name: str) -> str:
    """An archive name as compared: width, case, spaces and the .zip suffix do not matter."""
    text = "".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return text.removesuffix(".zip")


class PasswordBook:
    """The password table, looked up by archive name (or, failing that, by a department named in it)."""

    def __init__(self, entries: list[PasswordEntry]) -> None:
        self.entries = entries
        self._by_name = {name_key(e.archive): e for e in entries if e.archive}

    def lookup(self, archive_name: str) -> PasswordEntry | None:
        found = self._by_name.get(name_key(archive_name))
        if found is not None:
            return found
        key = name_key(archive_name)
        named = [e for e in self.entries if e.department and name_key(e.department) in key]
        return max(named, key=lambda e: len(e.department)) if named else None


def candidates(typed: str) -> list[str]:
    """The passwords to try for what the office typed: as typed, then with its slips forgiven."""
    text = unicodedata.normalize("NFKC", typed).strip()
    if not text:
        return []
    compact = "".join(ch for ch in text if not ch.isspace())
    bare = compact.replace("-", "").replace("—", "")
    tries = [text, compact]
    group = password_mod.GROUP
    upper = bare.upper()
    if len(upper) % group == 0 and set(upper) <= set(password_mod.ALPHABET):
        tries.append(password_mod.SEPARATOR.join(upper[i : i + group] for i in range(0, len(upper), group)))
    tries.append(bare)
    return [t for t in dict.fromkeys(tries) if t.isascii()]


def read_passwords(path: str | Path) -> PasswordBook:
    """Read the table; IntakeError when it cannot be read or lacks 压缩包/密码."""
    p = Path(path)
    try:
        tables = read_table(p)
    except ReadError as exc:
        raise IntakeError(f"密码表无法读取：{exc.message}") from None
    for _sheet, rows in tables:
        texts = [[cell_text(v).strip() for v in row] for row in rows]
        found = _header(texts)
        if found is not None:
            top, columns = found
            return PasswordBook([entry for row in texts[top + 1 :] if (entry := _entry(row, columns))])
    raise IntakeError(f"密码表“{p.name}”中找不到“压缩包”和“密码”两列：请在第一行写上列名“压缩包”“密码”"
                      "（可再加“单位”“类别”），每个压缩包一行。")


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for at, row in enumerate(rows[:HEADER_SCAN]):
        columns = {key: row.index(name) for key, names in COLUMNS.items() for name in names if name in row}
        if "archive" in columns and "password" in columns:
            return at, columns
    return None


def _entry(row: list[str], columns: dict[str, int]) -> PasswordEntry | None:
    def cell(key: str) -> str:
        at = columns.get(key)
        return row[at] if at is not None and at < len(row) else ""

    if not cell("archive") and not cell("department"):
        return None
    return PasswordEntry(cell("archive"), cell("password"), cell("department"), cell("category"))
