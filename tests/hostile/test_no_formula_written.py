"""Issue 13 item 5: no cell the program writes, in any .xlsx, is a formula; `= + - @` texts stay text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from forms.notice.campaign import load
from forms.sheets import excel_out, xlsx_rows
from forms.sheets.contacts_xlsx import export_contacts_xlsx

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
LOOKALIKES = ['=HYPERLINK("http://evil.example","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
              "=1+1", "#N/A", "=A1"]


def _cells(path: Path) -> list[tuple[str, str]]:
    """(type attribute, text) of every cell of every sheet, read from the package's XML itself."""
    cells = []
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        shared = [_text(si) for si in etree.fromstring(package.read("xl/sharedStrings.xml")).iter(f"{NS}si")
                  ] if "xl/sharedStrings.xml" in names else []
        for name in (n for n in names if n.startswith("xl/worksheets/")):
            for cell in etree.fromstring(package.read(name)).iter(f"{NS}c"):
                assert cell.find(f"{NS}f") is None, f"a formula was written in {cell.get('r')}"
                kind = cell.get("t", "n")
                value = cell.find(f"{NS}v")
                text = shared[int(value.text)] if kind == "s" and value is not None else _text(cell)
                cells.append((kind, text))
    return cells


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{NS}t"))


def _assert_all_text(path: Path, texts: list[str]) -> None:
    cells = _cells(path)
    for text in texts:
        holders = [kind for kind, cell in cells if text in cell]
        assert holders, text
        assert set(holders) <= {"s", "inlineStr", "str"}, (text, holders)


def test_contacts_table_keeps_a_contact_typed_as_a_formula_as_text(tmp_path: Path) -> None:
    contacts = {"liaison_name": LOOKALIKES[0], "liaison_title": "", "liaison_phone": LOOKALIKES[1],
                "liaison_mobile": LOOKALIKES[2], "secretary_name": LOOKALIKES[3], "secretary_title": "",
                "head_name": LOOKALIKES[4], "head_title": ""}
    path = export_contacts_xlsx(tmp_path, load("2015"), "自治区测试厅", contacts)
    _assert_all_text(path, [LOOKALIKES[0], LOOKALIKES[3], LOOKALIKES[4]])


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("with_notes", [True, False])
def test_frames_keep_formula_lookalikes_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool,
                                                with_notes: bool) -> None:
    monkeypatch.setattr(xlsx_rows, "FAST_ROWS", fast)
    rows = [{"name": "张三", "gender": "男", "unit": text, "title": text, "mobile": "13877112345", "remark": text}
            for text in LOOKALIKES]
    notes = {i: f"说明{i}" for i in range(len(rows))} if with_notes else None
    path = excel_out.export_frame(tmp_path / "附件3.xlsx", load("2015"), "3", LOOKALIKES[0], rows,
                                  item=LOOKALIKES[4], notes=notes)
    _assert_all_text(path, LOOKALIKES)
