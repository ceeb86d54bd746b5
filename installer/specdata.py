"""What baosong.spec needs, as plain Python that tests can import without running PyInstaller.

The names, the version (read from pyproject.toml, never written twice), the Windows version
resource, the modules PyInstaller cannot see being imported, and the modules to leave out.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PRODUCT = "报送助手"
PRODUCT_EN = "Baosong"
GUI_NAME = "baosong"        # windowed (no console on Windows): the Start menu and .baosong files open it
CLI_NAME = "baosong-cli"    # console: the headless commands (check/new/import/export/bundle) print here
DESCRIPTION = "报送助手：社会评价报送材料的填报、检查与打包"
COPYRIGHT = "报送助手项目"

# Imported lazily or by name, so PyInstaller's import graph misses them (each is a package or a list).
HIDDEN_PACKAGES = (
    "phonenumbers.geodata",      # geocoder data, imported by name per prefix on first use
    "phonenumbers.carrierdata",  # carrier data, same
    "phonenumbers.tzdata",
    "keyring.backends",          # backends found through entry points (keyring's metadata, copied too)
)
HIDDEN_WINDOWS = ("win32ctypes.pywin32.win32cred", "win32ctypes.core")  # the Credential Locker backend's API

# Importable here but never needed by the program: openpyxl's optional numpy (160 ms at start-up),
# tools of the build and test environment. Not PIL: reportlab.lib.utils imports it unconditionally
# (the smoke test's export failed without it). pkg_resources and setuptools also import PyPI's
# `packaging`, which our own top-level `packaging/` shadows in the frozen program: keep them out.
EXCLUDES = (
    "numpy", "pandas", "tkinter", "_tkinter", "matplotlib", "scipy", "IPython", "jedi",
    "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "setuptools", "pkg_resources", "distutils",
    "_distutils_hack", "pip", "PyInstaller", "docutils", "sphinx", "jinja2", "yaml", "boto3", "botocore",
)

# The Qt modules the program uses; the PySide6 hooks collect only these and their plugins.
QT_MODULES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' → (0, 1, 0, 0); a suffix such as 'rc1' or '.dev2' is dropped (Windows wants four numbers)."""
    parts = [int(re.match(r"\d*", p).group() or 0) for p in version.split(".")[:4]]  # type: ignore[union-attr]
    a, b, c, d = (parts + [0, 0, 0, 0])[:4]
    return (a, b, c, d)


def version_info_text(version: str, exe: str = GUI_NAME) -> str:
    """The Windows version resource of `exe` in PyInstaller's text form (evaluated by PyInstaller on Windows).

    Explorer shows FileDescription as the program's name (Task Manager, "Open with"), so it is 报送助手;
    Inno Setup reads ProductVersion from baosong.exe for the installer's version.
    """
    numbers = numeric_version(version)
    description = PRODUCT if exe == GUI_NAME else f"{PRODUCT}（命令行）"
    strings = {
        "CompanyName": COPYRIGHT, "FileDescription": description, "FileVersion": version,
        "InternalName": exe, "LegalCopyright": COPYRIGHT, "OriginalFilename": f"{exe}.exe",
        "ProductName": PRODUCT, "ProductVersion": version, "Comments": DESCRIPTION,
    }
    structs = ",\n        ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# -*- coding: utf-8 -*-
VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers!r}, prodvers={numbers!r}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
        {structs}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def write_version_file(folder: Path, version: str, exe: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version_info-{exe}.txt"
    path.write_text(version_info_text(version, exe), encoding="utf-8")
    return path


def data_files() -> list[tuple[str, str]]:
    """forms/<room>/data/*.json (campaign and Guangxi reference data), read with importlib.resources."""
    return [(str(p), p.parent.relative_to(ROOT).as_posix()) for p in sorted((ROOT / "forms").glob("*/data/*.json"))]


def keep_data(dest: str) -> bool:
    """False for Qt's translations other than Chinese (zh_CN) and English: 7 MB no clerk sees."""
    path = PurePosixPath(dest.replace("\\", "/"))
    if path.suffix != ".qm" or "translations" not in path.parts:
        return True
    return path.stem.endswith(("_zh_CN", "_en"))
