"""The questionnaire builder of one work item: questions with a stem and options, reordered by drag.

Templates add a 5-grade satisfaction question or a free-text one; "套用范本" fills a five-question
draft. Every change (typing included) is a snapshot on the page's QUndoStack, so 撤销/重做 in the
window's 编辑 menu walk them in order. The status line says how many questions are still missing
below the campaign's minimum (5); the guide's step shows an error until there are enough.
"""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.base.findings import Finding, Severity
from forms.documents import questionnaire as questionnaire_doc
from forms.notice import questionnaire as qmod
from gui import style
from gui.settings import Page

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

UID_ROLE = Qt.ItemDataRole.UserRole
Entry = tuple[int, qmod.Question]  # (uid, question): the uid follows a question through drags and undo
_uids = count(1)


class Snapshot(QUndoCommand):
    """One change of the questionnaire, as the whole list before and after it."""

    def __init__(self, page: QuestionnairePage, text: str, before: list[Entry], after: list[Entry],
                 applied: bool, merge_key: tuple[int, str] | None = None) -> None:
        super().__init__(text)
        self.page, self.before, self.after = page, before, after
        self.applied = applied  # the view already shows `after` (typing, a drag): nothing to redo yet
        self.merge_key = merge_key

    def id(self) -> int:
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, Snapshot) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self.applied:
            self.applied = False
            return
        self.page.apply(self.after)

    def undo(self) -> None:
        self.page.apply(self.before)


class QuestionnairePage(Page):
    """评议问卷 of one work item, saved to `questionnaire:<frame id>`."""

    def __init__(self, ws: Workspace, frame_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.frame = ws.frame(frame_id)
        self.minimum = qmod.minimum_of(ws.campaign.rules)
        self.entries: list[Entry] = []
        self.stack = QUndoStack(self)
        self.undo_stack = self.stack
        self._build()
        self.load()

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(style.page_title(f"评议问卷·{self.frame.item}"))
        layout.addWidget(style.hint(
            f"参照系统干部评议问卷，为“{self.frame.item}”拟定评议问题：每题一个题目，再加若干答案选项"
            f"（如满意、比较满意、一般、不太满意、不满意），或开放式作答。至少{self.minimum}个问题；"
            "拖动左侧的题目可以调整顺序。问卷与抽样框一起于11月13日前发送。"))
        layout.addWidget(QLabel("问卷开头语（可修改；清空后恢复为标准开头语）"))
        self.intro = QPlainTextEdit()
        self.intro.setMaximumHeight(4 * self.fontMetrics().lineSpacing() + 12)
        self.intro.textChanged.connect(self.edited)
        self.watch(self.intro)
        layout.addWidget(self.intro)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        body = QHBoxLayout()
        body.addLayout(self._list_side(), 2)
        body.addLayout(self._editor_side(), 3)
        layout.addLayout(body, 1)
        self.findings_label = QLabel()
        self.findings_label.setWordWrap(True)
        layout.addWidget(self.findings_label)

    def _list_side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._show_current)
        self.list.model().rowsMoved.connect(self._rows_moved)
        side.addWidget(self.list, 1)
        grid = QGridLayout()
        buttons = (("添加满意度题", lambda: self.add(qmod.satisfaction())),
                   ("添加开放式题", lambda: self.add(qmod.free_text())),
                   ("复制本题", self.duplicate), ("删除本题", self.remove),
                   (f"套用范本（{self.minimum}题）", self.use_starter))
        self.buttons: dict[str, QPushButton] = {}
        for n, (text, slot) in enumerate(buttons):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[text] = button
            grid.addWidget(button, n // 2, n % 2)
        side.addLayout(grid)
        return side

    def _editor_side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        self.stem = QPlainTextEdit()
        self.stem.setPlaceholderText("题目，如：您对本部门该项工作的总体评价是？")
        self.stem.setMaximumHeight(90)
        self.free = QCheckBox("开放式作答（请对方写下意见，不设选项）")
        self.options = QPlainTextEdit()
        self.options.setPlaceholderText("每行一个答案选项")
        self.scale_button = QPushButton("恢复五级满意度选项")
        self.scale_button.clicked.connect(self._reset_scale)
        for edit in (self.stem, self.options):
            edit.setUndoRedoEnabled(False)  # the page's undo stack records typing, in step with the rest
            edit.textChanged.connect(self._typed)
            self.watch(edit)
        self.free.toggled.connect(self._free_toggled)
        side.addWidget(QLabel("题目"))
        side.addWidget(self.stem)
        side.addWidget(self.free)
        side.addWidget(QLabel("答案选项（每行一个）"))
        side.addWidget(self.options, 1)
        side.addWidget(self.scale_button, 0, Qt.AlignmentFlag.AlignLeft)
        return side

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z / Ctrl+Y in the stem or options (not the opening paragraph, which undoes itself) go to the window's 撤销/重做 (this page's stack),
        not to the text box, so typing and list changes are undone in one order."""
        if watched is not self.intro and event.type() == QEvent.Type.ShortcutOverride \
                and isinstance(event, QKeyEvent) and (
                event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
                or (event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier)):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    # -- load / check / save -------------------------------------------------------------------
    def load(self) -> None:
        self.apply([(next(_uids), q) for q in qmod.load(self.ws, self.frame.id)], save=False)
        self.stack.clear()
        self.intro.blockSignals(True)
        self.intro.setPlainText(qmod.load_intro(self.ws, self.frame.id) or self.standard_intro())
        self.intro.blockSignals(False)

    def standard_intro(self) -> str:
        return questionnaire_doc.standard_intro(self.ws.profile.department, self.frame.item)

    def questions(self) -> list[qmod.Question]:
        return [q for _uid, q in self.entries]

    def check(self) -> list[Finding]:
        return qmod.validate(self.questions(), self.minimum, self.frame.item)

    def save(self) -> None:
        qmod.save(self.ws, self.frame.id, self.questions())
        intro = self.intro.toPlainText().strip()
        qmod.save_intro(self.ws, self.frame.id, "" if intro == self.standard_intro() else intro)

    # -- showing -------------------------------------------------------------------------------
    def apply(self, entries: list[Entry], save: bool = True) -> None:
        """Show `entries` (after an edit, an undo or a redo) and save them."""
        keep = self.list.currentRow()
        self.entries = list(entries)
        self.list.blockSignals(True)
        self.list.clear()
        for n, (uid, question) in enumerate(self.entries, start=1):
            item = QListWidgetItem(self._label(n, question))
            item.setData(UID_ROLE, uid)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(max(keep, 0), len(self.entries) - 1))
        self._show_current()
        self._show_status()
        if save:
            self.edited()
            self.flush()

    @staticmethod
    def _label(number: int, question: qmod.Question) -> str:
        kind = "［开放式］" if question.free_text else ""
        return f"{number}. {question.stem.strip() or '（未填写题目）'}{kind}"

    def _show_current(self) -> None:
        row = self.list.currentRow()
        has = 0 <= row < len(self.entries)
        for widget in (self.stem, self.free, self.options, self.scale_button,
                       self.buttons["复制本题"], self.buttons["删除本题"]):
            widget.setEnabled(has)
        question = self.entries[row][1] if has else qmod.Question("", ())
        for widget in (self.stem, self.options, self.free):
            widget.blockSignals(True)
        self.stem.setPlainText(question.stem)
        self.options.setPlainText("\n".join(question.options))
        self.free.setChecked(question.free_text)
        for widget in (self.stem, self.options, self.free):
            widget.blockSignals(False)
        self.options.setEnabled(has and not question.free_text)

    def _show_status(self) -> None:
        found = self.check()
        total, missing = len(self.entries), self.minimum - len(self.entries)
        if missing > 0:
            style.coloured(self.summary, f"共{total}题，还差{missing}题（评议问卷至少{self.minimum}题）",
                           style.ERROR_COLOUR, bold=True)
        else:
            style.coloured(self.summary, f"共{total}题，题数符合要求（至少{self.minimum}题）", style.OK_COLOUR, bold=True)
        others = [f for f in found if f.code != "questionnaire-short"]
        colour = style.ERROR_COLOUR if any(f.severity is Severity.ERROR for f in others) else style.WARNING_COLOUR
        style.coloured(self.findings_label, "\n".join(f"· {f.message}" for f in others), colour)
        self.buttons[f"套用范本（{self.minimum}题）"].setVisible(not self.entries)

    # -- changes -------------------------------------------------------------------------------
    def _push(self, text: str, after: list[Entry], row: int | None = None) -> None:
        self.stack.push(Snapshot(self, text, list(self.entries), after, applied=False))
        if row is not None:
            self.list.setCurrentRow(row)
        self.flush()

    def add(self, question: qmod.Question) -> None:
        row = self.list.currentRow() + 1 if self.entries else 0
        self._push("添加问题", [*self.entries[:row], (next(_uids), question), *self.entries[row:]], row)
        self.stem.setFocus()

    def duplicate(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.entries):
            copy = (next(_uids), self.entries[row][1])
            self._push("复制问题", [*self.entries[:row + 1], copy, *self.entries[row + 1:]], row + 1)

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.entries):
            self._push("删除问题", self.entries[:row] + self.entries[row + 1:])

    def use_starter(self) -> None:
        self._push("套用范本", [(next(_uids), q) for q in qmod.starter(self.frame.item)], row=0)

    def _replace_current(self, question: qmod.Question, field: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.entries):
            return
        uid = self.entries[row][0]
        after = [*self.entries[:row], (uid, question), *self.entries[row + 1:]]
        self.stack.push(Snapshot(self, "修改问题", list(self.entries), after, True, (uid, field)))
        self.entries = after
        self.list.item(row).setText(self._label(row + 1, question))
        self._show_status()
        self.edited()

    def _current(self) -> qmod.Question:
        return self.entries[self.list.currentRow()][1]

    def _typed(self) -> None:
        if 0 <= self.list.currentRow() < len(self.entries):
            options = tuple(line.strip() for line in self.options.toPlainText().splitlines() if line.strip())
            sender = "stem" if self.sender() is self.stem else "options"
            self._replace_current(self._current().but(stem=self.stem.toPlainText().strip(), options=options), sender)

    def _free_toggled(self, free: bool) -> None:
        if 0 <= self.list.currentRow() < len(self.entries):
            question = self._current()
            options = () if free else (question.options or qmod.SCALE_5)
            self._replace_current(question.but(free_text=free, options=options), "free")
            self._show_current()

    def _reset_scale(self) -> None:
        if 0 <= self.list.currentRow() < len(self.entries):
            self._replace_current(self._current().but(options=qmod.SCALE_5, free_text=False), "scale")
            self._show_current()

    def _rows_moved(self, _parent: QModelIndex | QPersistentModelIndex, _start: int, _end: int,
                    _dest: QModelIndex | QPersistentModelIndex, _row: int) -> None:
        QTimer.singleShot(0, self._sync_order)  # let the view finish its drop first

    def _sync_order(self) -> None:
        """A drag moved a question: take the order the list now shows."""
        by_uid = dict(self.entries)
        order = [int(self.list.item(n).data(UID_ROLE)) for n in range(self.list.count())]
        if order == [uid for uid, _q in self.entries] or set(order) != set(by_uid):
            return
        moved_uid = int(self.list.currentItem().data(UID_ROLE)) if self.list.currentItem() else order[0]
        after = [(uid, by_uid[uid]) for uid in order]
        self.stack.push(Snapshot(self, "调整问题顺序", list(self.entries), after, applied=False))
        self.list.setCurrentRow(order.index(moved_uid))
        self.flush()
