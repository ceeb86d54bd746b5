"""Row dicts in bulk: an import makes 50 000 dicts of the same keys twice (as read, as normalised), and
takes their columns back out to normalise and to store them.

`dict(zip(keys, values))` grows each dict key by key; a dict display of the known keys is made at its full
size at once, about twice as fast. `maker(keys)` is such a display, compiled once per set of keys, in the
way the standard library's namedtuple and dataclasses compile their constructors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any


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
