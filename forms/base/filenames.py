"""Every name that goes into a file path (a department, a work item, an archive), made safe in one place.

What a clerk types is text, not a path: a ``/`` or ``..`` must not leave the chosen folder, a name Windows
refuses (``CON``, ``NUL``, ``COM1``, a trailing dot or space, ``: * ? " < > |``, a control character) must not
make a file that cannot be opened or deleted, and a long name must fit the file system's 255-byte limit.
The characters Windows forbids become their full-width twins (``征地/安置`` → ``征地／安置``), so the name
still reads as typed; invisible format characters (zero-width, bidi overrides that could disguise a
``.xlsx`` as something else) are dropped. Two deliverables never share a file name: `UniqueNames` hands
out ``…（2）.xlsx`` for the second, in the order the deliverables are written (so the same workspace
always gives the same names). Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_NAME_BYTES = 200  # under the 255-byte limit (UTF-8 on Linux, 255 UTF-16 units on Windows), leaving
# room for what is added later: ``_未完成`` (10 bytes), ``（12）`` (10), a hidden temp prefix and ``.part``
MAX_PART_BYTES = 90  # one department or work item: 30 Chinese characters, enough for any real name

_FULL_WIDTH = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂",
                             "<": "＜", ">": "＞", "|": "｜"})
_DEVICE = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format (zero-width, bidi), surrogate, private, unassigned
_SPACES = re.compile(r"\s+")


def safe_part(text: str, max_bytes: int = MAX_PART_BYTES) -> str:
    """One piece of a file name: one line, no separator or character Windows refuses, no leading or trailing
    dot or space, at most `max_bytes` in UTF-8 (cut at a character). May be empty: the caller decides."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text))
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED).translate(_FULL_WIDTH)
    return _cut(text.strip(" ."), max_bytes).strip(" .")


def safe_file_name(name: str, max_bytes: int = MAX_NAME_BYTES, fallback: str = "未命名") -> str:
    """A whole file name ``stem.suffix`` made safe: every character, the stem not a device name, the length."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not 0 < len(suffix) <= 8 or not suffix.isalnum():
        stem, suffix = name, ""
    suffix = f".{safe_part(suffix)}" if suffix else ""
    stem = _cut_middle(safe_part(stem, 1 << 30), max_bytes - len(suffix.encode()))
    stem = stem or fallback
    if _DEVICE.match(stem.split(".")[0].rstrip(" ")):
        stem = f"_{stem}"
    return stem + suffix


def split(name: str) -> tuple[str, str]:
    """``附件3_x.xlsx`` → (``附件3_x``, ``.xlsx``)."""
    stem, dot, suffix = name.rpartition(".")
    return (stem, f".{suffix}") if dot and stem else (name, "")


class UniqueNames:
    """Hands out the file names of one folder, never the same one twice: Windows compares names without
    regard to case, and a second ``附件3_…_安置评价抽样框.xlsx`` would silently replace the first."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, name: str) -> str:
        name = safe_file_name(name)
        stem, suffix = split(name)
        candidate, n = name, 2
        while _key(candidate) in self._taken:
            candidate = f"{stem}（{n}）{suffix}"
            n += 1
        self._taken.add(_key(candidate))
        return candidate


def unique(names: Iterable[str]) -> list[str]:
    """The names made safe and distinct, in order (the first keeps its name)."""
    claims = UniqueNames()
    return [claims.claim(name) for name in names]


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _cut_middle(text: str, max_bytes: int) -> str:
    """A stem too long cut in its middle (…): its start says which deliverable, its end says `_未完成` and what
    kind of file, and a department and a work item of 30 characters each would otherwise cut off both."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    keep = max_bytes - len("…".encode())
    head = keep * 2 // 5
    return (data[:head].decode("utf-8", "ignore").rstrip(" .") + "…"
            + data[len(data) - (keep - head):].decode("utf-8", "ignore").lstrip(" "))


def _cut(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= max_bytes else data[:max_bytes].decode("utf-8", "ignore")
