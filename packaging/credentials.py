"""The archive password in the OS credential store (Windows Credential Manager, Secret Service, Keychain).

One record per archive: service ``报送助手``, user ``<department>/<campaign>/<archive file name>``.
What is stored is read back at once: the Null backend (``keyring --disable``) and an empty chain
accept a secret and drop it. When no store works the outcome says so plainly; the password is then
shown once for the clerk to write down. There is never a fallback to a file, and a configured
backend that keeps secrets in a file (keyrings.alt) is refused.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from forms.base.errors import UserError

log = logging.getLogger(__name__)
T = TypeVar("T")

SERVICE = "报送助手"

_WRITE_IT_DOWN = (
    "程序不会把密码写进任何文件：请现在把密码抄在密码告知单上并妥善保管，关闭本窗口后程序将无法再次显示它。"
)
_FRIENDLY = {
    "keyring.backends.Windows": "Windows 凭据管理器",
    "keyring.backends.SecretService": "系统密钥环（Secret Service）",
    "keyring.backends.libsecret": "系统密钥环（libsecret）",
    "keyring.backends.kwallet": "KDE 钱包",
    "keyring.backends.macOS": "macOS 钥匙串",
}


class NoCredentialStore(UserError):
    """No working credential store; ``message`` (Chinese) says what the clerk should do instead.

    ``kind`` is one of "none" (no backend), "file" (a backend that writes files, refused),
    "refused" (locked, or the store said no), "dropped" (stored but not read back).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class StoreResult:
    stored: bool
    service: str
    user: str
    backend: str
    message: str
    problem: NoCredentialStore | None = None


def keyring_user(department: str, campaign: str, archive_name: str) -> str:
    """``<department>/<campaign>/<archive file name>``; a ``/`` inside a part is made full-width."""
    return "/".join(part.replace("/", "／") for part in (department, campaign, archive_name))


def backend_name() -> str:
    """The active store's name as the clerk knows it."""
    return _friendly(keyring.get_keyring())


def store(department: str, campaign: str, archive_name: str, password: str) -> StoreResult:
    """Store the password, read it back, and say whether it is really kept."""
    user = keyring_user(department, campaign, archive_name)
    try:
        backend = _usable_backend()
        _call(lambda: backend.set_password(SERVICE, user, password), password)
        if not hmac.compare_digest(
            _call(lambda: backend.get_password(SERVICE, user), password) or "", password
        ):
            _forget(backend, user)
            raise NoCredentialStore(
                "dropped",
                f"密码交给“{_friendly(backend)}”保存后读不回来，说明它没有真正保存。{_WRITE_IT_DOWN}",
            )
    except NoCredentialStore as problem:
        log.warning("password not kept in a credential store (%s) for %s", problem.kind, user)
        return StoreResult(False, SERVICE, user, backend_name(), problem.message, problem)
    log.info("password kept in %s for %s", _friendly(backend), user)
    where = _friendly(backend)
    message = f"密码已保存在本机的“{where}”中（服务“{SERVICE}”，账户“{user}”），需要时可以让程序再次显示。"
    return StoreResult(True, SERVICE, user, where, message)


def read(department: str, campaign: str, archive_name: str) -> str | None:
    """The stored password, or None when there is no record; raise NoCredentialStore without a store."""
    user = keyring_user(department, campaign, archive_name)
    backend = _usable_backend()
    return _call(lambda: backend.get_password(SERVICE, user))


def delete(department: str, campaign: str, archive_name: str) -> bool:
    """Remove the record; False when there was none. Raise NoCredentialStore without a store."""
    user = keyring_user(department, campaign, archive_name)
    backend = _usable_backend()
    try:
        _call(lambda: backend.delete_password(SERVICE, user))
    except _NoRecord:
        return False
    return True


# --- internals -------------------------------------------------------------------------------


class _NoRecord(Exception):
    pass


def _usable_backend() -> KeyringBackend:
    backend = keyring.get_keyring()
    chained = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    if not chained or all(isinstance(b, fail.Keyring | null.Keyring) for b in chained):
        raise NoCredentialStore(
            "none",
            f"本机没有可用的密码保管库（如 Windows 凭据管理器或系统密钥环），无法由程序保存密码。{_WRITE_IT_DOWN}",
        )
    files = [b for b in chained if type(b).__module__.startswith("keyrings.alt")]
    if files:
        raise NoCredentialStore(
            "file",
            f"当前的密码保管方式“{_friendly(files[0])}”会把密码写进文件，为安全起见不使用它。{_WRITE_IT_DOWN}",
        )
    return backend


def _call(operation: Callable[[], T], secret: str = "") -> T:
    """Run one keyring operation, turning its failures into NoCredentialStore (never echoing ``secret``)."""
    try:
        return operation()
    except keyring.errors.PasswordDeleteError as exc:
        raise _NoRecord() from exc
    except keyring.errors.NoKeyringError as exc:
        raise NoCredentialStore(
            "none", f"本机没有可用的密码保管库，无法由程序保存或读取密码。{_WRITE_IT_DOWN}"
        ) from exc
    except Exception as exc:  # locked, prompt dismissed, D-Bus gone, Windows API error ...
        detail = _masked(exc, secret)
        log.warning("credential store refused: %s", detail)
        raise NoCredentialStore(
            "refused",
            f"密码保管库拒绝了请求（{detail}）：如果它已锁定，请解锁后重试。在此之前，{_WRITE_IT_DOWN}",
        ) from exc


def _forget(backend: KeyringBackend, user: str) -> None:
    try:
        backend.delete_password(SERVICE, user)
    except Exception:  # nothing was kept, or it cannot be removed: either way nothing to add
        log.debug("nothing to remove after a failed read-back for %s", user)


def _masked(exc: Exception, secret: str) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text.replace(secret, "***") if secret else text


def _friendly(backend: KeyringBackend) -> str:
    module = type(backend).__module__
    for prefix, name in _FRIENDLY.items():
        if module.startswith(prefix):
            return name
    return getattr(backend, "name", type(backend).__name__)


def check_store() -> NoCredentialStore | None:
    """None when a credential store works here; else what is wrong (asked before an archive is built)."""
    try:
        _usable_backend()
    except NoCredentialStore as problem:
        return problem
    return None
