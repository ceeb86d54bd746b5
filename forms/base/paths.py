"""Where 报送助手 keeps its own files: the per-user folders a Windows (or Linux) program uses.

Never beside the executable: the program is installed per user under ``%LOCALAPPDATA%\\Programs``,
an update replaces that folder, and an uninstall removes it. So:

- settings (small, follow the user between machines): ``%APPDATA%\\Baosong``, ``$XDG_CONFIG_HOME/Baosong``.
  The same folder Qt's ``QSettings(IniFormat, UserScope, "Baosong", "报送助手")`` writes to.
- local data, caches and logs: ``%LOCALAPPDATA%\\Baosong``, ``$XDG_DATA_HOME``/``$XDG_CACHE_HOME``/
  ``$XDG_STATE_HOME``.
- the clerk's workspaces (``*.baosong``) are documents, not program files: ``Documents\\报送助手`` by
  default (the real Documents folder, also when an office has moved it to ``D:\\`` or a network share),
  and they stay there when the program is uninstalled.

Standard library only (no platformdirs): the rules are a few lines, and they are tested here on every
platform by passing ``platform``, ``env`` and ``home`` explicitly. Nothing is created until
:func:`ensure` is called. Qt-free, like all of forms/.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

ORGANISATION = "Baosong"
WORKSPACES_FOLDER = "报送助手"

# Known-folder ids (KNOWNFOLDERID) of the Windows shell.
FOLDERID_DOCUMENTS = "{FDD39AD0-238F-46AF-ADB4-6C85480369C7}"
FOLDERID_ROAMING_APPDATA = "{3EB685DB-65F9-4CF6-A03A-E3EF65729F3D}"
FOLDERID_LOCAL_APPDATA = "{F1B32785-6FBA-4FCF-9D55-7B8E7F157091}"

KnownFolder = Callable[[str], "Path | None"]


@dataclass(frozen=True)
class AppDirs:
    """The program's folders for one user; none of them is inside the program's own folder."""

    config: Path
    data: Path
    cache: Path
    logs: Path
    workspaces: Path

    def all(self) -> tuple[Path, ...]:
        return (self.config, self.data, self.cache, self.logs, self.workspaces)


def app_dirs(platform: str | None = None, env: Mapping[str, str] | None = None, home: Path | None = None,
             known_folder: KnownFolder | None = None) -> AppDirs:
    """The folders for this user on `platform` (default: this machine's)."""
    platform = sys.platform if platform is None else platform
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if platform == "win32":
        return _windows(env, home, known_folder if known_folder is not None else windows_known_folder)
    if platform == "darwin":
        return _macos(home)
    return _xdg(env, home)


def ensure(path: Path) -> Path:
    """Create `path` (and its parents) if missing; return it."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def program_dir() -> Path:
    """The folder the program runs from: the frozen executable's folder, or the source tree."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[2]


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or below it (both resolved; no need for either to exist)."""
    return path.resolve().is_relative_to(folder.resolve())


# --- Windows ---------------------------------------------------------------------------------


def _windows(env: Mapping[str, str], home: Path, known_folder: KnownFolder) -> AppDirs:
    roaming = _win_folder(env, "APPDATA", FOLDERID_ROAMING_APPDATA, known_folder) or home / "AppData" / "Roaming"
    local = _win_folder(env, "LOCALAPPDATA", FOLDERID_LOCAL_APPDATA, known_folder) or home / "AppData" / "Local"
    documents = known_folder(FOLDERID_DOCUMENTS) or _absolute(env.get("USERPROFILE"), home) / "Documents"
    base = local / ORGANISATION
    return AppDirs(config=roaming / ORGANISATION, data=base, cache=base / "Cache", logs=base / "Logs",
                   workspaces=documents / WORKSPACES_FOLDER)


def _win_folder(env: Mapping[str, str], variable: str, folder_id: str, known_folder: KnownFolder) -> Path | None:
    value = env.get(variable, "")
    if value and _is_absolute(value):
        return Path(value)
    return known_folder(folder_id)


def windows_known_folder(folder_id: str) -> Path | None:
    """SHGetKnownFolderPath: the real folder, also when it was redirected. None off Windows or on failure."""
    if sys.platform != "win32":
        return None
    import ctypes
    import uuid
    from ctypes import wintypes

    guid = (ctypes.c_byte * 16).from_buffer_copy(uuid.UUID(folder_id).bytes_le)
    out = ctypes.c_wchar_p()
    shell32, ole32 = ctypes.windll.shell32, ctypes.windll.ole32  # type: ignore[attr-defined]
    shell32.SHGetKnownFolderPath.argtypes = [ctypes.c_void_p, wintypes.DWORD, wintypes.HANDLE,
                                             ctypes.POINTER(ctypes.c_wchar_p)]
    try:
        if shell32.SHGetKnownFolderPath(ctypes.byref(guid), 0, None, ctypes.byref(out)) != 0:
            return None
        return Path(out.value) if out.value else None
    finally:
        ole32.CoTaskMemFree(out)


# --- Linux and other XDG systems, macOS ---------------------------------------------------------


def _xdg(env: Mapping[str, str], home: Path) -> AppDirs:
    def base(variable: str, default: str) -> Path:
        value = env.get(variable, "")
        return Path(value) if value and _is_absolute(value) else home / default

    documents = _xdg_user_dir(env, home, "DOCUMENTS") or home / "Documents"
    return AppDirs(config=base("XDG_CONFIG_HOME", ".config") / ORGANISATION,
                   data=base("XDG_DATA_HOME", ".local/share") / ORGANISATION,
                   cache=base("XDG_CACHE_HOME", ".cache") / ORGANISATION,
                   logs=base("XDG_STATE_HOME", ".local/state") / ORGANISATION / "log",
                   workspaces=documents / WORKSPACES_FOLDER)


_USER_DIR_LINE = re.compile(r'^\s*XDG_(\w+)_DIR\s*=\s*"(.*)"\s*$')


def _xdg_user_dir(env: Mapping[str, str], home: Path, name: str) -> Path | None:
    """A folder from user-dirs.dirs (on a Chinese desktop: XDG_DOCUMENTS_DIR="$HOME/文档")."""
    config = Path(env["XDG_CONFIG_HOME"]) if _is_absolute(env.get("XDG_CONFIG_HOME", "")) else home / ".config"
    try:
        lines = (config / "user-dirs.dirs").read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        match = _USER_DIR_LINE.match(line)
        if match and match.group(1) == name:
            value = match.group(2).replace("$HOME", str(home))
            if _is_absolute(value) and Path(value) != home:  # "$HOME/" alone means: no such folder
                return Path(value)
    return None


def _macos(home: Path) -> AppDirs:
    library = home / "Library"
    return AppDirs(config=library / "Preferences" / ORGANISATION,
                   data=library / "Application Support" / ORGANISATION,
                   cache=library / "Caches" / ORGANISATION, logs=library / "Logs" / ORGANISATION,
                   workspaces=home / "Documents" / WORKSPACES_FOLDER)


def _is_absolute(value: str) -> bool:
    """Absolute on either system: `/x`, `C:\\x`, `\\\\server\\share`."""
    return value.startswith(("/", "\\\\")) or bool(re.match(r"^[A-Za-z]:[\\/]", value))


def _absolute(value: str | None, fallback: Path) -> Path:
    return Path(value) if value and _is_absolute(value) else fallback
