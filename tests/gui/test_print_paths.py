"""One layout for every path (issue 14, item 3): the same analysis through the .docx (LibreOffice → PDF),
our PDF and the window's 打印 / 打印预览 gives the same lines on the same pages, and what the window's
2-page check passes prints on 2 pages. Screenshots of the report and questionnaire pages and of a
printed page, to look at."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtGui import QImage, QInputMethodEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forms.documents.files import libreoffice_pdf, pdf_page_count, soffice
from forms.notice import questionnaire as q
from forms.store.workspace import Workspace
from forms.tasks import deliverables, filedate
from gui import analysis, doc_render, preview
from gui.reports import ReportPage
from gui.workspace_view import WorkspaceView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None

# 680 字 of short paragraphs: what the window's old print path set on 3 pages, the PDF and LibreOffice on 2.
SHORT = ["全年完成重点项目建设任务，投资进度超过计划。", "服务群众能力明显提升，办事更加便捷高效。",
         "推进简政放权改革，取消和下放一批审批事项。", "加强干部队伍建设，开展“大学习”业务培训。",
         "深化作风建设，落实中央八项规定精神。", "落实安全生产责任，全年未发生重大事故。"]


def short_paragraphs(chars: int) -> dict[str, str]:
    lines: list[str] = []
    while sum(len(line) for line in lines) < chars:
        lines.append(SHORT[len(lines) % len(SHORT)])
    third = len(lines) // 3
    names = ("重点工作任务完成情况", "工作创新和亮点", "工作难点和薄弱环节")
    return {name: "\n".join(lines[i * third:(i + 1) * third if i < 2 else None]) for i, name in enumerate(names)}


def lines_per_page(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = [[re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()] for page in out.stdout.split("\f")]
    return [page for page in pages if page]


def printed_pdf(document: doc_render.RenderedDoc, path: Path) -> Path:
    """The window's print path, onto a PDF printer (as onto paper: the same painter calls)."""
    printer = preview.a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(200)
    document.print_(printer)
    return path


def mismatch(first: QImage, second: QImage) -> float:
    """Share of sampled pixels where one page has ink and the other none (0: the same lines in the same places)."""
    one = first.convertToFormat(QImage.Format.Format_Grayscale8)
    two = second.convertToFormat(QImage.Format.Format_Grayscale8)
    assert one.size() == two.size()
    ink = differ = 0
    for y in range(0, one.height(), 2):
        for x in range(0, one.width(), 2):
            a, b = one.pixelColor(x, y).value() < 128, two.pixelColor(x, y).value() < 128
            ink += a or b
            differ += a != b
    return differ / max(ink, 1)


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
def test_the_same_analysis_breaks_the_same_in_all_three_paths(qtbot: QtBot, workspace: Workspace,
                                                               tmp_path: Path) -> None:
    sections = short_paragraphs(680)
    deliverables.set_analysis_sections(workspace, sections)
    form = deliverables.leader_form_of(workspace)
    assert 660 <= form.char_count() <= 720
    ours, pages = form.write_pdf(tmp_path / "ours.pdf")
    assert pages == 2 == analysis.page_count(workspace.campaign, "gov", "自治区交通运输厅", sections)
    # the window's print path: the same pages, the same ink line by line
    item = preview.printable(workspace, "analysis")
    rendered = doc_render.render(item.doc)
    assert rendered.page_count() == 2
    printed = printed_pdf(rendered, tmp_path / "printed.pdf")
    assert pdf_page_count(printed) == 2
    mine = lines_per_page(ours)
    window = tmp_path / "window.pdf"
    window.write_bytes(rendered.data)  # the layout the window draws: the export's, line for line
    assert lines_per_page(window) == mine
    exported = doc_render.RenderedDoc.__new__(doc_render.RenderedDoc)  # the exported file, read as the window reads
    exported.pages, exported._pdf = pages, pdfium.PdfDocument(ours.read_bytes())
    for n in range(2):  # the pages the window prints are the exported PDF's pages, pixel for pixel
        assert mismatch(rendered.image(n, 60), exported.image(n, 60)) == 0
    # the .docx in a second reader
    if soffice() is None:
        pytest.skip("LibreOffice is not installed: docx path not compared")
    lo = libreoffice_pdf(form.write_docx(tmp_path / "lo.docx"), tmp_path / "lo")
    assert lo is not None
    assert lines_per_page(lo) == mine


def test_mirrored_margins_print_on_the_back_page(qtbot: QtBot, workspace: Workspace) -> None:
    """Page 2's text block sits further left than page 1's (the binding edge alternates)."""
    deliverables.set_analysis_sections(workspace, short_paragraphs(1200))
    rendered = doc_render.render(preview.printable(workspace, "analysis").doc)
    assert rendered.page_count() >= 2

    def left_edge(index: int) -> int:
        image = rendered.image(index, 72)
        return min(x for x in range(image.width()) for y in range(200, 600, 7) if image.pixelColor(x, y).value() < 128)
    assert left_edge(0) - left_edge(1) == pytest.approx(6 * 72 / 25.4, abs=2)  # inside 28 mm, outside 22 mm


def ime_type(widget: object, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]


def test_report_page_shows_title_and_date_and_prints_no_markup(qtbot: QtBot, workspace: Workspace,
                                                               shots_dir: Path, app_look: None) -> None:
    workspace.set_text("report:performance", "自治区绩效考评办：\n\n# 总体情况\n\n## 重点项目\n\n投资**1250亿元**。\n")
    view = WorkspaceView(workspace, lambda: dt.date(2015, 12, 1))
    qtbot.addWidget(view)
    page = view.page("report:performance")
    assert isinstance(page, ReportPage)
    view.resize(1100, 760)
    view.show()
    assert page.title_edit.placeholderText() == "自治区交通运输厅2015年度绩效情况报告"
    assert "默认" in page.date_row.hint.text()  # today's date, to confirm
    page.date_row.edit.setDate(page.date_row.edit.date().addDays(-1))
    assert filedate.stored(workspace, "report:performance:date") is not None
    page.grab().save(str(shots_dir / "report_page.png"))
    text = doc_render.render(preview.printable(workspace, "report:performance").doc).text()
    assert "**" not in text and "#" not in text and "（一）重点项目" in text and "一、总体情况" in text


def test_questionnaire_page_and_its_print(qtbot: QtBot, workspace: Workspace, shots_dir: Path,
                                          app_look: None) -> None:
    frame = workspace.add_hot_item("农村公路建设")
    questions = q.starter(frame.item, workspace.profile.department)
    questions.insert(1, q.Question("您认为该项工作的宣传是否到位？", ("到位", "比较到位", "一般", "不到位", "说不清楚")))
    q.save(workspace, frame.id, questions)
    view = WorkspaceView(workspace, lambda: dt.date(2015, 11, 5))
    qtbot.addWidget(view)
    view.resize(1100, 760)
    page = view.page(f"questionnaire:{frame.id}")
    page.grab().save(str(shots_dir / "questionnaire_page.png"))
    rendered = doc_render.render(preview.printable(workspace, f"questionnaire:{frame.id}").doc)
    lines = rendered.page_text(0)
    assert any("您对自治区交通运输厅农村公路建设工作" in line for line in lines)
    options = [line.split() for line in lines if line.lstrip().startswith("□")]
    assert ["□到位", "□比较到位", "□一般", "□不到位", "□说不清楚"] in options  # whole units, one row
    rendered.image(0, 80).save(str(shots_dir / "questionnaire_print.png"))


def test_report_imported_in_the_window_keeps_its_title_and_date(qtbot: QtBot, workspace: Workspace,
                                                                 tmp_path: Path) -> None:
    source = tmp_path / "报告.txt"
    source.write_text("我厅2015年度绩效情况报告\n一、主要工作\n完成了全部任务。\n自治区交通运输厅\n二〇一五年十二月八日\n",
                      encoding="utf-8")
    view = WorkspaceView(workspace, lambda: dt.date(2015, 12, 1))
    qtbot.addWidget(view)
    page = view.page("report:performance")
    assert isinstance(page, ReportPage) and page.import_file(source)
    assert page.title_edit.text() == "我厅2015年度绩效情况报告"
    assert page.date_row.edit.date().toString("yyyy-MM-dd") == "2015-12-08"
    report = deliverables.report_from_markdown(workspace, "performance")
    assert report.title == "我厅2015年度绩效情况报告" and report.date == dt.date(2015, 12, 8)
    assert not any("二〇一五" in piece.text or piece.text == "自治区交通运输厅" for piece in report.body)
