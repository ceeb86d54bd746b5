"""Habits that stick: column widths per form, the dialogs' last folder, a toolbar that does not jump, the
mobile shown as exported, room for the problem list, previews that fit the screen, the wizard's layout and
a wizard that creates no folder it was not asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QHeaderView, QWizard
from pytestqt.qtbot import QtBot

from forms.notice.campaign import load
from forms.store.workspace import Workspace
from gui import habits
from gui.preview import fitted_size
from gui.settings import AppSettings
from gui.wizard import NewDepartmentWizard
from tests.gui.test_frame_helpers import GOOD, OFFSCREEN_SIZE_HINTS, col, editor_for, type_ascii
from tests.gui.test_wizard import click, ime_type

pytestmark = OFFSCREEN_SIZE_HINTS


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[AppSettings]:
    remembered = AppSettings(tmp_path / "settings.ini")
    habits.use(remembered)
    yield remembered
    habits.use(None)


def test_column_widths_are_remembered_per_form_and_the_unit_column_stretches(
        qtbot: QtBot, workspace: Workspace, settings: AppSettings, tmp_path: Path) -> None:
    editor = editor_for(qtbot, workspace)
    header = editor.table.horizontalHeader()
    unit, title = col(editor, "unit"), col(editor, "title")
    assert header.sectionResizeMode(unit) == QHeaderView.ResizeMode.Stretch
    assert not header.stretchLastSection() and header.sectionSize(unit) > 300  # room for 南宁市交通运输局办公室
    header.resizeSection(title, 173)
    settings.sync()
    again = editor_for(qtbot, workspace, workspace.add_hot_item("桥梁建设").id)
    assert again.table.horizontalHeader().sectionSize(title) == 173
    stored = (tmp_path / "settings.ini").read_text("utf-8")
    assert "columns" in stored and "173" in stored and "张三" not in stored  # numbers, nothing personal


def test_file_dialogs_open_in_the_last_folder(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, workspace: Workspace,
                                              settings: AppSettings, tmp_path: Path) -> None:
    started: list[str] = []
    chosen = tmp_path / "下载" / "名单.xlsx"
    chosen.parent.mkdir()

    def dialog(_parent: object, _title: str, folder: str, _filters: str) -> tuple[str, str]:
        started.append(folder)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a: (started.append(a[2]), (str(chosen), ""))[1] if not started else dialog(*a))
    assert habits.open_file(None, "t", "*") == str(chosen)
    editor = editor_for(qtbot, workspace)
    editor.choose_import()  # cancelled: nothing imported
    assert started == [str(Path.home()), str(chosen.parent)]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: started.append(a[2]) or "")
    editor.export()
    assert started[-1] == str(chosen.parent)


def test_undo_keeps_its_label_and_names_the_step_in_its_tooltip(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    assert editor.undo_action.text() == "撤销" and not editor.undo_action.isEnabled()
    type_ascii(qtbot, editor, 0, "mobile", "13877112345")
    assert editor.undo_action.text() == "撤销" and editor.undo_action.isEnabled()
    assert editor.undo_action.toolTip() == "撤销：输入新行"
    QTest.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.redo_action.text() == "重做" and editor.redo_action.toolTip() == "重做：输入新行"


def test_a_mobile_shows_as_exported_without_a_space(qtbot: QtBot, workspace: Workspace) -> None:
    frame = workspace.add_hot_item("公路建设")
    workspace.import_rows(frame.id, [{**GOOD, "mobile": "13907720577"}])
    editor = editor_for(qtbot, workspace, frame.id)
    assert editor.model.data(editor.model.index(0, col(editor, "mobile"))) == "013907720577"


def test_the_problem_list_has_room_for_ten_lines(qtbot: QtBot, workspace: Workspace) -> None:
    editor = editor_for(qtbot, workspace)
    view = editor.problems.view
    assert view.viewport().height() // view.verticalHeader().defaultSectionSize() >= 8


@pytest.mark.parametrize(("available", "size"), [
    (QSize(1920, 1080), (900, 1000)), (QSize(1280, 960), (900, 900)), (QSize(800, 560), (760, 500)), (None, (900, 1000)),
])
def test_previews_fit_the_screen(available: QSize | None, size: tuple[int, int]) -> None:
    assert fitted_size(available) == size


def test_the_category_sits_under_its_option(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = NewDepartmentWizard(load("2015"), tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    ime_type(wizard.department_page.department, "自治区交通运输厅")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    kind = wizard.kind_page
    kind.radios["gov"].click()
    qtbot.waitUntil(lambda: kind.category_row.isVisible())
    wizard.grab().save(str(tmp_path / "wizard.png"))
    others = [r for key, r in kind.radios.items() if key != "gov"]
    assert kind.radios["gov"].y() < kind.category_row.y() < min(r.y() for r in others)


def test_the_wizard_creates_no_default_folder_when_another_was_chosen(qtbot: QtBot, tmp_path: Path) -> None:
    default, chosen = tmp_path / "Documents" / "报送助手", tmp_path / "我的文件夹"
    chosen.mkdir()
    wizard = NewDepartmentWizard(load("2015"), default)
    qtbot.addWidget(wizard)
    wizard.show()
    ime_type(wizard.department_page.department, "自治区妇女联合会")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wizard.kind_page.radios["party"].click()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.location_page.path.text() == str(default / "自治区妇女联合会.baosong")
    wizard.location_page.path.setText(str(chosen / "妇联.baosong"))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.workspace is not None
    wizard.workspace.close()
    assert (chosen / "妇联.baosong").exists() and not default.exists() and not default.parent.exists()


def test_the_default_folder_is_made_when_it_is_used(qtbot: QtBot, tmp_path: Path) -> None:
    default = tmp_path / "Documents" / "报送助手"
    wizard = NewDepartmentWizard(load("2015"), default)
    qtbot.addWidget(wizard)
    wizard.show()
    ime_type(wizard.department_page.department, "自治区妇女联合会")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wizard.kind_page.radios["party"].click()
    for _ in range(2):
        click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.workspace is not None
    wizard.workspace.close()
    assert (default / "自治区妇女联合会.baosong").exists()
