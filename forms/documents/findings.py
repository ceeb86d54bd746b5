"""Findings of the documents, with the codes declared once in forms/base/findings.py."""

from __future__ import annotations

from forms.base import findings
from forms.base.findings import Finding


def make(code: str, form: str = "", column: str | None = None, **fields: object) -> Finding:
    """A finding of `code` about form `form`, its message filled from `fields`."""
    spec = findings.CODES[code]
    message = spec.template.format(column=column or "", **fields)
    return Finding(code=code, severity=spec.severity, message=message, form=form, column=column)
