"""A workspace whose SQLite structure is sound but whose values are of the wrong type or shape (a hand edit, a
tool that "repaired" it, a bug of an older version): each command says "已损坏" with exit 2, never a traceback,
and the file is left as it was. The damage test's sibling (test_state_workspace_damage.py covers broken pages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.test_state_workspace_damage import damaged_copy, run_cli, run_on_damage, sql

VALUES = {
    "typed text a list": sql("UPDATE rows SET raw = '[1]' WHERE id = 2"),
    "typed text broken JSON": sql("UPDATE rows SET raw = '{' WHERE id = 2"),
    "typed text a number": sql("UPDATE rows SET raw = 5 WHERE id = 2"),
    "position a word": sql("UPDATE rows SET pos = 'abc' WHERE id = 3"),
    "row id beyond any count": sql("UPDATE rows SET id = 9223372036854775807 WHERE id = 3"),
    "a report a blob": sql("UPDATE texts SET value = x'ff00ff' WHERE key = 'report:performance'"),
    "frame of a row a word": sql("UPDATE rows SET frame_id = 'x' WHERE id = 3"),
    # a traceback (TypeError) in check, export and import: frames are sorted by position
    "position of a frame a word": sql("UPDATE frames SET position = 'x' WHERE id = 1"),
    # a traceback (TypeError) in export: the explanations are joined as text
    "an explanation a blob": sql("INSERT INTO justifications VALUES (2, 'possible-duplicate', x'ff00')"),
    # export took 20 s for 20 000 characters and never ended for a million (every document sets the name)
    "department of 20 000 characters": sql("UPDATE profile SET value = '\"' || replace(hex(zeroblob(10000)), '0', '局')"
                                           " || '\"' WHERE key = 'department'"),
    "work item of 20 000 characters": sql("UPDATE frames SET item = replace(hex(zeroblob(10000)), '0', '项')"
                                          " WHERE id = 1"),
}


@pytest.mark.parametrize("name", list(VALUES))
def test_a_wrong_value_is_the_damaged_message(name: str, pristine: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str], store: object) -> None:
    from tests.e2e import messy

    sheet = messy.write_system(tmp_path / "系统.xlsx")
    path = damaged_copy(pristine, tmp_path, VALUES[name])
    before = path.read_bytes()
    for command in (["check", str(path)], ["export", str(path), "--out", str(tmp_path / "out")],
                    ["bundle", str(path), "--out", str(tmp_path / "zip"), "--show-password", "--accept-warnings"],
                    ["import", str(path), str(sheet), "--form", "2", "--mode", "append"],
                    ["backup", str(path), "--out", str(tmp_path / "备份.baosong")]):
        code, err = run_on_damage(capsys, name, command)
        assert code == 2, (name, command[0], err)
        assert "已损坏" in err and "测试厅.baosong" in err, (name, command[0], err)
    assert path.read_bytes() == before, name
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_negative_ids_and_odd_but_readable_values_still_open(pristine: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """What reads back as it should is no damage: a negative row id, an integer position."""
    path = tmp_path / "测试厅.baosong"
    shutil.copy(pristine, path)
    sql("UPDATE rows SET id = -5 WHERE id = 3")(path)
    sql("UPDATE rows SET pos = 7 WHERE id = 4")(path)
    code, err = run_cli(capsys, "export", str(path), "--out", str(tmp_path / "out"))
    assert code == 0, err


def test_a_long_name_typed_before_the_limit_still_opens(pristine: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Names past 100 characters are refused when typed now; a workspace that already holds one (150) is the
    clerk's work, not damage: it opens, checks and exports."""
    path = tmp_path / "测试厅.baosong"
    shutil.copy(pristine, path)
    sql("UPDATE frames SET item = replace(hex(zeroblob(75)), '0', '项') WHERE id = 1")(path)
    sql("UPDATE profile SET value = '\"' || replace(hex(zeroblob(75)), '0', '局') || '\"' WHERE key = 'department'")(path)
    for command in (["check", str(path)], ["export", str(path), "--out", str(tmp_path / "out")]):
        code, err = run_cli(capsys, *command)
        assert code in (0, 1) and "已损坏" not in err, (command[0], err)
    assert any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("command", [["new", "{ws}", "--department", "{long}", "--kind", "gov"],
                                     ["import", "{pristine}", "{sheet}", "--form", "{hot}", "--item", "{long}"]])
def test_a_name_of_a_page_of_text_is_refused_when_typed(command: list[str], pristine: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from forms.store.workspace import Workspace
    from tests.e2e import messy

    path = tmp_path / "测试厅.baosong"
    shutil.copy(pristine, path)
    with Workspace.open(path) as ws:
        hot = ws.kind.hot_form
    fields = {"ws": str(tmp_path / "新.baosong"), "long": "局" * 5000, "pristine": str(path), "hot": hot,
              "sheet": str(messy.write_system(tmp_path / "系统.xlsx"))}
    code, err = run_cli(capsys, *[part.format(**fields) for part in command])
    assert code == 2 and "太长（5000个字）" in err and "不超过100个字" in err, err
    assert not (tmp_path / "新.baosong").exists()
