"""Numbers typed by people (an uploaded CSV cell, an API row read as text): one reader that refuses what a
column cannot hold, with a message that says why, rather than a database error (a 500) when it is saved.

``Decimal("1e308")``, ``Decimal("-1e20")`` and a 30-digit number are valid decimals, and ``Decimal("NaN")`` and
``Decimal("Infinity")`` are decimals too: none fits a ``DecimalField(max_digits=16, decimal_places=4)``, and
PostgreSQL answers "numeric field overflow" when one is saved. Form and serializer DecimalFields already check
``max_digits`` and finiteness (Django's and DRF's own validators); this is the same check for values a service
reads itself.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

ERR_NOT_A_NUMBER = "{value} is not a number."
ERR_NOT_FINITE = "{value} is not a finite number."
ERR_TOO_LARGE = "{value} is too large: at most {digits} digits before the decimal point."
ERR_TOO_PRECISE = "{value} has more than {places} decimal places."
MAX_TEXT = 100  # longer text is no number a person typed; Decimal() of a million digits is slow


def parse_decimal(raw: object, *, max_digits: int, decimal_places: int) -> Decimal:
    """The decimal written in ``raw`` (text or a number), within ``max_digits`` and ``decimal_places`` (those of
    the model field it goes to), or a ValidationError whose message names the value and says what is wrong."""
    shown = repr(raw)[:40]
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise ValidationError(ERR_NOT_A_NUMBER.format(value=shown), code="invalid")
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(ERR_TOO_LARGE.format(value=shown, digits=max_digits - decimal_places), code="max_digits")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(ERR_NOT_A_NUMBER.format(value=shown), code="invalid") from error
    if not value.is_finite():
        raise ValidationError(ERR_NOT_FINITE.format(value=shown), code="invalid")
    # Digits before the point: the adjusted exponent + 1 (1e308 has 309; 0.5 has none).
    whole_digits = max(value.adjusted() + 1, 0) if value else 0
    if whole_digits > max_digits - decimal_places:
        raise ValidationError(ERR_TOO_LARGE.format(value=shown, digits=max_digits - decimal_places),
                              code="max_digits")
    # As the column holds it (12.5 -> 12.5000); a value with more places than it holds is refused, not rounded.
    held = value.quantize(Decimal(1).scaleb(-decimal_places))
    if held != value:
        raise ValidationError(ERR_TOO_PRECISE.format(value=shown, places=decimal_places), code="max_decimal_places")
    return held
