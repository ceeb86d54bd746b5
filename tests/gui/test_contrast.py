"""The palette of gui/style.py against WCAG 2.1: text 4.5:1 on what it is drawn on (1.4.3), marks, outlines
and the focus indicator 3:1 against what is next to them (1.4.11); a grid cell's state is a shape too."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from gui import style

TEXT, NON_TEXT = 4.5, 3.0
BACKGROUNDS = {"white": style.WHITE, "sidebar": style.SIDEBAR_BACKGROUND}


@pytest.mark.parametrize(("one", "other", "expected"), [
    ("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#f7b9b9", "#ffffff", 1.67),
    ("#ffe08a", "#ffffff", 1.29), ("#ef8f00", "#ffffff", 2.44), ("#9e9e9e", "#ffffff", 2.68),
    ("#767676", "#ffffff", 4.54),
])
def test_the_ratio_is_wcag_s(one: str, other: str, expected: float) -> None:
    assert round(style.contrast(one, other), 2) == expected


@pytest.mark.parametrize("name", ["todo", "errors", "warnings", "done"])
@pytest.mark.parametrize("background", BACKGROUNDS)
def test_state_texts_are_readable(name: str, background: str) -> None:
    assert style.contrast(style.STATE_COLOURS[name], BACKGROUNDS[background]) >= TEXT


@pytest.mark.parametrize("colour", [style.MUTED_COLOUR, style.LINK_COLOUR, style.SERIAL_TEXT, style.ERROR_COLOUR,
                                    style.WARNING_COLOUR, style.OK_COLOUR])
def test_other_texts_are_readable(colour: str) -> None:
    assert style.contrast(colour, style.WHITE) >= TEXT
    assert style.contrast(colour, style.NEW_ROW_FILL) >= TEXT or colour != style.SERIAL_TEXT


@pytest.mark.parametrize("state", ["error", "warning", "accepted"])
def test_a_cell_s_state_stands_out_from_white_its_fill_and_the_selection(state: str) -> None:
    edge = style.CELL_EDGES[state]
    for neighbour in (style.WHITE, style.CELL_FILLS[state], style.CELL_SELECTED[state]):
        assert style.contrast(edge, neighbour) >= NON_TEXT, (state, neighbour)
    for fill in (style.CELL_FILLS[state], style.CELL_SELECTED[state]):
        assert style.contrast(style.TEXT, fill) >= TEXT  # the cell's own text on its fill
    assert style.contrast(style.WHITE, edge) >= TEXT  # the × / ! / ✓ inside the mark


@pytest.mark.parametrize("background", BACKGROUNDS.values())
def test_the_focus_outline_stands_out(background: str) -> None:
    assert style.contrast(style.FOCUS_COLOUR, background) >= NON_TEXT


@pytest.mark.parametrize("background", [style.WHITE, *style.CELL_FILLS.values(), *style.CELL_SELECTED.values(),
                                        style.NEW_ROW_FILL])
def test_the_current_cell_s_border_stands_out_on_every_fill(background: str) -> None:
    assert style.contrast(style.CURRENT_CELL, background) >= NON_TEXT
    assert style.contrast(style.UNFOCUSED_CURRENT, background) >= NON_TEXT


def test_step_state_icons_differ_in_shape_not_only_in_colour(qapp: QApplication) -> None:
    """Drawn in one grey, the four icons still differ: each has its own glyph."""
    masks = []
    for state in ("todo", "errors", "warnings", "done"):
        image = QImage(32, 32, QImage.Format.Format_ARGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        style.state_icon(state).paint(painter, 0, 0, 32, 32)
        painter.end()
        masks.append(tuple(QColor(image.pixel(x, y)).lightness() > 200 for x in range(32) for y in range(32)))
    assert len(set(masks)) == 4
