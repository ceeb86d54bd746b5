"""整改情况报告 and 年度绩效情况报告, set as a Chinese official document (GB/T 9704 in spirit).

Both are due by 12-10 for publication. The text comes from the window's editor (Markdown, read by
forms.documents.markdown) or from a Word/text file (forms.documents.importer); this module sets it:
小二 bold title, the salutation flush left, 黑体 headings numbered 一、二、… and 小标题 numbered
（一）（二）… within their heading (where the clerk did not number them), 仿宋_GB2312 小四 body with
a 2-character indent and its bold runs, then the 落款 (the department) and the 成文日期 flush right.
A closing line that is the department or a date is the 落款, never a body paragraph.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forms.documents import docx_writer, pdf_writer
from forms.documents.markdown import Piece
from forms.documents.model import (
    BODY_FANG,
    HEADING,
    Block,
    Doc,
    PageSpec,
    Para,
    Span,
    TextStyle,
    rich,
    title_paras,
)
from forms.notice.campaign import Campaign

KINDS = {
    "rectification": "{department}关于{previous}年度绩效考评存在问题整改情况的报告",
    "performance": "{department}{year}年度绩效情况报告",
}
NUMERALS = "一二三四五六七八九十"
NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])")
SUBHEADING = BODY_FANG.but(bold=True, keep_next=True)
SALUTATION = BODY_FANG.but(indent_chars=0, align="left")
SIGNATURE = TextStyle(font="fang", align="right", before=32)
DATE_LINE = SIGNATURE.but(before=0)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_PART = r"(\d{1,4}|[〇零○Ｏ一二三四五六七八九十]{1,4})"
DATE = re.compile(rf"^\s*{_PART}\s*年\s*{_PART}\s*月\s*{_PART}\s*日\s*$")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for a report's headings)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def numbered(heading: str, n: int, sub: bool = False) -> str:
    """The heading as typed when already numbered, else with “一、” (“（一）” for a 小标题) in front."""
    heading = heading.strip()
    if NUMBERED.match(heading):
        return heading
    return f"（{chinese_number(n)}）{heading}" if sub else f"{chinese_number(n)}、{heading}"


def date_text(date: dt.date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, no leading zeros (2015年12月8日)."""
    return f"{date.year}年{date.month}月{date.day}日"


def _number(part: str) -> int:
    if part.isdigit():
        return int(part)
    if "十" in part:  # 十二, 二十, 二十一
        tens, _ten, ones = part.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS.get(c, 0)) for c in part))


def parse_date(text: str) -> dt.date | None:
    """A closing date line (2015年12月8日, 二〇一五年十二月八日) as a date; None when it is not one."""
    found = DATE.match(text)
    if not found:
        return None
    try:
        return dt.date(*(_number(part) for part in found.groups()))
    except ValueError:
        return None


@dataclass(frozen=True)
class Section:
    """A heading and the text under it (paragraphs separated by line breaks), as the importer finds them."""

    heading: str
    text: str


def pieces_of(sections: Sequence[Section], preamble: str = "") -> list[Piece]:
    """Body pieces from a preamble and (heading, text) sections, one paragraph per non-blank line."""
    def lines(text: str) -> list[Piece]:
        return [Piece("text", ((line.strip(), False),)) for line in text.splitlines() if line.strip()]
    out = lines(preamble)
    for section in sections:
        if section.heading.strip():
            out.append(Piece("heading", ((section.heading.strip(), False),)))
        out.extend(lines(section.text))
    return out


def closing(body: Sequence[Piece], department: str) -> tuple[list[Piece], dt.date | None]:
    """The body without its closing lines (the department, a date), and the date found there."""
    rest, found = list(body), None
    while rest and rest[-1].level == "text":
        text = rest[-1].text.strip()
        date = parse_date(text)
        if date is None and text != department.strip():
            break
        found = found or date
        rest.pop()
    return rest, found


def is_salutation(piece: Piece) -> bool:
    """“自治区绩效考评办：” — a short first line addressed to the office, ending with a colon."""
    text = piece.text.strip()
    return piece.level == "text" and text.endswith(("：", ":")) and len(text) <= 40


def _stripped(spans: Sequence[Span]) -> tuple[Span, ...]:
    """The runs without the typist's blanks at the paragraph's two ends (the style indents it)."""
    runs = [list(span) for span in spans]
    if runs:
        runs[0][0] = str(runs[0][0]).lstrip(" \t\u3000")
        runs[-1][0] = str(runs[-1][0]).rstrip(" \t\u3000")
    return tuple((str(text), bool(bold)) for text, bold in runs)


@dataclass(frozen=True)
class Report:
    """A report of kind "rectification" (整改情况报告) or "performance" (年度绩效情况报告): its body
    pieces, its title (the kind's own title unless one is given) and its 成文日期."""

    campaign: Campaign
    kind: str
    department: str
    body: Sequence[Piece] = ()
    title_text: str = ""
    date: dt.date | None = None
    page: PageSpec = field(default_factory=PageSpec)

    @property
    def title(self) -> str:
        if self.title_text.strip():
            return self.title_text.strip()
        year = self.campaign.year
        return KINDS[self.kind].format(department=self.department, year=year, previous=year - 1)

    def body_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        headings = subheadings = 0
        for index, piece in enumerate(self.body):
            if piece.level == "heading":
                headings, subheadings = headings + 1, 0
                blocks.append(Para(numbered(piece.text, headings), HEADING))
            elif piece.level == "subheading":
                subheadings += 1
                blocks.append(Para(numbered(piece.text, subheadings, sub=True), SUBHEADING))
            elif index == 0 and is_salutation(piece):
                blocks.append(rich(piece.spans, SALUTATION))
            else:
                blocks.append(rich(_stripped(piece.spans), BODY_FANG))
        return blocks

    def document(self) -> Doc:
        blocks: list[Block] = [*title_paras(self.title, self.page.text_width), *self.body_blocks()]
        blocks.append(Para(self.department, SIGNATURE))
        if self.date is not None:
            blocks.append(Para(date_text(self.date), DATE_LINE))
        return Doc(title=self.title, blocks=tuple(blocks), page=self.page)

    def is_empty(self) -> bool:
        return not any(piece.level == "text" and piece.text.strip() for piece in self.body)

    def write_docx(self, path: str | os.PathLike[str]) -> Path:
        return docx_writer.save(self.document(), path)

    def write_pdf(self, path: str | os.PathLike[str]) -> tuple[Path, int]:
        return pdf_writer.save(self.document(), path)
