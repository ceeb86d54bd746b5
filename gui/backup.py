"""文件 → 备份工作区…: the whole open workspace written to one file the clerk chooses (SQLite's backup API)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from forms.base.errors import UserError
from forms.store.workspace import Workspace
from gui import style


def suggested_name(ws: Workspace, now: dt.datetime) -> Path:
    return ws.path.with_name(f"{ws.path.stem}-备份-{now:%Y%m%d-%H%M}.baosong")


def backup_workspace(parent: QWidget, ws: Workspace, now: dt.datetime | None = None) -> Path | None:
    """Ask where, write the backup, say where it is; a refusal (full disk, no rights) is a message box."""
    chosen, _ = QFileDialog.getSaveFileName(parent, "备份工作区", str(suggested_name(ws, now or dt.datetime.now())),
                                            "报送助手工作区 (*.baosong)")
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != ".baosong":
        target = target.with_name(target.name + ".baosong")
    try:
        written = ws.backup(target, overwrite=True)  # the save dialog has asked before replacing a file
    except UserError as exc:
        style.warn(parent, "备份没有完成", exc.message)
        return None
    style.inform(parent, "已备份", f"工作区已完整备份到“{written}”。\n这一个文件就是全部内容，"
                                  "可以复制到U盘或其他电脑，用报送助手直接打开。")
    return written
