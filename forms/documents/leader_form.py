"""附件9/10/11: the leader evaluation form (领导评价表) with the department's performance analysis.

The layout follows the notice: the attachment's title, `评价对象:<department>`, the 5-level table
(评价等级 | 评价标准 | 分值 | 您的评价分, standards verbatim from the campaign data, an empty score
column), the note, then `<department><year>年度绩效分析` with its three sections as a one-column
table (section name row, text row), the way the notice draws it.

The title carries no "(式样)": in the notice that word marks the attachment as a specimen of the
format (and 附件10's body omits it); the form the department fills, stamps and hands in is the
form itself.

Limits, both measured: at most 1400 字 of analysis, counted as Word counts 字数; at most 2 A4 pages
(printed on both sides) as laid out, counted on our own PDF of the very same document.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from forms.base.findings import Finding
from forms.checks.textcount import count_chars
from forms.documents import docx_writer, pdf_writer
from forms.documents.findings import make
from forms.documents.model import (
    BODY_FANG,
    CELL,
    CELL_LEFT,
    Block,
    Cell,
    Doc,
    PageSpec,
    Para,
    Table,
    TextStyle,
    cell,
    column_width,
    paras,
    title_paras,
)
from forms.notice.campaign import Campaign

TARGET_LABEL = "评价对象:"
HEADER = ("评价等级", "评价标准", "分值", "您的评价分")
TARGET = TextStyle(align="left", after=4)
NOTE = TextStyle(align="left", before=2, after=8)
HEADER_CELL = CELL.but(bold=True)
SECTION_CELL = TextStyle(font="hei", align="left")
ANALYSIS_TITLE = CELL.but(bold=True, size=14, line=24)


def scale_table(campaign: Campaign, width: float) -> Table:
    """The 5-level table exactly as the notice gives it."""
    narrow = column_width(2)
    score_column = column_width(5)
    widths = (narrow, width - 2 * narrow - score_column, narrow, score_column)
    header = tuple(cell(text, HEADER_CELL) for text in HEADER)
    rows = tuple(
        (cell(level["level"]), cell(level["standard"], CELL_LEFT), cell(str(level["score"])), cell(""))
        for level in campaign.leader_scale
    )
    return Table(widths, (header, *rows))


@dataclass(frozen=True)
class LeaderForm:
    """The leader evaluation form of a department of kind `kind` ("gov", "party", "pub"), with the
    analysis texts by section name (重点工作任务完成情况, 工作创新和亮点, 工作难点和薄弱环节)."""

    campaign: Campaign
    kind: str
    department: str
    sections: Mapping[str, str] = field(default_factory=dict)
    page: PageSpec = field(default_factory=PageSpec)

    @property
    def form(self) -> str:
        return self.campaign.kind(self.kind).leader_form

    @property
    def title(self) -> str:
        return self.campaign.title(self.form)

    @property
    def analysis_title(self) -> str:
        return f"{self.department}{self.campaign.year}年度绩效分析"

    @property
    def section_names(self) -> tuple[str, ...]:
        return tuple(self.campaign.rules["analysis_sections"])

    @property
    def limit_chars(self) -> int:
        return int(self.campaign.rules["analysis_max_chars"])

    @property
    def limit_pages(self) -> int:
        return int(self.campaign.rules["analysis_max_pages"])

    def text(self, section: str) -> str:
        return self.sections.get(section, "").strip()

    def char_count(self) -> int:
        """字数 of the analysis (the three sections' texts), as Word counts it."""
        return sum(count_chars(self.text(name)) for name in self.section_names)

    def analysis_table(self) -> Table:
        rows: list[tuple[Cell, ...]] = [(cell(self.analysis_title, ANALYSIS_TITLE),)]
        for name in self.section_names:
            rows.append((cell(name, SECTION_CELL),))
            body = paras(self.text(name), BODY_FANG) or (Para("", BODY_FANG),)
            rows.append((Cell(body, valign="top"),))
        return Table((self.page.text_width,), tuple(rows))

    def document(self) -> Doc:
        width = self.page.text_width
        blocks: list[Block] = [
            *title_paras(self.title, width, suffix="领导评价表"),
            Para(f"{TARGET_LABEL}{self.department}", TARGET),
            scale_table(self.campaign, width),
            Para(self.campaign.leader_form_note, NOTE),
            self.analysis_table(),
        ]
        return Doc(title=f"{self.title}（{self.department}）", blocks=tuple(blocks), page=self.page)

    def page_count(self) -> int:
        """Pages of the form laid out on A4, measured on our own PDF of it."""
        return pdf_writer.page_count(self.document())

    def findings(self) -> list[Finding]:
        """What stops the form from going out: an empty section, too many 字, too many pages."""
        out = [make("analysis-empty", self.form, section=name) for name in self.section_names if not self.text(name)]
        count = self.char_count()
        if count > self.limit_chars:
            out.append(make("analysis-length", self.form, count=count, limit=self.limit_chars,
                            excess=count - self.limit_chars))
        pages = self.page_count()
        if pages > self.limit_pages:
            out.append(make("analysis-pages", self.form, pages=pages, limit=self.limit_pages))
        return out

    def write_docx(self, path: str | os.PathLike[str]) -> Path:
        return docx_writer.save(self.document(), path)

    def write_pdf(self, path: str | os.PathLike[str]) -> tuple[Path, int]:
        """Write the PDF of the form; returns the path and its number of pages."""
        return pdf_writer.save(self.document(), path)


def for_form(campaign: Campaign, form: str, department: str, sections: Mapping[str, str]) -> LeaderForm:
    """The leader form by its attachment number ("9", "10", "11")."""
    kind = campaign.kind_of_form(form)
    if kind is None or campaign.kind(kind).leader_form != form:
        raise ValueError(f"附件{form}不是领导评价表")
    return LeaderForm(campaign, kind, department, sections)
