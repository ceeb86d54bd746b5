"""A full disk, for real: a small tmpfs filled to leave N KB, N stepped through the whole write sequence of
`new`, `export`, `bundle` and `backup`. Each run ends in one Chinese message and exit 2 (or succeeds),
leaves no half-written or 0-byte file (so a retry works), and prints nothing else: no traceback, no
"Exception ignored … seek of closed file"."""

from __future__ import annotations

import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from cli import commands as cli
from cli.bundle import add_bundle
from forms.store.workspace import Workspace
from tests.e2e.test_cli_bundle import ready_workspace
from tests.keyrings import MemoryKeyring

DISK_KB = 768
FREE_KB = list(range(0, 161, 8))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ready_workspace(tmp_path_factory.mktemp("ws"))


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of DISK_KB mounted for the test (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_KB}k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()}): needs root")
    try:
        yield mount
    finally:
        gc.collect()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, free_kb: int) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as fh:
        try:
            fh.write(bytes((DISK_KB - free_kb) * 1024))
        except OSError:
            pass
    stat = os.statvfs(disk)
    assert abs(stat.f_bavail * stat.f_frsize - free_kb * 1024) <= 4096
    return filler



def run(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.run(list(args), extensions=[add_bundle])
    gc.collect()  # a zip left half-closed would complain now ("Exception ignored …"), inside the capture
    return code, capfd.readouterr().err


def assert_clean_failure(code: int, err: str) -> None:
    assert code == 2, err
    assert "磁盘空间" in err and ("已满" in err or "不足" in err), err
    for noise in ("Traceback", "Exception ignored", "Error:", "No space left"):
        assert noise not in err, err


def leftovers(folder: Path) -> list[str]:
    """Files that are not finished deliverables: hidden temp files, .part/.tmp, 0-byte files."""
    if not folder.exists():
        return []
    return [p.name for p in folder.rglob("*") if p.is_file() and (
        p.name.startswith(".") or p.suffix in (".tmp", ".part") or p.stat().st_size == 0)]


pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")


@pytest.mark.parametrize("free_kb", FREE_KB)
def test_new(free_kb: int, disk: Path, capfd: pytest.CaptureFixture[str]) -> None:
    filler = fill(disk, free_kb)
    path = disk / "测试厅.baosong"
    code, err = run(capfd, "new", str(path), "--department", "自治区测试厅", "--kind", "gov")
    if code:
        assert_clean_failure(code, err)
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no 0-byte file blocking the retry
        filler.unlink()
        code, err = run(capfd, "new", str(path), "--department", "自治区测试厅", "--kind", "gov")
    assert code == 0, err
    with Workspace.open(path) as ws:
        assert ws.profile.department == "自治区测试厅"


@pytest.mark.parametrize("free_kb", FREE_KB)
def test_export(free_kb: int, disk: Path, source: Path, capfd: pytest.CaptureFixture[str]) -> None:
    fill(disk, free_kb)
    out = disk / "out"
    code, err = run(capfd, "export", str(source), "--out", str(out))
    if code:
        assert_clean_failure(code, err)
    assert leftovers(out) == []
    for path in out.glob("*.xlsx") if out.exists() else []:
        assert load_workbook(path, read_only=True).sheetnames  # every file there is whole
    for path in out.glob("*.docx") if out.exists() else []:
        assert Document(str(path)).paragraphs is not None


@pytest.mark.parametrize("free_kb", FREE_KB)
def test_bundle(free_kb: int, disk: Path, source: Path, store: MemoryKeyring,
                capfd: pytest.CaptureFixture[str]) -> None:
    fill(disk, free_kb)
    out = disk / "zip"
    code, err = run(capfd, "bundle", str(source), "--out", str(out))
    if code:
        assert_clean_failure(code, err)
        assert not out.exists() or list(out.iterdir()) == []
        assert store.secrets == {}  # no password kept for an archive that is not there
    else:
        assert [p.suffix for p in out.iterdir()] == [".zip"]
    assert leftovers(out) == []


@pytest.mark.parametrize("free_kb", FREE_KB)
def test_backup(free_kb: int, disk: Path, source: Path, capfd: pytest.CaptureFixture[str]) -> None:
    fill(disk, free_kb)
    target = disk / "备份.baosong"
    code, err = run(capfd, "backup", str(source), "--out", str(target))
    if code:
        assert_clean_failure(code, err)
        assert not target.exists()
    else:
        with Workspace.open(target) as ws:
            assert ws.hot_frames()
    assert leftovers(disk) == []
