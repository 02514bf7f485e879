from __future__ import annotations

from django import template

from alliance import money

register = template.Library()


@register.filter
def days_left(obligation, today) -> int:
    return obligation.days_left(today)


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.filter
def pounds(value) -> str:
    """£310,000.00; a negative amount (a saving) as −£2,500.50."""
    return money.pounds(value)
