"""The survey sample: reproducible by its seed, stratified by city in proportion, written as a call list."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.notice import campaign
from forms.tasks import sampling
from forms.tasks.intake_merge import MergedRow

CITIES = {"南宁市": ("南宁市青秀区民族大道{n}号", 60), "桂林市": ("桂林市七星区漓江路{n}号", 30),
          "柳州市": ("柳州市城中区文昌路{n}号", 10)}


def frame(department: str = "甲厅", form: str = "3") -> list[MergedRow]:
    rows, n = [], 0
    for _city, (address, count) in CITIES.items():
        for _ in range(count):
            n += 1
            values = {"name": f"人{n:03d}", "unit": address.format(n=n), "mobile": f"1387711{n:04d}"}
            rows.append(MergedRow(n, department, form, values, "f.xlsx", "附件3", n + 3))
    return rows


def merged() -> dict[str, list[MergedRow]]:
    return {"3": frame("甲厅") + frame("乙厅")}


def names(sample: sampling.Sample) -> list[tuple[str, str]]:
    return [(row.department, row.values["name"]) for row, _city in sample.picked]


def test_same_seed_same_list_and_another_seed_another() -> None:
    first, again = sampling.draw(merged(), 20, "2015"), sampling.draw(merged(), 20, "2015")
    assert names(first) == names(again)
    assert names(sampling.draw(merged(), 20, "2016")) != names(first)


def test_strata_are_in_proportion_per_department() -> None:
    sample = sampling.draw(merged(), 20, 7)
    per = Counter((row.department, city) for row, city in sample.picked)
    for department in ("甲厅", "乙厅"):
        assert [per[(department, c)] for c in CITIES] == [12, 6, 2]  # 60:30:10 of 20
    assert {(s.department, s.city): (s.size, s.drawn) for s in sample.strata}[("甲厅", "柳州市")] == (10, 2)


@pytest.mark.parametrize(("sizes", "n", "expected"), [
    ({"a": 60, "b": 30, "c": 10}, 20, {"a": 12, "b": 6, "c": 2}),
    ({"a": 5, "b": 5, "c": 1}, 3, {"a": 2, "b": 1, "c": 0}),  # remainders .36 .36 .27: the tie goes by name
    ({"a": 1, "b": 5, "c": 5}, 3, {"a": 0, "b": 2, "c": 1}),
    ({"a": 2, "b": 1}, 10, {"a": 2, "b": 1}),  # a frame smaller than n is taken whole
    ({"a": 7}, 0, {"a": 0}),
])
def test_allocation_by_largest_remainder(sizes: dict[str, int], n: int, expected: dict[str, int]) -> None:
    assert sampling.allocate(sizes, n) == expected
    assert sum(expected.values()) == min(n, sum(sizes.values()))


def test_city_from_address_then_area_code_then_mobile_block() -> None:
    assert sampling.city_of({"unit": "桂林市七星区漓江路1号"}) == "桂林市"
    assert sampling.city_of({"unit": "某局", "area_code": "0773"}) == "桂林市"
    assert sampling.city_of({"unit": "某局", "area_code": "0771", "mobile": "13977200000"}) == "柳州市"
    assert sampling.city_of({"unit": "某局"}) == sampling.UNKNOWN_CITY


def test_call_list_carries_the_seed(tmp_path: Path) -> None:
    sample = sampling.draw(merged(), 20, "2015")
    path = sampling.write_call_list(tmp_path, campaign.load(), sample)
    book = load_workbook(path, read_only=True)
    rows = list(book["抽样名单"].iter_rows(values_only=True))
    assert "抽样种子:2015" in rows[1][0]
    assert rows[2][:6] == ("序号", "报送单位", "附件", "汇总表序号", "市", "姓名")
    assert len(rows) - 3 == 40 and rows[3][5] == sample.picked[0][0].values["name"]
    strata = list(book["抽样说明"].iter_rows(min_row=4, values_only=True))
    assert ("甲厅", "附件3", "南宁市", "60", "12") in [r[1:] for r in strata]
