"""The frozen 号段 table (forms/checks/data/mobile_blocks.json) says what its source, PyPI phone's phone.dat, says.

The source is read through the `phone` package's own reader (Phone.find), not through the build script's
parser, so a mistake in either the build or the loader shows here. Needs `phone` (the test extras pin it).
"""

from __future__ import annotations

import hashlib
import json
import struct
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from forms.checks.mobile_blocks import BlockPlace, block_of, table

phone = pytest.importorskip("phone", reason="PyPI phone (the table's source) is not installed: pip install phone==0.4.5")


@lru_cache(maxsize=1)
def source() -> Any:
    return phone.Phone()


def source_place(block: int) -> BlockPlace | None:
    found = source().find(block)
    return BlockPlace(found["province"], found["city"], found["zip_code"], found["area_code"]) if found else None


@lru_cache(maxsize=1)
def source_blocks() -> list[int]:
    """Every block phone.dat's index holds, read by the package's own record layout."""
    p = source()
    return [struct.unpack_from("<i", p.buf, p.first_phone_record_offset + 9 * n)[0]
            for n in range(p.phone_record_count)]


def test_the_table_is_built_from_the_installed_phone_dat() -> None:
    meta = json.loads(resources.files("forms.checks").joinpath("data/mobile_blocks.json").read_text("utf-8"))
    dat = Path(phone.__file__).with_name("phone.dat").read_bytes()
    assert hashlib.sha256(dat).hexdigest() == meta["sha256"], "phone.dat changed: run forms/checks/data/build_mobile_blocks.py"
    assert source().version.decode() == table().version == "2312"
    assert "phone" in table().source and "BSD" in table().licence and "2312" in table().vintage


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.integers(1_000_000, 2_099_999), st.sampled_from(source_blocks())))
@example(1737711)
@example(1997761)
@example(1977711)  # valid to phonenumbers, not in phone.dat
def test_every_block_has_the_place_phone_dat_gives_it(block: int) -> None:
    assert table().place(str(block)) == source_place(block)


def test_the_table_knows_exactly_the_blocks_phone_dat_knows() -> None:
    known = {n + table().first for n, number in enumerate(table().numbers) if number}
    assert known == set(source_blocks())


def test_every_guangxi_block_matches_phone_dat() -> None:
    guangxi = [n + table().first for n, number in enumerate(table().numbers)
               if number and table().places[number].province == "广西"]  # type: ignore[union-attr]
    assert len(guangxi) == 14_755
    assert all(table().place(str(block)) == source_place(block) for block in guangxi)
    assert sum(table().place(str(b)).city == "南宁" for b in guangxi) == 3_894  # type: ignore[union-attr]


@given(st.text(max_size=12))
def test_anything_not_seven_ascii_digits_is_no_block(text: str) -> None:
    if not (len(text) == 7 and text.isascii() and text.isdigit()):
        assert table().place(text) is None


@pytest.mark.parametrize(("mobile", "block"), [
    ("13877112345", "1387711"), ("013877112345", "1387711"), ("1387711234", ""), ("0013877112345", ""),
    ("１3877112345", ""), ("", ""),
])
def test_block_of_a_mobile(mobile: str, block: str) -> None:
    assert block_of(mobile) == block
