"""Screenshots of the main screens at 1280×800, saved under the run's temp path (shots_dir) to be looked at:
the start screen, the wizard, the guide on a frame step, the analysis editor and the questionnaire."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from forms.notice import questionnaire as q
from forms.notice.campaign import load
from forms.store.workspace import Workspace
from gui import style
from gui.main_window import MainWindow
from gui.settings import AppSettings
from gui.wizard import NewDepartmentWizard

SIZE = (1280, 800)
ROWS = [
    {"name": "张三", "gender": "男", "unit": "柳州市交通运输局（柳州市东环大道256号）", "title": "局长",
     "area_code": "0772", "landline": "2811111", "mobile": "13877212345", "postcode": "545001"},
    {"name": "李四", "gender": "女", "unit": "桂林市公路管理局", "title": "副局长", "mobile": "1387711"},
]
ANALYSIS = {
    "重点工作任务完成情况": "全年完成公路水路交通固定资产投资超过年度计划，农村公路建设、“县县通高速”等重点任务全部按期完成。",
    "工作创新和亮点": "推行交通建设项目审批“一站式”服务，办理时限平均压缩40%。",
    "工作难点和薄弱环节": "",
}


def save(widget: QWidget, shots_dir: Path, name: str) -> Path:
    QApplication.processEvents()
    path = shots_dir / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def assert_non_trivial(path: Path) -> None:
    image = QImage(str(path))
    assert (image.width(), image.height()) == SIZE
    colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)}
    assert path.stat().st_size > 20_000 and len(colours) > 8


@pytest.fixture(autouse=True)
def _looks_as_the_program_does(app_look: None) -> None:
    """Every test here renders with the program's own fonts and style sheet."""


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    win = MainWindow(AppSettings(tmp_path / "settings.ini"), today=dt.date(2015, 11, 5), save_dir=tmp_path)
    qtbot.addWidget(win)
    win.resize(*SIZE)
    win.show()
    return win


@pytest.fixture
def filled(workspace: Workspace) -> Workspace:
    workspace.insert_rows(workspace.system_frame().id, 0, ROWS)
    frame = workspace.add_hot_item("农村公路建设")
    q.save(workspace, frame.id, q.starter(frame.item)[:4])
    for name, text in ANALYSIS.items():
        workspace.set_text(f"analysis:{name}", text)
    return workspace


def test_start_screen(window: MainWindow, shots_dir: Path, tmp_path: Path, workspace: Workspace) -> None:
    window.settings.add_recent(tmp_path / "旧工作区" / "自治区交通运输厅2014.baosong")  # since moved away
    window.settings.add_recent(workspace.path)
    window._show_start()
    assert window.start.recent.count() == 2 and "文件已不存在" in window.start.recent.item(1).text()
    assert_non_trivial(save(window, shots_dir, "1-start"))


def test_wizard_over_the_start_screen(qtbot: QtBot, window: MainWindow, shots_dir: Path, tmp_path: Path) -> None:
    wizard = NewDepartmentWizard(load("2015"), tmp_path, window)
    qtbot.addWidget(wizard)
    wizard.setField("department", "自治区交通运输厅")
    wizard.show()
    wizard.next()
    wizard.kind_page.radios["gov"].click()
    wizard.kind_page.category.setCurrentIndex(0)
    assert_non_trivial(save_composited(window, wizard, shots_dir, "2-wizard"))
    wizard.next()
    wizard.next()
    assert "附件2" in wizard.summary_page.text.text()
    assert_non_trivial(save_composited(window, wizard, shots_dir, "2-wizard-summary"))


def save_composited(window: MainWindow, dialog: QWidget, shots_dir: Path, name: str) -> Path:
    QApplication.processEvents()
    background = window.grab()
    painter = QPainter(background)
    painter.fillRect(background.rect(), QColor(0, 0, 0, 60))  # the modal dialog over the dimmed window
    shot = dialog.grab()
    corner = QPoint((SIZE[0] - shot.width()) // 2, (SIZE[1] - shot.height()) // 2)
    painter.drawPixmap(corner, shot)
    painter.setPen(QColor("#7a7f87"))
    painter.drawRect(corner.x() - 1, corner.y() - 1, shot.width() + 1, shot.height() + 1)
    painter.end()
    path = shots_dir / f"{name}.png"
    assert background.save(str(path))
    return path


def test_guide_on_the_frame_step(window: MainWindow, filled: Workspace, shots_dir: Path) -> None:
    window.show_workspace(filled)
    assert window.view is not None and window.view.select(f"frame:{filled.system_frame().id}")
    assert_non_trivial(save(window, shots_dir, "3-guide-frame"))


def test_analysis_editor(window: MainWindow, filled: Workspace, shots_dir: Path) -> None:
    window.show_workspace(filled)
    assert window.view is not None and window.view.select("analysis")
    assert "可容纳在2页A4内" in window.view.current_page().fit_label.text()
    assert_non_trivial(save(window, shots_dir, "4-analysis"))


def test_questionnaire(window: MainWindow, filled: Workspace, shots_dir: Path) -> None:
    window.show_workspace(filled)
    [frame] = filled.hot_frames()
    assert window.view is not None and window.view.select(f"questionnaire:{frame.id}")
    page = window.view.current_page()
    page.list.setCurrentRow(1)
    assert style.ERROR_COLOUR in page.summary.styleSheet()  # 4 of 5: the shortfall shows
    assert_non_trivial(save(window, shots_dir, "5-questionnaire"))
