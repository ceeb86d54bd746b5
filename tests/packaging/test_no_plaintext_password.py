"""After a whole bundle, the password is nowhere on disk or in the log, except inside the credential store.

The steps the window and the CLI will chain: generate, build and verify the archive, keep the
password in the credential store, write the handover record (as the workspace will), the slip
without the password, the mail draft, and remove the plain exports. Then every file under the
test's folders (sources, output, workspace, temp) and everything logged or printed is scanned.
"""

from __future__ import annotations

import json
import logging
import tempfile
from datetime import date
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from packaging import archive, credentials, handover, maildraft, password

from .conftest import MemoryKeyring


def spellings(secret: str) -> list[bytes]:
    """The ways a password could sit in a file: as typed, without dashes, any case, UTF-8/UTF-16."""
    texts = {secret, secret.replace("-", ""), secret.lower(), secret.replace("-", "").lower()}
    return [t.encode(enc) for t in texts for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def assert_absent(secret: str, data: bytes, where: str) -> None:
    for needle in spellings(secret):
        assert needle not in data, f"the password is in {where}"


@pytest.fixture(params=["memory", "secret_service"])
def store(request: pytest.FixtureRequest, memory_keyring: MemoryKeyring) -> KeyringBackend:
    if request.param == "memory":
        return memory_keyring
    return request.getfixturevalue("secret_service")


def test_the_password_is_nowhere_after_a_bundle(
    tmp_path: Path,
    frames: list[Path],
    questionnaire: Path,
    store: KeyringBackend,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    temp = tmp_path / "系统临时文件夹"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    out = tmp_path / "报送"
    workspace = tmp_path / "工作区"
    workspace.mkdir()
    caplog.set_level(logging.DEBUG)

    secret = password.generate()
    name = archive.archive_file_name("南宁市公安局", 2015, date(2015, 11, 10))
    plan = archive.plan_bundle(frames, [questionnaire])
    result = archive.build_archive(out, name, plan.members, secret, progress=lambda *a: None)
    kept = credentials.store("南宁市公安局", "2015年度社会评价", name, secret)
    assert kept.stored
    record = handover.HandoverRecord.from_archive(
        result,
        password.fingerprint(secret),
        keyring_service=kept.service,
        keyring_user=kept.user,
        password_kept=True,
    )
    record = handover.mark_told(record, told_to="李科长", told_how="电话", told_by="张三")
    (workspace / "bundle.json").write_text(json.dumps(record.to_dict(), ensure_ascii=False), encoding="utf-8")
    slip = handover.password_slip_text(record, department="南宁市公安局", subject="抽样框")
    (out / "密码告知单.txt").write_text(slip, encoding="utf-8")
    maildraft.write_mail_draft(
        out / maildraft.mail_draft_name(name), department="南宁市公安局", year=2015, archive=result.path,
        questionnaires=plan.beside,
    )  # fmt: skip
    assert archive.remove_plain_copies(frames) == []

    scanned = 0
    for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        assert_absent(secret, path.read_bytes(), str(path))  # the encrypted zip included: not in plain there
        scanned += 1
    assert scanned >= 4 and result.path.exists()
    assert_absent(secret, caplog.text.encode(), "the log")
    printed = capsys.readouterr()
    assert_absent(secret, (printed.out + printed.err).encode(), "the output")
    assert not any(f.exists() for f in frames)
    # It is where it belongs, and the record can tell it is the right one.
    assert credentials.read("南宁市公安局", "2015年度社会评价", name) == secret
    assert password.fingerprint_matches(secret, record.password_fingerprint)
    credentials.delete("南宁市公安局", "2015年度社会评价", name)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_the_scan_would_see_a_leak(tmp_path: Path, encoding: str) -> None:
    secret = password.generate()
    leak = tmp_path / "settings.ini"
    leak.write_bytes(f"last_password={secret.replace('-', '').lower()}\n".encode(encoding))
    with pytest.raises(AssertionError, match="settings.ini"):
        assert_absent(secret, leak.read_bytes(), str(leak))
