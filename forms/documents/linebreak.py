"""Where the lines of a Chinese paragraph break: the one rule set of our PDF layout.

Word and WPS (and LibreOffice, when the .docx turns hanging punctuation off, as ours does) break a
line of Chinese text before the character that no longer fits, with two corrections (避头尾):
- a closing mark (，。、；：？！”）》…) never starts a line: the character before it goes down with it;
- an opening mark (“（《…) never ends a line: it goes down to the next line.
Nothing hangs in the margin, so no 。 sticks out over a table's border. A run of Latin letters or
digits breaks at a space or where it meets Chinese text, as a word.
"""

from __future__ import annotations

from collections.abc import Sequence

from forms.documents.model import NO_LINE_END, NO_LINE_START, uses_cjk_font

FUZZ = 1e-6


def _word_start(chars: Sequence[str], start: int, end: int) -> int:
    """Where the Latin word cut at `end` starts (after a space or a Chinese character); `end` itself
    when the cut falls between Chinese characters or the word fills more than half the line."""
    if end >= len(chars) or uses_cjk_font(chars[end]) or chars[end] == " " or uses_cjk_font(chars[end - 1]):
        return end
    for index in range(end - 1, (start + end) // 2, -1):
        if chars[index] == " " or uses_cjk_font(chars[index]):
            return index + 1
    return end


def _settle(chars: Sequence[str], start: int, end: int) -> int:
    """The cut moved back until the next line starts with no closing mark and this one ends with no
    opening mark, keeping at least one character on the line."""
    end = _word_start(chars, start, end)
    while end - 1 > start and end < len(chars) and chars[end] in NO_LINE_START:
        end -= 1
    while end - 1 > start and chars[end - 1] in NO_LINE_END:
        end -= 1
    return end


def line_ends(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float]) -> list[int]:
    """The end index (exclusive) of each line of `chars` set in lines of `max_widths` (the last one
    repeats). Spaces at the start of a wrapped line are kept on the line before (as Word does)."""
    ends: list[int] = []
    start = index = 0
    used = 0.0
    while index < len(chars):
        used += widths[index]
        index += 1
        limit = max_widths[min(len(ends), len(max_widths) - 1)]
        if used <= limit + FUZZ or index - 1 <= start:
            continue
        end = _settle(chars, start, index - 1)
        while end < len(chars) and chars[end] == " ":
            end += 1
        ends.append(end)
        start = index = end
        used = 0.0
    if start < len(chars) or not ends:
        ends.append(len(chars))
    return ends
