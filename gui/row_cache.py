"""The display cache of one frame's rows: texts, cell marks and the mobile's Nanning note, by row id.

Read from the engine's in-memory state a block of rows at a time, so painting 50 000 rows runs no rule
per cell and one query per block (free text as typed: what the files will hold, not its normalised
form); the model drops only the rows an edit affected. No Qt here: the model turns a `RowDisplay` into
brushes, fonts and tooltips.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from forms.base.findings import Finding, Severity
from forms.checks import phones
from forms.notice.attachments import Column
from forms.store.workspace import Workspace
from forms.tasks import deliver

BLOCK = 32  # rows filled into the cache at a time (≈ 6 ms when every mobile block is new)
CACHE_LIMIT = 320 * BLOCK  # beyond this many cached rows the cache starts again
ACCEPTED = "accepted"
Accepted = Mapping[tuple[int, str], str]  # (row id, finding code) → the reason a warning does not apply


@dataclass(slots=True)
class CellMark:
    """What a cell shows besides its text: its worst state and the messages for its tooltip."""

    state: str  # Severity value or ACCEPTED
    messages: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RowDisplay:
    """One cached row: display texts by column key, cell marks, the mobile's Nanning note."""

    texts: dict[str, str]
    marks: dict[str, CellMark]
    mobile_note: str


def mobile_export(values: dict[str, str], decision: phones.NanningDecision) -> tuple[str, str]:
    """(the mobile as the exporter writes it, the Nanning decision in words; '' for no valid mobile)."""
    digits = phones.without_zero(values.get("mobile", ""))
    if not phones.is_valid_mobile(digits):
        return values.get("mobile", ""), ""
    return decision.prefix + digits, decision.describe()


class RowCache(dict[int, RowDisplay]):
    """Row id → its display; a plain dict to the painting hot path, filled a block of rows at a time."""

    def __init__(self, ws: Workspace, frame_id: int, columns: Sequence[Column]) -> None:
        super().__init__()
        self.ws, self.frame_id = ws, frame_id
        self._header_of = {c.header: c.key for c in columns}
        self._free = deliver.FREE_TEXT.get(ws.frame(frame_id).form, ())

    def fill(self, ids: Sequence[int], row: int, accepted: Accepted) -> RowDisplay:
        """The display of `ids[row]`, building the block of rows around it (starting again when full)."""
        if len(self) > CACHE_LIMIT:
            self.clear()
        start = row - row % BLOCK
        missing = [rid for rid in ids[start:start + BLOCK] if rid not in self]
        typed = self.ws.typed(self.frame_id, missing) if missing and self._free else {}
        for rid in missing:
            self[rid] = self._build(rid, accepted, typed.get(rid))
        return self[ids[row]]

    def _build(self, row_id: int, accepted: Accepted, typed: dict[str, str] | None) -> RowDisplay:
        engine = self.ws.engine
        key = (self.frame_id, row_id)
        values = engine.values(key)
        texts = deliver.as_typed(values, typed, self._free) if typed else dict(values)
        exported, note = mobile_export(values, engine.overrides.decision(key, values.get("mobile", "")))
        if len(exported) == 12 and note:  # the 0 the exporter adds, shown as it is written: “013978012345”
            texts["mobile"] = exported
        marks: dict[str, CellMark] = {}
        for finding in engine.row_findings(key):
            self._mark(marks, row_id, finding, accepted)
        return RowDisplay(texts, marks, note)

    def _mark(self, marks: dict[str, CellMark], row_id: int, finding: Finding, accepted: Accepted) -> None:
        column = self._header_of.get(finding.column or "", "name")
        state = finding.severity.value
        message = finding.message
        if finding.severity is Severity.WARNING and (row_id, finding.code) in accepted:
            state, message = ACCEPTED, f"{message}（已说明理由：{accepted[(row_id, finding.code)]}）"
        mark = marks.setdefault(column, CellMark(state))
        mark.messages.append(message)
        if _RANK[state] > _RANK[mark.state]:
            mark.state = state


_RANK = {ACCEPTED: 0, Severity.WARNING.value: 1, Severity.ERROR.value: 2}
