"""The `intake` subcommand of main.py: the office's side, headless (考评办收件).

    python main.py intake DIR --passwords FILE --out OUT [--json] [--sample N [--seed S]]

Exit 0 when every archive is ok, 1 otherwise, 2 when DIR, FILE or OUT cannot be used. When one department
sent two archives, the one received later (file time) replaces the earlier: the earlier's JSON object names it
in `replaced_by`, and only the later counts for the exit code and 收件情况.xlsx. With --sample,
OUT also receives 抽样名单.xlsx: N people per department and frame, drawn by city (forms.tasks.sampling); the
seed (given, or drawn and printed) is written on the list, and the same seed gives the same list.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from typing import Any

from forms.base.errors import UserError
from packaging.intake.outputs import out_folder, write_outputs
from packaging.intake.passwords import read_passwords
from packaging.intake.receive import STATUS_LABELS, Status, receive_all

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def add_intake(sub: Any) -> None:
    intake = sub.add_parser("intake", help="考评办收件：用密码表打开各单位的压缩包，检查并汇总抽样框")
    intake.add_argument("folder", metavar="DIR", help="存放各单位压缩包（.zip）的文件夹")
    intake.add_argument("--passwords", required=True, metavar="FILE", help="密码表（.xlsx或.csv，列：压缩包、密码，可加单位、类别）")
    intake.add_argument("--out", required=True, metavar="OUT", help="输出文件夹：收件情况.xlsx、汇总_附件N.xlsx")
    intake.add_argument("--json", action="store_true", help="每个压缩包输出一个JSON对象")
    intake.add_argument("--sample", type=int, metavar="N", help="每个单位每个抽样框按市分层抽取N人，写出抽样名单.xlsx")
    intake.add_argument("--seed", help="抽样种子（不给则随机生成并记录在名单上）；同一种子抽出同一名单")
    intake.set_defaults(run=cmd_intake)


def cmd_intake(args: argparse.Namespace) -> int:
    if args.sample is not None and args.sample < 1:
        print("--sample 须为正整数（每个单位每个抽样框抽取的人数）。", file=sys.stderr)
        return EXIT_UNREADABLE
    seed = args.seed if args.seed is not None else str(secrets.randbelow(10**8))
    try:
        book = read_passwords(args.passwords)
        out_folder(args.out)
        reports, batch = receive_all(args.folder, book)
        written = write_outputs(args.out, batch, (args.sample, seed) if args.sample else None,
                                expected=book.entries)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        print(json.dumps([r.to_json(batch.cross(r.department) if r.submission else []) for r in reports],
                         ensure_ascii=False, indent=1))
    else:
        for r in reports:
            later = f"（已被后收到的{r.replaced_by}替代）" if r.replaced_by else ""
            print(f"{r.archive}：{r.department or '（单位不明）'}　{STATUS_LABELS[r.status]}　{r.message}{later}")
    print(f"已写出：{written.status}" + "".join(f"、{p.name}" for p in written.merged), file=sys.stderr)
    if written.call_list is not None:
        print(f"抽样名单：{written.call_list}（种子 {seed}）", file=sys.stderr)
    # an archive replaced by a corrected one from the same department no longer counts
    return EXIT_OK if all(r.status is Status.OK for r in batch.reports()) else EXIT_PROBLEMS
