"""Undo commands of the frame editor: each change to a frame is one QUndoCommand.

A command's work goes through the workspace (which commits it at once) and then tells the model what
moved. Work on many rows runs off the GUI thread behind the progress dialog (gui.worker); the first
run of a paste or import can be cancelled, which takes back what was written and drops the command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtGui import QUndoCommand

from forms.checks.engine import RowKey
from forms.store.workspace import RowRecord
from gui import worker
from gui.worker import Cancelled

if TYPE_CHECKING:  # the commands act on a FrameModel, which imports them to push them
    from gui.frame_model import FrameModel

BACKGROUND_ROWS = 200  # from this many rows on, work leaves the GUI thread (≈100 ms of core work)
CHUNK = 500
Change = tuple[int, str, str]  # row id, column key, raw text
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _unique(changes: Sequence[Change]) -> list[Change]:
    """One change per cell, the last one winning."""
    return list({(row_id, key): (row_id, key, value) for row_id, key, value in changes}.values())


class FrameCommand(QUndoCommand):
    """A change to one frame: runs its work here when small, behind a progress dialog when large."""

    def __init__(self, model: FrameModel, text: str, size: int) -> None:
        super().__init__(text)
        self.model, self.size = model, size
        self.done_once = False

    def execute(self, label: str, work: Callable[[Any], Any], after: Callable[[Any], None],
                cancellable: bool = False) -> bool:
        outcome = worker.run(self.model.dialog_parent, label, work, self.size >= BACKGROUND_ROWS, cancellable)
        if outcome.ok:
            self.done_once = True
            after(outcome.value)
            return True
        if not self.done_once:
            self.setObsolete(True)  # never pushed: QUndoStack drops an obsolete command
        if outcome.error is not None:
            self.model.report(outcome.error)
        return False


class Edit(FrameCommand):
    """Typing, clearing, pasting or importing: new text in existing cells plus rows added at the end.

    A paste passes `plan` instead of changes and rows: it is worked out on the worker thread (parsing
    10 000 pasted rows takes longer than the GUI thread may stall), `size` estimating how big it is.
    """

    def __init__(self, model: FrameModel, text: str, changes: Sequence[Change] = (),
                 raws: Sequence[dict[str, str]] = (), label: str = "正在保存…", cancellable: bool = False,
                 plan: Callable[[], tuple[Sequence[Change], Sequence[dict[str, str]]]] | None = None,
                 size: int = 0) -> None:
        super().__init__(model, text, size or len({c[0] for c in changes}) + len(raws))
        self.changes, self.raws = _unique(changes), list(raws)
        self.plan, self.label, self.cancellable = plan, label, cancellable
        self.olds: list[Change] = []
        self.ids: list[int] = []

    def redo(self) -> None:
        work = self._again if self.done_once else self._first
        self.execute(self.label, work, self._shown, cancellable=self.cancellable and not self.done_once)
        if not self.changes and not self.raws:
            self.setObsolete(True)  # a paste of nothing is no step to undo

    def undo(self) -> None:
        self.execute("正在撤销…", self._back, self._hidden)

    def _first(self, progress: Any) -> set[RowKey] | None:
        ws, frame_id = self.model.ws, self.model.frame_id
        if self.plan is not None:
            changes, raws = self.plan()
            self.changes, self.raws, self.plan = _unique(changes), list(raws), None
        total, affected = len(self.changes) + len(self.raws), set()
        try:
            for chunk in chunks(self.changes):
                before = {row_id: ws.row(frame_id, row_id).raw for row_id, _key, _text in chunk}
                affected |= ws.set_cells(frame_id, chunk)
                self.olds += [(row_id, key, before[row_id].get(key, "")) for row_id, key, _text in chunk]
                progress(len(self.olds), total)
                progress.check()
            for rows in chunks(self.raws, CHUNK * 2):
                self.ids += ws.import_rows(frame_id, rows)
                progress(len(self.olds) + len(self.ids), total)
                progress.check()
            ws.validate()  # here on the worker, not when the window next paints
        except BaseException:
            self._back(worker.InlineProgress())
            self.olds, self.ids = [], []
            raise
        return None if self.ids else affected

    def _again(self, progress: Any) -> set[RowKey] | None:
        ws, frame_id = self.model.ws, self.model.frame_id
        affected = set().union(*(ws.set_cells(frame_id, chunk) for chunk in chunks(self.changes)))
        done = 0
        for rows in chunks(self.raws, CHUNK * 2):
            ws.insert_rows(frame_id, ws.row_count(frame_id), rows, ids=self.ids[done:done + len(rows)])
            done += len(rows)
            progress(done, len(self.raws))
        ws.validate()
        return None if self.ids else affected

    def _back(self, progress: Any) -> set[RowKey] | None:
        ws, frame_id = self.model.ws, self.model.frame_id
        for done, chunk in enumerate(chunks(self.ids, CHUNK * 2)):
            ws.delete_rows(frame_id, chunk)
            progress(done * CHUNK * 2, len(self.ids))
        affected = set().union(*(ws.set_cells(frame_id, chunk) for chunk in chunks(self.olds)))
        return None if self.ids else affected

    def _shown(self, affected: set[RowKey] | None) -> None:
        """Rows were added (any row's findings may have changed: all repaint) or only cells changed."""
        if self.ids:
            self.model.after_insert(self.ids, appended=True)
        self.model.changed_rows(affected)

    def _hidden(self, affected: set[RowKey] | None) -> None:
        if self.ids:
            self.model.after_delete(self.ids)
        self.model.changed_rows(affected)


class InsertRows(FrameCommand):
    """Empty rows inserted before frame position `index`."""

    def __init__(self, model: FrameModel, index: int, count: int) -> None:
        super().__init__(model, f"插入{count}行", count)
        self.index, self.count = index, count
        self.ids: list[int] = []

    def redo(self) -> None:
        self.execute("正在插入行…", self._insert, lambda _v: self.model.after_insert(self.ids))

    def _insert(self, _progress: Any) -> None:
        raws: list[dict[str, str]] = [{} for _ in range(self.count)]
        self.ids = self.model.ws.insert_rows(self.model.frame_id, self.index, raws, ids=self.ids or None)
        self.model.ws.validate()

    def undo(self) -> None:
        self.execute("正在撤销…", lambda _p: self.model.ws.delete_rows(self.model.frame_id, self.ids),
                     lambda _v: self.model.after_delete(self.ids))


class DeleteRows(FrameCommand):
    """Rows deleted; undo puts them back with the same ids, places and overrides."""

    def __init__(self, model: FrameModel, ids: Sequence[int]) -> None:
        super().__init__(model, f"删除{len(ids)}行", len(ids))
        self.ids = list(ids)
        self.records: list[RowRecord] = []

    def redo(self) -> None:
        self.execute("正在删除行…", self._delete, self._hidden)

    def _delete(self, progress: Any) -> None:
        self.records = []
        for chunk in chunks(self.ids, CHUNK * 2):
            self.records += self.model.ws.delete_rows(self.model.frame_id, chunk)
            progress(len(self.records), len(self.ids))

    def _restore(self, progress: Any) -> None:
        for done, chunk in enumerate(chunks(self.records)):
            self.model.ws.restore_rows(chunk)
            progress(done * CHUNK, len(self.records))

    def _hidden(self, _value: object) -> None:
        self.model.after_delete(self.ids)
        self.model.changed_rows(None)

    def undo(self) -> None:
        self.execute("正在撤销删除…", self._restore, self._shown)

    def _shown(self, _value: object) -> None:
        self.model.after_insert(self.ids)
        self.model.changed_rows(None)


class SetOverride(FrameCommand):
    """The clerk says whether a row's mobile is a Nanning one (None: decide by the number block)."""

    def __init__(self, model: FrameModel, row_id: int, nanning: bool | None) -> None:
        super().__init__(model, "修改手机号码前缀设置", 1)
        self.row_id, self.new = row_id, nanning
        self.old = model.ws.engine.overrides.get((model.frame_id, row_id))

    def redo(self) -> None:
        self.execute("", lambda _p: self.model.write_override(self.row_id, self.new), lambda _v: None)

    def undo(self) -> None:
        self.execute("", lambda _p: self.model.write_override(self.row_id, self.old), lambda _v: None)


class Justify(FrameCommand):
    """A warning accepted with a written reason (empty text: the acceptance taken back)."""

    def __init__(self, model: FrameModel, row_id: int, code: str, text: str) -> None:
        super().__init__(model, "接受提醒" if text.strip() else "取消接受提醒", 1)
        self.row_id, self.code, self.new = row_id, code, text.strip()
        self.old = model.accepted.get((row_id, code), "")

    def redo(self) -> None:
        self.execute("", lambda _p: self.model.write_justification(self.row_id, self.code, self.new), lambda _v: None)

    def undo(self) -> None:
        self.execute("", lambda _p: self.model.write_justification(self.row_id, self.code, self.old), lambda _v: None)


__all__ = ["Cancelled", "DeleteRows", "Edit", "InsertRows", "Justify", "SetOverride"]
