"""The 打包加密发送 step: refused with the frames while errors remain; otherwise the archive built through the
worker, its password shown once and opened by the real 7-Zip, copied to a clipboard that forgets it, told,
shown again from the credential store; and the path where no credential store works."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from forms.notice import questionnaire
from forms.store.workspace import Profile, Workspace
from forms.tasks import steps
from gui import bundle_page, preview, worker
from gui.bundle_page import FOLDER_KEY, BundlePage
from packaging import bundle, credentials
from tests.e2e.test_cli_bundle import clean_rows
from tests.keyrings import MemoryKeyring

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TODAY = dt.date(2015, 11, 10)
DEPARTMENT = "自治区测试厅"



@pytest.fixture
def no_store() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture(autouse=True)
def nothing_opened(said: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """What the page would open (a folder, a mail draft) goes to said["opened"]; nothing really opens."""
    monkeypatch.setattr(preview, "open_url", lambda url: said["opened"].append(url.toLocalFile()) or True)


@pytest.fixture
def ready(tmp_path: Path) -> Iterator[Workspace]:
    """A department whose frames have no finding at all, bundling into tmp_path/out."""
    ws = Workspace.create(tmp_path / "测试厅.baosong", Profile(DEPARTMENT, "gov", "专项事务管理", local_units=False,
                                                            liaison="黄小明"))
    ws.import_rows(ws.system_frame().id, clean_rows(20, 0))
    hot = ws.add_hot_item("公路建设")
    ws.import_rows(hot.id, clean_rows(300, 100, surname="试"))
    questionnaire.save(ws, hot.id, questionnaire.starter(hot.item))
    ws.set_text(FOLDER_KEY, str(tmp_path / "out"))
    yield ws
    ws.close()


def page_of(qtbot: QtBot, ws: Workspace) -> BundlePage:
    page = BundlePage(ws, lambda: TODAY)
    page.clear_after_ms = 300  # the real minute, shortened
    qtbot.addWidget(page)
    page.show()
    return page


def ime_type(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def sevenzip() -> str:
    found = shutil.which("7z")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("7-Zip is required on CI: apt-get install p7zip-full")
        pytest.skip("no 7z here (apt-get install p7zip-full): the archive cannot be opened by 7-Zip")
    return found


def build_through_the_button(qtbot: QtBot, page: BundlePage) -> None:
    """Click 生成压缩包 from the event loop, as the clerk does, and wait for the password dialog."""
    QTimer.singleShot(0, page.build_button.click)
    qtbot.waitUntil(lambda: page.password_dialog is not None and page.password_dialog.isVisible(), timeout=60_000)


def test_refused_with_the_frames_while_errors_remain(qtbot: QtBot, workspace: Workspace,
                                                     said: dict[str, list[str]], store: MemoryKeyring) -> None:
    workspace.import_rows(workspace.system_frame().id, [{"name": "张三", "mobile": "123"}])
    page = page_of(qtbot, workspace)
    assert page.state_label.text() == "状态：未发送"
    lines = [page.problem_list.item(n).text() for n in range(page.problem_list.count())]
    assert lines == bundle.frame_errors(workspace) and any(line.startswith("附件2：还有") for line in lines)
    assert page.build() is None
    assert "以下材料还有问题，改正后才能打包" in said["warning"][0] and "附件2：还有" in said["warning"][0]
    assert not (Path(workspace.path).parent / "报送材料").exists() and page.password_dialog is None
    with qtbot.waitSignal(page.open_step) as jumped:
        page.problem_list.itemClicked.emit(page.problem_list.item(1))
    assert jumped.args == [f"frame:{workspace.system_frame().id}"]


def test_build_show_copy_tell_and_show_again(qtbot: QtBot, ready: Workspace, said: dict[str, list[str]],
                                             store: MemoryKeyring, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
                                             ) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[tuple[bool, bool]] = []
    real = bundle.build_bundle

    def spy(*args: object, **kwargs: object) -> bundle.BundleOutcome:
        seen.append((worker.busy(), threading.current_thread() is threading.main_thread()))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bundle, "build_bundle", spy)
    page = page_of(qtbot, ready)
    assert page.problem_list.isHidden() and page.handover.isHidden()
    build_through_the_button(qtbot, page)
    assert seen == [(True, False)]  # off the GUI thread, while the window knows the workspace is taken
    dialog = page.password_dialog
    assert dialog is not None
    secret = dialog.password()
    assert len(secret) == 24 and secret.count("-") == 4
    assert "密码已保存在本机" in dialog.note_label.text()
    archive = tmp_path / "out" / "自治区测试厅_2015年度社会评价抽样框_20151110.zip"
    assert archive.exists() and (tmp_path / "out" / "自治区测试厅_公路建设工作评议问卷.docx").exists()
    assert page.state_label.text() == "状态：已生成"
    assert steps.status_of(ready, "bundle", TODAY).label == "已生成"
    assert said["warning"] == [] and said["question"] == []

    unpacked = tmp_path / "unpacked"
    done = subprocess.run([sevenzip(), "x", f"-p{secret}", f"-o{unpacked}", str(archive)], capture_output=True)
    assert done.returncode == 0, done.stdout.decode(errors="replace")
    record = bundle.latest_record(ready)
    assert record is not None and len(record.members) == 2  # 附件2 and the work item's 附件3
    for member in record.members:
        data = (unpacked / member.arcname).read_bytes()
        assert member.arcname.startswith(("附件2_", "附件3_")) and hashlib.sha256(data).hexdigest() == member.sha256

    clipboard = QGuiApplication.clipboard()
    dialog.copy_button.click()
    assert clipboard.text() == secret and "秒后自动清除" in dialog.copied_label.text()
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5000)
    dialog.copy_button.click()
    clipboard.setText("别的内容")  # the clerk copied something else meanwhile: it stays
    qtbot.wait(600)
    assert clipboard.text() == "别的内容"
    dialog.accept()
    assert dialog.password() == ""  # closed: the dialog forgot it

    ime_type(page.handover.told_to, "考评办张科长")
    page.handover.told_how.setCurrentText("电话")
    page.handover.told_button.click()
    assert page.state_label.text() == "状态：已告知密码" and "以电话方式告知考评办张科长" in page.record_label.text()
    assert steps.status_of(ready, "bundle", TODAY).label == "已告知密码"

    again = page.handover.show_again()
    assert again is not None and again.password() == secret
    again.accept()
    assert secret not in caplog.text
    assert all(secret not in ready.text(key) for key in ("handover", FOLDER_KEY))


def test_mail_draft_and_slip(qtbot: QtBot, ready: Workspace, said: dict[str, list[str]], store: MemoryKeyring,
                             tmp_path: Path) -> None:
    page = page_of(qtbot, ready)
    outcome = page.build()
    assert outcome is not None and page.password_dialog is not None
    page.password_dialog.accept()
    draft = page.handover.mail_draft()
    assert draft == tmp_path / "out" / "自治区测试厅_2015年度社会评价抽样框_20151110_邮件草稿.eml"
    assert said["opened"] == [str(draft)] and "收件人为空" in said["information"][0]
    text = draft.read_bytes()
    assert b"X-Unsent: 1" in text and outcome.password.encode() not in text
    slip = page.handover.print_slip()
    assert slip is not None and "密码告知单" in slip.document.text()
    assert outcome.password not in slip.document.text()
    slip.close()
    page.handover.slip_password_box.setChecked(True)
    slip = page.handover.print_slip()
    assert slip is not None and f"解压密码：{outcome.password}" in slip.document.text()
    slip.close()
    page.handover.open_folder()
    assert said["opened"][-1] == str(tmp_path / "out")


def test_typed_password_is_checked_as_typed(qtbot: QtBot, ready: Workspace, said: dict[str, list[str]],
                                            store: MemoryKeyring) -> None:
    page = page_of(qtbot, ready)
    assert not page.typed_edit.isEnabled()
    page.typed_radio.setChecked(True)
    qtbot.keyClicks(page.typed_edit, "abc123")
    assert page.typed_reasons.isVisible() and page.typed_reasons.text()
    assert page.build() is None and "这个密码不能用" in said["warning"][0]
    page.typed_edit.setText("Kx7#mQ2!vR9@tL4$")
    assert page.typed_reasons.isHidden()
    outcome = page.build()
    assert outcome is not None and outcome.password == "Kx7#mQ2!vR9@tL4$"
    assert page.password_dialog is not None and page.password_dialog.password() == "Kx7#mQ2!vR9@tL4$"
    assert page.typed_edit.text() == ""


def test_without_a_credential_store_the_password_is_shown_once(qtbot: QtBot, ready: Workspace,
                                                               said: dict[str, list[str]], no_store: None) -> None:
    problem = credentials.check_store()
    assert problem is not None
    page = page_of(qtbot, ready)
    outcome = page.build()
    assert problem.message in said["question"][0] and "只在屏幕上显示这一次" in said["question"][0]
    assert outcome is not None and not outcome.stored.stored
    dialog = page.password_dialog
    assert dialog is not None and dialog.password() == outcome.password
    assert "程序不会把密码写进任何文件" in dialog.note_label.text()
    record = bundle.latest_record(ready)
    assert record is not None and not record.password_kept
    assert not page.handover.again_button.isEnabled()
    assert outcome.password not in ready.text("handover")


def test_declining_without_a_store_builds_nothing(qtbot: QtBot, ready: Workspace, said: dict[str, list[str]],
                                                  no_store: None, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    page = page_of(qtbot, ready)
    assert page.build() is None
    assert not (tmp_path / "out").exists() and bundle_page.handover.bundle_status(page.record()) == "未发送"


def test_warnings_without_a_reason_need_the_confirmation(qtbot: QtBot, ready: Workspace,
                                                         said: dict[str, list[str]], store: MemoryKeyring) -> None:
    frame = ready.system_frame().id
    rows = clean_rows(21, 0)
    ready.import_rows(frame, [{**rows[20], "name": rows[0]["name"]}])  # same name elsewhere: a possible duplicate
    page = page_of(qtbot, ready)
    assert page.problem_list.item(0).text() == "附件2：有1处提醒未填写说明" and page.confirm_box.isVisible()
    assert page.confirm_box.text() == "我已核对这些提醒，确认照此报送(&R)"
    assert page.build() is None and "尚未说明理由" in said["warning"][0]
    page.confirm_box.setChecked(True)
    assert page.build() is not None and bundle.latest_record(ready) is not None


def test_cancelled_while_writing_leaves_nothing(qtbot: QtBot, ready: Workspace, said: dict[str, list[str]],
                                               store: MemoryKeyring, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def pressed_cancel(progress: worker.Progress, done: int, total: int = 0) -> bool:
        progress.cancel()  # as 取消 in the progress dialog does
        return False

    monkeypatch.setattr(worker.Progress, "__call__", pressed_cancel)
    page = page_of(qtbot, ready)
    assert page.build() is None
    assert "已取消，没有生成压缩包" in said["information"][0] and page.password_dialog is None
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["自治区测试厅_公路建设工作评议问卷.docx"]
    assert bundle.latest_record(ready) is None and store.secrets == {}
