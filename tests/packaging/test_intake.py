"""The office's intake on real archives made by the bundle code: statuses, rows, merging, the status table."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.tasks.intake_merge import merged_file
from packaging.intake.members import MAX_MEMBER_BYTES, Status
from packaging.intake.outputs import write_outputs
from packaging.intake.passwords import PasswordBook, PasswordEntry, candidates, read_passwords
from packaging.intake.receive import IntakeBatch, receive, receive_all
from tests import intake_archives as ia


@pytest.fixture(scope="module")
def batch(intake_batch: ia.Batch) -> ia.Batch:
    return intake_batch


@pytest.fixture(scope="module")
def received(batch: ia.Batch) -> tuple[list, IntakeBatch]:
    return receive_all(batch.folder, read_passwords(batch.passwords))


def by_department(reports: list) -> dict[str, object]:
    return {r.department or r.archive: r for r in reports}


def test_every_archive_gets_its_status(received: tuple[list, IntakeBatch]) -> None:
    reports = by_department(received[0])
    assert reports[ia.GOOD_A].status is Status.OK
    assert reports[ia.GOOD_B].status is Status.OK  # typed in lower case with spaces for dashes: forgiven
    assert reports[ia.WRONG].status is Status.WRONG_PASSWORD
    assert reports[ia.CORRUPT].status is Status.UNREADABLE
    assert reports[ia.NO_PASSWORD].status is Status.NO_PASSWORD
    assert reports["不是报送材料.zip"].status is Status.NOT_OURS
    missing = reports[ia.MISSING]
    assert missing.status is Status.ERRORS and missing.missing == ["3"] and missing.rows == {"2": ia.SYSTEM_ROWS}
    assert reports[ia.GOOD_A].rows == {"2": ia.SYSTEM_ROWS, "3": ia.HOT_ROWS}
    for report in received[0]:
        assert report.message and (report.status is Status.OK or report.errors())


def test_cross_department_duplicate_is_a_warning_on_both(received: tuple[list, IntakeBatch]) -> None:
    _reports, batch = received
    for department, other in ((ia.GOOD_A, ia.GOOD_B), (ia.GOOD_B, ia.GOOD_A)):
        found = batch.cross(department)
        assert [f.code for f in found] == ["duplicate-across-departments"]
        assert found[0].severity == "warning" and other in found[0].message and ia.SHARED_MOBILE in found[0].message


def test_outputs_read_back(received: tuple[list, IntakeBatch], batch: ia.Batch, tmp_path: Path) -> None:
    reports, intake = received
    written = write_outputs(tmp_path, intake, sample=(10, "2015"))
    book = load_workbook(written.status, read_only=True)
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    header, data = rows[0], rows[1:]
    assert header[:4] == ("序号", "报送单位", "压缩包", "状态") and "附件3人数" in header and "收到日期" in header
    table = {row[1] or row[2]: dict(zip(header, row, strict=True)) for row in data}
    assert len(table) == len(reports)
    assert table[ia.GOOD_A]["状态"] == "合格（ok）" and table[ia.GOOD_A]["附件3人数"] == str(ia.HOT_ROWS)
    assert table[ia.GOOD_A]["提醒"] == "1"  # the shared mobile
    assert table[ia.MISSING]["缺少"] == "附件3" and "errors" in table[ia.MISSING]["状态"]
    assert "wrong-password" in table[ia.WRONG]["状态"]
    merged = load_workbook(merged_file(tmp_path, "3"), read_only=True)
    sheet = list(merged.worksheets[0].iter_rows(min_row=4, values_only=True))
    expected = sum(rows_.get("3", 0) for d, rows_ in batch.rows.items() if d in (ia.GOOD_A, ia.GOOD_B))
    assert len(sheet) == expected  # the merged count is the sum of the departments read
    assert {row[-1] for row in sheet} == {ia.GOOD_A, ia.GOOD_B}
    assert [row[0] for row in sheet] == list(range(1, expected + 1))
    problems = list(merged.worksheets[1].iter_rows(min_row=4, values_only=True))
    assert sum(p[8] == "duplicate-across-departments" for p in problems) == 2


def test_no_password_in_any_output(received: tuple[list, IntakeBatch], batch: ia.Batch, tmp_path: Path) -> None:
    write_outputs(tmp_path, received[1], sample=(5, "7"))
    files = list(tmp_path.rglob("*"))
    assert any(f.suffix == ".xlsx" for f in files)
    for path in files:
        with zipfile.ZipFile(path) as zf:
            xml = b"".join(zf.read(n) for n in zf.namelist())
        for secret in batch.secrets.values():
            for form in (secret, secret.replace("-", ""), secret.lower()):
                assert form.encode() not in xml, f"a password leaked into {path.name}"


def test_rereceived_archive_replaces_the_department(received: tuple[list, IntakeBatch], batch: ia.Batch) -> None:
    reports, intake = received
    wrong = next(r for r in reports if r.department == ia.WRONG)
    fixed = PasswordBook([PasswordEntry(wrong.archive, batch.secrets[ia.WRONG], ia.WRONG)])
    again = receive(wrong.path, fixed)
    copy = IntakeBatch()
    for r in reports:
        copy.add(r)
    replaced = copy.add(again)
    assert replaced is wrong and again.status is Status.OK
    assert len(copy.reports()) == len(intake.reports()) and copy.entries[ia.WRONG] is again


@pytest.mark.parametrize(("typed", "meant"), [
    ("K7PM-Q4XR-W9TF-H3JD-N6CB", "K7PM-Q4XR-W9TF-H3JD-N6CB"),
    ("k7pm q4xr w9tf h3jd n6cb", "K7PM-Q4XR-W9TF-H3JD-N6CB"),
    ("K7PMQ4XRW9TFH3JDN6CB", "K7PM-Q4XR-W9TF-H3JD-N6CB"),
    ("Ｋ７ＰＭ－Ｑ４ＸＲ－Ｗ９ＴＦ－Ｈ３ＪＤ－Ｎ６ＣＢ", "K7PM-Q4XR-W9TF-H3JD-N6CB"),
    (" my-own pass-2015 ", "my-ownpass-2015"),
])
def test_typed_password_slips_are_forgiven(typed: str, meant: str) -> None:
    assert meant in candidates(typed)


def test_password_table_without_its_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "表.csv"
    path.write_text("单位,口令\n甲,x\n", encoding="utf-8")
    from packaging.intake.passwords import IntakeError

    with pytest.raises(IntakeError, match="压缩包"):
        read_passwords(path)


def hostile(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in members.items():
            zf.writestr(arcname, data)
    return path


def test_zip_bomb_is_stopped_in_memory(tmp_path: Path) -> None:
    bomb = hostile(tmp_path, "bomb.zip", {"附件2.xlsx": b"\0" * (MAX_MEMBER_BYTES + 1)})
    report = receive(bomb, PasswordBook([]))
    assert report.status is Status.UNREADABLE and "过大" in report.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.zip"]


def test_lying_header_is_caught_while_reading(tmp_path: Path) -> None:
    path = hostile(tmp_path, "liar.zip", {"附件2.xlsx": b"\0" * (MAX_MEMBER_BYTES + 1)})
    data = bytearray(path.read_bytes())
    size = (MAX_MEMBER_BYTES + 1).to_bytes(4, "little")
    for at in (i for i in range(len(data) - 4) if data[i : i + 4] == size):
        data[at : at + 4] = (1000).to_bytes(4, "little")  # the headers now claim 1000 bytes
    path.write_bytes(bytes(data))
    report = receive(path, PasswordBook([]))
    assert report.status is Status.UNREADABLE


def test_traversal_names_are_skipped_never_written(tmp_path: Path, batch: ia.Batch) -> None:
    good = next(batch.folder.glob(f"{ia.GOOD_A}*.zip"))
    inner = tmp_path / "in"
    inner.mkdir()
    path = hostile(inner, "evil.zip", {"../../evil.xlsx": b"PK", "/etc/evil.csv": b"a,b", "C:/x.csv": b"a"})
    report = receive(path, PasswordBook([]))
    assert report.status is Status.NOT_OURS
    assert sum(f.code == "unsafe-name" for f in report.findings) == 3  # each skipped name is told
    assert not (tmp_path / "evil.xlsx").exists() and not list(tmp_path.rglob("evil*.xlsx"))
    assert good.exists()



def test_a_batch_stops_when_told_and_gives_what_one_by_one_gives(batch: ia.Batch,
                                                                  received: tuple[list, IntakeBatch]) -> None:
    from packaging.intake.receive import archives_in

    book = read_passwords(batch.passwords)
    one_by_one = [receive(path, book) for path in archives_in(batch.folder)]
    summary = [(r.archive, r.department, r.status, r.rows, [f.to_json() for f in r.findings]) for r in one_by_one]
    assert [(r.archive, r.department, r.status, r.rows, [f.to_json() for f in r.findings])
            for r in received[0]] == summary
    asked: list[tuple[int, int]] = []
    reports, stopped = receive_all(batch.folder, book, progress=lambda done, total: asked.append((done, total))
                                   or done < 2)
    assert [r.archive for r in reports] == [r.archive for r in one_by_one[:2]] and len(stopped.reports()) == 2
    assert asked == [(0, len(one_by_one)), (1, len(one_by_one)), (2, len(one_by_one)), (2, len(one_by_one))]
    assert stopped.merged() is stopped.merged()  # made once …
    before = sum(map(len, stopped.merged().values()))
    extra = next(r for r in one_by_one[2:] if r.submission and r.department not in stopped.entries)
    stopped.add(extra)
    assert sum(map(len, stopped.merged().values())) == before + sum(extra.rows.values()) > before  # … and again


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_archives_read_at_once_give_what_one_by_one_gives(batch: ia.Batch, workers: int) -> None:
    """However many archives are read at once, the reports come in the folder's order, each as receive()
    alone makes it; a run closed after the first report (cancelled) leaves no thread behind."""
    import threading

    from packaging.intake.receive import archives_in, receive_each

    book = read_passwords(batch.passwords)
    paths = archives_in(batch.folder)

    def summary(reports: list) -> list:
        return [(r.archive, r.department, r.status, r.rows, [f.to_json() for f in r.findings]) for r in reports]

    assert summary(list(receive_each(paths, book, workers=workers))) == summary([receive(p, book) for p in paths])
    before = threading.active_count()
    each = receive_each(paths, book, workers=workers)
    first = next(each)
    each.close()
    assert first.archive == receive(paths[0], book).archive and threading.active_count() == before


def test_zipcrypto_is_read_with_a_warning(tmp_path: Path, received: tuple[list, IntakeBatch]) -> None:
    """An archive sealed by hand with 7-Zip's default ZipCrypto is read, with a warning; ours (AES) never get it."""
    import shutil
    import subprocess

    from tests.hostile.files import frame

    sheet = frame(tmp_path / "附件3_自治区测试厅.xlsx", rows=3)
    archive = tmp_path / "自治区测试厅.zip"
    subprocess.run([shutil.which("7z") or "7z", "a", "-tzip", "-pABCD-EFGH", "-mem=ZipCrypto", str(archive), str(sheet)],
                   check=True, capture_output=True)
    report = receive(archive, PasswordBook([PasswordEntry(archive.name, "ABCD-EFGH")]))
    weak = [f for f in report.findings if f.code == "weak-encryption"]
    assert report.status in (Status.OK, Status.ERRORS) and sum(report.rows.values()) == 3
    assert len(weak) == 1 and weak[0].severity.value == "warning" and "AES-256" in weak[0].message
    assert not any(f.code == "weak-encryption" for r in received[0] for f in r.findings)
