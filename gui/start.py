"""The start screen: recent workspaces, 打开…, 新建部门…, and a hint that a .baosong file can be dropped;
and the ways in: a dropped .baosong file, and opening a workspace off the GUI thread.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.base.file_errors import os_reason
from forms.store.schema import WorkspaceError
from gui import style

PATH_ROLE = Qt.ItemDataRole.UserRole
WORKSPACE_SUFFIX = ".baosong"


class StartScreen(QWidget):
    """What the clerk sees before a workspace is open."""

    open_requested = Signal(str)  # a path to open
    browse_requested = Signal()  # 打开…
    new_requested = Signal()  # 新建部门…
    intake_requested = Signal()  # 考评办收件

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 36, 48, 36)
        title = QLabel("报送助手")
        title.setStyleSheet("font-size: 24pt; font-weight: bold;")
        outer.addWidget(title)
        outer.addWidget(style.hint("自治区直属机关社会评价报送材料：抽样框、评议问卷、情况表、报告、领导评价表，"
                                   "逐项填写、随时检查，全部在本机完成，不联网。"))
        outer.addSpacing(16)
        body = QHBoxLayout()
        body.addLayout(self._recent_side(), 3)
        body.addSpacing(32)
        body.addLayout(self._action_side(), 2)
        outer.addLayout(body, 1)

    def _recent_side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        label = QLabel("最近打开的工作区(&R)")
        label.setObjectName("sectionTitle")
        side.addWidget(label)
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        label.setBuddy(self.recent)
        self.recent.setAccessibleName("最近打开的工作区")
        self.recent.setAlternatingRowColors(True)
        self.recent.itemActivated.connect(self._activated)
        side.addWidget(self.recent, 1)
        side.addWidget(style.hint("双击或按回车键打开。"))
        return side

    def _action_side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        new = QPushButton("新建部门(&N)…")
        new.setMinimumHeight(44)
        new.setDefault(True)
        new.clicked.connect(self.new_requested)
        browse = QPushButton("打开工作区(&O)…")
        browse.setMinimumHeight(44)
        browse.clicked.connect(self.browse_requested)
        side.addWidget(new)
        side.addWidget(style.hint("第一次使用：填写部门名称、参评单位类别等，程序会列出本部门需要报送的全部材料。"))
        side.addSpacing(12)
        side.addWidget(browse)
        side.addWidget(style.hint(f"打开已有的工作区文件（{WORKSPACE_SUFFIX}）。也可以把工作区文件直接拖到本窗口。"))
        side.addSpacing(24)
        intake = QPushButton("考评办收件")
        intake.setObjectName("intakeButton")
        intake.setMinimumHeight(44)
        intake.clicked.connect(self.intake_requested)
        side.addWidget(intake)
        side.addWidget(style.hint("绩效考评办使用：用密码表打开各单位发来的压缩包，按同样的规则检查，汇总抽样框并列出收件情况。"))
        side.addStretch(1)
        return side

    def show_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for text in paths:
            path = Path(text)
            exists = path.exists()
            item = QListWidgetItem(f"{path.stem}\n{path.parent}" + ("" if exists else "（文件已不存在）"))
            item.setData(PATH_ROLE, text)
            item.setToolTip(text)
            if not exists:
                item.setForeground(style.qcolor(style.MUTED_COLOUR))
            self.recent.addItem(item)
        if not paths:
            placeholder = QListWidgetItem("（还没有打开过工作区）")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)

    def _activated(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.open_requested.emit(str(path))


class Opener(QObject):
    """Opens a workspace on a worker thread; the result comes back to the GUI thread as a signal."""

    done = Signal(object)
    failed = Signal(str, str)  # path, Chinese message

    def start(self, path: Path) -> None:
        threading.Thread(target=self._open, args=(path,), daemon=True, name="open-workspace").start()

    def _open(self, path: Path) -> None:
        try:
            from forms.store.workspace import Workspace

            ws = Workspace.open(path)
        except WorkspaceError as exc:
            self.failed.emit(str(path), exc.message)
        except OSError as exc:
            self.failed.emit(str(path), f"无法读取“{path.name}”：{os_reason(exc)}。请确认文件可以访问后再试。")
        else:
            gc.freeze()  # the loaded rows and indexes live on: later collections need not walk them
            self.done.emit(ws)


def dropped_workspace(event: QDragEnterEvent | QDropEvent) -> str:
    """The first .baosong file among dropped URLs ('' when none)."""
    for url in event.mimeData().urls() if event.mimeData().hasUrls() else []:
        if url.isLocalFile() and url.toLocalFile().lower().endswith(WORKSPACE_SUFFIX):
            return url.toLocalFile()
    return ""
