"""The tolerance balancing function (para 87; docs/domain.md section 4): worked examples and its properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.balancing import Item, balance

D = Decimal
DESIGN = (D("0.40"), D("0.60"))     # Lot 2: 40-60% (para 87)
ON_SITE = (D("0.25"), D("0.40"))    # Lot 3: 25-40% (para 87)


# --- Worked examples, numbers written out -----------------------------------------------------------------


def test_lot_2_already_within_40_60_moves_nothing():
    # North (jacobs) 5.0m of design, South (wsp) 5.5m: 47.6% / 52.4%.
    result = balance([Item("A", D("5000000"), "jacobs"), Item("B", D("5500000"), "wsp")], ["jacobs", "wsp"], *DESIGN)
    assert result.within_tolerance and result.moves == []
    assert result.shares_after == {"jacobs": D("5000000") / D("10500000"), "wsp": D("5500000") / D("10500000")}


def test_lot_2_the_lowest_valued_proposed_scheme_moves_to_the_smallest_partner():
    """North holds 8m (awarded 5m + proposed 1m, 2m), South 2m awarded: 80/20, outside 40-60.
    The gap is 6m; North's lowest proposed scheme (1m) moves: 7m/3m = 70/30, still outside;
    then the next lowest (2m, gap now 4m): 5m/5m = 50/50, within. Awarded schemes never move."""
    items = [
        Item("N-awarded", D("5000000"), "jacobs", awarded=True),
        Item("N1", D("1000000"), "jacobs"),
        Item("N2", D("2000000"), "jacobs"),
        Item("S-awarded", D("2000000"), "wsp", awarded=True),
    ]
    result = balance(items, ["jacobs", "wsp"], *DESIGN)
    assert [(m.key, m.from_partner, m.to_partner) for m in result.moves] == [
        ("N1", "jacobs", "wsp"), ("N2", "jacobs", "wsp")]
    assert result.moves[0].shares_after == {"jacobs": D("0.7"), "wsp": D("0.3")}
    assert result.shares_after == {"jacobs": D("0.5"), "wsp": D("0.5")}
    assert result.within_tolerance and result.allocation == {"N1": "wsp", "N2": "wsp"}


def test_lot_3_three_partners_25_40():
    """Costain (North) 10m, BAM (Midlands) 2m, Balfour Beatty (South) 8m of construction: 50/10/40.
    Costain's lowest proposed scheme (1m < gap 8m) goes to BAM: 45/15/40; then 3m (gap 7m): 30/30/40,
    within 25-40."""
    items = [Item("C1", D("1000000"), "costain"), Item("C3", D("3000000"), "costain"),
             Item("C6", D("6000000"), "costain"), Item("B2", D("2000000"), "bam-msjv"),
             Item("S8", D("8000000"), "balfour-beatty")]
    result = balance(items, ["costain", "bam-msjv", "balfour-beatty"], *ON_SITE)
    assert [(m.key, m.to_partner) for m in result.moves] == [("C1", "bam-msjv"), ("C3", "bam-msjv")]
    assert result.shares_after == {"costain": D("0.3"), "bam-msjv": D("0.3"), "balfour-beatty": D("0.4")}
    assert result.within_tolerance


def test_when_no_move_can_help_it_says_so_and_keeps_the_closest_result():
    """One proposed scheme of 9m against an awarded 1m: moving it would only swap the imbalance (9m is not
    smaller than the 8m gap), so nothing moves and the result says the tolerance cannot be reached."""
    items = [Item("BIG", D("9000000"), "jacobs"), Item("S", D("1000000"), "wsp", awarded=True)]
    result = balance(items, ["jacobs", "wsp"], *DESIGN)
    assert not result.within_tolerance and result.moves == []
    assert "cannot be reached" in result.message and result.allocation == {"BIG": "jacobs"}


def test_bounds_are_inclusive():
    result = balance([Item("A", D("40"), "a"), Item("B", D("60"), "b")], ["a", "b"], *DESIGN)
    assert result.within_tolerance and result.moves == []


def test_a_single_partner_or_no_value_is_nothing_to_balance():
    assert balance([Item("A", D("10"), "only")], ["only"], *DESIGN).within_tolerance
    assert balance([Item("A", D("0"), "a")], ["a", "b"], *DESIGN).within_tolerance


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="not a partner"):
        balance([Item("A", D("1"), "x")], ["a", "b"], *DESIGN)
    with pytest.raises(ValueError, match="twice"):
        balance([Item("A", D("1"), "a"), Item("A", D("1"), "b")], ["a", "b"], *DESIGN)
    with pytest.raises(ValueError, match="lower bound"):
        balance([], ["a", "b"], D("0.6"), D("0.4"))


# --- Properties -----------------------------------------------------------------------------------------

PARTNER_SETS = st.sampled_from([["a", "b"], ["a", "b", "c"]])


@st.composite
def lots(draw):
    partners = draw(PARTNER_SETS)
    count = draw(st.integers(min_value=0, max_value=60))
    items = [
        Item(key=i, value=D(draw(st.integers(min_value=0, max_value=1_000_000))) / 100,
             partner=draw(st.sampled_from(partners)), awarded=draw(st.booleans()))
        for i in range(count)
    ]
    bounds = DESIGN if len(partners) == 2 else ON_SITE
    return items, partners, bounds


def _replay(items, partners, result):
    """Re-run the moves on the starting values and check each one as it happens."""
    values = dict.fromkeys(partners, D(0))
    where = {}
    for item in items:
        values[item.partner] += item.value
        where[item.key] = item.partner
    awarded = {i.key for i in items if i.awarded}
    for move in result.moves:
        assert move.key not in awarded, "an awarded scheme moved"
        assert where[move.key] == move.from_partner
        smallest = min(values.values())
        assert values[move.to_partner] == smallest, "a move went to a partner that was not the smallest"
        assert values[move.from_partner] == max(values.values())
        assert 0 < move.value < values[move.from_partner] - smallest
        values[move.from_partner] -= move.value
        values[move.to_partner] += move.value
        where[move.key] = move.to_partner
    return values, where


@settings(max_examples=300, deadline=None)
@given(lots())
def test_properties(lot):
    items, partners, (lower, upper) = lot
    result = balance(items, partners, lower, upper)  # returning at all: it terminates
    values, where = _replay(items, partners, result)
    # No scheme is lost or duplicated: every proposed scheme has exactly one partner, awarded ones none.
    proposed = [i.key for i in items if not i.awarded]
    assert sorted(result.allocation) == sorted(proposed)
    assert all(result.allocation[k] == where[k] for k in proposed)
    assert values == result.values_after
    assert sum(result.values_after.values()) == sum(i.value for i in items)
    if result.within_tolerance and sum(values.values()) and len(partners) > 1:
        assert all(lower <= s <= upper for s in result.shares_after.values())
    if not result.within_tolerance:
        assert "cannot be reached" in result.message


@settings(max_examples=100, deadline=None)
@given(lots())
def test_moves_never_grow_the_spread(lot):
    items, partners, (lower, upper) = lot
    result = balance(items, partners, lower, upper)
    before = sum(v * v for v in result.values_before.values())
    after = sum(v * v for v in result.values_after.values())
    assert after <= before
    assert (after < before) == bool(result.moves)
