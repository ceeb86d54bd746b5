"""Valid files whose rows all share one value: the duplicate search stays bounded and still says something clear.

Each of these once cost `check` gigabytes or hours (5 000 rows on one office phone are 12.5 million pairs):
a group too big to compare pair by pair gives each of its rows one warning naming how many share the
value; a row names at most a few earlier rows it may repeat, and one more finding counts the rest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from benchmarks.data import write_hostile_xlsx
from forms.base.findings import Finding
from forms.checks import duplicates
from forms.tasks.check import check_files
from tests.hostile.files import MEMORY_LIMIT, ROOT, frame, limit_memory


def _by_row(findings: list[Finding]) -> Counter[int | None]:
    return Counter(f.row for f in findings)


def test_five_thousand_rows_on_one_office_phone_get_one_warning_each(tmp_path: Path) -> None:
    path = frame(tmp_path / "附件3.xlsx", rows=5000)  # distinct names (many one character apart), one phone
    found = check_files([str(path)]).findings
    shared = [f for f in found if f.code == "possible-duplicate"]
    assert len(shared) == 5000 and set(_by_row(shared).values()) == {1}
    assert {f.column for f in shared} == {"办公电话"}
    assert {f.message for f in shared} == {
        "办公电话0771-2811111有5000行共用，人数太多，没有逐一比对其中姓名相同或只差一个字的人：请核对这是否是本人的"
        "办公电话、名单中有没有重复的人；确实无误时可填写说明后忽略。"}
    assert [f for f in found if f.severity == "error"] == []  # the file is valid: the phone is a warning only


def test_a_namesake_on_a_crowded_phone_is_still_named(tmp_path: Path) -> None:
    """The crowded phone is not compared pair by pair, but two rows of one name are compared by their name."""
    path = frame(tmp_path / "附件3.xlsx", rows=300)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    ws.cell(row=302, column=2).value = ws.cell(row=3, column=2).value  # the last row repeats the first one's name
    ws.cell(row=302, column=4).value = "南宁市民族大道2号"  # in another unit (the same unit is an exact duplicate)
    wb.save(path)
    found = [f for f in check_files([str(path)]).findings if f.row == 302]
    assert [f.message.split("，")[0] for f in found] == [
        f"与{path}第3行姓名相同、办公电话相同（0771-2811111）", "办公电话0771-2811111有300行共用"]


def test_one_name_in_every_row_gets_one_warning_each(tmp_path: Path) -> None:
    path = write_hostile_xlsx(tmp_path / "附件3.xlsx", 5000, "same-name")
    found = check_files([str(path)]).findings
    assert len(found) == 5000 and set(_by_row(found).values()) == {1}
    assert {(f.code, f.column) for f in found} == {("possible-duplicate", "姓名")}
    assert {f.message for f in found} == {"姓名“张伟”在同一县（市、区）有5000行，人数太多，没有逐一比对他们的单位和电话："
                                          "请核对有没有把同一人填了多次；确实不是同一人时可填写说明后忽略。"}


def test_a_row_names_a_few_earlier_rows_and_counts_the_rest(tmp_path: Path) -> None:
    """A group small enough to compare, all one name and phone: the last row names SHOWN rows, then counts."""
    size = 10
    assert size <= duplicates.COMPARED
    path = write_hostile_xlsx(tmp_path / "附件3.xlsx", size, "namesakes-at-limit")
    found = [f for f in check_files([str(path)]).findings if f.code == "possible-duplicate"]
    assert _by_row(found) == {row: min(row - 3, duplicates.SHOWN + 1) for row in range(4, 3 + size)}
    last = [f.message for f in found if f.row == 2 + size]
    assert last[:duplicates.SHOWN] == [f"与{path}第{row}行姓名相同、办公电话相同（0771-2000000），可能是同一人，请核对；"
                                       "确实不是同一人时可填写说明后忽略。" for row in range(3, 3 + duplicates.SHOWN)]
    assert last[duplicates.SHOWN] == (f"与{path}第{3 + duplicates.SHOWN}行等另外{size - 1 - duplicates.SHOWN}行姓名相同"
                                      "或只差一个字、办公电话相同或单位相近，可能是同一人，请核对；确实不是同一人时可填写说明后忽略。")


def test_long_units_on_one_phone_check_under_the_memory_bound(tmp_path: Path) -> None:
    """The case that took 3.9 GB: 520-character units, one office phone (20 000 rows keep the test short)."""
    path = write_hostile_xlsx(tmp_path / "附件3.xlsx", 20_000, "long-unit-same-phone")
    code = (f"import json, os, resource, sys\nsys.stdout = open(os.devnull, 'w')\nfrom main import main\n"
            f"exit_code = main(['check', {str(path)!r}, '--json'])\n"
            "print(json.dumps([exit_code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=limit_memory)
    assert result.returncode == 0, result.stderr[-2000:]
    exit_code, peak_kb = json.loads(result.stderr.strip().splitlines()[-1])
    assert exit_code == 0  # warnings only
    assert peak_kb * 1024 < MEMORY_LIMIT, f"check took {peak_kb // 1024} MB"
