"""How alike two names or two units are, for the possible-duplicate warning."""

from __future__ import annotations

from functools import lru_cache

NAME_CHARS = 40  # a longer name is no person's (it is a `name` error already) and is compared to none
UNIT_CHARS = 100  # units are compared on their first 100 characters: the city, the address and the unit's name


def one_apart(a: str, b: str) -> bool:
    """Whether `b` is `a` with one character changed, added or removed."""
    if a == b or abs(len(a) - len(b)) > 1 or len(a) > NAME_CHARS:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=4096)  # at most 99 bigrams (~10 KB) each: a group compares a unit with at most 49 others
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def units_close(a: str, b: str) -> bool:
    """Two units are close when one contains the other or their bigrams overlap by 60% (Jaccard); each is
    compared on its first UNIT_CHARS characters, so that 32 767-character cells cost what real units cost."""
    a, b = a[:UNIT_CHARS], b[:UNIT_CHARS]
    if not a or not b or a == b:
        return False
    if a in b or b in a:
        return True
    grams_a, grams_b = _bigrams(a), _bigrams(b)
    small, large = sorted((len(grams_a), len(grams_b)))
    if small < 0.6 * large:  # Jaccard can be no more than small/large
        return False
    shared = len(grams_a & grams_b)
    return shared >= 0.6 * (small + large - shared) and bool(shared)
