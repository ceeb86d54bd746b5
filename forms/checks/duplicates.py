"""Who may be one person: the indexes of shared values and the possible-duplicate pairs, kept row by row.

Exact duplicates (the same mobile; the same name and unit) are groups of rows under one value: a later
row repeats the group's first. Possible duplicates are pairs, found by comparing the rows that share an
office phone, or a name (in one county; anywhere when a namesake's county is not known).

Bounded whatever a file holds (issue 13): a group of more than `COMPARED` rows is not compared pair by
pair (5 000 rows on one switchboard number would be 12.5 million pairs); each of its rows gets one
warning that says how many share the value instead. A pair is kept as a small number, its message made
only when asked for; a row names at most `SHOWN` earlier rows it may repeat and one more finding counts
the rest. So a row keeps fewer than 2 × COMPARED pairs (its phone's group, its namesakes') and has at most
SHOWN + 5 duplicate findings, and one edit compares at most 2 × COMPARED pairs (a group falling back to
COMPARED rows: COMPARED² / 2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from hashlib import blake2b
from operator import attrgetter

from forms.base.findings import shown
from forms.checks.groups import Groups
from forms.checks.rowstate import RowKey, RowState
from forms.checks.similarity import one_apart, units_close

COMPARED = 50  # a group up to this size is compared pair by pair: one unit's switchboard, a common name in a county
SHOWN = 3  # earlier rows a row names one by one; one more finding counts the rest

KEY_CHARS = 200  # of a name or unit, kept as they are in a key; a longer one is keyed by its start and digest
SAME_PHONE, CLOSE_UNIT, ONE_APART = 1, 2, 3  # why two rows may be one person, kept per pair

Order = Callable[[RowKey], tuple[int, float, int]]
Reason = Callable[[str], str]  # the other row described → the reason shown
Repeat = tuple[RowKey | None, str, str, Reason]  # (other row or None, code, column key, reason)

_KEY, _NAME, _PHONE, _NAME_PLACE = attrgetter("key"), attrgetter("name"), attrgetter("phone"), attrgetter("name_place")


def bounded(texts: Sequence[str]) -> Sequence[str]:
    """Names or units as the keys built from them hold them: a text over KEY_CHARS as its start and a 128-bit
    digest (two texts share a key only if they are equal), so that 50 000 keys built from 32 767-character
    cells do not copy them (3 GB). Each distinct long text is digested once."""
    if max(map(len, texts), default=0) <= KEY_CHARS:
        return texts
    digests: dict[str, str] = {}
    return [text if len(text) <= KEY_CHARS else digests.get(text) or digests.setdefault(text, _digest(text))
            for text in texts]


def _digest(text: str) -> str:
    return f"{text[:32]}#{len(text)}#{blake2b(text.encode('utf-8', 'surrogatepass'), digest_size=16).hexdigest()}"


def _same_place(a: RowState, b: RowState) -> bool:
    """Units located in different counties (or cities) are not two spellings of one unit."""
    if a.county and b.county:
        return a.county == b.county
    return not (a.city and b.city) or a.city == b.city


def kind(row: RowState, other: RowState) -> int:
    """Why two rows sharing a name or an office phone may be one person (0: they may not, or they are
    exact duplicates, which duplicate-person reports)."""
    if (row.mobile and row.mobile == other.mobile) or (row.name_unit and row.name_unit == other.name_unit):
        return 0
    if row.name and row.name == other.name:
        if row.phone and row.phone == other.phone:
            return SAME_PHONE
        return CLOSE_UNIT if _same_place(row, other) and units_close(row.unit, other.unit) else 0
    return ONE_APART if row.phone and row.phone == other.phone and one_apart(row.name, other.name) else 0


def _reason(why: int, row: RowState, other: RowState) -> Reason:
    if why == SAME_PHONE:
        return lambda described: f"与{described}姓名相同、办公电话相同（{row.phone.strip('-')}）"
    if why == CLOSE_UNIT:
        return lambda described: f"与{described}姓名相同（{shown(row.name)}）、单位相近"
    return lambda described: f"与{described}（{shown(other.name)}）姓名只差一个字、办公电话相同"


class Duplicates:
    """The duplicate indexes of an engine's filled rows and the possible-duplicate pairs among them."""

    def __init__(self, rows: dict[RowKey, RowState], order: Order) -> None:
        self.rows = rows
        self.order = order
        self.exact: dict[str, Groups] = {"mobile": Groups(), "name_unit": Groups()}
        self.by_name = Groups()
        self.by_name_place = Groups()
        self.by_name_unplaced = Groups()  # names of rows whose county is not known
        self.by_phone = Groups()
        self.near: dict[RowKey, dict[RowKey, int]] = defaultdict(dict)  # row → other row → why (symmetric)
        self._first: dict[tuple[str, str], RowKey] = {}  # (exact index, value) → its group's first row
        # rows whose warning now tells another count of a crowded group, their findings' number unchanged:
        # shown again, not recounted (5 000 recounts on every edit in a 5 000-row group); the engine takes them
        self.retold: set[RowKey] = set()

    # -- joining and leaving ----------------------------------------------------------------------
    def join(self, rows: list[RowState]) -> set[RowKey]:
        """Put filled rows into the indexes; the rows whose duplicate findings may have changed.

        Only the groups the new rows made bigger than one are looked at, each pair of rows once."""
        keys = list(map(_KEY, rows))
        shared: set[RowKey] = set()
        for attr, index in self.exact.items():
            for value in index.add_many(map(attrgetter(attr), rows), keys):
                self._first.pop((attr, value), None)
                shared.update(index.members(value))
        phones = self.by_phone.add_many(map(_PHONE, rows), keys)
        names = self.by_name.add_many(map(_NAME, rows), keys)
        placed = self.by_name_place.add_many(map(_NAME_PLACE, rows), keys)
        unplaced = [row for row in rows if row.name and not row.county]
        if unplaced:
            self.by_name_unplaced.add_many(map(_NAME, unplaced), map(_KEY, unplaced))
        grown = [(self.by_phone, phones), (self.by_name, names), (self.by_name_place, placed)]
        shared |= self._pair_up(rows, self._searched(phones, names, placed))
        return shared | self._crowded(grown, set(keys))

    def _searched(self, phones: set[str], names: set[str], placed: set[str]) -> list[Collection[RowKey]]:
        """The groups a new row is compared within: its office phone's, and its namesakes' (of one county;
        all who bear the name when one of them has no known county). A group over COMPARED rows is not."""
        anywhere = {name for name in names & self.by_name_unplaced.keys() if self.by_name.size(name) <= COMPARED}
        groups = [*map(self.by_phone.members, phones), *map(self.by_name.members, anywhere),
                  *(self.by_name_place.members(value) for value in placed if value.partition("|")[2] not in anywhere)]
        return [group for group in groups if len(group) <= COMPARED]

    def _pair_up(self, new: list[RowState], groups: Iterable[Collection[RowKey]]) -> set[RowKey]:
        """Record the possible duplicates within each group that involve a new row; the rows involved."""
        order = {row.key: n for n, row in enumerate(new)}
        involved: set[RowKey] = set()
        for group in groups:
            for key in group:
                mine = order.get(key)
                if mine is None:
                    continue
                paired = self.near.get(key, {})  # a pair met in the phone's group is not compared again by name
                for other_key in group:
                    if order.get(other_key, -1) < mine and other_key not in paired and self._pair(key, other_key):
                        involved.update((key, other_key))  # each pair from one side: the later new row's
        return involved

    def _pair(self, key: RowKey, other_key: RowKey) -> bool:
        """Record the two rows as possible duplicates if they are."""
        row, other = self.rows[key], self.rows[other_key]
        why = kind(row, other)
        if not why or not self.compared(row, other):
            return False
        self.near[key][other_key] = self.near[other_key][key] = why
        return True

    def compared(self, a: RowState, b: RowState) -> bool:
        """Whether a group the two rows share is compared pair by pair (one of COMPARED rows or fewer)."""
        if a.phone and a.phone == b.phone and self.by_phone.size(a.phone) <= COMPARED:
            return True
        if not a.name or a.name != b.name:
            return False
        if a.county and b.county:
            return a.county == b.county and self.by_name_place.size(a.name_place) <= COMPARED
        return self.by_name.size(a.name) <= COMPARED

    def _crowded(self, grown: list[tuple[Groups, set[str]]], new: set[RowKey]) -> set[RowKey]:
        """The rows to recount in each group now over COMPARED: all of a group that just went over (it keeps
        no pair it alone was compared for), the new rows of one that was over already (the others are retold)."""
        affected: set[RowKey] = set()
        for index, values in grown:
            for value in values:
                group = index.members(value)
                if len(group) <= COMPARED:
                    continue
                fresh = [key for key in group if key in new]
                if len(group) - len(fresh) <= COMPARED:
                    affected.update(group)
                    affected |= self._drop_uncompared(group)
                else:
                    affected.update(fresh)
                    self.retold.update(group)
        return affected

    def _drop_uncompared(self, members: Iterable[RowKey]) -> set[RowKey]:
        dropped: set[RowKey] = set()
        for key in members:
            partners = self.near.get(key)
            row = self.rows[key]
            for other in [o for o in partners or () if not self.compared(row, self.rows[o])]:
                del self.near[key][other]
                self.near[other].pop(key, None)
                dropped.update((key, other))
        return dropped

    def leave(self, row: RowState) -> set[RowKey]:
        """Take a row out of the indexes and its pairs; the other rows whose findings may have changed."""
        key = row.key
        affected: set[RowKey] = set()
        for attr, index in self.exact.items():
            value = getattr(row, attr)
            if value:
                self._first.pop((attr, value), None)
                affected |= index.remove_key(value, key)
        self.by_name_unplaced.remove_key("" if row.county else row.name, key)
        thinned = [(index, value) for index, value in ((self.by_phone, row.phone), (self.by_name, row.name),
                                                        (self.by_name_place, row.name_place))
                   if value and index.size(value) > COMPARED]  # the groups whose count a warning says
        for index, value in ((self.by_phone, row.phone), (self.by_name, row.name), (self.by_name_place, row.name_place)):
            index.remove_key(value, key)
        for other in self.near.pop(key, {}):
            self.near[other].pop(key, None)
            affected.add(other)
        for index, value in thinned:
            group = index.members(value)
            if len(group) == COMPARED:  # compared again, pair by pair, and no longer warned about
                affected.update(group)
                affected |= self._pair_all(group)
            else:
                self.retold.update(group)
        return affected

    def take_retold(self) -> set[RowKey]:
        """The rows retold since the last call (see `retold`)."""
        retold, self.retold = self.retold, set()
        return retold

    def _pair_all(self, group: Collection[RowKey]) -> set[RowKey]:
        members = sorted(group)
        involved: set[RowKey] = set()
        for n, key in enumerate(members):
            involved.update(*((key, other) for other in members[:n] if self._pair(key, other)))
        return involved

    # -- what a row repeats -----------------------------------------------------------------------
    def involved(self, row: RowState) -> bool:
        """Whether the row has any duplicate finding to look for (cheap: sizes and its pairs only)."""
        return (self.exact["mobile"].size(row.mobile) > 1 or self.exact["name_unit"].size(row.name_unit) > 1
                or bool(self.near.get(row.key)) or bool(self._crowds(row)))

    def _crowds(self, row: RowState) -> list[tuple[str, int]]:
        """(what, size) of each group of the row too big to compare pair by pair."""
        found = []
        if row.phone and self.by_phone.size(row.phone) > COMPARED:
            found.append(("phone", self.by_phone.size(row.phone)))
        namesakes = self.by_name_place.size(row.name_place) if row.county else self.by_name.size(row.name)
        if row.name and namesakes > COMPARED:
            found.append(("name", namesakes))
        return found

    def first(self, attr: str, value: str) -> RowKey | None:
        """The first row (in frame order) of the exact group of `value`, when the group has two or more."""
        index = self.exact[attr]
        if index.size(value) < 2:
            return None
        found = self._first.get((attr, value))
        if found is None:
            found = self._first[(attr, value)] = min(index.members(value), key=self.order)
        return found

    def repeats(self, key: RowKey) -> list[Repeat]:
        """Each duplicate finding of a row: the earlier rows it repeats, then what could not be compared."""
        row = self.rows.get(key)
        if not row:
            return []
        found: list[Repeat] = []
        mine = self.order(key)
        for attr, what, column in (("mobile", "手机号码", "mobile"), ("name_unit", "姓名和单位", "name")):
            first = self.first(attr, getattr(row, attr))
            if first is not None and first != key and all(first != f[0] for f in found) and self.order(first) < mine:
                found.append((first, "duplicate-person", column, _same(what)))
        found.extend(self._near_repeats(row, mine))
        return found + [(None, "possible-duplicate", "landline" if what == "phone" else "name", _crowd_reason(row, what, size))
                        for what, size in self._crowds(row)]

    def _near_repeats(self, row: RowState, mine: tuple[int, float, int]) -> list[Repeat]:
        partners = self.near.get(row.key)
        if not partners:
            return []
        earlier = [other for rank, other in sorted((self.order(other), other) for other in partners) if rank < mine]
        named = earlier if len(earlier) <= SHOWN + 1 else earlier[:SHOWN]
        found: list[Repeat] = [(other, "possible-duplicate", "name", _reason(partners[other], row, self.rows[other]))
                               for other in named]
        if len(earlier) > len(named):
            rest = len(earlier) - SHOWN
            found.append((earlier[SHOWN], "possible-duplicate", "name",
                          lambda described: f"与{described}等另外{rest}行姓名相同或只差一个字、办公电话相同或单位相近"))
        return found


def _same(what: str) -> Reason:
    return lambda described: f"{what}与{described}相同"


def _crowd_reason(row: RowState, what: str, size: int) -> Reason:
    """A whole message (not a reason to fill in): the group was too big to compare its rows pair by pair."""
    if what == "phone":
        text = (f"办公电话{row.phone.strip('-')}有{size}行共用，人数太多，没有逐一比对其中姓名相同或只差一个字的人："
                "请核对这是否是本人的办公电话、名单中有没有重复的人；确实无误时可填写说明后忽略。")
    else:
        where = "在同一县（市、区）" if row.county else ""
        text = (f"姓名“{shown(row.name)}”{where}有{size}行，人数太多，没有逐一比对他们的单位和电话："
                "请核对有没有把同一人填了多次；确实不是同一人时可填写说明后忽略。")
    return lambda _described: text
