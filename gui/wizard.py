"""新建部门: the wizard that creates a department's workspace and tells what it owes.

Pages: the department and its liaison; its kind (three, with the campaign's full names), category
(政府直属 only, with the resulting minimum) and whether it has city/county units; where to save;
then what this department hands in, by deadline. 完成 writes the workspace; the window opens it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from forms.base.file_errors import os_reason
from forms.base.filenames import safe_file_name
from forms.base.paths import ensure
from forms.notice import campaign as campaign_mod
from forms.notice.campaign import Campaign
from forms.store.schema import WorkspaceError
from forms.tasks import steps
from gui import style

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def default_file_name(department: str) -> str:
    """A Windows-safe file name from the department's name."""
    return safe_file_name(_UNSAFE.sub("_", department.strip()).strip("._") + ".baosong", fallback="部门")


class DepartmentPage(QWizardPage):
    """The department, its liaison, and the year's notice (campaign) the workspace follows."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.setTitle("部门信息")
        self.setSubTitle("填写参评部门的全称和本部门社会评价工作联络员的姓名，并选择按哪一年度的通知报送。")
        self.department = QLineEdit()
        self.department.setPlaceholderText("如：自治区交通运输厅")
        self.liaison = QLineEdit()
        self.liaison.setPlaceholderText("联络员姓名")
        self.campaigns = QComboBox()
        for shipped in campaign_mod.shipped():
            self._add_campaign(campaign_mod.load(shipped), "内置")
        self._select(campaign)
        load_button = QPushButton("从文件载入…")
        load_button.setToolTip("考评办发布新一年度的通知后，可载入按通知整理的年度通知文件（.json）")
        load_button.clicked.connect(self.choose_campaign_file)
        row = QHBoxLayout()
        row.addWidget(self.campaigns, 1)
        row.addWidget(load_button)
        form = QFormLayout(self)
        form.addRow("部门全称 *", self.department)
        form.addRow("联络员", self.liaison)
        form.addRow("年度通知", row)
        self.registerField("department*", self.department)
        self.registerField("liaison", self.liaison)

    def _add_campaign(self, campaign: Campaign, origin: str) -> None:
        self.campaigns.addItem(f"{campaign.year}年度（{campaign.notice_number}，{origin}）", campaign)

    def _select(self, campaign: Campaign) -> None:
        found = next((n for n in range(self.campaigns.count()) if self.campaigns.itemData(n) == campaign), -1)
        if found < 0:
            self._add_campaign(campaign, "内置" if campaign.id in campaign_mod.shipped() else "文件")
            found = self.campaigns.count() - 1
        self.campaigns.setCurrentIndex(found)

    def campaign(self) -> Campaign:
        return self.campaigns.currentData()  # type: ignore[no-any-return]

    def choose_campaign_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择年度通知文件", "", "年度通知文件 (*.json)")
        if path:
            self.load_campaign_file(path)

    def load_campaign_file(self, path: str) -> Campaign | None:
        """Check and add a campaign file; its problems, in Chinese, when it cannot be used."""
        try:
            campaign = campaign_mod.load_path(path)
        except campaign_mod.CampaignError as exc:
            style.warn(self, "无法使用这个年度通知文件", exc.message)
            return None
        self._add_campaign(campaign, Path(path).name)
        self.campaigns.setCurrentIndex(self.campaigns.count() - 1)
        return campaign


class KindPage(QWizardPage):
    """The kind decides the attachments; the category (政府直属 only) decides the minimum."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign
        self.setTitle("参评单位类别")
        self.setSubTitle("类别决定本部门要报送的附件；政府直属行政机构还要选择分类，它决定抽样框的最少人数。")
        layout = QVBoxLayout(self)
        self.category = QComboBox()
        self.category.setPlaceholderText("请选择分类…")
        for name, minimum in campaign.kind("gov").categories.items():
            self.category.addItem(f"{name}（不少于{minimum}人）", name)
        self.category.currentIndexChanged.connect(self._changed)
        self.category_row = QWidget()
        row = QHBoxLayout(self.category_row)
        row.setContentsMargins(24, 0, 0, 0)
        row.addWidget(QLabel("分类："))
        row.addWidget(self.category, 1)
        self.kinds = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for key, kind in campaign.kinds.items():
            radio = QRadioButton(f"{kind.name}（附件{kind.system_form}、{kind.hot_form}、{kind.leader_form}）")
            self.radios[key] = radio
            self.kinds.addButton(radio)
            layout.addWidget(radio)
            if key == "gov":  # the category belongs to this option: right under it, not under the last one
                layout.addWidget(self.category_row)
        self.kinds.buttonToggled.connect(self._changed)
        self.minimum = QLabel()
        layout.addWidget(self.minimum)
        self.local_units = QCheckBox("本部门有市、县两级单位（系统干部抽样框须覆盖全区所有市、县）")
        self.local_units.setChecked(True)
        layout.addSpacing(8)
        layout.addWidget(self.local_units)
        layout.addWidget(style.hint("没有市、县两级单位的部门，系统干部抽样框填报本部门干部职工。"))
        layout.addStretch(1)
        self._changed()

    def initializePage(self) -> None:
        chosen = getattr(self.wizard(), "chosen_campaign", None)
        if callable(chosen) and chosen() != self.campaign:
            self.set_campaign(chosen())

    def set_campaign(self, campaign: Campaign) -> None:
        """Names, categories and minimums as this campaign has them (another year's may differ)."""
        self.campaign = campaign
        for key, radio in self.radios.items():
            kind = campaign.kind(key)
            radio.setText(f"{kind.name}（附件{kind.system_form}、{kind.hot_form}、{kind.leader_form}）")
        chosen = self.category_name()
        self.category.blockSignals(True)
        self.category.clear()
        for name, minimum in campaign.kind("gov").categories.items():
            self.category.addItem(f"{name}（不少于{minimum}人）", name)
        self.category.setCurrentIndex(self.category.findData(chosen) if chosen else -1)
        self.category.blockSignals(False)
        self._changed()

    def kind_key(self) -> str:
        return next((key for key, radio in self.radios.items() if radio.isChecked()), "")

    def category_name(self) -> str:
        return str(self.category.currentData() or "") if self.kind_key() == "gov" else ""

    def minimum_count(self) -> int:
        return self.campaign.kind(self.kind_key()).minimum(self.category_name()) if self.kind_key() else 0

    def _changed(self, *_: Any) -> None:
        self.category_row.setVisible(self.kind_key() == "gov")
        if self.kind_key() and (self.kind_key() != "gov" or self.category_name()):
            self.minimum.setText(f"每个热点难点工作抽样框不少于 {self.minimum_count()} 人。")
        else:
            self.minimum.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.kind_key()) and (self.kind_key() != "gov" or bool(self.category_name()))


class LocationPage(QWizardPage):
    """Where the workspace file goes; the name defaults to the department's."""

    def __init__(self, save_dir: Path) -> None:
        super().__init__()
        self.save_dir = save_dir
        self.setTitle("保存位置")
        self.setSubTitle("本部门的全部材料保存在这一个工作区文件中，修改随时自动保存。请放在自己容易找到的位置并定期备份。")
        self.path = QLineEdit()
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(style.hint("文件里有抽样框人员的个人信息，请勿放在共享文件夹或网盘中。"))
        layout.addStretch(1)
        self._suggested = ""

    def initializePage(self) -> None:
        suggested = str(self.save_dir / default_file_name(str(self.field("department"))))
        if not self.path.text() or self.path.text() == self._suggested:
            self.path.setText(suggested)
        self._suggested = suggested

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存工作区", self.path.text(), "报送助手工作区 (*.baosong)")
        if path:
            self.path.setText(path)

    def target(self) -> Path:
        text = self.path.text().strip()
        return Path(text if text.endswith(".baosong") else text + ".baosong")

    def validatePage(self) -> bool:
        target = self.target()
        if not self.path.text().strip():
            style.warn(self, "请选择保存位置", "请填写工作区文件的保存位置。")
        elif not target.parent.is_dir() and target.parent != self.save_dir:  # the default is made on 完成
            style.warn(self, "文件夹不存在", f"文件夹“{target.parent}”不存在，请点“浏览…”重新选择保存位置。")
        elif target.exists():
            style.warn(self, "文件已存在", f"“{target.name}”已经存在。请换一个文件名；如要继续使用它，请取消后用“打开…”。")
        else:
            return True
        return False


class SummaryPage(QWizardPage):
    """What this department hands in, by deadline; 完成 creates the workspace."""

    def __init__(self, wizard: NewDepartmentWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("需要报送的材料")
        self.setSubTitle("点“完成”创建工作区。之后程序按截止日期逐项引导您填写、检查。")
        self.text = QLabel()
        self.text.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.text)

    def initializePage(self) -> None:
        self.text.setText(self.owner.summary_html())

    def validatePage(self) -> bool:
        return self.owner.create_workspace()


class NewDepartmentWizard(QWizard):
    """新建部门…: asks for the profile, shows what is owed, creates the workspace (`self.workspace`)."""

    def __init__(self, campaign: Campaign, save_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.campaign = campaign
        self.workspace: Workspace | None = None
        self.setWindowTitle("新建部门")
        self.setMinimumSize(760, 540)
        for button, text in ((QWizard.WizardButton.BackButton, "< 上一步"), (QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.FinishButton, "完成"), (QWizard.WizardButton.CancelButton, "取消")):
            self.setButtonText(button, text)
        self.department_page = DepartmentPage(campaign)
        self.kind_page = KindPage(campaign)
        self.location_page = LocationPage(save_dir)
        self.summary_page = SummaryPage(self)
        for page in (self.department_page, self.kind_page, self.location_page, self.summary_page):
            self.addPage(page)

    def chosen_campaign(self) -> Campaign:
        return self.department_page.campaign()

    def profile_fields(self) -> dict[str, Any]:
        return {"department": str(self.field("department")).strip(), "kind": self.kind_page.kind_key(),
                "category": self.kind_page.category_name(), "local_units": self.kind_page.local_units.isChecked(),
                "liaison": str(self.field("liaison")).strip()}

    def summary_html(self) -> str:
        fields = self.profile_fields()
        self.campaign = self.chosen_campaign()
        kind = self.campaign.kind(fields["kind"])
        lines = [f"<p>按{self.campaign.year}年度通知（{self.campaign.notice_number}）报送。</p>",
                 f"<p><b>{fields['department']}</b>　{kind.name}" + (f"·{fields['category']}" if fields["category"] else ""),
                 f"<br>每个热点难点工作抽样框不少于 {self.kind_page.minimum_count()} 人；"
                 + ("系统干部抽样框须覆盖全区所有市、县。" if fields["local_units"] else "系统干部抽样框填报本部门干部职工。")
                 + "</p>"]
        for deadline, names in steps.owed(self.campaign, fields["kind"]):
            items = "".join(f"<li>{name}</li>" for name in names)
            lines.append(f"<p style='margin-bottom:0'><b>{steps.long_date(deadline.date)}前</b></p><ul style='margin-top:2px'>{items}</ul>")
        lines.append(f"<p>保存到：{self.location_page.target()}</p>")
        return "".join(lines)

    def create_workspace(self) -> bool:
        from forms.store.workspace import Profile, Workspace

        try:
            target = self.location_page.target()
            if target.parent == self.location_page.save_dir:
                ensure(target.parent)  # the default folder, created only now it is used
            self.workspace = Workspace.create(target, Profile(**self.profile_fields()), self.chosen_campaign())
        except WorkspaceError as exc:
            style.warn(self, "无法创建工作区", exc.message)
            return False
        except OSError as exc:
            style.warn(self, "无法创建工作区", f"无法写入“{self.location_page.target()}”：{os_reason(exc)}。"
                                           "请换一个有写入权限的文件夹。")
            return False
        return True
