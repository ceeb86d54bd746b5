"""The workspace: one SQLite file per department and campaign (`*.baosong`).

WAL with synchronous=FULL and every edit its own transaction: a killed process or a power cut
loses nothing that was committed. The file is held with an exclusive lock, so a second process
gets a clear refusal instead of two writers. The engine is fed from here, so findings are always
those of what is stored: edits reach it at once, rows inserted in bulk in one batch when findings are
next asked for (`validate()`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import Any

from forms.base import bulk
from forms.base.findings import Finding
from forms.checks import agreed as agreed_mod
from forms.checks.engine import Engine, RowKey
from forms.checks.normalize import NormalRow, normalize_batch, normalize_row
from forms.notice import campaign as campaign_mod
from forms.notice.attachments import FRAME_FORMS
from forms.store import positions, schema
from forms.store.model import Frame, Inserted, Profile, RowRecord, joined_columns, override_from
from forms.store.rowstore import (
    decode_notes,
    decode_raw,
    decode_values,
    encode_columns,
    encode_notes,
    encode_raw,
    encode_values,
    encode_values_many,
    insert_stored,
)
from forms.store.schema import WorkspaceError, WorkspaceLocked

__all__ = ["Frame", "Profile", "RowRecord", "Workspace", "WorkspaceError", "WorkspaceLocked"]

CAMPAIGN_KEY = "campaign"  # the texts entry holding the campaign's data
PROFILE_KEYS = ("department", "kind", "category", "local_units", "liaison", "campaign")


class Workspace:
    """A department's working data for one campaign, with its live findings."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.read_only = False
        self.profile = self._read_profile()
        self.campaign = self._read_campaign()
        self._engine = Engine(self.campaign)
        self._unchecked: list[Inserted] = []  # batches stored since findings were last asked for
        self._frames: dict[int, Frame] = {}
        self._load()

    @property
    def engine(self) -> Engine:
        """The live findings, first brought up to date with rows inserted since they were last asked for."""
        if self._unchecked:
            batches, self._unchecked = self._unchecked, []
            self._engine.add_rows(list(chain.from_iterable(rows for rows, _columns in batches)),
                                  joined_columns([columns for _rows, columns in batches]))
        return self._engine

    def validate(self) -> None:
        """Check rows inserted in bulk now (a worker thread calls this, so the window never waits for it)."""
        self.engine  # noqa: B018 - the property does the work

    # -- opening --------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, profile: Profile, campaign: campaign_mod.Campaign | None = None) -> Workspace:
        """A new workspace for `campaign` (the shipped one `profile.campaign` names, by default), which it keeps
        a copy of: the workspace opens anywhere, whatever campaign files that machine has."""
        path = Path(path)
        if path.exists():
            raise WorkspaceError(f"文件“{path.name}”已存在，请换一个文件名，或直接打开它。")
        if profile.kind not in campaign_mod.KINDS:
            raise WorkspaceError(f"单位类别“{profile.kind}”无效，应为 gov、party 或 pub 之一。")
        if too_long := schema.name_too_long("单位名称", profile.department):
            raise WorkspaceError(too_long)
        campaign = campaign or campaign_mod.load(profile.campaign)
        profile = replace(profile, campaign=campaign.id)
        try:
            conn = schema.connect(path, create=True)
        except BaseException:
            schema.remove_files(path)  # a full disk leaves no empty file that would block the retry
            raise
        try:
            with conn:
                schema.create(conn)
                conn.executemany("INSERT INTO profile(key, value) VALUES (?, ?)",
                                 [(k, json.dumps(getattr(profile, k), ensure_ascii=False)) for k in PROFILE_KEYS])
                conn.execute("INSERT INTO texts(key, value) VALUES (?, ?)",
                             (CAMPAIGN_KEY, campaign_mod.to_text(campaign)))
            ws = cls(path, conn)
            ws._add_frame(ws.kind.system_form, "")
        except BaseException as exc:
            conn.close()
            schema.remove_files(path)
            if isinstance(exc, sqlite3.OperationalError):
                raise WorkspaceError(schema.explain_create_error(exc, path)) from exc
            raise
        return ws

    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open for editing, or read-only (check, export) when the file or its folder cannot be written.

        Whatever a damaged file raises while it is read in is the "已损坏" refusal, never a traceback."""
        path = Path(path)
        if path.is_dir():
            raise WorkspaceError(f"“{path}”是一个文件夹，不是工作区文件，请选择其中的 .baosong 文件。")
        if not path.is_file():
            raise WorkspaceError(f"找不到工作区文件“{path}”，请确认路径。")
        read_only = not schema.writable(path)
        conn = schema.connect(path, create=False)
        try:
            schema.migrate(conn, path, read_only)
            schema.content_check(conn, path)
            ws = cls(path, conn)
        except campaign_mod.CampaignError as exc:  # the campaign data kept inside it does not read back
            conn.close()
            raise campaign_mod.CampaignError(
                f"{exc.message}（工作区文件“{path.name}”中的这份数据已损坏，请改用它的备份。）") from exc
        except (sqlite3.DatabaseError, ValueError, LookupError, TypeError, AttributeError, FileNotFoundError) as exc:
            conn.close()  # a refused file must not stay locked
            raise schema.damaged(path, schema.damage_of(exc)) from exc
        except BaseException:
            conn.close()
            raise
        ws.read_only = read_only
        return ws

    def close(self) -> None:
        self.conn.close()
        bulk.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction; a full disk or an unwritable file becomes a WorkspaceError, nothing half-saved."""
        if self.read_only:
            raise WorkspaceError(f"工作区文件“{self.path.name}”是只读的（或在只读的文件夹中），只能检查和导出。"
                                 "要修改，请把它复制到可写的文件夹（如“文档”）后再打开。")
        try:
            with self.conn:
                yield self.conn
            schema.checkpoint(self.conn)  # the main file alone is whole after every save (a copy is a backup)
        except sqlite3.OperationalError as exc:
            raise WorkspaceError(schema.explain_write_error(exc, self.path)) from exc

    def backup(self, target: str | Path, overwrite: bool = False) -> Path:
        """Write the whole workspace into `target` (SQLite's backup API), one self-contained file."""
        return schema.backup_file(self.conn, self.path, Path(target), overwrite)

    # -- profile --------------------------------------------------------------------------------
    def _read_profile(self) -> Profile:
        data = {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM profile")}
        return Profile(**schema.valid_profile({k: data[k] for k in PROFILE_KEYS if k in data}))

    def _read_campaign(self) -> campaign_mod.Campaign:
        """The campaign the workspace keeps a copy of (one made before copies were kept names a shipped one)."""
        return campaign_mod.kept_or_shipped(self.text(CAMPAIGN_KEY), self.profile.campaign)

    def set_profile(self, **changes: Any) -> None:
        with self._transaction():
            self.conn.executemany("INSERT OR REPLACE INTO profile(key, value) VALUES (?, ?)",
                                  [(k, json.dumps(v, ensure_ascii=False)) for k, v in changes.items()])
        self.profile = self._read_profile()
        self._load()

    @property
    def kind(self) -> campaign_mod.Kind:
        return self.campaign.kind(self.profile.kind)

    @property
    def minimum(self) -> int:
        return self.kind.minimum(self.profile.category)

    # -- frames ---------------------------------------------------------------------------------
    def frames(self) -> list[Frame]:
        return sorted(self._frames.values(), key=lambda f: f.position)

    def frame(self, frame_id: int) -> Frame:
        return self._frames[frame_id]

    def system_frame(self) -> Frame:
        return next(f for f in self.frames() if f.form == self.kind.system_form)

    def hot_frames(self) -> list[Frame]:
        return [f for f in self.frames() if f.form == self.kind.hot_form]

    def add_hot_item(self, item: str) -> Frame:
        item = item.strip()
        if not item:
            raise WorkspaceError("请填写热点、难点工作的名称。")
        if too_long := schema.name_too_long("工作事项名称", item):
            raise WorkspaceError(too_long)
        if any(f.item == item for f in self.hot_frames()):
            raise WorkspaceError(f"工作事项“{item}”已经有抽样框了。")
        return self._add_frame(self.kind.hot_form, item)

    def frame_for_item(self, form: str, item: str = "") -> Frame:
        """The frame of `form` (and work item), created if the department owes it but lacks it."""
        if form not in (self.kind.system_form, self.kind.hot_form):
            raise WorkspaceError(f"本单位（{self.kind.name}）不需要报送附件{form}，"
                                 f"应报附件{self.kind.system_form}和附件{self.kind.hot_form}。")
        if form == self.kind.system_form:
            return self.system_frame()
        found = [f for f in self.hot_frames() if f.item == item.strip()]
        if found:
            return found[0]
        if not item.strip():
            hot = self.hot_frames()
            if len(hot) == 1:
                return hot[0]
            raise WorkspaceError("请用 --item 指定热点、难点工作的名称。")
        return self.add_hot_item(item)

    def rename_item(self, frame_id: int, item: str) -> None:
        if too_long := schema.name_too_long("工作事项名称", item.strip()):
            raise WorkspaceError(too_long)
        with self._transaction():
            self.conn.execute("UPDATE frames SET item = ? WHERE id = ?", (item.strip(), frame_id))
        self._load()

    def remove_frame(self, frame_id: int) -> None:
        self.set_agreed(agreed_mod.without(self.agreed(), frame_id))  # a later frame may get the same id
        with self._transaction():
            self.conn.execute("DELETE FROM rows WHERE frame_id = ?", (frame_id,))
            self.conn.execute("DELETE FROM frames WHERE id = ?", (frame_id,))
        self._load()

    def _add_frame(self, form: str, item: str) -> Frame:
        position = max((f.position for f in self._frames.values()), default=-1) + 1
        with self._transaction():
            cur = self.conn.execute("INSERT INTO frames(form, item, position) VALUES (?, ?, ?)", (form, item, position))
        frame = Frame(int(cur.lastrowid or 0), form, item, position)
        self._frames[frame.id] = frame
        self._engine_frame(frame)
        return frame

    def _engine_frame(self, frame: Frame) -> None:
        self.engine.add_frame(frame.id, frame.form, frame.label, frame.position, self.minimum,
                              self.profile.local_units)

    def _load(self) -> None:
        """(Re)build the engine from what is stored: used on open and after structural changes."""
        with bulk.paused_gc():
            self._rebuild()

    def _rebuild(self) -> None:
        self._engine, self._unchecked = Engine(self.campaign), []
        self._engine.agreed = agreed_mod.by_frame(self.agreed())
        self._frames = {r[0]: Frame(*r) for r in self.conn.execute("SELECT id, form, item, position FROM frames")}
        for frame in self._frames.values():
            self._engine_frame(frame)
        keys = {frame_id: self._keys(frame_id) for frame_id in self._frames}
        self.engine.overrides.blocks.update(
            (block, bool(nanning)) for block, nanning in self.conn.execute("SELECT block, nanning FROM block_overrides"))
        rows = self.conn.execute("SELECT frame_id, id, norm, notes, pos, override FROM rows")
        loaded = []
        for frame_id, row_id, norm, notes, pos, override in rows:
            if override is not None:
                self.engine.overrides[(frame_id, row_id)] = bool(override)
            loaded.append(((frame_id, row_id), decode_values(norm, keys[frame_id]), decode_notes(notes), pos))
        self.engine.load(loaded)

    # -- rows -----------------------------------------------------------------------------------
    def _keys(self, frame_id: int) -> list[str]:
        return list(FRAME_FORMS[self._frames[frame_id].form].normalisers)

    def normalise(self, frame_id: int, raw: Mapping[str, str]) -> NormalRow:
        form = FRAME_FORMS[self._frames[frame_id].form]
        return normalize_row(raw, form.normalisers)

    def _record(self, found: tuple[Any, ...]) -> RowRecord:
        rid, fid, pos, raw, norm, notes, override = found
        values = decode_values(norm, self._keys(fid))
        return RowRecord(rid, fid, pos, decode_raw(raw, values), values, decode_notes(notes), override_from(override))

    def row_ids(self, frame_id: int) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM rows WHERE frame_id = ? ORDER BY pos", (frame_id,))]

    def row(self, frame_id: int, row_id: int) -> RowRecord:
        found = self.conn.execute("SELECT id, frame_id, pos, raw, norm, notes, override FROM rows WHERE id = ?",
                                  (row_id,)).fetchone()
        if not found:
            raise WorkspaceError("该行已不存在。")
        return self._record(found)

    def rows(self, frame_id: int) -> list[RowRecord]:
        cur = self.conn.execute("SELECT id, frame_id, pos, raw, norm, notes, override FROM rows "
                                "WHERE frame_id = ? ORDER BY pos", (frame_id,))
        return [self._record(r) for r in cur]

    def typed(self, frame_id: int, row_ids: Sequence[int] | None = None) -> dict[int, dict[str, str]]:
        """What was typed, by row id, for the rows (of `row_ids`, or all) whose typed text differs from their
        values (the others were typed as they are): the exporter and the grid show free text as typed."""
        if row_ids is None:
            cur = self.conn.execute("SELECT id, raw FROM rows WHERE frame_id = ? AND raw != ''", (frame_id,))
        else:
            cur = self.conn.execute(f"SELECT id, raw FROM rows WHERE id IN ({','.join('?' * len(row_ids))}) "
                                    "AND frame_id = ? AND raw != ''", (*row_ids, frame_id))
        return {row_id: json.loads(raw) for row_id, raw in cur}

    def set_cells(self, frame_id: int, changes: Iterable[tuple[int, str, str]]) -> set[RowKey]:
        """Type text into cells: (row id, column key, text), all in one transaction."""
        by_row: dict[int, dict[str, str]] = {}
        for row_id, key, text in changes:
            by_row.setdefault(row_id, {})[key] = text
        records = [self.row(frame_id, row_id) for row_id in by_row]
        raws = [{**record.raw, **by_row[record.id]} for record in records]
        norms = [self.normalise(frame_id, raw) for raw in raws]
        keys = self._keys(frame_id)
        with self._transaction():
            self.conn.executemany(
                "UPDATE rows SET raw = ?, norm = ?, notes = ? WHERE id = ?",
                [(encode_raw(raw, norm.values), encode_values(norm.values, keys), encode_notes(norm.notes), record.id)
                 for record, raw, norm in zip(records, raws, norms, strict=True)])
        affected: set[RowKey] = set()  # the engine follows only what was committed
        for record, norm in zip(records, norms, strict=True):
            affected |= self.engine.set_row((frame_id, record.id), norm.values, norm.notes, record.pos,
                                            record.override)
        return affected

    def set_cell(self, frame_id: int, row_id: int, key: str, text: str) -> set[RowKey]:
        return self.set_cells(frame_id, [(row_id, key, text)])

    def insert_rows(self, frame_id: int, index: int, raws: Sequence[Mapping[str, str]],
                    ids: Sequence[int] | None = None) -> list[int]:
        """Insert rows before position `index` (append when past the end), in one transaction."""
        if not raws:
            return []
        with bulk.paused_gc():
            return self._insert_rows(frame_id, index, raws, ids)

    def _insert_rows(self, frame_id: int, index: int, raws: Sequence[Mapping[str, str]],
                     ids: Sequence[int] | None) -> list[int]:
        positions = self._positions_between(frame_id, index, len(raws))
        if ids is None:
            first = self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM rows").fetchone()[0]
            ids = range(first, first + len(raws))
        batch = normalize_batch(raws, FRAME_FORMS[self._frames[frame_id].form].normalisers)
        norms, keys = batch.rows, self._keys(frame_id)
        encoded = encode_columns([batch.columns[key] for key in keys], len(norms)) if batch.columns else None
        stored = [(row_id, pos, "" if norm.as_typed else encode_raw(raws[at], norm.values), values,
                   encode_notes(norm.notes) if norm.notes else None) for at, (row_id, pos, norm, values)
                  in enumerate(zip(ids, positions, norms, encoded or encode_values_many([n.values for n in norms], keys),
                                   strict=True))]  # raws[at]: a table makes a row's dict only here
        with self._transaction():
            insert_stored(self.conn, frame_id, stored)
        # stored rows are checked when findings are next asked for (or at validate()), in one batch however
        # many chunks an import arrives in
        self._unchecked.append(([((frame_id, row_id), norm.values, norm.notes, pos)
                                 for row_id, pos, norm in zip(ids, positions, norms, strict=True)], batch.columns))
        return list(ids)

    def import_rows(self, frame_id: int, raws: Sequence[Mapping[str, str]]) -> list[int]:
        """Append rows after the last one (an import)."""
        return self.insert_rows(frame_id, self.row_count(frame_id), raws)

    def row_count(self, frame_id: int) -> int:
        return int(self.conn.execute("SELECT count(*) FROM rows WHERE frame_id = ?", (frame_id,)).fetchone()[0])

    def _positions_between(self, frame_id: int, index: int, count: int) -> list[float]:
        found = positions.between(self.conn, frame_id, index, count)
        if found is None:  # no room left between two rows: number the frame's rows 1, 2, 3… again
            with self._transaction():
                positions.renumber(self.conn, frame_id)
            self._load()
            found = positions.between(self.conn, frame_id, index, count)
        if found is None:  # a million rows inserted at once: more than a frame may hold
            raise WorkspaceError("一次插入的行数过多，请分批插入。")
        return found

    def delete_rows(self, frame_id: int, row_ids: Iterable[int]) -> list[RowRecord]:
        """Delete rows in one transaction; returns them for undo (`restore_rows`)."""
        records = [self.row(frame_id, r) for r in row_ids]
        with self._transaction():
            self.conn.executemany("DELETE FROM rows WHERE id = ?", [(record.id,) for record in records])
        for record in records:
            self.engine.remove_row((frame_id, record.id))
        return records

    def restore_rows(self, records: Sequence[RowRecord]) -> None:
        norms = [self.normalise(r.frame_id, r.raw) for r in records]
        with self._transaction():
            self.conn.executemany(
                "INSERT INTO rows(id, frame_id, pos, raw, norm, notes, override) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r.id, r.frame_id, r.pos, encode_raw(r.raw, norm.values),
                  encode_values(norm.values, self._keys(r.frame_id)), encode_notes(norm.notes),
                  None if r.override is None else int(r.override)) for r, norm in zip(records, norms, strict=True)])
        for r, norm in zip(records, norms, strict=True):
            self.engine.set_row((r.frame_id, r.id), norm.values, norm.notes, r.pos, r.override)

    def set_override(self, frame_id: int, row_id: int, nanning: bool | None) -> set[RowKey]:
        record = self.row(frame_id, row_id)
        with self._transaction():
            self.conn.execute("UPDATE rows SET override = ? WHERE id = ?",
                              (None if nanning is None else int(nanning), row_id))
        return self.engine.set_row((frame_id, row_id), record.values, record.notes, record.pos, nanning)

    def block_override(self, block: str) -> bool | None:
        """The clerk's Nanning decision for every mobile of a 7-digit block (None: none)."""
        return self.engine.overrides.blocks.get(block)

    def set_block_override(self, block: str, nanning: bool | None,
                           rows: Mapping[RowKey, bool | None] | None = None) -> set[RowKey]:
        """Decide for a whole block at once, in one transaction. The block's rows' own overrides are set to
        `rows` (default: all cleared, so every row follows the block; undo passes the old ones back)."""
        if len(block) != 7 or not (block.isascii() and block.isdigit()):
            raise WorkspaceError(f"“{block}”不是7位手机号段（手机号码的前7位）。")
        keys = self.engine.block_rows(block)
        mine = {key: (rows or {}).get(key) for key in keys}
        with self._transaction():
            if nanning is None:
                self.conn.execute("DELETE FROM block_overrides WHERE block = ?", (block,))
            else:
                self.conn.execute("INSERT OR REPLACE INTO block_overrides(block, nanning) VALUES (?, ?)",
                                  (block, int(nanning)))
            self.conn.executemany("UPDATE rows SET override = ? WHERE id = ?",
                                  [(None if value is None else int(value), key[1]) for key, value in mine.items()])
        if nanning is None:
            self.engine.overrides.blocks.pop(block, None)
        else:
            self.engine.overrides.blocks[block] = nanning
        affected: set[RowKey] = set()
        for (frame_id, row_id), value in mine.items():  # the engine follows only what was committed
            record = self.row(frame_id, row_id)
            affected |= self.engine.set_row((frame_id, row_id), record.values, record.notes, record.pos, value)
        return affected

    # -- justifications and texts ---------------------------------------------------------------
    def set_justification(self, row_id: int, code: str, text: str) -> None:
        with self._transaction():
            if text.strip():
                self.conn.execute("INSERT OR REPLACE INTO justifications(row_id, code, text) VALUES (?, ?, ?)",
                                  (row_id, code, text.strip()))
            else:
                self.conn.execute("DELETE FROM justifications WHERE row_id = ? AND code = ?", (row_id, code))

    def justifications(self, frame_id: int) -> dict[tuple[int, str], str]:
        cur = self.conn.execute("SELECT j.row_id, j.code, j.text FROM justifications j JOIN rows r ON r.id = j.row_id "
                                "WHERE r.frame_id = ?", (frame_id,))
        return {(row_id, code): text for row_id, code, text in cur}

    def text(self, key: str, default: str = "") -> str:
        found = self.conn.execute("SELECT value FROM texts WHERE key = ?", (key,)).fetchone()
        return found[0] if found else default

    def set_text(self, key: str, value: str) -> None:
        with self._transaction():
            self.conn.execute("INSERT OR REPLACE INTO texts(key, value) VALUES (?, ?)", (key, value))

    # -- the office's agreed exceptions (forms.checks.agreed) ---------------------------------------------
    def agreed(self) -> list[agreed_mod.Agreed]:
        return agreed_mod.load(self.text(agreed_mod.AGREED_KEY, "[]"))

    def set_agreed(self, items: Sequence[agreed_mod.Agreed]) -> None:
        self.set_text(agreed_mod.AGREED_KEY, agreed_mod.dump(items))
        self.engine.agreed = agreed_mod.by_frame(items)

    # -- findings -------------------------------------------------------------------------------
    def findings(self, frame_id: int) -> list[tuple[int | None, Finding]]:
        """(row id or None, finding) for a frame, whole-frame findings first, then rows in order."""
        found: list[tuple[int | None, Finding]] = [(None, f) for f in self.engine.frame_findings(frame_id)]
        for row_id in self.row_ids(frame_id):
            found.extend((row_id, f) for f in self.engine.row_findings((frame_id, row_id)))
        return found
