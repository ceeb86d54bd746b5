"""forms/base/paths.py: the program's own folders per platform, never beside the executable, Chinese paths fine."""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

import pytest

from forms.base import paths
from forms.base.paths import (
    FOLDERID_DOCUMENTS,
    FOLDERID_LOCAL_APPDATA,
    FOLDERID_ROAMING_APPDATA,
    AppDirs,
    app_dirs,
    ensure,
    is_inside,
    program_dir,
)

USER = r"C:\Users\张 三"


def win(path: Path) -> PureWindowsPath:
    """A Windows path computed on any platform, compared as Windows compares it."""
    return PureWindowsPath(str(path))


def no_known_folder(_folder_id: str) -> Path | None:
    return None


def windows(env: dict[str, str], known: dict[str, str] | None = None) -> AppDirs:
    folders = known or {}
    return app_dirs("win32", env, Path(USER), lambda fid: Path(folders[fid]) if fid in folders else None)


ENV = {"APPDATA": USER + r"\AppData\Roaming", "LOCALAPPDATA": USER + r"\AppData\Local", "USERPROFILE": USER}


def test_windows_settings_roam_and_the_rest_stays_local() -> None:
    dirs = windows(ENV)
    assert win(dirs.config) == PureWindowsPath(USER, "AppData/Roaming/Baosong")
    assert win(dirs.data) == PureWindowsPath(USER, "AppData/Local/Baosong")
    assert win(dirs.cache) == PureWindowsPath(USER, "AppData/Local/Baosong/Cache")
    assert win(dirs.logs) == PureWindowsPath(USER, "AppData/Local/Baosong/Logs")
    assert win(dirs.workspaces) == PureWindowsPath(USER, "Documents/报送助手")


def test_windows_documents_follow_a_redirected_folder() -> None:
    dirs = windows(ENV, {FOLDERID_DOCUMENTS: r"D:\我的文档"})
    assert win(dirs.workspaces) == PureWindowsPath(r"D:\我的文档\报送助手")


def test_windows_documents_on_a_network_share() -> None:
    dirs = windows(ENV, {FOLDERID_DOCUMENTS: r"\\server\home$\zhangsan\Documents"})
    assert win(dirs.workspaces) == PureWindowsPath(r"\\server\home$\zhangsan\Documents\报送助手")


def test_windows_without_variables_asks_the_shell_then_falls_back_to_the_profile() -> None:
    known = {FOLDERID_ROAMING_APPDATA: r"E:\Profiles\zs\Roaming", FOLDERID_LOCAL_APPDATA: r"E:\Profiles\zs\Local"}
    dirs = windows({}, known)
    assert win(dirs.config) == PureWindowsPath(r"E:\Profiles\zs\Roaming\Baosong")
    assert win(dirs.data) == PureWindowsPath(r"E:\Profiles\zs\Local\Baosong")
    bare = windows({})
    assert win(bare.config) == PureWindowsPath(USER, "AppData/Roaming/Baosong")
    assert win(bare.workspaces) == PureWindowsPath(USER, "Documents/报送助手")


def test_windows_ignores_a_relative_variable() -> None:
    dirs = windows({**ENV, "APPDATA": r"AppData\Roaming"})
    assert win(dirs.config) == PureWindowsPath(USER, "AppData/Roaming/Baosong")


def test_xdg_defaults(tmp_path: Path) -> None:
    dirs = app_dirs("linux", {}, tmp_path)
    assert dirs == AppDirs(config=tmp_path / ".config/Baosong", data=tmp_path / ".local/share/Baosong",
                           cache=tmp_path / ".cache/Baosong", logs=tmp_path / ".local/state/Baosong/log",
                           workspaces=tmp_path / "Documents/报送助手")


def test_xdg_variables_win_and_relative_ones_are_ignored(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "配置 目录"), "XDG_DATA_HOME": "relative/data",
           "XDG_CACHE_HOME": str(tmp_path / "c"), "XDG_STATE_HOME": str(tmp_path / "s")}
    dirs = app_dirs("linux", env, tmp_path)
    assert dirs.config == tmp_path / "配置 目录" / "Baosong"
    assert dirs.data == tmp_path / ".local/share/Baosong"
    assert dirs.cache == tmp_path / "c/Baosong" and dirs.logs == tmp_path / "s/Baosong/log"


def test_xdg_documents_from_user_dirs_on_a_chinese_desktop(tmp_path: Path) -> None:
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config/user-dirs.dirs").write_text(
        '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/桌面"\nXDG_DOCUMENTS_DIR="$HOME/文档"\n', "utf-8")
    assert app_dirs("linux", {}, tmp_path).workspaces == tmp_path / "文档" / "报送助手"


@pytest.mark.parametrize("line", ['XDG_DOCUMENTS_DIR="$HOME/"', 'XDG_DOCUMENTS_DIR="relative"', "garbage"])
def test_xdg_documents_fallback(tmp_path: Path, line: str) -> None:
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config/user-dirs.dirs").write_text(line + "\n", "utf-8")
    assert app_dirs("linux", {}, tmp_path).workspaces == tmp_path / "Documents" / "报送助手"


def test_macos(tmp_path: Path) -> None:
    dirs = app_dirs("darwin", {}, tmp_path)
    assert dirs.data == tmp_path / "Library/Application Support/Baosong"
    assert dirs.workspaces == tmp_path / "Documents/报送助手"


def test_none_is_beside_the_program_on_this_machine() -> None:
    assert all(not is_inside(folder, program_dir()) for folder in app_dirs().all())


def test_program_dir_is_the_executables_folder_when_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "程序 目录" / "baosong.exe"))
    assert program_dir() == (tmp_path / "程序 目录").resolve()


def test_program_dir_is_the_source_tree() -> None:
    assert (program_dir() / "main.py").is_file()


def test_is_inside(tmp_path: Path) -> None:
    assert is_inside(tmp_path / "a" / "b", tmp_path / "a")
    assert is_inside(tmp_path / "a", tmp_path / "a")
    assert not is_inside(tmp_path / "ab", tmp_path / "a")
    assert not is_inside(tmp_path / "a" / ".." / "b", tmp_path / "a")


def test_ensure_creates_a_chinese_path_with_spaces(tmp_path: Path) -> None:
    target = tmp_path / "测试 文件夹" / "子目录"
    assert ensure(target) == target and target.is_dir()
    assert ensure(target) == target  # again: no error


def test_nothing_is_created_by_asking(tmp_path: Path) -> None:
    app_dirs("linux", {}, tmp_path)
    app_dirs("win32", {}, tmp_path, no_known_folder)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform != "win32", reason="the shell's known folders exist on Windows only")
def test_windows_known_folders_are_real() -> None:
    for folder_id in (FOLDERID_DOCUMENTS, FOLDERID_ROAMING_APPDATA, FOLDERID_LOCAL_APPDATA):
        found = paths.windows_known_folder(folder_id)
        assert found is not None and found.is_dir()


def test_known_folder_is_none_off_windows() -> None:
    if sys.platform != "win32":
        assert paths.windows_known_folder(FOLDERID_DOCUMENTS) is None
