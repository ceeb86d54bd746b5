"""Build the frozen program with PyInstaller, then smoke-test what was built. Exit 1 on any failure.

    python installer/build.py [--skip-build] [--clean] [--dist DIR] [--work DIR]

Output: dist/baosong/ (baosong + baosong-cli + _internal/), the folder installer/baosong.iss packs.
Same script on Linux (proves the spec) and on Windows (builds what the clerks install).

Why PyInstaller runs as `python -P -m PyInstaller` from the build folder: our top-level `packaging/`
package has the name of PyPI's `packaging`, which PyInstaller and its hooks import. With the
repository root first on sys.path (the cwd of `python -m`, or PYTHONPATH) they would get ours and
fail. `-P` keeps the cwd off sys.path, PYTHONPATH is dropped, and the spec hands the root to
PyInstaller as `pathex`, which its import graph searches before site-packages: the frozen program
gets our `packaging`, PyInstaller keeps PyPI's. The checks after the build confirm both.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "baosong.spec"

OURS = ("packaging", "packaging.handover", "packaging.credentials", "packaging.archive", "packaging.bundle")
PYPI_PACKAGING = ("packaging.version", "packaging.specifiers", "packaging.requirements", "packaging.markers",
                  "packaging.tags", "packaging.utils", "packaging.metadata")
MUST_FREEZE = ("keyring.backends.Windows", "keyring.backends.SecretService", "python_calamine", "pyzipper",
               "Cryptodome.Cipher.AES", "reportlab.pdfbase.cidfonts",
               "reportlab.pdfbase._cidfontdata", "docx", "openpyxl", "gui.app",
               "cli.commands", "cli.bundle", "cli.intake", "packaging.intake.receive", "phonenumbers.geocoder")


def run_pyinstaller(dist: Path, work: Path, clean: bool) -> float:
    """PyInstaller in a child process that cannot see the repository root on sys.path."""
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [sys.executable, "-P", "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), *(["--clean"] if clean else []), str(SPEC)]
    print("$", " ".join(command), flush=True)
    started = time.perf_counter()
    log = work / "pyinstaller.log"
    with log.open("wb") as out:
        done = subprocess.run(command, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(log.read_text("utf-8", errors="replace")[-6000:])
        raise SystemExit(f"PyInstaller failed (exit {done.returncode}); full log: {log}")
    return seconds


def frozen_modules(work: Path) -> dict[str, Path]:
    """Module name → source file, for the frozen program's PYZ archive (PyInstaller's table of contents)."""
    _archive, entries = ast.literal_eval((work / SPEC.stem / "PYZ-00.toc").read_text("utf-8"))
    return {name: Path(source) for name, source, _kind in entries}


def _inside(path: Path, folder: Path) -> bool:
    return os.path.normcase(path.resolve()).startswith(os.path.normcase(folder / "packaging") + os.sep)


def packaging_report(work: Path) -> tuple[list[str], list[str]]:
    """(problems, notes) about the two `packaging`s: ours frozen in, PyPI's absent and wanted by nobody."""
    modules = frozen_modules(work)
    problems = [f"our {m} is not frozen in" for m in OURS if m not in modules or not _inside(modules[m], ROOT)]
    problems += [f"PyPI's {m} was frozen in (shadowing ours?)" for m in PYPI_PACKAGING if m in modules]
    problems += [f"{m} is not frozen in" for m in MUST_FREEZE if m not in modules]
    warnings = (work / SPEC.stem / f"warn-{SPEC.stem}.txt").read_text("utf-8", errors="replace")
    wanted = re.findall(r"^missing module named '?(packaging\.[\w.]+)'? - imported by (.*)$", warnings, re.M)
    notes = [f"{name} wanted by {by}" for name, by in wanted]
    return problems, notes


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="smoke-test the existing build only")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args(argv)
    program = args.dist / "baosong"
    seconds = 0.0
    if not args.skip_build:
        if program.exists():
            shutil.rmtree(program)
        seconds = run_pyinstaller(args.dist.resolve(), args.work.resolve(), args.clean)
        print(f"built {program} in {seconds:.0f} s")
    problems, notes = packaging_report(args.work.resolve())
    for line in problems:
        print(f"  FAIL  frozen modules            {line}")
    if not problems:
        print(f"  PASS  frozen modules            our packaging/ frozen in, PyPI's packaging absent; "
              f"{len(MUST_FREEZE)} key modules present")
    print("  NOTE  PyPI packaging at run time " + ("; ".join(notes) if notes else
                                                   "no frozen module imports packaging.* other than ours"))
    sys.path.insert(0, str(HERE))
    import smoke

    passed = smoke.run(program)
    size = folder_size(program) / 1e6
    print(f"summary: build {seconds:.0f} s, {program} {size:.0f} MB, "
          f"{'OK' if passed and not problems else 'FAILED'}")
    return 0 if passed and not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
