"""Messy frames as clerks send them, with planted defects whose place is known, written with openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HEADER_3 = ["序号", "姓 名", "性别", "单位", "职务", "区号", "办公电话", "手机", "备注"]
HEADER_2 = ["序号", "姓  名", "性别", "单位（注明具体地址）", "职务", "区号", "办公电话", "手机号码", "邮编"]

# (row values from 序号 on, the code planted there or None for a clean row)
HOT_ROWS: list[tuple[list[object], str | None]] = [
    ([1, "张三", "男性", "南宁市某某公司", "经理", "", "", 13877112345, ""], None),
    ([2, "李四", "M", "柳州市某某厂", "厂长", 772, "2811111", "013978012345", ""], None),
    ([3, "", "女", "南宁市某医院", "护士长", "", "", "13877112346", ""], "required"),
    ([4, "王芳", "未知", "南宁市某学校", "教师", "", "", "13877112347", ""], "gender"),
    ([5, "Wang Fang", "女", "南宁市某学校", "教师", "", "", "13877112348", ""], "name"),
    ([6, "陈明", "男", "南宁市某单位", "科员", "", "", "1387711234", ""], "mobile-format"),
    ([7, "刘强", "男", "南宁市某单位", "科员", "", "", "13978012349", ""], "mobile-prefix"),
    ([8, "赵丽", "女", "南宁市某单位", "科员", "", "28111", "", ""], "landline-format"),
    ([9, "孙伟", "男", "南宁市某单位", "科员", "0123", "2811112", "", ""], "area-code"),
    ([10, "周杰", "男", "南宁市某单位", "科员", "", "", "", ""], "no-phone"),
    ([12, "吴刚", "男", "南宁市某单位", "科员", "", "", "13877112350", ""], "serial"),
    ([13, "郑华", "男", "南宁市另一单位", "科员", "", "", "13877112345", ""], "duplicate-person"),
    ([14, "李四", "男", "柳州市某某厂办公室", "副厂长", "0772", "2811111", "013978012399", ""], "possible-duplicate"),
    ([15, "冯雪", "女", "南宁市某单位", "科员", "", "", "１３８ ７７１１ ２３５１", ""], None),
    ([16, "欧阳·娜娜", "女士", "南宁市某单位", "科员", "", "", "138-7711-2352", ""], None),
]

SYSTEM_ROWS: list[tuple[list[object], str | None]] = [
    ([1, "黄海", "男", "南宁市青秀区民族大道100号 南宁市交通运输局", "局长", "", "2811111", "13877112360", 530022], None),
    ([2, "韦江", "男", "柳州市城中区文昌路1号 柳州市交通运输局", "局长", "0772", "2811112", "013978012361", "545001"], None),
    ([3, "蒙山", "男", "桂林市交通运输局", "局长", "0773", "2811113", "013978012362", "541001"], "address"),
    ([4, "覃河", "男", "柳州市城中区文昌路2号 柳州市某局", "科长", "0772", "2811114", "013978012363", "530022"], "postcode"),
    ([5, "莫林", "男", "梧州市万秀区某路1号 梧州市某局", "科长", "0774", "2811115", "013978012364", ""], "required"),
]


def write_hot(path: Path, department: str = "自治区交通运输厅", item: str = "公路建设") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([f"2015年度自治区{department}{item}工作评价抽样框（政府部门）"])
    ws.merge_cells("A1:I1")
    ws.append([f"报送单位：{department}", None, None, None, None, "报送时间：2015年11月10日"])
    ws.append(HEADER_3)
    ws.append([])
    for values, _code in HOT_ROWS:
        ws.append(values)
    wb.save(path)
    return path


def write_system(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["2015年度自治区人民政府直属行政机构系统市、县两级干部评价抽样框"])
    ws.merge_cells("A1:I1")
    ws.append(["报送单位：自治区交通运输厅"])
    ws.append(HEADER_2)
    for values, _code in SYSTEM_ROWS:
        ws.append(values)
    wb.save(path)
    return path


def planted(rows: list[tuple[list[object], str | None]], first_data_row: int) -> dict[int, str]:
    """Sheet row → planted code."""
    return {first_data_row + i: code for i, (_v, code) in enumerate(rows) if code}
