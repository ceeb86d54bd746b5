"""Fixtures for the packaging tests: sample exported files, 7-Zip, and keyring backends."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from openpyxl import Workbook

from tests.keyrings import MemoryKeyring

REQUIRE_SECRET_SERVICE = "BAOSONG_REQUIRE_SECRET_SERVICE"


def _missing(what: str, how: str) -> None:
    """Skip when a real tool is absent; fail instead on CI, where a skip would hide it."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required on CI: {how}")
    pytest.skip(f"{what} not available: {how}")


@pytest.fixture
def sevenzip() -> str:
    path = shutil.which("7z")
    if path is None:
        _missing("7-Zip (7z)", "apt-get install -y --no-install-recommends p7zip-full")
    assert path is not None
    return path


def write_frame(path: Path, rows: int = 20) -> Path:
    """A small exported frame (.xlsx) with Chinese headers and personal-looking data."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("附件2")
    ws.append(["序号", "姓名", "联系电话", "地址"])
    for n in range(1, rows + 1):
        ws.append([n, f"测试{n:03d}", f"1387711{n:04d}", f"南宁市青秀区民族大道{n}号"])
    wb.save(path)
    return path


@pytest.fixture
def frames(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "导出"
    folder.mkdir()
    return [write_frame(folder / f"附件{n}_南宁市公安局_抽样框.xlsx", rows=10 * n) for n in range(2, 5)]


@pytest.fixture
def questionnaire(tmp_path: Path) -> Path:
    path = tmp_path / "导出" / "热点难点工作评议问卷_南宁市公安局.docx"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"PK\x03\x04 not really a docx, the bytes only need to survive the trip")
    return path


# --- keyring ---------------------------------------------------------------------------------


@pytest.fixture
def keep_keyring() -> Iterator[None]:
    """Put back whatever backend was active: tests swap it with keyring.set_keyring."""
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring(keep_keyring: None) -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def _secret_service_problem() -> str | None:
    """None when a Secret Service answers a store/read/delete round trip, else why not."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)"
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        backend.priority  # noqa: B018  (raises when secretstorage or the service is missing)
        probe = f"probe-{uuid.uuid4()}"
        backend.set_password("报送助手-tests", probe, "probe")
        ok = backend.get_password("报送助手-tests", probe) == "probe"
        backend.delete_password("报送助手-tests", probe)
    except Exception as exc:  # any failure means: not reachable here
        return f"{type(exc).__name__}: {exc}"
    return None if ok else "the service dropped a probe secret"


@pytest.fixture(scope="session")
def private_bus() -> Iterator[bool]:
    from tests.secret_service import private_secret_service

    with private_secret_service() as started:
        yield started


@pytest.fixture
def secret_service(keep_keyring: None, private_bus: bool) -> KeyringBackend:
    """The real Secret Service backend (gnome-keyring), or a skip that says why it is not reachable.

    Run the tests through tests/packaging/run_with_keyring.sh to have one; there the variable
    BAOSONG_REQUIRE_SECRET_SERVICE=1 turns the skip into a failure so the real run cannot go silent.
    """
    problem = _secret_service_problem()
    if problem is not None:
        reason = f"no Secret Service reachable ({problem}); run tests/packaging/run_with_keyring.sh"
        if os.environ.get(REQUIRE_SECRET_SERVICE) or os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    return backend
