"""The frozen 号段 table: the province and city each 7-digit Chinese mobile block is allocated to.

Read from forms/checks/data/mobile_blocks.json (built by forms/checks/data/build_mobile_blocks.py from PyPI `phone`'s
phone.dat, with its source, licence and vintage) on first use: one base64 decode, one zlib inflate and an
array of 700 000 place numbers, ≈10 ms. A look-up is then an index into that array, well under a microsecond.
"""

from __future__ import annotations

import base64
import json
import sys
import zlib
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class BlockPlace:
    """Where the table puts a block: province and city as phone.dat names them (广西, 南宁), postcode, area code."""

    province: str
    city: str
    postcode: str
    area_code: str

    @property
    def name(self) -> str:
        """广西南宁; a municipality once (北京, not 北京北京)."""
        return self.city if self.city == self.province else self.province + self.city


@dataclass(frozen=True, slots=True)
class BlockTable:
    """The table as loaded: `numbers[block - first]` is 0 (not in the table) or a 1-based index into `places`."""

    source: str
    licence: str
    version: str  # phone.dat's own version, e.g. "2312" (2023-12)
    vintage: str
    first: int
    numbers: array[int]
    places: tuple[BlockPlace | None, ...]  # places[0] is None: "not in the table"

    def place(self, block: str) -> BlockPlace | None:
        """The place of a 7-digit block ('1387711'); None when the table does not know it."""
        if len(block) != 7 or not (block.isascii() and block.isdigit()):
            return None
        at = int(block) - self.first
        return self.places[self.numbers[at]] if 0 <= at < len(self.numbers) else None


@lru_cache(maxsize=1)
def table() -> BlockTable:
    data = json.loads(resources.files("forms.checks").joinpath("data/mobile_blocks.json").read_text("utf-8"))
    numbers = array("H", zlib.decompress(base64.b64decode(data["blocks"])))
    if sys.byteorder == "big":
        numbers.byteswap()  # stored little-endian
    if len(numbers) != data["block_count"]:
        raise ValueError("mobile_blocks.json: the block array does not have block_count entries")
    places = (None, *(BlockPlace(*fields) for fields in data["places"]))
    return BlockTable(data["source"], data["licence"], data["version"], data["vintage"], data["first_block"],
                      numbers, places)


def block_of(mobile: str) -> str:
    """The 7-digit block of a mobile written with or without its leading 0 ('' when it is neither)."""
    digits = mobile[1:] if len(mobile) == 12 and mobile[0] == "0" else mobile
    return digits[:7] if len(digits) == 11 and digits.isascii() and digits.isdigit() else ""
