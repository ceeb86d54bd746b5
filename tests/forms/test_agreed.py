"""The office's agreed exceptions: a coverage gap or a short frame, agreed, is a warning; anything worse, an error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.base.findings import Severity
from forms.checks import agreed, geo
from forms.store.workspace import Profile, Workspace
from tests.e2e.test_cli_bundle import clean_rows

TODAY = dt.date(2015, 11, 10)
LEFT_OUT = ("西林县", "隆林各族自治县")  # in the order of their codes


def county_rows(skip: tuple[str, ...] = LEFT_OUT) -> list[dict[str, str]]:
    """One cadre in every county-level unit of 2015 but those in `skip`."""
    rows = []
    for city, counties in geo.coverage_units(2015).items():
        for n, county in enumerate(counties):
            if county.name in skip:
                continue
            rows.append({"name": "覃" + chr(0x4E00 + len(rows) // 100) + chr(0x4E00 + len(rows) % 100),
                         "gender": "女", "unit": f"{city.name}{county.name}人民路{n + 1}号 交通运输局",
                         "title": "局长", "mobile": f"1387712{len(rows):04d}", "postcode": county.postcode})
    return rows


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    found = Workspace.create(tmp_path / "w.baosong", Profile("自治区交通运输厅", "gov", "专项事务管理"))
    found.import_rows(found.system_frame().id, county_rows())
    hot = found.add_hot_item("公路建设")
    found.import_rows(hot.id, clean_rows(250, 100, surname="试"))
    yield found
    found.close()


def whole(ws: Workspace, frame_id: int, code: str) -> list[tuple[Severity, str]]:
    return [(f.severity, f.message) for f in ws.engine.frame_findings(frame_id) if f.code == code]


def record(ws: Workspace, frame_id: int, code: str, note: str = "") -> agreed.Agreed:
    deal = agreed.capture(ws.engine, frame_id, ws.frame(frame_id).label, code, "考评办二处 张科长", TODAY, note, TODAY)
    ws.set_agreed(agreed.replaced(ws.agreed(), deal))
    return deal


def test_an_agreed_coverage_gap_is_a_warning_until_another_county_goes_missing(ws: Workspace) -> None:
    system = ws.system_frame().id
    [(severity, _)] = whole(ws, system, "coverage")
    assert severity is Severity.ERROR and ws.engine.counts(system)[0] == 1

    deal = record(ws, system, "coverage", "两县无直属单位")

    assert deal.missing_names == LEFT_OUT
    [(severity, message)] = whole(ws, system, "coverage")
    assert severity is Severity.WARNING and message.startswith("已与考评办协商调整（考评办二处 张科长，2015年11月10日同意；两县无直属单位）：尚未覆盖")
    assert ws.engine.counts(system) == (0, 1)
    first = ws.row_ids(system)[0]
    gone = ws.delete_rows(system, [first])  # 兴宁区 now missing too: beyond what was agreed
    assert [s for s, _ in whole(ws, system, "coverage")] == [Severity.ERROR]
    ws.restore_rows(gone)
    ws.import_rows(system, [{**county_rows(())[-1], "unit": "百色市西林县人民路1号 交通运输局", "postcode": "533500",
                             "name": "韦新", "mobile": "13877129999"}])  # one of the two now covered: still within
    assert [s for s, _ in whole(ws, system, "coverage")] == [Severity.WARNING]


def test_an_agreed_short_frame_holds_at_its_count_and_survives_reopening(ws: Workspace, tmp_path: Path) -> None:
    hot = ws.hot_frames()[0].id
    record(ws, hot, "below-minimum")
    assert [s for s, _ in whole(ws, hot, "below-minimum")] == [Severity.WARNING]
    ws.close()
    with Workspace.open(tmp_path / "w.baosong") as again:
        assert [s for s, _ in whole(again, hot, "below-minimum")] == [Severity.WARNING]
        again.delete_rows(hot, again.row_ids(hot)[:1])  # 249 < the 250 agreed
        assert [s for s, _ in whole(again, hot, "below-minimum")] == [Severity.ERROR]


def test_an_agreement_needs_whom_and_when_and_a_finding_to_cover(ws: Workspace) -> None:
    hot = ws.hot_frames()[0].id
    with pytest.raises(agreed.AgreedError) as refused:
        agreed.capture(ws.engine, hot, "附件3", "below-minimum", " ", TODAY + dt.timedelta(days=1), "", TODAY)
    assert refused.value.message == "请填写与考评办哪位同志协商（如“考评办二处 张科长”）。协商日期晚于今天，请核对。"
    with pytest.raises(agreed.AgreedError, match="只有"):
        agreed.capture(ws.engine, hot, "附件3", "duplicate-person", "张科长", TODAY, "", TODAY)
    with pytest.raises(agreed.AgreedError, match="没有这个问题"):
        agreed.capture(ws.engine, hot, "附件3", "coverage", "张科长", TODAY, "", TODAY)


def test_removing_a_frame_drops_its_agreement_and_damaged_data_unblocks_nothing(ws: Workspace) -> None:
    hot = ws.hot_frames()[0].id
    record(ws, hot, "below-minimum")
    ws.remove_frame(hot)
    assert ws.agreed() == []
    ws.set_text(agreed.AGREED_KEY, '[{"frame_id": "x"}, 5, "bad"]')
    assert agreed.load(ws.text(agreed.AGREED_KEY)) == []
