"""The headless program under a folder named `测试 文件夹/子目录`: create, import into, export from and bundle a
workspace there, and open the bundle with the real 7-Zip. UTF-8 output on every platform (-X utf8)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.installer import frames
from tests.secret_service import private_secret_service

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-X", "utf8", str(ROOT / "main.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8"),
                                       done.stderr.decode("utf-8"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paths") / "测试 文件夹" / "子目录"
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="module")
def workspace(folder: Path) -> Path:
    ws = folder / "测试厅 工作区.baosong"
    system = frames.write_system(folder / "附件2 系统 抽样框.xlsx")
    hot = frames.write_hot(folder / "附件3 热点 抽样框.xlsx")
    steps = [("new", ws, "--department", frames.DEPARTMENT, "--kind", "gov", "--category", frames.CATEGORY,
              "--no-local-units"),
             ("import", ws, system, "--form", "2"),
             ("import", ws, hot, "--form", "3", "--item", frames.HOT_ITEM)]
    for args in steps:
        done = cli(*args, cwd=folder)
        assert done.returncode == 0, (args[0], done.stderr)
    return ws


def test_create(workspace: Path) -> None:
    assert workspace.is_file() and workspace.parent.name == "子目录"


def test_import_reports_every_row(folder: Path, tmp_path: Path) -> None:
    ws = tmp_path / "测试 文件夹" / "另一个 工作区.baosong"
    ws.parent.mkdir()
    assert cli("new", ws, "--department", frames.DEPARTMENT, "--kind", "gov", cwd=folder).returncode == 0
    done = cli("import", ws, frames.write_system(ws.parent / "附件2 系统.xlsx", 7), "--form", "2", cwd=folder)
    assert done.returncode == 0 and "已导入7行到附件2" in done.stdout


def test_import_with_relative_chinese_paths(folder: Path) -> None:
    """The clerk's own folder as the working directory, every name relative."""
    done = cli("new", "相对 路径.baosong", "--department", frames.DEPARTMENT, "--kind", "gov", cwd=folder)
    assert done.returncode == 0, done.stderr
    frames.write_hot(folder / "相对 热点.xlsx", 5)
    done = cli("import", "相对 路径.baosong", "相对 热点.xlsx", "--form", "3", "--item", "测试 事项", cwd=folder)
    assert done.returncode == 0 and "已导入5行" in done.stdout, done.stderr


def test_export(workspace: Path, folder: Path) -> None:
    out = folder / "导出 文件"
    done = cli("export", workspace, "--out", out, cwd=folder)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert [Path(line).name for line in done.stdout.splitlines()] == sorted(names, key=done.stdout.index)
    system = next(out.glob("附件2_*.xlsx"))
    hot = next(out.glob(f"附件3_{frames.DEPARTMENT}_{frames.HOT_ITEM}*.xlsx"))
    assert load_workbook(system).active.max_row >= 20 + 3 and load_workbook(hot).active.max_row >= 300 + 3


@pytest.fixture
def credential_store() -> Iterator[None]:
    """A private Secret Service where there is one (no record lands in a developer's own keyring)."""
    with private_secret_service():
        yield


def forget(service: str, user: str) -> None:
    """Delete the record in a fresh process (this one's keyring may have settled on "no backend" earlier)."""
    code = "import sys, keyring; keyring.delete_password(sys.argv[1], sys.argv[2])"
    done = subprocess.run([sys.executable, "-c", code, service, user], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr


def sevenzip() -> str:
    found = shutil.which("7z") or (r"C:\Program Files\7-Zip\7z.exe" if sys.platform == "win32" else None)
    if not found or not Path(found).exists():
        if os.environ.get("CI"):
            pytest.fail("7-Zip is required on CI")
        pytest.skip("no 7z: apt-get install p7zip-full")
    return str(found)


def test_bundle_opens_with_7zip(workspace: Path, folder: Path, credential_store: None) -> None:
    tool = sevenzip()
    done = cli("bundle", workspace, "--out", folder / "压缩 包", "--json", "--show-password", cwd=folder)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    if data["password_kept"]:  # leave nothing behind in the store
        forget(data["keyring_service"], data["keyring_user"])
    archive = Path(data["archive"])
    assert archive.parent == folder / "压缩 包" and archive.is_file()
    target = folder / "解压 目录"
    opened = subprocess.run([tool, "x", f"-p{data['password']}", f"-o{target}", str(archive)], capture_output=True)
    assert opened.returncode == 0, opened.stdout
    members = {m["name"]: m["sha256"] for m in data["members"]}
    assert set(members) == {p.name for p in target.iterdir()} and len(members) == 2
    assert all(hashlib.sha256((target / name).read_bytes()).hexdigest() == sha for name, sha in members.items())
