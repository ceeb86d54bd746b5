"""A 序号 typed as ① or ² (isdigit() says yes, int() says no) ended `check` in a traceback; one carrying a BOM
or a zero-width space (a CSV joined from two files, a paste from chat) was "不是数字" for a reason the clerk
cannot see. 序号 is read as the other numbers are: half-width, invisible characters dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.files import HEADER, main_py

PEOPLE = ["张三,男,南宁市民族大道1号,科长,0771,2811111,13877112345,", "李四,女,南宁市民族大道2号,科长,0771,2811112,13877112346,",
          "王五,男,南宁市民族大道3号,科长,0771,2811113,13877112347,"]


@pytest.mark.parametrize("serials", [("①", "②", "③"), ("1", "²", "3"), ("1", "\ufeff2", "3\u200b"), ("１", "２", "３")])
def test_a_serial_typed_oddly_is_a_number_or_a_finding_never_a_traceback(tmp_path: Path,
                                                                          serials: tuple[str, str, str]) -> None:
    path = tmp_path / "附件3.csv"
    lines = [",".join(HEADER)] + [f"{serial},{person}" for serial, person in zip(serials, PEOPLE, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = main_py("check", str(path), "--form", "3", "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert [f for f in json.loads(result.stdout) if f["code"] == "serial"] == []
