"""Fixtures shared by the hostile-input tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.test_state_workspace_damage import good_workspace


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sound workspace with rows, a report and a record, to be copied and damaged."""
    return good_workspace(tmp_path_factory.mktemp("good"))
