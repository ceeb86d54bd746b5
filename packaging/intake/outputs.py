"""What the office's intake writes into OUT: 收件情况.xlsx, 汇总_附件N.xlsx per form, and the call list.

No password ever goes into these files (the password table is only read); every value is written as
text, so nothing a department typed can become a formula in the office's Excel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from forms.notice import campaign as campaign_mod
from forms.notice.attachments import FRAME_FORMS, Column
from forms.sheets import excel_out
from forms.tasks import intake_merge, sampling
from packaging._fs import explain_write_error
from packaging.intake.passwords import IntakeError, PasswordEntry, name_key
from packaging.intake.receive import STATUS_LABELS, ArchiveReport, IntakeBatch

STATUS_NAME = "收件情况.xlsx"


def _text(key: str, header: str, width: int) -> Column:
    return Column(key, header, (), "text", width=width)


STATUS_COLUMNS = (
    Column("serial", "序号", (), "serial", width=6),
    _text("department", "报送单位", 30),
    _text("archive", "压缩包", 36),
    _text("status", "状态", 12),
    *(_text(f"form{n}", f"附件{n}人数", 8) for n in FRAME_FORMS),
    _text("errors", "错误", 6),
    _text("warnings", "提醒", 6),
    _text("missing", "缺少", 14),
    _text("received", "收到日期", 11),
    _text("message", "说明", 60),
)


@dataclass(frozen=True)
class Written:
    status: Path
    merged: list[Path]
    call_list: Path | None


def status_row(batch: IntakeBatch, report: ArchiveReport) -> dict[str, str]:
    found = batch.findings(report)
    errors = sum(f.severity == "error" for f in found)
    return {"department": report.department, "archive": report.archive,
            "status": f"{STATUS_LABELS[report.status]}（{report.status}）",
            **{f"form{n}": str(report.rows[n]) for n in FRAME_FORMS if n in report.rows},
            "errors": str(errors), "warnings": str(len(found) - errors),
            "missing": "、".join(f"附件{n}" for n in report.missing), "received": report.received.isoformat(),
            "message": report.message}


def not_received(batch: IntakeBatch, expected: Sequence[PasswordEntry]) -> list[PasswordEntry]:
    """Entries of the password table whose archive is not in the batch (by name, or by department)."""
    names = {name_key(name) for name in batch.received}
    return [e for e in expected if name_key(e.archive) not in names and e.department not in batch.entries]


def write_status(out: Path, batch: IntakeBatch, today: dt.date | None = None,
                 expected: Sequence[PasswordEntry] = ()) -> Path:
    """收件情况.xlsx: a row per department received, then a row per archive of the password table not received."""
    rows = [status_row(batch, r) for r in batch.reports()]
    rows += [{"department": e.department, "archive": e.archive, "status": "未收到",
              "message": "密码表中有这个压缩包，但文件夹里没有：请确认是否收到，收到后放入文件夹再收件。"}
             for e in not_received(batch, expected)]
    ok = sum(r.status == "ok" for r in batch.reports())
    year = campaign_mod.load(batch.campaign_id).year
    spec = excel_out.SheetSpec("收件情况", f"{year}年度社会评价抽样框收件情况", STATUS_COLUMNS, rows,
                               (f"共{len(rows)}个单位，合格{ok}个", f"统计时间:{excel_out.chinese_date(today)}"))
    return excel_out.export_sheets(out / STATUS_NAME, [spec])


def out_folder(out: str | Path) -> Path:
    """The output folder, made if need be: asked before the archives are read, so a wrong OUT costs nothing."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise IntakeError(f"“{folder}”是一个文件，不是文件夹：请为收件结果另选（或新起）一个文件夹名。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IntakeError(explain_write_error(exc, folder)) from None
    return folder


def write_outputs(out: str | Path, batch: IntakeBatch, sample: tuple[int, str] | None = None,
                  today: dt.date | None = None, expected: Sequence[PasswordEntry] = ()) -> Written:
    """Write every output into `out` (made if need be); `sample` is (people per frame, seed); `expected` are the
    password table's entries (those not received get a row of their own in 收件情况.xlsx)."""
    folder = out_folder(out)
    campaign = campaign_mod.load(batch.campaign_id)
    merged = batch.merged()
    findings = {r.department: batch.findings(r) for r in batch.reports() if r.submission is not None}
    paths = [intake_merge.write_merged(folder, campaign, form, rows, findings, today) for form, rows in merged.items()]
    call_list = None
    if sample is not None:
        drawn = sampling.draw(merged, sample[0], sample[1])
        call_list = sampling.write_call_list(folder, campaign, drawn, today)
    return Written(write_status(folder, batch, today, expected), paths, call_list)
