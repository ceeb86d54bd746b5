"""The office's intake of 100 archives × 500 rows, as a ratio to opening them with pyzipper and reading them
with calamine alone, measured in the same run.

    python benchmarks/bench_intake.py [ARCHIVES] [ROWS]

Target (issue 16): intake ≤ 1.5× the baseline. The baseline opens every archive with pyzipper and the right
password, reads every member into memory and every sheet with python-calamine (to_python): the least any
intake must do. The intake is what `python main.py intake` does before writing: the password table looked up,
each archive opened within the size limits, every sheet read, recognised, normalised and checked with every
rule, statuses given, the frames merged and cross-department duplicates found. Writing OUT (the merged
tables, the status table) is timed apart and printed beside it, as a figure of its own.

Each archive is what the bundle code makes: frames exported from the template (forms.sheets.excel_out) and packed
by packaging.archive.build_archive (AES-256, a generated password): a 附件2 of a tenth of the rows and a
附件3 of the rest. Best-of-N ratios decide (the fastest run over the fastest baseline run: noise only ever
slows a run down); the median of the ratios paired attempt by attempt is shown too, and the ratio of the
CPU times, the work done in all (the intake reads a few archives at once, packaging.intake.receive.receive_each,
so its clock time is less than its CPU time; the baseline, as issue 16 defines it, reads one after another).
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import python_calamine  # noqa: E402
import pyzipper  # noqa: E402

from benchmarks.data import rows as sample_rows  # noqa: E402
from forms.checks import geo, phones, similarity, warmup  # noqa: E402
from forms.notice import campaign  # noqa: E402
from forms.notice.attachments import FRAME_FORMS  # noqa: E402
from forms.sheets import excel_out  # noqa: E402
from forms.tasks import deliver  # noqa: E402
from packaging import archive, password  # noqa: E402
from packaging.intake.outputs import write_outputs  # noqa: E402
from packaging.intake.passwords import read_passwords  # noqa: E402
from packaging.intake.receive import receive_all  # noqa: E402


def make_archives(folder: Path, count: int, rows: int) -> tuple[Path, dict[str, str]]:
    """`count` archives of `rows` rows each, and the password table (.csv) the office would type."""
    received, plain = folder / "收件", folder / "plain"
    received.mkdir()
    plain.mkdir()
    data = sample_rows(count * rows)
    keys = FRAME_FORMS["2"].keys[1:]
    secrets: dict[str, str] = {}
    year = campaign.load()
    for n in range(count):
        department = f"自治区第{n + 1:03d}测试厅"
        mine = [deliver.export_values(dict(zip(keys, map(str, row[1:]), strict=True)))  # the 0 of a non-Nanning
                for row in data[n * rows : (n + 1) * rows]]  # mobile, as the department's program writes it
        system, hot = mine[: rows // 10], mine[rows // 10 :]
        members = [excel_out.export_frame(plain, year, "2", department, system),
                   excel_out.export_frame(plain, year, "3", department, hot, item="公路建设")]
        secret = password.generate()
        name = f"{department}_2015年度社会评价抽样框_20151112.zip"
        archive.build_archive(received, name, members, secret)
        secrets[name] = secret
        for member in members:
            member.unlink()
    table = folder / "密码表.csv"
    with table.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([("压缩包", "密码"), *secrets.items()])
    return table, secrets


def baseline(folder: Path, secrets: dict[str, str]) -> int:
    cells = 0
    for name, secret in secrets.items():
        with pyzipper.AESZipFile(folder / name) as zf:
            zf.setpassword(secret.encode("ascii"))
            for info in zf.infolist():
                book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(zf.read(info)))
                for sheet in book.sheet_names:
                    cells += sum(map(len, book.get_sheet_by_name(sheet).to_python()))
    return cells


def forget_memos() -> None:
    """Empty the per-value caches, so an attempt does not reuse an earlier one's work."""
    for memo in (phones._table_decision, phones._doubtful_kind, phones.export_prefix, similarity._bigrams):
        memo.cache_clear()
    geo.forget_places()


def cores_available(repeats: int = 5) -> float:
    """How many cores' worth of work two threads got done at once, the median of `repeats` tries (2.0 on an idle
    two-core machine; less where another process or the host of a virtual machine takes one): the intake reads
    archives in threads, the baseline in one, so its ratio can only be read beside this figure."""
    def work() -> None:
        hashlib.pbkdf2_hmac("sha256", b"x", b"y", 200_000)  # outside the interpreter's lock throughout
    found = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        one = time.perf_counter() - start
        pair = [threading.Thread(target=work) for _ in range(2)]
        start = time.perf_counter()
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
        found.append(2 * one / (time.perf_counter() - start))
    return min(statistics.median(found), 2.0)


def main(count: int, rows: int, attempts: int = 5) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    table, secrets = make_archives(tmp, count, rows)
    folder = tmp / "收件"
    warmup.load_reference_data()
    cores_before = cores_available()
    baseline(folder, secrets)  # warm the file cache
    bases, intakes, writes = [], [], []
    cpu: tuple[list[float], list[float]] = ([], [])  # the process's CPU time: steadier than the clock under load
    for attempt in range(attempts):
        gc.collect()
        start, busy = time.perf_counter(), time.process_time()
        baseline(folder, secrets)
        bases.append(time.perf_counter() - start)
        cpu[0].append(time.process_time() - busy)
        forget_memos()
        gc.collect()
        start, busy = time.perf_counter(), time.process_time()
        reports, batch = receive_all(folder, read_passwords(table))
        batch.cross("")  # the merge and the cross-department duplicates
        intakes.append(time.perf_counter() - start)
        cpu[1].append(time.process_time() - busy)
        start = time.perf_counter()
        write_outputs(tmp / f"out{attempt}", batch)
        writes.append(time.perf_counter() - start)
    assert len(reports) == count and all(r.status in ("ok", "errors") for r in reports)
    assert sum(len(v) for v in batch.merged().values()) == count * rows
    ratios = sorted(i / b for i, b in zip(intakes, bases, strict=True))
    best = min(intakes) / min(bases)
    print(f"{count} archives × {rows} rows; {attempts} attempts; cores available to two threads: "
          f"{cores_before:.2f} of {os.cpu_count()} (before) and {cores_available():.2f} (after the attempts)")
    print(f"baseline (pyzipper + calamine)   best {min(bases) * 1000:6.0f} ms")
    print(f"intake (open, read, check, merge) best {min(intakes) * 1000:6.0f} ms  ratio {best:4.2f} "
          f"(target ≤ 1.5) {'ok' if best <= 1.5 else 'OVER'}  paired: median {statistics.median(ratios):4.2f} "
          f"[{ratios[0]:.2f}–{ratios[-1]:.2f}]")
    print(f"CPU time, best: baseline {min(cpu[0]) * 1000:.0f} ms, intake {min(cpu[1]) * 1000:.0f} ms, "
          f"ratio {min(cpu[1]) / min(cpu[0]):4.2f} (all threads: the work done in all, not the wait)")
    print(f"writing OUT (汇总_附件N, 收件情况)  best {min(writes) * 1000:6.0f} ms  "
          f"ratio to the baseline {min(writes) / min(bases):4.2f} (not part of the target)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100, int(sys.argv[2]) if len(sys.argv) > 2 else 500)
