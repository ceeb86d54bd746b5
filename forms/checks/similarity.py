"""How alike two names or two units are, for the possible-duplicate warning."""

from __future__ import annotations

from functools import lru_cache


def one_apart(a: str, b: str) -> bool:
    """Whether `b` is `a` with one character changed, added or removed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def units_close(a: str, b: str) -> bool:
    """Two units are close when one contains the other or their bigrams overlap by 60% (Jaccard)."""
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
