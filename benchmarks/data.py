"""Realistic 50 000-row frames for the benchmarks: unique-ish names, units across Guangxi, varied mobiles."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from forms.checks import geo
from forms.checks.duplicates import COMPARED
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


# Hostile but valid 附件3 frames (issue 13): every row passes every row rule, and one value is shared, or
# every text is as long as a cell allows. What `check` must survive under 1.5 GB, in bench_memory.
HOSTILE_CASES = ("realistic", "same-phone", "same-name", "same-long-unit", "long-unit-same-phone",
                 "namesakes-at-limit", "long-cells", "longest-cells")
CELL_LIMIT = 32767  # the most characters one cell holds (a longer text is a `too-long` finding, not valid)


def _nanning_blocks() -> list[str]:
    """Seven-digit mobile blocks the 号段 table places in Nanning: their mobiles carry no leading 0."""
    from forms.checks import phones

    return [block for block in (f"1{a}{b}77{c}{d}" for a in "35" for b in "0123456789" for c in "01" for d in "0123456789")
            if phones.export_prefix(block) == "" and phones._table_decision(block).place]


def iter_hostile_rows(count: int, case: str) -> Iterator[list[object]]:
    """附件3 rows without a finding of their own: distinct names, mobiles and office phones, Nanning units,
    except for what `case` makes shared or long."""
    blocks, rng = _nanning_blocks(), random.Random(count)
    long_unit = "南宁市青秀区民族大道100号" + "某" * (520 - 14)
    longest = "南宁市青秀区民族大道100号" + "长" * (CELL_LIMIT - 14)
    for n in range(count):
        name = SURNAMES[n % 100] + GIVEN[n // 100 % 50] + GIVEN[n // 5000 % 50] + GIVEN[n // 250000 % 50] * (n >= 250000)
        unit: str = f"南宁市青秀区民族大道{n + 1}号某某局"
        title, remark, landline = "科长", "", str(2000000 + n)
        if case in ("same-phone", "long-unit-same-phone"):
            landline = "2811111"
        if case == "same-name":
            name = "张伟"
        if case == "namesakes-at-limit":  # the most pairs the search keeps: each COMPARED rows one name and phone
            group = n // COMPARED
            name, landline = SURNAMES[group % 100] + GIVEN[group // 100 % 50] + "伟", str(2000000 + group)
        if case == "same-long-unit":
            unit = long_unit
        if case == "long-unit-same-phone":
            unit = _text(rng, 520, f"南宁市青秀区民族大道{n + 1}号")
        if case == "long-cells":  # distinct text as long as the zip checks let 50 000 rows be (400 MiB of XML)
            name, unit, title, remark = name + "·" * (20 - len(name)), _text(rng, 800, unit), _text(rng, 800), _text(rng, 800)
        if case == "longest-cells":  # one text as long as a cell holds, in every row (a shared string)
            name, unit, title, remark = name + "·" * (20 - len(name)), longest, longest[1:], longest[2:]
        mobile = blocks[n // 10000 % len(blocks)] + f"{n % 10000:04d}"
        yield [n + 1, name, "男女"[n % 2], unit, title, "0771", landline, mobile, remark]


def _text(rng: random.Random, length: int, start: str = "") -> str:
    """`length` characters of CJK text that does not compress (as real text barely does, past a point)."""
    return start + "".join(map(chr, rng.choices(range(0x4E00, 0x9FA5), k=length - len(start))))


def write_hostile_xlsx(path: Path, count: int, case: str) -> Path:
    """The frame of `case`, every text a shared string as Excel writes one (a text repeated in 50 000 rows is
    stored once, so the longest cells pass the zip checks and reach the program)."""
    rows: list[list[object]] = [["2015年度自治区交通运输厅某某工作评价抽样框"], list(FRAME_FORMS["3"].headers),
                                *iter_hostile_rows(count, case)]
    return write_shared_strings(path, rows)


def write_shared_strings(path: Path, rows: Iterable[list[object]]) -> Path:
    """A minimal .xlsx (one sheet, texts in the shared-string table), written fast with no library."""
    strings: dict[str, int] = {}
    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main"><sheetData>')
    for number, row in enumerate(rows, 1):
        cells = "".join(f'<c t="s"><v>{strings.setdefault(value, len(strings))}</v></c>' if isinstance(value, str)
                        else f"<c><v>{value}</v></c>" for value in row)
        sheet.write(f'<row r="{number}">{cells}</row>')
    sheet.write("</sheetData></worksheet>")
    shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.'
        'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_RELS}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="附件3" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_RELS}">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{shared}</sst>',
        "xl/worksheets/sheet1.xml": sheet.getvalue(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text.encode())
    return path


_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
