"""The bulk paths (column-wise normalising and checking, group-wise duplicate finding, compact storage)
give exactly what the row-by-row paths give, on messy rows full of near and exact duplicates."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forms.base import records
from forms.checks import duplicates
from forms.checks.duplicates import kind
from forms.checks.engine import Engine
from forms.checks.groups import Groups
from forms.checks.normalize import normalize_batch, normalize_row, normalize_rows
from forms.checks.rowstate import RowState
from forms.checks.rules import (
    ROW_RULES,
    Batch,
    RowInput,
    RowRule,
    RuleContext,
    _not_matching,
    check_row,
    check_rows,
)
from forms.notice import campaign
from forms.notice.attachments import FRAME_FORMS
from forms.store.rowstore import decode_raw, decode_values, encode_columns, encode_raw, encode_values
from forms.store.workspace import Profile, Workspace

CELLS = {
    "name": ["张三", "张叁", "张三丰", "李四", "欧阳娜娜", "Tom", "张3", " 王 五 ", ""],
    "gender": ["男", "女", "M", "女士", "x", ""],
    "unit": ["柳州市城中区文昌路1号 柳州市某某局", "柳州市城中区文昌路1号柳州市某某局", "柳州市城中区文昌路2号 柳州市某某处",
             "柳州市文昌路1号柳州市某某局", "柳州市文昌路2号柳州市某某局", "南宁市青秀区民族大道1号", "桂林市某某局", "横县某某乡政府", "某某公司", ""],
    "title": ["局长", "科员", " 科员", "e\u0301", "a\nb", ""],
    "area_code": ["0771", "0772", "771", "099", ""],
    "landline": ["2811111", "2811112", "0772-2811111", "12345", "1.3877E+10", ""],
    "mobile": ["13877112345", "013877112345", "13978012345", "1.3877E+10", "12345678901", "+8613877112346", "",
               "19777112345", "019777112345"],  # a block the 号段 table lacks: plain to the pattern, still a warning
    "postcode": ["530000", "545001", "54500", "５４５００１", ""],
    "remark": ["", "备注"],
}
FORMS = ["2", "3", "6"]


def raw_rows(size: int, filled: bool = False) -> st.SearchStrategy[list[dict[str, str]]]:
    """Rows of messy cells; `filled`: no cell left blank (columns the checks see as one value in every row)."""
    row = st.fixed_dictionaries({key: st.sampled_from([v for v in values if v or not filled])
                                 for key, values in CELLS.items()})
    return st.lists(row, min_size=1, max_size=size)


@settings(deadline=None)
@given(st.sampled_from(FORMS), raw_rows(30))
def test_normalising_by_column_is_normalising_by_row(form: str, raws: list[dict[str, str]]) -> None:
    normalisers = FRAME_FORMS[form].normalisers
    assert normalize_rows(raws, normalisers) == [normalize_row(raw, normalisers) for raw in raws]
    batch = normalize_batch(raws, normalisers)
    assert batch.columns == {key: [row.values[key] for row in batch.rows] for key in normalisers}
    assert encode_columns(list(batch.columns.values()), len(raws)) == [
        encode_values(row.values, list(normalisers)) for row in batch.rows]


@given(st.sampled_from(FORMS), raw_rows(8), st.lists(st.sets(st.sampled_from(sorted(CELLS))), min_size=8, max_size=8))
@example("2", [dict.fromkeys(CELLS, "1")] * 2, [{"landline"}, {"remark"}])  # 备注 is no column of 附件2
@example("2", [dict.fromkeys(CELLS, "1")] * 2, [{"landline"}, set()])  # a later row with a column more
def test_rows_with_different_columns_normalise_as_each_alone(form: str, raws: list[dict[str, str]],
                                                            dropped: list[set[str]]) -> None:
    rows = [{k: v for k, v in raw.items() if k not in gone} for raw, gone in zip(raws, dropped, strict=False)]
    normalisers = FRAME_FORMS[form].normalisers
    assert normalize_rows(rows, normalisers) == [normalize_row(raw, normalisers) for raw in rows]


@settings(deadline=None)
@given(st.sampled_from(FORMS), st.one_of(raw_rows(30), raw_rows(30, filled=True)), st.booleans(),
       st.lists(st.sampled_from([None, True, False])))
@example("2", [{key: values[0] for key, values in CELLS.items()},  # only 职务 blank in one row: one column varies
               {**{key: values[0] for key, values in CELLS.items()}, "title": ""}], False, [])
def test_checking_by_column_is_checking_by_row(form: str, raws: list[dict[str, str]], check_prefix: bool,
                                               overrides: list[bool | None]) -> None:
    from forms.checks import geo

    spec = FRAME_FORMS[form]
    ctx = RuleContext.of(campaign.load().rules, check_prefix)
    norms = [normalize_row(raw, spec.normalisers) for raw in raws]
    inputs = [RowInput(n.values, n.notes, geo.locate(n.values.get("unit", "")),
                       overrides[i] if i < len(overrides) else None) for i, n in enumerate(norms)]
    batch = Batch([i.values for i in inputs], [i.notes for i in inputs], [i.place for i in inputs],
                  [i.override for i in inputs])
    assert check_rows(spec, ctx, batch) == [tuple(check_row(spec, ctx, i)) for i in inputs]


def test_a_batch_of_blank_rows_has_no_findings() -> None:
    ctx = RuleContext.of(campaign.load().rules)
    blank = {key: "" for key in CELLS}
    assert check_rows(FRAME_FORMS["2"], ctx, Batch([blank, blank], [(), ()], [None, None], [None, None])) == [(), ()]


PLAIN_CHARS = "0123456789013张三Ab ·\n١"


@settings(deadline=None, max_examples=300)
@given(st.sampled_from([rule for rule in ROW_RULES if rule.plain(RuleContext.of(campaign.load().rules)) is not None]),
       st.one_of(st.text(alphabet=st.sampled_from(PLAIN_CHARS), max_size=13),
                 st.from_regex(r"0?1[0-9]{9,11}", fullmatch=True), st.from_regex(r"[0-9]{5,12}", fullmatch=True),
                 st.from_regex(r"[张三Ab1 ·]{1,25}", fullmatch=True)),
       st.sampled_from([None, True, False]), st.booleans())
@example(next(r for r in ROW_RULES if r.check.__name__ == "_mobile"), "19777112345", None, False)  # a block the
@example(next(r for r in ROW_RULES if r.check.__name__ == "_mobile"), "19777112345", None, True)  # table lacks
@example(next(r for r in ROW_RULES if r.check.__name__ == "_mobile"), "13877112345", None, True)  # Nanning's
@example(next(r for r in ROW_RULES if r.check.__name__ == "_mobile"), "013877112345", None, True)
@example(next(r for r in ROW_RULES if r.check.__name__ == "_mobile"), "13978012345", None, True)  # Liuzhou's
def test_a_plain_value_never_fails_its_rule(rule: RowRule, value: str, override: bool | None,
                                            check_prefix: bool) -> None:
    """A value matching a rule's `plain` pattern, and not one of its `doubtful` values, passes the rule itself,
    so skipping it changes nothing (a row with the clerk's override is never skipped in a file's check)."""
    import re

    ctx = RuleContext.of(campaign.load().rules, check_prefix)
    pattern = rule.plain(ctx)
    assert pattern is not None
    if check_prefix and rule.check.__name__ == "_mobile" and override is not None:
        return  # _Columns.failures checks every row with an override by itself
    if re.fullmatch(pattern, value) and not (rule.doubtful and value in rule.doubtful(ctx, [value])):
        inputs = [value, override][:len(rule.reads)]
        assert rule.check(FRAME_FORMS["2"], ctx, *inputs) == ()


@settings(deadline=None, max_examples=200)
@given(st.sampled_from([rule for rule in ROW_RULES if rule.plain(RuleContext.of(campaign.load().rules)) is not None]),
       st.lists(st.one_of(st.text(alphabet=st.sampled_from(PLAIN_CHARS), max_size=13),
                          st.from_regex(r"0?1[0-9]{9,11}", fullmatch=True), st.sampled_from(["", "张三", "2811111"])),
                max_size=12))
def test_the_odd_values_of_a_column_are_those_not_plain(rule: RowRule, column: list[str]) -> None:
    """One `sub` over the joined column finds what a look at each value finds, line breaks or not."""
    import re

    pattern = rule.plain(RuleContext.of(campaign.load().rules))
    assert pattern is not None
    assert _not_matching(column, pattern) == {value for value in column if not re.fullmatch(pattern, value)}


def test_plain_patterns_let_real_values_through() -> None:
    ctx = RuleContext.of(campaign.load().rules)
    plain = {rule.check.__name__: rule.plain(ctx) for rule in ROW_RULES}
    import re

    assert all(re.fullmatch(plain["_mobile"] or "", v) for v in ("13877112345", "013877112345"))
    assert not re.fullmatch(plain["_mobile"] or "", "12345678901")
    assert re.fullmatch(plain["_name"] or "", "欧阳娜娜") and not re.fullmatch(plain["_name"] or "", "Tom")
    assert re.fullmatch(plain["_landline"] or "", "2811111")
    # a block the 号段 table lacks is plain to the pattern, so the rule's `doubtful` must bring it back
    mobile = next(rule for rule in ROW_RULES if rule.check.__name__ == "_mobile")
    assert re.fullmatch(plain["_mobile"] or "", "19777112345") and mobile.doubtful is not None
    assert mobile.check(FRAME_FORMS["2"], ctx, "19777112345", None) != ()
    assert mobile.doubtful(ctx, ["19777112345", "13877112345", "019777112345"]) == {"19777112345", "019777112345"}
    # a file as given (check_prefix): the typed 0 the table contradicts is doubtful too, the right one is not
    as_given = RuleContext.of(campaign.load().rules, check_prefix=True)
    assert mobile.doubtful(as_given, ["13877112345", "013877112345", "13978012345", "013978012345"]) == {
        "013877112345", "13978012345"}


def _findings(engine: Engine, keys: list[tuple[int, int]]) -> dict[object, object]:
    found: dict[object, object] = {key: engine.row_findings(key) for key in keys}
    found.update({(frame, "counts"): engine.counts(frame) for frame in engine.frames})
    found.update({(frame, "frame"): engine.frame_findings(frame) for frame in engine.frames})
    return found


def _engine() -> Engine:
    engine = Engine(campaign.load(), check_prefix=True)
    engine.add_frame(1, "2", coverage=True)
    engine.add_frame(2, "3", order=1, minimum=3)
    return engine


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(raw_rows(24), st.randoms(use_true_random=False))
def test_bulk_load_edits_and_one_by_one_agree(raws: list[dict[str, str]], rng: object) -> None:
    import random

    assert isinstance(rng, random.Random)
    rows = []
    for n, raw in enumerate(raws):
        frame = 1 + n % 2
        norm = normalize_row(raw, FRAME_FORMS["2" if frame == 1 else "3"].normalisers)
        rows.append(((frame, n), norm.values, norm.notes, float(n)))
    keys = [key for key, *_ in rows]

    bulk = _engine()
    bulk.load(rows)
    one_by_one = _engine()
    for key, values, notes, pos in rng.sample(rows, len(rows)):  # joined in any order, ordered by position
        one_by_one.set_row(key, values, notes, pos)
    assert _findings(bulk, keys) == _findings(one_by_one, keys)

    # edits (changes, removals, re-adds) on the bulk engine end where a fresh load of the result starts
    final = dict(enumerate(rows))
    for _ in range(len(rows)):
        n = rng.randrange(len(rows))
        if rng.random() < 0.2:
            bulk.remove_row(rows[n][0])
            final.pop(n, None)
        else:
            key, _values, _notes, pos = rows[n]
            donor = rows[rng.randrange(len(rows))]
            bulk.set_row(key, donor[1], donor[2], pos)
            final[n] = (key, donor[1], donor[2], pos)
    fresh = _engine()
    fresh.load(final.values())
    assert _findings(bulk, keys) == _findings(fresh, keys)
    assert _indexes(bulk) == _indexes(fresh)  # nothing left behind by the rows that changed or left


def _indexes(engine: Engine) -> dict[str, dict[str, set[tuple[int, int]]]]:
    return {name: {value: set(group.members(value)) for value in group}
            for name, group in vars(engine.duplicates).items() if isinstance(group, Groups)} | {
        name: {value: set(group.members(value)) for value in group} for name, group in engine.duplicates.exact.items()}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(raw_rows(24))
@example([{"name": "张三", "unit": "柳州市文昌路1号柳州市某某局", "mobile": "13877112345"},  # no county, one city
          {"name": "张三", "unit": "柳州市文昌路2号柳州市某某局", "mobile": "13877112346"}])
def test_possible_duplicates_are_every_pair_that_is_one(raws: list[dict[str, str]]) -> None:
    """The indexes find exactly the pairs a look at every pair of rows finds (namesakes in no county too)."""
    engine = _engine()
    rows = [((1 + n % 2, n), normalize_row(raw, FRAME_FORMS["2"].normalisers).values, (), float(n))
            for n, raw in enumerate(raws)]
    engine.load(rows)
    states = [engine.rows[key] for key, *_ in rows if engine.rows[key].filled]
    every_pair = {(a.key, b.key) for a in states for b in states
                  if a.key != b.key and kind(a, b) and engine.duplicates.compared(a, b)}
    found = {(key, other) for key, others in engine.duplicates.near.items() for other in others}
    assert found == every_pair


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(raw_rows(16))
def test_rows_given_with_their_columns_check_as_rows_alone(raws: list[dict[str, str]]) -> None:
    """The columns an import hands over are only a shortcut: the findings are those of the rows alone."""
    normalisers = FRAME_FORMS["2"].normalisers
    batch = normalize_batch(raws, normalisers)
    assert batch.columns is not None
    rows = [((1, n), row.values, row.notes, float(n)) for n, row in enumerate(batch.rows)]
    keys = [key for key, *_ in rows]
    alone, with_columns = _engine(), _engine()
    alone.add_rows(rows)
    with_columns.add_rows(rows, batch.columns)
    assert _findings(with_columns, keys) == _findings(alone, keys)


def test_an_import_hands_its_columns_to_the_checks(tmp_path: Path) -> None:
    from unittest import mock

    ws = Workspace.create(tmp_path / "w.baosong", Profile("自治区某厅", "gov", "经济管理类"))
    frame = ws.system_frame()
    raws = [dict.fromkeys(CELLS, "") | {"name": name, "mobile": "13877112345"} for name in ("张三", "李四")]
    ws.import_rows(frame.id, raws[:1])
    ws.import_rows(frame.id, raws[1:])  # two batches, one check
    with mock.patch.object(Engine, "add_rows", autospec=True, side_effect=Engine.add_rows) as add_rows:
        ws.validate()
    [(_engine_, rows, columns)] = [call.args for call in add_rows.call_args_list]
    assert columns["name"] == ["张三", "李四"] and [values["name"] for _key, values, *_ in rows] == columns["name"]
    assert len(ws.engine.row_findings((frame.id, ws.row_ids(frame.id)[1]))) >= 1  # the same mobile twice
    ws.close()


def test_near_duplicate_names_the_other_row_whichever_joined_last() -> None:
    engine = Engine(campaign.load())
    engine.add_frame(1, "3")
    first = {"name": "张三", "landline": "2811111", "area_code": "0771", "mobile": "13877112345"}
    second = {**first, "name": "张叁", "mobile": "13877112346"}
    engine.load([((1, 1), first, (), 1.0), ((1, 2), second, (), 2.0)])
    engine.set_row((1, 1), first, (), 1.0)  # the earlier row joins again, after the later one
    [finding] = [f for f in engine.row_findings((1, 2)) if f.code == "possible-duplicate"]
    assert "（张三）" in finding.message and "（张叁）" not in finding.message


@given(st.dictionaries(st.sampled_from(list(FRAME_FORMS["2"].normalisers)), st.text(max_size=8)),
       st.dictionaries(st.sampled_from(list(FRAME_FORMS["2"].normalisers)), st.text(max_size=8)))
def test_stored_texts_read_back_as_written(values: dict[str, str], raw: dict[str, str]) -> None:
    keys = list(FRAME_FORMS["2"].normalisers)
    full = {key: values.get(key, "") for key in keys}
    for written in (values, full):
        assert decode_values(encode_values(written, keys), keys) == written
    assert encode_values(full, keys).startswith("\x1f") or "\x1f" in "".join(full.values())
    compact = not any("\x1f" in value for value in full.values())
    assert encode_columns([[full[key]] for key in keys], 1) == ([encode_values(full, keys)] if compact else None)
    back = decode_raw(encode_raw(raw, full), full)
    assert {k: v for k, v in back.items() if v} == {k: v for k, v in raw.items() if v}
    assert all(back.get(k, "") == v for k, v in raw.items())


def test_clean_rows_store_no_json_and_version_1_rows_still_read(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "w.baosong", Profile("自治区某厅", "gov", "经济管理类"))
    frame = ws.system_frame()
    clean = {"name": "张三", "gender": "男", "unit": "柳州市城中区文昌路1号", "mobile": "13877112345"}
    messy = {"name": "李四", "landline": "0772-2811111"}
    ids = ws.import_rows(frame.id, [clean, messy])
    stored = {row_id: (raw, norm) for row_id, raw, norm in ws.conn.execute("SELECT id, raw, norm FROM rows")}
    assert stored[ids[0]][0] == "" and "0772-2811111" in stored[ids[1]][0]
    assert not any(norm.startswith("{") for _raw, norm in stored.values())
    with ws.conn:  # a row as version 1 wrote it: JSON objects
        ws.conn.execute("UPDATE rows SET raw = ?, norm = ? WHERE id = ?",
                        ('{"name": "王五 "}', '{"name": "王五", "mobile": ""}', ids[0]))
    ws.close()
    again = Workspace.open(tmp_path / "w.baosong")
    assert again.row(frame.id, ids[0]).raw == {"name": "王五 "}
    assert again.row(frame.id, ids[0]).values == {"name": "王五", "mobile": ""}
    assert again.row(frame.id, ids[1]).raw == messy
    assert again.row(frame.id, ids[1]).values["area_code"] == "0772"
    again.close()


def test_rows_read_from_a_sheet_are_taken_column_by_column(tmp_path: Path) -> None:
    """A sheet's rows share their keys (序号 among them, which no form stores): the C path applies."""
    from benchmarks.data import write_xlsx
    from forms.checks.normalize import _cells_by_column
    from forms.sheets import excel_in

    raws = [raw for _n, raw in excel_in.read_file(write_xlsx(tmp_path / "a.xlsx", 20), form="2")[0].rows]
    keys = list(FRAME_FORMS["2"].normalisers)
    assert records.columns(raws, list(raws[0])) is not None  # what _cells_by_column takes the C path on
    assert _cells_by_column(raws, keys) == [[raw.get(key, "") for raw in raws] for key in keys]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=40)
@given(raw_rows(12))
def test_a_table_imports_as_its_rows_do(raws: list[dict[str, str]]) -> None:
    """A sheet's rows handed over as columns store and check exactly as the same rows as dicts."""
    import tempfile

    table = records.Table({key: [raw[key] for raw in raws] for key in raws[0]})
    with tempfile.TemporaryDirectory() as folder:
        stored = []
        for name, rows in (("dicts", raws), ("table", table)):
            ws = Workspace.create(Path(folder) / f"{name}.baosong", Profile("自治区某厅", "gov", "经济管理类"))
            frame = ws.system_frame()
            ids = ws.import_rows(frame.id, rows)
            stored.append(([(r.raw, r.values, r.notes, r.pos) for r in ws.rows(frame.id)],
                           [ws.engine.row_findings((frame.id, i)) for i in ids], ws.engine.counts(frame.id)))
            ws.close()
    assert stored[0] == stored[1]
    keys = FRAME_FORMS["2"].normalisers
    for (typed, *_rest), raw in zip(stored[1][0], raws, strict=True):  # what was typed is kept, row by row
        assert all(typed.get(key, "") == text for key, text in raw.items() if key in keys)


def _pairs_by_definition(states: list[RowState], limit: int) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """Every pair of rows that may be one person and share a group of `limit` rows or fewer, from the rows alone."""
    def size(attr: str, value: str) -> int:
        return sum(getattr(state, attr) == value for state in states)

    def compared(a: RowState, b: RowState) -> bool:
        if a.phone and a.phone == b.phone and size("phone", a.phone) <= limit:
            return True
        if not a.name or a.name != b.name:
            return False
        if a.county and b.county:
            return a.county == b.county and size("name_place", a.name_place) <= limit
        return size("name", a.name) <= limit

    return {(a.key, b.key) for a in states for b in states if a.key != b.key and kind(a, b) and compared(a, b)}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(raw_rows(24), st.randoms(use_true_random=False))
def test_groups_too_big_to_compare_keep_bulk_and_edits_in_step(raws: list[dict[str, str]], rng: object) -> None:
    """With groups of more than 3 rows left uncompared and one earlier row named per row, loading, editing
    and a fresh load still agree, and the pairs kept are exactly those of the definition, after every edit."""
    import random

    assert isinstance(rng, random.Random)
    with mock.patch.object(duplicates, "COMPARED", 3), mock.patch.object(duplicates, "SHOWN", 1):
        test_bulk_load_edits_and_one_by_one_agree.hypothesis.inner_test(raws, rng)  # type: ignore[attr-defined]
        engine = _engine()
        rows = [((1, n), normalize_row(raw, FRAME_FORMS["2"].normalisers).values, (), float(n))
                for n, raw in enumerate(raws)]
        engine.load(rows)
        for _ in range(len(rows)):
            key, values, notes, pos = rows[rng.randrange(len(rows))]
            if rng.random() < 0.3:
                engine.remove_row(key)
            else:
                engine.set_row(key, rows[rng.randrange(len(rows))][1], notes, pos)
            states = [state for state in engine.rows.values() if state.filled and state.key in engine.frames[1].rows]
            found = {(key, other) for key, others in engine.duplicates.near.items() for other in others}
            assert found == _pairs_by_definition(states, 3)


@settings(deadline=None, max_examples=100)
@given(st.lists(st.sampled_from(["", "科长", "某" * 32767, "某" * 32768, "长" * 40000]), max_size=6))
def test_a_rule_with_a_length_bound_finds_what_a_look_at_each_value_finds(column: list[str]) -> None:
    """`short` lets a column through by its longest value: the texts it leaves to the rule are exactly the
    ones the rule faults, and one no longer than the bound passes."""
    from forms.checks.rules import _Columns

    ctx = RuleContext.of(campaign.load().rules)
    form = FRAME_FORMS["3"]
    for rule in (rule for rule in ROW_RULES if rule.short is not None and rule.applies(form)):
        columns = _Columns(form, Batch([{rule.reads[0]: v} for v in column], [()] * len(column),
                                       [None] * len(column), [None] * len(column)))
        failed = columns.failures(rule, ctx, columns.keys(rule.reads))
        assert set(failed) == {v for v in column if rule.check(form, ctx, v)}
        assert all(rule.check(form, ctx, v) == () for v in column if len(v) <= rule.short)
