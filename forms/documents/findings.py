"""Finding codes of the documents, until forms/findings.py declares them.

`make` uses the central code table of forms/findings.py when it knows the code, and the local
templates below otherwise, so moving a code there changes nothing here. It also serves the
existing codes (`required` for 附件8's empty cells).
"""

from __future__ import annotations

from forms import findings
from forms.findings import Finding, FindingCode, Severity

LOCAL_CODES: dict[str, FindingCode] = {
    spec.code: spec
    for spec in (
        FindingCode("analysis-empty", Severity.ERROR, "“{section}”尚未填写，请填写本部门这部分的情况。"),
        FindingCode("analysis-length", Severity.ERROR,
                    "年度绩效分析共{count}字，超过{limit}字的上限，请删减{excess}字（字数按Word“字数统计”的算法计）。"),
        FindingCode("analysis-pages", Severity.ERROR,
                    "按A4纸、小四号字排版后共{pages}页，超过正反两面{limit}页的上限，请删减内容或合并段落。"),
        FindingCode("questionnaire-short", Severity.ERROR,
                    "问卷“{item}”只有{count}个问题，评议问卷的问题不少于{minimum}个，请再补充{missing}个。"),
    )
}


def make(code: str, form: str = "", column: str | None = None, **fields: object) -> Finding:
    """A finding of `code` about form `form`, its message filled from `fields`."""
    spec = findings.CODES.get(code) or LOCAL_CODES[code]
    message = spec.template.format(column=column or "", **fields)
    return Finding(code=code, severity=spec.severity, message=message, form=form, column=column)
