"""The `agree` subcommand of main.py: record, list or withdraw an agreement with the office (协商调整) about a
frame's coverage or minimum, as the window's 记录协商调整 does (forms.checks.agreed holds the rule)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from forms.base.errors import UserError
from forms.checks import agreed
from forms.store.model import Frame
from forms.store.workspace import Workspace

EXIT_OK, EXIT_FAILED = 0, 2
CODES = {"coverage": "市县覆盖不全", "below-minimum": "人数少于要求"}


def add_agree(sub: Any) -> None:
    agree = sub.add_parser("agree", help="记录（或撤销）与考评办协商调整的结果：抽样框覆盖不全或人数不足")
    agree.add_argument("workspace")
    agree.add_argument("--form", choices=[str(n) for n in range(2, 8)], help="哪个附件的抽样框")
    agree.add_argument("--item", default="", help="热点、难点工作的名称（附件3、5、7有多个时）")
    agree.add_argument("--code", choices=list(CODES), help="coverage 覆盖不全；below-minimum 人数不足")
    agree.add_argument("--with", dest="with_whom", default="", help="考评办同意的人，例如 张科长")
    agree.add_argument("--on", default="", help="同意的日期（年-月-日，如 2015-11-10）")
    agree.add_argument("--note", default="", help="说明（可不填）")
    agree.add_argument("--withdraw", action="store_true", help="撤销这个抽样框这一项的协商调整记录")
    agree.add_argument("--list", action="store_true", help="列出已记录的协商调整")
    agree.set_defaults(run=cmd_agree)


def cmd_agree(args: argparse.Namespace) -> int:
    try:
        with Workspace.open(args.workspace) as ws:
            if args.list:
                return _list(ws)
            if not args.form or not args.code:
                return _fail("请用 --form 指定附件号、用 --code 指定 coverage（覆盖不全）或 below-minimum（人数不足）。")
            frame = _frame(ws, args.form, args.item)
            if args.withdraw:
                ws.set_agreed(agreed.without(ws.agreed(), frame.id, args.code))
                print(f"已撤销{frame.label}“{CODES[args.code]}”的协商调整记录。")
                return EXIT_OK
            deal = agreed.capture(ws.engine, frame.id, frame.label, args.code, args.with_whom, _date(args.on),
                                  args.note, dt.date.today())
            ws.set_agreed(agreed.replaced(ws.agreed(), deal))
    except UserError as exc:
        return _fail(exc.message)
    print(f"已记录：{frame.label}{deal.what()}，{deal.describe()}。打包时该项作为提醒，不再阻止生成压缩包。")
    return EXIT_OK


def _frame(ws: Workspace, form: str, item: str) -> Frame:
    found = [f for f in ws.frames() if f.form == form and (not item.strip() or f.item == item.strip())]
    if len(found) != 1:
        names = "、".join(f.label for f in ws.frames() if f.form == form) or "无"
        raise agreed.AgreedError(f"找不到唯一的附件{form}抽样框（本工作区有：{names}）：请用 --item 写明工作名称。")
    return found[0]


def _date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise agreed.AgreedError(f"日期“{text[:20]}”看不懂：请写成 年-月-日，如 2015-11-10。") from None


def _list(ws: Workspace) -> int:
    items = ws.agreed()
    if not items:
        print("没有协商调整记录。")
    for item in items:
        print(f"{item.frame_label}：{item.what()}，{item.describe()}")
    return EXIT_OK


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_FAILED
