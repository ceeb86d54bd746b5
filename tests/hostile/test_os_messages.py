"""A refusal by the system is said in Chinese, never in Python's English words ('File exists', 'Not a
directory'), and names the file."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from forms.base.file_errors import os_reason
from tests.hostile.files import assert_refused, main_py


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "部门.baosong"
    result = main_py("new", str(ws), "--department", "自治区测试厅", "--kind", "gov", "--category", "经济管理类")
    assert result.returncode == 0, result.stderr
    return ws


@pytest.mark.parametrize("out", ["一个文件.txt", "一个文件.txt/子文件夹"])
def test_export_into_a_file_instead_of_a_folder(tmp_path: Path, out: str) -> None:
    ws = _workspace(tmp_path)
    (tmp_path / "一个文件.txt").write_text("x", encoding="utf-8")
    result = main_py("export", str(ws), "--out", str(tmp_path / out))
    assert_refused(result, "文件")
    assert not any(word in result.stderr for word in ("File exists", "Not a directory", "Errno")), result.stderr


@pytest.mark.parametrize("number", [errno.ENOSPC, errno.EACCES, errno.EEXIST, errno.ENOTDIR, errno.EROFS, errno.EIO,
                                    errno.ENAMETOOLONG, errno.ENOENT])
def test_every_common_refusal_has_chinese_words(number: int) -> None:
    reason = os_reason(OSError(number, "English words", "x"))
    assert "English" not in reason and any("\u4e00" <= ch <= "\u9fff" for ch in reason)
