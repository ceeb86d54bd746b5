"""The window's imports of hostile files (run by test_window_import.py in a child pytest: an abort there is a
failed test, not a killed run). Each ends in a message the clerk reads: the preview's notes or a message box."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from gui.analysis import AnalysisPage
from tests.gui.conftest import no_unexpected_message_box, said, workspace  # noqa: F401 (fixtures)
from tests.gui.test_frame_helpers import OFFSCREEN_SIZE_HINTS, editor_for
from tests.hostile.files import frame, with_cell

pytestmark = OFFSCREEN_SIZE_HINTS
SHOTS = os.environ.get("HOSTILE_SHOTS", "")


def test_a_stray_far_cell_opens_the_preview_with_a_note(qtbot: QtBot, workspace: Workspace,  # noqa: F811
                                                        tmp_path: Path) -> None:
    editor = editor_for(qtbot, workspace)
    editor.open_import(str(with_cell(frame(tmp_path / "附件3.xlsx", rows=3), "XFD1048576")))
    qtbot.waitUntil(lambda: editor.import_dialog is not None and editor.import_dialog.isVisible())
    dialog = editor.import_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: "正在检查" not in dialog.summary.text())
    assert "XFD1048576" in dialog.findings.text() and dialog.findings.isVisible()
    assert "3 行" in dialog.summary.text()
    if SHOTS:
        dialog.grab().save(os.path.join(SHOTS, "stray-cell-preview.png"))
    dialog.reject()


def test_a_bomb_is_a_message_box_and_nothing_changes(qtbot: QtBot, workspace: Workspace,  # noqa: F811
                                                     tmp_path: Path, said: dict[str, list[str]]) -> None:  # noqa: F811
    path = frame(tmp_path / "炸弹.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as out, out.open("xl/extra.xml", "w") as stream:
        for _ in range(64):
            stream.write(b" " * (1 << 20))
    editor = editor_for(qtbot, workspace)
    editor.open_import(str(path))
    qtbot.waitUntil(lambda: bool(said["warning"]))
    assert editor.import_dialog is None
    assert "炸弹.xlsx" in said["warning"][0] and "解压后" in said["warning"][0]
    assert workspace.row_ids(editor.frame_id) == []


def test_a_symlink_loop_is_a_message_box(qtbot: QtBot, workspace: Workspace,  # noqa: F811
                                         tmp_path: Path, said: dict[str, list[str]]) -> None:  # noqa: F811
    os.symlink("环.xlsx", tmp_path / "环.xlsx")
    editor = editor_for(qtbot, workspace)
    editor.open_import(str(tmp_path / "环.xlsx"))
    qtbot.waitUntil(lambda: bool(said["warning"]))
    assert "循环" in said["warning"][0] and "损坏" not in said["warning"][0]


def test_a_damaged_docx_in_the_analysis_page_is_one_clear_message(qtbot: QtBot, workspace: Workspace,  # noqa: F811
                                                                  tmp_path: Path,
                                                                  said: dict[str, list[str]]) -> None:  # noqa: F811
    path = tmp_path / "绩效分析.docx"
    document = docx.Document()
    document.add_paragraph("一、重点工作任务完成情况")
    document.save(str(path))
    path.write_bytes(path.read_bytes()[:3000])
    page = AnalysisPage(workspace)
    qtbot.addWidget(page)
    page.show()
    assert page.import_file(path) is False
    assert len(said["warning"]) == 1 and "绩效分析.docx" in said["warning"][0] and "损坏" in said["warning"][0]
    assert said["warning"][0].count("无法读取") == 1
