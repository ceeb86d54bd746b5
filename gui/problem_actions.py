"""What can be done about a problem from the problem list: give (or take back) a warning's reason, and record
(or withdraw) the office's agreed exception for a whole-frame finding; the list's context menu offers both.

`ProblemActions` is mixed into gui.problems.ProblemsPanel, which provides the attributes declared below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, SignalInstance
from PySide6.QtWidgets import QInputDialog, QMenu, QTableView, QWidget

from forms.base.findings import Severity
from gui import undo

if TYPE_CHECKING:
    from gui.agreed_dialog import AgreedDialog
    from gui.frame_model import FrameModel
    from gui.problems import ProblemsModel


def accept_warning(model: FrameModel, row_id: int, code: str, parent: QWidget) -> bool:
    """Ask why a warning does not apply and keep the reason (it goes out with the export); undoable."""
    found = [f for f in model.ws.engine.row_findings((model.frame_id, row_id)) if f.code == code]
    if not found:
        return False
    old = model.accepted.get((row_id, code), "")
    text, ok = QInputDialog.getMultiLineText(
        parent, "接受提醒并说明理由", f"{found[0].message}\n\n请写明为什么可以忽略这条提醒（会随导出的表格一并报送）：", old)
    if not ok or not text.strip() or text.strip() == old:
        return False
    _justify(model, row_id, code, text)
    return True


def _justify(model: FrameModel, row_id: int, code: str, text: str) -> None:
    model.stack.push(undo.Justify(model, row_id, code, text))


class ProblemActions(QWidget):
    """The problem list's actions on one entry (a mixin of ProblemsPanel)."""

    model: ProblemsModel
    view: QTableView
    agreed_changed: SignalInstance
    agreed_dialog: AgreedDialog

    def activate(self, entry: int, column: int = 0) -> None:
        raise NotImplementedError

    # -- a warning's reason -------------------------------------------------------------------------
    def warning_at(self, entry: int) -> tuple[int, str] | None:
        """(row id, code) of list entry `entry` when it is a row's warning (what a reason can be given for)."""
        if not 0 <= entry < self.model.total:
            return None
        row_id, finding, _partner = self.model.entry(entry)
        return None if row_id is None or finding.severity is not Severity.WARNING else (row_id, finding.code)

    def justify_current(self) -> bool:
        """填写说明…: ask for the reason the selected warning does not apply (one undo step)."""
        entry = self.view.currentIndex().row()
        warning = self.warning_at(entry)
        if warning is None:
            return False
        done = accept_warning(self.model.source, *warning, self)
        if done:
            self.view.selectRow(min(entry, self.model.total - 1))
        return done

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.problem_menu(self.view.indexAt(pos).row())
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))

    def problem_menu(self, entry: int) -> QMenu | None:
        """The context menu of list entry `entry`: go to its cell; for a warning, give or take back its
        reason; for a whole-frame finding the office can agree to, record or withdraw the agreement."""
        if not 0 <= entry < self.model.total:
            return None
        self.view.selectRow(entry)
        menu = QMenu(self)
        menu.addAction("转到该单元格").triggered.connect(lambda: self.activate(entry))
        warning = self.warning_at(entry)
        if warning is not None:
            accepted = warning in self.model.source.accepted
            menu.addAction("修改说明…" if accepted else "填写说明…").triggered.connect(self.justify_current)
            if accepted:
                menu.addAction("取消说明").triggered.connect(lambda: _justify(self.model.source, *warning, ""))
        self._add_agreed_actions(menu, entry)
        return menu

    # -- the office's agreed exceptions (gui.agreed_dialog) -------------------------------------------
    def _agreeable(self, entry: int) -> str | None:
        """The code of list entry `entry` when it is a whole-frame finding the office can agree to."""
        from gui import agreed_dialog

        if entry < 0 or entry >= self.model.total:
            return None
        row_id, finding, _partner = self.model.entry(entry)
        return finding.code if agreed_dialog.is_agreeable(row_id, finding.code) else None

    def record_agreed(self, entry: int | None = None) -> bool:
        """Open 记录协商调整 for the selected (or given) entry; True when one was recorded."""
        from gui.agreed_dialog import AgreedDialog

        entry = self.view.currentIndex().row() if entry is None else entry
        code = self._agreeable(entry)
        if code is None:
            return False
        self.agreed_dialog = AgreedDialog(self.model.source.ws, self.model.source.frame_id, code, parent=self)
        if not self.agreed_dialog.exec():
            return False
        self.agreed_changed.emit()
        return True

    def _withdraw(self, code: str) -> None:
        from gui import agreed_dialog

        agreed_dialog.withdraw(self.model.source.ws, self.model.source.frame_id, code)
        self.agreed_changed.emit()

    def _add_agreed_actions(self, menu: QMenu, entry: int) -> None:
        """For a whole-frame finding the office can agree to: record or withdraw the agreement."""
        from gui import agreed_dialog

        code = self._agreeable(entry)
        if code is None:
            return
        ws, frame_id = self.model.source.ws, self.model.source.frame_id
        existing = agreed_dialog.has_agreement(ws, frame_id, code)
        menu.addAction("修改协商调整…" if existing else "记录与考评办的协商调整…",
                       lambda: self.record_agreed(entry))
        if existing:
            menu.addAction("撤销协商调整", lambda: self._withdraw(code))
