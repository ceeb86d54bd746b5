"""README's test command is the one CI runs, and its two commands are still there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    return re.findall(r"```\n(.+?)\n```", (ROOT / "README.md").read_text("utf-8"))


def test_readme_has_a_start_and_a_test_command() -> None:
    commands = _readme_commands()
    assert any(c.endswith("python main.py") for c in commands)
    assert any(c.endswith("python -m pytest") for c in commands)


def test_ci_runs_readmes_test_command() -> None:
    test_command = next(c for c in _readme_commands() if c.endswith("python -m pytest"))
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test_command.split("&& ")[-1] in ci.splitlines()


def test_main_knows_every_subcommand() -> None:
    import argparse

    import main
    from cli.commands import build_parser

    parser = build_parser(main.cli_extensions())
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(main.COMMANDS) == set(actions[0].choices)
