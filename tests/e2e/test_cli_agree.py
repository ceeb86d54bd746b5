"""`agree`: an agreement with the office recorded from the command line turns the frame's below-minimum into a
warning for `check` (as the window's record does), is listed, refused when incomplete, and withdrawn."""

from __future__ import annotations

import json
from pathlib import Path

from forms.store.workspace import Profile, Workspace
from tests.e2e.test_cli_bundle import clean_rows
from tests.e2e.test_cli_check import main_py


def short_workspace(tmp_path: Path) -> Path:
    path = tmp_path / "测试厅.baosong"
    with Workspace.create(path, Profile("自治区测试厅", "gov", "经济管理类", local_units=False)) as ws:
        ws.import_rows(ws.system_frame().id, clean_rows(30, 1000))
        hot = ws.add_hot_item("公路建设")
        ws.import_rows(hot.id, clean_rows(50, 5000))  # the minimum is far above 50
    return path


def minimum_finding(path: Path) -> dict[str, object]:
    result = main_py("check", str(path), "--json")
    return next(f for f in json.loads(result.stdout) if f["code"] == "below-minimum" and "公路建设" in f["sheet"])


def test_an_agreement_recorded_listed_and_withdrawn(tmp_path: Path) -> None:
    path = short_workspace(tmp_path)
    assert minimum_finding(path)["severity"] == "error"

    done = main_py("agree", str(path), "--form", "3", "--code", "below-minimum", "--with", "考评办二处 张科长",
                   "--on", "2015-11-10", "--note", "该项工作服务对象少")
    assert done.returncode == 0, done.stderr
    assert "已记录" in done.stdout and "50人" in done.stdout
    agreed = minimum_finding(path)
    assert agreed["severity"] == "warning" and "张科长" in str(agreed["message"])

    listed = main_py("agree", str(path), "--list")
    assert "附件3（公路建设）" in listed.stdout and "2015年11月10日" in listed.stdout

    withdrawn = main_py("agree", str(path), "--form", "3", "--code", "below-minimum", "--withdraw")
    assert withdrawn.returncode == 0 and minimum_finding(path)["severity"] == "error"


def test_an_incomplete_or_needless_agreement_is_refused_in_chinese(tmp_path: Path) -> None:
    path = short_workspace(tmp_path)
    for args, said in ((["--code", "below-minimum", "--on", "2015-11-10"], "请填写与考评办哪位同志协商"),
                       (["--code", "below-minimum", "--with", "张科长", "--on", "11/10"], "年-月-日"),
                       (["--code", "coverage", "--with", "张科长", "--on", "2015-11-10"], "没有这个问题")):
        result = main_py("agree", str(path), "--form", "3", *args)
        assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    missing = main_py("agree", str(path), "--form", "5", "--code", "coverage", "--with", "张", "--on", "2015-11-10")
    assert missing.returncode == 2 and "附件5" in missing.stderr
