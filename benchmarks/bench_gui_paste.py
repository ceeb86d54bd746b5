"""Pasting 10 000 rows into the frame editor: total time and the longest GUI-thread stall.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_paste.py [ROWS]

Targets (issue 3): paste of 10 000 rows ≤ 1 s; the longest GUI-thread stall during it ≤ 100 ms.
Baseline, measured in the same run: `ws.insert_rows` of the same rows into a fresh workspace, no GUI —
what the core alone costs, so `total / baseline` is what the editor adds (parse, worker, views, panels).
A stall is the longest gap between ticks of a 5 ms timer on the GUI thread, from Ctrl+V until the
panels have been refreshed. Also: the slowest repaint while jumping around the pasted grid.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from forms.checks import geo  # noqa: E402
from forms.store.workspace import Profile, Workspace  # noqa: E402
from gui.clipboard import parse_tsv  # noqa: E402
from gui.frame_editor import FrameEditor  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文海燕宁波斌宇浩凯健俊帆鹏辉力婷雪琳晶颖"
HOT_KEYS = ("name", "gender", "unit", "title", "area_code", "landline", "mobile", "remark")


def clipboard_text(count: int, seed: int = 11) -> str:
    """What Excel would put on the clipboard for `count` people of a hot frame (CRLF, final newline)."""
    rng = random.Random(seed)
    places = [(city, county) for city, counties in geo.coverage_units().items() for county in counties]
    lines = []
    for _ in range(count):
        city, county = rng.choice(places)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        mobile = f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
        cells = [name, rng.choice("男女"), f"{city.name}{county.name}交通运输局", "科长", city.area_code,
                 str(rng.randint(2000000, 8999999)), mobile, ""]
        lines.append("\t".join(cells))
    return "\r\n".join(lines) + "\r\n"


def baseline(text: str, folder: Path) -> float:
    """The core alone: the same rows straight into a fresh workspace."""
    raws = [dict(zip(HOT_KEYS, cells, strict=False)) for cells in parse_tsv(text)]
    with Workspace.create(folder / "baseline.baosong", Profile("基准单位", "gov", "经济管理类")) as ws:
        frame = ws.add_hot_item("基准")
        ws.insert_rows(frame.id, 0, raws[:10])  # warm the caches the same way the GUI run does
        start = time.perf_counter()
        ws.insert_rows(frame.id, 10, raws[10:])
        return time.perf_counter() - start


class StallMeter:
    """The longest gap between ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=5, timeout=self._tick)
        self.last = 0
        self.longest = 0

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> int:
        self._tick()
        self.timer.stop()
        return self.longest


def gui_paste(text: str, folder: Path) -> tuple[float, int, int, float]:
    """(total seconds, longest stall ms, rows pasted, slowest repaint ms) of Ctrl+V in the editor."""
    ws = Workspace.create(folder / "gui.baosong", Profile("测试单位", "gov", "经济管理类"))
    frame = ws.add_hot_item("测试")
    editor = FrameEditor(ws, frame.id)
    editor.resize(1280, 800)
    editor.show()
    QApplication.processEvents()
    QGuiApplication.clipboard().setText("\r\n".join(text.split("\r\n")[:10]) + "\r\n")
    editor.table.go_to(editor.model.index(0, 1))
    QTest.keyClick(editor.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # warm-up: 10 rows
    QGuiApplication.clipboard().setText("\r\n".join(text.split("\r\n")[10:]))
    editor.table.go_to(editor.model.index(10, 1))
    QApplication.processEvents()
    meter = StallMeter()
    meter.start()
    start = time.perf_counter()
    QTest.keyClick(editor.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    while editor._refresh_timer.isActive():  # until the panels and counts have caught up
        QApplication.processEvents()
    QApplication.processEvents()
    total = time.perf_counter() - start
    longest = meter.stop()
    rows = len(ws.row_ids(frame.id))
    repaint = slowest_repaint(editor)
    ws.close()
    return total, longest, rows, repaint


def slowest_repaint(editor: FrameEditor) -> float:
    """Jump to 30 places in the grid (cold cache each time) and repaint: the slowest, in ms."""
    rng, bar, worst = random.Random(3), editor.table.verticalScrollBar(), 0.0
    for _ in range(30):
        bar.setValue(rng.randint(0, bar.maximum()))
        start = time.perf_counter()
        editor.table.viewport().repaint()
        worst = max(worst, (time.perf_counter() - start) * 1000)
    return worst


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    app = QApplication.instance() or QApplication([])
    assert app is not None
    text = clipboard_text(count)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = baseline(text, folder)
        total, longest, rows, repaint = gui_paste(text, folder)
    assert rows == count, f"{rows} rows pasted, {count} expected"
    print(f"paste of {count} rows through Ctrl+V: {total:.2f} s total (target ≤ 1 s)")
    print(f"longest GUI-thread stall during it: {longest} ms (target ≤ 100 ms)")
    print(f"baseline ws.insert_rows of the same rows, no GUI: {base:.2f} s; ratio {total / base:.2f}×")
    print(f"slowest repaint jumping around {rows} rows: {repaint:.1f} ms")


if __name__ == "__main__":
    main()
