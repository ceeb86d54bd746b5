"""Guangxi reference data and address recognition (forms/checks/geo.py, forms/checks/data/guangxi.json)."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.checks import geo

CITY_TABLE = [  # code, name, short, area code, postcode prefix
    ("450100", "南宁市", "南宁", "0771", "530"), ("450200", "柳州市", "柳州", "0772", "545"),
    ("450300", "桂林市", "桂林", "0773", "541"), ("450400", "梧州市", "梧州", "0774", "543"),
    ("450500", "北海市", "北海", "0779", "536"), ("450600", "防城港市", "防城港", "0770", "538"),
    ("450700", "钦州市", "钦州", "0777", "535"), ("450800", "贵港市", "贵港", "0775", "537"),
    ("450900", "玉林市", "玉林", "0775", "537"), ("451000", "百色市", "百色", "0776", "533"),
    ("451100", "贺州市", "贺州", "0774", "542"), ("451200", "河池市", "河池", "0778", "547"),
    ("451300", "来宾市", "来宾", "0772", "546"), ("451400", "崇左市", "崇左", "0771", "532"),
]


def names(year: int) -> set[str]:
    return {u.name for u in geo.counties(year)}


def where(text: str, year: int = 2015) -> tuple[str | None, str | None] | None:
    loc = geo.locate(text, year)
    if loc is None:
        return None
    return (loc.city.name if loc.city else None, loc.county.name if loc.county else None)


# ---- cities and units ------------------------------------------------------------------------------------

def test_fourteen_cities_in_gb_order() -> None:
    assert [(c.code, c.name, c.short, c.area_code, c.postcode_prefix) for c in geo.cities()] == CITY_TABLE


@pytest.mark.parametrize(("year", "count"), [(2012, 110), (2013, 111), (2015, 111), (2016, 111),
                                             (2018, 111), (2019, 111), (2021, 111), (2025, 111)])
def test_county_count_per_year(year: int, count: int) -> None:
    units = geo.counties(year)
    assert len(units) == count
    assert len({u.code for u in units}) == count and len({u.name for u in units}) == count
    assert [u.code for u in units] == sorted(u.code for u in units)


def test_2015_kinds_and_coverage() -> None:
    assert Counter(u.kind for u in geo.counties(2015)) == {"市辖区": 37, "县": 53, "自治县": 12, "县级市": 8,
                                                           "管理区": 1}
    cover = geo.coverage_units(2015)
    assert list(cover) == list(geo.cities())
    assert sum(len(v) for v in cover.values()) == 111
    nanning = [u.name for u in cover[geo.cities()[0]]]
    assert nanning == ["兴宁区", "青秀区", "江南区", "西乡塘区", "良庆区", "邕宁区", "武鸣区", "隆安县", "马山县",
                       "上林县", "宾阳县", "横县"]
    assert all(units for units in cover.values())


@pytest.mark.parametrize(("year", "present", "absent"), [
    (2012, {"临桂县", "蝶山区", "武鸣县", "靖西县", "平桂管理区"}, {"临桂区", "龙圩区", "福绵区"}),
    (2013, {"临桂区", "龙圩区", "福绵区", "苍梧县", "玉州区", "武鸣县"}, {"临桂县", "蝶山区"}),
    (2014, {"武鸣县", "靖西县"}, {"武鸣区", "靖西市"}),
    (2015, {"武鸣区", "靖西市", "平桂管理区", "柳江县", "宜州市", "荔浦县", "平果县", "田阳县", "横县"},
     {"武鸣县", "靖西县", "平桂区", "柳江区", "宜州区", "荔浦市", "平果市", "田阳区", "横州市"}),
    (2016, {"平桂区", "柳江区", "宜州区", "荔浦县"}, {"平桂管理区", "柳江县", "宜州市"}),
    (2018, {"荔浦市", "平果县", "横县"}, {"荔浦县"}),
    (2019, {"平果市", "田阳区", "横县"}, {"平果县", "田阳县"}),
    (2021, {"横州市", "平桂区", "荔浦市", "平果市"}, {"横县", "平桂管理区"}),
])
def test_names_in_force_per_year(year: int, present: set[str], absent: set[str]) -> None:
    assert present <= names(year)
    assert not absent & names(year)


@pytest.mark.parametrize(("old", "new", "old_code", "new_code", "year"), [
    ("临桂县", "临桂区", "450322", "450312", 2013), ("武鸣县", "武鸣区", "450122", "450110", 2015),
    ("靖西县", "靖西市", "451025", "451081", 2015), ("平桂管理区", "平桂区", "451119", "451103", 2016),
    ("柳江县", "柳江区", "450221", "450206", 2016), ("宜州市", "宜州区", "451281", "451203", 2016),
    ("荔浦县", "荔浦市", "450331", "450381", 2018), ("平果县", "平果市", "451023", "451082", 2019),
    ("田阳县", "田阳区", "451021", "451003", 2019), ("横县", "横州市", "450127", "450181", 2021),
])
def test_renames(old: str, new: str, old_code: str, new_code: str, year: int) -> None:
    assert geo.Change(year, "rename", old_code, old, new_code, new) in geo.changes()
    assert geo.county_by_code(new_code, year - 1) == geo.county_by_code(old_code)
    assert geo.county_by_code(old_code, year) == geo.county_by_code(new_code)
    assert new in geo.county_by_code(old_code).aliases and old in geo.county_by_code(new_code).aliases


def test_lookups_by_code() -> None:
    assert geo.city_by_code("450100").name == "南宁市"
    assert geo.city_by_code("450100000000").name == "南宁市"
    assert geo.city_by_code("440100") is None
    unit = geo.county_by_code("450103")
    assert (unit.name, unit.short, unit.city_code, unit.kind) == ("青秀区", "青秀", "450100", "市辖区")
    assert geo.county_by_code("451228").short == "都安"
    assert geo.county_by_code("450404", 2015).name == "万秀区"  # 蝶山区 merged into 万秀区 in 2013
    assert geo.county_by_code("450406", 2012).name == "苍梧县"  # 龙圩区 was carved out of 苍梧县
    assert geo.county_by_code("110101") is None


def test_every_unit_is_well_formed() -> None:
    city_codes = {c.code for c in geo.cities()}
    for year in (2012, 2015, 2021):
        for unit in geo.counties(year):
            assert unit.city_code in city_codes and unit.code[:4] == unit.city_code[:4]
            assert len(unit.postcode) == 6 and unit.postcode.isdigit()
            assert unit.name.startswith(unit.short) and unit.name not in unit.aliases
            assert geo.postcode_fits(unit.postcode, geo.Location(geo.city_by_code(unit.city_code), unit))


def test_every_table_has_source_and_vintage() -> None:
    tables = geo.sources()
    assert {"cities", "units", "changes", "postcodes", "postcode_prefixes", "area_codes"} <= set(tables)
    for source, vintage in tables.values():
        assert source.strip() and vintage.strip()


# ---- area codes and postcodes ------------------------------------------------------------------------

@pytest.mark.parametrize(("area_code", "expected"), [
    ("0771", ["南宁市", "崇左市"]), ("0772", ["柳州市", "来宾市"]), ("0773", ["桂林市"]),
    ("0774", ["梧州市", "贺州市"]), ("0775", ["贵港市", "玉林市"]), ("0776", ["百色市"]), ("0777", ["钦州市"]),
    ("0778", ["河池市"]), ("0779", ["北海市"]), ("0770", ["防城港市"]), ("775", ["贵港市", "玉林市"]),
    ("010", []), ("", []),
])
def test_city_of_area_code(area_code: str, expected: list[str]) -> None:
    assert [c.name for c in geo.city_of_area_code(area_code)] == expected


@pytest.mark.parametrize(("postcode", "address", "fits"), [
    ("530022", "南宁市青秀区民族大道100号", True),
    ("530300", "横县横州镇", True),
    ("545000", "南宁市青秀区民族大道100号", False),
    ("532700", "隆安县城厢镇", True),  # 隆安 (南宁) has a 532 code
    ("532700", "南宁市", True),
    ("532700", "南宁市青秀区", False),
    ("546600", "荔浦县荔城镇", True),  # 荔浦 (桂林) has a 546 code
    ("541000", "桂林市荔浦县", True),
    ("546100", "桂林市秀峰区", False),
    ("530700", "河池市都安瑶族自治县", True),
    ("547000", "河池市金城江区", True),
    ("537100", "贵港市港北区", True),
    ("537000", "玉林市", True),
    ("53002", "南宁市青秀区", False),
    ("53002x", "南宁市青秀区", False),
    ("", "南宁市青秀区", False),
])
def test_postcode_fits(postcode: str, address: str, fits: bool) -> None:
    assert geo.postcode_fits(postcode, geo.locate(address)) is fits


def test_postcode_without_location() -> None:
    assert geo.postcode_fits("530022", None)
    assert not geo.postcode_fits("100000", None)
    assert geo.postcode_fits("530022", geo.Location(None, geo.county_by_code("450103")))


# ---- address recognition ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "year", "expected"), [
    ("南宁市青秀区民族大道100号", 2015, ("南宁市", "青秀区")),
    ("青秀区xx路", 2015, ("南宁市", "青秀区")),
    ("广西壮族自治区南宁市西乡塘区大学东路100号", 2015, ("南宁市", "西乡塘区")),
    ("横县xx镇", 2015, ("南宁市", "横县")),
    ("横州市横州镇", 2015, ("南宁市", "横县")),
    ("横县横州镇", 2021, ("南宁市", "横州市")),
    ("南宁xx路", 2015, ("南宁市", None)),
    ("广西柳州市柳南区飞鹅路", 2015, ("柳州市", "柳南区")),
    ("桂林市象山区", 2015, ("桂林市", "象山区")),
    ("宾阳县宾州镇", 2015, ("南宁市", "宾阳县")),
    ("宾阳", 2015, ("南宁市", "宾阳县")),
    ("南宁宾阳", 2015, ("南宁市", "宾阳县")),
    ("武鸣县城厢镇", 2015, ("南宁市", "武鸣区")),
    ("武鸣区", 2014, ("南宁市", "武鸣县")),
    ("柳州市柳江区拉堡镇", 2015, ("柳州市", "柳江县")),
    ("柳州市柳江县拉堡镇", 2016, ("柳州市", "柳江区")),
    ("贺州市平桂区西湾", 2015, ("贺州市", "平桂管理区")),
    ("平桂管理区", 2021, ("贺州市", "平桂区")),
    ("荔浦市", 2015, ("桂林市", "荔浦县")),
    ("平果市", 2015, ("百色市", "平果县")),
    ("靖西县新靖镇", 2015, ("百色市", "靖西市")),
    ("宜州区", 2015, ("河池市", "宜州市")),
    ("临桂县", 2015, ("桂林市", "临桂区")),
    ("梧州市蝶山区", 2015, ("梧州市", "万秀区")),
    ("防城港市防城区", 2015, ("防城港市", "防城区")),
    ("防城港市东兴市", 2015, ("防城港市", "东兴市")),
    ("贵港市港北区", 2015, ("贵港市", "港北区")),
    ("贵港桂平", 2015, ("贵港市", "桂平市")),
    ("玉林市容县", 2015, ("玉林市", "容县")),
    ("梧州市藤县", 2015, ("梧州市", "藤县")),
    ("融水县融水镇", 2015, ("柳州市", "融水苗族自治县")),
    ("巴马", 2015, ("河池市", "巴马瑶族自治县")),
    ("罗城自治县", 2015, ("河池市", "罗城仫佬族自治县")),
    ("凭祥市友谊关", 2015, ("崇左市", "凭祥市")),
    ("来宾市兴宾区", 2015, ("来宾市", "兴宾区")),
    ("资源县", 2015, ("桂林市", "资源县")),
    ("桂林七星区", 2015, ("桂林市", "七星区")),
    ("南宁市柳南区", 2015, ("南宁市", None)),  # the county contradicts the city: keep the city
])
def test_locate(text: str, year: int, expected: tuple[str, str | None]) -> None:
    assert where(text, year) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("长江路88号", None),
    ("民族大道100号", None),
    ("人力资源和社会保障厅", None),  # 资源
    ("安居乐业小区", None),  # 乐业
    ("城中村改造办", None),  # 城中
    ("江南大道", None),  # 江南
    ("七星路", None),
    ("南宁路10号", None),
    ("宾阳路", None),
    ("广西林业局", None),  # 西林
    ("横山路", None),  # never the 1-character 横
    ("北京市西城区", None),
    ("广东省广州市天河区", None),
    ("湖南宁远县", None),
    ("西宁市城中区", None),  # 城中区 is also 柳州's
    ("广州市天河区", None),
    ("", None),
    ("兴业银行南宁分行", ("南宁市", None)),
    ("南宁市七星路", ("南宁市", None)),
    ("桂林象山公园", ("桂林市", None)),
    ("柳州市城中区驻广州市办事处", ("柳州市", "城中区")),
    ("北京路青秀区", ("南宁市", "青秀区")),  # a street named after a province
])
def test_no_false_matches(text: str, expected: tuple[str, str | None] | None) -> None:
    assert where(text) == expected


def test_a_short_name_two_cities_share_is_settled_by_the_city() -> None:
    extra = {"add": [{"code": "450399", "name": "青秀县", "city_code": "450300"}]}
    assert geo.locate("桂林市青秀", overrides=extra).county.name == "青秀县"
    assert geo.locate("南宁市青秀", overrides=extra).county.name == "青秀区"
    assert geo.locate("青秀", overrides=extra) is None
    assert geo.locate("青秀县", overrides=extra).county.name == "青秀县"


def test_overrides() -> None:
    over = {"remove": ["横县"], "rename": {"450110": "武鸣新区"},
            "add": [{"code": "450199", "name": "五象新区", "city_code": "450100", "aliases": ["五象"]}]}
    units = {u.name: u for u in geo.counties(2015, over)}
    assert "横县" not in units and "武鸣区" not in units
    assert units["武鸣新区"].aliases == ("武鸣县", "武鸣区") and units["五象新区"].postcode == "530000"
    assert len(units) == 111
    assert where("横县") == ("南宁市", "横县")
    assert geo.locate("横县横州镇", overrides=over) is None
    assert geo.locate("武鸣县", overrides=over).county.name == "武鸣新区"
    assert geo.locate("五象新区", overrides=over).county.code == "450199"
    assert len(geo.coverage_units(2015, over)[geo.cities()[0]]) == 12
    with pytest.raises(ValueError, match="不在2015年"):
        geo.counties(2015, {"remove": ["横州区"]})


@given(st.text(max_size=40))
def test_locate_never_fails(text: str) -> None:
    loc = geo.locate(text)
    assert loc is None or loc.city is not None


def test_locate_is_fast() -> None:
    units = geo.counties(2015)
    texts = [f"{geo.city_by_code(u.city_code).name}{u.name}民族大道{i}号" for i, u in enumerate(units * 20)]
    raw = geo._locate.__wrapped__  # time the recognition itself, not the cache
    geo.locate("南宁市")
    start = time.perf_counter()
    for text in texts:
        raw(text, 2015, "")
    per_call = (time.perf_counter() - start) / len(texts)
    assert per_call < 100e-6  # about 3 µs here; a wide margin for slow CI machines


def test_locate_all_is_locate_of_each() -> None:
    texts = ["南宁市青秀区民族大道1号", " 横县某乡 ", "", "西宁市城中区", "柳州市", "某某公司", "横州市"]
    for year, overrides in ((2015, None), (2022, None), (2015, {"note": "x"})):
        assert geo.locate_all(texts, year, overrides) == {t: geo.locate(t, year, overrides) for t in texts}
        assert geo.locate_all(texts, year, overrides) == {t: geo.locate(t, year, overrides) for t in texts}  # memo
    geo.forget_places()
    assert geo.locate_all(texts[:3]) == {t: geo.locate(t) for t in texts[:3]}


_PIECES = ("南宁市", "青秀区", "横县", "横州", "宾阳", "柳州市", "城中区", "西宁市", "北京", "人民路", "大道", "路", "号",
           "局", "市", "区", " ", "A", "x", "１２", "0", "7", "100", "٣")


@given(st.lists(st.sampled_from(_PIECES), max_size=8), st.integers(0, 99999))
def test_numbers_in_an_address_do_not_change_its_place(pieces: list[str], number: int) -> None:
    """locate() recognises an address with its digit runs collapsed (one look-up for every house number):
    the answer must be the recognition of the text as typed."""
    text = "".join(pieces).replace("0", str(number))
    assert geo.locate(text) == geo._locate.__wrapped__(text.strip(), 2015, "")
