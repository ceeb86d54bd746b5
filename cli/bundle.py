"""The `bundle` subcommand of main.py: the same bundle the window builds, for batch use and tests."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from forms.base.errors import UserError
from forms.store.workspace import Workspace
from packaging import credentials
from packaging.bundle import BundleOutcome, BundleRefused, build_bundle

EXIT_OK, EXIT_REFUSED, EXIT_FAILED = 0, 1, 2


def add_bundle(sub: Any) -> None:
    bundle = sub.add_parser("bundle", help="把抽样框打成加密压缩包，密码存入系统凭据管理器")
    bundle.add_argument("workspace")
    bundle.add_argument("--out", required=True)
    bundle.add_argument("--json", action="store_true")
    bundle.add_argument("--show-password", action="store_true", help="在屏幕上显示一次密码")
    bundle.add_argument("--accept-warnings", action="store_true", help="确认忽略尚未说明理由的提醒")
    bundle.add_argument("--keep-plain", action="store_true", help="保留未加密的Excel文件（有泄露风险）")
    bundle.add_argument("--overwrite", action="store_true", help="覆盖同名压缩包（会换新密码）")
    bundle.set_defaults(run=cmd_bundle)


def cmd_bundle(args: argparse.Namespace) -> int:
    problem = credentials.check_store()
    if problem and not args.show_password:
        print(f"{problem.message}\n如要继续，请加 --show-password，程序会显示一次密码供您抄下。", file=sys.stderr)
        return EXIT_FAILED
    try:
        with Workspace.open(args.workspace) as ws:
            outcome = build_bundle(ws, args.out, confirm_warnings=args.accept_warnings,
                                   keep_plain=args.keep_plain, overwrite=args.overwrite)
    except BundleRefused as exc:
        print("\n".join([exc.message, *exc.problems]), file=sys.stderr)
        return EXIT_REFUSED
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_FAILED
    _report(outcome, args)
    for line in outcome.retired:
        print(line, file=sys.stderr)
    for line in outcome.questionnaires_not_ready:
        print(f"注意：{line}（问卷随压缩包一起发送，发送前请补齐）", file=sys.stderr)
    return EXIT_OK


def _report(outcome: BundleOutcome, args: argparse.Namespace) -> None:
    if not outcome.stored.stored:
        print(outcome.stored.message, file=sys.stderr)
    for path in outcome.plain_left:
        print(f"注意：未加密的副本仍在 {path}，用完请删除。", file=sys.stderr)
    if args.json:
        data: dict[str, Any] = {
            "archive": str(outcome.archive.path), "sha256": outcome.archive.sha256,
            "size": outcome.archive.size,
            "members": [{"name": m.arcname, "sha256": m.sha256, "size": m.size} for m in outcome.archive.members],
            "keyring_service": outcome.stored.service, "keyring_user": outcome.stored.user,
            "password_kept": outcome.stored.stored,
        }
        if args.show_password:
            data["password"] = outcome.password
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    print(f"已生成并校验：{outcome.archive.path}（{outcome.archive.size} 字节，SHA-256 {outcome.archive.sha256}）")
    print(outcome.stored.message)
    if args.show_password:
        print(f"密码：{outcome.password}（连字符也是密码的一部分）")
