"""Rows in bulk: an import's rows are held as columns (a `Table`) while they are read, normalised and
stored, and 50 000 dicts of the same keys are made once, as normalised, for the checks and the window.

`dict(zip(keys, values))` grows each dict key by key; a dict display of the known keys is made at its full
size at once, about twice as fast. `maker(keys)` is such a display, compiled once per set of keys, in the
way the standard library's namedtuple and dataclasses compile their constructors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any, overload


@lru_cache(maxsize=64)
def maker(keys: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """A function of one value per key, in order, returning {key: value}."""
    params = [f"v{i}" for i in range(len(keys))]
    display = ", ".join(f"{key!r}: {param}" for key, param in zip(keys, params, strict=True))
    made: Callable[..., dict[str, Any]] = eval(f"lambda {', '.join(params)}: {{{display}}}", {"__builtins__": {}})
    return made


def columns(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> dict[str, list[Any]] | None:
    """Each key's value in every row, taken in C, when every row has exactly `keys`; else None."""
    if not keys or set(map(len, rows)) != {len(keys)}:
        return None
    try:  # every row holds all the keys and no more
        return {key: list(map(itemgetter(key), rows)) for key in keys}
    except KeyError:
        return None


class Table(Sequence[dict[str, Any]]):
    """Rows held as columns (a sheet's rows as read); a row's dict is made only when it is asked for.

    An import takes the columns as they are, and only the rows that need a look of their own (a cell
    normalised with a note, a cell typed otherwise than stored) become dicts."""

    def __init__(self, columns: dict[str, list[Any]]) -> None:
        lengths = set(map(len, columns.values()))
        if len(lengths) > 1:
            raise ValueError(f"Table: columns of different lengths {sorted(lengths)}")
        self.columns = columns
        self._count = lengths.pop() if lengths else 0
        self._make = maker(tuple(columns))

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError("Table index out of range")
        return self._make(*(column[index] for column in self.columns.values()))

    def dicts(self) -> list[dict[str, Any]]:
        """Every row's dict, made column by column."""
        return list(map(self._make, *self.columns.values())) if self.columns else []

    def subset(self, at: Sequence[int]) -> Table:
        return Table({key: [column[i] for i in at] for key, column in self.columns.items()})
