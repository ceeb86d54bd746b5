"""The look shared by every screen: fonts with a CJK fallback, status colours and icons, message boxes.

Every message the clerk can cause goes through `warn`/`confirm` here, so each one is a Chinese
QMessageBox that says what to do (and tests capture them in one place).
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap
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

# The palette. Every colour that carries meaning is here, so tests/gui/test_contrast.py can hold each to
# WCAG 2.1: text 4.5:1 against what it is drawn on, marks and outlines 3:1 (1.4.3, 1.4.11).
WHITE, SIDEBAR_BACKGROUND, TEXT = "#ffffff", "#f6f7f9", "#000000"
STATE_COLOURS = {"todo": "#5f6368", "errors": "#c62828", "warnings": "#8a5a00", "done": "#2e7d32"}
OK_COLOUR = STATE_COLOURS["done"]
ERROR_COLOUR = STATE_COLOURS["errors"]
WARNING_COLOUR = STATE_COLOURS["warnings"]
MUTED_COLOUR = "#5f6368"
LINK_COLOUR = "#1a5fb4"
FOCUS_COLOUR = "#1a5fb4"  # the 2-px focus outline of every control
CURRENT_CELL = "#0a2f6b"  # the current grid cell's border: darker, for it is drawn on red and amber fills too
UNFOCUSED_CURRENT = "#3c3c3c"  # the current grid cell's border while the grid has no focus
INVALID_STYLE = (f"QLineEdit {{ border: 1px solid {ERROR_COLOUR}; padding: 1px; background: #fff4f4; }}"
                 f" QLineEdit:focus {{ border: 2px solid {ERROR_COLOUR}; padding: 0px; }}")
# Grid cells with a finding: the fill, the 1-px outline and the corner mark (× error, ! warning, ✓ explained)
# each say it, so the state does not rest on the fill's hue alone.
CELL_FILLS = {"error": "#f7b9b9", "warning": "#ffe08a", "accepted": "#e4e4e4"}
CELL_EDGES = {"error": "#8b0000", "warning": "#6b4400", "accepted": "#4d4d4d"}
CELL_SELECTED = {"error": "#e57373", "warning": "#f0c14b", "accepted": "#bdbdbd"}
NEW_ROW_FILL, SERIAL_TEXT = "#f4f8ff", "#5f6368"

_FOCUSABLE = ("QPushButton", "QToolButton", "QLineEdit", "QPlainTextEdit", "QTextEdit", "QComboBox",
              "QAbstractSpinBox", "QAbstractItemView", "QCheckBox", "QRadioButton", "QTabBar", "QLabel")
APP_STYLE = f"""
QLabel#pageTitle {{ font-size: 16pt; font-weight: bold; }}
QLabel#hint {{ color: {MUTED_COLOUR}; }}
QLabel#sectionTitle {{ font-weight: bold; }}
QTreeWidget#guide {{ background: {SIDEBAR_BACKGROUND}; }}
QFrame#sidebar {{ background: {SIDEBAR_BACKGROUND}; border-right: 1px solid #dcdfe4; }}
QLabel#deadline {{ font-weight: bold; padding: 6px 4px; }}
QListWidget#recent::item {{ padding: 6px 4px; }}
QPushButton, QToolButton {{ border: 1px solid #8c9199; border-radius: 3px; padding: 4px 10px;
                            background: #fbfbfc; color: {TEXT}; }}
QToolButton[popupMode="1"] {{ padding-right: 20px; }}
QPushButton:hover, QToolButton:hover {{ background: #eaf1fb; }}
QPushButton:pressed, QToolButton:pressed {{ background: #d6e3f5; }}
QPushButton:disabled, QToolButton:disabled {{ color: #767676; border-color: #c4c8ce; background: #f3f4f6; }}
QPushButton:default {{ border-color: {FOCUS_COLOUR}; }}
QPushButton:focus, QToolButton:focus {{ border: 2px solid {FOCUS_COLOUR}; padding: 3px 9px; }}
QToolButton[popupMode="1"]:focus {{ padding-right: 19px; }}
QToolButton#qt_toolbar_ext_button {{ border: none; background: transparent; padding: 0px; }}
QToolBar {{ border: none; spacing: 4px; }}
QLineEdit, QAbstractSpinBox, QComboBox {{ border: 1px solid #8c9199; padding: 2px; border-radius: 2px;
                                          background: {WHITE}; }}
QLineEdit:disabled, QAbstractSpinBox:disabled, QComboBox:disabled {{ background: #f3f4f6; color: #767676; }}
QLineEdit:focus, QAbstractSpinBox:focus, QComboBox:focus {{ border: 2px solid {FOCUS_COLOUR}; padding: 1px; }}
QPlainTextEdit, QTextEdit, QAbstractItemView {{ border: 1px solid #8c9199; padding: 1px; }}
QPlainTextEdit:focus, QTextEdit:focus, QAbstractItemView:focus {{ border: 2px solid {FOCUS_COLOUR}; padding: 0px; }}
QTreeWidget#guide {{ border: 2px solid transparent; padding: 0px; }}
QTreeWidget#guide:focus {{ border: 2px solid {FOCUS_COLOUR}; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 2px; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {FOCUS_COLOUR}; }}
QTabBar:focus {{ border: 2px solid {FOCUS_COLOUR}; }}
QLabel[focusPolicy="11"]:focus {{ border: 2px solid {FOCUS_COLOUR}; }}
"""


def luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    channels = [int(hex_colour.lstrip("#")[n:n + 2], 16) / 255 for n in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


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
    """A step state's mark in its colour, each a shape of its own: ✓ done, × errors, ! warnings, ○ to do."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(STATE_COLOURS.get(state, STATE_COLOURS["todo"]))
    if state in ("done", "errors", "warnings"):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(2, 2, size - 4, size - 4)
        glyph = {"done": GLYPH_OK, "errors": GLYPH_ERROR, "warnings": GLYPH_WARNING}[state]
        draw_glyph(painter, glyph, QRectF(2, 2, size - 4, size - 4), QColor(WHITE))
    else:
        painter.setPen(QPen(colour, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(4, 4, size - 8, size - 8)
    painter.end()
    return QIcon(pixmap)


GLYPH_OK, GLYPH_ERROR, GLYPH_WARNING = "ok", "error", "warning"


def draw_glyph(painter: QPainter, glyph: str, box: QRectF, colour: QColor) -> None:
    """A ✓, × or ! drawn as strokes (no font needed) in the middle of `box`."""
    w, h = box.width(), box.height()
    pen = QPen(colour, max(1.5, w * 0.14), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.save()
    painter.setPen(pen)
    x, y = box.left(), box.top()
    if glyph == GLYPH_OK:
        painter.drawPolyline([QPointF(x + w * .27, y + h * .52), QPointF(x + w * .44, y + h * .70),
                              QPointF(x + w * .75, y + h * .33)])
    elif glyph == GLYPH_ERROR:
        painter.drawLine(QPointF(x + w * .32, y + h * .32), QPointF(x + w * .68, y + h * .68))
        painter.drawLine(QPointF(x + w * .68, y + h * .32), QPointF(x + w * .32, y + h * .68))
    else:
        painter.drawLine(QPointF(x + w * .5, y + h * .24), QPointF(x + w * .5, y + h * .56))
        painter.drawPoint(QPointF(x + w * .5, y + h * .76))
    painter.restore()


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
