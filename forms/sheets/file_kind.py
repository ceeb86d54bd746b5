"""What a clerk's table file really is, from its first bytes, whatever its name says.

Business systems export "Excel" files that are web pages or Excel 2003 XML, and a .csv renamed .xlsx (or
an .xlsx renamed .csv) is common: each is read for what it is, or refused with the way to convert it.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Literal

Kind = Literal["zip", "ole", "html", "xml2003", "text", "other"]
HEAD = 65536  # the bytes read to decide
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<table|<meta|<head|<body|mime-version:)", re.I)
_XML2003 = b"urn:schemas-microsoft-com:office:spreadsheet"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

HTML_MESSAGE = ("文件“{name}”其实是网页（HTML）格式，不是真正的Excel文件（一些业务系统导出的“Excel”就是这样）。"
                "请用Excel打开它，点“文件→另存为”，选择“Excel工作簿(*.xlsx)”保存后再导入。")
XML2003_MESSAGE = ("文件“{name}”是Excel 2003 XML表格格式，程序无法直接读取。请用Excel或WPS打开它，"
                   "另存为“Excel工作簿(*.xlsx)”后再导入。")
TEXT_AS_BOOK = ("文件“{name}”的扩展名是{suffix}，内容却是CSV文本表格，已按CSV读取。"
                "建议把扩展名改为.csv，或用Excel打开后另存为.xlsx，以免别人打不开。")
BOOK_AS_TEXT = ("文件“{name}”的扩展名是{suffix}，内容却是Excel工作簿，已按工作簿读取。"
                "建议把扩展名改为.xlsx（或.xls），以免别人打不开。")


def kind_of(head: bytes) -> Kind:
    """The format of a file starting with `head` (its first HEAD bytes)."""
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    body = head.removeprefix(codecs.BOM_UTF8)
    if _HTML.match(body):
        return "html"
    if body.lstrip().startswith(b"<?xml") and _XML2003 in head:
        return "xml2003"
    return "text" if _looks_like_text(head) else "other"


def read_head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(HEAD)


def _looks_like_text(head: bytes) -> bool:
    """Decodable (UTF-16 with a BOM, UTF-8 or GB18030), hardly a control character, and split by a
    delimiter: a table saved as text."""
    text = _decoded(head)
    if text is None or not text.strip():
        return False
    return len(_CONTROL.findall(text)) * 100 <= len(text) and any(d in text for d in (",", "\t", ";"))


def _decoded(head: bytes) -> str | None:
    encodings = ("utf-16",) if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:  # incrementally: the head may end inside a character
            return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return None
