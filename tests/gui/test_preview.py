"""Print preview of the printed documents: A4 pages, the notice's texts and the workspace's, screenshots to look at;
printing's A4 printer; "open in Word/WPS" writing the export's .docx; the buttons on the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QPageSize
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from forms.notice import questionnaire as q
from forms.store.workspace import Workspace
from forms.tasks import deliverables
from gui import preview
from gui.analysis import AnalysisPage
from gui.preview import PreviewDialog
from gui.workspace_view import WorkspaceView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
ANALYSIS = {
    "重点工作任务完成情况": "全年完成公路水路交通固定资产投资超过年度计划，农村公路建设、“县县通高速”等重点任务全部按期完成。" * 3,
    "工作创新和亮点": "推行交通建设项目审批“一站式”服务，办理时限平均压缩40%。",
    "工作难点和薄弱环节": "部分县区农村公路养护资金不足。\n个别项目征地拆迁进度滞后。",
}
A4_PT = (595.28, 841.89)


@pytest.fixture(autouse=True)
def _looks_as_the_program_does(app_look: None) -> None:
    """Every test here renders with the program's own fonts and style sheet."""


@pytest.fixture(autouse=True)
def close_previews(qapp: QApplication) -> Iterator[None]:
    """Previews delete themselves when closed: close those a test left open (pytest-qt would close a
    deleted one again)."""
    yield
    for widget in qapp.topLevelWidgets():
        if isinstance(widget, PreviewDialog) and shiboken6.isValid(widget):
            widget.close()
    QApplication.processEvents()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What the program asked the system to open (nothing is really launched)."""
    urls: list[Path] = []
    monkeypatch.setattr(preview, "open_url", lambda url: urls.append(Path(QUrl(url).toLocalFile())) or True)
    return urls


def laid_out(qtbot: QtBot, dialog: PreviewDialog) -> None:
    widget = dialog.preview_widget()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: widget.pageCount() >= 1)
    widget.fitInView()  # the whole first page: margins, and nothing cut off at the foot
    QApplication.processEvents()


def shot(dialog: PreviewDialog, path: Path) -> QImage:
    assert dialog.preview_widget().grab().save(str(path))
    image = QImage(str(path))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)}
    assert len(colours) > 8  # text was drawn, not an empty page
    return image


def assert_a4(dialog: PreviewDialog) -> None:
    size = dialog.document.page_size_pt()
    assert (round(size.width(), 2), round(size.height(), 2)) == A4_PT
    assert dialog.printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.A4


def test_leader_form_preview_is_a4_with_the_scale_and_the_analysis(qtbot: QtBot, workspace: Workspace,
                                                                   shots_dir: Path) -> None:
    deliverables.set_analysis_sections(workspace, ANALYSIS)
    dialog = preview.show_preview(None, workspace, "analysis")
    laid_out(qtbot, dialog)
    assert_a4(dialog)
    text = dialog.document.text()
    for level in workspace.campaign.leader_scale:
        assert level["standard"] in text and level["level"] in text
    assert workspace.campaign.leader_form_note in text
    assert "评价对象:自治区交通运输厅" in text and "自治区交通运输厅2015年度绩效分析" in text
    for section, body in ANALYSIS.items():
        assert section in text
        assert all(line in text for line in body.splitlines())
    assert dialog.document.page_count() == 1 == dialog.preview_widget().pageCount()
    shot(dialog, shots_dir / "preview_leader_form.png")


def test_questionnaire_preview_numbers_the_questions_with_tick_boxes(qtbot: QtBot, workspace: Workspace,
                                                                    shots_dir: Path) -> None:
    frame = workspace.add_hot_item("农村公路建设")
    questions = q.starter(frame.item)
    q.save(workspace, frame.id, questions)
    dialog = preview.show_preview(None, workspace, f"questionnaire:{frame.id}")
    laid_out(qtbot, dialog)
    assert_a4(dialog)
    text = dialog.document.text()
    assert "2015年度自治区交通运输厅农村公路建设工作评议问卷" in text
    for number, question in enumerate(questions, start=1):
        assert f"{number}. {question.stem}" in text
    pages = [dialog.document.page_text(i) for i in range(dialog.document.page_count())]
    options = [line for page in pages for line in page if line.startswith("□")]
    assert options and all(line.split() == ["□满意", "□比较满意", "□一般", "□不太满意", "□不满意"] for line in options)
    shot(dialog, shots_dir / "preview_questionnaire.png")


def test_contacts_and_reports_preview(qtbot: QtBot, workspace: Workspace) -> None:
    workspace.set_text("report:performance", "今年的工作回顾如下。\n\n# 主要工作\n\n完成了全部任务。")
    for key, expected in (("contacts", "本单位负责此项工作的联络员"), ("report:performance", "一、主要工作")):
        dialog = preview.show_preview(None, workspace, key)
        laid_out(qtbot, dialog)
        assert_a4(dialog)
        assert expected in dialog.document.text()
        dialog.close()
    assert preview.document_keys(workspace) == ["analysis", "contacts", "report:rectification", "report:performance"]


def test_open_in_word_writes_the_exports_docx_beside_the_workspace(qtbot: QtBot, workspace: Workspace,
                                                                  opened: list[Path]) -> None:
    deliverables.set_analysis_sections(workspace, ANALYSIS)
    path = preview.open_in_word(None, workspace, "analysis")
    folder = Path(workspace.path).parent / "报送材料"
    assert path == folder / "附件9_自治区交通运输厅_领导评价表.docx" and opened == [path]
    read = docx.Document(str(path))
    assert read.sections[0].page_width.mm == pytest.approx(210, abs=0.1)
    assert any("推行交通建设项目审批" in c.text for t in read.tables for row in t.rows for c in row.cells)
    # a document with errors carries _未完成 in its name, as the export names it
    assert preview.open_in_word(None, workspace, "contacts").name.endswith("_未完成.docx")  # type: ignore[union-attr]


def test_open_in_word_says_why_when_the_file_cannot_be_written(qtbot: QtBot, workspace: Workspace,
                                                               opened: list[Path], monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    blocked = Path(workspace.path).parent / "报送材料"
    blocked.write_text("a file where the folder should be")
    assert preview.open_in_word(None, workspace, "analysis") is None
    assert opened == [] and "报送材料" in said[0]


def test_the_pages_that_print_get_the_buttons(qtbot: QtBot, workspace: Workspace, opened: list[Path]) -> None:
    import datetime as dt

    frame = workspace.add_hot_item("农村公路建设")
    view = WorkspaceView(workspace, lambda: dt.date(2015, 11, 5))
    qtbot.addWidget(view)
    for key in ("analysis", f"questionnaire:{frame.id}", "contacts", "report:rectification", "report:performance"):
        assert isinstance(getattr(view.page(key), "document_buttons", None), preview.DocumentButtons), key
    assert not hasattr(view.page("publicity"), "document_buttons")
    page = view.page("analysis")
    assert isinstance(page, AnalysisPage)
    page.edits["工作创新和亮点"].setPlainText("刚刚输入、还没有自动保存的文字")
    dialog = page.document_buttons.preview()  # type: ignore[attr-defined]
    assert "刚刚输入、还没有自动保存的文字" in dialog.document.text()  # the page was saved first
    dialog.close()
    path = page.document_buttons.open_word()  # type: ignore[attr-defined]
    assert opened == [path]
    view._refresh_later.flush()  # the guide's refresh after the save: now, while the workspace is open


def test_the_file_menu_previews_and_opens_every_document(qtbot: QtBot, workspace: Workspace, tmp_path: Path,
                                                         opened: list[Path]) -> None:
    import datetime as dt

    from gui.main_window import MainWindow
    from gui.settings import AppSettings

    workspace.add_hot_item("农村公路建设")
    win = MainWindow(AppSettings(tmp_path / "settings.ini"), today=dt.date(2015, 11, 5), save_dir=tmp_path)
    qtbot.addWidget(win)
    win.show_workspace(workspace)
    win.preview_menu.aboutToShow.emit()
    titles = [a.text() for a in win.preview_menu.actions()]
    assert titles == ["附件9 领导评价表（含年度绩效分析）", "评议问卷（农村公路建设）", "附件8 社会评价工作有关情况表",
                      "整改情况报告", "年度绩效情况报告"]
    win.preview_menu.actions()[1].trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog) and w.isVisible())
    assert "农村公路建设工作评议问卷" in dialog.document.text()
    dialog.close()
    win.word_menu.aboutToShow.emit()
    win.word_menu.actions()[2].trigger()
    assert [p.name for p in opened] == ["附件8_自治区交通运输厅_社会评价工作有关情况表_未完成.docx"]
    assert win.close_workspace()
