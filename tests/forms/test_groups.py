"""The duplicate indexes: adding many rows at once groups them exactly as adding them one at a time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.checks.groups import Groups

values = st.sampled_from(["", "a", "b", "c", "d"])
keys = st.tuples(st.integers(1, 2), st.integers(0, 6))


def _reference(pairs: list[tuple[str, tuple[int, int]]]) -> dict[str, set[tuple[int, int]]]:
    groups: dict[str, set[tuple[int, int]]] = {}
    for value, key in pairs:
        if value:
            groups.setdefault(value, set()).add(key)
    return groups


@given(st.lists(st.tuples(values, keys), max_size=12), st.lists(st.tuples(values, keys), max_size=12))
def test_adding_many_is_adding_each(before: list[tuple[str, tuple[int, int]]],
                                    batch: list[tuple[str, tuple[int, int]]]) -> None:
    index = Groups()
    for value, key in before:
        index.add_many([value], [key])
    grown = index.add_many([v for v, _k in batch], [k for _v, k in batch])
    expected = _reference(before + batch)
    assert {value: set(index.members(value)) for value in index} == expected
    assert all(type(index[v]) is tuple for v, group in expected.items() if len(group) == 1)
    assert grown == {value for value, _key in batch if value and len(expected[value]) > 1}


def test_values_without_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        Groups().add_many(["a", "b"], [(1, 1)])


def test_a_value_shared_in_the_batch_or_with_the_index_groups_its_rows() -> None:
    index = Groups()
    assert index.add_many(["a", "b", "", "a"], [(1, 1), (1, 2), (1, 3), (1, 4)]) == {"a"}
    assert index == {"a": {(1, 1), (1, 4)}, "b": (1, 2)}
    assert index.add_many(["b", "c"], [(2, 1), (2, 2)]) == {"b"}
    assert index.members("b") == {(1, 2), (2, 1)} and index.members("c") == ((2, 2),)
