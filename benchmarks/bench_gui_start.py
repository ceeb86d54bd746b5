"""Start-up: process start to a shown main window, against a bare PySide6 QWidget shown the same way.

    python benchmarks/bench_gui_start.py [REPEATS] [ROWS]      (default 7 1000)

Target (issue 3): ≤ 2× the bare window. Every run is a fresh subprocess (offscreen, its own settings
folder) that prints a marker from the event loop's first pass after show() and quits; the time is
taken from just before the process is spawned to the moment the marker is read, so interpreter start
and imports are inside it. Medians of REPEATS runs, the variants taking turns so disk caches are fair:

- bare:  python -c "QApplication; QWidget().show(); print marker"
- shown: gui.app.run_app([workspace]) until its window is on screen (the workspace still opening)
- main:  python main.py workspace, the same through the real entry point
- ready: run_app([workspace]) until the workspace (ROWS rows checked by the engine) is shown in the guide
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
window.show()
def shown():
    print("BAOSONG-SHOWN", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
sys.exit(app.exec())
"""
OURS = "import sys; from gui.app import run_app; sys.exit(run_app(sys.argv[1:]))"


def make_workspace(folder: Path, rows: int) -> Path:
    from forms.store.workspace import Profile, Workspace

    path = folder / "交通厅.baosong"
    with Workspace.create(path, Profile("自治区交通运输厅", "gov", "经济管理类", liaison="黄小明")) as ws:
        frame = ws.add_hot_item("农村公路建设")
        ws.insert_rows(frame.id, 0, [
            {"name": f"张{n:05d}", "gender": "男", "unit": f"南宁市第{n}公司", "title": "经理",
             "mobile": f"1387711{n % 10000:04d}"} for n in range(rows)])
    return path


def timed(command: list[str], env: dict[str, str], marker: str) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(marker):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{command} ended without printing {marker}")
    process.wait(timeout=60)
    return elapsed


def main(repeats: int = 7, rows: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = make_workspace(Path(folder), rows)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": folder,
               "PYTHONPATH": str(ROOT)}
        variants = {
            "bare": ([sys.executable, "-c", BARE], {}, "BAOSONG-SHOWN"),
            "shown": ([sys.executable, "-c", OURS, str(path)], {"BAOSONG_BENCH": "shown"}, "BAOSONG-SHOWN"),
            "main": ([sys.executable, "main.py", str(path)], {"BAOSONG_BENCH": "shown"}, "BAOSONG-SHOWN"),
            "ready": ([sys.executable, "-c", OURS, str(path)], {"BAOSONG_BENCH": "ready"}, "BAOSONG-READY"),
        }
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(repeats):
            for name, (command, extra, marker) in variants.items():
                times[name].append(timed(command, {**env, **extra}, marker))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"start-up, median of {repeats} runs (workspace of {rows} rows):")
    for name, value in median.items():
        ratio = value / median["bare"]
        print(f"  {name:6s} {value * 1000:7.0f} ms   {ratio:4.2f}× bare")
    print(f"ratio shown/bare = {median['shown'] / median['bare']:.2f} (target ≤ 2)")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
