"""The archive password: generated shape and strength, typed-password refusals, the fingerprint."""

from __future__ import annotations

import re

import pytest

from packaging import password as pw


def test_generated_password_has_groups_of_four_from_the_look_alike_free_alphabet() -> None:
    value = pw.generate()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", value)
    assert not set(value) & set("01OIl")
    assert value.isascii()
    assert pw.is_generated_form(value)


def test_generated_password_carries_at_least_80_bits() -> None:
    assert len(pw.ALPHABET) == 32 and len(set(pw.ALPHABET)) == 32
    assert pw.bits_of_generated() >= 80
    with pytest.raises(ValueError):
        pw.generate(groups=3)  # 60 bits


def test_generated_passwords_differ_and_use_the_whole_alphabet() -> None:
    values = [pw.generate() for _ in range(500)]
    assert len(set(values)) == len(values)
    assert set("".join(values).replace("-", "")) == set(pw.ALPHABET)


def test_generated_passwords_pass_the_typed_checks() -> None:
    # A clerk may type a generated password back in; it must never be refused by chance.
    for _ in range(2000):
        value = pw.generate()
        assert pw.check_typed(value) == [], value


def test_the_reading_hint_says_the_dashes_belong_to_the_password() -> None:
    hint = pw.reading_hint("K7PM-Q4XR-W9TF-H3JD-N6CB")
    assert "连字符也是密码的一部分" in hint and "24" in hint
    assert "K7PM" not in hint
    assert "区分大小写" in pw.reading_hint("my-own Password")


REFUSED = [
    # (typed password, a word the first reason must contain)
    ("", "请输入密码"),
    ("Ab3#xYz9", "太短"),
    ("Q7m#Zp2$Wk9!", None),  # accepted, see below
    ("南宁市公安局绩效报送密码", "中文"),
    ("Passwort＃2015xyz", "全角"),
    ("kd7Q mz2P wt9X", "空格"),
    ("kd7Q\tmz2P-wt9X", "控制字符"),
    ("123456789012", "全是数字"),
    ("20151113-4471", "全是数字"),
    ("aaaaaaaaaaaa", "重复"),
    ("xk-xk-xk-xk-xk", "重复"),
    ("abcdefghijkl", "连续"),
    ("98765-zyxwvu", "连续"),
    ("qwertyuiop12", "键盘"),
    ("1qaz2wsx3edc", "键盘"),
    ("P@ssw0rd2015", "单词"),
    ("Guangxi2015!!", "单词"),
    ("Nanning-Gongan-9", "单词"),
    ("gxgat-2015-1113", "年份或日期"),
    ("13877112345ab", "电话号码"),
    ("GXJYT2015gxjyt", "单位"),
    ("a-b-c-d-e-f-", "连续"),
]


@pytest.mark.parametrize(("typed", "expected"), [r for r in REFUSED if r[1] is not None])
def test_typed_password_is_refused_with_a_chinese_reason(typed: str, expected: str) -> None:
    reasons = pw.check_typed(typed)
    assert reasons, typed
    assert expected in reasons[0]
    assert all(re.search(r"[\u4e00-\u9fff]", r) for r in reasons)
    assert len(reasons) <= 4


ACCEPTED = [
    "Q7m#Zp2$Wk9!",
    "correcthorsebatterystaple",
    "kdhqpwmzrtvb",
    "Xy7#pQ2!2015zR",  # a year inside plenty of randomness is fine
    "tK4-vw9-Hq2-Lm8",
    "K7PM-Q4XR-W9TF-H3JD-N6CB",
]


@pytest.mark.parametrize("typed", ACCEPTED)
def test_typed_password_is_accepted(typed: str) -> None:
    assert pw.check_typed(typed) == []


def test_context_words_make_a_password_guessable() -> None:
    typed = "Q7mz-2015-NNGAJ"
    assert pw.check_typed(typed) == []
    reasons = pw.check_typed(typed, context=("nngaj", "2015"))
    assert reasons and "单位" in reasons[0]


def test_reasons_say_what_to_do() -> None:
    for typed, _ in REFUSED:
        for reason in pw.check_typed(typed):
            assert "请" in reason, reason


def test_fingerprint_is_salted_slow_and_verifiable() -> None:
    secret = "K7PM-Q4XR-W9TF-H3JD-N6CB"
    first, second = pw.fingerprint(secret), pw.fingerprint(secret)
    assert first != second  # a fresh salt each time
    scheme, rounds, salt, value = first.split("$")
    assert scheme == "pbkdf2-sha256" and int(rounds) >= 100_000 and len(salt) == 32
    assert re.fullmatch(r"[0-9a-f]{16}", value)
    assert pw.fingerprint(secret, salt) == first
    assert pw.fingerprint_matches(secret, first) and pw.fingerprint_matches(secret, second)
    assert not pw.fingerprint_matches(secret.replace("-", ""), first)
    assert secret not in first and secret.replace("-", "") not in first


@pytest.mark.parametrize(
    "stored", ["", "abc", "sha256$1$00$00", "pbkdf2-sha256$x$00$00", "pbkdf2-sha256$10$zz$00"]
)
def test_a_malformed_fingerprint_never_matches(stored: str) -> None:
    assert not pw.fingerprint_matches("anything-at-all", stored)


def test_short_fingerprint_groups_the_value() -> None:
    stored = pw.fingerprint("K7PM-Q4XR-W9TF-H3JD-N6CB", "00" * 16)
    assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", pw.short_fingerprint(stored))
