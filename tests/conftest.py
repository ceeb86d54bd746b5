"""Test-wide setup: Qt runs offscreen, so GUI tests work without a screen; the office's received archives."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from tests.intake_archives import Batch


@pytest.fixture(scope="session")
def intake_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """The office's received archives (tests/intake_archives.py), made once for every intake test."""
    from tests.intake_archives import make_batch

    return make_batch(tmp_path_factory.mktemp("intake"))
