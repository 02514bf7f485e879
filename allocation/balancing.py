"""Tolerance balancing of one lot (para 87; docs/domain.md section 4). A pure function: no database, no Django.

Each partner's share of the lot's value (the design element for Lot 2, the construction element for Lot 3)
counts the schemes already awarded plus those proposed. While a share is outside the tolerance band, one
proposed scheme moves: from the partner with the largest value, its lowest-valued proposed scheme whose value
is smaller than the gap between that partner and the partner with the smallest value, to that smallest
partner ("the Client will move the single lowest valued Scheme to the smallest value region ... and continue
this process until within tolerance levels"). Awarded schemes never move.

It always ends: a move of value v with 0 < v < gap lowers the sum of the squares of the partners' values by
2·v·(gap − v) > 0, so no state repeats, and there are finitely many states. When no scheme can move, it stops
and says plainly that the tolerance could not be reached; the allocation it returns is the closest it got.

Cost: O((n + m) log n) for n proposed schemes and m moves: each partner keeps its movable schemes in a heap.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["Balance", "Item", "Move", "balance"]


@dataclass(frozen=True)
class Item:
    """A scheme's value in the lot and the partner it is allocated to."""

    key: Hashable  # the scheme (its code or id); keys are unique
    value: Decimal
    partner: str
    awarded: bool = False  # awarded schemes count towards shares but never move


@dataclass(frozen=True)
class Move:
    key: Hashable
    value: Decimal
    from_partner: str
    to_partner: str
    shares_after: dict[str, Decimal]


@dataclass(frozen=True)
class Balance:
    within_tolerance: bool
    allocation: dict[Hashable, str]  # every proposed item's partner after balancing
    moves: list[Move]
    values_before: dict[str, Decimal]
    values_after: dict[str, Decimal]
    shares_before: dict[str, Decimal]
    shares_after: dict[str, Decimal]
    lower: Decimal
    upper: Decimal
    message: str = ""
    total: Decimal = field(default=Decimal(0))


def _shares(values: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    if not total:
        return dict.fromkeys(values, Decimal(0))
    return {p: v / total for p, v in values.items()}


def _within(shares: dict[str, Decimal], lower: Decimal, upper: Decimal) -> bool:
    return all(lower <= s <= upper for s in shares.values())


def balance(items: Iterable[Item], partners: Sequence[str], lower: Decimal, upper: Decimal) -> Balance:
    """Balance one lot's proposed items between ``partners`` until every share is within [lower, upper].

    ``partners`` are the partners of the lot that take work (ties between equal values go to the one
    listed first). Every item's partner must be one of them. With fewer than two partners, or no value at
    all, there is nothing to balance and the lot is reported within tolerance.
    """
    items = list(items)
    if lower > upper:
        raise ValueError("The lower bound is above the upper bound.")
    order = {p: i for i, p in enumerate(partners)}
    if len(order) != len(partners):
        raise ValueError("A partner is listed twice.")
    values = dict.fromkeys(partners, Decimal(0))
    allocation: dict[Hashable, str] = {}
    heaps: dict[str, list[tuple[Decimal, int, Hashable]]] = {p: [] for p in partners}
    seen: set[Hashable] = set()
    for position, item in enumerate(items):
        if item.partner not in order:
            raise ValueError(f"{item.key!r} is allocated to {item.partner!r}, not a partner of the lot.")
        if item.key in seen:
            raise ValueError(f"{item.key!r} appears twice.")
        if item.value < 0:
            raise ValueError(f"{item.key!r} has a negative value.")
        seen.add(item.key)
        values[item.partner] += item.value
        if not item.awarded:
            allocation[item.key] = item.partner
            if item.value > 0:  # a scheme of no value changes no share: it never needs to move
                # (value, position) orders equal values by the order the items were given: deterministic.
                heaps[item.partner].append((item.value, position, item.key))
    for heap in heaps.values():
        heapq.heapify(heap)
    total = sum(values.values(), Decimal(0))
    values_before = dict(values)
    shares_before = _shares(values, total)
    moves: list[Move] = []

    def result(within: bool, message: str) -> Balance:
        return Balance(within, allocation, moves, values_before, dict(values), shares_before,
                       _shares(values, total), lower, upper, message, total)

    if len(partners) < 2 or not total:
        return result(True, "Nothing to balance.")
    while True:
        shares = _shares(values, total)
        if _within(shares, lower, upper):
            return result(True, "Every share is within the tolerance." if moves else
                          "Every share was already within the tolerance.")
        # The largest and the smallest partner by value; ties go to the partner listed first.
        largest = min(partners, key=lambda p: (-values[p], order[p]))
        smallest = min(partners, key=lambda p: (values[p], order[p]))
        gap = values[largest] - values[smallest]
        heap = heaps[largest]
        if not heap or heap[0][0] >= gap:
            return result(False, (
                "The tolerance cannot be reached by moving proposed schemes: no proposed scheme of "
                f"{largest} is worth less than the gap to {smallest}. This is the closest result."
            ))
        value, position, key = heapq.heappop(heap)
        values[largest] -= value
        values[smallest] += value
        allocation[key] = smallest
        heapq.heappush(heaps[smallest], (value, position, key))
        moves.append(Move(key, value, largest, smallest, _shares(values, total)))
