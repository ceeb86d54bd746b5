"""How a grid cell shows its state besides its fill, and where the current cell is.

A cell with a finding gets a 1-px outline and a mark in its right corner: a circle with × for an error, a
triangle with ! for a warning, a ✓ for a warning explained. Shape, outline and fill each say it, so the
state never rests on a hue alone (WCAG 1.4.1), and outline and mark stand out 3:1 from the fill, the
selection and white (1.4.11). The current cell gets a thick border: blue while the grid has the focus.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from gui import style

MARK_ROLE = Qt.ItemDataRole.UserRole + 40  # a cell's state: "error", "warning", "accepted" or None
CURRENT_BORDER = 3
_GLYPHS = {"error": style.GLYPH_ERROR, "warning": style.GLYPH_WARNING, "accepted": style.GLYPH_OK}
AnyIndex = QModelIndex | QPersistentModelIndex


def mark_size(option: QStyleOptionViewItem) -> int:
    return max(10, min(option.rect.height() - 6, option.fontMetrics.height()))


def paint(delegate: QStyledItemDelegate, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
    """The cell as the item delegate draws it, its text kept clear of the mark, then outline, mark, border."""
    state = index.data(MARK_ROLE)
    opt = QStyleOptionViewItem(option)
    opt.state &= ~QStyle.StateFlag.State_HasFocus  # the current cell's border below says it, stronger
    if state in _GLYPHS:
        opt.rect = option.rect.adjusted(0, 0, -(mark_size(option) + 4), 0)
        _fill(painter, option, index, option.rect)
    QStyledItemDelegate.paint(delegate, painter, opt, index)
    if state in _GLYPHS:
        _outline(painter, option.rect, style.CELL_EDGES[state])
        _mark(painter, option, str(state))
    view = option.widget
    if view is not None and _is_current(view, index):
        _current_border(painter, option.rect, view.hasFocus())


def _fill(painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, rect: QRect) -> None:
    """The cell's background under the mark too: the selection colour when selected, else its fill."""
    if option.state & QStyle.StateFlag.State_Selected:
        painter.fillRect(rect, option.palette.highlight())
        return
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    if brush is not None:
        painter.fillRect(rect, brush)


def _outline(painter: QPainter, rect: QRect, colour: str) -> None:
    painter.save()
    painter.setPen(QPen(QColor(colour), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(0, 0, -1, -1))
    painter.restore()


def _mark(painter: QPainter, option: QStyleOptionViewItem, state: str) -> None:
    size = mark_size(option)
    rect = option.rect
    box = QRectF(rect.right() - size - 2, rect.top() + (rect.height() - size) / 2, size, size)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(style.CELL_EDGES[state]))
    if state == "warning":
        path = QPainterPath(QPointF(box.center().x(), box.top()))
        path.lineTo(box.bottomRight())
        path.lineTo(box.bottomLeft())
        path.closeSubpath()
        painter.drawPath(path)
        glyph_box = box.adjusted(0, size * 0.12, 0, size * 0.08)
    else:
        painter.drawEllipse(box)
        glyph_box = box
    style.draw_glyph(painter, _GLYPHS[state], glyph_box, QColor(style.WHITE))
    painter.restore()


def _is_current(view: QWidget, index: AnyIndex) -> bool:
    current = getattr(view, "currentIndex", None)
    here = current() if callable(current) else None
    return here is not None and here.isValid() and here.row() == index.row() and here.column() == index.column()


def _current_border(painter: QPainter, rect: QRect, focused: bool) -> None:
    """Drawn inside the cell (the neighbours paint over anything outside it)."""
    width = CURRENT_BORDER
    painter.save()
    pen = QPen(QColor(style.CURRENT_CELL if focused else style.UNFOCUSED_CURRENT), width)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = width // 2
    painter.drawRect(rect.adjusted(half, half, -half - 1, -half - 1))
    painter.restore()
