"""Issue 13 item 1: a stray cell far from the list is a `layout` warning naming it, never an abort or GBs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.files import frame, main_py, patch_sheet, with_cell


@pytest.mark.parametrize("ref", ["XFD1048576", "XFD20000", "I1048576", "AAA5"])
def test_stray_cell_is_named_and_the_list_still_checked(tmp_path: Path, ref: str) -> None:
    path = with_cell(frame(tmp_path / "附件3.xlsx", rows=3), ref)
    result = main_py("check", str(path), "--json", "--category", "监督与执法类")
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    found = json.loads(result.stdout)
    stray = [f for f in found if f["code"] == "layout" and ref in f["message"]]
    assert len(stray) == 1 and stray[0]["severity"] == "warning", found
    assert "删除" in stray[0]["message"]
    assert [f["row"] for f in found if f["code"] == "below-minimum"] == [None]  # the 3 rows were read


def _findings(path: Path) -> list[dict[str, object]]:
    result = main_py("check", str(path), "--json", "--form", "3")  # a child: an abort fails, not kills, the run
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    return [{**{k: v for k, v in f.items() if k != "file"}, "message": str(f["message"]).replace(str(path), "")}
            for f in json.loads(result.stdout)]


def test_stray_cell_leaves_the_rows_as_they_were(tmp_path: Path) -> None:
    before = _findings(frame(tmp_path / "a.xlsx", rows=5))
    after = _findings(with_cell(frame(tmp_path / "b.xlsx", rows=5), "XFD1048576"))
    assert [f for f in after if "XFD1048576" not in str(f["message"])] == before and len(after) == len(before) + 1


def test_a_stray_number_cell_is_named_too(tmp_path: Path) -> None:
    path = with_cell(frame(tmp_path / "附件3.xlsx", rows=2), "XFD1048576", xml="<v>1</v>", kind="")
    assert any("XFD1048576" in str(f["message"]) for f in _findings(path))


def test_a_sheet_beyond_any_real_frame_is_refused_plainly(tmp_path: Path) -> None:
    path = frame(tmp_path / "大表.xlsx", rows=2)
    rows = "".join(f'<row r="{n}"><c r="B{n}" t="inlineStr"><is><t>x</t></is></c></row>'
                   for n in range(3, 200_200, 1))
    patch_sheet(path, lambda data: data.replace(b"</sheetData>", rows.encode() + b"</sheetData>"))
    result = main_py("check", str(path))
    assert result.returncode == 2, result.stderr[-2000:]
    assert "大表.xlsx" in result.stderr and "行" in result.stderr and "Traceback" not in result.stderr
