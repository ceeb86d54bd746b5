"""What reading a workbook saw that the clerk must hear of, as findings on the sheets read.

A stray cell left out (forms.sheets.sheet_guard), a formula saved without its result (read as empty, it would
be reported as a missing value), a hidden sheet holding data (not read, but never silently).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from forms.base.findings import Finding, Severity, make
from forms.checks.normalize import HAS_INVISIBLE
from forms.sheets.sheet_guard import SheetScan, column_index
from forms.sheets.sheet_layout import CORE_KEYS

if TYPE_CHECKING:
    from forms.sheets.excel_in import SheetRead

SHOWN = 5  # cells named in one message
_NO_RESULT = "公式没有计算结果"
_ERROR_VALUE = "错误值"
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
T = TypeVar("T")


@dataclass
class Notes:
    """The file's hidden sheets with data and each sheet's scan."""

    file: str
    hidden: list[str] = field(default_factory=list)
    scans: dict[str, SheetScan] = field(default_factory=dict)
    remarks: list[str] = field(default_factory=list)  # about the whole file (read as what it really is…)

    def hidden_hint(self) -> str:
        if not self.hidden:
            return ""
        return f"（有数据的工作表“{'、'.join(self.hidden)}”是隐藏的：请在Excel中取消隐藏后再导入。）"


def attach(reads: list[tuple[SheetRead, T]], notes: Notes) -> list[tuple[SheetRead, T]]:
    """Each read with the findings of its sheet's scan; the hidden sheets' on the first read; beside a
    frame, a sheet without a frame's columns (a 统计 or 说明 sheet) is set aside with a note."""
    frames = [read for read, _cells in reads if set(CORE_KEYS) <= set(read.mapping.values())]
    for at, (read, _cells) in enumerate(reads):
        if frames and read not in frames:
            _set_aside(read)
        scan = notes.scans.get(read.sheet)
        extra = (_stray(read, scan) + _uncalculated(read, scan) + _error_values(read, scan)) if scan else []
        extra += _invisible(read)
        if at == 0 and notes.hidden:
            extra.append(_hidden(notes.hidden))
        if at == 0:
            extra.extend(make("layout", severity=Severity.WARNING, reason=remark) for remark in notes.remarks)
        read.findings.extend(replace(f, file=read.file, sheet=f.sheet or read.sheet, form=read.form or "")
                             for f in extra)
    return reads


def _set_aside(read: SheetRead) -> None:
    """A sheet that is not a frame: no rows, no form (so no minimum, no import), one warning."""
    reason = (f"工作表“{read.sheet}”没有抽样框的姓名、性别、单位、职务列，不是抽样框（如统计表、说明），"
              "没有检查也不会导入。如果它其实是名单，请按模板补齐表头后重新导入。")
    read.form, read.candidates, read.numbers = None, (), []
    read.table = read.table.subset([])
    read.__dict__.pop("rows", None)
    read.findings[:] = [make("layout", severity=Severity.WARNING, reason=reason)]


def _listed(refs: Sequence[str]) -> str:
    more = f"等{len(refs)}个单元格" if len(refs) > SHOWN else ""
    return "、".join(refs[:SHOWN]) + more


def _stray(read: SheetRead, scan: SheetScan) -> list[Finding]:
    if not scan.stray:
        return []
    reason = (f"工作表“{read.sheet}”的单元格{_listed(scan.stray)}远在名单之外，像是误输入，已忽略。"
              "如果它不属于名单，请在Excel中删除它（按Ctrl+End可找到），再保存。")
    return [make("layout", severity=Severity.WARNING, reason=reason)]


def _uncalculated(read: SheetRead, scan: SheetScan) -> list[Finding]:
    """One error per data cell that is a formula without a result: the cell is not really empty."""
    reason = ("单元格{ref}是公式，但文件里没有保存它的计算结果（文件可能由其他程序生成）："
              f"{_NO_RESULT}，请在Excel中打开后保存，再导入。")
    return [_at_cell(read, ref, reason.format(ref=ref)) for ref in _in_data(read, scan.uncalculated)]


def _error_values(read: SheetRead, scan: SheetScan) -> list[Finding]:
    """One error per data cell holding an error value (#N/A, #REF!…), which calamine reads as empty."""
    reason = (f"单元格{{ref}}是{_ERROR_VALUE}“{{value}}”（公式出错，或它引用的内容已被删除），不是真实的内容。"
              "请在Excel中改正这个单元格（或把公式换成实际的值：复制后“选择性粘贴→数值”）后保存，再导入。")
    values = dict(scan.errors)
    return [_at_cell(read, ref, reason.format(ref=ref, value=values[ref])) for ref in _in_data(read, list(values))]


def _in_data(read: SheetRead, refs: list[str]) -> list[str]:
    """The cells in a data row, or in the header and above (a title's error is no concern of the rows)."""
    if not refs:
        return []
    data_rows = set(read.numbers)
    return [ref for ref in refs if (match := _REF.fullmatch(ref))
            and (int(match.group(2)) in data_rows or int(match.group(2)) <= read.header_row)]


def _at_cell(read: SheetRead, ref: str, reason: str) -> Finding:
    match = _REF.fullmatch(ref)
    row, column = (int(match.group(2)), column_index(match.group(1)) - 1) if match else (0, 0)
    header = read.headers[column] if column < len(read.headers) else (match.group(1) if match else "")
    return replace(make("layout", reason=reason), row=row, column=header or None)


def _invisible(read: SheetRead) -> list[Finding]:
    """A warning naming the rows whose cells held invisible characters (normalising drops them)."""
    rows: set[int] = set()
    for column in read.table.columns.values():
        joined = "\n".join(column)
        if not joined.isascii() and HAS_INVISIBLE(joined):
            rows.update(read.numbers[i] for i, cell in enumerate(column) if HAS_INVISIBLE(cell))
    if not rows:
        return []
    listed = "、".join(map(str, sorted(rows)[:SHOWN])) + (f"等{len(rows)}行" if len(rows) > SHOWN else "行")
    reason = (f"工作表“{read.sheet}”第{listed}有看不见的字符（零宽空格或文字方向控制符，常见于从网页、聊天软件复制的内容），"
              "已自动删除，查重和号码检查按删除后的内容进行；导出的文件里不会有这些字符，无需处理。")
    return [make("layout", severity=Severity.WARNING, reason=reason)]


def _hidden(hidden: list[str]) -> Finding:
    names = "、".join(f"“{n}”" for n in hidden)
    reason = (f"工作表{names}是隐藏的，里面有数据，但没有检查也不会导入。如果它是抽样框，请在Excel中右键工作表标签，"
              "选“取消隐藏”后保存再导入；如果不需要，可以删除它。")
    return make("layout", severity=Severity.WARNING, reason=reason)


def uncalculated_cells(findings: Sequence[Finding]) -> set[tuple[int, str]]:
    """(row, column) of each cell read as empty that is not: a formula without its result, an error value.
    Such a cell is not reported as missing: its own finding says why."""
    return {(f.row, f.column or "") for f in findings
            if f.row is not None and f.code == "layout" and (_NO_RESULT in f.message or _ERROR_VALUE in f.message)}
