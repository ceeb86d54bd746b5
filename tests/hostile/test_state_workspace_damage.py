"""A damaged workspace is the "已损坏" refusal with exit 2, never a traceback; a foreign SQLite file is refused
byte for byte unchanged; a read-only workspace opens read-only for export. Exit 1 keeps meaning "errors found"."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from cli import commands as cli
from forms.store.workspace import Workspace
from tests.e2e.test_cli_bundle import ready_workspace
from tests.e2e.test_cli_check import main_py

Damage = Callable[[Path], None]


def good_workspace(folder: Path) -> Path:
    """A workspace ready to bundle (so the bundle reaches its records), with a long text in the last pages."""
    path = ready_workspace(folder)
    with Workspace.open(path) as ws:
        ws.set_text("report:performance", "# 一、重点工作\n\n正文" * 200)
    assert not Path(f"{path}-wal").exists()
    return path


def sql(statement: str, *params: object) -> Damage:
    def damage(path: Path) -> None:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute(statement, params)
        conn.close()
    return damage


def cut(keep: Callable[[int], int]) -> Damage:
    def damage(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[:keep(len(data))])
    return damage


def flip(offset: Callable[[int], int], count: int = 16) -> Damage:
    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        at = offset(len(data))
        data[at:at + count] = bytes(b ^ 0xA5 for b in data[at:at + count])
        path.write_bytes(bytes(data))
    return damage


def both(first: Damage, second: Damage) -> Damage:
    def damage(path: Path) -> None:
        first(path)
        second(path)
    return damage


def replace_with(content: bytes) -> Damage:
    return lambda path: path.write_bytes(content)


def middle_rows_page(path: Path) -> int:
    """The offset of a page in the middle of the rows table: a flip there damages rows, not free space."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        pages = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'rows' ORDER BY pageno")]
    return (pages[len(pages) // 2] - 1) * 4096


def page(n: int, count: int = 4096) -> Callable[[int], int]:
    return lambda size: min(n * 4096, size - count)


DAMAGES: dict[str, Damage] = {
    "one byte truncated": cut(lambda n: n - 1),
    "cut in half": cut(lambda n: n // 2),
    "header only": cut(lambda n: 100),
    "empty file": cut(lambda n: 0),
    "magic flipped": flip(lambda n: 0),
    "page size flipped": flip(lambda n: 16, 2),
    "page count flipped": flip(lambda n: 28, 4),
    "schema page flipped": flip(lambda n: 4096 - 700, 600),
    "second page zeroed": lambda p: p.write_bytes(p.read_bytes()[:4096] + bytes(4096) + p.read_bytes()[8192:]),
    "middle page flipped": lambda p: flip(lambda n: middle_rows_page(p) + 100, 3000)(p),
    "last page flipped": flip(page(10_000, 4000), 4000),
    "random bytes": lambda p: p.write_bytes(os.urandom(p.stat().st_size)),
    "a text file": replace_with("姓名,手机\n张三,13877112345\n".encode("gbk")),
    "a zip file": replace_with(b"PK\x03\x04" + bytes(200)),
    "schema_version abc": sql("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'"),
    "schema_version empty": sql("UPDATE meta SET value = '' WHERE key = 'schema_version'"),
    "schema_version -1": sql("UPDATE meta SET value = '-1' WHERE key = 'schema_version'"),
    "schema_version 0": sql("UPDATE meta SET value = '0' WHERE key = 'schema_version'"),
    "schema_version 2.5": sql("UPDATE meta SET value = '2.5' WHERE key = 'schema_version'"),
    "schema_version huge": sql("UPDATE meta SET value = '99999999999999999999999' WHERE key = 'schema_version'"),
    "schema_version fullwidth": sql("UPDATE meta SET value = '２' WHERE key = 'schema_version'"),
    "schema_version a blob": sql("UPDATE meta SET value = x'00ff' WHERE key = 'schema_version'"),
    "schema_version gone": sql("DELETE FROM meta WHERE key = 'schema_version'"),
    "unknown kind": sql("UPDATE profile SET value = '\"xyz\"' WHERE key = 'kind'"),
    "kind a number": sql("UPDATE profile SET value = '5' WHERE key = 'kind'"),
    "profile JSON broken": sql("UPDATE profile SET value = '{\"broken' WHERE key = 'department'"),
    "unknown campaign": both(sql("UPDATE profile SET value = '\"2099\"' WHERE key = 'campaign'"),
                             sql("DELETE FROM texts WHERE key = 'campaign'")),
    "campaign a path": both(sql("UPDATE profile SET value = '\"../../../etc/passwd\"' WHERE key = 'campaign'"),
                            sql("DELETE FROM texts WHERE key = 'campaign'")),
    "kept campaign broken": sql("UPDATE texts SET value = '{not json' WHERE key = 'campaign'"),
    "kept campaign not a campaign": sql("UPDATE texts SET value = '[1, 2]' WHERE key = 'campaign'"),
    "local_units a word": sql("UPDATE profile SET value = '\"yes\"' WHERE key = 'local_units'"),
    "unknown form": sql("UPDATE frames SET form = '99' WHERE form = '3'"),
    "row of no frame": sql("UPDATE rows SET frame_id = 999 WHERE id = 1"),
    "row values garbage": sql("UPDATE rows SET norm = x'ff00fe' WHERE id = 2"),
    "notes garbage": sql("UPDATE rows SET notes = '{not json' WHERE id = 3"),
    "rows table gone": sql("DROP TABLE rows"),
    "handover record broken": sql("INSERT INTO texts(key, value) VALUES ('handover', '[{\"archive_name\": 1')"),
}



def damaged_copy(pristine: Path, folder: Path, damage: Callable[[Path], None]) -> Path:
    """A copy of the sound workspace in `folder`, damaged."""
    path = folder / "测试厅.baosong"
    shutil.copy(pristine, path)
    damage(path)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    from cli.bundle import add_bundle

    code = cli.run(list(args), extensions=[add_bundle])
    return code, capsys.readouterr().err


def run_on_damage(capsys: pytest.CaptureFixture[str], name: str, command: list[str]) -> tuple[int, str]:
    """The command's exit code and what it said; a traceback fails the test, naming the damage and the command."""
    try:
        return run_cli(capsys, *command)
    except Exception as exc:
        pytest.fail(f"{name}: {command[0]} raised {type(exc).__name__}: {exc}")


@pytest.mark.parametrize("name", list(DAMAGES))
def test_damage_is_the_damaged_message_with_exit_2(name: str, pristine: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str], store: object) -> None:
    from tests.e2e import messy

    sheet = messy.write_system(tmp_path / "系统.xlsx")
    path = damaged_copy(pristine, tmp_path, DAMAGES[name])
    before = path.read_bytes()
    for command in (["bundle", str(path), "--out", str(tmp_path / "zip"), "--show-password"],
                    ["export", str(path), "--out", str(tmp_path / "out")],
                    ["import", str(path), str(sheet), "--form", "2"]):
        code, err = run_on_damage(capsys, name, command)
        if name == "handover record broken" and command[0] != "bundle":
            continue  # only the bundle reads the handover records
        assert code == 2, (name, command[0], err)
        assert "已损坏" in err and "测试厅.baosong" in err, (name, command[0], err)
        assert "Traceback" not in err
    if name != "handover record broken":  # refused at opening: left exactly as it was, nothing beside it
        assert path.read_bytes() == before, name
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists()


def test_the_real_cli_says_damaged_without_a_traceback(pristine: Path, tmp_path: Path) -> None:
    path = damaged_copy(pristine, tmp_path, DAMAGES["unknown kind"])
    result = main_py("export", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "已损坏" in result.stderr and "Traceback" not in result.stderr


def foreign_database(path: Path, wal: bool) -> Path:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    with conn:
        conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('application', 'someone else')")
        conn.execute("CREATE TABLE people(name TEXT)")
        conn.executemany("INSERT INTO people VALUES (?)", [(f"人{n}",) for n in range(500)])
    conn.close()
    return path


@pytest.mark.parametrize("wal", [False, True], ids=["rollback journal", "WAL"])
def test_a_foreign_sqlite_file_is_refused_unchanged(wal: bool, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = foreign_database(tmp_path / "别人的.baosong", wal)
    before = path.read_bytes()
    code, err = run_cli(capsys, "export", str(path), "--out", str(tmp_path / "out"))
    assert code == 2 and "不是报送助手的工作区文件" in err and "别人的.baosong" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["别人的.baosong"]


def test_a_read_only_workspace_exports(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "光盘"
    folder.mkdir()
    path = folder / "测试厅.baosong"
    shutil.copy(pristine, path)
    before = path.read_bytes()
    real_access = os.access
    # tests run as root, who may write anywhere: deny writing here as Windows or a clerk's account would
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if mode & os.W_OK and Path(p).resolve()
                        .is_relative_to(folder) else real_access(p, mode, **k))
    os.chmod(path, 0o444)
    code, err = run_cli(capsys, "export", str(path), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert any(p.name.startswith("附件2_") for p in (tmp_path / "out").iterdir())
    assert path.read_bytes() == before and sorted(p.name for p in folder.iterdir()) == ["测试厅.baosong"]
    code, err = run_cli(capsys, "import", str(path), str(tmp_path / "x.xlsx"), "--form", "2")
    assert code == 2 and "已损坏" not in err


def test_exit_1_still_means_errors_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.e2e import messy

    code, _err = run_cli(capsys, "check", str(messy.write_hot(tmp_path / "热点.xlsx")))
    assert code == 1


def test_a_folder_named_like_a_workspace_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "测试厅.baosong").mkdir()
    code, err = run_cli(capsys, "export", str(tmp_path / "测试厅.baosong"), "--out", str(tmp_path / "out"))
    assert code == 2 and "是一个文件夹" in err and "Traceback" not in err
