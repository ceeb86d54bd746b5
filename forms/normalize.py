"""Normalisers: what clerks type, made canonical, with the raw text kept beside it.

Parse, don't raise: each normaliser returns a `Norm` (the value, plus a note when the text shows a
problem normalising cannot fix, such as a mobile whose digits Excel rounded away).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

_DASHES = "-‐‑‒–—―－﹣"
_SPACES = " \t\u3000\u00a0\r\n"
_STRIP_IN_NUMBERS = str.maketrans("", "", _DASHES + _SPACES + "()（）")
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", ".": "·", "‧": "·", "∙": "·"})
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
    """Full-width letters, digits and punctuation to half-width; trims ends."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def _numeric_text(text: str) -> str:
    """A number as typed: half-width, without spaces, dashes or brackets, without Excel's trailing `.0`."""
    digits = halfwidth(text).translate(_STRIP_IN_NUMBERS)
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


def _plain_digits(low: int, high: int) -> Callable[[str], bool]:
    return lambda cell: cell.isascii() and cell.isdigit() and low <= len(cell) <= high


def _plain_text(cell: str) -> bool:
    if cell.isascii():
        return cell == cell.strip() and "  " not in cell
    return unicodedata.is_normalized("NFKC", cell) and " " not in cell and "\u3000" not in cell \
        and "\n" not in cell and "·" not in cell and "." not in cell


# Cells already in the form their normaliser gives (most of an import): kept as they are, cheaply.
_CANONICAL: dict[str, Callable[[str], bool]] = {
    "mobile": _plain_digits(11, 11), "landline": _plain_digits(7, 8), "postcode": _plain_digits(1, 12),
    "area_code": lambda cell: cell.startswith("0") and _plain_digits(3, 4)(cell),
    "serial": _plain_digits(1, 9), "gender": lambda cell: cell in ("男", "女"),
    "text": _plain_text, "name": lambda cell: not cell.isascii() and _plain_text(cell),
}


@dataclass(frozen=True, slots=True)
class NormalRow:
    """A row after normalising: values by column key and the notes normalising left."""

    values: dict[str, str]
    notes: tuple[tuple[str, Note], ...]  # (column key, note)


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


def normalize_rows(raws: Sequence[Mapping[str, str]], normalisers: Mapping[str, str]) -> list[NormalRow]:
    """`normalize_row` of many rows at once, column by column, each distinct cell normalised once.

    A cell that leaves a note or fills another column (a landline with its area code) sends its
    row through `normalize_row`, so the result is the same row by row."""
    keys = list(normalisers)
    columns = [_normalise_column([raw.get(key) or "" for raw in raws], normaliser)
               for key, normaliser in normalisers.items()]
    rows = [NormalRow(dict(zip(keys, values, strict=True)), ()) for values in zip(*columns, strict=True)]
    for column in columns:
        if None in column:
            for index, value in enumerate(column):
                if value is None:
                    rows[index] = normalize_row(raws[index], normalisers)
    return rows


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
