"""Normalisers: what clerks type, made canonical, with the raw text kept beside it.

Parse, don't raise: each normaliser returns a `Norm` (the value, plus a note when the text shows a
problem normalising cannot fix, such as a mobile whose digits Excel rounded away).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any

from forms.base import records

_DASHES = "-‐‑‒–—―－﹣"
_SPACES = " \t\u3000\u00a0\r\n"
_STRIP_IN_NUMBERS = str.maketrans("", "", _DASHES + _SPACES + "()（）")
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", ".": "·", "‧": "·", "∙": "·"})
# Characters that show as nothing (zero-width spaces and joiners, bidi controls, BOM, soft hyphen): pasted
# from web pages and chat, they make two equal names differ and a number fail. Dropped by every normaliser.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
_DROP_INVISIBLE = str.maketrans("", "", INVISIBLE)
HAS_INVISIBLE = re.compile(f"[{INVISIBLE}]").search
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
_LANDLINE_WITH_CODE = re.compile(r"^(0\d{2,3})(\d{7,8})$")
_THREE_DIGIT_CODES = ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029")


@dataclass(frozen=True, slots=True)
class Note:
    """A problem seen while normalising: the finding code it becomes and why."""

    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Norm:
    value: str
    note: Note | None = None
    extra: tuple[tuple[str, str], ...] = ()  # other columns this cell fills, e.g. the area code of a landline


def halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width, invisible characters dropped; trims ends."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text.translate(_DROP_INVISIBLE)).strip()


def _numeric_text(text: str) -> str:
    """A number as typed: half-width, without spaces, dashes or brackets, without Excel's trailing `.0`."""
    digits = halfwidth(text).translate(_STRIP_IN_NUMBERS)
    if not digits.isalnum():  # any white space left (a form feed, a tab) goes too: "0\f)" is "0"
        digits = "".join(digits.split())
    if not digits.isascii():  # removing spaces can let combining marks compose: settle the form again
        digits = unicodedata.normalize("NFKC", digits)
    if digits.endswith(".0") and digits[:-2].isdigit():
        digits = digits[:-2]
    return digits


def text(raw: str) -> Norm:
    value = halfwidth(raw)
    if "  " in value or "\n" in value:
        value = " ".join(value.split())
    return Norm(value)


def name(raw: str) -> Norm:
    value = halfwidth(raw).translate(_NAME_DOTS)
    if not value.isascii():
        # Clerks pad two-character names with spaces (张  三); a Chinese name has no inner space.
        value = unicodedata.normalize("NFKC", "".join(value.split()))
    else:
        value = " ".join(value.split())
    return Norm(value)


_GENDERS = {
    "男": "男", "男性": "男", "男士": "男", "先生": "男", "m": "男", "male": "男", "man": "男", "1": "男",
    "女": "女", "女性": "女", "女士": "女", "小姐": "女", "f": "女", "female": "女", "woman": "女", "2": "女",
}


def gender(raw: str) -> Norm:
    value = halfwidth(raw)
    return Norm(_GENDERS.get(value.lower(), value))


def serial(raw: str) -> Norm:
    return Norm(_numeric_text(raw))


def area_code(raw: str) -> Norm:
    digits = _numeric_text(raw)
    if digits.isdigit() and len(digits) in (2, 3) and not digits.startswith("0"):
        digits = "0" + digits  # Excel dropped the 0 of a code typed as a number: 771 → 0771
    return Norm(digits)


def postcode(raw: str) -> Norm:
    return Norm(_numeric_text(raw))


def _lost_precision(digits: str) -> Note | None:
    if _SCIENTIFIC.match(digits):
        return Note("mobile-format", "被Excel显示成科学计数法，后几位数字已丢失，请按原始号码重新输入")
    return None


def _strip_country_code(digits: str) -> str:
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix):]
    return digits


def mobile(raw: str) -> Norm:
    digits = _numeric_text(raw)
    note = _lost_precision(digits)
    return Norm(digits if note else _strip_country_code(digits), note)


def split_landline(digits: str) -> tuple[str, str]:
    """`07722811111` → (`0772`, `2811111`); a number without a code → (``, number)."""
    if digits.startswith(_THREE_DIGIT_CODES) and len(digits) in (10, 11):
        return digits[:3], digits[3:]
    match = _LANDLINE_WITH_CODE.match(digits)
    if match and len(digits) in (11, 12):
        return match.group(1), match.group(2)
    return "", digits


def landline(raw: str) -> Norm:
    digits = _numeric_text(raw)
    note = _lost_precision(digits)
    if note:
        return Norm(digits, Note("landline-format", note.reason))
    code, number = split_landline(digits)
    return Norm(number, extra=(("area_code", code),) if code else ())


def boolean(raw: str) -> Norm:
    return Norm("1" if halfwidth(raw).lower() in ("1", "true", "是", "y", "yes") else "")


NORMALISERS: dict[str, Callable[[str], Norm]] = {
    "text": text, "name": name, "gender": gender, "serial": serial, "area_code": area_code,
    "postcode": postcode, "mobile": mobile, "landline": landline, "bool": boolean,
}


# Whether every cell of a column is already in the form its normaliser gives: most of an import is, and
# then the column is kept as it is, checked in C in one pass over the cells joined by newlines (no cell
# holds one). Each check is given the joined text and the cells.
AllCanonical = Callable[[str, Collection[str]], object]


def _all_digits(low: int, high: int, lead: str = "") -> AllCanonical:
    cell = f"(?:{lead}[0-9]{{{low - len(lead)},{high - len(lead)}}})?"
    fullmatch = re.compile(rf"{cell}(?:\n{cell})*").fullmatch
    return lambda joined, _cells: fullmatch(joined)


_SPACE = re.compile(r"[^\S\n]").search
_NOT_A_PLAIN_NAME = re.compile(r"[^\S\n]|[.•・．‧∙·]|^[\x00-\x7f]+$", re.MULTILINE)
_FIRST, _LAST = itemgetter(slice(None, 1)), itemgetter(slice(-1, None))


def _all_text(joined: str, cells: Collection[str]) -> bool:
    """No double space, no space at either end of a cell (looked for in the cells' end characters only: a
    regex for spaces at line ends over the joined text scans every character, 47 ms per 50 000 units)."""
    edges = "".join(map(_FIRST, cells)) + "".join(map(_LAST, cells))
    return ("  " not in joined and not _SPACE(edges) and unicodedata.is_normalized("NFKC", joined)
            and (joined.isascii() or not HAS_INVISIBLE(joined)))


def _all_names(joined: str, _cells: Collection[str]) -> bool:
    return (not _NOT_A_PLAIN_NAME.search(joined) and unicodedata.is_normalized("NFKC", joined)
            and not HAS_INVISIBLE(joined))


_ALL_GENDERS = re.compile(r"[男女]?(?:\n[男女]?)*").fullmatch
_ALL_CANONICAL: dict[str, AllCanonical] = {
    # a mobile of 12 digits is an exported non-Nanning one (0 + 11): mobile() leaves every 11–12-digit cell as it is
    "mobile": _all_digits(11, 12), "landline": _all_digits(7, 8), "postcode": _all_digits(1, 12),
    "area_code": _all_digits(3, 4, lead="0"), "serial": _all_digits(1, 9),
    "gender": lambda joined, _cells: _ALL_GENDERS(joined), "text": _all_text, "name": _all_names,
}


def _canonical_column(cells: list[str], normaliser: str) -> bool:
    check = _ALL_CANONICAL.get(normaliser)
    if check is None:
        return False
    distinct = set(cells) if len(set(cells[:64])) < 32 else cells  # few values (性别, 区号): each once
    joined = "\n".join(distinct)
    return joined.count("\n") == len(distinct) - 1 and bool(check(joined, distinct)) if distinct else True


def _canonical_cell(check: AllCanonical) -> Callable[[str], bool]:
    return lambda cell: "\n" not in cell and bool(check(cell, (cell,)))


_CANONICAL: dict[str, Callable[[str], bool]] = {name: _canonical_cell(check) for name, check in _ALL_CANONICAL.items()}


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to make, and imports make 50 000
class NormalRow:
    """A row after normalising: values by column key and the notes normalising left."""

    values: dict[str, str]
    notes: tuple[tuple[str, Note], ...]  # (column key, note)
    as_typed: bool = field(default=False, compare=False)  # True: every cell was already its value


def normalize_row(raw: Mapping[str, str], normalisers: Mapping[str, str]) -> NormalRow:
    """Normalise every cell of `raw` with the normaliser named per column key; split cells fill others."""
    values: dict[str, str] = {}
    notes: list[tuple[str, Note]] = []
    extras: list[tuple[str, str]] = []
    for key, normaliser in normalisers.items():
        cell = raw.get(key) or ""
        canonical = _CANONICAL.get(normaliser)
        if not cell or (canonical and canonical(cell)):
            values[key] = cell
            continue
        result = NORMALISERS[normaliser](cell)
        values[key] = result.value
        if result.note:
            notes.append((key, result.note))
        extras.extend(result.extra)
    for key, value in extras:
        if not values.get(key):
            values[key] = NORMALISERS["area_code"](value).value
    return NormalRow(values, tuple(notes))


@dataclass(slots=True)
class NormalBatch:
    """Rows normalised together, with their values also as columns (as the workspace stores them)."""

    rows: list[NormalRow]
    columns: dict[str, list[str]] | None  # each key's value in every row; None when a row has other keys


def normalize_rows(raws: Sequence[Mapping[str, str]], normalisers: Mapping[str, str]) -> list[NormalRow]:
    """`normalize_row` of many rows at once, column by column, each distinct cell normalised once."""
    return normalize_batch(raws, normalisers).rows


def normalize_batch(raws: Sequence[Mapping[str, str]], normalisers: Mapping[str, str]) -> NormalBatch:
    """`normalize_rows`, keeping the columns it works on.

    A cell that leaves a note or fills another column (a landline with its area code) sends its
    row through `normalize_row`, so the result is the same row by row."""
    keys = list(normalisers)
    changed: set[int] = set()
    columns: list[list[str] | list[str | None]] = []
    for normaliser, cells in zip(normalisers.values(), _cells_by_column(raws, keys), strict=True):
        values = cells if _canonical_column(cells, normaliser) else _normalise_column(cells, normaliser)
        if values is not cells:
            changed.update(i for i, (cell, value) in enumerate(zip(cells, values, strict=True)) if cell != value)
        columns.append(values)
    rows = list(map(NormalRow, map(records.maker(tuple(keys)), *columns), repeat(()), repeat(True)))
    redone: dict[int, NormalRow] = {}
    for index in changed:
        row = rows[index]
        if None in row.values.values():
            rows[index] = redone[index] = normalize_row(raws[index], normalisers)
        else:
            rows[index] = NormalRow(row.values, ())
    return NormalBatch(rows, _settled(dict(zip(keys, columns, strict=True)), redone))


def _settled(columns: dict[str, list[Any]], redone: dict[int, NormalRow]) -> dict[str, list[str]] | None:
    """The columns with the values of rows normalised one by one put in (copies: a column may be shared)."""
    if not redone:
        return columns
    if any(row.values.keys() != columns.keys() for row in redone.values()):
        return None
    settled = {key: list(column) for key, column in columns.items()}
    for index, row in redone.items():
        for key, value in row.values.items():
            settled[key][index] = value
    return settled


def _cells_by_column(raws: Sequence[Mapping[str, str]], keys: list[str]) -> list[list[str]]:
    """Each key's cell in every row ("" where missing or None). A table's own columns are taken as they are,
    and rows that all have the first row's keys (rows read from one sheet do) give theirs in C."""
    if isinstance(raws, records.Table):
        taken: dict[str, list[str]] | None = raws.columns
    else:
        taken = records.columns(raws, list(raws[0])) if raws else None
    if taken is None:
        return [[raw.get(key) or "" for raw in raws] for key in keys]
    blank = [""] * len(raws)
    return [_no_none(taken.get(key, blank)) for key in keys]


def _no_none(cells: list[str]) -> list[str]:
    return [cell or "" for cell in cells] if None in cells else cells


def _normalise_column(cells: list[str], normaliser: str) -> list[str | None]:
    """Each cell's normalised value; None where its row needs `normalize_row` (a note, a split cell)."""
    canonical = _CANONICAL.get(normaliser)
    convert = NORMALISERS[normaliser]

    def settle(cell: str) -> str | None:
        if canonical and canonical(cell):
            return cell
        result = convert(cell)
        return result.value if result.note is None and not result.extra else None

    seen: dict[str, str | None] = {"": ""}
    return [seen[cell] if cell in seen else seen.setdefault(cell, settle(cell)) for cell in cells]
