"""Habits kept between runs: each form's column widths and the folder the file dialogs last used.

Stored in the program's QSettings (gui.settings.AppSettings), which the window hands over with `use()`.
Nothing personal: widths are numbers, the folder is one the clerk chose. Without settings (a page built
alone, in tests) nothing is remembered and dialogs start in the home folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHeaderView, QTableView, QWidget

from gui.settings import AppSettings

_SETTINGS: list[AppSettings] = []  # the window's settings, once it said so


def use(settings: AppSettings | None) -> None:
    _SETTINGS[:] = [settings] if settings is not None else []


def _settings() -> AppSettings | None:
    return _SETTINGS[0] if _SETTINGS else None


# -- column widths ------------------------------------------------------------------------------------
def column_widths(form: str) -> list[int]:
    settings = _settings()
    if settings is None:
        return []
    try:
        value = json.loads(str(settings.q.value(f"columns/{form}", "[]")))
    except ValueError:
        return []
    return [int(w) for w in value if isinstance(w, int) and 10 <= w <= 2000] if isinstance(value, list) else []


def set_column_widths(form: str, widths: Sequence[int]) -> None:
    settings = _settings()
    if settings is not None:
        settings.q.setValue(f"columns/{form}", json.dumps(list(widths)))


def size_columns(table: QTableView, form: str, stretch: int) -> None:
    """The widths the clerk left last time (or the table's own); column `stretch` (单位) takes the spare
    width instead of the last one, so a long unit is not cut with …; widths are kept as they are dragged."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for n, width in enumerate(column_widths(form)[:header.count()]):
        if n != stretch:
            header.resizeSection(n, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.sectionResized.connect(lambda *_: set_column_widths(form, [header.sectionSize(n)
                                                                     for n in range(header.count())]))


# -- folders ------------------------------------------------------------------------------------------------
def last_folder(fallback: str | Path | None = None) -> str:
    """Where the last file dialog was left (if it still exists), else `fallback`, else the home folder."""
    settings = _settings()
    folder = str(settings.q.value("dialogs/folder", "") or "") if settings is not None else ""
    if folder and Path(folder).is_dir():
        return folder
    return str(fallback or Path.home())


def remember_folder(path: str) -> None:
    settings = _settings()
    if path and settings is not None:
        target = Path(path)
        settings.q.setValue("dialogs/folder", str(target if target.is_dir() else target.parent))


def open_file(parent: QWidget | None, title: str, filters: str, fallback: str | Path | None = None) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, last_folder(fallback), filters)
    remember_folder(path)
    return path


def existing_folder(parent: QWidget | None, title: str, fallback: str | Path | None = None) -> str:
    folder = QFileDialog.getExistingDirectory(parent, title, last_folder(fallback))
    remember_folder(folder)
    return folder
