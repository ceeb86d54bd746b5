"""Removing a frame leaves the other frames' findings exactly as if its rows had been removed one by one,
also for a large frame (forms.checks.engine joins the other rows again past _REJOIN_AT rows), and a
frame of 20 000 rows on one office phone is removed in one pass, not a pass per row."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from forms.checks import engine as engine_mod
from forms.checks.engine import Engine
from forms.checks.normalize import normalize_batch
from forms.notice import campaign
from forms.notice.attachments import FRAME_FORMS
from tests.forms.test_bulk_paths import raw_rows

Picture = dict[int, tuple[tuple[int, int], list[str], dict[int, list[str]]]]


def _engine(frames: list[tuple[str, list[dict[str, str]]]]) -> Engine:
    engine = Engine(campaign.load(), check_prefix=True)
    for frame_id, (form, raws) in enumerate(frames, 1):
        engine.add_frame(frame_id, form, order=frame_id, minimum=3 if form != "2" else None, coverage=form == "2")
        batch = normalize_batch(raws, FRAME_FORMS[form].normalisers)
        engine.load([((frame_id, n), row.values, row.notes, float(n)) for n, row in enumerate(batch.rows, 1)],
                    batch.columns)
    return engine


def _picture(engine: Engine) -> Picture:
    return {frame_id: (engine.counts(frame_id), [f.message for f in engine.frame_findings(frame_id)],
                       {key[1]: [f.message for f in engine.row_findings(key)] for key in sorted(engine.rows)
                        if key[0] == frame_id and engine.row_findings(key)})
            for frame_id in engine.frames}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_rows(12), raw_rows(12), raw_rows(12))
def test_a_frame_removed_by_joining_the_others_again_is_one_removed_row_by_row(
        first: list[dict[str, str]], second: list[dict[str, str]], third: list[dict[str, str]]) -> None:
    frames = [("2", first), ("3", second), ("3", third)]
    by_rows, rejoined = _engine(frames), _engine(frames)
    by_rows.remove_frame(2)
    old, engine_mod._REJOIN_AT = engine_mod._REJOIN_AT, 0
    try:
        changed = rejoined.remove_frame(2)
    finally:
        engine_mod._REJOIN_AT = old
    assert _picture(rejoined) == _picture(by_rows)
    assert not any(key[0] == 2 for key in rejoined.rows) and all(key[0] != 2 for key in changed)


@pytest.mark.parametrize("rows", [20_000])
def test_a_large_crowded_frame_is_removed_in_one_pass(rows: int) -> None:
    """20 000 rows on one office phone beside a small frame sharing it: row by row this was 20 000 passes
    over the group (minutes); the other frame's rows then no longer crowd it."""
    crowd = [{"name": f"张{n:05d}", "gender": "男", "unit": "南宁市民族大道1号", "title": "科员", "area_code": "0771",
              "landline": "2811111", "mobile": ""} for n in range(rows)]
    small = [dict(crowd[0], name=f"李{n}") for n in range(3)]
    engine = _engine([("3", crowd), ("3", small)])
    assert any("人数太多" in f.message for f in engine.row_findings((2, 1)))
    engine.remove_frame(1)
    assert set(engine.frames) == {2} and len(engine.rows) == 3
    assert not any("人数太多" in f.message for f in engine.row_findings((2, 1)))
