"""Fonts for our own PDF layout: the Windows fonts Word would use where present, stand-ins elsewhere.

Chinese characters and full-width marks are one em wide in every Chinese font (宋体, 仿宋, 黑体,
WenQuanYi, AR PL UMing), so the line breaks, and so the page count, do not depend on which of them
is found. Latin letters and digits are set in Times (the PDF base font, metrics of Times New Roman),
as the .docx sets them in Times New Roman (embedded from times.ttf or its metric twin Liberation
Serif where found). Every font file used is embedded, so the PDF prints the same on any machine.

A mark of the GB2312 set that a stand-in draws narrower than one em (· □ × ° in WenQuanYi) keeps
its glyph but gets the em advance 宋体 gives it; a character the chosen face lacks is drawn by the
next Chinese face found that has it. Only where no Chinese font file is found at all does the PDF
fall back to Adobe's STSong-Light CID font (metrics ship with reportlab, glyphs from the reader).
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
LATIN_FILES = {False: ("times.ttf", "LiberationSerif-Regular.ttf", "Tinos-Regular.ttf"),
               True: ("timesbd.ttf", "LiberationSerif-Bold.ttf", "Tinos-Bold.ttf")}
BASE_LATIN = {False: "Times-Roman", True: "Times-Bold"}


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


def _register(path: Path, name: str, em_marks: bool) -> str | None:
    """Register a TrueType file under `name`; with `em_marks`, every character set in the Chinese
    font gets an advance of one em, as 宋体 has (the glyph is kept, the PDF's /Widths say 1000)."""
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except (TTFError, OSError):
        return None
    if em_marks:
        widths = font.face.charWidths
        for code in list(widths):
            if widths[code] != 1000 and uses_cjk_font(chr(code)):
                widths[code] = 1000
    pdfmetrics.registerFont(font)
    return name


@cache
def cjk_faces(key: str) -> tuple[str, ...]:
    """The registered Chinese faces for typeface `key` of FONTS, best first: its own files, then every
    other Chinese font file found (for the characters the first one lacks)."""
    files = _font_files()
    wanted = [*FONTS[key].pdf_files, *(f for spec in FONTS.values() for f in spec.pdf_files)]
    names: list[str] = []
    for file_name in dict.fromkeys(wanted):
        path = files.get(file_name.lower())
        name = _register(path, f"baosong-{path.stem}", em_marks=True) if path else None
        if name and name not in names:
            names.append(name)
    return tuple(names)


@cache
def cjk_font(key: str) -> str:
    """The reportlab font name for typeface `key` of FONTS: the first font file found, else the CID font."""
    faces = cjk_faces(key)
    return faces[0] if faces else cid_font()


@cache
def latin_font(bold: bool = False) -> str:
    """Times New Roman (or its metric twin) from a file, embedded; the PDF's base Times where none is found."""
    files = _font_files()
    for file_name in LATIN_FILES[bold]:
        path = files.get(file_name.lower())
        name = _register(path, f"baosong-{path.stem}", em_marks=False) if path else None
        if name:
            return name
    return BASE_LATIN[bold]


@cache
def cid_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def has_glyph(char: str, font_name: str) -> bool:
    """Whether the font draws `char` (the CID font is taken to draw every Chinese character)."""
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    return face is None or not hasattr(face, "charToGlyph") or ord(char) in face.charToGlyph


@cache
def font_for(char: str, cjk: str, key: str = "song") -> str:
    """Which font draws `char`: Times for Latin, the paragraph's Chinese face `cjk` for Chinese, else
    the first other Chinese face found that has the glyph, else the CID font."""
    if not uses_cjk_font(char):
        return latin_font()
    for name in (cjk, *cjk_faces(key)):
        if has_glyph(char, name):
            return name
    return cid_font()
