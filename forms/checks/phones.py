"""Phone attribution through `phonenumbers`: mobile validity and city, area codes.

Look-ups are cached by number block (the first seven digits of a mobile, which is what the
geocoder's data is keyed by), so a 50 000-row frame costs one look-up per block, not per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import phonenumbers


@lru_cache(maxsize=1)
def _geocoder():  # type: ignore[no-untyped-def]
    """phonenumbers' geocoder, imported on first use: its data takes ~0.4 s to load, not wanted at start-up."""
    from phonenumbers import geocoder

    return geocoder

NANNING = "南宁"


def load_data() -> None:
    """Load the geocoder's Chinese mobile data and the mobile pattern now (not at the first look-up)."""
    _geocoder().description_for_number(phonenumbers.parse("+8613877110000"), "zh")
    _mobile_pattern()


class Source(StrEnum):
    BLOCK = "block"  # decided from the mobile's number block
    OVERRIDE = "override"  # the clerk said so for this row
    UNKNOWN = "unknown"  # the block is not in the geocoder's data


@dataclass(frozen=True, slots=True)
class NanningDecision:
    """Whether a mobile is a Nanning one, and so whether the exported number carries a leading 0."""

    is_nanning: bool
    source: Source
    place: str  # the geocoder's place for the block, e.g. 广西柳州市

    @property
    def prefix(self) -> str:
        return "" if self.is_nanning else "0"

    def describe(self) -> str:
        if self.source is Source.OVERRIDE:
            return "已人工指定为" + ("南宁号码（不加0）" if self.is_nanning else "非南宁号码（加0）")
        if self.source is Source.UNKNOWN:
            return "号段归属地未知，按非南宁号码处理（加0），如有误可人工指定"
        return f"号段归属地：{self.place}，" + ("南宁号码，不加0" if self.is_nanning else "非南宁号码，前面加0")


@lru_cache(maxsize=65536)
def block_place(block: str) -> str:
    """The geocoder's Chinese place for a seven-digit mobile block ('' when unknown)."""
    number = phonenumbers.parse("+86" + block + "0000")
    return str(_geocoder().description_for_number(number, "zh"))


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


def nanning_decision(mobile11: str, override: bool | None = None) -> NanningDecision:
    if len(mobile11) == 11 and mobile11.isdigit():
        return _block_decision(mobile11[:7], override)  # a decision is the block's: made once per block
    return _decision("", override)


@lru_cache(maxsize=65536)
def _block_decision(block: str, override: bool | None) -> NanningDecision:
    return _decision(block_place(block), override)


def _decision(place: str, override: bool | None) -> NanningDecision:
    if override is not None:
        return NanningDecision(override, Source.OVERRIDE, place)
    if not place:
        return NanningDecision(False, Source.UNKNOWN, place)
    return NanningDecision(NANNING in place, Source.BLOCK, place)


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


@lru_cache(maxsize=4096)
def area_code_place(code: str) -> str:
    """The place an area code belongs to, '' when it is no Chinese area code."""
    number = _sample_number(code)
    return (str(_geocoder().description_for_number(number, "zh")) or "中国") if number else ""
