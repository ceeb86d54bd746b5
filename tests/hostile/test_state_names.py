"""Names a clerk types (department, work item) never write outside the chosen folder, never make a file
Windows refuses, never exceed the 255-byte limit, and two deliverables never share one file name."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import keyring
import pytest
import pyzipper
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from forms.base import filenames
from forms.store.workspace import Profile, Workspace
from packaging import bundle
from tests.e2e.test_cli_bundle import clean_rows
from tests.e2e.test_cli_check import main_py
from tests.keyrings import MemoryKeyring

FORBIDDEN = set('/\\:*?"<>|') | {chr(n) for n in range(32)} | {"\x7f", "\u202e", "\u200b"}
DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}


def assert_safe(name: str) -> None:
    assert name and name not in (".", "..") and not FORBIDDEN & set(name), repr(name)
    assert name == name.strip(" ") and not name.endswith("."), repr(name)
    assert name.split(".")[0].rstrip(" ").upper() not in DEVICES, repr(name)
    assert len(name.encode("utf-8")) <= filenames.MAX_NAME_BYTES and len(name.encode("utf-16-le")) // 2 <= 255


@pytest.mark.parametrize(("given_name", "expected"), [
    ("附件3_厅_征地/安置评价抽样框.xlsx", "附件3_厅_征地／安置评价抽样框.xlsx"),
    ("../../etc/passwd.xlsx", "／..／etc／passwd.xlsx"),  # one name, no separator left
    ("..", "未命名"),
    ("CON.xlsx", "_CON.xlsx"),
    ("nul.tar.docx", "_nul.tar.docx"),
    ("COM1 .docx", "_COM1.docx"),
    ("Lpt9.zip", "_Lpt9.zip"),
    ("厅. . .xlsx", "厅.xlsx"),
    ('a:b*c?d"e<f>g|h.xlsx', "a：b＊c？d＂e＜f＞g｜h.xlsx"),
    ("换\r\n行\t表\x00格\x1f.xlsx", "换 行 表格.xlsx"),
    ("伪装\u202exslx.exe", "伪装xslx.exe"),
    ("零\u200b宽.docx", "零宽.docx"),
])
def test_one_name(given_name: str, expected: str) -> None:
    assert filenames.safe_file_name(given_name) == expected
    assert_safe(filenames.safe_file_name(given_name))


def test_an_overlong_name_is_cut_at_a_character_and_keeps_its_suffix() -> None:
    name = filenames.safe_file_name("附件3_" + "很长的工作事项" * 60 + "评价抽样框.xlsx")
    assert name.endswith(".xlsx") and len(name.encode()) <= filenames.MAX_NAME_BYTES
    assert_safe(name)


def test_two_names_that_read_alike_get_their_own() -> None:
    assert filenames.unique(["a.xlsx", "A.XLSX", "a.xlsx", "b.xlsx"]) == ["a.xlsx", "A（2）.XLSX", "a（3）.xlsx",
                                                                         "b.xlsx"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["", ".xlsx", ".docx", ".zip"]))
def test_any_text_makes_a_safe_name(text: str, suffix: str) -> None:
    assert_safe(filenames.safe_file_name(text + suffix))


ITEMS = ["../../逃逸", "征地/安置", "拆迁/安置", "征地／安置", "安置", "安置工作", "CON", "x" * 100,
         "看\u202excod.exe", "..\\..\\win"]


def hostile_workspace(folder: Path, rows: int = 0) -> Path:
    path = folder / "w.baosong"
    with Workspace.create(path, Profile("../../越界/厅", "gov", "专项事务管理", local_units=False)) as ws:
        if rows:
            ws.import_rows(ws.system_frame().id, clean_rows(20, 0))
        for n, item in enumerate(ITEMS):
            frame = ws.add_hot_item(item)
            if rows:
                ws.import_rows(frame.id, clean_rows(rows + n, 900 * (n + 1), surname="赵钱孙李周吴郑王冯陈"[n]))
    return path


def files_under(folder: Path) -> list[Path]:
    return [Path(root) / f for root, _dirs, names in os.walk(folder) for f in names]


def test_export_stays_in_out_and_writes_every_deliverable_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ws = hostile_workspace(home)
    out = home / "out" / "deep"
    result = main_py("export", str(ws), "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = files_under(out)
    assert all(p.parent == out for p in written)
    assert sorted(files_under(tmp_path)) == sorted([ws, *written])
    frames, documents = 1 + len(ITEMS), 1 + 1 + len(ITEMS) + 2  # 附件8, leader form, questionnaires, reports
    owed = frames + 1 + 2 * documents  # 附件8's .xlsx; each document as .docx and as .pdf
    assert len(written) == owed and len({p.name.casefold() for p in written}) == owed
    assert len([p for p in written if p.suffix == ".xlsx" and p.name.startswith("附件3")]) == len(ITEMS)
    assert len(result.stdout.splitlines()) == owed and frames <= owed
    for path in written:
        assert_safe(path.name)


def test_bundle_packs_every_frame_under_its_own_name(tmp_path: Path) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with Workspace.open(hostile_workspace(tmp_path, rows=300)) as ws:
            from forms.notice import questionnaire

            for frame in ws.hot_frames():
                questionnaire.save(ws, frame.id, questionnaire.starter(frame.item))
            outcome = bundle.build_bundle(ws, tmp_path / "out", confirm_warnings=True)
    finally:
        keyring.set_keyring(before)
    assert outcome.archive.path.parent == tmp_path / "out"
    assert_safe(outcome.archive.path.name)
    with pyzipper.AESZipFile(outcome.archive.path) as zf:
        zf.setpassword(outcome.password.encode())
        names = zf.namelist()
        assert len(names) == 1 + len(ITEMS) and len(set(names)) == len(names)
        sizes: Counter[int] = Counter()
        for name in names:
            assert_safe(name)  # one name: no folder inside the archive, nothing that climbs out when extracted
            target = tmp_path / "x" / name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(zf.read(name))
            sheet = load_workbook(target).active
            sizes[sum(1 for row in sheet.iter_rows(min_row=4, values_only=True) if any(row))] += 1
            # rows 1–3: the title, 报送单位, the header; then one row per person
    assert sorted(sizes) == sorted([20, *(300 + n for n in range(len(ITEMS)))])  # no frame replaced another
