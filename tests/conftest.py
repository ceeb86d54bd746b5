"""Test-wide setup: Qt runs offscreen, so GUI tests work without a screen; the office's received archives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from tests.intake_archives import Batch
    from tests.keyrings import MemoryKeyring


@pytest.fixture(scope="session")
def intake_batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """The office's received archives (tests/intake_archives.py), made once for every intake test."""
    from tests.intake_archives import make_batch

    return make_batch(tmp_path_factory.mktemp("intake"))


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    """A working credential store in this process, whatever backend an earlier test left behind."""
    import keyring

    from tests.keyrings import MemoryKeyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
