"""Fitting a table into less width than it would like: at 150 % text the frame grid's nine columns no longer
fit beside the step list, and the 邮政编码 column with its error went out of sight.

`ShrinkColumns` keeps each column's preferred width (as laid out, or as the clerk dragged it) and, when the
view is narrower than their sum, narrows them all in proportion, none below the width of its header's
first characters; when the view is wide again they return to what they were.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

FITTING = "fittingColumns"  # the table property gui.habits reads (set while narrowing)
MIN_CHARS = 3  # a column never shrinks below about this many characters of its header


class ShrinkColumns(QObject):
    """Watches a table's viewport and shrinks its columns to fit it (see the module's docstring)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        header = table.horizontalHeader()
        self.preferred = [header.sectionSize(n) for n in range(header.count())]
        self._fitting = False
        header.sectionResized.connect(self._dragged)
        table.viewport().installEventFilter(self)
        self.fit()

    def minimum(self, column: int) -> int:
        metrics = self.table.fontMetrics()
        return metrics.horizontalAdvance("国" * MIN_CHARS) + 12

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        if header.count() != len(self.preferred):
            self.preferred = [header.sectionSize(n) for n in range(header.count())]
        widths = fitted(self.preferred, [self.minimum(n) for n in range(len(self.preferred))],
                        self.table.viewport().width())
        self._fitting = True
        self.table.setProperty(FITTING, True)  # gui.habits remembers only the widths the clerk drags
        try:
            for column, width in enumerate(widths):
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False
            self.table.setProperty(FITTING, False)

    def _dragged(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column < len(self.preferred):
            self.preferred[column] = new  # the clerk's own width is the one to return to

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False


def fitted(preferred: list[int], minimum: list[int], available: int) -> list[int]:
    """Column widths that fit `available` when they can: the preferred ones if they fit, else each
    narrowed in proportion to what it can give up (never below its minimum)."""
    total = sum(preferred)
    if total <= available or available <= 0:
        return list(preferred)
    spare = [max(p - m, 0) for p, m in zip(preferred, minimum, strict=True)]
    give = min(total - available, sum(spare))
    share = give / sum(spare) if sum(spare) else 0.0
    return [p - int(s * share + 0.999) for p, s in zip(preferred, spare, strict=True)]
