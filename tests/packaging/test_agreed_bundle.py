"""An agreed exception unblocks packing for exactly its finding; it goes on the handover record and the slip,
and `check` of the workspace reports it as a warning."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.notice import questionnaire
from forms.store.workspace import Profile, Workspace
from packaging import bundle, handover
from tests.e2e.test_cli_bundle import clean_rows
from tests.e2e.test_cli_check import main_py
from tests.forms.test_agreed import TODAY, county_rows, record
from tests.keyrings import MemoryKeyring


@pytest.fixture
def short_of_two(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    ws.import_rows(ws.system_frame().id, county_rows())
    hot = ws.add_hot_item("公路建设")
    ws.import_rows(hot.id, clean_rows(300, 100, surname="试"))
    questionnaire.save(ws, hot.id, questionnaire.starter(hot.item))
    yield ws
    ws.close()


def test_coverage_blocks_packing_until_agreed_then_shows_on_record_and_slip(
        short_of_two: Workspace, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    ws = short_of_two
    with pytest.raises(bundle.BundleRefused) as refused:
        bundle.build_bundle(ws, tmp_path / "out", today=TODAY)
    assert refused.value.problems == ["附件2：还有1处错误"]
    record(ws, ws.system_frame().id, "coverage", "两县无直属单位")

    outcome = bundle.build_bundle(ws, tmp_path / "out", today=TODAY)

    line = "附件2：未覆盖西林县、隆林各族自治县，已与考评办协商调整（考评办二处 张科长，2015年11月10日同意；两县无直属单位）"
    assert outcome.record.agreed == (line,)
    assert bundle.latest_record(ws).agreed == (line,)  # type: ignore[union-attr]
    slip = handover.password_slip_text(outcome.record, department="自治区交通运输厅", subject="抽样框")
    assert f"与考评办协商调整的事项：\n　　{line}\n" in slip


def test_check_of_the_workspace_says_warning_for_the_agreed_finding(short_of_two: Workspace) -> None:
    ws = short_of_two
    path = str(ws.path)
    before = main_py("check", path, "--json")  # locked while open: refused plainly
    assert before.returncode == 2 and "正在被另一个" in before.stderr
    record(ws, ws.system_frame().id, "coverage")
    ws.close()

    result = main_py("check", path, "--json")

    coverage = [f for f in json.loads(result.stdout) if f["code"] == "coverage"]
    assert [(f["severity"], f["sheet"], f["row"]) for f in coverage] == [("warning", "附件2", None)]
    assert "已与考评办协商调整（考评办二处 张科长，2015年11月10日同意）" in coverage[0]["message"]
    assert result.returncode == 0, result.stdout
