"""After the archive is built, a later change marks it 需重新生成 (with what changed) until it is rebuilt."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.store.workspace import Workspace
from forms.tasks import packed, steps
from forms.tasks.check import check_workspace
from packaging import bundle, credentials, handover, maildraft
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


def test_a_file_date_set_after_the_build_marks_the_archive_stale(built: Workspace) -> None:
    """报送时间 is printed on every packed sheet: a date set later disagrees with the archive."""
    from forms.tasks import filedate

    assert bundle_label(built) == "已生成"
    built.set_text(filedate.KEY, "2015-11-12")
    assert bundle_label(built) == "需重新生成：单位信息（名称、类别、报送时间）已修改"
    built.set_text(filedate.KEY, "")  # unset again: what the archive was built with
    assert bundle_label(built) == "已生成"


def test_a_told_archive_goes_stale_too_and_a_rebuild_clears_it(built: Workspace, tmp_path: Path) -> None:
    record = bundle.latest_record(built)
    assert record is not None
    bundle.save_record(built, handover.mark_told(record, told_to="考评办张科长", told_how="电话", told_by="黄小明"))
    assert bundle_label(built) == "已告知密码"
    built.add_hot_item("城市道路")
    built.set_profile(department="自治区测试运输厅")

    changed = packed.archive_changes(built)

    assert changed == ["单位信息（名称、类别、报送时间）已修改", "新增附件3（城市道路）"]
    assert bundle_label(built) == "需重新生成：单位信息（名称、类别、报送时间）已修改、新增附件3（城市道路）"
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


def write_draft(ws: Workspace, out: Path) -> Path:
    record = bundle.latest_record(ws)
    assert record is not None
    return maildraft.write_mail_draft(out / maildraft.mail_draft_name(record.archive_name),
                                      department="自治区测试厅", year=2015, archive=out / record.archive_name).path


def test_a_rebuild_removes_the_old_archive_its_mail_draft_and_its_password(built: Workspace, tmp_path: Path,
                                                                         memory_keyring: MemoryKeyring) -> None:
    out = tmp_path / "out"
    old = bundle.latest_record(built)
    assert old is not None
    draft = write_draft(built, out)
    bundle.save_record(built, handover.mark_told(old, told_to="考评办张科长", told_how="电话", told_by="黄小明"))
    before = sorted(p.name for p in out.iterdir())
    assert before == sorted([old.archive_name, draft.name])
    assert credentials.read("自治区测试厅", "2015", old.archive_name) is not None

    outcome = bundle.build_bundle(built, out, today=TODAY + dt.timedelta(days=1))

    after = sorted(p.name for p in out.iterdir())
    assert after == [outcome.archive.path.name] and outcome.archive.path.name != old.archive_name
    assert credentials.read("自治区测试厅", "2015", old.archive_name) is None
    assert outcome.retired[:2] == [f"已删除旧的邮件草稿：{draft.name}（附的是旧压缩包；请重新生成邮件草稿）",
                                   f"已删除旧压缩包：{old.archive_name}（密码与新压缩包不同）"]
    assert "请把新密码重新告知考评办" in outcome.retired[2]
    assert bundle_label(built) == "已生成"


def test_an_overwrite_on_the_same_day_removes_the_draft_and_a_changed_old_archive_stays(
        built: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    draft = write_draft(built, out)
    outcome = bundle.build_bundle(built, out, today=TODAY, overwrite=True)
    assert not draft.exists() and outcome.archive.path.exists()
    assert outcome.retired == [f"已删除旧的邮件草稿：{draft.name}（附的是旧压缩包；请重新生成邮件草稿）"]
    outcome.archive.path.write_bytes(b"the clerk replaced it")  # no longer what the record says: not ours to remove

    again = bundle.build_bundle(built, out, today=TODAY + dt.timedelta(days=2))

    assert outcome.archive.path.read_bytes() == b"the clerk replaced it"
    assert again.retired == [f"旧压缩包“{outcome.archive.path.name}”生成后被改动过，没有删除：请确认后自行处理，切勿误发。"]


def test_check_takes_one_workspace_alone(tmp_path: Path) -> None:
    ws = ready_workspace(tmp_path)
    result = main_py("check", str(ws), str(tmp_path / "x.xlsx"))
    assert result.returncode == 2 and "只能给出一个 .baosong 文件" in result.stderr
    text = main_py("check", str(ws))
    assert text.returncode == 0 and text.stdout.strip() == "共0处错误，0处提醒。"
