"""The date that goes on the files: 报送时间 on the frames, 成文日期 on the reports.

One field of the workspace (its texts, key `files:date`, ISO `YYYY-MM-DD`). Until the clerk sets
it, it is today's date; the window shows it before anything is exported and the CLI export takes
`--date`. A report may carry a date of its own (its 成文日期, e.g. read from the imported Word file);
otherwise it prints this one.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

KEY = "files:date"


class TextStore(Protocol):
    def text(self, key: str, default: str = "") -> str: ...
    def set_text(self, key: str, value: str) -> None: ...


def parse(text: str) -> dt.date:
    """`2015-11-10` as a date; ValueError with a Chinese message when it is not a real date."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text}”不是有效的日期，请按“年-月-日”写，如 2015-11-10。") from None


def stored(store: TextStore, key: str = KEY) -> dt.date | None:
    """The date kept under `key`; None when none was set (or what is kept is not a date)."""
    text = store.text(key, "")
    try:
        return parse(text) if text.strip() else None
    except ValueError:
        return None


def file_date(store: TextStore, today: dt.date | None = None) -> dt.date:
    """The date written on the files: the one set for the workspace, else today."""
    return stored(store) or today or dt.date.today()


def set_file_date(store: TextStore, date: dt.date | None) -> None:
    """Set the workspace's date (None: back to today's date on each export)."""
    store.set_text(KEY, date.isoformat() if date else "")


def report_date_key(kind: str) -> str:
    return f"report:{kind}:date"


def report_date(store: TextStore, kind: str, today: dt.date | None = None) -> dt.date:
    """A report's 成文日期: its own when set, else the workspace's date."""
    return stored(store, report_date_key(kind)) or file_date(store, today)
