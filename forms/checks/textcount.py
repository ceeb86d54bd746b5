"""字数 as Word and WPS count it, for the 1400-字 limit of the performance analysis.

Word's 字数 (and WPS's) is the number of East Asian characters plus the number of non-Asian words:
- every CJK character (汉字, kana, hangul) and every full-width mark (，。、“”《》…—, full-width
  letters and digits, the symbols of the GB2312 set such as ① □ ℃ √) counts one;
- every run of other non-blank characters (Latin letters, digits, half-width punctuation around
  them, such as `2015`, `GDP`, `3.5%`) counts one, however long;
- blanks (spaces, tabs, line breaks, the ideographic space U+3000) count nothing and separate runs.
"""

from __future__ import annotations

import unicodedata

# Code point ranges whose characters are each one 字 on their own.
_WIDE_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),    # Hangul Jamo
    (0x2010, 0x2027),    # dashes, curly quotes, bullets, ellipsis as typed by Chinese input methods
    (0x2030, 0x205E),    # ‰ ′ ″ ※ and other general punctuation
    (0x2100, 0x22FF),    # ℃ № Ⅰ Ⅱ, arrows, √ ∶ and other signs of the GB2312 set
    (0x2460, 0x27BF),    # ① ⑴ ⒈, box drawing, □ ○ △ ☆, ☐ ✔ and other symbols
    (0x2E80, 0x2FDF),    # CJK radicals, Kangxi radicals
    (0x3001, 0x303F),    # CJK symbols and punctuation (U+3000, the ideographic space, is a blank)
    (0x3040, 0x31FF),    # kana, bopomofo, hangul compatibility jamo, CJK strokes
    (0x3200, 0x33FF),    # enclosed CJK letters, CJK compatibility
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xA960, 0xA97F),    # Hangul Jamo extended A
    (0xAC00, 0xD7FF),    # Hangul syllables and Jamo extended B
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFE10, 0xFE1F),    # vertical forms
    (0xFE30, 0xFE6F),    # CJK compatibility forms, small form variants
    (0xFF01, 0xFFEF),    # full-width ASCII variants, half-width katakana, full-width signs
    (0x20000, 0x3FFFF),  # CJK extensions B and beyond
)
# Marks of the Latin-1 block that Chinese input methods type as full-width: · × ÷ § ° ±
_WIDE_SINGLES = frozenset("·×÷§°±")


def is_wide(char: str) -> bool:
    """True for a character that counts one 字 by itself (a CJK character or a full-width mark)."""
    if char in _WIDE_SINGLES:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _WIDE_RANGES)


def is_blank(char: str) -> bool:
    """True for a character that counts nothing: spaces of every width, tabs, line breaks, format marks."""
    return char.isspace() or unicodedata.category(char) in ("Zs", "Zl", "Zp", "Cc", "Cf")


def count_chars(text: str) -> int:
    """字数 of `text` as Word/WPS count it: each wide character one, each run of other characters one."""
    count = 0
    in_run = False
    for char in text:
        if is_blank(char):
            in_run = False
        elif is_wide(char):
            count += 1
            in_run = False
        elif not in_run:
            count += 1
            in_run = True
    return count
