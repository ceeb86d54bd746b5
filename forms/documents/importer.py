"""Texts drafted in Word or Notepad, read back into the analysis sections and the two reports.

Clerks draft the analysis and the reports in Word. A .docx (its paragraphs and table cells, in
reading order) or a .txt (UTF-8, or GBK as Notepad on a Chinese Windows saves it) is split at its
headings:
- for the analysis, a heading is a line that names one of the three sections, numbered or not
  (“一、重点工作任务完成情况”, “（二）工作创新与亮点：”); text after a colon on the heading line
  starts the section;
- for a report, the first line is the title (kept, to print as typed), a heading is a line
  numbered “一、”, “二、” … or set in a Word heading style, and the closing lines (the department's
  name as 落款, the 成文日期 in Arabic or Chinese numerals) are kept apart: the date becomes the
  report's date field, the 落款 is printed anew.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from forms.base.errors import UserError
from forms.base.file_errors import ReadError, check_zip, paths_error
from forms.documents.reports import Section, parse_date

NUMBERING = re.compile(
    r"^\s*(第[一二三四五六七八九十\d]+部分[、.．:：]?|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[、.．)）]|[①-⑳])\s*"
)
TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")
REMARK = re.compile(r"[（(][^）)]*[）)]\s*$")
_LOOSE = str.maketrans("", "", " \t\u3000:：。．.、和与及")


@dataclass(frozen=True)
class Line:
    """A line of text and whether its document marks it as a heading (Word heading style, all bold)."""

    text: str
    heading: bool = False


@dataclass
class AnalysisImport:
    """The texts found for each section, the sections not found, and the lines that belonged to none."""

    sections: dict[str, str]
    missing: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


@dataclass
class ReportImport:
    """A report read from a file: its title, text before the first heading, sections and closing date."""

    title: str = ""
    preamble: str = ""
    sections: list[Section] = field(default_factory=list)
    date: dt.date | None = None


def _docx_paragraph_is_heading(paragraph: Paragraph) -> bool:
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.lower().startswith(("heading", "title")) or style.startswith(("标题", "题目")):
        return True
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs) and len(paragraph.text.strip()) <= 40


def _docx_lines(path: Path) -> Iterator[Line]:
    """Paragraphs of the body and of its tables' cells, in reading order, each cell once."""
    document = docx.Document(str(path))
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            elements = [child]
        elif child.tag == qn("w:tbl"):
            elements = [p for tc in child.iter(qn("w:tc")) for p in tc.iterchildren(qn("w:p"))]
        else:
            continue
        for element in elements:
            paragraph = Paragraph(element, document._body)
            yield Line(paragraph.text, _docx_paragraph_is_heading(paragraph))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


_DAMAGED = ("无法读取“{name}”：它不是有效的Word文档，或者已经损坏。请用Word或WPS打开它，"
            "另存为.docx（或把文字复制到记事本存为.txt）后再导入。")


def read_lines(path: str | os.PathLike[str]) -> list[Line]:
    """The non-blank lines of a .docx or .txt file, stripped. Raises ReadError (one Chinese line)."""
    source = Path(path)
    if source.suffix.lower() not in (".docx", ".txt"):
        raise ReadError(f"只能导入Word文档（.docx）或文本文件（.txt），“{source.name}”不是：旧的.doc文件请在Word或WPS中"
                        "另存为.docx，再导入。")
    try:
        raw = _raw_lines(source)
    except UserError:
        raise
    except OSError as exc:
        raise ReadError(paths_error(exc, source) or _DAMAGED.format(name=source.name)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, SyntaxError, PackageNotFoundError):
        raise ReadError(_DAMAGED.format(name=source.name)) from None  # lxml's XMLSyntaxError is a SyntaxError
    lines = [Line(line.text.strip(" \t\u3000\r\n"), line.heading) for line in raw]
    return [line for line in lines if line.text]


def _raw_lines(source: Path) -> Sequence[Line]:
    if source.suffix.lower() == ".txt":
        return [Line(text) for text in _decode(source.read_bytes()).splitlines()]
    archive = check_zip(source, source.name, what="Word文档")
    if archive is None:
        raise ReadError(_DAMAGED.format(name=source.name))
    archive.close()
    return list(_docx_lines(source))


def _loose(text: str) -> str:
    """A heading compared loosely: no numbering, blanks, colons, 和/与/及, or trailing remark."""
    text = REMARK.sub("", NUMBERING.sub("", text, count=1))
    return text.translate(_LOOSE)


def match_section(text: str, names: Sequence[str]) -> tuple[str, str] | None:
    """(section name, text after the heading) when `text` is a heading naming one of `names`."""
    head, colon, rest = (re.split(r"([:：])", text, maxsplit=1) + ["", ""])[:3]
    for name in names:
        if _loose(text) == _loose(name):
            return name, ""
        if colon and _loose(head) == _loose(name):
            return name, rest.strip()
    return None


def split_analysis(lines: Sequence[Line], names: Sequence[str]) -> AnalysisImport:
    """Assign each line to the section whose heading came last before it."""
    found: dict[str, list[str]] = {}
    ignored: list[str] = []
    current: str | None = None
    for line in lines:
        matched = match_section(line.text, names)
        if matched:
            current, rest = matched
            found.setdefault(current, [])
            if rest:
                found[current].append(rest)
        elif current is None:
            ignored.append(line.text)
        else:
            found[current].append(line.text)
    sections = {name: "\n".join(found[name]) for name in names if name in found}
    return AnalysisImport(sections, [name for name in names if name not in found], ignored)


def import_analysis(path: str | os.PathLike[str], names: Sequence[str]) -> AnalysisImport:
    """The three analysis sections from a .docx or .txt whose headings (or lines) name them."""
    return split_analysis(read_lines(path), names)


def split_report(lines: Sequence[Line], department: str = "") -> ReportImport:
    """Title, preamble, numbered sections and closing date of a report's lines; a closing line
    that names the department (the signature) is dropped, since the report prints it anew."""
    result = ReportImport()
    rest = list(lines)
    if rest and not TOP_HEADING.match(rest[0].text):
        result.title = rest.pop(0).text
    while rest and (parse_date(rest[-1].text) or (department and rest[-1].text == department)):
        closing = parse_date(rest.pop().text)
        result.date = result.date or closing
    preamble: list[str] = []
    for line in rest:
        if TOP_HEADING.match(line.text) or line.heading:
            result.sections.append(Section(line.text, ""))
        elif result.sections:
            last = result.sections[-1]
            result.sections[-1] = Section(last.heading, f"{last.text}\n{line.text}".lstrip("\n"))
        else:
            preamble.append(line.text)
    result.preamble = "\n".join(preamble)
    return result


def import_report(path: str | os.PathLike[str], department: str = "") -> ReportImport:
    """A report (整改情况报告 or 年度绩效情况报告) of `department` from a .docx or .txt."""
    return split_report(read_lines(path), department)
