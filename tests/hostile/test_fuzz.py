"""Random files to the readers and the workspace opener: each gives a result or a clear refusal (a UserError
with a Chinese message), never another exception. Bounded (50 examples each) so CI stays fast."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cli import commands
from forms.base.errors import UserError
from forms.documents import importer
from forms.sheets import excel_in
from forms.store.workspace import Profile, Workspace
from forms.tasks.check import check_files
from tests.hostile.files import HEADER, frame

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CHINESE = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))  # openpyxl refuses control characters


def _refused_or_read(read: Callable[[], object]) -> None:
    """A result, or a UserError whose message is Chinese (it tells the clerk what to do)."""
    try:
        read()
    except UserError as exc:
        assert exc.message and any("\u4e00" <= ch <= "\u9fff" for ch in exc.message), exc.message


def _in_temp(name: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def sound_xlsx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = frame(tmp_path_factory.mktemp("sound") / "附件3.xlsx", rows=3, sheets={"统计": [["地区", "人数"]]})
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".xls", ".xlsm", ".ods", ".csv", ".docx"]))
def test_random_bytes(data: bytes, suffix: str) -> None:
    path = _in_temp(f"附件3{suffix}", data)
    try:
        if suffix == ".docx":
            _refused_or_read(lambda: importer.read_lines(path))
        else:
            _refused_or_read(lambda: check_files([str(path)]))
    finally:
        shutil.rmtree(path.parent)


def _mutated(original: bytes, cut: int, flips: list[tuple[int, int]]) -> bytes:
    data = bytearray(original[: max(0, len(original) - cut)])
    for at, value in flips:
        if data:
            data[at % len(data)] = value
    return bytes(data)


@FUZZ
@given(member=st.integers(0, 20), cut=st.integers(0, 200), drop=st.booleans(),
       flips=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=6),
       junk=st.binary(max_size=300))
def test_random_zip_members(sound_xlsx: dict[str, bytes], member: int, cut: int, drop: bool,
                            flips: list[tuple[int, int]], junk: bytes) -> None:
    """A sound package with one member cut, bytes flipped, dropped, or replaced by junk."""
    names = sorted(sound_xlsx)
    chosen = names[member % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, body in sound_xlsx.items():
            if name != chosen:
                package.writestr(name, body)
            elif not drop:
                package.writestr(name, junk if junk else _mutated(body, cut, flips))
    path = _in_temp("附件3.xlsx", out.getvalue())
    try:
        _refused_or_read(lambda: check_files([str(path)]))
    finally:
        shutil.rmtree(path.parent)


CELL = st.one_of(st.none(), st.text(CHINESE, max_size=40), st.integers(-10**15, 10**15),
                 st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                 st.sampled_from(["=1+1", "\u200b张三", "男性", "0771-2811111", "１３８７７１１２３４５", "x" * 40_000]))


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=10), max_size=12), title=st.text(CHINESE, max_size=30))
def test_random_cell_values(rows: list[list[object]], title: str) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(HEADER)
    for row in rows:
        sheet.append([value[:32767] if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    path = _in_temp("附件3.xlsx", buffer.getvalue())
    try:
        _refused_or_read(lambda: check_files([str(path)]))
        _refused_or_read(lambda: excel_in.read_file(path, form="3"))
    finally:
        shutil.rmtree(path.parent)


# a sound workspace cut short by `cut` bytes, with up to four bytes set anywhere
DAMAGE = {"cut": st.integers(0, 4096), "flips": st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)),
                                                         max_size=4)}


@pytest.fixture(scope="module")
def sound_workspace(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("ws") / "部门.baosong"
    with Workspace.create(path, Profile("自治区测试厅", "gov", "经济管理类")) as ws:
        ws.add_hot_item("公路建设")
    return path.read_bytes()


@FUZZ
@given(data=st.binary(max_size=4096), header=st.booleans())
def test_workspace_opener_on_random_bytes(data: bytes, header: bool) -> None:
    path = _in_temp("部门.baosong", (b"SQLite format 3\x00" if header else b"") + data)
    try:
        _refused_or_read(lambda: Workspace.open(path).close())
    finally:
        shutil.rmtree(path.parent)


@FUZZ
@given(**DAMAGE)
def test_workspace_opener_on_a_damaged_workspace(sound_workspace: bytes, cut: int,
                                                 flips: list[tuple[int, int]]) -> None:
    path = _in_temp("部门.baosong", _mutated(sound_workspace, cut, flips))
    try:
        _refused_or_read(lambda: Workspace.open(path).close())
    finally:
        shutil.rmtree(path.parent)


@FUZZ
@given(**DAMAGE)
def test_check_and_export_of_a_damaged_workspace_end_in_a_result_or_a_message(
        sound_workspace: bytes, cut: int, flips: list[tuple[int, int]]) -> None:
    """The whole command, as the clerk runs it: every page of the file is read, not only its header."""
    path = _in_temp("部门.baosong", _mutated(sound_workspace, cut, flips))
    try:
        for argv in (["check", str(path), "--json"], ["export", str(path), "--out", str(path.parent / "out")]):
            said = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
                code = commands.run(argv)
            assert code in (0, 1, 2), code
            if code == 2:
                assert any("\u4e00" <= ch <= "\u9fff" for ch in said.getvalue()), said.getvalue()
            assert "Traceback" not in said.getvalue()
    finally:
        shutil.rmtree(path.parent)


TEXT_PIECES = [b",", b"\t", b";", b"\r\n", b"\n", b"\0", b"\0" * 64, b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
               "张三".encode(), "张三".encode("gbk"), "张三".encode("utf-16-le"), b"13877112345", b'="0771"', b'"',
               b"<html>", b"<table>", b"<?xml ", b"urn:schemas-microsoft-com:office:spreadsheet", b"PK\x03\x04",
               b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ",".join(HEADER).encode(), b"\x80", b"\xe5\xbc"]


@FUZZ
@given(pieces=st.lists(st.sampled_from(TEXT_PIECES), max_size=40),
       suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".xls", ".ods"]))
def test_text_like_files_under_any_name(pieces: list[bytes], suffix: str) -> None:
    """What a file is decided from its content (forms.sheets.file_kind): text, BOMs, NULs, web pages and
    magic numbers in any order and under any name are read or refused in Chinese."""
    path = _in_temp(f"名单{suffix}", b"".join(pieces))
    try:
        _refused_or_read(lambda: check_files([str(path)]))
    finally:
        shutil.rmtree(path.parent)
