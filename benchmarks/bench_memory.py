"""Peak memory of `check` and `import` (issue 13), each a ratio to a baseline measured in the same run.

    python benchmarks/bench_memory.py [--sizes 50000,200000,1048575] [--bare]

Each figure is the peak resident memory (ru_maxrss) of a child process that runs the command as main.py
does, on a 附件2 sheet of N data rows (benchmarks.data). The baseline is a child that imports the same
modules and reads nothing: what the program weighs before any file (`--bare` adds python-calamine's own
bare read of each file, the cost the old reader paid in full).

Target (issue 13): `check` stays under 1.5 GB on any input. The readers refuse a sheet beyond
forms.sheets.sheet_guard.MAX_ROWS (200 000 rows: ten times the largest real frame) before calamine lays it out,
so the 1 048 576-row sheet (1 048 575 rows under its header: Excel's last row) costs a streaming scan,
not a grid; the largest accepted sheet is measured too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.data import write_xlsx  # noqa: E402
from forms.sheets.sheet_guard import MAX_ROWS  # noqa: E402

LIMIT_MB = 1536
_PEAK = "import json, resource, sys; print(json.dumps({'peak_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), file=sys.stderr)"
_FLOOR = "import cli.commands, forms.tasks.check, forms.store.workspace, python_calamine"


def child(code: str) -> tuple[float, float, str]:
    """(seconds, peak MB, the child's last stderr line but the peak) of `python -c code`."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", f"{code}\n{_PEAK}"], cwd=ROOT, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    seconds = time.perf_counter() - start
    lines = result.stderr.strip().splitlines()
    peak = json.loads(lines[-1])["peak_kb"] / 1024 if lines and lines[-1].startswith("{") else float("nan")
    said = next((line for line in reversed(lines[:-1]) if line.strip()), "") if len(lines) > 1 else ""
    return seconds, peak, said[:90]


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=f"50000,{MAX_ROWS - 1},1048575")
    parser.add_argument("--bare", action="store_true", help="also python-calamine's bare read (3 GB at 1M rows)")
    args = parser.parse_args()
    _seconds, floor, _said = child(_FLOOR)
    print(f"baseline (the program's modules, no file): {floor:.0f} MB; target: check under {LIMIT_MB} MB")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in map(int, args.sizes.split(",")):
            for what, seconds, peak, said in measure(Path(tmp), rows, args.bare):
                verdict = "" if what != "check" else " OK" if peak < LIMIT_MB else " OVER"
                print(f"{rows:>9} rows  {what:<20} {peak:7.0f} MB  ×{peak / floor:5.1f} baseline  {seconds:6.1f} s"
                      f"{verdict}  {said}")


if __name__ == "__main__":
    main()
