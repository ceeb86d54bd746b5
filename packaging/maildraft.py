"""The mail draft: an ``.eml`` that Outlook, Foxmail and Thunderbird open as an unsent draft.

It is addressed to the public-evaluation mailbox when the caller knows the address (the notice's
electronic copy hides it, so the campaign file has none: the clerk fills it in from the paper),
carries a standard subject and body, and attaches the archive and the questionnaires with UTF-8
(RFC 2231) file names. It never carries the password: this module is never given it.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from forms.base.errors import UserError
from packaging._fs import atomic_write_bytes, explain_read_error, explain_write_error
from packaging.handover import human_size

MAILBOX_NAME = "自治区公众评议专用邮箱"
LARGE_MAIL = 20 << 20  # many mail services refuse attachments above about 20 MB in total
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
}


class MailDraftError(UserError):
    """The mail draft could not be written (bad address, folder not writable); ``message`` says what to do."""


@dataclass(frozen=True)
class MailDraft:
    path: Path
    to: str
    subject: str
    attachments: tuple[str, ...]
    warnings: tuple[str, ...]


def mail_draft_name(archive_name: str) -> str:
    """``<archive stem>_邮件草稿.eml``, beside the archive."""
    return f"{Path(archive_name).stem}_邮件草稿.eml"


def mail_subject(department: str, year: int) -> str:
    return f"【{department}】报送{year}年度社会评价抽样框及评议问卷"


def mail_body(department: str, year: int, attachments: Sequence[tuple[str, int]], day: date) -> str:
    """The standard body; ``attachments`` are (file name, size) with the archive first."""
    listing = [f"{n}. {name}（{human_size(size)}）" for n, (name, size) in enumerate(attachments, 1)]
    return "\n".join(
        [
            "自治区绩效考评办：",
            "",
            f"　　现将{department}{year}年度社会评价抽样框（附件2–7）及热点难点工作评议问卷报送给你们，请查收。",
            "",
            "附件：",
            *listing,
            "",
            "　　抽样框已放入加密压缩包，解压密码将另行通过电话告知，不在本邮件中发送。",
            "　　请用 7-Zip、WinRAR、Bandizip 或 360压缩 解压（Windows 自带的解压功能打不开此加密压缩包）。",
            "",
            f"{department}",
            f"{day.year}年{day.month}月{day.day}日",
            "",
        ]
    )


def write_mail_draft(
    out_path: Path,
    *,
    department: str,
    year: int,
    archive: Path,
    questionnaires: Sequence[Path] = (),
    to: str | None = None,
    sender: str | None = None,
    now: datetime | None = None,
) -> MailDraft:
    """Write the .eml draft atomically; raise MailDraftError (Chinese) on a bad address or an I/O error."""
    now = now or datetime.now().astimezone()
    files = [Path(archive), *map(Path, questionnaires)]
    msg = EmailMessage(policy=policy.default)
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft to send, not as a received mail
    warnings = _address(msg, "To", to, required=True) + _address(msg, "From", sender, required=False)
    msg["Subject"] = mail_subject(department, year)
    msg["Date"] = format_datetime(now)
    sizes = [(f.name, _size(f)) for f in files]
    msg.set_content(mail_body(department, year, sizes, now.date()))
    for path in files:
        _attach(msg, path)
    if sum(size for _, size in sizes) > LARGE_MAIL:
        warnings.append(
            "附件合计超过 20 MB，部分邮箱会拒收：发送失败时请改用单位的大附件功能，或与考评办联系。"
        )
    data = msg.as_bytes(policy=policy.default.clone(linesep="\r\n"))
    try:
        atomic_write_bytes(Path(out_path), data)
    except OSError as exc:
        raise MailDraftError(explain_write_error(exc, Path(out_path).parent)) from exc
    return MailDraft(
        Path(out_path), to or "", str(msg["Subject"]), tuple(f.name for f in files), tuple(warnings)
    )


def _address(msg: EmailMessage, header: str, value: str | None, *, required: bool) -> list[str]:
    value = (value or "").strip()
    if not value:
        if required:
            return [f"收件人为空：打开草稿后请填写{MAILBOX_NAME}的地址（以纸质通知为准）。"]
        return []
    _, address = parseaddr(value)
    if not _ADDRESS.match(address):
        raise MailDraftError(
            f"邮箱地址“{value}”格式不对：请按纸质通知核对后重新填写（形如 name@example.gov.cn）。"
        )
    msg[header] = value
    return []


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise MailDraftError(explain_read_error(exc, path)) from exc


def _attach(msg: EmailMessage, path: Path) -> None:
    mime = _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    maintype, subtype = mime.split("/", 1)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MailDraftError(explain_read_error(exc, path)) from exc
    # The file name goes in Content-Disposition as RFC 2231 (what the email package writes). No
    # ``name`` on Content-Type: with it the package folds a long MIME type into an encoded word.
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
