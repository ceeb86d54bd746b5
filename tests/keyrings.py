"""An in-process keyring backend for tests that need a working credential store but no Secret Service."""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """An in-process store for tests that need a working backend but no Secret Service."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")
