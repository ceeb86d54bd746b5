"""The password in the OS credential store: a real Secret Service, and every way of having none."""

from __future__ import annotations

import logging
import uuid

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from packaging import credentials
from packaging.credentials import SERVICE, NoCredentialStore

from .conftest import MemoryKeyring

PASSWORD = "K7PM-Q4XR-W9TF-H3JD-N6CB"
CAMPAIGN = "2015年度社会评价"


def department() -> str:
    return f"测试单位-{uuid.uuid4().hex[:8]}"  # unique, so runs against a real keyring never collide


def test_user_is_department_campaign_archive() -> None:
    user = credentials.keyring_user("南宁市公安局", CAMPAIGN, "a.zip")
    assert user == "南宁市公安局/2015年度社会评价/a.zip"
    assert credentials.keyring_user("南宁/公安", CAMPAIGN, "a.zip").count("/") == 2


# --- a real Secret Service (gnome-keyring), through run_with_keyring.sh ------------------------


def test_secret_service_store_read_delete(secret_service: KeyringBackend) -> None:
    dept = department()
    result = credentials.store(dept, CAMPAIGN, "a.zip", PASSWORD)
    assert result.stored and result.problem is None
    assert result.service == SERVICE == "报送助手"
    assert result.user == f"{dept}/{CAMPAIGN}/a.zip"
    assert "Secret Service" in result.backend and "已保存" in result.message
    assert PASSWORD not in result.message
    # The record is really in the store, under the documented service and user.
    assert secret_service.get_password(SERVICE, result.user) == PASSWORD
    assert credentials.read(dept, CAMPAIGN, "a.zip") == PASSWORD
    assert credentials.read(dept, CAMPAIGN, "other.zip") is None
    assert credentials.delete(dept, CAMPAIGN, "a.zip") is True
    assert credentials.read(dept, CAMPAIGN, "a.zip") is None
    assert credentials.delete(dept, CAMPAIGN, "a.zip") is False


def test_secret_service_keeps_one_record_per_archive(secret_service: KeyringBackend) -> None:
    dept = department()
    assert credentials.store(dept, CAMPAIGN, "a.zip", PASSWORD).stored
    assert credentials.store(dept, CAMPAIGN, "b.zip", "Other-Pass-Word-29").stored
    assert credentials.store(dept, CAMPAIGN, "a.zip", "Rebuilt-Pass-Word-3").stored  # a rebuild replaces
    assert credentials.read(dept, CAMPAIGN, "a.zip") == "Rebuilt-Pass-Word-3"
    assert credentials.read(dept, CAMPAIGN, "b.zip") == "Other-Pass-Word-29"
    for name in ("a.zip", "b.zip"):
        credentials.delete(dept, CAMPAIGN, name)


# --- no working store: never a file, always a plain Chinese outcome ----------------------------


def assert_not_kept(result: credentials.StoreResult, kind: str) -> None:
    assert not result.stored
    assert isinstance(result.problem, NoCredentialStore) and result.problem.kind == kind
    assert result.message == result.problem.message
    assert "不会把密码写进任何文件" in result.message and "抄" in result.message
    assert PASSWORD not in result.message


def test_the_fail_backend_means_no_store(keep_keyring: None) -> None:
    keyring.set_keyring(fail.Keyring())
    assert_not_kept(credentials.store("单位", CAMPAIGN, "a.zip", PASSWORD), "none")
    with pytest.raises(NoCredentialStore) as caught:
        credentials.read("单位", CAMPAIGN, "a.zip")
    assert caught.value.message
    with pytest.raises(NoCredentialStore):
        credentials.delete("单位", CAMPAIGN, "a.zip")


def test_the_null_backend_means_no_store(keep_keyring: None) -> None:
    keyring.set_keyring(null.Keyring())
    assert_not_kept(credentials.store("单位", CAMPAIGN, "a.zip", PASSWORD), "none")


class Dropping(KeyringBackend):
    """Accepts every secret and keeps none, like the Null backend behind another name."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


class Garbling(MemoryKeyring):
    """Keeps something, but not what it was given (a truncating or re-encoding store)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username, password[:8])


@pytest.mark.parametrize("backend", [Dropping(), Garbling()], ids=["drops", "garbles"])
def test_a_secret_that_does_not_read_back_is_not_kept(keep_keyring: None, backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    assert_not_kept(credentials.store("单位", CAMPAIGN, "a.zip", PASSWORD), "dropped")
    if isinstance(backend, MemoryKeyring):
        assert backend.secrets == {}  # the wrong value is not left behind


def test_an_empty_chain_is_no_store(keep_keyring: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())
    assert_not_kept(credentials.store("单位", CAMPAIGN, "a.zip", PASSWORD), "none")


class Locked(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked(f"Failed to unlock the collection while storing {password}")


def test_a_locked_store_says_so_without_echoing_the_password(
    keep_keyring: None, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(Locked())
    with caplog.at_level(logging.DEBUG):
        result = credentials.store("单位", CAMPAIGN, "a.zip", PASSWORD)
    assert_not_kept(result, "refused")
    assert "锁定" in result.message and "KeyringLocked" in result.message
    assert PASSWORD not in caplog.text


class FileBackend(MemoryKeyring):
    pass


FileBackend.__module__ = "keyrings.alt.file"


def test_a_backend_that_writes_files_is_refused(keep_keyring: None) -> None:
    backend = FileBackend()
    keyring.set_keyring(backend)
    assert_not_kept(credentials.store("单位", CAMPAIGN, "a.zip", PASSWORD), "file")
    assert backend.secrets == {}


def test_no_keyring_error_from_the_backend_is_no_store(keep_keyring: None) -> None:
    class Raising(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.NoKeyringError("No recommended backend was available.")

    keyring.set_keyring(Raising())
    with pytest.raises(NoCredentialStore) as caught:
        credentials.read("单位", CAMPAIGN, "a.zip")
    assert caught.value.kind == "none"


def test_a_working_store_logs_where_but_never_the_password(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        result = credentials.store("单位", CAMPAIGN, "a.zip", PASSWORD)
    assert result.stored
    assert memory_keyring.secrets == {(SERVICE, "单位/2015年度社会评价/a.zip"): PASSWORD}
    assert "单位/2015年度社会评价/a.zip" in caplog.text
    assert PASSWORD not in caplog.text
