"""The headless commands of main.py: check, new, import, export. Same engine as the window."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from forms.base import scratch
from forms.base.errors import UserError
from forms.base.file_errors import os_reason
from forms.base.findings import Finding, Severity
from forms.notice import campaign as campaign_mod
from forms.sheets.excel_in import combined_rows, read_file
from forms.store import import_plan, schema
from forms.store.import_plan import ImportMode
from forms.store.workspace import Profile, Workspace
from forms.tasks.check import WORKSPACE_SUFFIX, CheckOptions, check_files, check_workspace

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _fail(message: str, code: int = EXIT_UNREADABLE) -> int:
    print(message, file=sys.stderr)
    return code


def _text_line(f: Finding) -> str:
    where = f"{f.file} " + (f"第{f.row}行 " if f.row else "") + (f"[{f.column}] " if f.column else "")
    return f"{where}{'错误' if f.severity is Severity.ERROR else '提醒'}（{f.code}）：{f.message}"


def cmd_check(args: argparse.Namespace) -> int:
    options = CheckOptions(form=args.form, category=args.category, local_units=not args.no_local_units)
    try:
        workspaces = [f for f in args.files if f.lower().endswith(WORKSPACE_SUFFIX)]
        if workspaces and len(args.files) > 1:
            return _fail("检查工作区时只能给出一个 .baosong 文件（Excel 文件请另外检查）。")
        result = check_workspace(workspaces[0]) if workspaces else check_files(args.files, options)
    except UserError as exc:
        return _fail(exc.message)
    code = EXIT_ERRORS if result.errors else EXIT_OK
    try:
        if args.json:
            json.dump([f.to_json() for f in result.findings], sys.stdout, ensure_ascii=False, indent=1)
            print()
        else:
            for finding in result.findings:
                print(_text_line(finding))
            print(f"共{result.errors}处错误，{result.warnings}处提醒。")
        sys.stdout.flush()
    except BrokenPipeError:  # `check … | head`: the reader has all it wanted
        _quiet_stdout()
    return code


def _quiet_stdout() -> None:
    """After a broken pipe: what is still buffered goes nowhere, so Python's exit does not complain of it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test's capture)
        pass
    finally:
        os.close(devnull)


def cmd_new(args: argparse.Namespace) -> int:
    try:
        campaign = campaign_mod.load_path(args.campaign) if args.campaign else campaign_mod.load()
    except UserError as exc:
        return _fail(exc.message)
    kind = campaign.kind(args.kind)
    if args.category and args.category not in kind.categories:
        choices = "、".join(kind.categories) or "（该类别不分类）"
        return _fail(f"类别“{args.category}”无效，可选：{choices}。")
    profile = Profile(department=args.department.strip(), kind=args.kind, category=args.category or "",
                      local_units=not args.no_local_units)
    try:
        with Workspace.create(args.workspace, profile, campaign) as ws:
            owed = "、".join(f"附件{f}" for f in (ws.kind.system_form, ws.kind.hot_form, "8", ws.kind.leader_form))
    except UserError as exc:
        return _fail(exc.message)
    print(f"已创建工作区 {args.workspace}：{profile.department}（{kind.name}，{campaign.year}年度，{campaign.notice_number}），"
          f"需报送{owed}。")
    return EXIT_OK


DOCUMENT_FORMS = ("9", "10", "11", "report-rectification", "report-performance")


def cmd_import(args: argparse.Namespace) -> int:
    if args.form in DOCUMENT_FORMS:
        return _import_document(args)
    try:
        sheets = [s for s in read_file(args.file, form=args.form) if s.numbers and (s.form or args.form)]
        if not sheets:
            return _fail(f"“{args.file}”中没有可导入的附件{args.form}数据行，请检查表头是否与模板一致。")
        with Workspace.open(args.workspace) as ws:
            frame = ws.frame_for_item(args.form, args.item or "")
            present = ws.engine.row_count(frame.id)
            if present and args.mode is None:  # a second run of the same import must not double the frame
                return _fail(f"{frame.label}已有{present}人。请用 --mode 说明怎样导入：append（追加在后面）、"
                             "replace（替换现有人员）或 merge（按人合并：同一人更新，新的人员追加）。")
            plan = import_plan.plan_for(ws, frame.id, combined_rows(sheets), ImportMode(args.mode or "append"))
            ids = import_plan.apply(ws, frame.id, plan)
            for finding in (f for s in sheets for f in s.findings):
                print(_text_line(finding), file=sys.stderr)
            bad = sum(1 for i in ids if ws.engine.row_findings((frame.id, i)))
            errors, warnings = ws.engine.counts(frame.id)
    except UserError as exc:
        return _fail(exc.message)
    print(f"已导入{len(ids)}行到{frame.label}（{plan.summary()}），新增的人员中{bad}行有问题；"
          f"该抽样框现有{errors}处错误，{warnings}处提醒。")
    return EXIT_OK


def _import_document(args: argparse.Namespace) -> int:
    from forms.documents import importer
    from forms.tasks import deliverables

    try:
        with Workspace.open(args.workspace) as ws:
            if args.form.startswith("report-"):
                kind = args.form.removeprefix("report-")
                imported = importer.import_report(args.file, ws.profile.department)
                deliverables.store_imported_report(ws, kind, imported)
                dated = f"，成文日期{imported.date:%Y-%m-%d}" if imported.date else ""
                print(f"已导入{deliverables.REPORT_KINDS[kind]}：{len(imported.sections)}个部分{dated}。")
                return EXIT_OK
            if args.form != ws.kind.leader_form:
                return _fail(f"本单位应填附件{ws.kind.leader_form}（{ws.kind.name}领导评价表），不是附件{args.form}。")
            analysis = importer.import_analysis(args.file, ws.campaign.rules["analysis_sections"])
            deliverables.set_analysis_sections(ws, {k: v for k, v in analysis.sections.items() if v.strip()})
            count = deliverables.leader_form_of(ws).char_count()
    except UserError as exc:
        return _fail(exc.message)
    if analysis.missing:
        print(f"没有找到这些部分的标题：{'、'.join(analysis.missing)}。请在文件中用这些标题分段。", file=sys.stderr)
    print(f"已导入年度绩效分析，共{count}字（上限{ws.campaign.rules['analysis_max_chars']}字）。")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from forms.documents.files import DocumentWriteError
    from forms.tasks import deliverables, filedate

    try:
        date = filedate.parse(args.date) if args.date else None
    except ValueError as exc:
        return _fail(str(exc))
    try:
        with Workspace.open(args.workspace) as ws:
            if date is not None:
                filedate.set_file_date(ws, date)
            print(f"报送时间：{filedate.file_date(ws):%Y-%m-%d}", file=sys.stderr)
            written, settled = deliverables.export_all(ws, args.out)
            if not ws.hot_frames():
                print(f"还没有热点、难点工作抽样框（附件{ws.kind.hot_form}）和评议问卷：请先添加考评办要求评议的工作事项。",
                      file=sys.stderr)
    except UserError as exc:
        return _fail(exc.message)
    except DocumentWriteError as exc:
        return _fail(str(exc))
    for item in written:
        print(item.path)
        if item.errors:
            print(f"{item.path.name}（{item.what}）未完成：{'；'.join(item.errors)}", file=sys.stderr)
    for line in settled.removed_lines():
        print(line)
    for line in settled.warning_lines():
        print(line, file=sys.stderr)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        with Workspace.open(args.workspace) as ws:
            target = ws.backup(args.out)
            rows = sum(ws.row_count(frame.id) for frame in ws.frames())
    except UserError as exc:
        return _fail(exc.message)
    print(f"已备份到 {target}（{len(ws.frames())}个抽样框，共{rows}行）。这一个文件就是完整的工作区，可直接用报送助手打开。")
    return EXIT_OK


def build_parser(extensions: Sequence[Callable[[Any], None]] = ()) -> argparse.ArgumentParser:
    """The subcommands; `extensions` add those of layers above forms/ (packaging's `bundle`)."""
    parser = argparse.ArgumentParser(prog="main.py", description="报送助手：社会评价报送材料的检查与生成")
    sub = parser.add_subparsers(dest="command", required=True)
    for extend in extensions:
        extend(sub)
    check = sub.add_parser("check", help="检查抽样框文件（同一部门的多个文件一起查重），或检查一个工作区（.baosong）")
    check.add_argument("files", nargs="+")
    check.add_argument("--json", action="store_true")
    check.add_argument("--form", choices=[str(n) for n in range(2, 8)])
    check.add_argument("--category", help="政府直属部门的类别，决定热点难点抽样框的最少人数")
    check.add_argument("--no-local-units", action="store_true", help="没有市、县单位（不检查市县覆盖）")
    check.set_defaults(run=cmd_check)
    new = sub.add_parser("new", help="新建部门工作区")
    new.add_argument("workspace")
    new.add_argument("--department", required=True)
    new.add_argument("--kind", required=True, choices=list(campaign_mod.KINDS))
    new.add_argument("--category")
    new.add_argument("--no-local-units", action="store_true")
    new.add_argument("--campaign", metavar="FILE.json", help="另一年度的通知数据文件（默认：内置的2015年度通知）")
    new.set_defaults(run=cmd_new)
    imp = sub.add_parser("import", help="把Excel/CSV抽样框导入工作区")
    imp.add_argument("workspace")
    imp.add_argument("file")
    imp.add_argument("--form", required=True, choices=[*(str(n) for n in range(2, 8)), *DOCUMENT_FORMS])
    imp.add_argument("--item", help="热点、难点工作的名称")
    imp.add_argument("--mode", choices=[m.value for m in ImportMode],
                     help="抽样框已有人员时必须指定：append 追加，replace 替换，merge 按人合并")
    imp.set_defaults(run=cmd_import)
    exp = sub.add_parser("export", help="按模板导出全部报送文件")
    exp.add_argument("workspace")
    exp.add_argument("--out", required=True)
    exp.add_argument("--date", help="写在文件上的报送时间（年-月-日，如 2015-11-10），保存到工作区；不写则沿用工作区的日期（默认今天）")
    exp.set_defaults(run=cmd_export)
    backup = sub.add_parser("backup", help="把工作区备份为一个完整的文件（工作区打开时也可以）")
    backup.add_argument("workspace")
    backup.add_argument("--out", required=True, help="备份文件名，例如 D:\\备份\\交通厅-1113.baosong")
    backup.set_defaults(run=cmd_backup)
    return parser


def run(argv: Sequence[str], extensions: Sequence[Callable[[Any], None]] = ()) -> int:
    args = build_parser(extensions).parse_args(list(argv))
    if leftovers := scratch.sweep():  # what a killed run left in plain: removed now, and said
        print(scratch.describe(leftovers), file=sys.stderr)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return _fail("已取消。")
    except BrokenPipeError:  # output piped into a reader that stopped early: nothing is wrong with the disk
        _quiet_stdout()
        return EXIT_OK
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # damage found only when that part was first read
        return _fail(schema.damaged(Path(getattr(args, "workspace", "") or "工作区"), str(exc)).message)
    except OSError as exc:
        where = f"“{Path(exc.filename).name}”：" if exc.filename else ""
        return _fail(f"文件操作失败，{where}{os_reason(exc)}。请检查磁盘空间、文件夹和文件权限后再试。")
