"""Phone attribution: the fast validity check agrees with phonenumbers, the Nanning decision, area codes."""

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.checks import phones


@settings(max_examples=2000)
@given(st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_mobile_validity_is_phonenumbers_own(number: str) -> None:
    expected = phonenumbers.is_valid_number(phonenumbers.parse("+86" + number))
    assert phones.is_valid_mobile(number) == expected


@pytest.mark.parametrize(("mobile", "nanning", "place"), [
    ("13877112345", True, "广西南宁"), ("13978012345", False, "广西柳州"),
    # blocks phonenumbers' geocoder gets wrong (北京市, or just 中国): the 号段 table knows them
    ("17377112345", True, "广西南宁"), ("19977112345", True, "广西南宁"), ("16677112345", True, "广西南宁"),
    ("19077112345", True, "广西南宁"), ("19977612345", False, "广西百色"), ("019977612345", False, "广西百色"),
])
def test_nanning_decision_from_the_block(mobile: str, nanning: bool, place: str) -> None:
    decision = phones.nanning_decision(mobile)
    assert (decision.is_nanning, decision.source, decision.place) == (nanning, phones.Source.BLOCK, place)
    assert decision.prefix == ("" if nanning else "0")
    assert place in decision.describe() and "2312" in decision.describe()


UNKNOWN = "19777112345"  # valid to phonenumbers, a block phone.dat 2312 does not list


def test_a_block_the_table_lacks_is_unknown_not_silently_elsewhere() -> None:
    assert phones.is_valid_mobile(UNKNOWN)
    decision = phones.nanning_decision(UNKNOWN)
    assert decision.source is phones.Source.UNKNOWN and decision.block == "1977711" and decision.place == ""
    assert "归属地未知" in decision.describe() and "请确认" in decision.describe()
    assert phones.unknown_blocks([UNKNOWN, "0" + UNKNOWN, "13877112345", "19977612345", "", "x", "1387711"]) == {
        UNKNOWN, "0" + UNKNOWN}


def test_override_wins_and_says_so() -> None:
    decision = phones.nanning_decision("13978012345", override=True)
    assert decision.is_nanning and decision.prefix == "" and "人工指定本行" in decision.describe()
    assert "广西柳州" in decision.describe()


def test_a_rows_override_wins_over_its_blocks() -> None:
    by_block = phones.nanning_decision(UNKNOWN, block_override=True)
    assert by_block.is_nanning and by_block.source is phones.Source.BLOCK_OVERRIDE
    assert "号段1977711的所有号码" in by_block.describe()
    assert phones.nanning_decision(UNKNOWN, override=False, block_override=True).is_nanning is False


def test_overrides_per_row_and_per_block() -> None:
    overrides = phones.Overrides()
    assert overrides.column([(1, 1), (1, 2)], [UNKNOWN, ""]) == [None, None]
    overrides.blocks["1977711"] = True
    overrides[(1, 2)] = False
    assert overrides.column([(1, 1), (1, 2), (1, 3)], [UNKNOWN, UNKNOWN, "13877112345"]) == [True, False, None]
    assert overrides.decision((1, 1), "0" + UNKNOWN).source is phones.Source.BLOCK_OVERRIDE


@pytest.mark.parametrize(("code", "valid"), [("0771", True), ("0772", True), ("010", True), ("0123", False),
                                             ("771", False), ("07711", False)])
def test_area_codes(code: str, valid: bool) -> None:
    assert phones.is_area_code(code) is valid


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from([None, True, False]))
def test_export_prefix_is_the_decisions_prefix(mobile: str, override: bool | None) -> None:
    assert phones.export_prefix(mobile[:7], override) == phones.nanning_decision(mobile, override).prefix


def test_warm_up_loads_the_place_index_and_the_block_table() -> None:
    from forms.checks import geo, mobile_blocks, warmup

    geo._index.cache_clear()
    mobile_blocks.table.cache_clear()
    warmup.load_reference_data()
    assert geo._index.cache_info().currsize == 1
    assert mobile_blocks.table.cache_info().currsize == 1


def test_attribution_needs_no_geocoder() -> None:
    """The geocoder is stale for mobiles and slow to load; nothing of the program's own imports it."""
    import subprocess
    import sys

    code = ("import sys; from forms.checks import phones, warmup; warmup.load_reference_data(); "
            "phones.nanning_decision('13877112345'); print('phonenumbers.geocoder' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


@given(st.lists(st.one_of(st.text(alphabet="0123456789１a", max_size=13), st.sampled_from(
    ["13877112345", "013877112345", "0013877112345", "1387711234", "01387711234", "0１3877112345", ""]))))
def test_duplicate_keys_are_the_eleven_digits_without_the_zero(mobiles: list[str]) -> None:
    expected = []
    for mobile in mobiles:
        digits = phones.without_zero(mobile)
        expected.append(digits if len(digits) == 11 and digits.isdigit() else "")
    assert phones.duplicate_keys(mobiles) == expected
