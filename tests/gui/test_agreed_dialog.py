"""记录协商调整 from the problem list: the coverage error becomes a warning naming the agreement, and back."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forms.store.workspace import Workspace
from forms.tasks import steps
from gui.agreed_dialog import AgreedDialog
from tests.forms.test_agreed import TODAY, county_rows
from tests.gui.test_frame_helpers import OFFSCREEN_SIZE_HINTS, editor_for

pytestmark = OFFSCREEN_SIZE_HINTS


def type_chinese(widget: object, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]


def test_recording_from_the_problem_turns_the_error_into_a_warning(qtbot: QtBot, workspace: Workspace,
                                                                   shots_dir: object) -> None:
    system = workspace.system_frame().id
    workspace.import_rows(system, county_rows())
    editor = editor_for(qtbot, workspace, system)
    panel = editor.problems
    assert panel.model.data(panel.model.index(0, 0)).startswith("【错误】整个抽样框：尚未覆盖以下市县")
    panel.view.selectRow(0)
    assert panel.agree_button.isVisible()
    shots: list[object] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AgreedDialog)
        dialog.with_whom.setFocus()
        type_chinese(dialog.with_whom, "考评办二处 张科长")
        dialog.on.setDate(dialog.on.date().fromString("2015-11-10", "yyyy-MM-dd"))
        type_chinese(dialog.note, "两县无下属单位")
        shots.append(dialog.grab().save(f"{shots_dir}/agreed_dialog.png"))
        dialog.accept()

    QTimer.singleShot(0, fill)
    assert panel.record_agreed()

    assert shots == [True]
    text = panel.model.data(panel.model.index(0, 0))
    assert text.startswith("【提醒】整个抽样框：已与考评办协商调整（考评办二处 张科长，2015年11月10日同意；两县无下属单位）："
                           "尚未覆盖以下市县：百色市（西林县、隆林各族自治县）")
    assert not panel.agree_button.isVisible()
    panel.view.selectRow(0)
    assert panel.agree_button.isVisible() and panel.agree_button.text() == "修改协商调整…"
    assert steps.frame_status(workspace, system).label == "有1处提醒"
    editor.grab().save(f"{shots_dir}/agreed_problem_list.png")


def test_what_is_missing_is_said_in_the_dialog_which_stays_open(qtbot: QtBot, workspace: Workspace) -> None:
    system = workspace.system_frame().id
    workspace.import_rows(system, county_rows())
    dialog = AgreedDialog(workspace, system, "coverage", today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.isVisible() and dialog.refusal.text() == "请填写与考评办哪位同志协商（如“考评办二处 张科长”）。"
    assert workspace.agreed() == []
