from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import demo


class Command(BaseCommand):
    help = "Create the SMP Alliance demo (organisations, demo logins with password 'demo', obligations). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (the demo logins share one password)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates logins whose password is 'demo': it refuses to run with DEBUG off. "
                "Use --force if this really is a demonstration server."
            )
        summary = demo.seed()
        self.stdout.write(self.style.SUCCESS(summary))
