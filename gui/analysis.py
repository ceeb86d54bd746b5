"""The performance analysis of 附件9/10/11: three sections, a live 字数 counter and a page-fit indicator.

字数 is counted as Word/WPS count it (forms.checks.textcount) over the three sections, live as typed.
Whether the form still fits on 2 A4 pages is found by laying the whole form out with the one PDF
layout of forms.documents (the export's PDF, and the pages the window prints), after a pause in
typing so the layout never holds up a keystroke.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.base.errors import UserError
from forms.checks.textcount import count_chars
from gui import habits, keyboard, style
from gui.settings import Debounce, Page

FIT_DELAY_MS = 600
SURE_TOO_LONG = 6000  # 字 beyond which two pages cannot hold the text: no layout needed

if TYPE_CHECKING:
    from forms.notice.campaign import Campaign
    from forms.store.workspace import Workspace


def _import_summary(path: Path, sections: dict[str, str], missing: list[str], ignored: list[str]) -> str:
    lines = [f"已从“{path.name}”导入：{'、'.join(sections)}。"]
    if missing:
        lines.append(f"没有找到这些标题，相应部分保持原样：{'、'.join(missing)}。")
    if ignored:
        lines.append(f"第一个标题之前的{len(ignored)}行（如文档标题）没有导入。")
    return "\n".join(lines)


def page_count(campaign: Campaign, kind: str, department: str, sections: dict[str, str]) -> int:
    """Pages of the leader form with these texts: the export's own PDF layout, which the window's
    打印 and 打印预览 draw too, so what this passes prints on that many pages."""
    from forms.documents.leader_form import LeaderForm

    return LeaderForm(campaign, kind, department, sections).page_count()


class AnalysisPage(Page):
    """领导评价表·年度绩效分析: the three sections the department writes, checked as typed."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.campaign = ws.campaign
        rules = ws.campaign.rules
        self.limit = int(rules["analysis_max_chars"])
        self.max_pages = int(rules["analysis_max_pages"])
        self.names: list[str] = list(rules["analysis_sections"])
        self.edits: dict[str, QPlainTextEdit] = {}
        self.section_counts: dict[str, QLabel] = {}
        self._counts: dict[str, int] = {}
        self._fit = Debounce(self, FIT_DELAY_MS, self.update_fit)
        self.pages = 0
        self._build(rules)
        self.load()

    def _build(self, rules: dict[str, object]) -> None:
        form = self.ws.kind.leader_form
        layout = QVBoxLayout(self)
        layout.addWidget(style.page_title(f"领导评价表·年度绩效分析（附件{form}）"))
        layout.addWidget(style.hint(
            f"统计期为{rules['analysis_period']}。三部分合计不超过{self.limit}字，A4纸正反两面打印（不超过"
            f"{self.max_pages}页），小四号字；经党组审定并盖章后，12月20日前报送纸质版，电子版同时发送至二处邮箱。"))
        numbers = "一二三四五六"
        for n, name in enumerate(self.names):
            edit = QPlainTextEdit()
            keyboard.tab_moves_focus(edit)
            layout.addLayout(self._section_header(f"{numbers[n]}、{name}(&{n + 1})", name, edit))
            edit.setPlaceholderText(f"在此填写“{name}”……")
            edit.textChanged.connect(lambda name=name: self._typed(name))
            self.edits[name] = edit
            self.watch(edit)
            layout.addWidget(edit, 1)
        layout.addLayout(self._footer())

    def _section_header(self, title: str, name: str, edit: QPlainTextEdit) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(title)
        label.setObjectName("sectionTitle")
        label.setBuddy(edit)  # names the box for a screen reader; Alt+1/2/3 goes into it
        count = QLabel()
        count.setObjectName("hint")
        self.section_counts[name] = count
        row.addWidget(label)
        row.addStretch(1)
        row.addWidget(count)
        return row

    def _footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.counter = QLabel()
        self.fit_label = QLabel()
        row.addWidget(self.counter)
        row.addSpacing(24)
        row.addWidget(self.fit_label)
        row.addStretch(1)
        self.import_button = QPushButton("从Word导入(&I)…")
        self.import_button.setToolTip("从Word文档（.docx）或文本文件（.txt）读入三部分内容：按各部分的标题分段")
        self.import_button.clicked.connect(self.choose_import)
        row.addWidget(self.import_button)
        return row

    # -- import from Word ----------------------------------------------------------------------
    def choose_import(self) -> None:
        path = habits.open_file(self, "导入年度绩效分析", "Word文档或文本文件 (*.docx *.txt)", Path(self.ws.path).parent)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Fill the sections a .docx/.txt names by heading; confirm before replacing typed text.

        Each box is filled as one edit of its own, so Ctrl+Z in the box brings its old text back."""
        from forms.documents.importer import import_analysis

        try:
            found = import_analysis(path, self.names)
        except UserError as exc:  # the reader's own words: damaged, too large, path too long …
            style.warn(self, "无法导入", exc.message)
            return False
        except Exception as exc:  # unreadable, not a .docx inside (python-docx: PackageNotFoundError, KeyError …)
            style.warn(self, "无法导入", f"无法读取“{path.name}”：{exc}。请确认它是Word文档（.docx）或文本文件（.txt），"
                       "并且没有在Word中打开。旧的.doc文件请先在Word中另存为.docx。")
            return False
        if not found.sections:
            style.warn(self, "没有找到标题", f"“{path.name}”中没有找到以下任何一个标题：{'、'.join(self.names)}。"
                       "请在文档中把这三部分的标题各写成单独的一行，再导入。")
            return False
        replaced = [n for n in found.sections if self.edits[n].toPlainText().strip()]
        if replaced and not style.confirm(self, "覆盖已填写的内容", (
                f"导入会替换以下部分已填写的内容：{'、'.join(replaced)}。\n（替换后，在该文本框中按Ctrl+Z可以恢复。）\n\n"
                "确定导入吗？")):
            return False
        for name, text in found.sections.items():
            cursor = self.edits[name].textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)  # one undoable edit; textChanged recounts and autosaves
        self.flush()
        style.inform(self, "导入完成", _import_summary(path, found.sections, found.missing, found.ignored))
        return True

    # -- load / check / save -------------------------------------------------------------------
    def load(self) -> None:
        for name, edit in self.edits.items():
            edit.blockSignals(True)
            edit.setPlainText(self.ws.text(f"analysis:{name}", ""))
            edit.blockSignals(False)
            self._recount(name)
        self._show_count()
        self.update_fit()

    def save(self) -> None:
        for name, edit in self.edits.items():
            if edit.toPlainText() != self.ws.text(f"analysis:{name}", ""):
                self.ws.set_text(f"analysis:{name}", edit.toPlainText())

    def texts(self) -> dict[str, str]:
        return {name: edit.toPlainText() for name, edit in self.edits.items()}

    @property
    def total(self) -> int:
        return sum(self._counts.values())

    # -- live counting -------------------------------------------------------------------------
    def _typed(self, name: str) -> None:
        self._recount(name)
        self._show_count()
        self.fit_label.setStyleSheet(f"color: {style.MUTED_COLOUR};")
        self._fit.start()
        self.edited()

    def _recount(self, name: str) -> None:
        self._counts[name] = count_chars(self.edits[name].toPlainText())
        self.section_counts[name].setText(f"{self._counts[name]}字")

    def _show_count(self) -> None:
        over = self.total > self.limit
        text = f"已写 {self.total} / {self.limit} 字" + (f"（超出{self.total - self.limit}字，请删减）" if over else "")
        style.coloured(self.counter, text, style.ERROR_COLOUR if over else style.OK_COLOUR, bold=True)

    def update_fit(self) -> None:
        """Lay the form out and say whether it fits in the allowed pages."""
        if self.total > SURE_TOO_LONG:
            self.pages = self.max_pages + 1
        else:
            self.pages = page_count(self.campaign, self.ws.profile.kind, self.ws.profile.department, self.texts())
        if self.pages <= self.max_pages:
            style.coloured(self.fit_label, f"可容纳在{self.max_pages}页A4内", style.OK_COLOUR, bold=True)
        else:
            style.coloured(self.fit_label, f"超出{self.max_pages}页（按小四号字排版约{self.pages}页），请删减内容",
                           style.ERROR_COLOUR, bold=True)
