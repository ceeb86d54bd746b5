"""A credential store that is there but refuses (locked, prompt dismissed): the password is kept or shown,
never neither. The CLI without --show-password builds nothing; with it, shows the password once; the
window shows it once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from packaging import bundle
from tests.e2e.test_cli_bundle import ready_workspace
from tests.gui.conftest import no_unexpected_message_box, said  # noqa: F401 - fixtures used here
from tests.keyrings import RefusingKeyring

ROOT = Path(__file__).resolve().parents[2]
REFUSING = "tests.keyrings.RefusingKeyring"


def bundle_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": REFUSING}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "bundle", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def refusing() -> Iterator[RefusingKeyring]:
    before = keyring.get_keyring()
    backend = RefusingKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def test_cli_builds_nothing_when_the_store_refuses(tmp_path: Path) -> None:
    ws = ready_workspace(tmp_path)
    out = tmp_path / "out"
    result = bundle_cli(str(ws), "--out", str(out), "--json")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert "密码保管库拒绝了请求" in result.stderr and "--show-password" in result.stderr
    assert "没有留下打不开的文件" in result.stderr
    assert [p.name for p in out.iterdir()] == [] if out.exists() else True
    with Workspace.open(ws) as opened:
        assert bundle.latest_record(opened) is None


def test_cli_shows_the_password_once_when_asked(tmp_path: Path) -> None:
    ws = ready_workspace(tmp_path)
    result = bundle_cli(str(ws), "--out", str(tmp_path / "out"), "--json", "--show-password")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["password_kept"] is False and data["password"]
    assert Path(data["archive"]).exists() and "密码保管库拒绝了请求" in result.stderr


def test_window_shows_the_password_once_when_the_store_refuses(qtbot: QtBot, tmp_path: Path,
                                                                said: dict[str, list[str]],  # noqa: F811
                                                                refusing: RefusingKeyring) -> None:
    from gui.bundle_page import FOLDER_KEY, BundlePage
    from tests.gui.test_bundle_page import TODAY, build_through_the_button

    with Workspace.open(ready_workspace(tmp_path)) as ws:
        ws.set_text(FOLDER_KEY, str(tmp_path / "out"))
        page = BundlePage(ws, lambda: TODAY)
        qtbot.addWidget(page)
        page.show()
        build_through_the_button(qtbot, page)
        dialog = page.password_dialog
        assert dialog is not None and len(dialog.password()) >= 16
        assert "密码保管库拒绝了请求" in dialog.note_label.text()
        assert "关闭本窗口后程序将无法再次显示它" in dialog.note_label.text()
        record = bundle.latest_record(ws)
        assert record is not None and not record.password_kept
        assert (tmp_path / "out" / record.archive_name).exists()
        grab = page.grab()
        grab.save(str(tmp_path / "refused.png"))
        dialog.grab().save("/tmp/i13-refused-dialog.png")
        dialog.accept()
