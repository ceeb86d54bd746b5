"""字数 counted as Word/WPS count it: table cases and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.checks.textcount import count_chars, is_blank, is_wide


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n\t", 0),
        ("南宁", 2),
        ("完成率达到100%", 6),           # 完成率达到 5 + one run "100%"
        ("2015年", 2),
        ("GDP增长7.5%", 4),              # GDP, 增, 长, 7.5%
        ("重点工作，已完成。", 9),        # full-width marks count one each
        ("“放管服”改革", 7),
        ("《通知》", 4),
        ("工作……", 4),                   # each … is one
        ("2015—2016年", 4),              # 2015, —, 2016, 年
        ("ＡＢＣ１２３", 6),              # full-width letters and digits are East Asian characters
        ("hello world", 2),
        ("e-mail,", 1),
        ("南宁 市", 3),                   # blanks count nothing
        ("南\u3000宁", 2),               # the ideographic space is a blank
        ("第1季度", 4),
        ("a南b", 3),
        ("注:本表为无记名方式,请您在评价分栏内填上相应分数。", 26),  # a half-width mark alone is a run
        ("·", 1),
        ("□满意 □不满意", 7),            # tick boxes are full-width symbols
        ("①②③", 3),
        ("气温25℃", 4),                  # 气, 温, 25, ℃
    ],
)
def test_count_chars_table(text: str, expected: int) -> None:
    assert count_chars(text) == expected


def test_blank_and_wide_are_disjoint_for_ideographic_space() -> None:
    assert is_blank("\u3000") and not is_wide("\u3000")


cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1)
latin_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.%-", min_size=1)
blanks = st.text(alphabet=" \t\n\u3000", min_size=1)
anything = st.text()


@given(cjk)
def test_each_hanzi_counts_one(text: str) -> None:
    assert count_chars(text) == len(text)


@given(latin_word)
def test_a_latin_run_counts_one(word: str) -> None:
    assert count_chars(word) == 1


@given(anything, blanks, anything)
def test_blank_separated_parts_add_up(left: str, gap: str, right: str) -> None:
    assert count_chars(left + gap + right) == count_chars(left) + count_chars(right)


@given(anything)
def test_never_more_than_the_non_blank_characters(text: str) -> None:
    assert count_chars(text) <= sum(1 for c in text if not is_blank(c))


@given(anything)
def test_blanks_between_wide_characters_change_nothing(text: str) -> None:
    spaced = "".join(c + " " if is_wide(c) else c for c in text)
    assert count_chars(spaced) == count_chars(text)


@given(anything, cjk, anything)
def test_a_hanzi_between_two_texts_counts_exactly_its_own(left: str, middle: str, right: str) -> None:
    assert count_chars(left + middle + right) == count_chars(left) + len(middle) + count_chars(right)
