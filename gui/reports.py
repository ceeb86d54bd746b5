"""The two reports (整改情况报告, 年度绩效情况报告): rich-text editors with headings, saved as Markdown.

Headings are block heading levels, so QTextDocument.toMarkdown() writes them as `#`/`##` and the
document writer can print them as headings; bold is kept as `**`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextEdit, QVBoxLayout, QWidget

from gui import style
from gui.settings import Page

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

REPORTS = {
    "report:rectification": ("整改情况报告", "针对上一年度绩效考评中发现的问题，逐条说明整改措施和整改结果。"
                             "12月10日前报自治区绩效考评办，并在门户网站公示不少于30天。"),
    "report:performance": ("年度绩效情况报告", "说明本部门1月1日—11月30日主要工作目标任务的完成情况。"
                           "12月10日前报自治区绩效考评办，统一发布到自治区绩效考评网。"),
}
LEVELS = (("正文", 0), ("标题", 1), ("小标题", 2))


def set_heading(cursor: QTextCursor, level: int) -> None:
    """Make the cursor's paragraphs a heading of `level` (0: body text), as the Markdown reader does."""
    block = QTextBlockFormat()
    block.setHeadingLevel(level)
    chars = QTextCharFormat()
    chars.setFontWeight(QFont.Weight.Bold if level else QFont.Weight.Normal)
    chars.setProperty(QTextFormat.Property.FontSizeAdjustment, 4 - level if level else 0)
    cursor.beginEditBlock()
    cursor.mergeBlockFormat(block)
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    cursor.setPosition(start)
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(chars)
    cursor.mergeBlockCharFormat(chars)
    cursor.endEditBlock()


class ReportPage(Page):
    """One report: an editor, heading buttons, saved to its workspace text as Markdown."""

    def __init__(self, ws: Workspace, key: str, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.key = key
        title, text = REPORTS[key]
        self.editor = QTextEdit()
        self.editor.setAcceptRichText(False)  # pasted Word formatting would not survive Markdown anyway
        self.editor.setPlaceholderText("在此撰写报告。选中一段后点“标题”设为标题，点“正文”恢复为正文。")
        self.editor.textChanged.connect(self.edited)
        self.watch(self.editor)
        layout = QVBoxLayout(self)
        layout.addWidget(style.page_title(title))
        layout.addWidget(style.hint(text))
        layout.addLayout(self._toolbar())
        layout.addWidget(self.editor, 1)
        self.load()

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.level_buttons: dict[int, QPushButton] = {}
        for label, level in LEVELS:
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, level=level: self.apply_heading(level))
            self.level_buttons[level] = button
            row.addWidget(button)
        bold = QPushButton("加粗")
        bold.clicked.connect(self.toggle_bold)
        row.addWidget(bold)
        row.addStretch(1)
        return row

    def apply_heading(self, level: int) -> None:
        cursor = self.editor.textCursor()
        set_heading(cursor, level)
        self.editor.setFocus()

    def toggle_bold(self) -> None:
        chars = QTextCharFormat()
        heavy = self.editor.fontWeight() < QFont.Weight.Bold
        chars.setFontWeight(QFont.Weight.Bold if heavy else QFont.Weight.Normal)
        self.editor.mergeCurrentCharFormat(chars)

    def load(self) -> None:
        self.editor.blockSignals(True)
        self.editor.document().setMarkdown(self.ws.text(self.key, ""))
        self.editor.blockSignals(False)

    def markdown(self) -> str:
        return self.editor.document().toMarkdown()

    def save(self) -> None:
        text = self.markdown() if self.editor.document().toPlainText().strip() else ""
        self.ws.set_text(self.key, text)
