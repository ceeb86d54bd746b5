"""The workspace store: edits committed at once, a second process refused, a killed process loses nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forms.store import schema
from forms.store.workspace import Profile, Workspace, WorkspaceError, WorkspaceLocked

ROOT = Path(__file__).resolve().parents[2]
ROW = {"name": "张三", "gender": "男", "unit": "南宁市某公司", "title": "经理", "mobile": "13877112345"}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "交通厅.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    yield workspace
    workspace.close()


def test_create_makes_the_owed_system_frame_and_the_minimum(ws: Workspace) -> None:
    assert [f.form for f in ws.frames()] == ["2"]
    assert ws.minimum == 300
    assert ws.add_hot_item("公路建设").form == "3"
    with pytest.raises(WorkspaceError):
        ws.add_hot_item("公路建设")


def test_edits_are_stored_raw_and_normalised(ws: Workspace) -> None:
    frame = ws.add_hot_item("公路建设")
    [row_id] = ws.insert_rows(frame.id, 0, [ROW])
    ws.set_cell(frame.id, row_id, "mobile", "１３８ 7711 2346")
    record = ws.row(frame.id, row_id)
    assert record.raw["mobile"] == "１３８ 7711 2346" and record.values["mobile"] == "13877112346"


def test_insert_between_delete_and_restore_keep_order(ws: Workspace) -> None:
    frame = ws.add_hot_item("x")
    a, b = ws.insert_rows(frame.id, 0, [{**ROW, "name": "甲"}, {**ROW, "name": "乙"}])
    [c] = ws.insert_rows(frame.id, 1, [{**ROW, "name": "丙"}])
    [d] = ws.insert_rows(frame.id, 0, [{**ROW, "name": "丁"}])
    assert ws.row_ids(frame.id) == [d, a, c, b]
    removed = ws.delete_rows(frame.id, [a, c])
    assert ws.row_ids(frame.id) == [d, b]
    ws.restore_rows(removed)
    assert ws.row_ids(frame.id) == [d, a, c, b]


def test_rows_inserted_again_and_again_at_one_place_renumber_the_frame_and_keep_order(ws: Workspace) -> None:
    frame = ws.add_hot_item("x")
    first, last = ws.insert_rows(frame.id, 0, [{**ROW, "name": "首"}, {**ROW, "name": "尾"}])
    between = [ws.insert_rows(frame.id, 1, [{**ROW, "name": f"中{n}"}])[0] for n in range(40)]  # halving the gap
    assert ws.row_ids(frame.id) == [first, *reversed(between), last]
    positions = [r.pos for r in ws.rows(frame.id)]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    # renumbered on the way: 40 halvings of a gap of 1 would leave two rows 1e-12 apart
    assert min(b - a for a, b in zip(positions, positions[1:], strict=False)) >= 1e-6


def test_findings_follow_edits_across_frames(ws: Workspace) -> None:
    hot = ws.add_hot_item("x")
    [first] = ws.insert_rows(hot.id, 0, [ROW])
    [second] = ws.insert_rows(ws.system_frame().id, 0, [{**ROW, "unit": "南宁市民族大道1号 某局", "postcode": "530022"}])
    system = ws.system_frame().id

    def duplicates() -> list[tuple[int, int]]:
        return [k for k in ((system, second), (hot.id, first))
                if "duplicate-person" in [f.code for f in ws.engine.row_findings(k)]]

    assert duplicates() == [(hot.id, first)]  # the system frame comes first, so the hot row is the repeat
    ws.set_cell(hot.id, first, "mobile", "13877112399")
    assert duplicates() == []


def test_reopen_rebuilds_the_same_findings(ws: Workspace, tmp_path: Path) -> None:
    hot = ws.add_hot_item("x")
    ws.insert_rows(hot.id, 0, [ROW, {**ROW, "gender": "?"}])
    before = [(r, f.code) for r, f in ws.findings(hot.id)]
    ws.close()
    with Workspace.open(ws.path) as again:
        assert [(r, f.code) for r, f in again.findings(hot.id)] == before


def test_second_process_is_refused(ws: Workspace) -> None:
    code = f"from forms.store.workspace import Workspace\nWorkspace.open({str(ws.path)!r})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "WorkspaceLocked" in result.stderr
    with pytest.raises(WorkspaceLocked, match="另一个"):
        Workspace.open(ws.path)


def test_not_a_workspace_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.baosong"
    bad.write_bytes(os.urandom(4096))
    with pytest.raises(WorkspaceError, match="不是报送助手的工作区文件"):
        Workspace.open(bad)
    other = tmp_path / "other.baosong"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(WorkspaceError, match="不是报送助手的工作区文件"):
        Workspace.open(other)


def test_newer_schema_is_refused_and_older_is_migrated(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    with ws.conn:
        ws.conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    ws.close()
    with pytest.raises(WorkspaceError, match="更新版本"):
        Workspace.open(ws.path)
    conn = sqlite3.connect(ws.path)
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    following = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(schema, "SCHEMA_VERSION", following)
    monkeypatch.setitem(schema.MIGRATIONS, following, lambda c: c.execute("CREATE TABLE added_next(x)"))
    with Workspace.open(ws.path) as again:
        assert again.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(following)
        again.conn.execute("SELECT * FROM added_next")


EDITOR = textwrap.dedent("""
    import sys
    from forms.store.workspace import Workspace
    ws = Workspace.open(sys.argv[1])
    frame = ws.hot_frames()[0]
    for n in range(100000):
        [row_id] = ws.insert_rows(frame.id, n, [{"name": f"人{n}", "mobile": "1387711%04d" % n}])
        print(n, flush=True)
""")


def test_sigkill_loses_no_committed_edit(ws: Workspace) -> None:
    ws.add_hot_item("x")
    ws.close()
    proc = subprocess.Popen([sys.executable, "-c", EDITOR, str(ws.path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    reported = -1
    for line in proc.stdout:
        reported = int(line)
        if reported >= 200:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with Workspace.open(ws.path) as again:
        names = [r.raw["name"] for r in again.rows(again.hot_frames()[0].id)]
    assert len(names) >= reported + 1  # every edit reported as done is there
    assert names[: reported + 1] == [f"人{n}" for n in range(reported + 1)]


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_saved(ws: Workspace) -> None:
    frame = ws.add_hot_item("x")
    kept = ws.insert_rows(frame.id, 0, [{**ROW, "name": f"甲{chr(0x4E00 + n)}", "mobile": f"1387711{n:04d}"}
                                        for n in range(20)])
    pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
    ws.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the file cannot grow: as a full disk
    big = [{**ROW, "name": "乙" * 10, "unit": "南宁市" + "很长的单位名称" * 200, "mobile": f"1387722{n:04d}"}
           for n in range(500)]
    with pytest.raises(WorkspaceError, match="磁盘空间已满"):
        ws.insert_rows(frame.id, 20, big)
    with pytest.raises(WorkspaceError, match="之前保存的内容都还在"):
        ws.set_cells(frame.id, [(row_id, "unit", "南宁市" + "很长" * 5000) for row_id in kept])
    assert ws.row_ids(frame.id) == kept  # nothing half-written
    assert ws.engine.row_count(frame.id) == len(kept)  # and the findings follow what is stored
    assert ws.row(frame.id, kept[0]).raw["unit"] == ROW["unit"]
    ws.conn.execute("PRAGMA max_page_count = 1073741823")
    ws.close()
    with Workspace.open(ws.path) as again:
        assert again.row_ids(frame.id) == kept


def test_bulk_rows_are_kept_from_the_collector_until_the_workspace_closes(tmp_path: Path) -> None:
    import gc
    import weakref

    workspace = Workspace.create(tmp_path / "a.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    frame = workspace.system_frame()
    workspace.import_rows(frame.id, [dict(ROW, mobile=f"138771{i:05d}") for i in range(200)])
    workspace.validate()
    assert gc.get_freeze_count() > 0
    engine = weakref.ref(workspace.engine)
    workspace.close()
    assert gc.get_freeze_count() == 0
    del workspace
    gc.collect()
    assert engine() is None  # the engine's own reference cycles are reclaimed once released
