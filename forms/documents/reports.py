"""整改情况报告 and 年度绩效情况报告: a title, headings and paragraphs, in the type of the forms.

Both are due by 12-10 for publication. The text comes from the window's editors or from a Word/
text file (see importer); this module only sets it: 小二 宋体 bold title, 黑体 headings numbered
一、二、… where the clerk did not number them, 仿宋_GB2312 小四 body with a 2-character indent,
the department and date right-aligned at the end.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forms.documents import docx_writer, pdf_writer
from forms.documents.model import (
    BODY_FANG,
    HEADING,
    Block,
    Doc,
    PageSpec,
    Para,
    TextStyle,
    paras,
    title_paras,
)
from forms.notice.campaign import Campaign

KINDS = {
    "rectification": "{department}关于{previous}年度绩效考评存在问题整改情况的报告",
    "performance": "{department}{year}年度绩效情况报告",
}
NUMERALS = "一二三四五六七八九十"
NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])")
SIGNATURE = TextStyle(font="fang", align="right", before=16)


@dataclass(frozen=True)
class Section:
    """A heading and the text under it (paragraphs separated by line breaks)."""

    heading: str
    text: str


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for a report's headings)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def numbered(heading: str, n: int) -> str:
    """The heading as typed when already numbered, else with “一、”, “二、” … in front."""
    heading = heading.strip()
    return heading if NUMBERED.match(heading) else f"{chinese_number(n)}、{heading}"


@dataclass(frozen=True)
class Report:
    """A report of kind "rectification" (整改情况报告) or "performance" (年度绩效情况报告)."""

    campaign: Campaign
    kind: str
    department: str
    sections: Sequence[Section] = ()
    preamble: str = ""
    title_text: str = ""
    date: str = ""
    page: PageSpec = field(default_factory=PageSpec)

    @property
    def title(self) -> str:
        if self.title_text.strip():
            return self.title_text.strip()
        year = self.campaign.year
        return KINDS[self.kind].format(department=self.department, year=year, previous=year - 1)

    def section_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for n, section in enumerate((s for s in self.sections if s.heading.strip()), start=1):
            blocks.append(Para(numbered(section.heading, n), HEADING))
            blocks.extend(paras(section.text, BODY_FANG))
        return blocks

    def document(self) -> Doc:
        blocks: list[Block] = [*title_paras(self.title, self.page.text_width)]
        blocks.extend(paras(self.preamble, BODY_FANG))
        blocks.extend(self.section_blocks())
        blocks.append(Para(self.department, SIGNATURE))
        if self.date:
            blocks.append(Para(self.date, SIGNATURE.but(before=0)))
        return Doc(title=self.title, blocks=tuple(blocks), page=self.page)

    def is_empty(self) -> bool:
        return not self.preamble.strip() and not any(s.text.strip() for s in self.sections)

    def write_docx(self, path: str | os.PathLike[str]) -> Path:
        return docx_writer.save(self.document(), path)

    def write_pdf(self, path: str | os.PathLike[str]) -> tuple[Path, int]:
        return pdf_writer.save(self.document(), path)
