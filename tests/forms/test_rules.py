"""Every finding code of SPEC.md: a failing and a passing case each, through the same engine the CLI uses."""

from __future__ import annotations

import pytest

from forms.base.findings import CODES, Finding
from forms.checks.engine import Engine
from forms.checks.normalize import normalize_row
from forms.checks.rules import serial_findings
from forms.notice import campaign
from forms.notice.attachments import FRAME_FORMS

CLEAN_2 = {"name": "张三", "gender": "男", "unit": "柳州市城中区文昌路1号 柳州市某某局", "title": "局长",
           "area_code": "0772", "landline": "2811111", "mobile": "013978012345", "postcode": "545001"}
CLEAN_3 = {"name": "李四", "gender": "女", "unit": "南宁市某某公司", "title": "经理",
           "area_code": "", "landline": "", "mobile": "13877112345", "remark": ""}


def run(form: str, rows: list[dict[str, str]], check_prefix: bool = True, minimum: int | None = None,
        coverage: bool = False) -> list[tuple[int | None, Finding]]:
    engine = Engine(campaign.load(), check_prefix=check_prefix)
    engine.add_frame(1, form, minimum=minimum, coverage=coverage)
    normalisers = FRAME_FORMS[form].normalisers
    loaded = []
    for n, raw in enumerate(rows, start=1):
        norm = normalize_row(raw, normalisers)
        loaded.append(((1, n), norm.values, norm.notes, float(n)))
    engine.load(loaded)
    found: list[tuple[int | None, Finding]] = [(None, f) for f in engine.frame_findings(1)]
    for n in range(1, len(rows) + 1):
        found.extend((n, f) for f in engine.row_findings((1, n)))
    return found


def codes(found: list[tuple[int | None, Finding]]) -> set[str]:
    return {f.code for _, f in found}


@pytest.mark.parametrize("form,clean", [("2", CLEAN_2), ("3", CLEAN_3)])
def test_clean_rows_raise_nothing(form: str, clean: dict[str, str]) -> None:
    assert run(form, [clean]) == []


ROW_CASES = [
    # (code, form, change to the clean row, expected column)
    ("required", "2", {"name": ""}, "姓名"),
    ("required", "2", {"title": "  "}, "职务"),
    ("required", "2", {"postcode": ""}, "邮政编码"),
    ("required", "3", {"unit": ""}, "单位"),
    ("gender", "2", {"gender": "未知"}, "性别"),
    ("name", "2", {"name": "张三2"}, "姓名"),
    ("name", "2", {"name": "Zhang San"}, "姓名"),
    ("name", "2", {"name": "张" * 21}, "姓名"),
    ("mobile-format", "2", {"mobile": "1397801234"}, "手机号码"),
    ("mobile-format", "2", {"mobile": "23978012345"}, "手机号码"),
    ("mobile-format", "2", {"mobile": "1.3978E+10"}, "手机号码"),
    ("mobile-format", "2", {"mobile": "13978012345/13978012346"}, "手机号码"),
    ("mobile-prefix", "2", {"mobile": "13978012345"}, "手机号码"),
    ("mobile-prefix", "3", {"mobile": "013877112345"}, "手机号码"),
    ("landline-format", "2", {"landline": "28111"}, "办公电话"),
    ("landline-format", "2", {"landline": "13978012345"}, "办公电话"),
    ("area-code", "2", {"area_code": ""}, "区号"),
    ("area-code", "2", {"area_code": "0123"}, "区号"),
    ("area-code", "2", {"area_code": "0773"}, "区号"),
    ("no-phone", "2", {"landline": "", "mobile": "", "area_code": ""}, "手机号码"),
    ("address", "2", {"unit": "柳州市某某局"}, "单位(注明具体地址)"),
    ("address", "2", {"unit": "桂林市公路管理局"}, "单位(注明具体地址)"),
    ("address", "2", {"unit": "柳州市农村公路管理所"}, "单位(注明具体地址)"),
    ("postcode", "2", {"postcode": "54500"}, "邮政编码"),
    ("postcode", "2", {"postcode": "530022"}, "邮政编码"),
]


@pytest.mark.parametrize("code,form,change,column", ROW_CASES)
def test_row_rule_fails(code: str, form: str, change: dict[str, str], column: str) -> None:
    row = {**(CLEAN_2 if form == "2" else CLEAN_3), **change}
    found = [f for _, f in run(form, [row]) if f.code == code]
    assert found, f"{code} not raised for {change}"
    assert found[0].column == column
    assert found[0].severity == CODES[code].severity
    assert found[0].message and not found[0].message.isascii()


PASSING = [
    ("gender", {"gender": "男性"}), ("gender", {"gender": "M"}),
    ("name", {"name": "阿沛·阿旺"}), ("name", {"name": " 张　三 "}),
    ("mobile-format", {"mobile": "０１３９ ７８０１-２３４５"}),
    ("landline-format", {"landline": "0772-2811111", "area_code": ""}),
    ("area-code", {"area_code": "772"}),
    ("no-phone", {"landline": ""}), ("no-phone", {"mobile": ""}),
    ("address", {"unit": "柳州市城中区公路路8号 柳州市公路管理局"}), ("address", {"unit": "柳州市城中区五一路 某局"}),
    ("postcode", {"postcode": "545001.0"}),
]


@pytest.mark.parametrize("code,change", PASSING)
def test_normalised_input_raises_nothing(code: str, change: dict[str, str]) -> None:
    assert run("2", [{**CLEAN_2, **change}]) == []


def test_nanning_landline_needs_no_area_code() -> None:
    row = {**CLEAN_2, "unit": "南宁市青秀区民族大道1号 某某局", "area_code": "", "postcode": "530022",
           "mobile": "13877112345"}
    assert run("2", [row]) == []


def test_workspace_mode_writes_the_prefix_itself() -> None:
    assert "mobile-prefix" not in codes(run("2", [{**CLEAN_2, "mobile": "13978012345"}], check_prefix=False))


def test_row_override_decides_the_prefix() -> None:
    engine = Engine(campaign.load(), check_prefix=True)
    engine.add_frame(1, "3")
    values = {**CLEAN_3, "mobile": "013877112345"}
    engine.set_row((1, 1), values, override=False)
    assert engine.row_findings((1, 1)) == []
    engine.set_row((1, 1), values, override=None)
    assert [f.code for f in engine.row_findings((1, 1))] == ["mobile-prefix"]


@pytest.mark.parametrize("serials,bad", [
    (["1", "2", "3"], []), (["1", "3", "4"], [1]), (["1", "2", "2"], [2]), (["1", "x", "3"], [1]),
    (["2", "3"], [0]), (["1", "", "2"], [1]),
])
def test_serial(serials: list[str], bad: list[int]) -> None:
    assert [i for i, _ in serial_findings(serials)] == bad


def test_duplicate_person_same_mobile_flags_the_later_row() -> None:
    other = {**CLEAN_2, "name": "王五", "unit": "柳州市城中区文昌路2号 另一局"}
    found = run("2", [CLEAN_2, other])
    assert [(r, f.code) for r, f in found if f.code == "duplicate-person"] == [(2, "duplicate-person")]


def test_duplicate_person_same_name_and_unit() -> None:
    other = {**CLEAN_2, "mobile": "013978012399", "landline": "2811112"}
    assert [r for r, f in run("2", [CLEAN_2, other]) if f.code == "duplicate-person"] == [2]


def test_possible_duplicate_close_unit() -> None:
    other = {**CLEAN_2, "mobile": "013978012399", "landline": "2811112",
             "unit": "柳州市城中区文昌路1号 柳州市某某局办公室"}
    found = run("2", [CLEAN_2, other])
    assert [(r, f.code) for r, f in found if f.code.endswith("duplicate")] == [(2, "possible-duplicate")]


def test_possible_duplicate_name_one_apart_same_landline() -> None:
    other = {**CLEAN_2, "name": "张山", "mobile": "013978012399", "unit": "柳州市鱼峰区某路3号 某单位"}
    assert [r for r, f in run("2", [CLEAN_2, other]) if f.code == "possible-duplicate"] == [2]


def test_different_people_are_not_duplicates() -> None:
    other = {**CLEAN_2, "name": "赵六", "mobile": "013978012399", "landline": "2811112",
             "unit": "柳州市鱼峰区某路3号 某单位"}
    assert run("2", [CLEAN_2, other]) == []


def test_below_minimum() -> None:
    assert "below-minimum" in codes(run("3", [CLEAN_3], minimum=300))
    rows = [{**CLEAN_3, "name": f"李{chr(0x4E00 + n)}", "mobile": f"138771{n:05d}"} for n in range(3)]
    assert "below-minimum" not in codes(run("3", rows, minimum=3))


def test_coverage_names_the_missing_places() -> None:
    found = [f for _, f in run("2", [CLEAN_2], coverage=True) if f.code == "coverage"]
    assert len(found) == 1 and found[0].row is None
    assert "南宁市" in found[0].message and "横县" in found[0].message
    assert "柳州市（全市" not in found[0].message and "城中区" not in found[0].message


def test_full_coverage_raises_no_coverage_finding() -> None:
    from forms.checks import geo

    rows = []
    for n, (city, counties) in enumerate(geo.coverage_units().items()):
        for m, county in enumerate(counties):
            rows.append({**CLEAN_2, "name": "甲" + chr(0x4E00 + n) + chr(0x4E00 + m), "unit": f"{city.name}{county.name}人民路{m}号 某局",
                         "area_code": city.area_code, "landline": f"28{n:02d}{m:03d}",
                         "mobile": "", "postcode": county.postcode or f"{city.postcode_prefix}000"})
    found = run("2", rows, coverage=True)
    assert "coverage" not in codes(found)
    assert [f for _, f in found if f.severity == "error"] == []


def test_a_campaign_can_override_the_division_list() -> None:
    data = dict(campaign.load().raw)
    data["division_overrides"] = {"remove": ["横县"]}
    changed = campaign._parse(data)
    engine = Engine(changed)
    engine.add_frame(1, "2", coverage=True)
    assert "横县" not in "".join(engine.missing_coverage(1))
    assert "横县" in "".join(_missing_default())


def _missing_default() -> list[str]:
    engine = Engine(campaign.load())
    engine.add_frame(1, "2", coverage=True)
    return engine.missing_coverage(1)


@pytest.mark.parametrize("key,code", [("mobile", "mobile-format"), ("landline", "landline-format")])
def test_a_normalisers_note_replaces_the_format_rule_of_its_cell(key: str, code: str) -> None:
    """Digits Excel rounded away give one finding that says so, not a second about the characters."""
    found = [f for _row, f in run("2", [{**CLEAN_2, key: "1.3978E+10"}]) if f.code == code]
    assert len(found) == 1 and "科学计数法" in found[0].message
