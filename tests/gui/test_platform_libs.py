"""The start-up check of the X11 libraries Qt's xcb platform needs (a fake finder: no real library is looked up)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gui import platform_libs
from gui.platform_libs import XCB_LIBRARIES, check, missing_packages, uses_xcb

ROOT = Path(__file__).resolve().parents[2]


def finder_without(*absent: str) -> platform_libs.Finder:
    return lambda name: None if name in absent else f"lib{name}.so"


def test_names_each_missing_library_and_the_apt_command() -> None:
    text = check(finder_without("xcb-icccm", "xcb-keysyms"), "linux", {"DISPLAY": ":0"})
    assert text is not None
    assert "libxcb-icccm4 libxcb-keysyms1" in text
    assert "sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1" in text
    assert "libxcb-randr0" not in text and "缺少" in text


def test_nothing_to_say_when_every_library_is_there() -> None:
    assert check(finder_without(), "linux", {}) is None
    assert missing_packages(finder_without()) == []


@pytest.mark.parametrize(("platform", "environ", "expected"), [
    ("linux", {}, True),
    ("linux", {"QT_QPA_PLATFORM": "xcb"}, True),
    ("linux", {"QT_QPA_PLATFORM": "offscreen"}, False),
    ("linux", {"QT_QPA_PLATFORM": "wayland;xcb"}, False),
    ("linux", {"XDG_SESSION_TYPE": "wayland"}, False),
    ("linux", {"XDG_SESSION_TYPE": "wayland", "QT_QPA_PLATFORM": "xcb"}, True),
    ("win32", {}, False),
    ("darwin", {}, False),
])
def test_only_the_xcb_platform_is_checked(platform: str, environ: dict[str, str], expected: bool) -> None:
    assert uses_xcb(platform, environ) is expected
    everything_missing = check(lambda _name: None, platform, environ)
    assert (everything_missing is not None) is expected


def test_the_readme_names_every_package() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert all(package in readme for package in XCB_LIBRARIES.values())


def test_main_stops_before_qt_with_the_message(tmp_path: Path) -> None:
    """main.py with a finder that finds nothing: exit 1, the message on stderr, no Qt abort."""
    script = ("import sys, ctypes.util; ctypes.util.find_library = lambda name: None; "
              f"sys.path.insert(0, {str(ROOT)!r}); import main; sys.exit(main.main([]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}, cwd=ROOT)
    assert done.returncode == 1
    assert "sudo apt-get install -y libxcb1" in done.stderr and "libxcb-icccm4" in done.stderr
