"""After the archive is built, a later change marks it 需重新生成 (with what changed) until it is rebuilt."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms import packed, steps
from forms.check import check_workspace
from forms.workspace import Workspace
from packaging import bundle
from tests.e2e.test_cli_bundle import ready_workspace
from tests.e2e.test_cli_check import main_py
from tests.keyrings import MemoryKeyring

TODAY = dt.date(2015, 11, 10)


@pytest.fixture
def built(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Workspace]:
    ws = Workspace.open(ready_workspace(tmp_path))
    bundle.build_bundle(ws, tmp_path / "out", today=TODAY)
    yield ws
    ws.close()


def bundle_label(ws: Workspace) -> str:
    return steps.status_of(ws, "bundle", TODAY).label


def test_an_edit_after_the_build_marks_the_archive_stale_and_names_the_frame(built: Workspace) -> None:
    assert bundle_label(built) == "已生成"
    hot = built.hot_frames()[0]
    row_id = built.row_ids(hot.id)[5]
    old = built.row(hot.id, row_id).raw["title"]

    built.set_cell(hot.id, row_id, "title", "副科长")

    assert bundle_label(built) == "需重新生成：附件3（公路建设）已修改"
    assert steps.status_of(built, "bundle", TODAY).state is steps.State.ERRORS
    built.set_cell(hot.id, row_id, "title", old)  # put back as it was packed: the archive is right again
    assert bundle_label(built) == "已生成"


def test_a_told_archive_goes_stale_too_and_a_rebuild_clears_it(built: Workspace, tmp_path: Path) -> None:
    record = bundle.latest_record(built)
    assert record is not None
    from packaging import handover
    bundle.save_record(built, handover.mark_told(record, told_to="考评办张科长", told_how="电话", told_by="黄小明"))
    assert bundle_label(built) == "已告知密码"
    built.add_hot_item("城市道路")
    built.set_profile(department="自治区测试运输厅")

    changed = packed.archive_changes(built)

    assert changed == ["单位信息（名称、类别）已修改", "新增附件3（城市道路）"]
    assert bundle_label(built) == "需重新生成：单位信息（名称、类别）已修改、新增附件3（城市道路）"
    built.remove_frame(built.hot_frames()[1].id)
    built.set_profile(department="自治区测试厅")
    assert bundle_label(built) == "已告知密码"


def test_check_of_the_workspace_reports_the_stale_archive_as_an_error(built: Workspace, tmp_path: Path) -> None:
    hot = built.hot_frames()[0]
    built.delete_rows(hot.id, built.row_ids(hot.id)[:1])
    path = str(built.path)
    built.close()  # the workspace is locked while open
    found = [f for f in check_workspace(path).findings if f.code == "bundle-stale"]
    assert len(found) == 1 and "附件3（公路建设）已修改" in found[0].message

    result = main_py("check", path, "--json")

    data = json.loads(result.stdout)
    stale = [f for f in data if f["code"] == "bundle-stale"]
    assert stale == [{"file": path, "form": "", "sheet": "", "row": None, "column": None, "code": "bundle-stale",
                      "severity": "error", "message": found[0].message}]
    assert result.returncode == 1
    below = [f for f in data if f["code"] == "below-minimum"]
    assert below and below[0]["severity"] == "error" and below[0]["sheet"] == "附件3（公路建设）"
