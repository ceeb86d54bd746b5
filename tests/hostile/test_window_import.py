"""The window's import of hostile files, run in a child pytest (see window_cases.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.hostile.files import ROOT, limit_memory


def test_the_window_survives_hostile_files(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOSTILE_SHOTS": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                             str(Path(__file__).with_name("window_cases.py"))], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, env=env, preexec_fn=limit_memory)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "4 passed" in result.stdout, result.stdout[-2000:]
