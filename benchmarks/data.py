"""Realistic 50 000-row frames for the benchmarks: unique-ish names, units across Guangxi, varied mobiles."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

from forms.checks import geo
from forms.notice.attachments import FRAME_FORMS

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文海燕宁波斌宇浩凯健俊帆鹏辉力婷雪琳晶颖"


def rows(count: int, seed: int = 7) -> list[list[object]]:
    return list(iter_rows(count, seed))


def iter_rows(count: int, seed: int = 7) -> Iterator[list[object]]:
    """The rows one by one (a million rows as a list would take a gigabyte before the benchmark starts)."""
    rng = random.Random(seed)
    places = [(c, county) for c, counties in geo.coverage_units().items() for county in counties]
    blocks = [f"13{rng.randint(0, 9)}{rng.randint(0, 9999):04d}" for _ in range(3000)]
    for n in range(count):
        city, county = rng.choice(places)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        unit = f"{city.name}{county.name}人民路{rng.randint(1, 300)}号 {county.name}交通运输局"
        mobile = rng.choice(blocks) + f"{rng.randint(0, 9999):04d}"
        landline = str(rng.randint(2000000, 8999999))
        yield [n + 1, name, rng.choice("男女"), unit, "科长", city.area_code, landline, mobile,
               county.postcode or city.postcode_prefix + "000"]


def write_xlsx(path: Path, count: int, form: str = "2") -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("附件" + form)
    ws.append(list(FRAME_FORMS[form].headers))
    for row in iter_rows(count):
        ws.append(row)
    wb.save(path)
    return path
