"""The one-shot path (forms.checks.oneshot: `check FILE` and the office's intake) gives exactly the findings of the
incremental engine loaded with the same rows: every rule on every row, the same duplicates, in the same order."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.data import rows as sample_rows
from forms.base.findings import Finding
from forms.checks import oneshot
from forms.checks.duplicates import COMPARED
from forms.checks.engine import Engine
from forms.checks.normalize import normalize_batch
from forms.notice import campaign
from forms.notice.attachments import FRAME_FORMS
from forms.sheets import excel_out
from forms.sheets.excel_in import SheetRead, read_file
from forms.tasks import check
from tests.forms.test_bulk_paths import raw_rows

Plan = list[tuple[str, int | None, bool]]  # each frame's form, minimum, coverage


def _frames(frames: list[list[dict[str, str]]], plan: Plan) -> list[oneshot.Frame]:
    out = []
    for at, (raws, (form, minimum, coverage)) in enumerate(zip(frames, plan, strict=True)):
        batch = normalize_batch(raws, FRAME_FORMS[form].normalisers)
        numbers = [5 + 2 * n for n in range(len(raws))]  # row ids that are not positions: the order must use them
        out.append(oneshot.Frame(at + 10, FRAME_FORMS[form], at, minimum, coverage, numbers,
                                 [row.values for row in batch.rows], [row.notes for row in batch.rows], batch.columns))
    return out


def _describe(key: tuple[int, int]) -> str:
    return f"框{key[0]}第{key[1]}行"


def _by_engine(frames: list[oneshot.Frame]) -> dict[int, tuple[list[Finding], dict[int, list[Finding]]]]:
    """What the engine says of the same frames, loaded frame by frame (as `check` loaded them before)."""
    engine = Engine(campaign.load(), check_prefix=True, describe=_describe)
    for frame in frames:
        engine.add_frame(frame.id, frame.form.number, order=frame.order, minimum=frame.minimum, coverage=frame.coverage)
        keys = [(frame.id, number) for number in frame.numbers]
        engine.load(list(zip(keys, frame.values, frame.notes, map(float, frame.numbers), strict=True)), frame.columns)
    found = {}
    for frame in frames:
        rows = {number: engine.row_findings((frame.id, number)) for number in frame.numbers}
        found[frame.id] = (engine.frame_findings(frame.id), {n: f for n, f in rows.items() if f})
    return found


def _once(frames: list[oneshot.Frame]) -> dict[int, tuple[list[Finding], dict[int, list[Finding]]]]:
    checked = oneshot.check_once(campaign.load(), frames, _describe)
    return {frame_id: (c.whole, c.rows) for frame_id, c in checked.items()}


PLAN: Plan = [("2", None, True), ("3", 300, False), ("3", 5, False)]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(st.lists(raw_rows(20), min_size=1, max_size=3))
def test_messy_rows_check_once_as_the_engine_checks_them(frames: list[list[dict[str, str]]]) -> None:
    built = _frames(frames, PLAN[:len(frames)])
    assert _once(built) == _by_engine(built)


def _seeded(count: int, seed: int) -> list[dict[str, str]]:
    """Realistic rows with deliberate errors and duplicates of every kind the checks know."""
    keys = FRAME_FORMS["2"].keys
    rng = random.Random(seed)
    rows = [dict(zip(keys, map(str, row), strict=True)) for row in sample_rows(count, seed)]
    for n, row in enumerate(rows):
        pick = rng.random()
        other = rows[rng.randrange(len(rows))]
        if pick < 0.05:
            row["mobile"] = other["mobile"]  # the same person twice by mobile
        elif pick < 0.08:
            row["name"], row["unit"] = other["name"], other["unit"]  # by name and unit
        elif pick < 0.11:
            row["name"], row["landline"], row["area_code"] = other["name"], other["landline"], other["area_code"]
        elif pick < 0.14:
            row["name"], row["unit"] = other["name"], other["unit"].replace("人民路", "人民大道")  # a unit spelt apart
        elif pick < 0.17:
            row["name"] = other["name"][:-1] + "某"  # one character apart, same office phone
            row["landline"], row["area_code"] = other["landline"], other["area_code"]
        elif pick < 0.20:
            row[rng.choice(["gender", "title", "unit", "name"])] = ""
        elif pick < 0.23:
            row["mobile"] = rng.choice(["1387711234", "0" + row["mobile"].lstrip("0"), "13877112345", "19777112345"])
        elif pick < 0.25:
            row["gender"], row["postcode"] = "未知", "5300"
        elif pick < 0.27:
            row["area_code"], row["landline"] = rng.choice([("0999", "2811111"), ("", "0772-2811111"), ("0771", "12")])
        elif pick < 0.29:
            row["unit"] = "某某公司"  # no place
        if n % 7 == 0:
            row["landline"], row["area_code"] = "2811111", "0772"  # one switchboard for more than COMPARED rows
    rows[3]["unit"] = "南宁市某某公司"  # no street address (a system frame's error)
    return rows


def test_hundreds_of_rows_with_errors_and_duplicates_check_once_as_the_engine_checks_them() -> None:
    rows = _seeded(900, 3)
    built = _frames([rows[:100], rows[100:700], rows[700:]], PLAN)
    assert sum(row["landline"] == "2811111" for row in rows) > COMPARED  # a crowd, compared by its size only
    found = _once(built)
    assert found == _by_engine(built)
    codes = {f.code for _whole, rows_found in found.values() for fs in rows_found.values() for f in fs}
    assert {"duplicate-person", "possible-duplicate", "required", "mobile-format", "gender", "postcode",
            "area-code", "address", "mobile-prefix"} <= codes


def _check_by_engine(sheets: list[SheetRead], options: check.CheckOptions) -> list[Finding]:
    """`check`'s findings as they were made with the engine, before the one-shot path."""
    camp = campaign.load(options.campaign)
    several = {s.file for s in sheets if sum(o.file == s.file for o in sheets) > 1}
    engine = Engine(camp, check_prefix=True,
                    describe=lambda key: check._place(sheets[key[0]], key[1], sheets[key[0]].file in several))
    found: list[Finding] = []
    for frame_id, sheet in enumerate(sheets):
        found.extend(replace(f, file=sheet.file, sheet=f.sheet or sheet.sheet, form=f.form or (sheet.form or ""))
                     for f in sheet.findings)
        form = check._rule_form(sheet)
        assert form is not None
        certain = sheet.form is not None
        engine.add_frame(frame_id, form, order=frame_id,
                         minimum=camp.kind(FRAME_FORMS[form].kind).minimum(options.category) if certain else None,
                         coverage=options.local_units and certain)
        batch = normalize_batch(sheet.table, FRAME_FORMS[form].normalisers)
        keys = [(frame_id, number) for number in sheet.numbers]
        engine.load(list(zip(keys, [r.values for r in batch.rows], [r.notes for r in batch.rows],
                             map(float, sheet.numbers), strict=True)), batch.columns)
    for frame_id, sheet in enumerate(sheets):
        form = engine.frames[frame_id].form.number
        found.extend(replace(f, file=sheet.file, sheet=sheet.sheet, form=form) for f in engine.frame_findings(frame_id))
        serials = check.serial_findings([(t or "").strip() for t in sheet.table.columns["serial"]])
        by_row: dict[int, list[Finding]] = {}
        for index, finding in serials:
            by_row.setdefault(sheet.numbers[index], []).append(finding)
        for number in sheet.numbers:
            by_row.setdefault(number, []).extend(engine.row_findings((frame_id, number)))
        found.extend(replace(f, file=sheet.file, sheet=sheet.sheet, form=form, row=n)
                     for n in sorted(by_row) for f in by_row[n])
    return found


def test_files_as_the_intake_reads_them_check_once_as_the_engine_checks_them(tmp_path: Path) -> None:
    """The intake's and `check FILE`'s path, from the exported sheets on: findings, order and messages alike."""
    rows = _seeded(600, 11)
    year = campaign.load()
    system = excel_out.export_frame(tmp_path, year, "2", "自治区测试厅", rows[:150])
    hot = excel_out.export_frame(tmp_path, year, "3", "自治区测试厅", rows[150:], item="公路建设")
    sheets = read_file(system) + read_file(hot)
    options = check.CheckOptions(category="专项事务管理")
    result = check.check_sheets(sheets, options)
    assert result.findings == _check_by_engine(sheets, options)
    assert sum(f.code == "duplicate-person" for f in result.findings) > 20
    assert len(result.values) == 600
