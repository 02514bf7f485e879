"""Amounts of money as people read them: £310,000.00, and a saving as −£2,500.50."""

from __future__ import annotations

from decimal import Decimal


def pounds(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "\u2212" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
