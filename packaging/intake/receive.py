"""One received archive from opening to status, and the batch the office builds from many of them.

An archive is opened (packaging.intake.members), its spreadsheets read and checked together as the
department's own `check` does (forms.tasks.check), and given one status: ok, errors (findings or a missing
form), wrong-password, no-password, unreadable, not-ours. The batch keeps one entry per department: a
corrected archive received later replaces the earlier one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from forms.base.bulk import paused_gc
from forms.base.file_errors import os_reason
from forms.base.findings import Finding, Severity
from forms.checks import geo, warmup
from forms.notice import campaign as campaign_mod
from forms.sheets.excel_in import ReadError, SheetRead, read_bytes
from forms.tasks.check import CheckOptions, check_sheets
from forms.tasks.intake_merge import (
    MergedRow,
    Submission,
    cross_department_duplicates,
    extend_merged,
    forms_present,
    merged_rows,
)
from packaging.intake.members import Opened, Refused, Status, open_archive
from packaging.intake.passwords import IntakeError, PasswordBook, PasswordEntry, candidates

ARCHIVE_SUFFIXES = (".zip",)
FOREIGN_SUFFIXES = (".rar", ".7z", ".tar", ".gz")  # archives the office may receive, in a format not ours
STATUS_LABELS = {Status.OK: "合格", Status.ERRORS: "有问题", Status.WRONG_PASSWORD: "密码不对",
                 Status.NO_PASSWORD: "缺密码", Status.UNREADABLE: "无法读取", Status.NOT_OURS: "不是报送材料"}
Progress = Callable[[int, int], object]
_NAMED = re.compile(r"^(.+?)_\d{4}年度社会评价抽样框")  # packaging.archive.archive_file_name's pattern


@dataclass
class ArchiveReport:
    """What the office learns from one archive."""

    archive: str
    path: Path
    department: str
    status: Status
    message: str
    received: dt.date
    rows: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    submission: Submission | None = None
    replaced_by: str = ""  # the archive received later from the same department, which replaces this one

    @property
    def key(self) -> str:
        """The batch keeps one entry per key: the department, or the archive when no department is known."""
        return self.department or f"（{self.archive}）"

    def errors(self, extra: Iterable[Finding] = ()) -> list[Finding]:
        return [f for f in [*self.findings, *extra] if f.severity is Severity.ERROR]

    def warnings(self, extra: Iterable[Finding] = ()) -> list[Finding]:
        return [f for f in [*self.findings, *extra] if f.severity is Severity.WARNING]

    def to_json(self, extra: Iterable[Finding] = ()) -> dict[str, object]:
        extra = list(extra)
        return {"archive": self.archive, "department": self.department, "status": str(self.status),
                "message": self.message, "rows": self.rows,
                "errors": [f.to_json() for f in self.errors(extra)],
                "warnings": [f.to_json() for f in self.warnings(extra)], "missing": self.missing,
                "replaced_by": self.replaced_by or None}


def archive_finding(code: str, message: str, file: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(code=code, severity=severity, message=message, file=file)


def receive(path: Path, book: PasswordBook, campaign_id: str = "2015") -> ArchiveReport:
    """Open, read and check one archive; never raises for what is in the archive."""
    entry = book.lookup(path.name)
    try:
        received = dt.date.fromtimestamp(path.stat().st_mtime)
    except OSError:  # gone or locked since the folder was listed: open_archive says which
        received = dt.date.today()
    named = _NAMED.match(path.name)
    fallback = (entry.department if entry else "") or (named.group(1) if named else "")
    report = ArchiveReport(path.name, path, fallback, Status.OK, "", received)
    if path.suffix.lower() in FOREIGN_SUFFIXES:
        return _refused(report, Refused(Status.UNREADABLE, f"压缩包是{path.suffix}格式，本程序只能打开.zip："
                                                           "请让该单位用报送助手或7-Zip重新生成.zip压缩包。"))
    try:
        opened = open_archive(path, candidates(entry.password) if entry else [], entry is not None)
    except Refused as refused:
        return _refused(report, refused)
    return _checked(report, opened, entry, campaign_id)


def _refused(report: ArchiveReport, refused: Refused, notes: Iterable[Finding] = ()) -> ArchiveReport:
    report.status, report.message = refused.status, refused.message
    report.findings = [archive_finding(str(refused.status), refused.message, report.archive), *notes]
    return report


def _checked(report: ArchiveReport, opened: Opened, entry: PasswordEntry | None, campaign_id: str) -> ArchiveReport:
    notes = _archive_notes(report.archive, opened)
    sheets: list[SheetRead] = []
    for name, data in opened.members:
        try:
            sheets += read_bytes(name, data)
        except ReadError as exc:
            notes.append(archive_finding("unreadable-member", exc.message, name))
    if not any(s.header_row for s in sheets):
        what = "没有可识别的抽样框（附件2–7）" if sheets or opened.members else "没有Excel或CSV表格"
        refused = Refused(Status.NOT_OURS, f"压缩包里{what}，不是社会评价报送材料：请与该单位核实。")
        if not sheets and (failed := [n.message for n in notes if n.code == "unreadable-member"]):
            refused = Refused(Status.UNREADABLE, failed[0])  # its tables are refused: say why, not "not ours"
        return _refused(report, refused, [n for n in notes if n.code not in ("not-encrypted", "weak-encryption")])
    campaign = campaign_mod.load(campaign_id)
    options = CheckOptions(category=(entry.category if entry else "") or _lenient_category(campaign), campaign=campaign_id)
    result = check_sheets(sheets, options)
    result.findings = [f for f in result.findings if not _own_staff_coverage(f, sheets, result.values)]
    report.department = _department(sheets) or report.department
    report.submission = Submission(report.department, sheets, result)
    report.rows = forms_present(report.submission)
    report.missing = _missing(campaign, report.rows)
    report.findings = notes + result.findings + [
        archive_finding("missing-form", f"压缩包里没有附件{form}：请让该单位补报。", report.archive) for form in report.missing]
    bad = any(f.severity is Severity.ERROR for f in report.findings)
    report.status = Status.ERRORS if bad else Status.OK
    report.message = _summary(report)
    return report


def _archive_notes(archive: str, opened: Opened) -> list[Finding]:
    notes = [archive_finding("unsafe-name", f"压缩包内的文件名“{name}”含有上级目录或绝对路径，已跳过未读：请让该单位重新打包。",
                             archive) for name in opened.skipped]
    if opened.weak:
        notes.append(archive_finding("weak-encryption", "压缩包用的是旧的ZipCrypto加密（容易被破解），不是报送助手使用的"
                                                        "AES-256：内容已照常读取。请提醒该单位今后用报送助手（或7-Zip选AES-256）"
                                                        "生成压缩包。", archive, Severity.WARNING))
    if not opened.encrypted:
        notes.append(archive_finding("not-encrypted", "压缩包没有加密，名单中的个人信息可能已经泄露：请提醒该单位今后"
                                                      "用报送助手生成加密压缩包，并电话告知密码。", archive, Severity.WARNING))
    return notes


def _lenient_category(campaign: campaign_mod.Campaign) -> str:
    """Without a 类别 in the password table, a hot frame is held to the lowest minimum any category has."""
    named = [(n, c) for kind in campaign.kinds.values() for c, n in kind.categories.items()]
    return min(named)[1] if named else ""


def _own_staff_coverage(f: Finding, sheets: list[SheetRead], values: dict[tuple[int, int], dict[str, str]]) -> bool:
    """A coverage finding on a frame whose units name one city at most: the department lists its own staff
    (it has no city or county units), which the notice allows; the office cannot tell otherwise."""
    if f.code != "coverage":
        return False
    at = next((i for i, s in enumerate(sheets) if s.file == f.file and s.sheet == f.sheet), None)
    units = {v.get("unit", "") for (i, _r), v in values.items() if i == at}
    cities = {place.city.code for place in geo.locate_all(units).values() if place and place.city}
    return len(cities) <= 1


def _department(sheets: list[SheetRead]) -> str:
    named = Counter(s.department for s in sheets if s.department and "XX" not in s.department)
    return named.most_common(1)[0][0] if named else ""


def _missing(campaign: campaign_mod.Campaign, rows: dict[str, int]) -> list[str]:
    kinds = Counter(campaign.kind_of_form(form) for form in rows)
    if not kinds:
        return []
    kind = campaign.kind(str(kinds.most_common(1)[0][0]))
    return [form for form in (kind.system_form, kind.hot_form) if not rows.get(form)]


def _summary(report: ArchiveReport) -> str:
    errors, warnings = len(report.errors()), len(report.warnings())
    if report.status is Status.OK:
        return "合格" + (f"，有{warnings}处提醒" if warnings else "")
    missing = f"缺少{'、'.join('附件' + f for f in report.missing)}；" if report.missing else ""
    return f"{missing}共{errors}处错误、{warnings}处提醒：请把问题清单发给该单位，改正后重新报送。"


# ------------------------------------------------------------------------------------------- batch


class IntakeBatch:
    """The office's current view: one entry per department, the latest archive received winning."""

    def __init__(self, campaign_id: str = "2015") -> None:
        self.campaign_id = campaign_id
        self.entries: dict[str, ArchiveReport] = {}
        self.received: set[str] = set()  # every archive added, those replaced since included
        self._cross: dict[str, list[Finding]] | None = None
        # made as archives are added (while the next ones are read), for the duplicates and for OUT; None after
        # a replacement (the department keeps its place: made again when asked for)
        self._merged: dict[str, list[MergedRow]] | None = {}
        self._merged_view: dict[str, list[MergedRow]] | None = None  # the same, by form

    def add(self, report: ArchiveReport) -> ArchiveReport | None:
        """Keep `report` in the place of (and return) the department's earlier entry, if any; else append it."""
        old = report.key if report.key in self.entries else next(  # the same archive re-read after its password
            (k for k, r in self.entries.items() if r.archive == report.archive and not r.department), None)  # came
        replaced = self.entries.get(old) if old is not None else None
        self.entries = {(report.key if k == old else k): (report if k == old else r) for k, r in self.entries.items()}
        self.entries.setdefault(report.key, report)
        self.received.add(report.archive)
        self._cross = self._merged_view = None
        if old is not None:
            self._merged = None
        elif self._merged is not None and report.submission is not None:
            extend_merged(self._merged, report.submission)
        return replaced

    def copy(self) -> IntakeBatch:
        """A batch of the same entries, to add to elsewhere (a worker thread) while this one is shown."""
        twin = IntakeBatch(self.campaign_id)
        twin.entries, twin.received, twin._merged = dict(self.entries), set(self.received), None
        return twin

    def reports(self) -> list[ArchiveReport]:
        return list(self.entries.values())

    def submissions(self) -> list[Submission]:
        return [r.submission for r in self.entries.values() if r.submission is not None]

    def merged(self) -> dict[str, list[MergedRow]]:
        if self._merged is None:
            self._merged = merged_rows(self.submissions())
        if self._merged_view is None:
            self._merged_view = dict(sorted(self._merged.items()))
        return self._merged_view

    def cross(self, department: str) -> list[Finding]:
        """The department's rows that are also in another department's frames (warnings)."""
        if self._cross is None:
            self._cross = cross_department_duplicates(self.merged())
        return self._cross.get(department, [])

    def findings(self, report: ArchiveReport) -> list[Finding]:
        return [*report.findings, *(self.cross(report.department) if report.submission else [])]


def archives_in(folder: str | Path) -> list[Path]:
    """The archives in `folder`, oldest first (a corrected archive, received later, then wins). A link to
    nothing (or to itself) or a pipe named .zip is kept, first: receive says what it is, as it says of a
    damaged archive, rather than the office never learning it was there."""
    p = Path(folder)
    try:
        found = [f for f in p.iterdir() if f.suffix.lower() in ARCHIVE_SUFFIXES + FOREIGN_SUFFIXES and not f.is_dir()]
    except OSError as exc:
        raise IntakeError(f"无法读取文件夹“{p}”：{os_reason(exc)}。请确认文件夹存在并且可以访问。") from None
    if not found:
        raise IntakeError(f"文件夹“{p}”里没有压缩包（.zip）：请把各单位发来的压缩包放进这个文件夹后再收件。")
    return sorted(found, key=_received_order)


def _received_order(f: Path) -> tuple[float, str]:
    try:
        return f.stat().st_mtime, f.name
    except OSError:
        return 0.0, f.name


def receive_all(folder: str | Path, book: PasswordBook, progress: Progress | None = None,
                campaign_id: str = "2015") -> tuple[list[ArchiveReport], IntakeBatch]:
    """Every archive of the folder, in order received, and the batch they make."""
    paths = archives_in(folder)
    batch = IntakeBatch(campaign_id)
    reports = []
    with closing(receive_each(paths, book, campaign_id)) as received:
        for done, report in enumerate(received):
            if progress is not None and progress(done, len(paths)) is False:
                break
            reports.append(report)
            if (replaced := batch.add(report)) is not None:
                replaced.replaced_by = report.archive  # a corrected archive, received later, is the department's now
    if progress is not None:
        progress(len(reports), len(paths))
    return reports, batch


def receive_each(paths: Sequence[Path], book: PasswordBook, campaign_id: str = "2015",
                 workers: int | None = None) -> Generator[ArchiveReport, None, None]:
    """`receive` of each archive, yielded in the order given, a few archives read at once: the key derivation,
    inflating and calamine's parsing run outside the interpreter's lock, so one archive's reading overlaps
    another's checking (100 archives of 500 rows: about 1.1 s instead of 1.5 s on two cores). Closing the
    iterator early (a cancelled run) abandons the archives not yet started."""
    warmup.load_reference_data()  # once, before the threads (each would build it otherwise)
    count = workers or min(_MOST_WORKERS, (os.cpu_count() or 1) + 1)  # one more: while one waits for the lock
    if count <= 1 or len(paths) <= 1:
        for path in paths:
            with paused_gc():  # each archive's rows live on in the batch: no cycle for the collector to find
                yield receive(path, book, campaign_id)
        return
    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="intake")
    ahead: deque[Future[ArchiveReport]] = deque()
    waiting = iter(paths)
    try:
        with paused_gc():  # (as above, for the whole run: there is one collector for all the threads)
            while True:
                while len(ahead) < 2 * count and (following := next(waiting, None)) is not None:
                    ahead.append(pool.submit(receive, following, book, campaign_id))
                if not ahead:
                    return
                yield ahead.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_MOST_WORKERS = 4  # past this the interpreter's lock, not the cores, is what waits


__all__ = ["ArchiveReport", "IntakeBatch", "STATUS_LABELS", "Status", "archive_finding", "receive", "receive_all",
           "receive_each"]
