"""The 11月13日 bundle end to end: refuse while errors remain, export, pack, verify, keep the password, record.

Ties the workspace (forms/) to the archive, the credential store and the handover record. The password
lives only in memory, in the OS credential store and on the clerk's screen; the plain exports are
removed unless the clerk keeps them, and any copy left behind is named.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from forms.base.errors import UserError
from forms.base.findings import Severity
from forms.checks import agreed
from forms.notice import questionnaire as questions_mod
from forms.store.workspace import Workspace
from forms.tasks import deliver, outputs, packed, steps
from packaging import archive, credentials, handover, password, retire
from packaging.archive import ArchiveError, ArchiveResult, Progress

HANDOVER_KEY = "handover"


class BundleRefused(UserError):
    """The bundle must not be built yet; `problems` lists why, each a Chinese sentence."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class BundleOutcome:
    archive: ArchiveResult
    password: str
    stored: credentials.StoreResult
    record: handover.HandoverRecord
    plain_left: list[Path] = field(default_factory=list)  # plain copies that remain (kept or not removable)
    questionnaires_not_ready: list[str] = field(default_factory=list)  # to fix before mailing them
    retired: list[str] = field(default_factory=list)  # what pointed to the previous archive and was removed


def frame_errors(ws: Workspace) -> list[str]:
    """One line per frame that still has errors or no one in it: the archive is not built while any remain."""
    lines = [] if ws.hot_frames() else [f"还没有热点、难点工作抽样框（附件{ws.kind.hot_form}）：请先添加考评办要求评议的工作事项"]
    for frame in ws.frames():
        errors, _warnings = ws.engine.counts(frame.id)
        if not ws.engine.row_count(frame.id):
            lines.append(f"{frame.label}：还没有填写任何人员")
        elif errors:
            lines.append(f"{frame.label}：还有{errors}处错误")
    return lines


def questionnaire_errors(ws: Workspace) -> list[str]:
    """Questionnaires not ready to go out on 11月13日: they hold the archive only when packed inside it,
    otherwise the clerk is told before mailing them beside it."""
    minimum = questions_mod.minimum_of(ws.campaign.rules)
    lines = []
    for frame in ws.hot_frames():
        found = questions_mod.validate(questions_mod.load(ws, frame.id), minimum, frame.item)
        errors = [f for f in found if f.severity is Severity.ERROR]
        if errors:
            lines.append(f"评议问卷（{frame.item}）：{errors[0].message}")
    return lines


def unexplained_warnings(ws: Workspace) -> list[str]:
    """Warnings the clerk has not accepted with a written reason, one line per frame (forms.tasks.steps counts them)."""
    lines = []
    for frame in ws.frames():
        open_ = steps.warning_counts(ws, frame.id)[0]
        if open_:
            lines.append(f"{frame.label}：有{open_}处提醒未填写说明")
    return lines


def refuse_if_not_ready(ws: Workspace, confirm_warnings: bool, questionnaires_inside: bool = False) -> None:
    errors = frame_errors(ws) + (questionnaire_errors(ws) if questionnaires_inside else [])
    if errors:
        raise BundleRefused("以下材料还有问题，改正后才能打包：", errors)
    warnings = unexplained_warnings(ws)
    if warnings and not confirm_warnings:
        raise BundleRefused("以下提醒尚未说明理由，请逐条核对并填写说明，或确认忽略后再打包：", warnings)


def records(ws: Workspace) -> list[handover.HandoverRecord]:
    return [handover.HandoverRecord.from_dict(d) for d in json.loads(ws.text(HANDOVER_KEY, "[]"))]


def save_record(ws: Workspace, record: handover.HandoverRecord) -> None:
    kept = [r for r in records(ws) if r.archive_name != record.archive_name]
    ws.set_text(HANDOVER_KEY, json.dumps([r.to_dict() for r in [*kept, record]], ensure_ascii=False))


def latest_record(ws: Workspace) -> handover.HandoverRecord | None:
    found = records(ws)
    return found[-1] if found else None


def build_bundle(ws: Workspace, out_dir: str | Path, chosen_password: str | None = None, *,
                 confirm_warnings: bool = False, keep_plain: bool = False, overwrite: bool = False,
                 questionnaires: Sequence[Path] = (), questionnaires_inside: bool = False,
                 progress: Progress | None = None, today: date | None = None) -> BundleOutcome:
    """Build, verify and record the archive; raise BundleRefused or ArchiveError with a Chinese message."""
    refuse_if_not_ready(ws, confirm_warnings, questionnaires_inside)
    previous = _previous_record(ws)
    if chosen_password is not None and (reasons := password.check_typed(chosen_password)):
        raise BundleRefused("这个密码不能用：", reasons)
    secret = chosen_password or password.generate()
    contents = packed.as_record(packed.fingerprint(ws))  # the state exported below: nothing edits it meanwhile
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    name = archive.archive_file_name(ws.profile.department, ws.campaign.year, today or date.today())
    plain_dir = out / ("抽样框明文" if keep_plain else f".报送助手-导出-{secrets.token_hex(4)}")
    before = outputs.snapshot(plain_dir)
    try:
        exported = [e.path for e in deliver.export_frames(ws, plain_dir)]
        plan = archive.plan_bundle(exported, questionnaires, questionnaires_inside)
        result = archive.build_archive(out, name, plan.members, secret, progress, overwrite=overwrite)
    finally:
        left = [] if keep_plain else _remove_plain(plain_dir)
    stored = credentials.store(ws.profile.department, ws.profile.campaign, name, secret)
    record = handover.HandoverRecord.from_archive(
        result, password.fingerprint(secret), keyring_service=stored.service, keyring_user=stored.user,
        password_kept=stored.stored, packed=contents, folder=str(out.resolve()),
        agreed=tuple(a.line() for a in agreed.in_effect(ws.engine, ws.agreed())))
    save_record(ws, record)
    retired = retire.previous(ws, previous, record, out)
    if keep_plain:  # the kept copies of an earlier build (a frame since removed) go: they are not in this archive
        settled = outputs.settle(ws, plain_dir, outputs.with_siblings(plain_dir, before, exported))
        retired += settled.lines()
    plain_left = sorted(plain_dir.glob("*.xlsx")) if keep_plain else left
    return BundleOutcome(result, secret, stored, record, plain_left, questionnaire_errors(ws), retired)


def _previous_record(ws: Workspace) -> handover.HandoverRecord | None:
    try:
        return latest_record(ws)
    except (handover.HandoverRecordError, ValueError):
        return None  # unreadable: nothing is known to point to it


def _remove_plain(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    left = archive.remove_plain_copies(sorted(folder.iterdir()))
    if not left:
        shutil.rmtree(folder, ignore_errors=True)
    return left


__all__ = ["ArchiveError", "BundleOutcome", "BundleRefused", "build_bundle", "latest_record", "records"]
