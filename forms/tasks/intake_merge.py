"""The office's side: many departments' checked frames merged into one table per form, ready for the survey.

Each department's frames are read and checked as the department's own `check` does (forms.tasks.check); here they
are put together: every row in its form's template columns plus 报送单位, the same person in two
departments' frames named (a warning: the office decides which one the survey keeps), and the merged
tables written as `汇总_附件N.xlsx` with every row's findings on a second sheet. Nothing here knows
about archives or passwords (packaging.intake does).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, compress, count, repeat
from operator import attrgetter, itemgetter, methodcaller
from pathlib import Path
from typing import NamedTuple

from forms.base.findings import Finding, Severity, make
from forms.checks import phones
from forms.notice.attachments import FRAME_FORMS, Column
from forms.notice.campaign import Campaign
from forms.sheets import excel_out
from forms.sheets.excel_in import SheetRead
from forms.tasks.check import CheckResult

DEPARTMENT = Column("department", "报送单位", (), "text", width=30)
MERGED_NAME = "汇总_附件{form}.xlsx"
Place = tuple[str, str, str, int | None]  # department, file, sheet, sheet row
_VALUES, _MOBILE = attrgetter("values"), methodcaller("get", "mobile", "")
_TAIL = itemgetter(slice(-11, None))


@dataclass
class Submission:
    """One department's frames as received: the sheets read, and their check (same sheet order)."""

    department: str
    sheets: list[SheetRead]
    result: CheckResult = field(default_factory=CheckResult)


class MergedRow(NamedTuple):
    """A row of a merged frame: its normalised values, and where it came from. (A named tuple: a merge makes one
    per row of every department, and a tuple is made in C, a dataclass by its Python __init__.)"""

    serial: int  # 1-based 序号 in the merged table of its form
    department: str
    form: str
    values: Mapping[str, str]
    file: str
    sheet: str
    row: int

    @property
    def place(self) -> Place:
        return (self.department, self.file, self.sheet, self.row)


def forms_present(sub: Submission) -> dict[str, int]:
    """Form → number of data rows, over the sheets whose form was recognised."""
    counts: dict[str, int] = {}
    for sheet in sub.sheets:
        if sheet.form:
            counts[sheet.form] = counts.get(sheet.form, 0) + len(sheet.numbers)
    return counts


def merged_rows(subs: Iterable[Submission]) -> dict[str, list[MergedRow]]:
    """Form → every department's rows of it, in the order given (departments, then sheets, then rows)."""
    merged: dict[str, list[MergedRow]] = {}
    for sub in subs:
        extend_merged(merged, sub)
    return dict(sorted(merged.items()))


def extend_merged(merged: dict[str, list[MergedRow]], sub: Submission) -> None:
    """Append one more department's rows to `merged` (as merged_rows would, but unsorted by form)."""
    for at, sheet in enumerate(sub.sheets):
        if not sheet.form:
            continue  # an unrecognised sheet is a layout finding of its department, not survey data
        rows = merged.setdefault(sheet.form, [])
        found = list(map(sub.result.values.get, zip(repeat(at), sheet.numbers)))
        numbers: Iterable[int] = sheet.numbers
        if None in found:  # (every row of a checked sheet has its values: kept for a result made otherwise)
            numbers, found = [n for n, v in zip(numbers, found, strict=True) if v is not None], [v for v in found if v is not None]
        rows.extend(map(MergedRow._make, zip(count(len(rows) + 1), repeat(sub.department), repeat(sheet.form), found,
                                             repeat(sheet.file), repeat(sheet.sheet), numbers)))


def cross_department_duplicates(merged: Mapping[str, Sequence[MergedRow]]) -> dict[str, list[Finding]]:
    """Department → a warning on each of its rows whose mobile is also in another department's frames."""
    # counted by their last 11 characters in C (two mobiles of one duplicate key share them): only the rows whose
    # tail another row has are keyed, one by one
    tails = {form: list(map(_TAIL, map(_MOBILE, map(_VALUES, rows)))) for form, rows in merged.items()}
    counts = Counter(chain.from_iterable(tails.values()))
    shared = {tail for tail, n in counts.items() if n > 1 and tail}
    by_mobile: dict[str, list[MergedRow]] = defaultdict(list)
    for form, rows in merged.items() if shared else ():
        candidates = list(compress(rows, map(shared.__contains__, tails[form])))
        for row, key in zip(candidates, phones.duplicate_keys([_MOBILE(r.values) for r in candidates]), strict=True):
            if key:
                by_mobile[key].append(row)
    found: dict[str, list[Finding]] = defaultdict(list)
    for mobile, rows in by_mobile.items():
        if len(rows) < 2 or len({r.department for r in rows}) < 2:
            continue  # within one department it is the department's own duplicate-person error
        for row in rows:
            others = [r for r in rows if r.department != row.department]
            where = "、".join(f"附件{r.form}第{r.row}行 {r.values.get('name', '')}" for r in others[:3])
            other = "、".join(dict.fromkeys(r.department for r in others))
            finding = make("duplicate-across-departments", column="手机号码", value=mobile, other=other, where=where)
            found[row.department].append(replace(finding, form=row.form, file=row.file, sheet=row.sheet, row=row.row))
    return dict(found)


# ------------------------------------------------------------------------------------------- writing

_FINDING_COLUMNS = (
    Column("serial", "序号", (), "serial", width=6),
    Column("merged", "汇总表序号", (), "text", width=8),
    DEPARTMENT,
    Column("file", "原文件", (), "text", width=30),
    Column("sheet", "工作表", (), "text", width=10),
    Column("row", "原行号", (), "text", width=7),
    Column("column", "列", (), "text", width=10),
    Column("severity", "级别", (), "text", width=6),
    Column("code", "代码", (), "text", width=14),
    Column("message", "说明", (), "text", width=60),
)


def merged_file(out_dir: Path, form: str) -> Path:
    return Path(out_dir) / MERGED_NAME.format(form=form)


def write_merged(out_dir: Path, campaign: Campaign, form: str, rows: Sequence[MergedRow],
                 findings: Mapping[str, Sequence[Finding]], today: dt.date | None = None) -> Path:
    """`汇总_附件N.xlsx`: the merged rows in the template's columns plus 报送单位; their findings on sheet 2.

    `findings` is department → its findings (of every form: those of this form are kept)."""
    columns = (*FRAME_FORMS[form].columns, DEPARTMENT)
    data = [{**row.values, "department": row.department} for row in rows]
    departments = len({row.department for row in rows})
    when = f"汇总时间:{excel_out.chinese_date(today)}"
    main = excel_out.SheetSpec(f"附件{form}汇总", f"{campaign.year}年度社会评价抽样框汇总（附件{form}）", columns, data,
                               (f"共{departments}个单位、{len(rows)}人", when))
    problems = excel_out.SheetSpec("问题清单", f"附件{form}汇总：各行的问题", _FINDING_COLUMNS,
                                   _finding_rows(form, rows, findings), ("“汇总表序号”对应第一个工作表的序号", when))
    return excel_out.export_sheets(merged_file(out_dir, form), [main, problems])


def _finding_rows(form: str, rows: Sequence[MergedRow],
                  findings: Mapping[str, Sequence[Finding]]) -> list[dict[str, str]]:
    index = {row.place: row.serial for row in rows}
    out = []
    for department, found in findings.items():
        for f in found:
            if f.form != form:
                continue
            merged = index.get((department, f.file, f.sheet, f.row))
            out.append({"merged": str(merged or ""), "department": department, "file": Path(f.file).name,
                        "sheet": f.sheet, "row": str(f.row or ""), "column": f.column or "",
                        "severity": "错误" if f.severity is Severity.ERROR else "提醒", "code": f.code,
                        "message": f.message})
    out.sort(key=lambda r: int(r["merged"] or 0))
    return out
