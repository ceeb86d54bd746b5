"""Nothing stale on screen: the sidebar and the pack page say 需重新生成 after an edit, 导出本表 says what it
replaced, and an earlier year's workspace shows its deadlines as dates, not thousands of days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from gui.main_window import MainWindow
from gui.settings import AppSettings
from packaging import bundle
from tests.e2e.test_cli_bundle import ready_workspace
from tests.forms.test_outputs import people
from tests.gui.test_frame_helpers import GOOD, OFFSCREEN_SIZE_HINTS, editor_for
from tests.keyrings import MemoryKeyring

pytestmark = OFFSCREEN_SIZE_HINTS
TODAY = dt.date(2015, 11, 10)


@pytest.fixture
def built(tmp_path: Path, memory_keyring: MemoryKeyring) -> Path:
    path = ready_workspace(tmp_path)
    with Workspace.open(path) as ws:
        bundle.build_bundle(ws, tmp_path / "报送材料", today=TODAY)
    return path


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    import keyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def open_window(qtbot: QtBot, tmp_path: Path, path: Path, today: dt.date) -> MainWindow:
    win = MainWindow(AppSettings(tmp_path / "settings.ini"), today=today, save_dir=tmp_path)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.workspace_opened, timeout=20000):
        win.open_path(str(path))
    return win


def test_an_edit_after_the_build_turns_the_sidebar_and_the_pack_page_to_rebuild(
        qtbot: QtBot, tmp_path: Path, built: Path, shots_dir: Path) -> None:
    win = open_window(qtbot, tmp_path, built, TODAY)
    assert win.view is not None and win.ws is not None
    assert win.view.guide.status_text("bundle") == "已生成"
    hot = win.ws.hot_frames()[0]
    win.ws.set_cell(hot.id, win.ws.row_ids(hot.id)[0], "title", "副科长")
    win.view.refresh()

    assert win.view.guide.status_text("bundle") == "需重新生成：附件3（公路建设）已修改"
    win.view.select("bundle")
    page = win.view.current_page()
    assert page is not None and page.state_label.text() == "状态：需重新生成"  # type: ignore[attr-defined]
    assert "压缩包生成后，抽样框有改动：附件3（公路建设）已修改。" in page.record_label.text()  # type: ignore[attr-defined]
    win.grab().save(str(shots_dir / "stale_bundle_page.png"))
    said: list[str] = []
    from gui import style
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(style, "warn", lambda _p, _t, text: said.append(text))
        assert page.handover.mail_draft() is None  # type: ignore[attr-defined]
    assert said == ["压缩包生成后，抽样框有改动：附件3（公路建设）已修改。请先重新生成压缩包，再生成邮件草稿。"]
    win.close()


def test_an_earlier_years_workspace_reads_its_deadlines_as_dates(qtbot: QtBot, tmp_path: Path, built: Path,
                                                                 shots_dir: Path) -> None:
    win = open_window(qtbot, tmp_path, built, dt.date(2026, 12, 4))
    assert win.view is not None
    guide = win.view.guide
    heads = [guide.tree.topLevelItem(n).text(0) for n in range(guide.tree.topLevelItemCount())]
    assert heads == ["11月13日前（2015年11月13日，已截止）", "12月10日前（2015年12月10日，已截止）",
                     "12月20日前（2015年12月20日，已截止）"]
    assert guide.deadline.text() == "2015年度各项截止日期均已过（最后一项为2015年12月20日）"
    win.grab().save(str(shots_dir / "past_campaign_sidebar.png"))
    win.close()


def test_export_of_a_fixed_frame_replaces_its_unfinished_file_and_says_so(
        qtbot: QtBot, workspace: Workspace, tmp_path: Path, said: dict[str, list[str]]) -> None:
    editor = editor_for(qtbot, workspace)
    out = tmp_path / "导出"
    workspace.insert_rows(editor.frame_id, 0, [GOOD])
    editor.export_to(out)
    before = sorted(p.name for p in out.iterdir())
    assert before == ["附件3_自治区交通运输厅_公路建设工作评价抽样框_未完成.xlsx"]
    workspace.insert_rows(editor.frame_id, 1, people(499))
    assert workspace.engine.counts(editor.frame_id)[0] == 0

    editor.export_to(out)

    after = sorted(p.name for p in out.iterdir())
    assert after == ["附件3_自治区交通运输厅_公路建设工作评价抽样框.xlsx"]
    assert said["information"][-1].endswith(f"\n已删除上次导出的旧文件：{before[0]}")


def test_the_pack_page_shows_the_agreed_exception_with_the_record(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, shots_dir: Path) -> None:
    from forms.notice import questionnaire
    from forms.store.workspace import Profile
    from gui.bundle_page import BundlePage
    from tests.e2e.test_cli_bundle import clean_rows
    from tests.forms.test_agreed import county_rows, record

    ws = Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    ws.import_rows(ws.system_frame().id, county_rows())
    hot = ws.add_hot_item("公路建设")
    ws.import_rows(hot.id, clean_rows(300, 100, surname="试"))
    questionnaire.save(ws, hot.id, questionnaire.starter(hot.item))
    record(ws, ws.system_frame().id, "coverage", "两县无直属单位")
    bundle.build_bundle(ws, tmp_path / "out", today=TODAY)
    page = BundlePage(ws, lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    assert page.state_label.text() == "状态：已生成"
    assert ("协商调整：附件2：未覆盖西林县、隆林各族自治县，已与考评办协商调整（考评办二处 张科长，2015年11月10日同意；"
            "两县无直属单位）") in page.record_label.text()
    assert page.ready_label.text() == "全部抽样框都没有错误，可以打包。"
    page.grab().save(str(shots_dir / "agreed_pack_page.png"))
    slip = page.handover.preview_slip(None)
    assert slip is not None and "与考评办协商调整的事项：" in slip.document.toPlainText()
    slip.preview_widget().updatePreview()
    slip.grab().save(str(shots_dir / "agreed_slip.png"))
    slip.close()
    ws.close()


def test_a_rebuild_in_the_window_asks_first_then_retires_the_old_archive_and_says_so(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, said: dict[str, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from gui import preview
    from gui.bundle_page import FOLDER_KEY, BundlePage

    monkeypatch.setattr(preview, "open_url", lambda url: True)
    ws = Workspace.open(ready_workspace(tmp_path))
    ws.set_text(FOLDER_KEY, str(tmp_path / "out"))
    old = bundle.build_bundle(ws, tmp_path / "out", today=TODAY)
    day = [TODAY + dt.timedelta(days=1)]
    page = BundlePage(ws, lambda: day[0])
    qtbot.addWidget(page)
    page.show()
    draft = page.handover.mail_draft()
    assert draft is not None and draft.exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    assert page.build() is None and old.archive.path.exists()  # asked, and the clerk said no

    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a, **_k: (
        said["question"].append(text), QMessageBox.StandardButton.Yes)[1])
    outcome = page.build()

    assert outcome is not None and page.password_dialog is not None
    assert said["question"][0].startswith(f"之前生成的“{old.archive.path.name}”将被新压缩包取代")
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix in (".zip", ".eml")) == [
        outcome.archive.path.name]
    assert f"已删除旧的邮件草稿：{draft.name}" in page.result_label.text()
    assert f"已删除旧压缩包：{old.archive.path.name}（密码与新压缩包不同）" in page.result_label.text()
    page.password_dialog.close()
    ws.close()


def test_the_bundle_replaces_an_unfinished_questionnaire_written_earlier_beside_it(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, said: dict[str, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from forms.notice import questionnaire
    from gui import preview
    from gui.bundle_page import BundlePage

    monkeypatch.setattr(preview, "open_url", lambda url: True)
    ws = Workspace.open(ready_workspace(tmp_path))
    hot = ws.hot_frames()[0]
    questionnaire.save(ws, hot.id, questionnaire.starter(hot.item)[:4])
    early = preview.open_in_word(None, ws, f"questionnaire:{hot.id}")  # 用Word/WPS打开, while it is short
    assert early is not None and early.name.endswith("_未完成.docx")
    questionnaire.save(ws, hot.id, questionnaire.starter(hot.item))
    page = BundlePage(ws, lambda: TODAY)
    qtbot.addWidget(page)
    page.show()

    outcome = page.build()

    assert outcome is not None and page.password_dialog is not None
    beside = sorted(p.name for p in early.parent.iterdir())
    assert beside == sorted([outcome.archive.path.name, early.name.replace("_未完成", "")])
    assert f"已删除上次导出的旧文件：{early.name}" in page.result_label.text()
    page.password_dialog.close()
    ws.close()
