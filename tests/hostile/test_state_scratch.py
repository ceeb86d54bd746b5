"""Plain copies of personal data live only in a scratch folder of the program's own: never in --out, never
in the shared temp folder (openpyxl's spool files included); gone on every way out, and what a kill -9
left is removed and named at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forms.base import scratch
from forms.store.workspace import Workspace
from packaging import archive, bundle
from tests.e2e.test_cli_bundle import clean_rows, ready_workspace
from tests.gui.conftest import no_unexpected_message_box, said  # noqa: F401 - fixtures used here

ROOT = Path(__file__).resolve().parents[2]


def environment(tmp_path: Path) -> dict[str, str]:
    for name in ("home", "data", "tmp"):
        (tmp_path / name).mkdir(exist_ok=True)
    return {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "TMPDIR": str(tmp_path / "tmp"),
            "PYTHON_KEYRING_BACKEND": "tests.keyrings.MemoryKeyring"}


def plain_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.name != scratch.LOCK_NAME]


def big_workspace(folder: Path) -> Path:
    path = ready_workspace(folder)
    with Workspace.open(path) as ws:
        ws.import_rows(ws.hot_frames()[0].id, clean_rows(9000, 1000, surname="李"))
    return path


def test_kill_9_mid_bundle_then_the_next_run_cleans_up_and_says_so(tmp_path: Path) -> None:
    env = environment(tmp_path)
    ws, out = big_workspace(tmp_path), tmp_path / "out"
    scratch_root = tmp_path / "data" / "Baosong" / scratch.FOLDER_NAME
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "bundle", str(ws), "--out", str(out)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.name.startswith("openpyxl.") and p.stat().st_size for p in plain_files(scratch_root)
               if p.exists()):
            break
        time.sleep(0.002)
    assert process.poll() is None, "the bundle ended before the export was caught writing"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    left = plain_files(scratch_root)
    assert left, "a kill mid-export leaves its spool file in the scratch folder (only there)"
    assert not [p for p in out.rglob("*") if p.suffix != ".zip" or p.name.startswith(".")] if out.exists() else True
    assert plain_files(tmp_path / "tmp") == []  # openpyxl spooled into our folder, not the shared temp folder
    assert all(p.name != "out" for p in left)

    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(tmp_path / "none.xlsx")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "已删除上次异常退出时留下的未加密临时文件" in result.stderr and str(scratch_root) in result.stderr
    assert "Traceback" not in result.stderr
    assert plain_files(scratch_root) == [] and list(scratch_root.iterdir()) == []
    again = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(tmp_path / "none.xlsx")],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "临时文件" not in again.stderr  # said once, when it was found


def test_a_finished_bundle_leaves_no_plain_copy_anywhere(tmp_path: Path) -> None:
    env = environment(tmp_path)
    ws, out = ready_workspace(tmp_path), tmp_path / "out"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "bundle", str(ws), "--out", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [p.suffix for p in out.iterdir()] == [".zip"]
    assert plain_files(tmp_path / "tmp") == [] and plain_files(tmp_path / "data") == []


@pytest.mark.parametrize("stop", [KeyboardInterrupt, archive.ArchiveError])
def test_every_way_out_removes_the_scratch_folder(stop: type[BaseException], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    seen: list[Path] = []

    def interrupted(out_dir: Path, name: str, members: list[Path], *_a: object, **_k: object) -> None:
        seen.extend(Path(m) for m in members)
        assert all(p.exists() and p.is_relative_to(scratch.root()) for p in seen)
        raise stop("在核对时被打断") if stop is not KeyboardInterrupt else stop()

    monkeypatch.setattr(archive, "build_archive", interrupted)
    with Workspace.open(ready_workspace(tmp_path)) as ws, pytest.raises(stop):
        bundle.build_bundle(ws, tmp_path / "out", "Kx7#mQ2!vR9@tL4$-long")
    assert seen and not any(p.exists() for p in seen)
    assert list(scratch.root().iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == []


def test_a_live_scratch_folder_is_not_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with scratch.folder("导出") as live:
        (live / "附件2.xlsx").write_bytes(b"plain")
        assert scratch.sweep() == [] and (live / "附件2.xlsx").exists()
    assert not live.exists()


def test_the_window_names_what_it_cleaned_at_start(qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  said: dict[str, list[str]]) -> None:  # noqa: F811
    from gui.app import report_leftovers
    from gui.main_window import MainWindow
    from gui.settings import AppSettings

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    stale = scratch.root() / "导出-crashed"
    stale.mkdir(parents=True)
    (stale / scratch.LOCK_NAME).write_bytes(b"")  # its owner is gone: nobody holds the lock
    (stale / "附件3_自治区测试厅_公路建设评价抽样框.xlsx").write_bytes(b"plain")
    window = MainWindow(AppSettings(tmp_path / "settings.ini"), save_dir=tmp_path)
    message = report_leftovers(window)
    assert not stale.exists()
    assert said["information"] == [message] and str(stale) in message and "公路建设评价抽样框.xlsx" in message
    assert report_leftovers(window) == "" and len(said["information"]) == 1
    window.close()


def test_kill_9_mid_export_leaves_no_half_written_file_after_the_next_start(tmp_path: Path) -> None:
    env = environment(tmp_path)
    ws, out = big_workspace(tmp_path), tmp_path / "out"
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "export", str(ws), "--out", str(out)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, caught = time.monotonic() + 120, []
    while time.monotonic() < deadline and process.poll() is None and not caught:
        caught = list(out.glob(".~*.tmp")) if out.exists() else []
        time.sleep(0.001)
    assert process.poll() is None and caught, "the export ended before it was caught writing a temp file"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert [p for p in caught if p.exists()], "a kill mid-write leaves the temp file beside its target"

    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(tmp_path / "none.xlsx")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "已删除上次异常退出时写了一半的文件" in result.stderr and caught[0].name in result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.glob(".~*")) == [] and not any(p.name.startswith(".") for p in out.rglob("*"))


def test_every_atomic_writer_records_its_temp_file_in_the_scratch_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from forms.documents.files import atomic_write
    from forms.sheets.excel_out import save_atomically
    from packaging._fs import atomic_write_bytes

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    seen: list[str] = []

    def died(target: Path) -> None:  # the moment of a crash: the temp file exists and is on record
        journals = list(scratch.root().rglob(scratch.BESIDE_LIST))
        temps = list(target.parent.glob(".~*.tmp"))
        assert len(temps) == 1 and journals and str(temps[0]) in journals[0].read_text(encoding="utf-8")
        seen.append(target.name)
        raise KeyboardInterrupt

    def sheet(wb: object) -> None:
        died(tmp_path / "a.xlsx")

    def document(fh: object) -> None:
        died(tmp_path / "b.docx")

    monkeypatch.setattr(os, "fsync", lambda fd: died(tmp_path / "c.eml"))
    for write in (lambda: save_atomically(tmp_path / "a.xlsx", sheet, write_only=True),
                  lambda: atomic_write(tmp_path / "b.docx", document),
                  lambda: atomic_write_bytes(tmp_path / "c.eml", b"mail")):
        with pytest.raises(KeyboardInterrupt):
            write()
    assert seen == ["a.xlsx", "b.docx", "c.eml"]
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []  # every way out removes the temp file


def test_the_sweep_removes_only_temp_files_of_our_own_pattern(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    out = tmp_path / "我的 文件夹"
    out.mkdir()
    half = out / ".~附件3.xlsx.0123456789abcdef.tmp"
    journal_of_backup = out / ".~交通厅.baosong.fedcba9876543210.tmp"
    clerks = [out / "附件3.xlsx", out / "笔记.tmp", out / ".~不是我们的"]
    for path in (half, journal_of_backup, Path(f"{journal_of_backup}-journal"), *clerks):
        path.write_bytes(b"x")
    crashed = scratch.root() / "写入-crashed"
    crashed.mkdir(parents=True)
    (crashed / scratch.LOCK_NAME).write_bytes(b"")
    (crashed / scratch.BESIDE_LIST).write_text(
        "\n".join(str(p) for p in (half, journal_of_backup, *clerks, tmp_path / "gone.tmp")) + "\n\0garbage\n",
        encoding="utf-8")

    leftovers = scratch.sweep()
    assert not half.exists() and not journal_of_backup.exists()
    assert not Path(f"{journal_of_backup}-journal").exists()
    assert all(p.exists() for p in clerks)  # a damaged record never removes a clerk's own file
    message = scratch.describe(leftovers)
    assert "写了一半的文件" in message and half.name in message and "附件3.xlsx、" not in message
    assert not crashed.exists() and scratch.sweep() == []
