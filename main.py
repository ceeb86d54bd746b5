"""报送助手 entry point. No arguments (or a .baosong file): the window. A subcommand: the same work headless."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from forms.cli import COMMANDS, run

    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        from packaging.commands import add_bundle

        return run(argv, extensions=[add_bundle])
    from gui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
