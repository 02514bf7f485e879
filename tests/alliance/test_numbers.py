"""The one reader of numbers people type into files and API rows (alliance/numbers.py, issue 16 item 6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alliance.numbers import parse_decimal


@pytest.mark.parametrize(("raw", "expected"), [
    ("12.5", Decimal("12.5000")), (" 7 ", Decimal("7.0000")), ("-3", Decimal("-3.0000")),
    ("123456789012.1234", Decimal("123456789012.1234")), (2, Decimal("2.0000")), ("0E+10", Decimal("0.0000")),
])
def test_a_number_the_column_holds_is_read_as_it_holds_it(raw, expected):
    assert parse_decimal(raw, max_digits=16, decimal_places=4) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("1e308", "'1e308' is too large: at most 12 digits before the decimal point."),
    ("-1e20", "'-1e20' is too large: at most 12 digits before the decimal point."),
    ("9" * 30, f"'{'9' * 30}' is too large: at most 12 digits before the decimal point."),
    (1e308, "1e+308 is too large: at most 12 digits before the decimal point."),
    ("NaN", "'NaN' is not a finite number."),
    ("sNaN", "'sNaN' is not a finite number."),
    ("Infinity", "'Infinity' is not a finite number."),
    ("-inf", "'-inf' is not a finite number."),
    ("0.00001", "'0.00001' has more than 4 decimal places."),
    ("abc", "'abc' is not a number."),
    ("1" * 100_000, None),
    (True, "True is not a number."),
    ([1], "[1] is not a number."),
])
def test_a_number_the_column_cannot_hold_is_refused_with_its_reason(raw, message):
    with pytest.raises(ValidationError) as refused:
        parse_decimal(raw, max_digits=16, decimal_places=4)
    if message:
        assert refused.value.messages == [message]
