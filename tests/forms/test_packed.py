"""The fingerprint of what an archive packs: what is exported changes it, nothing else does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.store.workspace import Profile, Workspace
from forms.tasks import packed
from tests.forms.test_outputs import GOOD, people


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    found = Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    found.import_rows(found.add_hot_item("公路建设").id, [GOOD, *people(3)])
    yield found
    found.close()


def frame_part(ws: Workspace) -> str:
    return packed.fingerprint(ws)[f"frame:{ws.hot_frames()[0].id}"].sha256


def test_a_blank_row_changes_nothing_a_reason_or_an_override_does(ws: Workspace) -> None:
    hot = ws.hot_frames()[0].id
    before = frame_part(ws)
    ws.insert_rows(hot, 2, [{}])
    assert frame_part(ws) == before
    first = ws.row_ids(hot)[0]
    ws.set_justification(first, "possible-duplicate", "两人同名不同人")
    with_reason = frame_part(ws)
    assert with_reason != before
    ws.set_override(hot, first, False)
    assert frame_part(ws) not in (before, with_reason)


def test_rows_stored_the_old_way_give_the_same_fingerprint(ws: Workspace) -> None:
    hot = ws.hot_frames()[0].id
    before = frame_part(ws)
    row = ws.row_ids(hot)[1]
    values = ws.row(hot, row).values
    with ws.conn:  # as version 1 stored every row: a JSON object
        ws.conn.execute("UPDATE rows SET norm = ? WHERE id = ?", (json.dumps(values, ensure_ascii=False), row))
    assert frame_part(ws) == before
    with ws.conn:
        ws.conn.execute("UPDATE rows SET norm = ? WHERE id = ?", (json.dumps({**values, "title": "处长"}), row))
    assert frame_part(ws) != before


def test_the_order_of_the_rows_is_part_of_it(ws: Workspace) -> None:
    hot = ws.hot_frames()[0].id
    before = frame_part(ws)
    [moved] = ws.delete_rows(hot, ws.row_ids(hot)[:1])
    ws.insert_rows(hot, 3, [moved.raw])
    assert frame_part(ws) != before
