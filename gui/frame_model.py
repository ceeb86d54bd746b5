"""The table model of one sampling frame: the workspace's rows plus one empty line for typing.

Display texts, colours and tooltips are read from the engine's in-memory state into a cache keyed by
row id (gui.row_cache), filled a block of rows at a time, so painting 50 000 rows runs no SQL and no
rule per cell; an edit drops only the rows the workspace says were affected. Edits arrive through
`setData`, which pushes an undo command; the commands call the `write_*` methods below, which change
the workspace and then tell the views exactly which rows moved or changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack
from PySide6.QtWidgets import QWidget

from forms.base.findings import Finding, Severity
from forms.notice.attachments import FRAME_FORMS, Column
from forms.store.row_status import ScratchCheck, has_open_problem
from forms.store.workspace import RowRecord, Workspace
from gui import undo, worker
from gui.clipboard import pasted_values, to_tsv
from gui.row_cache import CellMark, RowCache, RowDisplay

LONG_TEXT = 12  # characters: longer cell texts get a tooltip with the whole text
ERROR_BRUSH = QBrush(QColor("#f7b9b9"))
WARNING_BRUSH = QBrush(QColor("#ffe08a"))
ACCEPTED_BRUSH = QBrush(QColor("#e4e4e4"))
NEW_ROW_BRUSH = QBrush(QColor("#f4f8ff"))
MUTED = QBrush(QColor("#8a8a8a"))
_BRUSHES = {Severity.ERROR.value: ERROR_BRUSH, Severity.WARNING.value: WARNING_BRUSH}
DISPLAY, EDIT, TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole), int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND, FOREGROUND = int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ForegroundRole)
ALIGNMENT, FONT = int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.FontRole)
_ROLES = frozenset({DISPLAY, EDIT, TOOLTIP, BACKGROUND, FOREGROUND, ALIGNMENT, FONT})
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable
AnyIndex = QModelIndex | QPersistentModelIndex


class _Bus(QObject):
    """Tells every frame model of a workspace which rows an edit affected (duplicates cross frames)."""

    rows_changed = Signal(object, object)  # workspace, set of (frame id, row id)


BUS = _Bus()


class FrameModel(QAbstractTableModel):
    """An Excel-like view of one frame: stored rows, then one empty line that becomes a row when typed in."""

    edited = Signal()  # after any change to this frame's rows (the editor refreshes counts and panels)
    failed = Signal(str)  # a change could not be made: the Chinese message to show

    def __init__(self, ws: Workspace, frame_id: int, stack: QUndoStack | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws, self.frame_id = ws, frame_id
        self.stack = stack if stack is not None else QUndoStack(self)
        self.form = FRAME_FORMS[ws.frame(frame_id).form]
        self.columns: tuple[Column, ...] = self.form.columns
        self.keys = [c.key for c in self.columns]
        self.all_ids: list[int] = ws.row_ids(frame_id)
        self.ids: list[int] = self.all_ids  # the visible rows (a subset while filtering)
        self.filtered = False
        self._pos: dict[int, int] | None = None
        self._all_pos: dict[int, int] | None = None
        self._cache = RowCache(ws, frame_id, self.columns)
        self.accepted = ws.justifications(frame_id)
        self.busy: Callable[[], bool] = worker.busy
        self.dialog_parent: QWidget | None = None
        self._scratch = ScratchCheck(ws, frame_id)
        BUS.rows_changed.connect(self._on_bus)

    # -- shape ----------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids) + (0 if self.filtered else 1)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header + ("*" if column.required else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{column.header}（必填）" if column.required else column.header
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _READ_ONLY if self.keys[index.column()] == "serial" else _EDITABLE

    def is_new_row(self, row: int) -> bool:
        return row == len(self.ids) and not self.filtered

    def row_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def position(self, row_id: int) -> int | None:
        """The visible row of a row id (None when filtered out or gone)."""
        if self._pos is None:
            self._pos = {rid: n for n, rid in enumerate(self.ids)}
        return self._pos.get(row_id)

    def row_label(self, row: int) -> str:
        """“第N行” of a visible row (N as 序号 shows it), “新行” for the line to type a new row in."""
        row_id = self.row_id(row)
        return "新行" if row_id is None else f"第{self.serial(row_id)}行"

    def serial(self, row_id: int) -> int:
        """The row's 1-based number in the whole frame (what 序号 shows and exports write)."""
        if not self.filtered:
            return (self.position(row_id) or 0) + 1
        if self._all_pos is None:
            self._all_pos = {rid: n for n, rid in enumerate(self.all_ids)}
        return self._all_pos.get(row_id, -1) + 1

    # -- data -----------------------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid():  # painting asks 7 roles per cell: most end here
            return None
        row, key = index.row(), self.keys[index.column()]
        if self.is_new_row(row):
            return self._new_row_data(key, role)
        if role == EDIT:
            return self.raw_text(self.ids[row], key)
        shown = self.display(row)
        if shown is None:
            return None
        if role == DISPLAY:
            return str(self.serial(self.ids[row])) if key == "serial" else shown.texts.get(key, "")
        return self._role_data(shown, key, role)

    def _new_row_data(self, key: str, role: int) -> Any:
        if role == DISPLAY:
            return "＋" if key == "serial" else ""
        if role == EDIT:
            return ""
        if role == TOOLTIP:
            return "在这一行输入或粘贴，即可添加新的人员"
        return {BACKGROUND: NEW_ROW_BRUSH, FOREGROUND: MUTED}.get(role)

    def _role_data(self, shown: RowDisplay, key: str, role: int) -> Any:
        mark = shown.marks.get(key)
        if role == BACKGROUND:
            return _BRUSHES.get(mark.state, ACCEPTED_BRUSH) if mark else None
        if role == TOOLTIP:
            lines = list(mark.messages) if mark else []
            if key == "mobile" and shown.mobile_note:
                lines.append(shown.mobile_note)
            text = shown.texts.get(key, "")
            if not lines and len(text) > LONG_TEXT:  # a long 单位 is elided in its cell: show it whole
                lines.append(text)
            return "\n".join(lines) or None
        if role == FOREGROUND:
            return MUTED if key == "serial" else None
        if role == ALIGNMENT:
            return _CENTER if key in ("serial", "gender") else None
        return _MONO if role == FONT and key == "mobile" else None

    def display(self, row: int) -> RowDisplay | None:
        """The cached display of a visible row, filling its block on a miss."""
        row_id = self.ids[row]
        shown = self._cache.get(row_id)
        if shown is None and not self.busy():
            shown = self._cache.fill(self.ids, row, self.accepted)
        return shown

    def raw_text(self, row_id: int, key: str) -> str:
        """What was typed into a cell (the editor starts from it)."""
        if self.busy():
            return ""
        return self.ws.row(self.frame_id, row_id).raw.get(key, "")

    def copy_text(self, row: int, key: str) -> str:
        """A cell as copied out: the value as exported (the mobile with its 0-prefix, no space)."""
        if self.is_new_row(row):
            return ""
        if key == "serial":
            return str(self.serial(self.ids[row]))
        shown = self.display(row)
        text = shown.texts.get(key, "") if shown else ""
        return text.replace(" ", "") if key == "mobile" else text

    def marks(self, row: int, key: str) -> CellMark | None:
        shown = None if self.is_new_row(row) or row >= len(self.ids) else self.display(row)
        return shown.marks.get(key) if shown else None

    def record(self, row_id: int) -> RowRecord:
        return self.ws.row(self.frame_id, row_id)

    def check_text(self, row: int, key: str, text: str) -> list[Finding]:
        """Findings a cell would have with `text` in it, checked on a scratch copy of its row."""
        row_id = self.row_id(row)
        raw = dict(self.record(row_id).raw) if row_id is not None else {}
        override = self.ws.engine.overrides.get((self.frame_id, row_id)) if row_id is not None else None
        return self._scratch.check(raw, key, text, override)

    # -- clipboard and find ----------------------------------------------------------------------
    def copy_block(self, rows: Sequence[int], cols: Sequence[int]) -> str:
        """The cells of `rows` × `cols` as Excel's tab-separated clipboard text."""
        return to_tsv([[self.copy_text(r, self.keys[c]) for c in cols] for r in rows])

    def paste_plan(self, text: str, row: int, col: int) -> tuple[list[tuple[int, str, str]], list[dict[str, str]]]:
        """Pasted text from cell (row, col) on: (changes to existing rows, rows to add at the end)."""
        changes: list[tuple[int, str, str]] = []
        raws: list[dict[str, str]] = []
        for n, values in enumerate(pasted_values(text, self.keys, col)):
            row_id = self.row_id(row + n)
            if row_id is not None:
                changes += [(row_id, key, value) for key, value in values.items()]
            elif any(v.strip() for v in values.values()):
                raws.append(values)
        return changes, raws

    def find(self, needle: str, row: int, col: int, forward: bool = True) -> tuple[int, int] | None:
        """The next visible cell after (row, col) whose shown text contains `needle`, wrapping round."""
        count, keys, engine = len(self.ids), self.keys, self.ws.engine
        for step in range(count + 1 if count else 0):
            r = (row + step if forward else row - step) % count
            texts = engine.values((self.frame_id, self.ids[r]))
            if needle not in "\0".join(texts.values()):  # one test per row: 50 000 rows in a few ms
                continue
            hits = [c for c, key in enumerate(keys) if needle in texts.get(key, "")]
            if step == 0:
                hits = [c for c in hits if (c > col if forward else c < col)]
            if hits:
                return r, hits[0] if forward else hits[-1]
        return None

    # -- editing --------------------------------------------------------------------------------
    def setData(self, index: AnyIndex, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or not self.flags(index) & \
                Qt.ItemFlag.ItemIsEditable:
            return False
        key, text = self.keys[index.column()], "" if value is None else str(value)
        row_id = self.row_id(index.row())
        if row_id is None:
            if text.strip():
                self.stack.push(undo.Edit(self, "输入新行", raws=[{key: text}]))
            return True
        if text != self.raw_text(row_id, key):
            self.stack.push(undo.Edit(self, "修改单元格", [(row_id, key, text)]))
        return True

    # -- changes, called by the undo commands -----------------------------------------------------
    def write_cells(self, changes: Sequence[tuple[int, str, str]]) -> None:
        self.changed_rows(self.ws.set_cells(self.frame_id, changes))

    def write_override(self, row_id: int, nanning: bool | None) -> None:
        self.changed_rows(self.ws.set_override(self.frame_id, row_id, nanning))

    def write_justification(self, row_id: int, code: str, text: str) -> None:
        self.ws.set_justification(row_id, code, text)
        self.accepted = self.ws.justifications(self.frame_id)
        self.changed_rows({(self.frame_id, row_id)})

    def after_insert(self, ids: Sequence[int], appended: bool = False) -> None:
        """Rows were added to the workspace (appended, inserted or restored): show them in place.

        The caller says which rows' findings changed (`changed_rows`); new rows are painted anyway."""
        if appended and ids:  # the common case (typing a new row, a paste, an import): no diff needed
            start = len(self.ids)
            self._insert_run(start, start + len(ids) - 1, self.ids + list(ids))
            self._set_ids(self.all_ids + list(ids) if self.filtered else self.ids, self.ids)
            self.edited.emit()
            return
        added = set(ids)
        new_all = self.ws.row_ids(self.frame_id)
        visible = new_all if not self.filtered else [r for r in new_all if r in added or self.position(r) is not None]
        self._sync(new_all, visible)

    def after_delete(self, ids: Iterable[int]) -> None:
        gone = set(ids)
        self._sync([r for r in self.all_ids if r not in gone], [r for r in self.ids if r not in gone])

    def _sync(self, new_all: list[int], new_visible: list[int]) -> None:
        """Move from the visible rows now shown to `new_visible` by row removals, then insertions."""
        keep, old = set(new_visible), set(self.ids)
        removed = _runs([n for n, r in enumerate(self.ids) if r not in keep])
        inserted = _runs([n for n, r in enumerate(new_visible) if r not in old])
        if len(removed) + len(inserted) > 50:  # scattered changes: one reset is cheaper than many moves
            self.beginResetModel()
            self._set_ids(new_all, new_visible)
            self.endResetModel()
        else:
            for start, end in reversed(removed):
                self.beginRemoveRows(QModelIndex(), start, end)
                self._set_ids(self.all_ids, self.ids[:start] + self.ids[end + 1:])
                self.endRemoveRows()
            for start, end in inserted:
                self._insert_run(start, end, new_visible)
        self._set_ids(new_all, new_visible)
        self.edited.emit()

    def _insert_run(self, start: int, end: int, new_visible: list[int]) -> None:
        """Rows added at the end fill the new-row line and a fresh one opens below it, so the cell being
        typed in stays where it is (Tab goes on in the same row); others are inserted where they belong."""
        tail = not self.filtered and start == len(self.ids)
        self.beginInsertRows(QModelIndex(), start + tail, end + tail)
        self._set_ids(self.all_ids, self.ids[:start] + new_visible[start:end + 1] + self.ids[start:])
        self.endInsertRows()
        if tail:
            self.dataChanged.emit(self.index(start, 0), self.index(start, len(self.columns) - 1))

    def _set_ids(self, all_ids: list[int], visible: list[int]) -> None:
        self.all_ids = all_ids
        self.ids = visible if self.filtered else all_ids if visible == all_ids else visible
        self._pos = self._all_pos = None

    def changed_rows(self, keys: Iterable[tuple[int, int]] | None) -> None:
        """Rows whose findings may have changed (None: any row): every model of the workspace repaints them."""
        BUS.rows_changed.emit(self.ws, None if keys is None else set(keys))

    def _on_bus(self, ws: object, keys: set[tuple[int, int]] | None) -> None:
        if ws is not self.ws:
            return
        mine = None if keys is None else [row_id for frame_id, row_id in keys if frame_id == self.frame_id]
        if mine == []:
            return
        self._refresh_rows(mine)
        self.edited.emit()

    def report(self, error: BaseException) -> None:
        """A command failed: say so in Chinese and show what the workspace really holds."""
        self.failed.emit(worker.error_message(error))
        self.reload()

    def _refresh_rows(self, row_ids: list[int] | None) -> None:
        last = self.columnCount() - 1
        if row_ids is None or len(row_ids) > 200:
            self._cache.clear()
            if self.ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, last))
            return
        for row_id in row_ids:
            self._cache.pop(row_id, None)
            row = self.position(row_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def reload(self) -> None:
        """Start again from the workspace (after a job that changed it wholesale, or a filter change)."""
        self.beginResetModel()
        self._cache.clear()
        self.accepted = self.ws.justifications(self.frame_id)
        self.all_ids = self.ws.row_ids(self.frame_id)
        self.ids = [r for r in self.all_ids if self._has_problem(r)] if self.filtered else self.all_ids
        self._pos = self._all_pos = None
        self.endResetModel()
        self.edited.emit()

    # -- filter ---------------------------------------------------------------------------------
    def set_problem_filter(self, on: bool) -> None:
        """Show only rows with an error or a warning not yet accepted (or every row again)."""
        self.filtered = on
        self.reload()

    def _has_problem(self, row_id: int) -> bool:
        return has_open_problem(self.ws.engine, (self.frame_id, row_id), self.accepted)


_MONO = QFont()
_MONO.setFamilies(["Consolas", "DejaVu Sans Mono", "monospace"])


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs in an ascending list: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs
