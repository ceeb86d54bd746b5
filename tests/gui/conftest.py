"""GUI test fixtures: a fresh workspace per test, a folder for screenshots under the run's temp path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from forms.workspace import Profile, Workspace  # noqa: E402


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "交通厅.baosong",
                          Profile("自治区交通运输厅", "gov", "经济管理类", liaison="黄小明"))
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots of the main screens land here (printed at the end of the run)."""
    return tmp_path_factory.mktemp("screens")
