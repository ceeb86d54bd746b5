"""The fingerprint of what an archive packs, so a later edit shows the archive as 需重新生成.

The archive holds the frames as exported: each frame's rows (normalised values in order, blank rows
left out, the clerk's Nanning overrides, the reasons given for warnings, which go into 备注) and the
profile that names the files and titles them. Each part gets its own SHA-256, so what changed can be
named frame by frame. Qt-free and packaging-free: the guide's step status reads it. Part of the tasks
room (forms.tasks.packed).
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.checks import agreed
from forms.notice.attachments import FRAME_FORMS
from forms.store.rowstore import decode_values, encode_values
from forms.tasks import filedate

if TYPE_CHECKING:
    from forms.store.workspace import Frame, Workspace

HANDOVER_KEY = "handover"  # packaging.bundle.HANDOVER_KEY
RECORD_FIELD = "packed"  # the handover record's field that holds the fingerprint
PROFILE_PART = "profile"
PROFILE_LABEL = "单位信息（名称、类别、报送时间）"
AGREED_PART = "agreed"
_SEP = "\x1f"


@dataclass(frozen=True)
class Part:
    """One fingerprinted part of the archive: a frame or the profile."""

    label: str
    sha256: str


# One fingerprint per workspace and state of its file: the connection's change counter moves with every
# write, so the sidebar's refresh after an edit hashes again, and every other refresh reads the cache.
_CACHE: weakref.WeakKeyDictionary[Any, tuple[int, dict[str, Part]]] = weakref.WeakKeyDictionary()


def fingerprint(ws: Workspace) -> dict[str, Part]:
    """{part key: Part} of what the archive would pack now."""
    stamp = ws.conn.total_changes
    cached = _CACHE.get(ws)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    parts = {PROFILE_PART: Part(PROFILE_LABEL, _profile_digest(ws))}
    parts.update({f"frame:{f.id}": Part(f.label, _frame_digest(ws, f)) for f in ws.frames()})
    deals = [a.line() for a in agreed.in_effect(ws.engine, ws.agreed())]
    if deals:  # the record and the slip list them: a change after the build makes both wrong
        parts[AGREED_PART] = Part("协商调整记录", hashlib.sha256("\n".join(deals).encode()).hexdigest())
    _CACHE[ws] = (stamp, parts)
    return parts


def _profile_digest(ws: Workspace) -> str:
    p = ws.profile
    data: list[object] = [p.department, p.kind, p.category, p.campaign, ws.campaign.year]
    if (date := filedate.stored(ws)) is not None:  # 报送时间 is on every packed sheet; unset, it adds nothing,
        data.append(date.isoformat())              # so archives built before it was kept stay current
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


# Each exported row of a frame in order (blank ones left out: they are not exported), with its Nanning
# override and the reasons given for its warnings (they go into 备注).
_ROWS = """
SELECT r.norm AS norm, ifnull(r.override, '') || char(31) || ifnull(j.reasons, '') AS tail FROM rows r
LEFT JOIN (SELECT row_id, group_concat(code || '=' || text, '|') AS reasons
           FROM (SELECT row_id, code, text FROM justifications ORDER BY row_id, code) GROUP BY row_id) j
       ON j.row_id = r.id
WHERE r.frame_id = ? AND replace(r.norm, char(31), '') != '' ORDER BY r.pos
"""


def _frame_digest(ws: Workspace, frame: Frame) -> str:
    digest = hashlib.sha256(json.dumps([frame.form, frame.item], ensure_ascii=False).encode())
    # SQLite joins the rows in C: the sidebar asks again after every edit, and a frame may hold 50 000 rows
    joined, legacy = ws.conn.execute(
        f"SELECT group_concat(norm || char(31) || tail, char(10)), sum(substr(norm, 1, 1) != char(31)) "
        f"FROM ({_ROWS})", (frame.id,)).fetchone()
    if legacy:  # rows stored as JSON by an older version: the same values must give the same fingerprint
        keys = list(FRAME_FORMS[frame.form].normalisers)
        lines = [f"{_canonical(norm, keys)}{_SEP}{tail}" for norm, tail in ws.conn.execute(_ROWS, (frame.id,))]
        joined = "\n".join(line for line in lines if not line.startswith(_SEP * (len(keys) + 1)))
    digest.update((joined or "").encode())
    return digest.hexdigest()


def _canonical(norm: str, keys: list[str]) -> str:
    return norm if norm.startswith(_SEP) else encode_values(decode_values(norm, keys), keys)


def as_record(parts: Mapping[str, Part]) -> dict[str, dict[str, str]]:
    """The fingerprint as JSON-ready data for the handover record."""
    return {key: {"label": part.label, "sha256": part.sha256} for key, part in parts.items()}


def from_record(data: object) -> dict[str, Part] | None:
    """The fingerprint a handover record holds; None for a record written before fingerprints were kept."""
    if not isinstance(data, dict) or not data:
        return None
    found = {}
    for key, part in data.items():
        if not isinstance(part, dict):
            return None
        found[str(key)] = Part(str(part.get("label", key)), str(part.get("sha256", "")))
    return found


def changes(packed: Mapping[str, Part], now: Mapping[str, Part]) -> list[str]:
    """What differs between the archive and the workspace, one short Chinese phrase a part."""
    changed = [f"{now[k].label}已修改" for k in now if k in packed and packed[k].sha256 != now[k].sha256]
    added = [f"新增{now[k].label}" for k in now if k not in packed]
    removed = [f"已删除{packed[k].label}" for k in packed if k not in now]
    return changed + added + removed


def latest_record(ws: Workspace) -> dict[str, Any] | None:
    """The latest handover record as stored (packaging.bundle keeps them: a JSON list, the latest last)."""
    try:
        records = json.loads(ws.text(HANDOVER_KEY, "") or "[]")
    except ValueError:
        return None
    latest = records[-1] if isinstance(records, list) and records else None
    return latest if isinstance(latest, dict) else None


def archive_changes(ws: Workspace) -> list[str]:
    """What changed since the latest archive was built ([] when nothing did, or there is no archive)."""
    record = latest_record(ws)
    packed = from_record(record.get(RECORD_FIELD)) if record else None
    return changes(packed, fingerprint(ws)) if packed else []


def short(lines: list[str], most: int = 2) -> str:
    """`附件2已修改、附件3（公路）已修改等5项`: the sidebar's line; the full list goes in the tooltip/pages."""
    head = "、".join(lines[:most])
    return head + (f"等{len(lines)}项" if len(lines) > most else "")
