"""The clerk's Nanning decision for a whole mobile block: one action for every row of the block, in every
frame, kept in the workspace file, undone with the rows' own decisions back, and what the export writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.base.findings import Severity
from forms.store import schema
from forms.store.workspace import Profile, Workspace, WorkspaceError
from forms.tasks import deliver

UNKNOWN = "1977711"  # valid to phonenumbers, not in phone.dat 2312
ROW = {"name": "张三", "gender": "男", "unit": "南宁市青秀区民族大道1号 某某局", "title": "局长", "area_code": "",
       "landline": "2811111", "postcode": "530022"}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.create(tmp_path / "交通厅.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    yield workspace
    workspace.close()


def add(ws: Workspace, frame_id: int, names_mobiles: list[tuple[str, str]]) -> list[int]:
    return ws.import_rows(frame_id, [{**ROW, "name": n, "mobile": m} for n, m in names_mobiles])


def prefix_warnings(ws: Workspace, frame_id: int) -> dict[int, Severity]:
    return {row_id: f.severity for row_id, f in ws.findings(frame_id) if f.code == "mobile-prefix" and row_id}


def exported_mobiles(ws: Workspace, frame_id: int, out: Path) -> list[str]:
    path = deliver.export_frame(ws, ws.frame(frame_id), out).path
    sheet = load_workbook(path).active
    header = next(r for r in sheet.iter_rows(values_only=True) if "手机号码" in r)
    column = header.index("手机号码")
    return [str(r[column]) for r in sheet.iter_rows(values_only=True) if r[1] in ("张三", "李四", "王五")]


def test_one_action_settles_every_row_of_the_block_in_every_frame(ws: Workspace, tmp_path: Path) -> None:
    system, hot = ws.system_frame(), ws.add_hot_item("公路建设")
    a, b = add(ws, system.id, [("张三", UNKNOWN + "0001"), ("李四", "0" + UNKNOWN + "0002")])
    [c] = add(ws, hot.id, [("王五", UNKNOWN + "0003")])
    assert prefix_warnings(ws, system.id) == {a: Severity.WARNING, b: Severity.WARNING}
    assert exported_mobiles(ws, system.id, tmp_path / "before") == ["0" + UNKNOWN + "0001", "0" + UNKNOWN + "0002"]

    affected = ws.set_block_override(UNKNOWN, True)
    assert affected >= {(system.id, a), (system.id, b), (hot.id, c)}
    assert prefix_warnings(ws, system.id) == {} and prefix_warnings(ws, hot.id) == {}
    assert exported_mobiles(ws, system.id, tmp_path / "after") == [UNKNOWN + "0001", UNKNOWN + "0002"]
    assert exported_mobiles(ws, hot.id, tmp_path / "after") == [UNKNOWN + "0003"]

    ws.close()
    with Workspace.open(ws.path) as again:  # kept in the file
        assert again.block_override(UNKNOWN) is True
        assert prefix_warnings(again, system.id) == {}
        [d] = add(again, system.id, [("赵六", UNKNOWN + "0004")])  # a row typed later follows the block too
        assert again.engine.override((system.id, d)) is True and prefix_warnings(again, system.id) == {}


def test_the_block_decision_clears_the_rows_own_and_undo_puts_them_back(ws: Workspace) -> None:
    system = ws.system_frame()
    a, b = add(ws, system.id, [("张三", UNKNOWN + "0001"), ("李四", UNKNOWN + "0002")])
    ws.set_override(system.id, a, False)
    old = {key: ws.engine.overrides.get(key) for key in ws.engine.block_rows(UNKNOWN)}
    ws.set_block_override(UNKNOWN, True)
    assert ws.engine.overrides.get((system.id, a)) is None
    assert [ws.row(system.id, r).override for r in (a, b)] == [None, None]
    assert [ws.engine.override((system.id, r)) for r in (a, b)] == [True, True]

    ws.set_block_override(UNKNOWN, None, old)  # what undo does
    assert ws.block_override(UNKNOWN) is None
    assert [ws.row(system.id, r).override for r in (a, b)] == [False, None]
    assert prefix_warnings(ws, system.id) == {b: Severity.WARNING}
    ws.set_override(system.id, b, True)  # a row's own decision still works alone
    assert prefix_warnings(ws, system.id) == {}


def test_a_block_decision_reaches_only_its_block(ws: Workspace) -> None:
    system = ws.system_frame()
    a, b = add(ws, system.id, [("张三", UNKNOWN + "0001"), ("李四", "19777120002")])
    ws.set_block_override(UNKNOWN, False)
    assert ws.engine.override((system.id, a)) is False and ws.engine.override((system.id, b)) is None
    assert prefix_warnings(ws, system.id) == {b: Severity.WARNING}


@pytest.mark.parametrize("block", ["197771", "19777112", "abcdefg", "１９７７７１１"])
def test_a_block_must_be_seven_digits(ws: Workspace, block: str) -> None:
    with pytest.raises(WorkspaceError, match="不是7位手机号段"):
        ws.set_block_override(block, True)


def test_a_version_2_workspace_gains_the_block_table(ws: Workspace) -> None:
    with ws.conn:
        ws.conn.execute("DROP TABLE block_overrides")
        ws.conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    ws.close()
    with Workspace.open(ws.path) as again:
        assert again.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "3"
        again.set_block_override(UNKNOWN, True)
    assert sqlite3.connect(ws.path).execute("SELECT block, nanning FROM block_overrides").fetchall() == [(UNKNOWN, 1)]
    assert schema.SCHEMA_VERSION == 3


def test_a_cell_being_typed_is_checked_with_the_block_decisions(ws: Workspace) -> None:
    from forms.store.row_status import ScratchCheck

    frame = ws.system_frame()
    scratch = ScratchCheck(ws, frame.id)
    [found] = scratch.check(ROW, "mobile", UNKNOWN + "0001", None)
    assert (found.code, found.severity) == ("mobile-prefix", Severity.WARNING)
    ws.set_block_override(UNKNOWN, True)
    ws.set_profile(liaison="黄小明")  # the workspace's engine is rebuilt: the scratch check follows the new one
    assert scratch.check(ROW, "mobile", UNKNOWN + "0001", None) == []
