"""The office's intake in the window: the start choice, a batch received off the GUI thread with the table
filled, the status filter, a department's problems on double-click, a corrected archive replacing its entry."""

from __future__ import annotations

import csv
import datetime as dt
import time
from itertools import pairwise
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from gui.intake import IntakePage
from gui.main_window import MainWindow
from gui.problem_list import FindingsPanel
from gui.settings import AppSettings
from tests import intake_archives as ia


@pytest.fixture(scope="module")
def batch(intake_batch: ia.Batch) -> ia.Batch:
    return intake_batch


def run(qtbot: QtBot, page: IntakePage, start: bool = True) -> None:
    if start:
        assert page.start_all()
    qtbot.waitUntil(lambda: page.job is None, timeout=180_000)


def statuses(page: IntakePage) -> dict[str, str]:
    model = page.model
    return {model.index(r, 1).data(): model.index(r, 0).data() for r in range(model.rowCount())}


def test_start_screen_offers_the_intake(qtbot: QtBot, tmp_path: Path) -> None:
    win = MainWindow(AppSettings(tmp_path / "settings.ini"), today=dt.date(2015, 11, 20), save_dir=tmp_path)
    qtbot.addWidget(win)
    button = win.start.findChild(QPushButton, "intakeButton")
    assert button is not None and button.text() == "考评办收件"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.intake and isinstance(win.intake, IntakePage)
    win.intake.back_requested.emit()
    assert win.stack.currentWidget() is win.start


def test_batch_fills_the_table_without_stalling_the_window(qtbot: QtBot, batch: ia.Batch, tmp_path: Path,
                                                           app_look: None, shots_dir: Path) -> None:
    page = IntakePage()
    qtbot.addWidget(page)
    page.resize(1200, 640)
    page.show()
    page.folder.setText(str(batch.folder))
    page.table.setText(str(batch.passwords))
    page.out.setText(str(tmp_path / "out"))
    ticks: list[float] = [time.monotonic()]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    shown: list[int] = []
    page.relay.received.connect(lambda _report: shown.append(page.model.rowCount()))
    run(qtbot, page)
    timer.stop()
    ticks.append(time.monotonic())
    # the GUI thread kept running its event loop while the batch was read: never a second without a tick
    # (a count of ticks would say more about how fast the machine read the batch than about stalls)
    assert max(b - a for a, b in pairwise(ticks)) < 1.0
    assert shown == [1, 2, 3, 4, 5, 6, 7]  # each department appeared as soon as its archive was read
    assert statuses(page) == {ia.GOOD_A: "合格", ia.GOOD_B: "合格", ia.WRONG: "密码不对", ia.CORRUPT: "无法读取",
                              ia.NO_PASSWORD: "缺密码", ia.MISSING: "有问题", "（单位不明）": "不是报送材料"}
    assert (tmp_path / "out" / "收件情况.xlsx").exists() and page.progress.value() == page.progress.maximum() == 7
    icon = page.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()  # the status is an icon and words, not a colour alone
    page.grab().save(str(shots_dir / "intake.png"))

    page.filter.setCurrentIndex(page.filter.findData("wrong-password"))
    assert page.proxy.rowCount() == 1 and page.proxy.index(0, 1).data() == ia.WRONG
    page.filter.setCurrentIndex(0)
    assert page.proxy.rowCount() == 7

    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 1).data() == ia.MISSING)
    dialog = page.show_findings(page.proxy.index(row, 0))
    panel = dialog.findChild(FindingsPanel)
    lines = [panel.model.line(r) for r in range(panel.model.rowCount())]
    assert any("没有附件3" in line and line.startswith("【错误】") for line in lines)
    dialog.grab().save(str(shots_dir / "intake-findings.png"))
    dialog.close()

    assert page.draw_sample(5, "42")
    run(qtbot, page, start=False)
    calls = load_workbook(tmp_path / "out" / "抽样名单.xlsx", read_only=True)["抽样名单"]
    rows = list(calls.iter_rows(min_row=2, values_only=True))
    assert "抽样种子:42" in rows[0][0] and len(rows) - 2 == 5 * 5  # 甲, 乙: 附件2 and 3; 戊: 附件2

    fixed = tmp_path / "密码表-改正.csv"
    with batch.passwords.open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    for line in table:
        if line[0] == ia.WRONG:
            line[2] = batch.secrets[ia.WRONG]
    with fixed.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(table)
    page.table.setText(str(fixed))
    archive = next(batch.folder.glob(f"{ia.WRONG}*.zip"))
    assert page.start_one(str(archive))
    run(qtbot, page, start=False)
    after = statuses(page)
    assert after[ia.WRONG] == "合格" and len(after) == 7
    assert page.model.keys.index(ia.WRONG) == list(statuses(page)).index(ia.WRONG)  # it kept its row


def test_missing_choices_are_named(qtbot: QtBot, said: dict[str, list[str]]) -> None:
    page = IntakePage()
    qtbot.addWidget(page)
    assert not page.start_all()
    assert said["warning"] and "压缩包文件夹" in said["warning"][0] and "密码表" in said["warning"][0]


def test_cancel_keeps_what_was_read_and_writes_nothing(qtbot: QtBot, batch: ia.Batch, tmp_path: Path) -> None:
    page = IntakePage()
    qtbot.addWidget(page)
    page.folder.setText(str(batch.folder))
    page.table.setText(str(batch.passwords))
    page.out.setText(str(tmp_path / "out"))
    assert page.start_all()
    page.cancel()
    run(qtbot, page, start=False)
    assert "已取消" in page.note.text() and page.model.rowCount() < 7 and not page.model.partial
    assert not (tmp_path / "out" / "收件情况.xlsx").exists()
    assert page.start_button.isEnabled()
