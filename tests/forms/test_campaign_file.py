"""Next year's campaign from a file: checked with Chinese messages, kept inside the workspace, its dates its own."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from forms.notice import campaign
from forms.store.workspace import Profile, Workspace
from forms.tasks import steps
from tests.forms.campaign_2016 import data_2016, write_2016


def test_the_2016_file_makes_a_2016_workspace_that_opens_without_the_file(tmp_path: Path) -> None:
    source = write_2016(tmp_path / "2016年度通知.json")
    made = campaign.load_path(source)
    with Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"), made) as ws:
        assert (ws.profile.campaign, ws.campaign.year, ws.minimum) == ("2016", 2016, 400)
    source.unlink()
    moved = tmp_path / "别处"
    moved.mkdir()
    shutil.move(tmp_path / "w.baosong", moved / "w.baosong")
    with Workspace.open(moved / "w.baosong") as ws:
        assert ws.campaign.year == 2016 and ws.campaign.notice_number == "桂绩办发〔2016〕28号"
        assert ws.campaign.title("2") == "2016年度自治区人民政府直属行政机构系统市、县两级干部评价抽样框"
        assert ws.engine.year == 2016  # the divisions in force in 2016 (平桂区, 柳江区)
        groups = steps.plan(ws, dt.date(2016, 11, 10))
        assert [steps.group_text(g.deadline, dt.date(2016, 11, 10)) for g in groups] == [
            "11月13日前（还有3天）", "12月10日前（还有30天）", "12月20日前（还有40天）"]


def test_a_2015_workspace_keeps_its_campaign_too(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理")) as ws:
        assert ws.campaign.year == 2015 and ws.text("campaign").startswith("{")


def _mangle(data: dict[str, Any]) -> None:
    data["year"] = "二〇一六"
    data["deadlines"][0]["date"] = "2016-11-31"
    data["deadlines"][2]["deliverables"] = ["leader_forms"]
    data["kinds"]["gov"]["system_form"] = "4"
    data["kinds"]["party"]["categories"] = {"群团": 0}
    data["attachment_titles"]["3"] = "{year}年度{单位}抽样框"
    del data["rules"]["analysis_max_chars"]


def test_every_mistake_is_named_in_chinese_at_once(tmp_path: Path) -> None:
    with pytest.raises(campaign.CampaignError) as refused:
        campaign.load_path(write_2016(tmp_path / "坏.json", _mangle))
    lines = refused.value.message.splitlines()
    assert lines[0] == "年度通知文件“坏.json”有以下问题，请修改后再试："
    assert lines[1:] == [
        "· “year”（年度，如 2016）应为整数，现在是“二〇一六”。",
        "· “attachment_titles”中附件3的“{year}年度{单位}抽样框”含有无法识别的花括号占位符：只能用{year}、{department}、{item}。",
        "· “kinds”中“gov”类：“system_form”应为\"2\"（程序的表格模板按此附件编排），现在是“4”。",
        "· “kinds”中“party”类：分类“群团”的最少人数应为大于0的整数，现在是“0”。",
        "· 第1个截止日期（deadlines）的“date”“2016-11-31”不是有效日期，请写成 2016-11-13 这样的格式。",
        "· 第3个截止日期（deadlines）的“deliverables”中有无法识别的材料：leader_forms；可用的有：system_frame、hot_frames、"
        "questionnaires、bundle、contacts、report_rectification、report_performance、publicity、leader_form。",
        "· 截止日期（deadlines）中没有安排这些材料：leader_form。",
        "· “rules”中缺少“analysis_max_chars”（填报规则参数）一项。",
    ]


@pytest.mark.parametrize(("content", "expected"), [
    (b"{\"id\": \"2016\",}", "不是有效的 JSON 文件（第1行附近"),
    (b"\xd6\xd0\xce\xc4", "不是 UTF-8 编码的文本文件"),
    (b"[1, 2]", "应是一个 JSON 对象"),
])
def test_a_file_that_is_not_a_campaign_is_refused_plainly(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(campaign.CampaignError, match=expected):
        campaign.load_path(path)
    with pytest.raises(campaign.CampaignError, match="找不到年度通知文件"):
        campaign.load_path(tmp_path / "没有.json")


def test_the_shipped_campaign_passes_its_own_check() -> None:
    assert campaign.shipped() == ["2015"]
    assert campaign.from_data(data_2016()).year == 2016


@pytest.mark.parametrize(("stored", "expected"), [
    ("{not json", "工作区中保存的年度通知数据已损坏，无法打开：请从备份恢复工作区。"),
    ('{"id": "2016"}', "工作区中保存的年度通知数据有以下问题，请修改后再试：\n· 缺少“year”（年度，如 2016）一项。"),
])
def test_a_damaged_stored_campaign_is_refused_in_chinese_and_the_file_is_released(
        tmp_path: Path, stored: str, expected: str) -> None:
    from forms.base.errors import UserError

    path = tmp_path / "w.baosong"
    with Workspace.create(path, Profile("自治区交通运输厅", "gov", "专项事务管理")) as ws:
        ws.set_text("campaign", stored)
    with pytest.raises(UserError) as refused:
        Workspace.open(path)
    assert refused.value.message.startswith(expected)
    with pytest.raises(UserError) as again:  # refused again for the same reason: the file was not left locked
        Workspace.open(path)
    assert again.value.message == refused.value.message


@pytest.mark.parametrize("campaign_id", ["../../etc/passwd", "2015/../2015", " 015", "", "2016"])
def test_a_campaign_id_that_does_not_ship_is_refused_not_read_as_a_path(campaign_id: str) -> None:
    from forms.notice import campaign as campaign_mod

    with pytest.raises(campaign_mod.CampaignError, match="年度通知"):
        campaign_mod.load(campaign_id)
