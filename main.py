"""报送助手 entry point. No arguments (or a .baosong file): the window. A subcommand: the same work headless."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

# The subcommands, named here so that starting the window imports none of the headless machinery.
COMMANDS = ("check", "new", "import", "export", "bundle", "intake", "backup", "agree")


def cli_extensions() -> list[Callable[[Any], None]]:
    """The subcommands of the layers above forms/ (and of the office's side), added to cli.commands' own."""
    from cli.agree import add_agree
    from cli.bundle import add_bundle
    from cli.intake import add_intake

    return [add_bundle, add_intake, add_agree]


def main(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS and sys.stdout is None:  # the windowed baosong.exe has no console:
        import os  # its CLI twin is baosong-cli.exe; here the output goes nowhere rather than crashing

        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        from cli.commands import run

        return run(argv, extensions=cli_extensions())
    from gui.platform_libs import check

    missing = check()
    if missing:  # before QApplication: Qt would abort naming another library
        print(missing, file=sys.stderr)
        return 1
    from gui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
