"""Before the window opens on Linux: are the X11 (xcb) libraries Qt's xcb platform needs installed?

Without them Qt aborts with a message that names only libxcb-cursor0, whatever is really missing. This
looks each library up first (no Qt import here: it runs before QApplication) and says in Chinese which are
missing and the apt command that installs them.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

# What Qt 6's xcb platform plugin links (ldd of libqxcb.so and libQt6XcbQpa.so): library → Debian/Ubuntu package.
XCB_LIBRARIES = {
    "xcb": "libxcb1", "X11-xcb": "libx11-xcb1", "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0", "xcb-keysyms": "libxcb-keysyms1", "xcb-randr": "libxcb-randr0",
    "xcb-render": "libxcb-render0", "xcb-render-util": "libxcb-render-util0", "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0", "xcb-sync": "libxcb-sync1", "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0", "xcb-xkb": "libxcb-xkb1", "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}
Finder = Callable[[str], str | None]


def uses_xcb(platform: str, environ: Mapping[str, str]) -> bool:
    """Whether Qt will start on the xcb platform: Linux, and no other platform chosen or implied by Wayland."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].strip()
    if chosen:
        return chosen.startswith("xcb")
    return environ.get("XDG_SESSION_TYPE", "") != "wayland"


def missing_packages(find: Finder = ctypes.util.find_library) -> list[str]:
    """The packages of the xcb libraries `find` cannot find, in the order of XCB_LIBRARIES."""
    return [package for library, package in XCB_LIBRARIES.items() if not find(library)]


def message(packages: list[str]) -> str:
    """What to tell the clerk (or the administrator) when libraries are missing."""
    names = " ".join(packages)
    return (f"报送助手无法打开窗口：系统缺少Qt图形界面所需的库（{names}）。\n"
            f"请让管理员安装后再启动：\n  sudo apt-get install -y {names}\n"
            "（Qt自己的报错只提到 libxcb-cursor0，实际缺少的是上面列出的这些。）")


def check(find: Finder = ctypes.util.find_library, platform: str = sys.platform,
          environ: Mapping[str, str] = os.environ) -> str | None:
    """The message to print when the window cannot start on xcb, None when it can (or xcb is not used)."""
    if not uses_xcb(platform, environ):
        return None
    packages = missing_packages(find)
    return message(packages) if packages else None
