"""Regenerate forms/checks/data/mobile_blocks.json from the `phone` package's 号段 table. Run by hand; never imported
at run time (the program does not depend on `phone`).

    pip download --no-deps -d /tmp/phone phone==0.4.5
    python forms/checks/data/build_mobile_blocks.py /tmp/phone/phone-0.4.5.tar.gz

The argument may be the sdist (.tar.gz), a wheel (.whl) or phone.dat itself; without one, the phone.dat of an
installed `phone` is read. Next year's table is a data update: a newer `phone`, this script, the new JSON.

phone.dat (format in the package's README): a 4-byte version ("2312"), the offset of the index, then records
"province|city|postcode|area code\\0", then the index, 9 bytes per 7-digit block: <block int32><record offset
int32><carrier uint8>, sorted by block. We keep, for every block from 1300000 to 1999999, which record it points
at (the carrier is not needed): a 700 000-entry uint16 array, zlib-compressed (≈190 KB), base64 in the JSON.
The script stops with an AssertionError when the data breaks what the program relies on.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import sys
import tarfile
import zipfile
import zlib
from array import array
from pathlib import Path

OUT = Path(__file__).with_name("mobile_blocks.json")
FIRST_BLOCK, BLOCK_COUNT = 1_300_000, 700_000  # 130xxxx … 199xxxx: every Chinese mobile block
PACKAGE = "PyPI phone 0.4.5 (https://github.com/ls0f/phone, by ls0f/lovedboy), phone/phone.dat"
LICENCE = ("BSD per the package's setup.py (license=\"BSD\"); its README and trove classifier say MIT. Either "
           "permits redistributing this derived table with the attribution kept here.")
# What SPEC.md and issue 17 measured on phone.dat 2312; a different file must be looked at before it ships.
EXPECTED = {"version": "2312", "blocks": 499_527, "guangxi": 14_755, "nanning": 3_894}
SAMPLES = {"1737711": "南宁", "1997711": "南宁", "1667711": "南宁", "1907711": "南宁", "1997761": "百色",
           "1387711": "南宁", "1397801": "柳州"}


def read_dat(source: Path) -> bytes:
    """phone.dat's bytes from the sdist, a wheel, the file itself, or (no source) the installed package."""
    if source.suffix == ".dat":
        return source.read_bytes()
    if source.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(source) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/phone.dat"))
            handle = tar.extractfile(member)
            assert handle is not None
            return handle.read()
    with zipfile.ZipFile(source) as zf:
        return zf.read(next(n for n in zf.namelist() if n.endswith("phone.dat")))


def installed_dat() -> Path:
    import phone  # type: ignore[import-not-found]  # the build machine's copy, not a run-time dependency

    return Path(phone.__file__).with_name("phone.dat")


def parse(dat: bytes) -> tuple[str, list[tuple[int, str]]]:
    """(version, [(block, "province|city|postcode|area code")]) in the file's order."""
    version, index_at = struct.unpack_from("<4si", dat)
    blocks = []
    for at in range(index_at, len(dat) - 8, 9):
        block, record_at, _carrier = struct.unpack_from("<iiB", dat, at)
        blocks.append((block, dat[record_at:dat.index(b"\0", record_at)].decode("utf-8")))
    return version.decode("ascii"), blocks


def encode(blocks: list[tuple[int, str]]) -> tuple[list[list[str]], str]:
    """The distinct places (sorted) and the base64 of the compressed block → place-number array."""
    places = sorted({record for _block, record in blocks})
    number = {record: n + 1 for n, record in enumerate(places)}  # 0: not in the table
    table = array("H", bytes(2 * BLOCK_COUNT))
    for block, record in blocks:
        assert FIRST_BLOCK <= block < FIRST_BLOCK + BLOCK_COUNT, block
        table[block - FIRST_BLOCK] = number[record]
    if sys.byteorder == "big":
        table.byteswap()  # stored little-endian
    return [p.split("|") for p in places], base64.b64encode(zlib.compress(table.tobytes(), 9)).decode("ascii")


def check(version: str, blocks: list[tuple[int, str]]) -> None:
    guangxi = [record for _b, record in blocks if record.startswith("广西|")]
    found = {"version": version, "blocks": len(blocks), "guangxi": len(guangxi),
             "nanning": sum(record.startswith("广西|南宁|") for record in guangxi)}
    assert found == EXPECTED, f"phone.dat differs from what was measured: {found} (expected {EXPECTED})"
    assert [b for b, _r in blocks] == sorted({b for b, _r in blocks}), "blocks not sorted or repeated"
    by_block = dict(blocks)
    for block, city in SAMPLES.items():
        assert by_block[int(block)].split("|")[1] == city, (block, by_block[int(block)])
    assert all(len(record.split("|")) == 4 for _b, record in blocks)


def dump(data: dict[str, object]) -> str:
    """JSON with one place a line, so a data update shows as a readable diff (but for the blob)."""
    def text(key: str, value: object) -> str:
        if key == "places" and isinstance(value, list):
            return "[\n" + ",\n".join(f"  {json.dumps(p, ensure_ascii=False)}" for p in value) + "\n ]"
        return json.dumps(value, ensure_ascii=False)

    return "{\n" + ",\n".join(f" {json.dumps(k)}: {text(k, v)}" for k, v in data.items()) + "\n}\n"


def main(source: Path | None) -> None:
    dat = read_dat(source) if source else installed_dat().read_bytes()
    version, blocks = parse(dat)
    check(version, blocks)
    places, packed = encode(blocks)
    data = {
        "about": "Chinese mobile number blocks (号段) to their province and city, for 报送助手's 0-prefix rule; "
                 "generated by forms/checks/data/build_mobile_blocks.py; do not edit by hand.",
        "source": PACKAGE,
        "licence": LICENCE,
        "version": version,
        "vintage": f"phone.dat version {version} (20{version[:2]}-{version[2:]}), {len(blocks)} blocks",
        "sha256": hashlib.sha256(dat).hexdigest(),
        "first_block": FIRST_BLOCK,
        "block_count": BLOCK_COUNT,
        "place_fields": ["province", "city", "postcode", "area_code"],
        "places": places,
        "encoding": "blocks: base64 of zlib-compressed little-endian uint16, one per 7-digit block from "
                    "first_block; 0 = not in the table, n = places[n - 1]",
        "blocks": packed,
    }
    OUT.write_text(dump(data), encoding="utf-8")
    print(f"wrote {OUT}: {len(blocks)} blocks, {len(places)} places, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
