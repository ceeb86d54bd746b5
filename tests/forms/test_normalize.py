"""Normalisers: table cases for what clerks type, and properties that hold for any text."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from forms.checks import normalize as n

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(("normaliser", "raw", "value"), [
    ("mobile", "１３８７７１１２３４５", "13877112345"),
    ("mobile", "138 7711 2345", "13877112345"),
    ("mobile", "138-7711-2345", "13877112345"),
    ("mobile", "13877112345.0", "13877112345"),
    ("mobile", "+86 138 7711 2345", "13877112345"),
    ("mobile", "013877112345", "013877112345"),
    ("landline", "2811111", "2811111"),
    ("landline", "0772-2811111", "2811111"),
    ("landline", "(0773)2811111", "2811111"),
    ("landline", "（0773）2811111", "2811111"),
    ("area_code", "771", "0771"),
    ("area_code", "0771", "0771"),
    ("area_code", "771.0", "0771"),
    ("postcode", "530022", "530022"),
    ("postcode", "５３００２２", "530022"),
    ("gender", "男性", "男"), ("gender", "M", "男"), ("gender", "male", "男"), ("gender", "先生", "男"),
    ("gender", "女士", "女"), ("gender", "Female", "女"), ("gender", " 女 ", "女"), ("gender", "未知", "未知"),
    ("name", " 张三 ", "张三"), ("name", "张　三", "张三"), ("name", "阿沛•阿旺", "阿沛·阿旺"),
    ("name", "阿沛・阿旺", "阿沛·阿旺"), ("name", "阿沛·阿旺", "阿沛·阿旺"),
    ("text", "  南宁市  民族大道 ", "南宁市 民族大道"),
    ("text", "南宁市民族大道１００号", "南宁市民族大道100号"),
    ("serial", "12.0", "12"),
])
def test_normaliser_cases(normaliser: str, raw: str, value: str) -> None:
    assert n.NORMALISERS[normaliser](raw).value == value


@pytest.mark.parametrize("raw", ["1.3877E+10", "1.38771E+10", "1.3877e10"])
def test_scientific_mobile_is_lost_precision(raw: str) -> None:
    result = n.mobile(raw)
    assert result.note is not None and result.note.code == "mobile-format"
    assert "科学计数法" in result.note.reason


def test_landline_with_code_fills_the_area_code_column() -> None:
    row = n.normalize_row({"landline": "0772-2811111"}, {"area_code": "area_code", "landline": "landline"})
    assert row.values == {"area_code": "0772", "landline": "2811111"}


def test_typed_area_code_wins_over_the_split() -> None:
    row = n.normalize_row({"area_code": "0773", "landline": "0772-2811111"},
                          {"area_code": "area_code", "landline": "landline"})
    assert row.values["area_code"] == "0773"


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
separators = st.sampled_from(["", " ", "-", "\u3000", "－", "—"])


@given(mobiles, separators)
def test_mobile_survives_separators_and_fullwidth(mobile: str, sep: str) -> None:
    typed = f"{mobile[:3]}{sep}{mobile[3:7]}{sep}{mobile[7:]}".translate(FULLWIDTH)
    assert n.mobile(typed).value == mobile


@given(st.from_regex(r"[1-9][0-9]{6,7}", fullmatch=True), st.sampled_from(["0771", "0772", "0779", "010", "020"]),
       st.sampled_from(["-", " ", ""]))
def test_landline_split_is_exact(number: str, code: str, sep: str) -> None:
    result = n.landline(f"{code}{sep}{number}")
    assert (result.value, dict(result.extra).get("area_code")) == (number, code)


@given(st.text())
@example("0\x0c)")  # a bracket removed left a form feed at the end: "0\f" then "0"
def test_normalisers_never_raise_and_are_idempotent(text: str) -> None:
    for name, normaliser in n.NORMALISERS.items():
        once = normaliser(text).value
        if name not in ("landline",):  # a landline's area code moves out: its value is the local number
            assert normaliser(once).value == once


@given(st.text(alphabet=st.characters(categories=("Lo",)), min_size=1, max_size=6), st.sampled_from(["", " ", "\u3000"]))
def test_name_spaces_between_chinese_characters_go(name: str, pad: str) -> None:
    assert n.name(pad + pad.join(name) + pad).value == n.name(name).value


CELL_CHARS = "0123456789男女张三·.• \u3000\t\n\u0301eＡa（)-"


@given(st.sampled_from(sorted(n._CANONICAL)), st.text(alphabet=st.sampled_from(CELL_CHARS), max_size=14))
def test_fast_path_agrees_with_the_normaliser(normaliser: str, cell: str) -> None:
    """A cell the fast path keeps as it is must be one its normaliser would keep as it is."""
    if cell and n._CANONICAL[normaliser](cell):
        result = n.NORMALISERS[normaliser](cell)
        assert (result.value, result.note, result.extra) == (cell, None, ())


@given(st.sampled_from(sorted(n._CANONICAL)), st.lists(st.text(alphabet=st.sampled_from(CELL_CHARS), max_size=6)))
def test_a_column_is_plain_exactly_when_each_of_its_cells_is(normaliser: str, cells: list[str]) -> None:
    each = all(not cell or n._CANONICAL[normaliser](cell) for cell in cells)
    assert n._canonical_column(cells, normaliser) == each
