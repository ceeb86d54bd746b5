"""附件8 (社会评价工作有关情况表) as .docx, laid out as the notice draws it.

    填报单位(盖章):<department>
    本单位负责此项工作的联络员 | 姓名及职务 | 张三 办公室主任
                               | 联系电话   | 0771-xxxxxxx
    本单位主要领导情况         | 姓名及职务 | 李四 党组书记、厅长
    注:如党组(委)书记和行政首长不是同一人,请分别填写

When the party secretary and the administrative head are different people, each gets a row of
his own under 本单位主要领导情况. (The .xlsx version is written by forms/sheets/contacts_xlsx.py.)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forms.base.findings import Finding
from forms.documents import docx_writer, pdf_writer
from forms.documents.findings import make
from forms.documents.model import (
    Block,
    Cell,
    Doc,
    PageSpec,
    Para,
    Table,
    TextStyle,
    cell,
    column_width,
    title_paras,
)
from forms.notice.campaign import Campaign

UNIT_LABEL = "填报单位(盖章):"
LIAISON = "本单位负责此项工作的联络员"
LEADERS = "本单位主要领导情况"
NAME_TITLE = "姓名及职务"
PHONE = "联系电话"
NOTE = "注:如党组(委)书记和行政首长不是同一人,请分别填写"
ROW = TextStyle(line=24)
VALUE = TextStyle(align="left", line=24)
UNIT = TextStyle(align="left", before=8, after=8)
NOTE_STYLE = TextStyle(align="left", before=4)


@dataclass(frozen=True)
class Person:
    name: str
    title: str

    def label(self) -> str:
        return f"{self.name.strip()}\u3000{self.title.strip()}".strip("\u3000")


@dataclass(frozen=True)
class ContactsSheet:
    """附件8 of `department`: the liaison with phone, and the principal leaders (one or two)."""

    campaign: Campaign
    department: str
    liaison: Person
    phone: str
    leaders: Sequence[Person]
    page: PageSpec = field(default_factory=PageSpec)

    @property
    def title(self) -> str:
        return self.campaign.title("8")

    def table(self) -> Table:
        label_width, key_width = column_width(7), column_width(5)
        widths = (label_width, key_width, self.page.text_width - label_width - key_width)
        leaders = list(self.leaders) or [Person("", "")]
        rows: list[tuple[Cell, ...]] = [
            (cell(LIAISON, ROW, rowspan=2), cell(NAME_TITLE, ROW), cell(self.liaison.label(), VALUE)),
            (cell(PHONE, ROW), cell(self.phone.strip(), VALUE)),
            (cell(LEADERS, ROW, rowspan=len(leaders)), cell(NAME_TITLE, ROW), cell(leaders[0].label(), VALUE)),
        ]
        rows.extend((cell(NAME_TITLE, ROW), cell(person.label(), VALUE)) for person in leaders[1:])
        return Table(widths, tuple(rows))

    def document(self) -> Doc:
        blocks: list[Block] = [
            *title_paras(self.title, self.page.text_width, suffix="工作有关情况表"),
            Para(f"{UNIT_LABEL}{self.department}", UNIT),
            self.table(),
            Para(NOTE, NOTE_STYLE),
        ]
        return Doc(title=f"{self.title}（{self.department}）", blocks=tuple(blocks), page=self.page)

    def findings(self) -> list[Finding]:
        """Empty entries, as `required` findings on form 8 naming what is missing."""
        missing = [
            ("联络员姓名", self.liaison.name), ("联络员职务", self.liaison.title), (PHONE, self.phone),
            ("主要领导姓名", self.leaders[0].name if self.leaders else ""),
            ("主要领导职务", self.leaders[0].title if self.leaders else ""),
        ]
        return [make("required", "8", column=column) for column, value in missing if not value.strip()]

    def write_docx(self, path: str | os.PathLike[str]) -> Path:
        return docx_writer.save(self.document(), path)

    def write_pdf(self, path: str | os.PathLike[str]) -> tuple[Path, int]:
        return pdf_writer.save(self.document(), path)

