"""Print preview, printing and "open in Word/WPS" of every document the department prints.

附件9/10/11 with the analysis, each questionnaire, 附件8 and the two reports are built from the
workspace as forms.documents `Doc`s, laid out once as the export's PDF and shown page by page in a
QPrintPreviewDialog on A4 (gui.doc_render), printed the same through the system's print dialog, or written as the very .docx the export writes (named the same,
`_未完成` while it has errors) into 报送材料 beside the workspace, or a folder the clerk picks, and
opened with the program Windows opens .docx files with (Word or WPS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMarginsF, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLayout,
    QMenu,
    QPushButton,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forms.base.file_errors import os_reason
from gui import doc_render, habits, keyboard, style

if TYPE_CHECKING:
    from forms.documents.model import Doc
    from forms.store.workspace import Workspace

OUT_FOLDER = "报送材料"
REPORT_KEYS = ("report:rectification", "report:performance")

# How a written .docx is opened: the system's program for the file type. Tests replace it.
open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl


@dataclass
class Printable:
    """A document of the workspace as it would print now: its `Doc`, .docx name and open errors."""

    key: str  # the step it belongs to: analysis, questionnaire:<id>, contacts, report:<kind>
    title: str
    doc: Doc
    file_name: str
    errors: list[str] = field(default_factory=list)

    @property
    def named(self) -> str:
        """The .docx name, marked `_未完成` while the document has errors (as the export names it)."""
        from forms.tasks.deliver import unfinished_name

        return unfinished_name(Path(self.file_name), bool(self.errors)).name


def has_document(key: str) -> bool:
    return key in ("analysis", "contacts", *REPORT_KEYS) or key.startswith("questionnaire:")


def printable(ws: Workspace, key: str) -> Printable:
    """The document of a step (see `has_document`), from the workspace as saved."""
    from forms.base.findings import Severity
    from forms.tasks import deliverables

    def errors(found: list) -> list[str]:  # type: ignore[type-arg]
        return [f.message for f in found if f.severity is Severity.ERROR]

    dept, campaign = ws.profile.department, ws.campaign
    if key == "analysis":
        form = deliverables.leader_form_of(ws)
        return Printable(key, f"附件{form.form} {form.title}", form.document(),
                         campaign.file_name(form.form, dept, suffix=".docx"), errors(form.findings()))
    if key == "contacts":
        sheet = deliverables.contacts_sheet(ws)
        return Printable(key, f"附件8 {sheet.title}", sheet.document(),
                         campaign.file_name("8", dept, suffix=".docx"), errors(sheet.findings()))
    if key.startswith("questionnaire:"):
        from forms.documents.questionnaire import Questionnaire
        from forms.notice import questionnaire as questions

        frame = ws.frame(int(key.partition(":")[2]))
        paper = Questionnaire(campaign, dept, frame.item, questions.load(ws, frame.id))  # type: ignore[arg-type]
        return Printable(key, f"评议问卷（{frame.item}）", paper.document(), paper.file_name(),
                         errors(paper.findings()))
    if key in REPORT_KEYS:
        kind = key.partition(":")[2]
        label = deliverables.REPORT_KINDS[kind]
        report = deliverables.report_from_markdown(ws, kind)
        return Printable(key, label, report.document(), f"{dept}_{label}.docx",
                         [f"{label}还没有内容"] if report.is_empty() else [])
    raise KeyError(key)


def document_keys(ws: Workspace) -> list[str]:
    """Every printed document of the workspace, in the guide's order of deadlines."""
    return ["analysis", *(f"questionnaire:{f.id}" for f in ws.hot_frames()), "contacts", *REPORT_KEYS]


def document_title(ws: Workspace, key: str) -> str:
    """The menu's name of a document, without building it."""
    if key == "analysis":
        return f"附件{ws.kind.leader_form} 领导评价表（含年度绩效分析）"
    if key == "contacts":
        return "附件8 社会评价工作有关情况表"
    if key.startswith("questionnaire:"):
        return f"评议问卷（{ws.frame(int(key.partition(':')[2])).item}）"
    from forms.tasks.deliverables import REPORT_KINDS

    return REPORT_KINDS[key.partition(":")[2]]


def default_folder(ws: Workspace) -> Path:
    return Path(ws.path).resolve().parent / OUT_FOLDER


# -- printing ----------------------------------------------------------------------------------------
def a4_printer() -> QPrinter:
    """A printer set to A4 portrait with the whole sheet as the page: the document brings its margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    return printer


PREFERRED_SIZE = (900, 1000)


def fitted_size(available: QSize | None, preferred: tuple[int, int] = PREFERRED_SIZE) -> tuple[int, int]:
    """The preview's size: `preferred`, shrunk to the screen's free area (a 1000-pixel screen minus its
    task bar and the title bar) so its buttons are never below the screen's edge."""
    if available is None:
        return preferred
    return min(preferred[0], available.width() - 40), min(preferred[1], available.height() - 60)


class PreviewDialog(QPrintPreviewDialog):
    """The print preview of a rendered document on A4, with 打印… (and extra actions) in its toolbar."""

    def __init__(self, document: doc_render.RenderedDoc, title: str, parent: QWidget | None = None) -> None:
        self._printer = a4_printer()  # kept alive with the dialog; printer() returns it
        super().__init__(self._printer, parent)
        self.document = document
        self.setWindowTitle(f"打印预览 — {title}")
        self.paintRequested.connect(self.document.print_)
        self.toolbar = self.findChild(QToolBar)
        self.add_action("打印…", self.print_now)
        self.resize(*fitted_size(self.screen().availableGeometry().size() if self.screen() else None))

    def add_action(self, text: str, slot: Callable[[], object]) -> None:
        if self.toolbar is not None:
            self.toolbar.addAction(text, slot)

    def preview_widget(self) -> QPrintPreviewWidget:
        found = self.findChild(QPrintPreviewWidget)
        assert found is not None
        return found

    def print_now(self) -> None:
        print_document(self, self.document, self._printer)


def preview_doc(parent: QWidget | None, model: Doc, title: str) -> PreviewDialog:
    """Open the preview of a `Doc` (window-modal, returns at once; deleted when closed)."""
    dialog = PreviewDialog(doc_render.render(model), title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_document(parent: QWidget | None, document: doc_render.RenderedDoc,
                   printer: QPrinter | None = None) -> bool:
    """The system's print dialog, then the document on the chosen printer; False when cancelled."""
    printer = printer or a4_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, document.page_count())
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document.print_(printer)
    return True


def show_preview(parent: QWidget | None, ws: Workspace, key: str) -> PreviewDialog:
    """Open the preview of a step's document, with 用Word/WPS打开 beside 打印…."""
    item = printable(ws, key)
    dialog = preview_doc(parent, item.doc, item.title)
    dialog.add_action("用Word/WPS打开", lambda: open_in_word(dialog, ws, item))
    return dialog


def print_key(parent: QWidget | None, ws: Workspace, key: str) -> bool:
    return print_document(parent, doc_render.render(printable(ws, key).doc))


# -- Word / WPS ----------------------------------------------------------------------------------------
def write_docx(item: Printable, folder: Path) -> Path:
    from forms.documents import docx_writer

    folder.mkdir(parents=True, exist_ok=True)
    return docx_writer.save(item.doc, folder / item.named)


def open_in_word(parent: QWidget | None, ws: Workspace, item: Printable | str,
                 folder: Path | None = None) -> Path | None:
    """Write the .docx into `folder` (报送材料 beside the workspace by default) and open it."""
    item = printable(ws, item) if isinstance(item, str) else item
    where = folder or default_folder(ws)
    try:
        path = write_docx(item, where)
    except OSError as exc:
        style.warn(parent, "无法生成Word文档", write_failure(exc, where))
        return None
    replaced_earlier(parent, ws, where, path)
    if not open_url(QUrl.fromLocalFile(str(path))):
        style.warn(parent, "无法打开Word文档", f"文档已保存到：\n{path}\n\n但本机没有能打开 .docx 文件的程序"
                   "（如 Microsoft Word 或 WPS 文字）。请安装后双击该文件打开。")
    return path


def replaced_earlier(parent: QWidget | None, ws: Workspace, folder: Path, path: Path) -> None:
    """The document's earlier file in the folder (its `_未完成` twin) goes, and the clerk is told."""
    from forms.tasks import outputs

    settled = outputs.settle(ws, folder, [path], scope=outputs.same_deliverable([path.name]))
    if settled.lines():
        style.inform(parent, "已替换旧文件", "\n".join(settled.lines()))


def write_failure(exc: OSError, folder: Path) -> str:
    from forms.documents.files import DocumentWriteError

    if isinstance(exc, DocumentWriteError):  # says already which file and what to do
        return f"{exc}\n\n（文件夹：{folder}）"
    if isinstance(exc, PermissionError):
        return (f"无法写入“{folder}”：同名文档可能正在Word或WPS中打开，或者文件夹是只读的。"
                "请先关闭该文档，或者换一个文件夹后再试。")
    return f"无法写入“{folder}”（{os_reason(exc)}）。请检查磁盘空间和文件夹后再试。"


def choose_folder_and_open(parent: QWidget | None, ws: Workspace, key: str) -> Path | None:
    folder = habits.existing_folder(parent, "把Word文档保存到哪个文件夹", default_folder(ws).parent)
    return open_in_word(parent, ws, key, Path(folder)) if folder else None


# -- the window's 文件 menu ------------------------------------------------------------------------------
def fill_menu(menu: QMenu, window: Any, word: bool) -> None:
    """Every document of the window's open workspace, each opened in the preview (or in Word/WPS)."""
    menu.clear()
    ws = window.ws
    if ws is None or window.view is None:
        menu.addAction("（请先打开工作区）").setEnabled(False)
        return
    for key in document_keys(ws):
        action = menu.addAction(document_title(ws, key))
        action.triggered.connect(lambda _=False, key=key: open_from_menu(window, key, word))


def open_from_menu(window: Any, key: str, word: bool) -> None:
    """Save what the pages hold, then preview or open the document (not while a job owns the workspace)."""
    from gui.settings import workspace_busy

    ws, view = window.ws, window.view
    if ws is None or view is None or workspace_busy() or not view.flush_all():
        return
    if word:
        open_in_word(window, ws, key)
    else:
        show_preview(window, ws, key)


# -- the buttons on a page -----------------------------------------------------------------------------
class DocumentButtons(QWidget):
    """打印预览… / 打印… / 用Word/WPS打开 for the document of a page; the page is saved first."""

    def __init__(self, ws: Workspace, key: str, before: Callable[[], object] = lambda: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.key, self.before = ws, key, before
        self.last_preview: PreviewDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.preview_button = QPushButton("打印预览(&Y)…")
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton("打印(&P)…")
        self.print_button.setToolTip("打印本页的文档（Ctrl+P）")
        self.print_button.clicked.connect(self.print_)
        self.word_button = QToolButton()
        self.word_button.setText("用Word/WPS打开(&W)")
        self.word_button.setToolTip(f"在工作区所在文件夹的“{OUT_FOLDER}”中生成Word文档并打开")
        self.word_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self)  # not the button's child: a button with a child window refuses QWidget.setTabOrder
        menu.addAction("保存到其他文件夹并打开…", self.open_elsewhere)
        self.word_button.setMenu(menu)
        self.word_button.clicked.connect(self.open_word)
        for widget in (self.preview_button, self.print_button, self.word_button):
            row.addWidget(widget)
        row.addStretch(1)

    def preview(self) -> PreviewDialog:
        self.before()
        self.last_preview = show_preview(self.window(), self.ws, self.key)
        return self.last_preview

    def print_(self) -> None:
        self.before()
        print_key(self.window(), self.ws, self.key)

    def open_word(self) -> Path | None:
        self.before()
        return open_in_word(self.window(), self.ws, self.key)

    def open_elsewhere(self) -> Path | None:
        self.before()
        return choose_folder_and_open(self.window(), self.ws, self.key)


def attach(page: QWidget, ws: Workspace, key: str) -> DocumentButtons | None:
    """Put the document buttons on a step's page, under its title and hint; None when it prints nothing."""
    if not has_document(key):
        return None
    flush = getattr(page, "flush", lambda: True)
    buttons = DocumentButtons(ws, key, flush, page)
    layout = page.layout()
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(_after_heading(layout), buttons)
    elif isinstance(layout, QLayout):
        layout.addWidget(buttons)
    page.document_buttons = buttons  # type: ignore[attr-defined]
    # They sit at the top of the page: Tab reaches them first, not after every field below them.
    keyboard.put_first(page, [buttons.preview_button, buttons.print_button, buttons.word_button])
    return buttons


def _after_heading(layout: QVBoxLayout) -> int:
    """The place after the page's title and its hint (labels named pageTitle and hint)."""
    place = 0
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is None or widget.objectName() not in ("pageTitle", "hint"):
            break
        place = index + 1
    return place
