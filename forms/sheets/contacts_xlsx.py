"""Write 附件8 (社会评价工作有关情况表: the liaison and the leaders) as .xlsx, laid out as the notice's table.

The fonts, borders, page set-up and atomic saving are forms.sheets.excel_out's, shared with the frames; the
.docx version of the same table is forms/documents/contacts.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from forms.notice.campaign import Campaign
from forms.sheets.excel_out import (
    BORDER,
    CENTRE,
    FONT,
    LEFT,
    TEXT_FORMAT,
    TITLE_FONT,
    as_text,
    page_set_up,
    save_atomically,
    target_file,
)


def export_contacts_xlsx(path: str | Path, campaign: Campaign, department: str, contacts: Mapping[str, str]) -> Path:
    """Write 附件8 (社会评价工作有关情况表) as the notice lays it out."""
    target = target_file(path, campaign.file_name("8", department))

    def build(wb: Workbook) -> None:
        ws = wb.create_sheet("附件8")
        _contacts_sheet(ws, campaign.title("8"), department, contacts)

    return save_atomically(target, build, write_only=False)


def _leaders(contacts: Mapping[str, str]) -> list[str]:
    """One line per person: the secretary, and the administrative head when another person."""
    secretary = _person(contacts, "secretary")
    head = _person(contacts, "head")
    same = _get(contacts, "head_same_as_secretary").lower() in {"1", "true", "yes", "y", "是"}
    if same or not head or _get(contacts, "head_name") == _get(contacts, "secretary_name"):
        return [secretary]
    return [secretary, head]


def _person(contacts: Mapping[str, str], role: str) -> str:
    """`姓名 职务` of the liaison, the secretary or the head."""
    return " ".join(filter(None, (_get(contacts, f"{role}_name"), _get(contacts, f"{role}_title"))))


def _get(contacts: Mapping[str, str], key: str, label: str = "") -> str:
    value = str(contacts.get(key) or "").strip()
    return f"{label}:{value}" if value and label else value


def _contacts_sheet(ws: Any, title: str, department: str, contacts: Mapping[str, str]) -> None:
    """Columns A (what), B (which detail), C:D (the answer) as the notice's table, then its note."""
    for letter, width in zip("ABCD", (30, 16, 30, 30), strict=True):
        ws.column_dimensions[letter].width = width
    _text(ws, "A1", title, TITLE_FONT, CENTRE, merge="A1:D1")
    # The notice's form has 填报单位(盖章) and no date line: the stamp dates it.
    _text(ws, "A2", f"填报单位(盖章):{department}", FONT, LEFT, merge="A2:D2")
    leaders = _leaders(contacts)
    last = 4 + len(leaders)
    boxes = [("A3", "本单位负责此项工作的联络员", "A3:A4"), ("B3", "姓名及职务", ""),
             ("C3", _person(contacts, "liaison"), "C3:D3"), ("B4", "联系电话", ""),
             ("C4", _get(contacts, "liaison_phone", "办公电话"), ""), ("D4", _get(contacts, "liaison_mobile", "手机"), ""),
             ("A5", "本单位主要领导情况", f"A5:A{last}")]
    for row, leader in enumerate(leaders, 5):
        boxes += [(f"B{row}", "姓名及职务", ""), (f"C{row}", leader, f"C{row}:D{row}")]
    for ref, value, merge in boxes:
        _boxed(ws, ref, value, merge)
    for row in range(1, last + 1):
        ws.row_dimensions[row].height = 48 if row == 1 else 22 if row == 2 else 32
    _text(ws, f"A{last + 1}", "注:如党组(委)书记和行政首长不是同一人,请分别填写", FONT, LEFT,
          merge=f"A{last + 1}:D{last + 1}")
    page_set_up(ws, landscape=False)


def _text(ws: Any, ref: str, value: str, font: Font, align: Alignment, merge: str = "") -> None:
    cell = as_text(ws[ref], value)  # a contact typed as `=HYPERLINK(…)` stays text
    cell.font, cell.alignment = font, align
    if merge:
        ws.merge_cells(merge)


def _boxed(ws: Any, ref: str, value: str, merge: str = "") -> None:
    """A bordered, centred table cell; a merged range gets its border on every cell it covers."""
    cells = ws[merge] if merge else ((ws[ref],),)
    for line in cells:
        for cell in line:
            cell.border = BORDER
    _text(ws, ref, value, FONT, CENTRE, merge)
    ws[ref].number_format = TEXT_FORMAT
