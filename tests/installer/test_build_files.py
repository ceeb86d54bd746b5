"""The build's inputs, checked without building: spec data, version resource, icon, installer script, CI file."""

from __future__ import annotations

import ast
import re
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.installer.conftest import INSTALLER, load_installer_module

ROOT = INSTALLER.parent
sd = load_installer_module("specdata")


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_version_comes_from_pyproject() -> None:
    assert sd.project_version() == pyproject()["project"]["version"]  # type: ignore[index]


@pytest.mark.parametrize(("text", "numbers"), [("0.1.0", (0, 1, 0, 0)), ("2.3", (2, 3, 0, 0)),
                                               ("1.2rc1", (1, 2, 0, 0)), ("0.1.0.dev2", (0, 1, 0, 0)),
                                               ("1.2.3.4.5", (1, 2, 3, 4))])
def test_numeric_version(text: str, numbers: tuple[int, ...]) -> None:
    assert sd.numeric_version(text) == numbers


class _Stub:
    """Stands in for PyInstaller's version-resource classes (they need pefile, a Windows-only dependency)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args, self.kwargs = args, kwargs


@pytest.mark.parametrize("exe", [sd.GUI_NAME, sd.CLI_NAME])
def test_version_resource_names_the_program(exe: str) -> None:
    text = sd.version_info_text("0.1.0", exe)
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct")
    structs: list[_Stub] = []

    def string_struct(*args: object) -> _Stub:
        structs.append(_Stub(*args))
        return structs[-1]

    namespace = {name: _Stub for name in names} | {"StringStruct": string_struct}
    info = eval(compile(ast.parse(text, mode="eval"), "version_info", "eval"), namespace)  # noqa: S307
    fields = {s.args[0]: s.args[1] for s in structs}
    assert fields["ProductName"] == "报送助手" and fields["ProductVersion"] == "0.1.0"
    assert fields["OriginalFilename"] == f"{exe}.exe" and fields["FileDescription"].startswith("报送助手")
    assert info.kwargs["ffi"].kwargs["filevers"] == (0, 1, 0, 0)


def test_version_file_is_utf8_with_a_coding_line(tmp_path: Path) -> None:
    path = sd.write_version_file(tmp_path / "构建 目录", "0.1.0", sd.GUI_NAME)
    assert path.read_bytes().startswith(b"# -*- coding: utf-8 -*-") and "报送助手" in path.read_text("utf-8")


def test_data_files_are_the_campaign_and_reference_data() -> None:
    placed = {Path(src).name: dest for src, dest in sd.data_files()}
    assert placed["campaign-2015.json"] == "forms/notice/data" and placed["guangxi.json"] == "forms/checks/data"
    names = set(placed)
    assert not any(name.endswith(".py") for name in names)


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True), ("PySide6/Qt/translations/qt_en.qm", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False), ("PySide6\\translations\\qt_ja.qm", False),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True), ("forms/checks/data/guangxi.json", True)])
def test_only_chinese_and_english_qt_translations(dest: str, kept: bool) -> None:
    assert sd.keep_data(dest) is kept


def test_excluded_modules_are_not_used_by_the_program(tmp_path: Path) -> None:
    """Run the headless commands and import the window's modules; nothing excluded may be loaded on the way
    (numpy aside: openpyxl imports it inside try/except when present)."""
    script = f"""
import sys, os
before = set(sys.modules)  # what site.py loaded (e.g. setuptools' _distutils_hack): not the program's
sys.argv = ["main.py"]
sys.path.insert(0, {str(ROOT)!r})
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from main import main
from tests.installer import frames
ws = {str(tmp_path / "w.baosong")!r}
assert main(["new", ws, "--department", frames.DEPARTMENT, "--kind", "gov", "--category", frames.CATEGORY]) == 0
assert main(["import", ws, str(frames.write_system(__import__("pathlib").Path({str(tmp_path)!r}) / "s.xlsx")),
             "--form", "2"]) == 0
assert main(["export", ws, "--out", {str(tmp_path / "out")!r}]) == 0
import gui.app
print(" ".join(sorted({{name.split(".")[0] for name in set(sys.modules) - before}})))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert loaded & (set(sd.EXCLUDES) - {"numpy"}) == set()


def test_icon_holds_every_size_windows_asks_for() -> None:
    data = (INSTALLER / "baosong.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for n in range(count):
        width, _h, _c, _r, _planes, bits, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * n)
        blob = data[offset:offset + length]
        assert len(blob) == length and bits == 32
        sizes.add(width or 256)
        if width:  # a BMP entry: its header says the same size (double height for the mask)
            assert struct.unpack_from("<Iii", blob) == (40, width, 2 * width)
        else:
            assert blob.startswith(b"\x89PNG")
    assert {16, 24, 32, 48, 256} <= sizes


ISS = (INSTALLER / "baosong.iss").read_bytes()
ISS_TEXT = ISS.decode("utf-8-sig")


def test_installer_script_is_utf8_with_bom() -> None:
    assert ISS.startswith(b"\xef\xbb\xbf")  # without it Inno Setup reads the Chinese as ANSI


@pytest.mark.parametrize("directive", [
    "PrivilegesRequired=lowest", r"DefaultDirName={autopf}\Baosong", "ChangesAssociations=yes",
    r'Subkey: "Software\Classes\.baosong"', r'"""{app}\{#AppExe}"" ""%1"""', r'Name: "{autoprograms}\{#AppName}"',
    r'Name: "{userdocs}\报送助手"; Flags: uninsneveruninstall', r'Type: filesandordirs; Name: "{app}\_internal"',
    '#define AppExe "baosong.exe"', '#define CliExe "baosong-cli.exe"'])
def test_installer_script(directive: str) -> None:
    assert directive in ISS_TEXT


def test_installer_never_deletes_user_folders() -> None:
    sections = re.findall(r"^\[(\w+)\]", ISS_TEXT, re.M)
    assert "UninstallDelete" not in sections and "{userdocs}" not in ISS_TEXT.split("[Dirs]")[0].split("[Setup]")[1]
    assert "HKLM" not in ISS_TEXT and "admin" not in ISS_TEXT.split("[Setup]")[1].split("[Languages]")[0]


def test_installer_explains_its_choice() -> None:
    assert "MSIX" in ISS_TEXT and "WiX" in ISS_TEXT


def test_spec_names_the_two_executables() -> None:
    spec = (INSTALLER / "baosong.spec").read_text("utf-8")
    assert "console=False" in spec and "console=True" in spec and "COLLECT(" in spec
    assert 'pathex=[str(ROOT)]' in spec and "X utf8_mode=1" in spec
    assert sd.GUI_NAME == "baosong" and sd.CLI_NAME == "baosong-cli"


def test_workflow_builds_smoke_tests_and_packs_on_windows() -> None:
    text = (ROOT / ".github/workflows/windows.yml").read_text("utf-8")
    for needed in ("windows-latest", 'python-version: "3.11"', '.[build,test]', "python installer/build.py",
                   "choco install innosetup", "installer\\baosong.iss", "actions/upload-artifact"):
        assert needed in text


def test_build_extra_in_pyproject() -> None:
    extras = pyproject()["project"]["optional-dependencies"]  # type: ignore[index]
    assert any(req.lower().startswith("pyinstaller") for req in extras["build"])  # type: ignore[index]
