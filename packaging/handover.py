"""The handover record of an archive (kept in the workspace) and the printable password slip (密码告知单).

The record holds what identifies the archive (name, size, SHA-256, members) and the password's
fingerprint, never the password; when and to which mailbox the mail went; then when, how, to whom and
by whom the password was told.
``to_dict``/``from_dict`` give plain JSON-ready data for the workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from forms.base.errors import UserError
from packaging.archive import ArchiveResult, MemberDigest
from packaging.password import reading_hint, short_fingerprint

TOLD_HOW = ("电话", "短信", "当面", "其他")
STATUS_NOT_SENT = "未发送"
STATUS_BUILT = "已生成"
STATUS_MAILED = "已发送邮件"
STATUS_TOLD = "已告知密码"
STATUS_DONE = "已发送并告知密码"
SCHEMA = 1


class HandoverRecordError(UserError, ValueError):
    """A stored record cannot be read back; ``message`` says what to do."""


@dataclass(frozen=True)
class HandoverRecord:
    archive_name: str
    size: int
    sha256: str
    created_at: datetime
    password_fingerprint: str
    members: tuple[MemberDigest, ...] = ()
    keyring_service: str = ""
    keyring_user: str = ""
    password_kept: bool = False  # True when the credential store holds the password
    told_at: datetime | None = None
    told_to: str = ""
    told_how: str = ""
    told_by: str = ""
    packed: dict[str, dict[str, str]] = field(default_factory=dict)  # forms.tasks.packed: what went in, part by part
    folder: str = ""  # where the archive was written (its mail draft lies beside it)
    agreed: tuple[str, ...] = ()  # the office's agreed exceptions in effect when it was built (forms.checks.agreed)
    mailed_at: datetime | None = None  # the clerk's record that the mail with the archive went out
    mailed_to: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # keys written by a newer version, kept as is

    @classmethod
    def from_archive(
        cls,
        result: ArchiveResult,
        password_fingerprint: str,
        *,
        keyring_service: str = "",
        keyring_user: str = "",
        password_kept: bool = False,
        created_at: datetime | None = None,
        packed: dict[str, dict[str, str]] | None = None,
        folder: str = "",
        agreed: tuple[str, ...] = (),
    ) -> HandoverRecord:
        return cls(
            archive_name=result.path.name,
            size=result.size,
            sha256=result.sha256,
            created_at=created_at or datetime.now().astimezone(),
            password_fingerprint=password_fingerprint,
            members=result.members,
            keyring_service=keyring_service,
            keyring_user=keyring_user,
            password_kept=password_kept,
            packed=dict(packed or {}),
            folder=folder,
            agreed=tuple(agreed),
        )

    @property
    def status(self) -> str:
        if self.told_at is not None:
            return STATUS_DONE if self.mailed_at is not None else STATUS_TOLD
        return STATUS_MAILED if self.mailed_at is not None else STATUS_BUILT

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
        data.update(
            schema=SCHEMA,
            archive_name=self.archive_name,
            size=self.size,
            sha256=self.sha256,
            created_at=self.created_at.isoformat(),
            password_fingerprint=self.password_fingerprint,
            members=[{"arcname": m.arcname, "sha256": m.sha256, "size": m.size} for m in self.members],
            keyring_service=self.keyring_service,
            keyring_user=self.keyring_user,
            password_kept=self.password_kept,
            told_at=self.told_at.isoformat() if self.told_at else None,
            told_to=self.told_to,
            told_how=self.told_how,
            told_by=self.told_by,
            packed=self.packed,
            folder=self.folder,
            agreed=list(self.agreed),
            mailed_at=self.mailed_at.isoformat() if self.mailed_at else None,
            mailed_to=self.mailed_to,
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HandoverRecord:
        try:
            return cls._from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise HandoverRecordError(
                f"工作区中的压缩包交接记录无法读取（{exc}）：请重新生成压缩包，并把新密码重新告知考评办。"
            ) from exc

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> HandoverRecord:
        known = {f for f in cls.__dataclass_fields__ if f != "extra"} | {"schema"}
        told_at, mailed_at = data.get("told_at"), data.get("mailed_at")
        return cls(
            archive_name=str(data["archive_name"]),
            size=int(data["size"]),
            sha256=_sha256(data["sha256"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            password_fingerprint=str(data["password_fingerprint"]),
            members=tuple(
                MemberDigest(str(m["arcname"]), _sha256(m["sha256"]), int(m["size"]))
                for m in data.get("members", [])
            ),
            keyring_service=str(data.get("keyring_service", "")),
            keyring_user=str(data.get("keyring_user", "")),
            password_kept=bool(data.get("password_kept", False)),
            told_at=datetime.fromisoformat(told_at) if told_at else None,
            told_to=str(data.get("told_to", "")),
            told_how=str(data.get("told_how", "")),
            told_by=str(data.get("told_by", "")),
            packed=_packed(data.get("packed")),
            folder=str(data.get("folder", "") or ""),
            agreed=tuple(str(line) for line in data.get("agreed", []) or []),
            mailed_at=datetime.fromisoformat(mailed_at) if mailed_at else None,
            mailed_to=str(data.get("mailed_to", "")),
            extra={k: v for k, v in data.items() if k not in known},
        )


def _packed(value: object) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        return {}
    return {str(k): {"label": str(v.get("label", "")), "sha256": str(v.get("sha256", ""))}
            for k, v in value.items() if isinstance(v, dict)}


def _sha256(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ValueError(f"SHA-256 校验值“{value}”不对")
    return value


def bundle_status(record: HandoverRecord | None) -> str:
    """未发送 (no archive yet) / 已生成 / 已发送邮件 / 已告知密码 / 已发送并告知密码, as the guide shows it."""
    return STATUS_NOT_SENT if record is None else record.status


def told_problems(told_to: str, told_how: str, told_by: str) -> list[str]:
    """What is missing before the password can be marked as told (简体中文)."""
    problems = []
    if not told_to.strip():
        problems.append("请填写密码告知给了谁（如考评办的经办人姓名）。")
    if told_how not in TOLD_HOW:
        problems.append(f"请选择告知方式：{'、'.join(TOLD_HOW)}。")
    if not told_by.strip():
        problems.append("请填写告知人（本单位经办人）的姓名。")
    return problems


def mark_told(
    record: HandoverRecord, *, told_to: str, told_how: str, told_by: str, told_at: datetime | None = None
) -> HandoverRecord:
    """The record with the telling filled in; ValueError (Chinese message) when a field is missing."""
    problems = told_problems(told_to, told_how, told_by)
    if problems:
        raise ValueError("".join(problems))
    return replace(
        record,
        told_at=told_at or datetime.now().astimezone(),
        told_to=told_to.strip(),
        told_how=told_how,
        told_by=told_by.strip(),
    )


def mark_mailed(record: HandoverRecord, mailed_to: str, mailed_at: datetime | None = None) -> HandoverRecord:
    """The record with “邮件已发送” filled in; ValueError (Chinese message) without a mailbox."""
    if "@" not in mailed_to:
        raise ValueError("请填写邮件发往的邮箱地址（考评办的公众评议邮箱）。")
    return replace(record, mailed_at=mailed_at or datetime.now().astimezone(), mailed_to=mailed_to.strip())


def mailed_text(record: HandoverRecord) -> str:
    """One line for the window: when and where the mail went, or that it is still to be sent."""
    if record.mailed_at is None:
        return "邮件尚未记录为已发送：发出带压缩包和评议问卷的邮件后，请点“记录邮件已发送”。"
    return f"邮件已于{record.mailed_at:%Y年%m月%d日 %H:%M}发送到 {record.mailed_to}。"


def human_size(size: int) -> str:
    """``2.3 MB（2,345,678 字节）``."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}（{size:,} 字节）"
    return f"{size} 字节"


def password_slip_text(
    record: HandoverRecord,
    *,
    department: str,
    subject: str,
    password: str | None = None,
    office: str = "自治区绩效考评办",
) -> str:
    """The 密码告知单 as plain text; the password appears only when it is passed (printing on demand)."""
    lines = [
        "密码告知单",
        "",
        f"致：{office}",
        f"报送单位：{department}",
        f"报送事项：{subject}",
        f"压缩包文件名：{record.archive_name}",
        f"压缩包大小：{human_size(record.size)}",
        f"SHA-256 校验值：{record.sha256}",
        f"生成时间：{record.created_at:%Y年%m月%d日 %H:%M}",
        f"密码指纹：{short_fingerprint(record.password_fingerprint)}（用于核对密码，不能推算出密码）",
        "",
    ]
    if record.agreed:
        lines += ["与考评办协商调整的事项：", *(f"　　{line}" for line in record.agreed), ""]
    lines += _password_lines(password)
    lines += [
        "",
        "解压方法：请用 7-Zip、WinRAR、Bandizip 或 360压缩 打开；Windows 自带的“解压缩”功能打不开此加密压缩包。",
        "",
    ]
    lines += _told_lines(record)
    return "\n".join(lines) + "\n"


def _password_lines(password: str | None) -> list[str]:
    if password is None:
        return ["解压密码：（本单不打印密码，密码另行告知）"]
    return [f"解压密码：{password}", reading_hint(password), "本单含有密码，请妥善保管，用后销毁。"]


def _told_lines(record: HandoverRecord) -> list[str]:
    if record.told_at is None:
        return [
            "告知时间：____年__月__日 __:__    告知方式：□电话 □短信 □当面 □其他",
            "告知人：__________    接收人：__________",
        ]
    return [
        f"告知时间：{record.told_at:%Y年%m月%d日 %H:%M}    告知方式：{record.told_how}",
        f"告知人：{record.told_by}    接收人：{record.told_to}",
    ]
