"""Hostile spreadsheets made byte by byte: a sound frame first, then its sheet XML or zip tampered with."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["序号", "姓名", "性别", "单位", "职务", "区号", "办公电话", "手机号码", "备注"]
ROW = [1, "张三", "男", "南宁市民族大道1号", "科长", "0771", "2811111", "13877112345", ""]
MEMORY_LIMIT = 1536 << 20  # the bound on a check's peak memory


def frame(path: Path, rows: int = 1, sheets: dict[str, list[list[object]]] | None = None,
          hidden: tuple[str, ...] = ()) -> Path:
    """A 附件3 workbook with `rows` data rows (more sheets as given, some hidden)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "附件3"
    ws.append(["2015年度自治区XX部门XX工作评价抽样框(政府部门)"])
    ws.append(HEADER)
    for n in range(rows):
        ws.append([n + 1, name(n), "男", "南宁市民族大道1号", "科长", "0771", "2811111", f"1387711{n % 10000:04d}", ""])
    for title, data in (sheets or {}).items():
        extra = wb.create_sheet(title)
        for line in data:
            extra.append(line)
        if title in hidden:
            extra.sheet_state = "hidden"
    wb.save(path)
    return path


def name(n: int) -> str:
    """A different Chinese name for each n below 8 000."""
    return "王李张刘陈杨黄赵"[n % 8] + "伟芳娜敏静丽强磊军洋"[n // 8 % 10] + "一二三四五六七八九十"[n // 80 % 10] * (1 + n // 800)


def patch_sheet(path: Path, edit: object, member: str = "xl/worksheets/sheet1.xml") -> Path:
    """Rewrite one member of the package through `edit(bytes) -> bytes`."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info.filename, edit(data) if info.filename == member else data)  # type: ignore[operator]
    return path


def with_cell(path: Path, ref: str, xml: str = '<is><t>x</t></is>', kind: str = ' t="inlineStr"') -> Path:
    """The sheet with one more cell at `ref` (in its own row, at the end)."""
    row = re.sub(r"\D", "", ref)
    cell = f'<row r="{row}"><c r="{ref}"{kind}>{xml}</c></row></sheetData>'.encode()
    return patch_sheet(path, lambda data: data.replace(b"</sheetData>", cell))


def limit_memory() -> None:
    """A child that tries to take more than the bound fails fast instead of swapping the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT * 2, MEMORY_LIMIT * 2))


def main_py(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process: an abort (exit 134) is a failed test, not a crashed pytest."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env, preexec_fn=limit_memory, input=stdin)


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2 with one clear Chinese message and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr[-2000:]
    for word in words:
        assert word in result.stderr, result.stderr[-2000:]


_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_string_frame(path: Path, rows: int, text: str, quote: str = '"') -> Path:
    """A 附件3 whose every data row's 备注 (column I) refers to one shared string, `text`: a small file that
    a reader which copies the string into every cell blows up to rows × len(text)."""
    frame(path, rows=rows)
    with zipfile.ZipFile(path) as src:
        items = {info.filename: src.read(info) for info in src.infolist()}
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    items["xl/sharedStrings.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://'
                                     'schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                                     f"<si><t>{escaped}</t></si></sst>").encode()
    reference = f'<c r="I\\2" t={quote}s{quote}><v>0</v></c>'.encode()
    items["xl/worksheets/sheet1.xml"] = re.sub(rb'(<c r="H([3-9]|[1-9][0-9]+)"[^>]*>.*?</c>)', rb"\1" + reference,
                                               items["xl/worksheets/sheet1.xml"])
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'.encode())
    items["xl/_rels/workbook.xml.rels"] = items["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdSst" Type="{_SST_REL}" Target="sharedStrings.xml"/>'
                             "</Relationships>".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member, data in items.items():
            out.writestr(member, data)
    return path
