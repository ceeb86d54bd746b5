"""The export's manifest: what it wrote is replaced or removed next time; nothing else is touched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.store.workspace import Profile, Workspace
from forms.tasks import deliver, outputs

GOOD = {"name": "张三", "gender": "男", "unit": "南宁市交通运输局", "title": "科长", "mobile": "13877112345"}


def people(count: int) -> list[dict[str, str]]:
    """`count` different people (Chinese names, Nanning mobiles), none of them GOOD."""
    return [{**GOOD, "name": "王李赵刘陈杨黄周"[n % 8] + "伟芳娜敏静丽强磊军洋"[n // 8 % 10] + "一二三四五六七八九十"[n // 80 % 10],
             "mobile": f"1387711{n + 1:04d}"} for n in range(count)]


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    found = Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    yield found
    found.close()


def test_base_name_takes_the_unfinished_mark_off() -> None:
    assert outputs.base_name("附件3_厅_公路工作评价抽样框_未完成.xlsx") == "附件3_厅_公路工作评价抽样框.xlsx"
    assert outputs.base_name("附件3_厅_未完成_x.xlsx") == "附件3_厅_未完成_x.xlsx"


def test_the_next_export_removes_only_its_own_stale_files(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / "a_未完成.docx"
    old.write_bytes(b"first")
    outputs.settle(ws, out, [old])
    stranger = out / "a.pdf"
    stranger.write_bytes(b"not ours")
    new = out / "a.docx"
    new.write_bytes(b"second")

    settled = outputs.settle(ws, out, [new])

    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "a.pdf"]
    assert settled.removed == [old] and settled.lines() == ["已删除上次导出的旧文件：a_未完成.docx"]


def test_a_single_export_answers_only_for_its_own_deliverable(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    files = [out / n for n in ("a_未完成.xlsx", "b_未完成.xlsx")]
    for f in files:
        f.write_bytes(b"x")
    outputs.settle(ws, out, files)
    (out / "a.xlsx").write_bytes(b"y")

    settled = outputs.settle(ws, out, [out / "a.xlsx"], scope=outputs.same_deliverable(["a.xlsx"]))

    assert settled.removed == [files[0]] and files[1].exists()
    later = outputs.settle(ws, out, [out / "a.xlsx"])  # everything again: b is no longer written, so it goes
    assert later.removed == [files[1]]


def test_a_file_open_elsewhere_is_named_and_tried_again(ws: Workspace, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / "a_未完成.docx"
    old.write_bytes(b"first")
    outputs.settle(ws, out, [old])

    def locked(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "in use")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "unlink", locked)
        settled = outputs.settle(ws, out, [])
    assert settled.locked == [old] and "无法删除" in settled.lines()[0]
    assert outputs.settle(ws, out, []).removed == [old] and not old.exists()


def test_an_unreadable_manifest_removes_nothing(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.docx").write_bytes(b"x")
    ws.set_text(outputs.MANIFEST_KEY, "{not json")
    assert outputs.settle(ws, out, []).removed == [] and (out / "a.docx").exists()


def test_exporting_a_fixed_frame_replaces_its_unfinished_file(ws: Workspace, tmp_path: Path) -> None:
    frame = ws.add_hot_item("公路建设")
    ws.insert_rows(frame.id, 0, [GOOD] * 1)
    first, _ = deliver.export_frame_owned(ws, frame, tmp_path / "out")
    assert first.path.name.endswith("_未完成.xlsx")  # 1 person of 300
    ws.insert_rows(frame.id, 1, people(299))
    assert ws.engine.counts(frame.id)[0] == 0

    second, settled = deliver.export_frame_owned(ws, frame, tmp_path / "out")

    assert [p.name for p in (tmp_path / "out").iterdir()] == [second.path.name]
    assert settled.removed == [first.path]


def test_a_manifest_entry_pointing_outside_the_folder_is_never_followed(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.docx"
    victim.write_bytes(b"keep me")
    digest = outputs.file_digest(victim)
    key = outputs.folder_key(out)
    ws.set_text(outputs.MANIFEST_KEY, json.dumps({key: {"../victim.docx": {"sha256": digest, "what": ""}}}))
    assert outputs.settle(ws, out, []).removed == [] and victim.read_bytes() == b"keep me"
