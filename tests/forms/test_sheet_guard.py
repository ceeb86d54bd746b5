"""The sheet guard finds a far cell however its reference is written, and its fast formula pretest misses no
formula without its result however its element is prefixed, and takes no footer for one."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from forms.sheets import sheet_guard
from forms.sheets.sheet_guard import _FORMULA_ONLY, _MAY_FORMULA, guard_xlsx
from tests.hostile.files import frame, patch_sheet, with_cell

PIECES = ['<c r="', "<x:c r='", ' r = "', " r=\n'", "r=", "=", '"', "'", " ", "\t", "A", "Z", "AA", "XFD", "1",
          "99999", "100000", "1048576", "<f>", "</f>", "<x:f ", "/>", ">", "<v/>", "</c>", "<firstFooter>", "f", ":"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
@example('<c r="B4"><f>A1</f></c>')
@example('<x:c r="B4"><x:f t="shared" si="0"/></x:c>')
def test_the_formula_pretest_misses_no_formula(text: str) -> None:
    block = text.encode()
    assert _MAY_FORMULA.search(block) or not _FORMULA_ONLY.findall(block)


def test_a_footer_is_no_formula() -> None:
    assert not _MAY_FORMULA.search(b"<headerFooter><oddFooter>&amp;P</oddFooter><firstFooter></firstFooter>")


def _stray(path: Path) -> list[str]:
    guarded = guard_xlsx(path, path.name)
    assert guarded is not None
    return [ref for scan in guarded.sheets.values() for ref in scan.stray]


def test_a_far_cell_written_oddly_is_still_found(tmp_path: Path) -> None:
    for n, (ref, quote, around) in enumerate([("XFD1048576", "'", ""), ("AAA5", '"', " "), ("I1048576", "'", "\n")]):
        path = with_cell(frame(tmp_path / f"{n}.xlsx", rows=2), ref)
        patch_sheet(path, lambda data, ref=ref, quote=quote, around=around: data.replace(
            f'r="{ref}"'.encode(), f"r{around}={around}{quote}{ref}{quote}".encode()))
        assert _stray(path) == [ref]


def test_a_formula_without_result_is_found_with_a_prefix_too(tmp_path: Path) -> None:
    path = frame(tmp_path / "a.xlsx", rows=2)
    patch_sheet(path, lambda data: data.replace(b'<c r="B4" t="inlineStr"><is><t>', b'<c r="B4"><f>A1</f></c><c r="Z9"'
                                                b' t="inlineStr"><is><t>', 1))
    guarded = guard_xlsx(path, path.name)
    assert guarded is not None and [s.uncalculated for s in guarded.sheets.values()] == [["B4"]]
    assert sheet_guard.column_index("XFD") == 16384


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=30), st.integers(16, 64))
def test_the_longest_shared_string_is_found_across_pieces(lengths: list[int], chunk: int) -> None:
    """Read in pieces of `chunk` bytes (entries cut anywhere, some longer than a piece), the longest entry's
    size is the one the exact count gives, less its closing tag."""
    import io
    import zipfile

    from forms.sheets import shared_strings

    table = b"<sst>" + b"".join(b"<si><t>" + b"x" * n + b"</t></si>" for n in lengths) + b"</sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("xl/sharedStrings.xml", table)
    with zipfile.ZipFile(buffer) as package:
        info = package.getinfo("xl/sharedStrings.xml")
        old, shared_strings._CHUNK = shared_strings._CHUNK, chunk
        try:
            sizes, longest = list(shared_strings._entry_sizes(package, info)), shared_strings._longest_entry(package, info)
        finally:
            shared_strings._CHUNK = old
    assert sizes[1:-1] == [n + 16 for n in lengths[1:]]  # <si><t>…</t></si>; the first carries <sst>
    assert longest >= max(n + 11 for n in lengths)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=30), st.integers(8, 300))
def test_a_sheet_is_read_in_pieces_that_end_at_a_row(cells_per_row: list[int], chunk: int) -> None:
    """Whatever the piece size, a member's XML comes back whole, each piece but the last ending at a `</row>`
    (a one-piece member is handed over as it is read)."""
    import io
    import zipfile

    xml = b"<sheetData>" + b"".join(
        b'<row r="%d">' % n + b"".join(b'<c r="A%d"><v>%d</v></c>' % (n, c) for c in range(count)) + b"</row>"
        for n, count in enumerate(cells_per_row, start=1)) + b"</sheetData>"
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sheet.xml", xml)
    old, sheet_guard._CHUNK = sheet_guard._CHUNK, chunk
    try:
        with zipfile.ZipFile(packed) as archive, archive.open("sheet.xml") as stream:
            pieces = list(sheet_guard._row_blocks(stream))
    finally:
        sheet_guard._CHUNK = old
    assert b"".join(pieces) == xml
    assert all(piece.endswith(b"row>") for piece in pieces[:-1])
    assert len(pieces) == 1 or len(xml) >= chunk
