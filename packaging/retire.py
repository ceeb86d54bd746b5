"""A rebuilt archive retires what pointed to the one before: its file, its mail draft, its stored password.

A mail draft written for the old archive carries the old zip, whose password is not the one now
recorded: sending it would give the office an archive nobody can open with the password told. So a
rebuild removes the old archive (when it is still exactly what was recorded: a file the clerk changed
is left and named), the old archive's mail draft, and the old password in the credential store. The
new record starts as 已生成: the new password must be told again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from forms.store.workspace import Workspace
from packaging import credentials
from packaging.handover import HandoverRecord
from packaging.maildraft import mail_draft_name


def previous(ws: Workspace, old: HandoverRecord | None, new: HandoverRecord, out: Path) -> list[str]:
    """Remove what pointed to `old` now that `new` replaces it; one Chinese line for each thing done or left."""
    if old is None:
        return []
    folder = Path(old.folder) if old.folder else out
    lines = _draft(folder / mail_draft_name(old.archive_name))
    if old.archive_name != new.archive_name or folder.resolve() != out.resolve():
        lines += _archive(folder / old.archive_name, old.sha256)
        _forget_password(ws, old)
    if old.told_at is not None:
        lines.append(f"新压缩包的密码与之前告知考评办的不同（之前的于{old.told_at:%m月%d日 %H:%M}告知{old.told_to}）："
                     "请把新密码重新告知考评办，并说明以新压缩包为准。")
    return lines


def _draft(path: Path) -> list[str]:
    if not path.exists():
        return []
    try:
        path.unlink()
    except OSError:
        return [f"旧的邮件草稿“{path.name}”附的是旧压缩包，但无法删除（可能正被邮件程序打开）：请关闭后手动删除，切勿发送。"]
    return [f"已删除旧的邮件草稿：{path.name}（附的是旧压缩包；请重新生成邮件草稿）"]


def _archive(path: Path, sha256: str) -> list[str]:
    if not path.exists():
        return []
    if _digest(path) != sha256:
        return [f"旧压缩包“{path.name}”生成后被改动过，没有删除：请确认后自行处理，切勿误发。"]
    try:
        path.unlink()
    except OSError:
        return [f"旧压缩包“{path.name}”无法删除（可能正被其他程序打开）：请关闭后手动删除，切勿误发。"]
    return [f"已删除旧压缩包：{path.name}（密码与新压缩包不同）"]


def _forget_password(ws: Workspace, old: HandoverRecord) -> None:
    """The old archive's password leaves the credential store: 再次显示密码 can only show the new one."""
    if not old.password_kept:
        return
    parts = old.keyring_user.split("/")
    department, campaign, name = parts if len(parts) == 3 else (ws.profile.department, ws.profile.campaign,
                                                                old.archive_name)
    try:
        credentials.delete(department, campaign, name)
    except credentials.NoCredentialStore:
        pass  # nothing was reachable to forget: the record never said it was kept there


def _digest(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
