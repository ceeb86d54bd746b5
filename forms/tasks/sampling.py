"""The survey's sample: a reproducible draw from the merged frames, written as the survey team's call list.

How the draw goes (the same seed and the same frames always give the same list):

1. Each department's rows of each form are one frame; each frame is drawn on its own, `n` people
   (all of them when the frame has no more than `n`).
2. Within a frame, the rows are grouped by city (市): the city the unit's address names, else the city of
   the landline's area code when it names one city only, else the city of the mobile's number block, else
   “未能确定”. This is the stratification the frame's coverage allows: a frame of one city is one stratum.
3. The `n` places are shared among the cities in proportion to their rows, by largest remainder
   (Hamilton): each city gets the whole part of its share, the places left go to the largest remainders
   (ties: the larger city, then the city's name). So every city with enough rows is in the sample.
4. In each city, `k` rows are drawn without replacement by Python's `random.Random` seeded with the text
   ``"<seed>|<department>|<form>|<city>"`` (a text seed is hashed with SHA-512: the same on every machine
   and Python version 3.2 or later), so changing one department's frame does not change another's draw.

The seed is written on the call list (its title line and its 抽样说明 sheet), so the office can show how
the list was drawn and anyone can draw it again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from forms.checks import geo, phones
from forms.notice.attachments import Column
from forms.notice.campaign import Campaign
from forms.sheets import excel_out
from forms.tasks.intake_merge import DEPARTMENT, MergedRow

UNKNOWN_CITY = "未能确定"
CALL_LIST_NAME = "抽样名单.xlsx"


@dataclass(frozen=True)
class Stratum:
    """One city of one department's frame: how many rows it has and how many were drawn."""

    department: str
    form: str
    city: str
    size: int
    drawn: int


@dataclass(frozen=True)
class Sample:
    seed: str
    per_frame: int
    picked: list[tuple[MergedRow, str]]  # each drawn row with its city, in call-list order
    strata: list[Stratum]


def city_of(values: Mapping[str, str]) -> str:
    """The city a row is counted in (see the module's docstring, step 2)."""
    place = geo.locate(values.get("unit", ""))
    if place is not None and place.city is not None:
        return place.city.name
    area = values.get("area_code", "")
    cities = geo.city_of_area_code(area) if area else ()
    if len(cities) == 1:
        return cities[0].name
    mobile = phones.without_zero(values.get("mobile", ""))
    if len(mobile) == 11 and mobile.isdigit():
        where = phones.block_place(mobile[:7])  # the 号段 table's 广西柳州: a Guangxi city by its short name
        named = [c.name for c in geo.cities() if where == "广西" + c.short]
        if len(named) == 1:
            return named[0]
    return UNKNOWN_CITY


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """`n` places shared among strata in proportion to their sizes, by largest remainder; never more than
    a stratum holds (all of every stratum when `n` reaches the total)."""
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    if n <= 0:
        return dict.fromkeys(sizes, 0)
    shares = {key: size * n / total for key, size in sizes.items()}
    given = {key: int(share) for key, share in shares.items()}
    order = sorted(sizes, key=lambda k: (-(shares[k] - given[k]), -sizes[k], k))
    for key in order[: n - sum(given.values())]:
        given[key] += 1
    return given


def draw(merged: Mapping[str, Sequence[MergedRow]], per_frame: int, seed: str | int) -> Sample:
    """Draw `per_frame` people from each department's frame of each form, stratified by city."""
    seed = str(seed)
    frames: dict[tuple[str, str], list[MergedRow]] = defaultdict(list)
    for rows in merged.values():
        for row in rows:
            frames[(row.department, row.form)].append(row)
    picked: list[tuple[MergedRow, str]] = []
    strata: list[Stratum] = []
    for (department, form), rows in frames.items():
        by_city: dict[str, list[MergedRow]] = defaultdict(list)
        for row in rows:
            by_city[city_of(row.values)].append(row)
        counts = allocate({city: len(group) for city, group in by_city.items()}, per_frame)
        for city in sorted(by_city):
            group, k = by_city[city], counts[city]
            chosen = random.Random(f"{seed}|{department}|{form}|{city}").sample(range(len(group)), k)
            picked += [(group[i], city) for i in sorted(chosen)]
            strata.append(Stratum(department, form, city, len(group), k))
    return Sample(seed, per_frame, picked, strata)


# ------------------------------------------------------------------------------------------- writing

_CALL_COLUMNS = (
    Column("serial", "序号", (), "serial", width=6),
    DEPARTMENT,
    Column("form", "附件", (), "text", width=6),
    Column("merged", "汇总表序号", (), "text", width=8),
    Column("city", "市", (), "text", width=8),
    Column("name", "姓名", (), "text", width=10),
    Column("gender", "性别", (), "text", width=6),
    Column("unit", "单位", (), "text", width=30),
    Column("title", "职务", (), "text", width=14),
    Column("area_code", "区号", (), "text", width=7, text=True),
    Column("landline", "办公电话", (), "text", width=12, text=True),
    Column("mobile", "手机号码", (), "text", width=14, text=True),
    Column("outcome", "拨打情况", (), "text", width=16),
)
_STRATA_COLUMNS = (
    Column("serial", "序号", (), "serial", width=6),
    DEPARTMENT,
    Column("form", "附件", (), "text", width=6),
    Column("city", "市", (), "text", width=10),
    Column("size", "抽样框人数", (), "text", width=10),
    Column("drawn", "抽中人数", (), "text", width=10),
)
_KEYS = ("name", "gender", "unit", "title", "area_code", "landline", "mobile")


def write_call_list(out_dir: Path, campaign: Campaign, sample: Sample, today: dt.date | None = None) -> Path:
    """`抽样名单.xlsx`: the drawn people, one row each, with a blank 拨打情况 column; the seed and the
    strata (rows per city, drawn per city) on a second sheet."""
    rows = [{"department": row.department, "form": f"附件{row.form}", "merged": str(row.serial), "city": city,
             **{key: row.values.get(key, "") for key in _KEYS}} for row, city in sample.picked]
    strata = [{"department": s.department, "form": f"附件{s.form}", "city": s.city, "size": str(s.size),
               "drawn": str(s.drawn)} for s in sample.strata]
    line = (f"抽样种子:{sample.seed}  每个单位每个抽样框抽{sample.per_frame}人（按市分层）",
            f"抽样时间:{excel_out.chinese_date(today)}")
    sheets = [
        excel_out.SheetSpec("抽样名单", f"{campaign.year}年度社会评价电话调查抽样名单", _CALL_COLUMNS, rows, line),
        excel_out.SheetSpec("抽样说明", f"抽样说明（种子 {sample.seed}，同一种子、同一批抽样框抽出同一名单）",
                            _STRATA_COLUMNS, strata, line),
    ]
    return excel_out.export_sheets(Path(out_dir) / CALL_LIST_NAME, sheets)
