"""Findings: what a rule says about a place in a frame, as data with a stable code."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class FindingCode:
    """One finding code of SPEC.md: its default severity and a Chinese template that says how to fix it."""

    code: str
    severity: Severity
    template: str


_CODES = [
    FindingCode("required", Severity.ERROR, "“{column}”不能为空，请填写。"),
    FindingCode("gender", Severity.ERROR, "性别“{value}”无法识别，请填写“男”或“女”。"),
    FindingCode("name", Severity.ERROR, "姓名“{value}”{reason}，请填写本人的中文姓名。"),
    FindingCode("mobile-format", Severity.ERROR, "手机号码“{value}”{reason}。"),
    FindingCode("mobile-prefix", Severity.ERROR, "手机号码“{value}”{reason}。"),
    FindingCode("landline-format", Severity.ERROR, "办公电话“{value}”{reason}。"),
    FindingCode("area-code", Severity.ERROR, "{reason}"),
    FindingCode("no-phone", Severity.ERROR, "办公电话和手机号码都为空，请至少填写一个联系电话。"),
    FindingCode("address", Severity.ERROR,
                "单位“{value}”没有具体地址（路、街、号等），系统干部评价采用邮寄问卷，请写明“××市××路××号”。"),
    FindingCode("postcode", Severity.ERROR, "邮政编码“{value}”{reason}。"),
    FindingCode("serial", Severity.ERROR, "序号“{value}”{reason}；序号应从1起连续编号（导出时会自动重新编号）。"),
    FindingCode("duplicate-person", Severity.ERROR, "{reason}，同一人在本部门所有抽样框中只能出现一次，请删除其中一行。"),
    FindingCode("possible-duplicate", Severity.WARNING, "{reason}，可能是同一人，请核对；确实不是同一人时可填写说明后忽略。"),
    FindingCode("below-minimum", Severity.ERROR, "本抽样框只有{count}人，少于要求的{minimum}人，还需补充{missing}人。"),
    FindingCode("coverage", Severity.ERROR, "尚未覆盖以下市县：{missing}。系统干部名单须覆盖所有市县，请补充这些地方的人员。"),
    FindingCode("layout", Severity.ERROR, "{reason}"),
    FindingCode("too-long", Severity.ERROR, "“{column}”有{count}个字符，超过Excel一个单元格最多能放的{limit}个字符，"
                                           "导出时放不下。请把它缩短到{limit}个字符以内（多余的说明可以另附）。"),
    # The office's intake: one person in the frames of two departments (forms.tasks.intake_merge).
    FindingCode("duplicate-across-departments", Severity.WARNING,
                "手机号码“{value}”也出现在{other}的抽样框中（{where}），可能是同一人被两个部门报送，"
                "请与两个部门核对，抽样时只保留一处。"),
    # The workspace as a whole (`check` of a .baosong file).
    FindingCode("bundle-stale", Severity.ERROR,
                "加密压缩包生成后，抽样框有改动（{changes}），压缩包里还是改动前的内容：请重新生成压缩包，并把新密码告知考评办。"),
    # The documents (附件9/10/11's analysis, the questionnaire): beyond SPEC's frame codes.
    FindingCode("analysis-empty", Severity.ERROR, "“{section}”尚未填写，请填写本部门这部分的情况。"),
    FindingCode("analysis-length", Severity.ERROR,
                "年度绩效分析共{count}字，超过{limit}字的上限，请删减{excess}字（字数按Word“字数统计”的算法计）。"),
    FindingCode("analysis-pages", Severity.ERROR,
                "按A4纸、小四号字排版后共{pages}页，超过正反两面{limit}页的上限，请删减内容或合并段落。"),
    FindingCode("questionnaire-short", Severity.ERROR,
                "问卷“{item}”只有{count}个问题，评议问卷的问题不少于{minimum}个，请再补充{missing}个。"),
]
CODES: dict[str, FindingCode] = {c.code: c for c in _CODES}


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding at a place: `row` is the 1-based sheet row (None for a whole-frame finding)."""

    code: str
    severity: Severity
    message: str
    form: str = ""
    column: str | None = None
    row: int | None = None
    sheet: str = ""
    file: str = ""

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return {k: data[k] for k in ("file", "form", "sheet", "row", "column", "code", "severity", "message")}


ECHOED = 40  # characters of a cell's value a message repeats: a 100 000-character cell must not fill the screen


def shown(value: object) -> object:
    """A value as a message quotes it: a long text cut, with its length said."""
    if isinstance(value, str) and len(value) > ECHOED:
        return f"{value[:ECHOED]}…（共{len(value)}个字符）"
    return value


def make(code: str, column: str | None = None, severity: Severity | None = None, **fields: object) -> Finding:
    """Build a finding of `code`, its message filled from `fields` (value, reason, count …); a long value
    is quoted cut (`shown`)."""
    spec = CODES[code]
    if "value" in fields:
        fields["value"] = shown(fields["value"])
    message = spec.template.format(column=column or "", **fields)
    return Finding(code=code, severity=severity or spec.severity, message=message, column=column)
