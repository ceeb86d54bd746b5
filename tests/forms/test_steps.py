"""The steps a department owes, by kind and deadline, and their statuses as the workspace changes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.base.findings import Severity
from forms.notice import questionnaire as q
from forms.notice.campaign import load
from forms.store.workspace import Profile, Workspace
from forms.tasks import steps
from forms.tasks.steps import State

TODAY = dt.date(2015, 11, 5)
ROW = {"name": "张三", "gender": "男", "unit": "南宁市某公司", "title": "经理", "mobile": "13877112345"}


def make_ws(tmp_path: Path, kind: str, category: str = "") -> Workspace:
    return Workspace.create(tmp_path / f"{kind}.baosong", Profile("自治区某单位", kind, category, liaison="黄小明"))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path, "gov", "经济管理类")
    yield workspace
    workspace.close()


@pytest.mark.parametrize(("kind", "forms"), [("gov", ("2", "3", "9")), ("party", ("4", "5", "10")),
                                             ("pub", ("6", "7", "11"))])
def test_each_kind_owes_its_own_attachments(tmp_path: Path, kind: str, forms: tuple[str, str, str]) -> None:
    with make_ws(tmp_path, kind) as ws:
        ws.add_hot_item("重点工作")
        titles = " ".join(s.title for s in steps.all_steps(ws, TODAY))
        for number in ("2", "3", "4", "5", "6", "7", "9", "10", "11"):
            assert (f"附件{number}）" in titles) is (number in forms), number
        assert "附件8情况表" in titles and "整改情况报告" in titles and "年度绩效情况报告" in titles


def test_groups_follow_the_three_deadlines(ws: Workspace) -> None:
    groups = steps.plan(ws, TODAY)
    assert [g.label for g in groups] == ["11月13日", "12月10日", "12月20日"]
    assert [s.key for s in groups[0].steps] == [f"frame:{ws.system_frame().id}", "items", "bundle"]
    assert [s.key for s in groups[1].steps] == ["contacts", "report:rectification", "report:performance", "publicity"]
    assert [s.key for s in groups[2].steps] == ["analysis"]
    assert all(s.status.label == ("未发送" if s.key == "bundle" else "未开始") for g in groups for s in g.steps)


def test_one_frame_and_one_questionnaire_per_item(ws: Workspace) -> None:
    a, b = ws.add_hot_item("公路建设"), ws.add_hot_item("道路运输")
    keys = [s.key for s in steps.plan(ws, TODAY)[0].steps]
    assert keys == [f"frame:{ws.system_frame().id}", f"frame:{a.id}", f"frame:{b.id}",
                    f"questionnaire:{a.id}", f"questionnaire:{b.id}", "bundle"]


def test_frame_status_follows_the_engine(ws: Workspace) -> None:
    frame = ws.add_hot_item("公路建设")
    key = f"frame:{frame.id}"
    assert steps.status_of(ws, key, TODAY).label == "未开始"
    [row] = ws.insert_rows(frame.id, 0, [ROW])
    status = steps.status_of(ws, key, TODAY)
    assert status.state is State.ERRORS and status.label == "有1处错误"  # below the minimum of 500
    ws.set_cell(frame.id, row, "mobile", "123")
    assert steps.status_of(ws, key, TODAY).count == 2


def test_questionnaire_status_below_and_at_the_minimum(ws: Workspace) -> None:
    frame = ws.add_hot_item("公路建设")
    key = f"questionnaire:{frame.id}"
    q.save(ws, frame.id, [q.satisfaction(f"问题{n}") for n in range(4)])
    assert steps.status_of(ws, key, TODAY).label == "有1处错误"
    q.save(ws, frame.id, [q.satisfaction(f"问题{n}") for n in range(5)])
    assert steps.status_of(ws, key, TODAY).label == "已完成"


def test_reports_and_analysis(ws: Workspace) -> None:
    ws.set_text("report:performance", "# 年度绩效\n\n正文")
    assert steps.status_of(ws, "report:performance", TODAY).label == "已完成"
    ws.set_text("analysis:重点工作任务完成情况", "完成了。")
    assert steps.status_of(ws, "analysis", TODAY).label == "有2处错误"  # two sections still empty
    ws.set_text("analysis:工作创新和亮点", "亮点。")
    ws.set_text("analysis:工作难点和薄弱环节", "难" * 1400)
    found = steps.analysis_findings(ws.campaign, steps.analysis_texts(ws))
    assert [f.code for f in found] == ["analysis-length"] and "删减" in found[0].message


def test_contacts_required_phones_and_two_leaders() -> None:
    found = steps.contacts_findings({})
    assert {f.column for f in found if f.code == "required"} == {
        "liaison_name", "liaison_title", "secretary_name", "secretary_title", "head_name", "head_title"}
    assert any(f.code == "no-phone" for f in found)
    full = {"liaison_name": "黄小明", "liaison_title": "科长", "liaison_phone": "0771-2811111",
            "liaison_mobile": "13877112345", "secretary_name": "李四", "secretary_title": "党组书记",
            "head_same_as_secretary": True}
    assert steps.contacts_findings(full) == []
    bad = {**full, "liaison_mobile": "1387711", "liaison_phone": "12", "head_same_as_secretary": False,
           "head_name": "李四", "head_title": "厅长"}
    by_column = {f.column: f for f in steps.contacts_findings(bad)}
    assert by_column["liaison_mobile"].code == "contact-phone"
    assert by_column["liaison_phone"].code == "contact-phone"
    assert by_column["head_name"].severity is Severity.WARNING


def test_contacts_status(ws: Workspace) -> None:
    assert steps.status_of(ws, "contacts", TODAY).label == "未开始"
    ws.set_text("contacts", json.dumps({"liaison_name": "黄小明"}, ensure_ascii=False))
    assert steps.status_of(ws, "contacts", TODAY).state is State.ERRORS


def test_publicity_days_and_details(ws: Workspace) -> None:
    assert steps.status_of(ws, "publicity", TODAY).label == "未开始"
    for key in ("rectification", "announcement", "performance"):
        ws.set_text(f"publicity:{key}", json.dumps({"done": True, "date": "2015-11-01", "where": "门户网站"}))
    status = steps.status_of(ws, "publicity", TODAY)
    assert status.label == "有3处提醒"  # 4 days on show of 14/30
    assert steps.status_of(ws, "publicity", dt.date(2015, 12, 2)).label == "已完成"
    ws.set_text("publicity:announcement", json.dumps({"done": False}))
    assert steps.status_of(ws, "publicity", dt.date(2015, 12, 2)).label == "有1处错误"


@pytest.mark.parametrize(("today", "text"), [
    (dt.date(2015, 11, 5), "距11月13日截止还有8天"),
    (dt.date(2015, 11, 13), "今天（11月13日）是截止日期"),
    (dt.date(2015, 11, 14), "距12月10日截止还有26天"),
    (dt.date(2015, 12, 21), "2015年度各项截止日期均已过（最后一项为2015年12月20日）"),
    (dt.date(2026, 12, 4), "2015年度各项截止日期均已过（最后一项为2015年12月20日）"),
    (dt.date(2015, 6, 1), "下一个截止日期：2015年11月13日"),
])
def test_days_left(today: dt.date, text: str) -> None:
    assert steps.deadline_text(load("2015"), today) == text


@pytest.mark.parametrize(("today", "text"), [
    (dt.date(2015, 11, 10), "11月13日前（还有3天）"),
    (dt.date(2015, 11, 13), "11月13日前（今天截止）"),
    (dt.date(2015, 12, 1), "11月13日前（已过18天）"),
    (dt.date(2026, 12, 4), "11月13日前（2015年11月13日，已截止）"),  # not 已过4039天
    (dt.date(2015, 1, 5), "11月13日前（2015年11月13日）"),
])
def test_a_deadline_reads_relative_to_its_own_campaign(today: dt.date, text: str) -> None:
    assert steps.group_text(load("2015").deadlines[0], today) == text


def test_owed_for_the_wizard() -> None:
    owed = steps.owed(load("2015"), "party")
    names = [n for _d, ns in owed for n in ns]
    assert names[0].startswith("附件4") and names[1].startswith("附件5")
    assert any(n.startswith("附件10") for n in names) and any(n.startswith("附件8") for n in names)
