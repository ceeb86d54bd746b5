"""A 100 KB CSV can make `check` take minutes and gigabytes: 2 000 rows sharing one office phone whose names
differ by one character (张一, 张丁, …: a typed-in department roster, or a hostile file) give every row a
possible-duplicate finding for every earlier row, n²/2 findings (measured: 2 000 rows → 147 s, 1.5 GB,
690 MB of --json). The findings must grow with the rows, not with their square."""

from __future__ import annotations

from pathlib import Path

from forms.tasks.check import CheckOptions, check_files
from tests.hostile.files import HEADER

ROWS = 300


def test_near_duplicates_of_one_phone_grow_linearly(tmp_path: Path) -> None:
    path = tmp_path / "附件3.csv"
    lines = [",".join(HEADER)] + [f"{n + 1},张{chr(0x4E00 + n)},男,南宁市民族大道1号,科长,0771,2811111,,"
                                  for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = check_files([str(path)], CheckOptions(form="3", category="监督与执法类")).findings
    near = [f for f in found if f.code == "possible-duplicate"]
    assert near, "the near duplicates must still be named"
    assert len(near) <= 3 * ROWS, len(near)
