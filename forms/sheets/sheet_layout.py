"""Where a sheet's header is, which column of a frame each header cell names, and which attachment
(附件2–7) the sheet is.

Works on cell texts only: forms.sheets.excel_in reads the file and calls these. Header texts are compared
loosely (full-width or half-width, spaces, `*` and brackets ignored, the aliases of each column too).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from forms.notice.attachments import FRAME_FORMS, Role

HEADER_SCAN = 15  # the header row is looked for in the first rows only
ADDRESS_HINT = "address"  # pseudo-key for `recognise`: the 单位 header asks for an address (附件2/4/6)
CORE_KEYS = ("name", "gender", "unit", "title")  # columns every frame has; without them nothing fits
_FORM_ORDER = tuple(FRAME_FORMS)


_HEADER_TRANS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "*": None, "※": None})
_PAREN_RE = re.compile(r"\([^)]*\)")


def _norm_header(text: str) -> str:
    """Header text compared: NFKC (full-width → half-width), no whitespace, no markers, case-folded."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return text.translate(_HEADER_TRANS).casefold().rstrip(":.")


def _lookup(forms: Iterable[str]) -> dict[str, str]:
    """Normalised header text or alias → column key; the first mention wins."""
    found = [(_norm_header(t), c.key) for n in forms for c in FRAME_FORMS[n].columns for t in (c.header, *c.aliases)]
    return dict(reversed(found))


_ALL_HEADERS = _lookup(_FORM_ORDER)
_FORM_HEADERS = {number: _lookup((number,)) for number in _FORM_ORDER}
assert not any(text.isdigit() for text in _ALL_HEADERS), "map_header skips cells of digits only"


def _header_key(text: str, table: dict[str, str]) -> str | None:
    norm = _norm_header(text)
    key = table.get(norm)
    return table.get(_PAREN_RE.sub("", norm)) if key is None and "(" in norm else key  # 手机号码(11位)


def map_header(cells: list[str], form_hint: str | None = None) -> dict[int, str]:
    """Column index → column key for the cells that name a known column (of `form_hint` if given).

    A key is taken by its first column only, except 单位: a separate 地址 column joins it.
    """
    table = _FORM_HEADERS.get(form_hint or "", _ALL_HEADERS)
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        key = _header_key(cell, table) if cell and not cell.isdigit() else None  # (a data row's 序号, phones)
        if key is not None and (key == "unit" or key not in mapping.values()):
            mapping[index] = key
    return mapping


def find_header(rows: list[list[str]], form_hint: str | None = None) -> tuple[int, dict[int, str]] | None:
    """0-based index of the header row (the lower row of a two-row header) and its mapping, or None."""
    found = locate_header(rows, form_hint)
    return None if found is None else (found[1], found[2])


def locate_header(rows: list[list[str]], hint: str | None) -> tuple[int, int, dict[int, str]] | None:
    """(top row, bottom row, mapping): the best-scoring row, merged with a sub-header row next to it."""
    best: tuple[int, dict[int, str]] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN]):
        if best is not None and _most_mapped(cells) <= len(best[1]):
            continue  # it cannot beat the best (a data row below the header): its cells need no normalising
        mapping = map_header(cells, hint)
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
    if best is None:
        return None
    index, mapping = best
    top = bottom = index
    for other in (index - 1, index + 1):
        if 0 <= other < len(rows):
            extra = map_header(rows[other], hint)
            if extra and not set(extra) & set(mapping) and not set(extra.values()) & set(mapping.values()):
                mapping = dict(sorted({**mapping, **extra}.items()))
                top, bottom = min(top, other), max(bottom, other)
    return top, bottom, mapping


def _most_mapped(cells: list[str]) -> int:
    """The most columns map_header could find in a row: one per cell that is neither empty nor digits."""
    return sum(1 for cell in cells if cell and not cell.isdigit())


_KIND_WORDS = (("人民政府直属行政机构", "gov"), ("政府部门", "gov"), ("党委群团", "party"), ("党群", "party"),
               ("参照公务员法", "pub"), ("参公", "pub"))
_SYSTEM_WORDS = ("两级干部", "系统市", "系统干部", "干部评价", "干部调查", "干部职工")
_HOT_WORDS = ("工作评价", "热点", "难点")
_CN_DIGITS = str.maketrans("二三四五六七", "234567")
_ATTACHMENT_RE = re.compile(r"附件\s*([2-7])(?![0-9])")


def _title_forms(title: str) -> set[str]:
    """Forms a title allows: its body kind and 系统…干部 / …工作评价 narrow the six down."""
    text = "".join(unicodedata.normalize("NFKC", title).split())
    kinds = {kind for word, kind in _KIND_WORDS if word in text}
    system = any(word in text for word in _SYSTEM_WORDS)
    hot = any(word in text for word in _HOT_WORDS)
    role = Role.SYSTEM if system and not hot else Role.HOT if hot and not system else None
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind is None and role is None:
        return set()
    return {n for n, f in FRAME_FORMS.items() if kind in (None, f.kind) and role in (None, f.role)}


def _named_forms(name: str) -> set[str]:
    """Forms named by `附件N` in a file name, sheet name or title (附件３, 附件三 too)."""
    text = unicodedata.normalize("NFKC", name).translate(_CN_DIGITS)
    return set(_ATTACHMENT_RE.findall(text))


def _column_forms(keys: set[str]) -> set[str]:
    if "postcode" in keys:
        return {"2", "4"}
    if ADDRESS_HINT in keys:
        return {n for n, f in FRAME_FORMS.items() if f.role is Role.SYSTEM}
    return {n for n, f in FRAME_FORMS.items() if not f.has_postcode}


def recognise(title: str, file_name: str, sheet_name: str, keys: set[str],
              form: str | None = None) -> tuple[str | None, tuple[str, ...]]:
    """(form, candidates): `form` settles it; else the title, then `附件N` in the names, then the columns.

    Weaker evidence only narrows what stronger evidence left, never contradicts it. `keys` are the
    mapped column keys, plus ADDRESS_HINT when the 单位 header asks for an address. Columns that
    lack 姓名/性别/单位/职务 fit no form: (None, ()).
    """
    if form is not None:
        return form, (form,)
    return recognise_names(title, (title, sheet_name, file_name), keys)


def recognise_names(title: str, names: Sequence[str], keys: set[str]) -> tuple[str | None, tuple[str, ...]]:
    """`recognise` without a given form, `附件N` looked for in each of `names` in turn."""
    if not set(CORE_KEYS) <= keys:
        return None, ()
    evidence = [_title_forms(title), *(_named_forms(n) for n in names), _column_forms(keys)]
    forms = set(_FORM_ORDER)
    for allowed in evidence:
        if forms & allowed:
            forms &= allowed
    ordered = tuple(n for n in _FORM_ORDER if n in forms)
    return (ordered[0] if len(ordered) == 1 else None), ordered
