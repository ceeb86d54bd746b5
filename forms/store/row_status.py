"""A row's state beyond its stored findings: whether a problem is still open (a warning accepted with a
reason is not), and the findings text being typed would get, checked on a scratch copy of the row."""

from __future__ import annotations

from forms.base.findings import Finding, Severity
from forms.checks.engine import Engine, RowKey
from forms.notice.attachments import FRAME_FORMS
from forms.store.workspace import Workspace


def has_open_problem(engine: Engine, key: RowKey, accepted: dict[tuple[int, str], str]) -> bool:
    """Whether a row has an error, or a warning not accepted with a reason."""
    errors, warnings = engine.row_counts(key)
    if errors or not warnings:
        return bool(errors)
    return any(f.severity is Severity.WARNING and (key[1], f.code) not in accepted for f in engine.row_findings(key))


class ScratchCheck:
    """Checks text being typed on a scratch copy of its row (a private engine: nothing is stored)."""

    def __init__(self, ws: Workspace, frame_id: int) -> None:
        self.ws, self.frame_id = ws, frame_id
        self.form = FRAME_FORMS[ws.frame(frame_id).form]
        self.engine = Engine(ws.campaign)
        self.engine.add_frame(0, self.form.number)

    def check(self, raw: dict[str, str], key: str, text: str, override: bool | None) -> list[Finding]:
        """The findings of column `key` if `text` were typed into it (duplicates are not looked for)."""
        norm = self.ws.normalise(self.frame_id, {**raw, key: text})
        self.engine.set_row((0, 0), norm.values, norm.notes, 0.0, override)
        header = self.form.column(key).header
        return [f for f in self.engine.row_findings((0, 0)) if f.column == header]
