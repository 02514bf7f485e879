"""Queries that answer alike on SQLite (the README's default database) and PostgreSQL (production).

SQLite has no decimal type: a DecimalField holding a whole amount is stored as an INTEGER, so ``sme * 100 /
total`` divides integers (33 for 33.33), and Django hands back an expression's decimals as they come (100, not
100.00). And SQLite's integers stop at 2**63 - 1: a larger id given as a parameter is an OverflowError (a 500)
where PostgreSQL simply finds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Func

# The largest id any table holds (BigAutoField: PostgreSQL's bigint, SQLite's INTEGER). An id typed by a
# person or a client above it matches nothing anywhere; refuse it as bad input before it reaches the database.
ID_MAX = 2**63 - 1


class DecimalRatio(Func):
    """``ROUND(numerator * scale / denominator, places)`` in the database, handed back as a Decimal of exactly
    ``places`` places whichever the database (None where the denominator is 0 or NULL): a percentage to two
    places is ``DecimalRatio(part, whole, places=2, scale=100)``.

    The numerator is cast before the division, to numeric on PostgreSQL (exact, even over integer columns) and
    to REAL on SQLite, which keeps every decimal as one anyway. One expression rather than Django's ``*`` and
    ``/``: on SQLite, Django casts each decimal step to NUMERIC, which turns 30000.0 back into an integer."""

    def __init__(self, numerator, denominator, *, places: int, scale: int = 1):
        super().__init__(numerator, denominator, output_field=DecimalField(max_digits=65, decimal_places=places))
        self.places, self.scale = int(places), int(scale)

    def as_sql(self, compiler, connection, number_type="numeric", **extra_context):
        numerator, denominator = self.get_source_expressions()
        numerator_sql, numerator_params = compiler.compile(numerator)
        denominator_sql, denominator_params = compiler.compile(denominator)
        # scale and places are ints (see __init__), never text from outside.
        return (f"ROUND(CAST({numerator_sql} AS {number_type}) * {self.scale} / NULLIF({denominator_sql}, 0), "
                f"{self.places})", [*numerator_params, *denominator_params])

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, number_type="REAL", **extra_context)

    def get_db_converters(self, connection):
        quantum = Decimal(1).scaleb(-self.places)

        def quantize(value, expression, connection):
            return None if value is None else Decimal(value).quantize(quantum)

        return [*super().get_db_converters(connection), quantize]
