"""Hostile campaign files for `new --campaign`: each is refused before a workspace exists, in one short Chinese
message naming the field, never a traceback or a message as long as the file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from forms.notice import campaign as campaign_mod
from tests.hostile.files import ROOT, assert_refused, main_py

SHIPPED = ROOT / "forms" / "notice" / "data" / "campaign-2015.json"


def _shipped() -> dict[str, Any]:
    return json.loads(SHIPPED.read_text("utf-8"))


def _edit(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = _shipped()
    change(data)
    return data


def _new(tmp_path: Path, text: str) -> tuple[Path, Any]:
    path = tmp_path / "通知2016.json"
    path.write_text(text, encoding="utf-8")
    ws = tmp_path / "部门.baosong"
    result = main_py("new", str(ws), "--department", "自治区测试厅", "--kind", "gov", "--category", "经济管理类",
                     "--campaign", str(path))
    return ws, result


def test_deep_nesting_is_refused_as_a_bad_file(tmp_path: Path) -> None:
    ws, result = _new(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert_refused(result, "通知2016.json", "嵌套")
    assert not ws.exists()


def test_deep_nesting_kept_in_a_workspace_is_damage_not_a_traceback() -> None:
    with pytest.raises(campaign_mod.CampaignError, match="损坏"):
        campaign_mod.kept_or_shipped("[" * 100_000 + "]" * 100_000, "2015")


TEN_MB = "x" * 10_000_000

# (what, the edit) - each value is one a typist could paste, and the message must stay short
BAD: dict[str, Callable[[dict[str, Any]], None]] = {
    "year a 10 MB string": lambda d: d.__setitem__("year", TEN_MB),
    "notice number 10 MB": lambda d: d.__setitem__("notice_number", TEN_MB),
    "a title of 10 MB": lambda d: d["attachment_titles"].__setitem__("3", "{year}{department}{item}" + TEN_MB),
    "a category name of 10 MB": lambda d: d["kinds"]["gov"]["categories"].__setitem__(TEN_MB, "x"),
    "address markers not text": lambda d: d["rules"].__setitem__("address_markers", [{}]),
    "false markers not text": lambda d: d["rules"].__setitem__("address_false_markers", [[1]]),
    "analysis sections not text": lambda d: d["rules"].__setitem__("analysis_sections", [{}]),
    "analysis sections empty": lambda d: d["rules"].__setitem__("analysis_sections", []),
    "a width format in a title": lambda d: d["attachment_titles"].__setitem__("2", "{year:>99999999}"),
    "an attribute in a title": lambda d: d["attachment_titles"].__setitem__("2", "{year.__class__}"),
    "a conversion in a stem": lambda d: d["file_stems"].__setitem__("3", "{item!r}"),
    "a minimum beyond any frame": lambda d: d["kinds"]["gov"]["categories"].__setitem__("经济管理类", 10**30),
    "a default minimum beyond any frame": lambda d: d["kinds"]["gov"].__setitem__("default_minimum", 10**20),
    "a font size of a million": lambda d: d["rules"].__setitem__("analysis_font_size_pt", 10**6),
    "a name length of zero": lambda d: d["rules"].__setitem__("name_max_length", 0),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_value_is_refused_in_a_short_message(tmp_path: Path, case: str) -> None:
    ws, result = _new(tmp_path, json.dumps(_edit(BAD[case]), ensure_ascii=False))
    assert_refused(result, "通知2016.json")
    assert len(result.stderr) < 2000, result.stderr[:300]
    assert not ws.exists()


def test_a_huge_integer_is_refused_not_a_traceback(tmp_path: Path) -> None:
    text = SHIPPED.read_text("utf-8").replace('"year": 2015', '"year": 1' + "0" * 5000)
    ws, result = _new(tmp_path, text)
    assert_refused(result, "通知2016.json", "5001位的数字")
    assert not ws.exists()


def test_the_shipped_campaign_still_passes(tmp_path: Path) -> None:
    ws, result = _new(tmp_path, SHIPPED.read_text("utf-8"))
    assert result.returncode == 0, result.stderr
    assert ws.exists()
