"""The header search skips the rows that cannot beat the best row found so far: it must find what scoring
every row finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from forms.notice.attachments import FRAME_FORMS
from forms.sheets import sheet_layout

_HEADERS = sorted({text for form in FRAME_FORMS.values() for column in form.columns
                   for text in (column.header, *column.aliases)})
_CELLS = st.one_of(st.sampled_from(_HEADERS), st.sampled_from(["", "1", "0771", "张三", "男", "南宁市交通局", "科长",
                                                               " 姓 名 ", "手机号码(11位)", "单位（地址）", "备注："]))


def _every_row_scored(rows: list[list[str]], hint: str | None) -> tuple[int, dict[int, str]] | None:
    best: tuple[int, dict[int, str]] | None = None
    for index, cells in enumerate(rows[:sheet_layout.HEADER_SCAN]):
        mapping = sheet_layout.map_header(cells, hint)
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
    return best


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELLS, max_size=10), max_size=18), st.sampled_from([None, *FRAME_FORMS]))
def test_the_header_found_is_the_best_scoring_row(rows: list[list[str]], hint: str | None) -> None:
    found, expected = sheet_layout.locate_header(rows, hint), _every_row_scored(rows, hint)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        top, bottom, mapping = found
        assert expected[0] in (top, bottom) and set(expected[1].items()) <= set(mapping.items())
