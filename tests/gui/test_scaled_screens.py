"""The window at 100 % and 150 % text on a 1366×768 screen (QT_SCALE_FACTOR, so in a subprocess): it fits the
screen, the last column (邮政编码, with its error) is in sight, the grid has the focus; screenshots to look at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forms.store.workspace import Profile, Workspace

ROOT = Path(__file__).resolve().parents[2]
SCREEN = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
                       "logicalBaseDpi": 96, "dpr": 1}]}
ROWS = [
    {"name": "张三", "gender": "男", "unit": "柳州市交通运输局（柳州市东环大道256号）", "title": "局长",
     "area_code": "0772", "landline": "2811111", "mobile": "13877212345", "postcode": "545001"},
    {"name": "李四", "gender": "女", "unit": "桂林市公路管理局", "title": "副局长", "mobile": "1387711"},
]


@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_the_window_fits_the_screen_at_large_text(tmp_path: Path, shots_dir: Path, scale: str) -> None:
    ws = Workspace.create(tmp_path / "交通厅.baosong", Profile("自治区交通运输厅", "gov", "经济管理类"))
    ws.insert_rows(ws.system_frame().id, 0, ROWS)
    ws.close()
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(SCREEN))
    shot = shots_dir / f"scaled-{scale}.png"
    env = {**os.environ, "QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "tests/gui/scaled_window.py"), str(tmp_path / "交通厅.baosong"),
                           str(tmp_path / "settings.ini"), str(shot)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    sx, sy, sw, sh = seen["screen"]
    wx, wy, ww, wh = seen["window"]
    assert sx <= wx and sy <= wy and wx + ww <= sx + sw and wy + wh <= sy + sh, seen  # inside the screen
    assert seen["last_column"] == "邮政编码"
    assert seen["last_column_right"] <= seen["viewport_width"] + 1, seen  # in sight without scrolling
    assert seen["focus"] == "附件2抽样框表格"
    assert shot.stat().st_size > 20_000
