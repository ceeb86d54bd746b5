"""The mobile's 0-prefix choice in the grid's context menu: the table decides, or the clerk says Nanning or
not, for the row or, in one answer, for every row of the mobile's 号段 block (the block's rows in all frames)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from forms.checks.mobile_blocks import block_of
from gui import undo

if TYPE_CHECKING:
    from gui.frame_model import FrameModel


CHOICES = (("按号段自动判断", None), ("指定为南宁号码（不加0）", True), ("指定为非南宁号码（加0）", False))


def override_menu(menu: QMenu, model: FrameModel, row_id: int, parent: QWidget | None = None) -> None:
    """按号段自动判断 / 南宁 / 非南宁, the choice in force checked (the row's own, else its block's)."""
    current = model.ws.engine.override((model.frame_id, row_id))
    group = QActionGroup(menu)
    for text, value in CHOICES:
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(current is value)
        group.addAction(action)
        action.triggered.connect(lambda _c=False, v=value: choose_override(model, row_id, v, parent))


def choose_override(model: FrameModel, row_id: int, nanning: bool | None, parent: QWidget | None) -> None:
    """The clerk's choice for a row. When other rows share its mobile's block (or the block has a decision),
    one question: the whole block, or this row only."""
    engine = model.ws.engine
    block = block_of(engine.values((model.frame_id, row_id)).get("mobile", ""))
    rows = engine.block_rows(block) if block else []
    if len(rows) > 1 or (block and model.ws.block_override(block) is not None):
        whole = ask_block_scope(parent, block, len(rows), nanning)
        if whole is None:
            return
        if whole:
            set_block_override(model, block, nanning)
            return
    set_override(model, row_id, nanning)


def ask_block_scope(parent: QWidget | None, block: str, count: int, nanning: bool | None) -> bool | None:
    """True: every row of the block; False: this row only; None: cancelled."""
    answer = QMessageBox.question(
        parent, BLOCK_TITLE, block_question(block, count, nanning),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Yes)
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return answer == QMessageBox.StandardButton.Yes


BLOCK_TITLE = "整个号段一起指定？"


def block_question(block: str, count: int, nanning: bool | None) -> str:
    what = next(text for text, value in CHOICES if value is nanning)
    return (f"号段{block}（手机号码前7位）在本单位各抽样框中共有{count}行。\n\n要把这{count}行都“{what}”吗？\n"
            f"选“是”：这{count}行一次指定，以后新录入的该号段号码也照此办理；\n选“否”：只改本行。")


def set_override(model: FrameModel, row_id: int, nanning: bool | None) -> None:
    if model.ws.engine.overrides.get((model.frame_id, row_id)) is not nanning:
        model.stack.push(undo.SetOverride(model, row_id, nanning))


def set_block_override(model: FrameModel, block: str, nanning: bool | None) -> None:
    engine = model.ws.engine
    rows_own = any(engine.overrides.get(key) is not None for key in engine.block_rows(block))
    if model.ws.block_override(block) is not nanning or rows_own:
        model.stack.push(undo.SetBlockOverride(model, block, nanning))
