"""The hot/difficult-work questionnaire (评议问卷): one per work item the office named.

Modelled on the system-cadre questionnaire, as the notice asks: a title naming the department and
the work item, an introduction, then numbered questions, each with its options as tick boxes
(□, the box of the GB2312 set that every Chinese font draws) or with lines for a written opinion.
The office reviews it, so it prints as a clean document; at least 5 questions (campaign rule).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forms.base.findings import Finding, Severity
from forms.documents import docx_writer, pdf_writer
from forms.documents.model import (
    BODY,
    BODY_FANG,
    Block,
    Cell,
    Doc,
    PageSpec,
    Para,
    Table,
    TextStyle,
    title_paras,
)
from forms.notice.campaign import Campaign
from forms.notice.questionnaire import Question, validate

BOX = "□"
INTRO = (
    "您好！为了解社会各界对{department}{item}的评价，听取您的意见和建议，根据自治区绩效考评工作安排，"
    "特开展本次评议。本问卷采用无记名方式，请您根据了解的情况如实填写，在选定的选项前“{box}”内打“√”。"
    "感谢您的支持！"
)
STEM = TextStyle(align="justify", indent_chars=0, keep_next=True)
OPTIONS = TextStyle(font="song", align="left", indent_chars=2, after=4)
OPINION_LINES = 4


def standard_intro(department: str, item: str) -> str:
    return INTRO.format(department=department, item=work_name(item), box=BOX)


def work_name(item: str) -> str:
    """“交通管理” and “交通管理工作” both name “交通管理工作”."""
    return item if item.endswith("工作") else f"{item}工作"


def option_line(options: Sequence[str]) -> str:
    """Options side by side, each after its box, two full-width spaces apart."""
    return "\u3000\u3000".join(f"{BOX}{option}" for option in options)


@dataclass(frozen=True)
class Questionnaire:
    """The questionnaire of `department` on work item `item`."""

    campaign: Campaign
    department: str
    item: str
    questions: Sequence[Question]
    intro: str = ""
    page: PageSpec = field(default_factory=PageSpec)

    @property
    def title(self) -> str:
        return f"{self.campaign.year}年度{self.department}{work_name(self.item)}评议问卷"

    @property
    def minimum(self) -> int:
        return int(self.campaign.rules["questionnaire_min_questions"])

    def introduction(self) -> str:
        """The clerk's own opening paragraph as typed (braces and all), else the standard one filled in."""
        if self.intro.strip():
            return self.intro.strip()
        return standard_intro(self.department, self.item)

    def question_blocks(self, number: int, question: Question) -> list[Block]:
        blocks: list[Block] = [Para(f"{number}. {question.stem.strip()}", STEM)]
        if question.options:
            blocks.append(Para(option_line(question.options), OPTIONS))
        if question.free_text:
            lines = tuple(Para("", BODY) for _ in range(OPINION_LINES))
            blocks.append(Table((self.page.text_width,), ((Cell(lines, valign="top"),),)))
            blocks.append(Para("", BODY.but(line=6)))
        return blocks

    def document(self) -> Doc:
        blocks: list[Block] = [*title_paras(self.title, self.page.text_width, suffix="评议问卷")]
        blocks.append(Para(self.introduction(), BODY_FANG.but(after=8)))
        for number, question in enumerate(self.questions, start=1):
            blocks.extend(self.question_blocks(number, question))
        return Doc(title=self.title, blocks=tuple(blocks), page=self.page)

    def findings(self) -> list[Finding]:
        """What keeps it from going out (fewer than the notice's minimum of questions, empty stems …)."""
        found = validate(self.questions, self.minimum, work_name(self.item))
        return [f for f in found if f.severity is Severity.ERROR]

    def file_name(self, suffix: str = ".docx") -> str:
        return f"{self.department}_{work_name(self.item)}评议问卷{suffix}"

    def write_docx(self, path: str | os.PathLike[str]) -> Path:
        return docx_writer.save(self.document(), path)

    def write_pdf(self, path: str | os.PathLike[str]) -> tuple[Path, int]:
        return pdf_writer.save(self.document(), path)
