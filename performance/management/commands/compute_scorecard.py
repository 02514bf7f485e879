"""python manage.py compute_scorecard --period 2025-Q3 [--alliance SLUG]: freeze a quarter by hand.

The same service as the daily beat job (performance.freeze_quarters) and the "Freeze now" button: the scorecard
is computed, frozen, and its findings (Figure 9) recorded. A frozen quarter is left as it is.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from performance import periods
from performance.models import Quarter
from performance.selectors import scorecard as selectors
from performance.services import scorecard as services


class Command(BaseCommand):
    help = "Compute and freeze a quarter's scorecard (para 159) for one alliance or every alliance that has it."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="The quarter, like 2025-Q3.")
        parser.add_argument("--alliance", help="The alliance's slug; every alliance with that quarter if left out.")

    def handle(self, *args, period: str, alliance: str | None, **options):
        parsed = periods.parse(period)
        if parsed is None:
            raise CommandError(f"--period must be a quarter like 2025-Q3, not {period!r}.")
        quarters = Quarter.objects.filter(year=parsed[0], number=parsed[1]).select_related("alliance")
        if alliance:
            quarters = quarters.filter(alliance__slug=alliance)
        quarters = list(quarters.order_by("alliance__slug"))
        if not quarters:
            raise CommandError(f"No quarter {period}{f' for {alliance}' if alliance else ''}: it has no score.")
        for quarter in quarters:
            already = quarter.status
            try:
                quarter = services.quarter_freeze(actor=None, quarter=quarter)
            except ValidationError as refusal:
                raise CommandError(" ".join(refusal.messages)) from refusal
            overall = selectors.scorecard(quarter.alliance_id, [quarter], with_cells=False).overall
            verb = "was already" if already == quarter.status else "is now"
            self.stdout.write(
                f"{quarter.alliance.slug} {quarter.label} {verb} {quarter.get_status_display().lower()}: overall "
                f"{'missing' if overall.average is None else f'{overall.average:.2f}'} over {overall.count} "
                f"score{'s' if overall.count != 1 else ''}, {quarter.findings.count()} finding"
                f"{'s' if quarter.findings.count() != 1 else ''}.")
