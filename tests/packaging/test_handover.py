"""The handover record (JSON-ready for the workspace) and the printable password slip."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from packaging import handover, password
from packaging.archive import ArchiveResult, MemberDigest
from packaging.handover import HandoverRecord, HandoverRecordError

PASSWORD = "K7PM-Q4XR-W9TF-H3JD-N6CB"
CST = timezone(timedelta(hours=8))
FINGERPRINT = password.fingerprint(PASSWORD)  # once: each call draws a fresh salt


def record() -> HandoverRecord:
    result = ArchiveResult(
        Path("/out/南宁市公安局_2015年度社会评价抽样框_20151110.zip"),
        2_345_678,
        "ab" * 32,
        (MemberDigest("附件2_南宁市公安局.xlsx", "cd" * 32, 1_000_000),),
    )
    return HandoverRecord.from_archive(
        result,
        FINGERPRINT,
        keyring_service="报送助手",
        keyring_user="南宁市公安局/2015年度社会评价/南宁市公安局_2015年度社会评价抽样框_20151110.zip",
        password_kept=True,
        created_at=datetime(2015, 11, 10, 14, 32, tzinfo=CST),
    )


def test_from_archive_keeps_what_identifies_it_and_not_the_password() -> None:
    rec = record()
    assert rec.archive_name == "南宁市公安局_2015年度社会评价抽样框_20151110.zip"
    assert (rec.size, rec.sha256) == (2_345_678, "ab" * 32)
    assert rec.members[0].arcname == "附件2_南宁市公安局.xlsx"
    assert password.fingerprint_matches(PASSWORD, rec.password_fingerprint)
    assert PASSWORD not in json.dumps(rec.to_dict(), ensure_ascii=False)


def test_status_follows_the_guide() -> None:
    assert handover.bundle_status(None) == "未发送"
    rec = record()
    assert handover.bundle_status(rec) == "已生成"
    told = handover.mark_told(rec, told_to="考评办 李科长", told_how="电话", told_by="张三")
    assert handover.bundle_status(told) == "已告知密码"
    assert told.told_at is not None and told.told_at.tzinfo is not None
    assert rec.told_at is None  # records are values: marking gives a new one


def test_round_trip_through_json() -> None:
    told = handover.mark_told(
        record(),
        told_to="李科长",
        told_how="短信",
        told_by="张三",
        told_at=datetime(2015, 11, 11, 9, 0, tzinfo=CST),
    )
    data = json.loads(json.dumps(told.to_dict(), ensure_ascii=False))
    assert data["schema"] == 1 and data["told_how"] == "短信"
    assert HandoverRecord.from_dict(data) == told
    assert HandoverRecord.from_dict(record().to_dict()) == record()


def test_keys_from_a_newer_version_survive_a_round_trip() -> None:
    data = record().to_dict() | {"mailed_at": "2015-11-12T10:00:00+08:00"}
    again = HandoverRecord.from_dict(data).to_dict()
    assert again["mailed_at"] == "2015-11-12T10:00:00+08:00"


@pytest.mark.parametrize("broken", [{}, {"sha256": None}, {"created_at": "昨天"}, {"size": "大"}])
def test_a_broken_record_says_what_to_do(broken: dict[str, object]) -> None:
    data = record().to_dict() | broken if broken else {"archive_name": "a.zip"}
    with pytest.raises(HandoverRecordError) as caught:
        HandoverRecord.from_dict(data)  # type: ignore[arg-type]
    assert "请重新生成压缩包" in caught.value.message


@pytest.mark.parametrize(
    ("to", "how", "by", "expected"),
    [
        ("", "电话", "张三", "告知给了谁"),
        ("李科长", "微信", "张三", "电话、短信、当面、其他"),
        ("李科长", "当面", " ", "告知人"),
    ],
)
def test_marking_as_told_needs_every_field(to: str, how: str, by: str, expected: str) -> None:
    assert any(expected in p for p in handover.told_problems(to, how, by))
    with pytest.raises(ValueError, match=expected):
        handover.mark_told(record(), told_to=to, told_how=how, told_by=by)


def test_slip_without_the_password_leaves_it_out() -> None:
    text = handover.password_slip_text(
        record(), department="南宁市公安局", subject="2015年度社会评价抽样框（附件2–7）"
    )
    assert "密码告知单" in text and "南宁市公安局_2015年度社会评价抽样框_20151110.zip" in text
    assert "ab" * 32 in text and "2.2 MB（2,345,678 字节）" in text
    assert PASSWORD not in text and "本单不打印密码" in text
    assert password.short_fingerprint(record().password_fingerprint) in text
    assert "7-Zip" in text and "□电话" in text


def test_slip_printed_on_demand_has_the_password_and_how_to_read_it() -> None:
    told = handover.mark_told(
        record(),
        told_to="李科长",
        told_how="电话",
        told_by="张三",
        told_at=datetime(2015, 11, 11, 9, 5, tzinfo=CST),
    )
    text = handover.password_slip_text(told, department="南宁市公安局", subject="抽样框", password=PASSWORD)
    assert f"解压密码：{PASSWORD}" in text
    assert "连字符也是密码的一部分" in text and "妥善保管" in text
    assert "2015年11月11日 09:05" in text and "告知方式：电话" in text and "接收人：李科长" in text


def test_human_size() -> None:
    assert handover.human_size(512) == "512 字节"
    assert handover.human_size(2048) == "2.0 KB（2,048 字节）"


def test_the_mail_record_sits_beside_the_telling_and_survives_a_round_trip() -> None:
    rec = record()
    mailed = handover.mark_mailed(rec, " gzpy@example.gov.cn ", datetime(2015, 11, 12, 9, 5, tzinfo=CST))
    assert mailed.status == "已发送邮件" and mailed.mailed_to == "gzpy@example.gov.cn"
    assert handover.mailed_text(mailed) == "邮件已于2015年11月12日 09:05发送到 gzpy@example.gov.cn。"
    assert "尚未记录为已发送" in handover.mailed_text(rec)
    both = handover.mark_told(mailed, told_to="考评办 张科长", told_how="电话", told_by="黄小明")
    assert both.status == "已发送并告知密码"
    again = HandoverRecord.from_dict(both.to_dict())
    assert again.mailed_at == mailed.mailed_at and again.mailed_to == mailed.mailed_to
    assert HandoverRecord.from_dict(rec.to_dict()).mailed_at is None  # an older record reads back unmailed
    with pytest.raises(ValueError, match="邮箱地址"):
        handover.mark_mailed(rec, "")
