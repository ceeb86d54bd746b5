"""Smoke test of the frozen program: what only breaks when frozen (data files, hooks, Qt plugins) fails here.

    python installer/smoke.py [DIST_FOLDER]      (default dist/baosong; build.py runs it after each build)

Everything happens under a folder named `测试 文件夹/子目录`, so Chinese characters and spaces in paths
are part of every check. The source tree (this Python, `-X utf8`) is the reference: the frozen
program's `check --json`, imports and exports must equal its output byte for byte or cell for cell.
Prints one line per check; exit status 1 when any check failed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # tests/ (the frames) and forms/base/paths.py come from the source tree
    sys.path.insert(0, str(ROOT))

from forms.base.paths import app_dirs  # noqa: E402
from tests.e2e import messy  # noqa: E402
from tests.installer import frames  # noqa: E402
from tests.secret_service import private_secret_service  # noqa: E402

IS_WIN = sys.platform == "win32"
SUFFIX = ".exe" if IS_WIN else ""
WINDOW_SECONDS = 5.0
TIMEOUT = 300.0          # one headless command (a cold first start on Windows can take long: antivirus)
WINDOW_TIMEOUT = 120.0   # the window reporting itself shown or its workspace opened
QT_TROUBLE = ("Traceback", "qt.qpa.plugin", "Could not load the Qt platform plugin", "could not find or load")


class SmokeFailure(Exception):
    """A check found the frozen program wrong; the message says what differed."""


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Program:
    """One way to run main.py: the source tree with this Python, or a frozen executable."""

    label: str
    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: object, cwd: Path, extra_env: dict[str, str] | None = None,
            timeout: float = TIMEOUT) -> Ran:
        done = subprocess.run([*self.argv, *map(str, args)], cwd=cwd, capture_output=True, timeout=timeout,
                              env={**os.environ, **self.env, **(extra_env or {})})
        try:
            return Ran(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise SmokeFailure(f"{self.label} {args[:1]}: output is not UTF-8 ({exc})") from exc

    def ok(self, *args: object, cwd: Path) -> Ran:
        ran = self.run(*args, cwd=cwd)
        if ran.returncode != 0:
            raise SmokeFailure(f"{self.label} {' '.join(map(str, args[:1]))} exited {ran.returncode}:\n{ran.stderr}")
        return ran


def _diff(a: str, b: str, names: tuple[str, str]) -> str:
    return "\n".join(list(difflib.unified_diff(a.splitlines(), b.splitlines(), *names, lineterm=""))[:40])


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def _read_and_forget(service: str, user: str) -> str:
    """Read the record back and delete it, in a fresh process: keyring settles on its backend once per process."""
    code = ("import sys, keyring; print(keyring.get_password(sys.argv[1], sys.argv[2]) or '');"
            "keyring.delete_password(sys.argv[1], sys.argv[2])")
    done = subprocess.run([sys.executable, "-X", "utf8", "-c", code, service, user], capture_output=True, timeout=60)
    if done.returncode != 0:
        raise SmokeFailure(f"could not read the record back: {done.stderr.decode('utf-8', errors='replace')}")
    return done.stdout.decode("utf-8").strip()


def sevenzip() -> str:
    found = shutil.which("7z") or shutil.which("7za")
    if not found and IS_WIN and Path(r"C:\Program Files\7-Zip\7z.exe").exists():
        found = r"C:\Program Files\7-Zip\7z.exe"
    if not found:
        raise SmokeFailure("7-Zip (7z) is needed to open the bundle: apt-get install p7zip-full / choco install 7zip")
    return found


def workbook_values(path: Path) -> list[list[tuple[object, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    finally:
        book.close()


def document_text(path: Path) -> list[str]:
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [p.text for p in document.paragraphs] + cells


def same_content(a: Path, b: Path) -> bool:
    if a.suffix == ".xlsx":
        return workbook_values(a) == workbook_values(b)
    if a.suffix == ".docx":
        return document_text(a) == document_text(b)
    if a.suffix == ".pdf":  # the bytes carry the moment of writing: compare the pages' text instead
        return pdf_pages(a) == pdf_pages(b)
    return a.read_bytes() == b.read_bytes()


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, as PDFium (the window's own reader) extracts it."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


class Smoke:
    """The checks against one built program folder, in order; each returns what it verified."""

    def __init__(self, dist: Path, base: Path) -> None:
        self.dist = dist
        self.work = base / "测试 文件夹" / "子目录"
        self.work.mkdir(parents=True)
        self.env = {"QT_QPA_PLATFORM": "offscreen"}
        if not IS_WIN:  # keep the program's settings out of the developer's home
            self.env |= {name: str(base / "xdg" / name.lower()) for name in
                         ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")}
        self.gui = dist / f"baosong{SUFFIX}"
        self.frozen = Program("frozen", (str(dist / f"baosong-cli{SUFFIX}"),), self.env)
        self.source = Program("source", (sys.executable, "-X", "utf8", str(ROOT / "main.py")), self.env)
        self.workspace: Path | None = None
        self.before = _snapshot(dist)

    def checks(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("layout", self.check_layout),
            ("check --json", self.check_json_equal),
            ("new/import/export", self.check_workspace),
            ("bundle + 7z", self.check_bundle),
            ("window, start screen", self.check_window_start),
            ("window, .baosong file", self.check_window_workspace),
            ("settings location", self.check_settings_location),
            ("nothing beside the exe", self.check_nothing_beside),
        ]

    # --- the checks ------------------------------------------------------------------------------

    def check_layout(self) -> str:
        internal = self.dist / "_internal"
        wanted = [self.gui, Path(self.frozen.argv[0]), internal / "forms/notice/data/campaign-2015.json",
                  internal / "forms/checks/data/guangxi.json", internal / "docx/templates/default.docx"]
        missing = [str(p) for p in wanted if not p.is_file()]
        platforms = {p.name for p in internal.rglob("*") if p.parent.name == "platforms"}
        native = "qwindows" if IS_WIN else "qxcb"
        for plugin in ("qoffscreen", native):
            if not any(plugin in name for name in platforms):
                missing.append(f"Qt platform plugin {plugin}")
        if not list(internal.glob("keyring-*.dist-info/entry_points.txt")):
            missing.append("keyring's metadata (entry points of its backends)")
        if not list(internal.rglob("qtbase_zh_CN.qm")):
            missing.append("Qt's Chinese translation qtbase_zh_CN.qm")
        if missing:
            raise SmokeFailure("missing from the build: " + "; ".join(missing))
        return f"two executables, forms/*/data, docx templates, keyring metadata, Qt plugins qoffscreen+{native}"

    def check_json_equal(self) -> str:
        hot = messy.write_hot(self.work / "热点 抽样框.xlsx")
        system = messy.write_system(self.work / "系统.xlsx")
        bad = self.work / "坏 文件.xlsx"
        bad.write_bytes(b"this is not a workbook")
        cases = [(("check", hot, system, "--json"), 1),
                 (("check", hot, "--form", "3", "--category", frames.CATEGORY, "--json"), 1),
                 (("check", bad, "--json"), 2)]
        for args, expected in cases:
            a, b = self.source.run(*args, cwd=self.work), self.frozen.run(*args, cwd=self.work)
            if (a.returncode, a.stdout, a.stderr) != (b.returncode, b.stdout, b.stderr):
                raise SmokeFailure(f"check {' '.join(map(str, args[1:]))}: exit {a.returncode} (source) vs "
                                   f"{b.returncode} (frozen); frozen stderr: {b.stderr[-1500:]}\n"
                                   + _diff(a.stdout + a.stderr, b.stdout + b.stderr, ("source", "frozen")))
            if b.returncode != expected:
                raise SmokeFailure(f"{args}: exit {b.returncode}, expected {expected}\n{b.stderr}")
        findings = json.loads(self.frozen.run(*cases[0][0], cwd=self.work).stdout)
        codes = {f["code"] for f in findings}
        planted = {code for _v, code in messy.HOT_ROWS + messy.SYSTEM_ROWS if code}
        if not planted <= codes:
            raise SmokeFailure(f"planted codes not found: {sorted(planted - codes)}")
        if not any(f["code"] == "mobile-prefix" and "柳州" in f["message"] for f in findings):
            raise SmokeFailure("no phone attribution (柳州) in mobile-prefix: the 号段 table mobile_blocks.json missing")
        return (f"{len(findings)} findings byte-identical to the source tree; 3 inputs, exit 1/1/2, "
                f"all {len(planted)} planted codes, phone attribution 柳州 present")

    def check_workspace(self) -> str:
        system = frames.write_system(self.work / "附件2 系统.xlsx")
        hot = frames.write_hot(self.work / "附件3 热点.xlsx")
        exports, imports = {}, {}
        for program, sub in ((self.source, "源码 运行"), (self.frozen, "打包 程序")):
            folder = self.work / sub
            folder.mkdir()
            ws = folder / "测试厅 工作区.baosong"
            program.ok("new", ws, "--department", frames.DEPARTMENT, "--kind", "gov", "--category",
                       frames.CATEGORY, "--no-local-units", cwd=self.work)
            imports[program.label] = [
                program.ok("import", ws, system, "--form", "2", cwd=self.work).stdout,
                program.ok("import", ws, hot, "--form", "3", "--item", frames.HOT_ITEM, cwd=self.work).stdout]
            program.ok("export", ws, "--out", folder / "导出 文件", cwd=self.work)
            exports[program.label] = folder / "导出 文件"
        self.workspace = ws  # the frozen program's, for the bundle and the window
        if imports["source"] != imports["frozen"]:
            raise SmokeFailure("import output differs:\n" + _diff("".join(imports["source"]),
                                                                 "".join(imports["frozen"]), ("source", "frozen")))
        return self._compare_exports(exports["source"], exports["frozen"])

    def _compare_exports(self, source: Path, frozen: Path) -> str:
        names = sorted(p.name for p in frozen.iterdir())
        if names != sorted(p.name for p in source.iterdir()):
            raise SmokeFailure(f"exported files differ: {names} vs {sorted(p.name for p in source.iterdir())}")
        if not any(n.startswith("附件2_") for n in names) or not any(n.startswith("附件3_") for n in names):
            raise SmokeFailure(f"附件2/附件3 not exported: {names}")
        different = [n for n in names if not same_content(source / n, frozen / n)]
        if different:
            raise SmokeFailure(f"exported content differs from the source tree's: {different}")
        return f"workspace created, 20+300 rows imported, {len(names)} files exported, same content as source"

    def check_bundle(self) -> str:
        ws = self._workspace()
        out = ws.parent / "压缩 包"
        with self._credential_store() as store:
            data = json.loads(self.frozen.ok("bundle", ws, "--out", out, "--json", "--show-password",
                                             cwd=self.work).stdout)
            kept = self._check_kept(data, store)
        archive = (self.work / data["archive"]).resolve()
        if hashlib.sha256(archive.read_bytes()).hexdigest() != data["sha256"]:
            raise SmokeFailure("the archive's SHA-256 is not the one reported")
        members = self._extract(archive, data["password"], ws.parent / "解压")
        exported = ws.parent / "导出 文件"
        if {m["name"] for m in data["members"]} != set(members) or len(members) < 2:
            raise SmokeFailure(f"archive members {sorted(members)} are not those reported")
        for name, path in members.items():
            expected = next(m["sha256"] for m in data["members"] if m["name"] == name)
            if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
                raise SmokeFailure(f"{name}: SHA-256 differs from the report")
            if (exported / name).exists() and not same_content(exported / name, path):
                raise SmokeFailure(f"{name} in the archive differs from the export")
        return (f"AES-256 archive of {len(members)} members opened by 7z with the password, wrong password "
                f"refused, members equal the export; {kept}")

    def check_window_start(self) -> str:
        self._stays_up()
        shown = self.frozen.run(cwd=self.work, extra_env={"BAOSONG_BENCH": "shown"}, timeout=WINDOW_TIMEOUT)
        if shown.returncode != 0 or "BAOSONG-SHOWN" not in shown.stdout:
            raise SmokeFailure(f"the start screen did not report itself shown (exit {shown.returncode}):\n"
                               f"{shown.stdout}{shown.stderr}")
        return f"start screen shown offscreen, {self.gui.name} stayed up {WINDOW_SECONDS:.0f} s"

    def check_window_workspace(self) -> str:
        ws = self._workspace()
        self._stays_up(ws)
        ready = self.frozen.run(ws, cwd=self.work, extra_env={"BAOSONG_BENCH": "ready"}, timeout=WINDOW_TIMEOUT)
        if ready.returncode != 0 or "BAOSONG-READY" not in ready.stdout:
            raise SmokeFailure(f"the workspace did not open in the window (exit {ready.returncode}):\n"
                               f"{ready.stdout}{ready.stderr}")
        seconds = ready.stdout.split("BAOSONG-READY", 1)[1].split()[0]
        return f"{self.gui.name} \"{ws.name}\" stayed up; the workspace opened in the window ({seconds} s)"

    def check_settings_location(self) -> str:
        expected = app_dirs(env={**os.environ, **self.env}).config / "报送助手.ini"
        if not expected.is_file():
            found = [str(p) for p in Path(self.env.get("XDG_CONFIG_HOME", self.work)).rglob("*.ini")]
            raise SmokeFailure(f"window settings not at forms.base.paths' config folder {expected}; found {found}")
        return f"Qt wrote the settings where forms.base.paths says: {expected}"

    def check_nothing_beside(self) -> str:
        after = _snapshot(self.dist)
        changed = sorted(k for k in after.keys() | self.before.keys() if after.get(k) != self.before.get(k))
        if changed:
            raise SmokeFailure(f"the program wrote into its own folder: {changed[:10]}")
        return f"{len(after)} files of {self.dist.name}/ unchanged after all runs"

    # --- helpers ---------------------------------------------------------------------------------

    def _workspace(self) -> Path:
        if self.workspace is None or not self.workspace.exists():
            raise SmokeFailure("no workspace: new/import/export failed")
        return self.workspace

    @contextmanager
    def _credential_store(self) -> Iterator[str | None]:
        """The OS credential store the frozen program should use here, or None (then none is checked)."""
        if IS_WIN:
            yield "Windows 凭据管理器"
            return
        with private_secret_service() as started:
            yield "系统密钥环（Secret Service）" if started else None

    def _check_kept(self, data: dict[str, object], store: str | None) -> str:
        if store is None:
            if os.environ.get("CI"):
                raise SmokeFailure("no credential store to check on CI (install gnome-keyring and dbus)")
            return "credential store not checked (no gnome-keyring/dbus here)"
        if data.get("password_kept") is not True:
            raise SmokeFailure(f"the frozen program found no working credential store ({store}): keyring's "
                               f"backends are missing from the build")
        stored = _read_and_forget(str(data["keyring_service"]), str(data["keyring_user"]))
        if stored != data["password"]:
            raise SmokeFailure("the password in the credential store is not the one shown")
        return f"password kept in {store} and read back"

    def _extract(self, archive: Path, password: object, target: Path) -> dict[str, Path]:
        tool = sevenzip()
        listing = subprocess.run([tool, "l", "-slt", str(archive)], capture_output=True)
        if b"AES-256" not in listing.stdout:
            raise SmokeFailure("7z does not list the archive as AES-256")
        done = subprocess.run([tool, "x", f"-p{password}", f"-o{target}", str(archive)], capture_output=True)
        if done.returncode != 0:
            raise SmokeFailure(f"7z could not extract with the password: {done.stdout.decode(errors='replace')}")
        wrong = subprocess.run([tool, "x", "-pWRONG-PASS-WORD", f"-o{target}-wrong", str(archive)],
                               capture_output=True)
        if wrong.returncode != 2:
            raise SmokeFailure(f"7z accepted a wrong password (exit {wrong.returncode})")
        return {p.name: p for p in target.iterdir()}

    def _stays_up(self, *args: object) -> None:
        proc = subprocess.Popen([str(self.gui), *map(str, args)], cwd=self.work, env={**os.environ, **self.env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=WINDOW_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        finally:
            exited = proc.returncode
            proc.terminate()
            try:
                _out, err = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                _out, err = proc.communicate()
        text = err.decode("utf-8", errors="replace")
        if exited is not None:
            raise SmokeFailure(f"{self.gui.name} {args} left after less than {WINDOW_SECONDS} s (exit {exited}):\n{text}")
        trouble = [line for line in text.splitlines() if any(t in line for t in QT_TROUBLE)]
        if trouble:
            raise SmokeFailure(f"{self.gui.name} {args} reported: {trouble}")


def run(dist: Path, say: Callable[[str], None] = print) -> bool:
    """Run every check against `dist` (the folder holding baosong and baosong-cli); True when all passed."""
    failed = 0
    with tempfile.TemporaryDirectory(prefix="baosong-smoke-") as base:
        smoke = Smoke(dist.resolve(), Path(base))
        say(f"smoke test of {dist} in {smoke.work}")
        for name, check in smoke.checks():
            started = time.perf_counter()
            try:
                status, text = "PASS", check()
            except (SmokeFailure, subprocess.TimeoutExpired, OSError, ValueError) as exc:
                status, text, failed = "FAIL", str(exc), failed + 1
            say(f"  {status}  {name:<24} {text}  ({time.perf_counter() - started:.1f} s)")
    say(f"smoke test: {'all checks passed' if not failed else f'{failed} check(s) FAILED'}")
    return not failed


def main(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    dist = Path(argv[0]) if argv else ROOT / "dist" / "baosong"
    return 0 if run(dist) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
