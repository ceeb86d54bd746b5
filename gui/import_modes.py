"""An import into a frame that already has people: the choice 追加 / 替换 / 按人合并 with what each would change,
and the one undo step that carries the choice out. The plans are forms.store.import_plan's; this is the view.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from forms.store import import_plan
from forms.store.import_plan import MODE_HINTS, MODE_LABELS, Existing, ImportMode, ImportPlan
from gui import undo
from gui.frame_model import FrameModel

DEFAULT = ImportMode.MERGE  # the choice that never doubles anyone


def plans(model: FrameModel, existing: Sequence[Existing], raws: list[dict[str, str]]) -> dict[ImportMode, ImportPlan]:
    """Each mode's plan (worker thread: normalises every row of the file once)."""
    ws, frame_id = model.ws, model.frame_id
    values = [ws.normalise(frame_id, raw).values for raw in raws]
    return {mode: import_plan.plan_import(existing, raws, values, mode) for mode in ImportMode}


class ModeBox(QGroupBox):
    """表中已有N人：追加 / 替换 / 按人合并, each option with its counts once they are worked out."""

    def __init__(self, present: int, parent: QWidget | None = None) -> None:
        super().__init__(f"本表已有{present}人，请选择怎样导入", parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[ImportMode, QRadioButton] = {}
        self.counts: dict[ImportMode, QLabel] = {}
        layout = QVBoxLayout(self)
        for mode in (ImportMode.MERGE, ImportMode.APPEND, ImportMode.REPLACE):
            button = QRadioButton(f"{MODE_LABELS[mode]}：{MODE_HINTS[mode]}")
            self.group.addButton(button)
            self.buttons[mode] = button
            count = QLabel("正在计算…")
            count.setIndent(24)
            self.counts[mode] = count
            layout.addWidget(button)
            layout.addWidget(count)
        self.buttons[DEFAULT].setChecked(True)

    def mode(self) -> ImportMode:
        return next(mode for mode, button in self.buttons.items() if button.isChecked())

    def show_plans(self, found: dict[ImportMode, ImportPlan] | None) -> None:
        for mode, label in self.counts.items():
            label.setText(f"将{found[mode].summary()}。" if found else "")
            label.setStyleSheet("color: #b00020;" if found and mode is ImportMode.APPEND and found[mode].already
                                else "color: #505050;")


class ReplaceImport(QUndoCommand):
    """替换: every row deleted, then the file's rows added; one undo step that puts the old rows back."""

    def __init__(self, model: FrameModel, text: str, raws: list[dict[str, str]], label: str) -> None:
        super().__init__(text)
        self.delete = undo.DeleteRows(model, list(model.all_ids))
        self.edit = undo.Edit(model, text, raws=raws, label=label, cancellable=True)

    def redo(self) -> None:
        self.delete.redo()
        if not self.delete.done_once:
            self.setObsolete(True)
            return
        self.edit.redo()
        if self.edit.isObsolete():  # cancelled or failed: the frame is given back as it was
            self.delete.undo()
            self.setObsolete(True)

    def undo(self) -> None:
        self.edit.undo()
        self.delete.undo()


def command(model: FrameModel, mode: ImportMode, raws: list[dict[str, str]], name: str) -> QUndoCommand:
    """The undo step of importing `raws` (from file `name`) in `mode`."""
    verb = MODE_LABELS[mode] if model.all_ids else ""  # into an empty frame every mode is the same import
    text, label = f"{verb}导入{len(raws)}行（{name}）", f"正在导入“{name}”…"
    if mode is ImportMode.REPLACE and model.all_ids:
        return ReplaceImport(model, text, raws, label)
    if mode is ImportMode.MERGE and model.all_ids:
        existing = import_plan.existing_rows(model.ws, model.frame_id, model.all_ids)

        def plan() -> tuple[list[undo.Change], list[dict[str, str]]]:
            found = import_plan.plan_for(model.ws, model.frame_id, raws, ImportMode.MERGE, existing)
            return found.changes, found.add

        return undo.Edit(model, text, label=label, cancellable=True, plan=plan, size=len(raws))
    return undo.Edit(model, text, raws=raws, label=label, cancellable=True)
