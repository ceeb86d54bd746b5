"""Fonts for our own PDF layout: the Windows fonts Word would use where present, stand-ins elsewhere.

Chinese characters and full-width marks are one em wide in every Chinese font (宋体, 仿宋, 黑体,
WenQuanYi, AR PL UMing), so the line breaks, and so the page count, do not depend on which of them
is found. Latin letters and digits are set in Times (the PDF base font, metrics of Times New Roman),
as the .docx sets them in Times New Roman. Where no Chinese font file is found at all, the PDF
falls back to Adobe's STSong-Light CID font, which needs no file (its metrics ship with reportlab).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from forms.documents.model import FONTS, uses_cjk_font

CID_FONT = "STSong-Light"
LATIN = "Times-Roman"
LATIN_BOLD = "Times-Bold"


def font_dirs() -> list[Path]:
    """Where the system keeps its fonts, on Windows, macOS and Linux."""
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        local = os.environ.get("LOCALAPPDATA", str(home / "AppData" / "Local"))
        return [Path(windir, "Fonts"), Path(local, "Microsoft", "Windows", "Fonts")]
    if sys.platform == "darwin":
        return [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    return [home / ".fonts", home / ".local" / "share" / "fonts", Path("/usr/local/share/fonts"),
            Path("/usr/share/fonts")]


@cache
def _font_files() -> dict[str, Path]:
    """Font files by lower-cased file name (first one found wins)."""
    found: dict[str, Path] = {}
    for folder in font_dirs():
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                found.setdefault(name.lower(), Path(root, name))
    return found


@cache
def cjk_font(key: str) -> str:
    """The reportlab font name for typeface `key` of FONTS: the first font file found, else the CID font."""
    files = _font_files()
    for file_name in FONTS[key].pdf_files:
        path = files.get(file_name.lower())
        if path is None:
            continue
        name = f"baosong-{path.stem}"
        try:
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
            return name
        except TTFError:
            continue
    return cid_font()


@cache
def cid_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _em_glyph(char: str, font_name: str) -> bool:
    """Whether the font draws `char` one em wide (the CID font does every Chinese character)."""
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    if face is not None and hasattr(face, "charToGlyph") and ord(char) not in face.charToGlyph:
        return False
    return pdfmetrics.stringWidth(char, font_name, 1000) == 1000


@cache
def font_for(char: str, cjk: str) -> str:
    """Which font draws `char`: Times for Latin, the Chinese font for Chinese, and the CID font for a
    full-width mark that the Chinese font lacks or draws narrower than one em (· □ in WenQuanYi),
    so that every character set in the Chinese font is one em wide, as in 宋体."""
    if not uses_cjk_font(char):
        return LATIN
    if _em_glyph(char, cjk):
        return cjk
    return cid_font()
