"""The new-department wizard, driven as a clerk would: typing (through an input method), choosing, 下一步, 完成."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from forms.notice.campaign import load
from forms.store.workspace import Workspace
from gui.wizard import NewDepartmentWizard, default_file_name


def ime_type(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def click(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def start(qtbot: QtBot, tmp_path: Path) -> NewDepartmentWizard:
    wizard = NewDepartmentWizard(load("2015"), tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_creating_a_government_department(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = start(qtbot, tmp_path)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # the name is required
    ime_type(wizard.department_page.department, "自治区交通运输厅")
    ime_type(wizard.department_page.liaison, "黄小明")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    kind = wizard.kind_page
    assert wizard.currentPage() is kind and not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert kind.radios["gov"].text().startswith("自治区人民政府直属行政机构")
    kind.radios["gov"].click()
    assert kind.category_row.isVisibleTo(kind) and not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    kind.category.setCurrentIndex(kind.category.findData("专项事务管理"))
    assert "300" in kind.minimum.text()
    kind.category.setCurrentIndex(kind.category.findData("经济管理类"))
    assert "500" in kind.minimum.text()
    kind.local_units.setChecked(False)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.location_page.path.text() == str(tmp_path / "自治区交通运输厅.baosong")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    summary = wizard.summary_page.text.text()
    for owed in ("附件2", "附件3", "附件8", "附件9", "评议问卷", "整改情况报告", "年度绩效情况报告",
                 "11月13日前", "12月10日前", "12月20日前", "不少于 500 人"):
        assert owed in summary, owed
    assert "附件4" not in summary and "附件10" not in summary
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.workspace is not None
    wizard.workspace.close()
    with Workspace.open(tmp_path / "自治区交通运输厅.baosong") as ws:
        assert (ws.profile.department, ws.profile.kind, ws.profile.category) == ("自治区交通运输厅", "gov", "经济管理类")
        assert ws.profile.liaison == "黄小明" and ws.profile.local_units is False
        assert ws.minimum == 500 and [f.form for f in ws.frames()] == ["2"]


def test_a_party_body_has_no_category_and_owes_4_5_10(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = start(qtbot, tmp_path)
    ime_type(wizard.department_page.department, "自治区妇女联合会")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wizard.kind_page.radios["party"].click()
    assert not wizard.kind_page.category_row.isVisibleTo(wizard.kind_page)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled() and "300" in wizard.kind_page.minimum.text()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    summary = wizard.summary_page.text.text()
    assert "附件4" in summary and "附件5" in summary and "附件10" in summary and "附件2" not in summary


def test_an_existing_file_is_refused_in_chinese(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    (tmp_path / "自治区水利厅.baosong").write_bytes(b"")
    wizard = start(qtbot, tmp_path)
    ime_type(wizard.department_page.department, "自治区水利厅")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wizard.kind_page.radios["pub"].click()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.location_page and "已经存在" in shown[0]


@pytest.mark.parametrize(("name", "file"), [("自治区交通运输厅", "自治区交通运输厅.baosong"),
                                            ("a/b:c*?", "a_b_c.baosong"), ("  ", "部门.baosong")])
def test_default_file_names_are_safe_on_windows(name: str, file: str) -> None:
    assert default_file_name(name) == file


def test_a_department_for_2016_from_a_campaign_file(qtbot: QtBot, tmp_path: Path, shots_dir: Path,
                                                    said: dict[str, list[str]]) -> None:
    from tests.forms.campaign_2016 import write_2016

    wizard = start(qtbot, tmp_path)
    page = wizard.department_page
    assert page.campaigns.currentText() == "2015年度（桂绩办发〔2015〕35号，内置）"
    bad = write_2016(tmp_path / "坏.json", lambda d: d.pop("deadlines"))
    assert page.load_campaign_file(str(bad)) is None
    assert said["warning"] == ["年度通知文件“坏.json”有以下问题，请修改后再试：\n· 缺少“deadlines”（截止日期及各期报送的材料）一项。"]
    assert page.campaigns.count() == 1
    assert page.load_campaign_file(str(write_2016(tmp_path / "2016年度通知.json"))) is not None
    assert page.campaigns.currentText() == "2016年度（桂绩办发〔2016〕28号，2016年度通知.json）"
    ime_type(page.department, "自治区交通运输厅")
    wizard.grab().save(str(shots_dir / "wizard_campaign.png"))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    kind = wizard.kind_page
    kind.radios["gov"].click()
    kind.category.setCurrentIndex(kind.category.findData("专项事务管理"))
    assert kind.category.currentText() == "专项事务管理（不少于400人）" and "400" in kind.minimum.text()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    summary = wizard.summary_page.text.text()
    assert "按2016年度通知（桂绩办发〔2016〕28号）报送" in summary and "2016年11月13日前" in summary
    wizard.grab().save(str(shots_dir / "wizard_campaign_summary.png"))
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.workspace is not None
    assert (wizard.workspace.campaign.year, wizard.workspace.minimum) == (2016, 400)
    wizard.workspace.close()
