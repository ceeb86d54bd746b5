"""Peak memory of `check` and `import` (issue 13), each a ratio to a baseline measured in the same run.

    python benchmarks/bench_memory.py [--sizes 50000,200000,1048575] [--bare] [--hostile 50000] [--cases a,b]

Each figure is the peak resident memory (ru_maxrss) of a child process that runs the command as main.py
does, on a 附件2 sheet of N data rows (benchmarks.data). The baseline is a child that imports the same
modules and reads nothing: what the program weighs before any file (`--bare` adds python-calamine's own
bare read of each file, the cost the old reader paid in full).

The hostile-but-valid frames (benchmarks.data.HOSTILE_CASES, 附件3 rows that pass every row rule) are checked
as files, then imported into a workspace and checked there: one office phone or one name in every row,
one 520-character unit in every row, distinct 520-character units on one phone, the most pairs the duplicate
search keeps (each 50 rows one name and one phone), 800 characters of distinct text in three columns, and one
32 767-character text (a shared string) in three columns of every row. The last two are refused from the
shared-string table's sizes (forms.sheets.shared_strings: 360 MB and 14 GB of text) before calamine reads them. Each child is capped at
CHILD_CAP of address space, so a case that would take the machine's memory fails at the cap instead.

Target (issue 13): `check` stays under 1.5 GB on any input. The readers refuse a sheet beyond
forms.sheets.sheet_guard.MAX_ROWS (200 000 rows: ten times the largest real frame) before calamine lays it out,
so the 1 048 576-row sheet (1 048 575 rows under its header: Excel's last row) costs a streaming scan,
not a grid; the largest accepted sheet is measured too.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.data import HOSTILE_CASES, write_hostile_xlsx, write_xlsx  # noqa: E402
from forms.sheets.sheet_guard import MAX_ROWS  # noqa: E402

LIMIT_MB = 1536
CHILD_CAP = 6 << 30  # address space of one child: far over the target, far under what the machine has
_FLOOR = "import cli.commands, forms.tasks.check, forms.store.workspace, python_calamine"


def child(code: str) -> tuple[float, float, str]:
    """(seconds, peak MB, the child's last stderr line) of `python -c code`; the peak is the kernel's account
    of the child (wait4), so a child stopped at the cap is measured too."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True,
                                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, preexec_fn=_cap)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        err.seek(0)
        lines = [line for line in err.read().splitlines() if line.strip()]
    said = lines[-1] if lines else ""
    if proc.returncode:
        said = f"stopped (exit {proc.returncode}: at the {CHILD_CAP >> 30} GB cap?) {said}"
    return seconds, usage.ru_maxrss / 1024, said[:90]


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_CAP, CHILD_CAP))


def run_main(*args: str) -> str:
    """Code that runs main.py's CLI with `args`, its stdout thrown away, leaving the exit code on stderr."""
    return (f"import os, sys; sys.stdout = open(os.devnull, 'w')\nfrom main import main\n"
            f"code = main({list(args)!r}); print('exit', code, file=sys.stderr)")


def measure(folder: Path, rows: int, bare: bool) -> list[tuple[str, float, float, str]]:
    path = write_xlsx(folder / f"附件2_{rows}.xlsx", rows)
    workspace = folder / f"ws_{rows}.baosong"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "new", str(workspace), "--department", "自治区交通运输厅",
                    "--kind", "gov", "--category", "经济管理类"], check=True, capture_output=True)
    runs = [("check", run_main("check", str(path), "--json")),
            ("import", run_main("import", str(workspace), str(path), "--form", "2"))]
    if bare:
        runs.insert(0, ("bare calamine read", "import python_calamine as c\nrows = c.CalamineWorkbook.from_path("
                        f"{str(path)!r}).get_sheet_by_index(0).to_python()"))
    return [(what, *child(code)) for what, code in runs]


def measure_hostile(folder: Path, rows: int, case: str) -> list[tuple[str, float, float, str]]:
    """`check` of the case's file, then its import into a fresh workspace and `check` of the workspace."""
    path = write_hostile_xlsx(folder / f"附件3_{case}_{rows}.xlsx", rows, case)
    workspace = folder / f"ws_{case}_{rows}.baosong"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "new", str(workspace), "--department", "自治区交通运输厅",
                    "--kind", "gov", "--category", "经济管理类"], check=True, capture_output=True)
    runs = [("check file", run_main("check", str(path), "--json")),
            ("import", run_main("import", str(workspace), str(path), "--form", "3", "--item", "某某工作")),
            ("check workspace", run_main("check", str(workspace), "--json"))]
    found = [(what, *child(code)) for what, code in runs]
    path.unlink()
    workspace.unlink(missing_ok=True)
    return found


def line(label: str, what: str, seconds: float, peak: float, floor: float, said: str) -> str:
    verdict = "" if not what.startswith("check") else " OK" if peak < LIMIT_MB else " OVER"
    return f"{label:>30}  {what:<16} {peak:7.0f} MB  ×{peak / floor:5.1f} baseline  {seconds:6.1f} s{verdict:<5}  {said}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=f"50000,{MAX_ROWS - 1},1048575")
    parser.add_argument("--bare", action="store_true", help="also python-calamine's bare read (3 GB at 1M rows)")
    parser.add_argument("--hostile", default="50000", help="rows of each hostile-but-valid case ('' for none)")
    parser.add_argument("--cases", default=",".join(HOSTILE_CASES))
    args = parser.parse_args()
    _seconds, floor, _said = child(_FLOOR)
    print(f"baseline (the program's modules, no file): {floor:.0f} MB; target: check under {LIMIT_MB} MB; "
          f"each child capped at {CHILD_CAP >> 30} GB")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in map(int, filter(None, args.sizes.split(","))):
            for what, seconds, peak, said in measure(Path(tmp), rows, args.bare):
                print(line(f"{rows} rows 附件2", what, seconds, peak, floor, said))
        for rows in map(int, filter(None, args.hostile.split(","))):
            for case in args.cases.split(","):
                for what, seconds, peak, said in measure_hostile(Path(tmp), rows, case):
                    print(line(f"{rows} rows {case}", what, seconds, peak, floor, said), flush=True)


if __name__ == "__main__":
    main()
