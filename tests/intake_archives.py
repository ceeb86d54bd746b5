"""Real received archives for the office's intake tests, made by the department side's own bundle code.

Each department is a workspace built as a clerk would, bundled by packaging.bundle.build_bundle; its
password is read back from the test keyring (tests.keyrings.MemoryKeyring), as the clerk's program kept
it. The batch holds: two good departments sharing one mobile (a cross-department duplicate), one whose
password the office typed wrong, one corrupt, one not ours, one missing a form, one without a password.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import keyring

from forms.store.workspace import Profile, Workspace
from forms.tasks import deliver
from packaging import archive
from packaging.bundle import build_bundle
from tests.keyrings import MemoryKeyring

GOOD_A, GOOD_B = "自治区甲测试厅", "自治区乙测试厅"
WRONG, CORRUPT, MISSING, NO_PASSWORD = "自治区丙测试厅", "自治区丁测试厅", "自治区戊测试厅", "自治区己测试厅"
SHARED_MOBILE = "13877119999"  # in both good departments' hot frames
HOT_ROWS, SYSTEM_ROWS = 300, 20


def rows(count: int, first: int, surname: str, cities: int = 2) -> list[dict[str, str]]:
    """Clean rows: Nanning mobiles (no 0 prefix), addresses in one city (the department's own staff) or two
    (a hot frame, so the sample has two strata)."""
    cities_ = ("南宁市青秀区民族大道{n}号", "桂林市七星区漓江路{n}号")[:cities]
    return [{"name": surname + chr(0x4E00 + (first + n) // 200) + chr(0x4E00 + (first + n) % 200), "gender": "男",
             "unit": cities_[n % cities].format(n=n + 1) + " 某单位", "title": "科员",
             "mobile": f"1387711{first + n:04d}", "postcode": ("530022", "541001")[n % cities]} for n in range(count)]


@dataclass
class Batch:
    folder: Path  # the archives as received
    passwords: Path  # the office's password table (.csv)
    secrets: dict[str, str] = field(default_factory=dict)  # department → password, for the leak checks
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # department → form → rows put in


def workspace(folder: Path, department: str, first: int, surname: str, shared: bool = False) -> Path:
    path = folder / f"{department}.baosong"
    with Workspace.create(path, Profile(department, "gov", "专项事务管理", local_units=False)) as ws:
        ws.import_rows(ws.system_frame().id, rows(SYSTEM_ROWS, first, surname, cities=1))
        hot = ws.add_hot_item("公路建设")
        hot_rows = rows(HOT_ROWS, first + 500, surname + "试")
        if shared:
            hot_rows[5]["mobile"] = SHARED_MOBILE
        ws.import_rows(hot.id, hot_rows)
    return path


def bundle(ws_path: Path, out: Path, backend: MemoryKeyring) -> tuple[Path, str]:
    with Workspace.open(ws_path) as ws:
        outcome = build_bundle(ws, out, confirm_warnings=True, today=dt.date(2015, 11, 12))
        stored = backend.get_password(outcome.stored.service, outcome.stored.user)
    assert stored is not None and stored == outcome.password
    return outcome.archive.path, stored


def missing_form_archive(ws_path: Path, out: Path, password: str) -> Path:
    """The bundle's archive code packing the system frame only (附件3 left out)."""
    with Workspace.open(ws_path) as ws:
        plain = out / ".plain"
        exported = deliver.export_frame(ws, ws.system_frame(), plain)
        name = archive.archive_file_name(ws.profile.department, 2015, dt.date(2015, 11, 12))
        result = archive.build_archive(out, name, [exported.path], password)
    exported.path.unlink()
    plain.rmdir()
    return result.path


def make_batch(root: Path) -> Batch:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        return _make(root, backend)
    finally:
        keyring.set_keyring(before)


def _make(root: Path, backend: MemoryKeyring) -> Batch:
    spaces, received = root / "workspaces", root / "收件"
    spaces.mkdir()
    received.mkdir()
    batch = Batch(received, root / "密码表.csv")
    table: list[tuple[str, str, str]] = []
    plan = ((GOOD_A, 0, "甲", True), (GOOD_B, 1500, "乙", True), (WRONG, 3000, "丙", False),
            (CORRUPT, 4500, "丁", False), (NO_PASSWORD, 6000, "己", False))
    for department, first, surname, shared in plan:
        path, secret = bundle(workspace(spaces, department, first, surname, shared), received, backend)
        batch.secrets[department] = secret
        batch.rows[department] = {"2": SYSTEM_ROWS, "3": HOT_ROWS}
        typed = secret.replace("-", " ").lower() if department == GOOD_B else secret  # a slip to forgive
        if department == WRONG:
            typed = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        if department != NO_PASSWORD:
            table.append((path.name, typed, department))
    corrupt = next(received.glob(f"{CORRUPT}*.zip"))
    data = bytearray(corrupt.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 4000] = os.urandom(4000)
    corrupt.write_bytes(bytes(data))
    missing_pw = "K7PM-Q4XR-W9TF-H3JD-N6CB"
    path = missing_form_archive(workspace(spaces, MISSING, 7500, "戊"), received, missing_pw)
    batch.secrets[MISSING] = missing_pw
    batch.rows[MISSING] = {"2": SYSTEM_ROWS}
    table.append((path.name, missing_pw, MISSING))
    table.append(("不是报送材料.zip", "K7PM-Q4XR-W9TF-H3JD-AAAA", ""))
    note = root / "说明.txt"
    note.write_text("这只是一份说明，不是抽样框。", encoding="utf-8")
    archive.build_archive(received, "不是报送材料.zip", [note], "K7PM-Q4XR-W9TF-H3JD-AAAA")
    with batch.passwords.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["单位", "压缩包", "密码"])
        writer.writerows((d, a, p) for a, p, d in table)
    return batch
