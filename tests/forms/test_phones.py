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
    ("13877112345", True, "南宁"), ("13978012345", False, "柳州"),
])
def test_nanning_decision_from_the_block(mobile: str, nanning: bool, place: str) -> None:
    decision = phones.nanning_decision(mobile)
    assert decision.is_nanning is nanning and place in decision.place
    assert decision.prefix == ("" if nanning else "0")


def test_override_wins_and_says_so() -> None:
    decision = phones.nanning_decision("13978012345", override=True)
    assert decision.is_nanning and decision.prefix == "" and "人工指定" in decision.describe()


@pytest.mark.parametrize(("code", "valid"), [("0771", True), ("0772", True), ("010", True), ("0123", False),
                                             ("771", False), ("07711", False)])
def test_area_codes(code: str, valid: bool) -> None:
    assert phones.is_area_code(code) is valid


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from([None, True, False]))
def test_export_prefix_is_the_decisions_prefix(mobile: str, override: bool | None) -> None:
    assert phones.export_prefix(mobile[:7], override) == phones.nanning_decision(mobile, override).prefix


def test_warm_up_loads_the_place_index_and_the_geocoder() -> None:
    from forms.checks import geo, warmup

    geo._index.cache_clear()
    phones._geocoder.cache_clear()
    warmup.load_reference_data()
    assert geo._index.cache_info().currsize == 1
    assert phones._geocoder.cache_info().currsize == 1


@given(st.lists(st.one_of(st.text(alphabet="0123456789１a", max_size=13), st.sampled_from(
    ["13877112345", "013877112345", "0013877112345", "1387711234", "01387711234", "0１3877112345", ""]))))
def test_duplicate_keys_are_the_eleven_digits_without_the_zero(mobiles: list[str]) -> None:
    expected = []
    for mobile in mobiles:
        digits = phones.without_zero(mobile)
        expected.append(digits if len(digits) == 11 and digits.isdigit() else "")
    assert phones.duplicate_keys(mobiles) == expected
