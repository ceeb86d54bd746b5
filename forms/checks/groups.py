"""Rows grouped by a shared value (a mobile, a name and unit, a name, an office phone), for duplicates.

Most values belong to one row only, so a value maps to that row's key itself and becomes a set only
when a second row shares it: a 50 000-row workspace keeps four such indexes without 200 000 sets.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable


class Groups(dict[str, "tuple[int, int] | set[tuple[int, int]]"]):
    """value → the row key holding it, or the set of row keys once several share it."""

    def add_many(self, values: Iterable[str], keys: Iterable[tuple[int, int]]) -> set[str]:
        """Put each row's key under its value (an empty value is no key); the values whose group now holds
        more than one row."""
        grown: set[str] = set()
        get = self.get
        for value, key in zip(values, keys, strict=True):
            if not value:
                continue
            found = get(value)
            if found is None:
                self[value] = key
            elif type(found) is tuple:
                if found != key:
                    self[value] = {found, key}
                    grown.add(value)
            else:
                assert isinstance(found, set)
                found.add(key)
                grown.add(value)
        return grown

    def remove_key(self, value: str, key: tuple[int, int]) -> set[tuple[int, int]]:
        """Take `key` from under `value`; the rows left there."""
        found = self.get(value)
        if found is None or found == key:
            self.pop(value, None)
            return set()
        if type(found) is tuple:
            return {found}
        assert isinstance(found, set)
        found.discard(key)
        if len(found) == 1:
            [self[value]] = found
        return set(found)

    def members(self, value: str) -> Collection[tuple[int, int]]:
        found = self.get(value) if value else None
        if found is None:
            return ()
        return (found,) if type(found) is tuple else found  # type: ignore[return-value]

    def size(self, value: str) -> int:
        found = self.get(value) if value else None
        return 0 if found is None else 1 if type(found) is tuple else len(found)  # type: ignore[arg-type]
