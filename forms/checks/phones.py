"""Phone attribution: mobile validity (phonenumbers), a mobile's city (the frozen 号段 table), area codes.

Whether a mobile is a Nanning one follows from its 7-digit block (号段) in forms.checks.mobile_blocks, a table built
from PyPI `phone`'s phone.dat: phonenumbers' geocoder does not know about a third of Nanning's blocks and gives
others to the wrong city (issue 17). A block the table lacks is "unknown", never silently "not Nanning":
the rules make that a warning for the clerk to confirm. phonenumbers stays for parsing and validity.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import compress, starmap
from operator import itemgetter

import phonenumbers

from forms.checks.mobile_blocks import BlockPlace, block_of, table

NANNING = ("广西", "南宁")  # (province, city) as the table names them


def load_data() -> None:
    """Load the 号段 table and the mobile pattern now (not at the first look-up)."""
    table()
    _mobile_pattern()


class Source(StrEnum):
    BLOCK = "block"  # decided from the mobile's number block in the table
    OVERRIDE = "override"  # the clerk said so for this row
    BLOCK_OVERRIDE = "block-override"  # the clerk said so for every mobile of this block
    UNKNOWN = "unknown"  # the block is not in the table


@dataclass(frozen=True, slots=True)
class NanningDecision:
    """Whether a mobile is a Nanning one, and so whether the exported number carries a leading 0."""

    is_nanning: bool
    source: Source
    place: str  # the table's place for the block, e.g. 广西柳州 ('' when unknown)
    block: str = ""

    @property
    def prefix(self) -> str:
        return "" if self.is_nanning else "0"

    def describe(self) -> str:
        """The decision in words, for the grid's tooltip."""
        verdict = "南宁号码（不加0）" if self.is_nanning else "非南宁号码（加0）"
        known = f"号段表归属地：{self.place}" if self.place else f"号段{self.block}不在号段表中"
        if self.source is Source.OVERRIDE:
            return f"已人工指定本行为{verdict}；{known}"
        if self.source is Source.BLOCK_OVERRIDE:
            return f"已人工指定号段{self.block}的所有号码为{verdict}；{known}"
        if self.source is Source.UNKNOWN:
            return f"号段{self.block}不在号段表（{table().version}版）中，归属地未知：导出时暂按非南宁号码加0，请确认"
        return f"{known}（号段表{table().version}版），" + ("南宁号码，不加0" if self.is_nanning else "非南宁号码，前面加0")


def is_nanning_place(place: BlockPlace) -> bool:
    return (place.province, place.city) == NANNING


def unknown_blocks(mobiles: Collection[str]) -> set[str]:
    """The mobiles (11 digits, or 12 with their 0) whose block the table does not know: one slice per mobile,
    one look-up per distinct block, so a column of 50 000 costs a few milliseconds. What is no mobile at all
    ('', text) is left out: its slice is no 7-digit block, and the format check has it already."""
    place = table().place
    blocks = {m[-11:-4] for m in mobiles}
    unknown = {b for b in blocks if len(b) == 7 and b.isdigit() and place(b) is None}
    return {m for m in mobiles if m[-11:-4] in unknown} if unknown else set()


def doubtful_mobiles(mobiles: Collection[str], check_prefix: bool) -> set[str]:
    """unknown_blocks(mobiles), and with `check_prefix` (a file as given) also the mobiles whose typed 0 the
    table contradicts: a Nanning block's written with a 0, another known block's without one. One table
    look-up per distinct block, so a column of 500 costs well under a millisecond."""
    if not check_prefix:
        return unknown_blocks(mobiles)
    kinds = list(set(zip(map(len, mobiles), map(_BLOCK, mobiles), strict=True)))  # a few hundred in a frame
    doubtful = set(compress(kinds, starmap(_doubtful_kind, kinds)))  # (in C: the memo answers most)
    return {m for m in mobiles if (len(m), m[-11:-4]) in doubtful} if doubtful else set()


_BLOCK = itemgetter(slice(-11, -4))  # a mobile's 7-digit block, the 0 before it or not


@lru_cache(maxsize=1 << 14)  # the blocks of 100 departments' frames repeat: a few thousand kinds in all
def _doubtful_kind(length: int, block: str) -> bool:
    """Whether a file's mobile of `length` characters in `block` may fail the mobile rule: its block is not in
    the table, or its typed 0 (12 characters) says the opposite of the table's Nanning decision."""
    decision = _table_decision(block)  # (shared by the batch: a few thousand blocks in 100 departments' frames)
    if decision.source is Source.UNKNOWN:
        return len(block) == 7 and block.isdigit()  # (what is no block at all fails the format check)
    return length in (11, 12) and (length == 12) == decision.is_nanning


@lru_cache(maxsize=1)
def mobile_pattern() -> str:
    """phonenumbers' own pattern of allocated Chinese mobile numbers (its metadata, not ours)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert metadata is not None and metadata.mobile is not None
    return str(metadata.mobile.national_number_pattern)


@lru_cache(maxsize=1)
def _mobile_pattern() -> re.Pattern[str]:
    return re.compile(mobile_pattern())


def without_zero(mobile: str) -> str:
    """A mobile as its 11 digits: the 0 a non-Nanning number is written with (12 digits in all) taken off."""
    return mobile[1:] if len(mobile) == 12 and mobile[0] == "0" else mobile


def duplicate_keys(mobiles: Iterable[str]) -> list[str]:
    """Each mobile as the 11 digits two rows of one person share ("" for one that is not 11 digits),
    in one pass: `without_zero` then a digits check, for a column of 50 000."""
    return [m if len(m) == 11 and m.isdigit() else m[1:] if len(m) == 12 and m[0] == "0" and m[1:].isdigit() else ""
            for m in mobiles]


def is_valid_mobile(mobile11: str) -> bool:
    """An 11-digit Chinese mobile whose block is allocated, per phonenumbers' metadata.

    Matches the metadata's mobile pattern directly: the same answer as parse + is_valid_number
    (tests/forms/test_phones.py compares them) at 1 µs instead of 50 µs a new number."""
    return len(mobile11) == 11 and mobile11.isdigit() and _mobile_pattern().fullmatch(mobile11) is not None


def nanning_decision(mobile: str, override: bool | None = None, block_override: bool | None = None) -> NanningDecision:
    """The decision for a mobile (11 digits, or 12 with its 0): the row's override, else the block's, else the table."""
    by_table = _table_decision(block_of(mobile))
    if override is not None:
        return NanningDecision(override, Source.OVERRIDE, by_table.place, by_table.block)
    if block_override is not None:
        return NanningDecision(block_override, Source.BLOCK_OVERRIDE, by_table.place, by_table.block)
    return by_table


@lru_cache(maxsize=65536)
def _table_decision(block: str) -> NanningDecision:
    """The table's decision for a block, one shared (frozen) object per block: a check of 50 000 distinct
    mobiles asks for a few thousand blocks."""
    place = table().place(block)
    if place is None:
        return NanningDecision(False, Source.UNKNOWN, "", block)
    return NanningDecision(is_nanning_place(place), Source.BLOCK, place.name, block)


def block_place(block: str) -> str:
    """The 号段 table's place for a seven-digit block, e.g. 广西柳州 ('' when the table does not know it)."""
    return _table_decision(block).place


class Overrides(dict[tuple[int, int], bool]):
    """The clerk's say over the table: this dict is per row (row key → Nanning or not), `blocks` per
    7-digit block (every row of the workspace whose mobile is of that block). A row's own override wins."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: dict[str, bool] = {}

    def of(self, key: tuple[int, int], mobile: str) -> bool | None:
        """The override in force for a row with this mobile (None: the table decides)."""
        found = self.get(key)
        return found if found is not None or not self.blocks else self.blocks.get(block_of(mobile))

    def column(self, keys: Sequence[tuple[int, int]], mobiles: Sequence[str]) -> list[bool | None]:
        """`of` for many rows (an import): nothing but a list of Nones while the clerk has overridden nothing."""
        if not self and not self.blocks:
            return [None] * len(keys)
        return list(map(self.of, keys, mobiles))

    def decision(self, key: tuple[int, int], mobile: str) -> NanningDecision:
        return nanning_decision(mobile, self.get(key), self.blocks.get(block_of(mobile)))


@lru_cache(maxsize=65536)
def export_prefix(block: str, override: bool | None = None) -> str:
    """The 0 an exported mobile of this seven-digit block carries ('' for a Nanning one), per nanning_decision."""
    return nanning_decision(block + "0000", override).prefix


@lru_cache(maxsize=4096)
def _sample_number(code: str) -> phonenumbers.PhoneNumber | None:
    """A valid landline under an area code (with its 0), None when it is no Chinese area code."""
    if not (code.isdigit() and code.startswith("0") and 3 <= len(code) <= 4) or code.startswith("01") and code != "010":
        return None
    for local in ("28111111", "2811111"):
        number = phonenumbers.parse(code + local, "CN")
        if phonenumbers.is_valid_number(number):
            return number
    return None


def is_area_code(code: str) -> bool:
    """Whether `code` is a Chinese area code (no geocoder data needed to say so)."""
    return _sample_number(code) is not None
