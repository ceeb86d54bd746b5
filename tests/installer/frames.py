"""Clean frames as a clerk's spreadsheets (no finding at all), so a workspace built from them can be bundled.

Used by the Chinese-path CLI tests here and by the frozen program's smoke test (installer/smoke.py).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tests.e2e.messy import HEADER_2, HEADER_3

DEPARTMENT = "自治区测试厅"
CATEGORY = "专项事务管理"
HOT_ITEM = "公路建设"


def _person(n: int, first_mobile: int, surname: str) -> list[object]:
    name = surname + chr(0x4E00 + n // 200) + chr(0x4E00 + n % 200)
    return [n + 1, name, "男", f"南宁市青秀区民族大道{n + 1}号 某单位", "科员", "", "", f"1387711{first_mobile + n:04d}"]


def write_system(path: Path, count: int = 20) -> Path:
    """附件2 (the system frame, with postcodes), `count` clean rows."""
    return _write(path, HEADER_2, [[*_person(n, 0, "测"), "530022"] for n in range(count)])


def write_hot(path: Path, count: int = 300) -> Path:
    """附件3 (a hot-topic frame), `count` clean rows: enough for the 专项事务管理 minimum."""
    return _write(path, HEADER_3, [[*_person(n, 100, "试"), ""] for n in range(count)])


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    sheet = wb.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path
