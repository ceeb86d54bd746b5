"""The .eml draft: parses back, opens as a draft, carries both attachments by their Chinese names."""

from __future__ import annotations

import email
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from packaging import maildraft
from packaging.archive import build_archive
from packaging.maildraft import MailDraftError, write_mail_draft

PASSWORD = "K7PM-Q4XR-W9TF-H3JD-N6CB"
NOW = datetime(2015, 11, 12, 16, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def archive_file(tmp_path: Path, frames: list[Path]) -> Path:
    return build_archive(
        tmp_path / "报送", "南宁市公安局_2015年度社会评价抽样框_20151110.zip", frames, PASSWORD
    ).path


def parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def draft(archive_file: Path, questionnaire: Path, **kwargs: object) -> maildraft.MailDraft:
    out = archive_file.parent / maildraft.mail_draft_name(archive_file.name)
    return write_mail_draft(
        out,
        department="南宁市公安局",
        year=2015,
        archive=archive_file,
        questionnaires=[questionnaire],
        now=NOW,
        **kwargs,
    )  # type: ignore[arg-type]


def test_the_draft_parses_back_with_both_attachments(archive_file: Path, questionnaire: Path) -> None:
    made = draft(archive_file, questionnaire, to="自治区公众评议专用邮箱 <gzpy@example.gov.cn>")
    assert made.path.name == "南宁市公安局_2015年度社会评价抽样框_20151110_邮件草稿.eml"
    msg = parse(made.path)
    assert msg["X-Unsent"] == "1"
    assert msg["To"].addresses[0].addr_spec == "gzpy@example.gov.cn"
    assert msg["Subject"] == "【南宁市公安局】报送2015年度社会评价抽样框及评议问卷"
    parts = list(msg.iter_attachments())
    assert [p.get_filename() for p in parts] == [archive_file.name, questionnaire.name]
    assert parts[0].get_content_type() == "application/zip"
    assert (
        parts[1].get_content_type()
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert parts[0].get_content() == archive_file.read_bytes()
    assert parts[1].get_content() == questionnaire.read_bytes()
    assert made.warnings == ()


def test_the_file_names_are_rfc2231_utf8(archive_file: Path, questionnaire: Path) -> None:
    raw = draft(archive_file, questionnaire).path.read_bytes()
    assert b"filename*0*=utf-8''" in raw or b"filename*=utf-8''" in raw
    assert raw.isascii()  # every header and body encoded; nothing for a mail server to mangle


def test_the_body_lists_attachments_and_promises_the_password_by_phone(
    archive_file: Path, questionnaire: Path
) -> None:
    body = parse(draft(archive_file, questionnaire).path).get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "自治区绩效考评办" in text and "南宁市公安局2015年度社会评价抽样框" in text
    assert f"1. {archive_file.name}" in text and f"2. {questionnaire.name}" in text
    assert "解压密码将另行通过电话告知" in text
    assert "2015年11月12日" in text


def test_the_draft_never_carries_the_password(archive_file: Path, questionnaire: Path) -> None:
    path = draft(archive_file, questionnaire).path
    msg = parse(path)
    raw = path.read_bytes()
    for needle in (PASSWORD, PASSWORD.replace("-", ""), PASSWORD.lower()):
        assert needle.encode() not in raw
        for part in msg.walk():
            payload = part.get_payload(decode=True) or b""
            assert needle.encode() not in payload


def test_without_an_address_the_draft_has_no_recipient_and_says_so(
    archive_file: Path, questionnaire: Path
) -> None:
    made = draft(archive_file, questionnaire, to=None)
    assert parse(made.path)["To"] is None
    assert made.warnings and "纸质通知" in made.warnings[0]


def test_a_malformed_address_is_refused(archive_file: Path, questionnaire: Path) -> None:
    with pytest.raises(MailDraftError, match="格式不对"):
        draft(archive_file, questionnaire, to="gzpy@")
    assert not list(archive_file.parent.glob("*.eml"))


def test_the_draft_is_written_atomically(archive_file: Path, questionnaire: Path) -> None:
    draft(archive_file, questionnaire)
    made = draft(archive_file, questionnaire, to="gzpy@example.gov.cn")  # replaces the first
    assert parse(made.path)["To"] == "gzpy@example.gov.cn"
    assert sorted(p.name for p in archive_file.parent.iterdir()) == sorted(
        [archive_file.name, made.path.name]
    )


def test_a_missing_attachment_is_named(archive_file: Path, tmp_path: Path) -> None:
    with pytest.raises(MailDraftError, match="问卷不在了"):
        draft(archive_file, tmp_path / "问卷不在了.docx")


def test_large_attachments_are_warned_about(
    archive_file: Path, questionnaire: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maildraft, "LARGE_MAIL", 10)
    assert any("20 MB" in w for w in draft(archive_file, questionnaire).warnings)
