"""The window opening a workspace whose values are of the wrong type: one message box naming the file as
damaged, and the program keeps running on its start screen (before: opened, then a traceback at export)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.test_app_window import messages, new_workspace, window  # noqa: F401 (fixture)
from tests.hostile.test_state_workspace_damage import sql


@pytest.mark.parametrize("damage", ["UPDATE texts SET value = x'ff00' WHERE key = 'campaign'",
                                    "INSERT INTO texts(key, value) VALUES ('report:performance', x'ff00ff')",
                                    "UPDATE profile SET value = x'00' WHERE key = 'department'"])
def test_a_wrong_value_is_a_message_box_and_the_window_lives(qtbot: QtBot, tmp_path: Path, damage: str,
                                                             messages: list[tuple[str, str]]) -> None:  # noqa: F811
    path = new_workspace(tmp_path / "水利厅.baosong")
    sql(damage)(path)
    win = window(qtbot, tmp_path)
    with qtbot.waitSignal(win.open_failed, timeout=10000):
        win.open_path(str(path))
    assert len(messages) == 1 and messages[0][0] == "无法打开工作区", messages
    assert "水利厅.baosong" in messages[0][1] and "损坏" in messages[0][1]
    assert win.stack.currentWidget() is win.start and win.ws is None
