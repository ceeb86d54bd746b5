"""Importing into a frame that has people: append, replace, merge by person (same mobile, or same name+unit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.store.import_plan import Existing, ImportMode, apply, person_keys, plan_for, plan_import
from forms.store.workspace import Profile, Workspace

ZHANG = {"name": "张三", "gender": "男", "unit": "南宁市交通运输局", "title": "科长", "mobile": "13877112345"}
LI = {"name": "李四", "gender": "男", "unit": "柳州市交通运输局", "title": "科员", "mobile": "013978012345"}
WANG = {"name": "王五", "gender": "女", "unit": "桂林市交通运输局", "title": "处长", "mobile": "013907730001"}


@pytest.mark.parametrize(("values", "keys"), [
    ({"mobile": "13877112345", "name": "张三", "unit": "南宁 市局"}, ("13877112345", "张三|南宁市局")),
    ({"mobile": "013978012345"}, ("13978012345", "")),
    ({"mobile": "1387711234", "name": "张三"}, ("", "")),
    ({}, ("", "")),
])
def test_person_keys(values: dict[str, str], keys: tuple[str, str]) -> None:
    assert person_keys(values) == keys


def existing(*rows: dict[str, str]) -> list[Existing]:
    return [Existing(n + 1, row) for n, row in enumerate(rows)]


def test_merge_updates_the_same_person_and_adds_new_ones() -> None:
    renamed_unit = {**ZHANG, "unit": "南宁市交通运输局办公室", "title": "处长"}  # same mobile: same person
    li_new_mobile = {**LI, "mobile": "013978099999", "title": ""}  # same name+unit; an empty cell empties nothing
    plan = plan_import(existing(ZHANG, LI), [renamed_unit, li_new_mobile, WANG],
                       [renamed_unit, li_new_mobile, WANG], ImportMode.MERGE)
    assert plan.add == [WANG]
    assert sorted(plan.changes) == [(1, "title", "处长"), (1, "unit", "南宁市交通运输局办公室"),
                                    (2, "mobile", "013978099999")]
    assert (plan.updated, plan.unchanged, plan.remove) == (2, 0, [])
    assert plan.summary() == "新增1人，更新2人，不变0人"


def test_merging_the_same_file_again_changes_nothing() -> None:
    plan = plan_import(existing(ZHANG, LI), [ZHANG, LI], [ZHANG, LI], ImportMode.MERGE)
    assert (plan.add, plan.changes, plan.updated, plan.unchanged) == ([], [], 0, 2)


def test_append_says_who_would_be_doubled_and_replace_removes_everyone() -> None:
    append = plan_import(existing(ZHANG, LI), [ZHANG, WANG], [ZHANG, WANG], ImportMode.APPEND)
    assert append.add == [ZHANG, WANG] and append.already == 1
    assert append.summary() == "新增2人；其中1人已在表中，追加后会重复"
    replace = plan_import(existing(ZHANG, LI), [WANG], [WANG], ImportMode.REPLACE)
    assert replace.remove == [1, 2] and replace.add == [WANG]
    assert replace.summary() == "新增1人，删除现有2人"


def test_plans_on_a_real_workspace(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "经济管理类")) as ws:
        frame = ws.add_hot_item("公路建设")
        ws.import_rows(frame.id, [ZHANG, LI])
        typed = {**ZHANG, "mobile": "１３８ ７７１１ ２３４５", "title": "处长"}  # full-width: normalised, same person
        plan = plan_for(ws, frame.id, [typed, WANG], ImportMode.MERGE)
        assert (len(plan.add), plan.updated) == (1, 1)
        apply(ws, frame.id, plan)
        rows = ws.rows(frame.id)
        assert [r.values["name"] for r in rows] == ["张三", "李四", "王五"]
        assert rows[0].raw["title"] == "处长"
        apply(ws, frame.id, plan_for(ws, frame.id, [WANG], ImportMode.REPLACE))
        assert [r.values["name"] for r in ws.rows(frame.id)] == ["王五"]
