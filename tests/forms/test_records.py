"""forms.base.records.maker gives what dict(zip(keys, values)) gives, for any keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.base import records
from forms.base.records import maker


@given(st.lists(st.text(), unique=True, max_size=12).flatmap(
    lambda keys: st.tuples(st.just(keys), st.lists(st.one_of(st.text(), st.none()), min_size=len(keys),
                                                   max_size=len(keys)))))
def test_a_made_dict_is_the_zipped_dict(keys_values: tuple[list[str], list[str | None]]) -> None:
    keys, values = keys_values
    made = maker(tuple(keys))(*values)
    assert made == dict(zip(keys, values, strict=True))
    assert list(made) == keys


def test_keys_that_look_like_code_are_only_keys() -> None:
    keys = ("'), __import__('os'), ('", '"""', "\\", "姓名")
    assert maker(keys)(1, 2, 3, 4) == dict(zip(keys, (1, 2, 3, 4), strict=True))


def test_columns_only_when_every_row_has_exactly_the_keys() -> None:
    from forms.base.records import columns

    rows = [{"a": "1", "b": "2"}, {"b": "4", "a": "3"}]
    assert columns(rows, ["a", "b"]) == {"a": ["1", "3"], "b": ["2", "4"]}
    assert columns(rows, ["a"]) is None  # a key more in every row
    assert columns([{"a": "1", "b": "2"}, {"a": "3", "c": "4"}], ["a", "b"]) is None  # another key
    assert columns(rows, []) is None


def test_a_table_gives_rows_as_dicts_made_when_asked_for() -> None:
    table = records.Table({"name": ["张三", "李四", "王五"], "mobile": ["1", "2", "3"]})
    assert len(table) == 3 and table[0] == {"name": "张三", "mobile": "1"} and table[-1]["name"] == "王五"
    assert table[1:] == [{"name": "李四", "mobile": "2"}, {"name": "王五", "mobile": "3"}]
    assert table.dicts() == list(table) == [table[i] for i in range(3)]
    assert table.subset([2, 0]).dicts() == [table[2], table[0]]
    with pytest.raises(IndexError):
        table[3]
    with pytest.raises(ValueError, match="different lengths"):
        records.Table({"name": ["张三"], "mobile": []})
    assert len(records.Table({})) == 0 and records.Table({}).dicts() == []
