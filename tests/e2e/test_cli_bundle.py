"""`python main.py bundle`: refused while errors remain; otherwise an AES-256 archive that the real 7-Zip opens
with the password from the real credential store, every member equal to the export, nothing in plain left."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from forms.notice import questionnaire
from forms.store.workspace import Profile, Workspace
from tests.e2e.test_cli_check import main_py
from tests.secret_service import private_secret_service

DEPARTMENT = "自治区测试厅"


def clean_rows(count: int, first_mobile: int, surname: str = "测") -> list[dict[str, str]]:
    return [{"name": surname + chr(0x4E00 + n // 200) + chr(0x4E00 + n % 200), "gender": "男",
             "unit": f"南宁市青秀区民族大道{n + 1}号 某单位", "title": "科员",
             "mobile": f"1387711{first_mobile + n:04d}", "postcode": "530022"} for n in range(count)]


@pytest.fixture(scope="module")
def keyring_env() -> Iterator[None]:
    with private_secret_service() as started:
        if not started:
            if os.environ.get("CI"):
                pytest.fail("a Secret Service is required on CI (gnome-keyring, dbus)")
            pytest.skip("no gnome-keyring/dbus here: apt-get install gnome-keyring dbus")
        yield


def ready_workspace(folder: Path) -> Path:
    path = folder / "测试厅.baosong"
    with Workspace.create(path, Profile(DEPARTMENT, "gov", "专项事务管理", local_units=False)) as ws:
        ws.import_rows(ws.system_frame().id, clean_rows(20, 0))
        hot = ws.add_hot_item("公路建设")
        ws.import_rows(hot.id, clean_rows(300, 100, surname="试"))
        questionnaire.save(ws, hot.id, questionnaire.starter(hot.item))
    return path


def sevenzip() -> str:
    found = shutil.which("7z")
    if not found:
        pytest.fail("7-Zip is required: apt-get install p7zip-full") if os.environ.get("CI") else pytest.skip("no 7z")
    return str(found)


def test_refused_while_errors_remain(tmp_path: Path, keyring_env: None) -> None:
    path = tmp_path / "w.baosong"
    main_py("new", str(path), "--department", DEPARTMENT, "--kind", "gov")
    result = main_py("bundle", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "附件2" in result.stderr and "热点" in result.stderr
    assert not list((tmp_path / "out").glob("*.zip")) if (tmp_path / "out").exists() else True


def test_a_short_questionnaire_is_named_before_mailing(tmp_path: Path, keyring_env: None) -> None:
    ws_path = ready_workspace(tmp_path)
    with Workspace.open(ws_path) as ws:
        frame = ws.hot_frames()[0]
        questionnaire.save(ws, frame.id, questionnaire.starter(frame.item)[:4])
    result = main_py("bundle", str(ws_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0 and "评议问卷（公路建设）" in result.stderr and "不少于5个" in result.stderr


def test_bundle_opens_with_7zip_and_the_stored_password(tmp_path: Path, keyring_env: None) -> None:
    ws_path = ready_workspace(tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    result = main_py("bundle", str(ws_path), "--out", str(tmp_path / "out"), "--json", tmpdir=temp)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "password" not in data and data["password_kept"] is True
    password = keyring.get_password(data["keyring_service"], data["keyring_user"])
    assert password and data["keyring_user"].startswith(f"{DEPARTMENT}/2015/")
    archive = Path(data["archive"])
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == data["sha256"]
    listing = subprocess.run([sevenzip(), "l", "-slt", str(archive)], capture_output=True, text=True)
    assert "AES-256" in listing.stdout
    out = tmp_path / "x"
    ok = subprocess.run([sevenzip(), "x", f"-p{password}", f"-o{out}", str(archive)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    members = {m["name"]: m["sha256"] for m in data["members"]}
    assert set(members) == {p.name for p in out.iterdir()} and len(members) == 2
    for file in out.iterdir():
        assert hashlib.sha256(file.read_bytes()).hexdigest() == members[file.name]
    wrong = subprocess.run([sevenzip(), "x", "-pWRONG-PASS-WORD", f"-o{tmp_path / 'y'}", str(archive)],
                           capture_output=True, text=True)
    assert wrong.returncode == 2 and "Wrong password" in (wrong.stdout + wrong.stderr)
    left = [p for p in (tmp_path / "out").rglob("*") if p.suffix == ".xlsx"]
    assert left == []  # the plain exports are gone
    scanned = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".zip"]
    assert ws_path in scanned  # the workspace (and its WAL), the temp folder, the output folder
    forms_of_it = [password.encode(), password.replace("-", "").encode(), password.encode("utf-16-le")]
    leaks = [p for p in scanned for form in forms_of_it if form in p.read_bytes()]
    assert leaks == []
    assert password not in result.stdout + result.stderr


def test_a_short_questionnaire_packed_inside_holds_the_archive(tmp_path: Path) -> None:
    from packaging.bundle import BundleRefused, build_bundle

    with Workspace.open(ready_workspace(tmp_path)) as ws:
        frame = ws.hot_frames()[0]
        questionnaire.save(ws, frame.id, questionnaire.starter(frame.item)[:4])
        with pytest.raises(BundleRefused) as refused:
            build_bundle(ws, tmp_path / "out", questionnaires_inside=True)
    assert any("评议问卷（公路建设）" in p for p in refused.value.problems)
    assert not list((tmp_path / "out").glob("*.zip")) if (tmp_path / "out").exists() else True


def test_a_rebuild_removes_the_old_mail_draft_and_check_sees_the_edit(tmp_path: Path, keyring_env: None) -> None:
    ws_path, out = ready_workspace(tmp_path), tmp_path / "out"
    first = main_py("bundle", str(ws_path), "--out", str(out), "--json")
    assert first.returncode == 0, first.stderr
    archive = Path(json.loads(first.stdout)["archive"])
    draft = out / f"{archive.stem}_邮件草稿.eml"
    draft.write_bytes(b"X-Unsent: 1\r\n\r\nthe old zip attached")
    assert main_py("check", str(ws_path), "--json").returncode == 0
    with Workspace.open(ws_path) as ws:
        hot = ws.hot_frames()[0]
        ws.set_cell(hot.id, ws.row_ids(hot.id)[0], "title", "副科长")
    stale = main_py("check", str(ws_path), "--json")
    assert stale.returncode == 1
    assert [f["severity"] for f in json.loads(stale.stdout) if f["code"] == "bundle-stale"] == ["error"]

    again = main_py("bundle", str(ws_path), "--out", str(out), "--overwrite")

    assert again.returncode == 0, again.stderr
    assert f"已删除旧的邮件草稿：{draft.name}（附的是旧压缩包；请重新生成邮件草稿）" in again.stderr
    assert sorted(p.name for p in out.iterdir()) == [archive.name]
    assert main_py("check", str(ws_path), "--json").returncode == 0
