"""The two reports (整改情况报告, 年度绩效情况报告): rich-text editors with headings, saved as Markdown.

Headings are block heading levels, so QTextDocument.toMarkdown() writes them as `#`/`##` and the
document writer can print them as headings; bold is kept as `**`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextEdit, QVBoxLayout, QWidget

from gui import habits, style
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
        self.import_button = QPushButton("从Word导入…")
        self.import_button.setToolTip("从Word文档（.docx）或文本文件（.txt）读入报告，各部分的标题保留为标题")
        self.import_button.clicked.connect(self.choose_import)
        row.addWidget(self.import_button)
        return row

    def choose_import(self) -> None:
        path = habits.open_file(self, f"导入{REPORTS[self.key][0]}", "Word文档或文本文件 (*.docx *.txt)",
                                Path(self.ws.path).parent)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Read a .docx/.txt report (forms.documents.importer, as the CLI does); confirm before replacing
        typed text. The whole text is replaced as one edit, so Ctrl+Z in the editor brings the old one back."""
        from forms.documents.importer import import_report
        from forms.tasks.deliverables import report_to_markdown

        try:
            text = report_to_markdown(import_report(path, self.ws.profile.department))
        except Exception as exc:  # unreadable, not a .docx inside (python-docx raises several kinds)
            style.warn(self, "无法导入", f"无法读取“{path.name}”：{exc}。请确认它是Word文档（.docx）或文本文件（.txt），"
                       "并且没有在Word中打开。旧的.doc文件请先在Word中另存为.docx。")
            return False
        if not text.strip():
            style.warn(self, "没有可导入的内容", f"“{path.name}”中没有文字。")
            return False
        if self.editor.toPlainText().strip() and not style.confirm(
                self, "覆盖已填写的内容", "导入会替换已填写的报告（替换后按Ctrl+Z可以恢复）。\n\n确定导入吗？"):
            return False
        cursor = self.editor.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertMarkdown(text)
        self.flush()
        return True

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
