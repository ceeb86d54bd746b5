"""The installer tests: `slow` marks the one that freezes the whole program (deselect with -m "not slow")."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

INSTALLER = Path(__file__).resolve().parents[2] / "installer"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds the frozen program with PyInstaller (minutes)")


def load_installer_module(name: str) -> ModuleType:
    """A module of installer/ (not a package: it is run as scripts)."""
    key = f"installer_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module
