"""The look shared by every screen: fonts with a CJK fallback, status colours and icons, message boxes.

Every message the clerk can cause goes through `warn`/`confirm` here, so each one is a Chinese
QMessageBox that says what to do (and tests capture them in one place).
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget


def guard_none_refcount() -> bool:
    """Keep None alive under a PySide6 that drops a reference to it on every call of a void method.

    PySide6 6.12.0 on Python 3.11 does that (6.11.3 does not; from 3.12 None is immortal): after a few
    thousand calls Python deallocates None and aborts (“Fatal Python error: none_dealloc”). Where the
    leak shows, None gets so many references that it can never reach zero. True when it was needed."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    if sys.getrefcount(None) >= before:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True


NONE_GUARDED = guard_none_refcount()  # every screen imports this module, so the guard runs before any of them

# Tried in order for every glyph: a Latin UI face first, then the Chinese faces of Windows, macOS, Linux.
CJK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                "Source Han Sans SC", "WenQuanYi Micro Hei", "SimSun")
MIN_POINT_SIZE = 10

STATE_COLOURS = {"todo": "#9e9e9e", "errors": "#d32f2f", "warnings": "#ef8f00", "done": "#2e7d32"}
OK_COLOUR = STATE_COLOURS["done"]
ERROR_COLOUR = STATE_COLOURS["errors"]
WARNING_COLOUR = STATE_COLOURS["warnings"]
MUTED_COLOUR = "#5f6368"
INVALID_STYLE = f"border: 1px solid {ERROR_COLOUR}; background: #fff4f4;"

APP_STYLE = """
QLabel#pageTitle { font-size: 16pt; font-weight: bold; }
QLabel#hint { color: #5f6368; }
QLabel#sectionTitle { font-weight: bold; }
QTreeWidget#guide { border: none; background: #f6f7f9; }
QFrame#sidebar { background: #f6f7f9; border-right: 1px solid #dcdfe4; }
QLabel#deadline { font-weight: bold; padding: 6px 4px; }
QListWidget#recent::item { padding: 6px 4px; }
"""


def apply_app_font(app: QApplication) -> None:
    """Keep the platform's UI face for Latin text and fall back to a Chinese face for the rest."""
    font = QFont(app.font())
    font.setFamilies([font.family(), *CJK_FAMILIES])
    if 0 < font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(APP_STYLE)


@cache
def state_icon(state: str) -> QIcon:
    """A filled circle in the colour of a step state (todo, errors, warnings, done)."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(STATE_COLOURS.get(state, STATE_COLOURS["todo"])))
    painter.drawEllipse(4, 4, size - 8, size - 8)
    painter.end()
    return QIcon(pixmap)


def qcolor(hex_colour: str) -> QColor:
    return QColor(hex_colour)


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def coloured(label: QLabel, text: str, colour: str, bold: bool = False) -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {colour};" + (" font-weight: bold;" if bold else ""))


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A problem the clerk can fix: what happened and what to do, in Chinese."""
    QMessageBox.warning(parent, title, text)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


SAVE_FAILED = ("无法保存刚才的修改：{reason}。\n\n请检查磁盘空间和文件是否被其他程序占用，然后再试；"
               "在问题解决前请不要关闭窗口，已输入的内容仍保留在窗口中。")
