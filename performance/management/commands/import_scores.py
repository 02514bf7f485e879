"""python manage.py import_scores FILE.csv --as USERNAME [--reason "..."]: the same service the upload page uses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from alliance.models import Person
from performance.services import scorecard as services


class Command(BaseCommand):
    help = ("Record scores from a CSV file (scheme,metric,period,score and optionally raw_value, evidence) as a "
            "person: all of them or, if any line is wrong, none; each refused line is printed.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file; its first line names the columns.")
        parser.add_argument("--as", dest="username", required=True,
                            help="The username of the person entering the scores (their permissions apply).")
        parser.add_argument("--reason", default="", help="The reason for correcting scores of a frozen quarter.")

    def handle(self, *args, file: str, username: str, reason: str, **options):
        actor = Person.objects.select_related("organisation").filter(username=username).first()
        if actor is None:
            raise CommandError(f"No person with the username {username!r}.")
        try:
            with open(file, "rb") as upload:
                saved = services.scores_from_csv(actor=actor, upload=upload, correction_reason=reason)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        except PermissionDenied as error:
            raise CommandError(str(error) or "Not allowed to enter scores.") from error
        except ValidationError as refusal:
            lines = [m for messages in (refusal.message_dict.values() if hasattr(refusal, "error_dict")
                                        else [refusal.messages]) for m in messages]
            for line in lines:
                self.stderr.write(line)
            raise CommandError(f"{len(lines)} error{'s' if len(lines) != 1 else ''}: nothing of the file is saved."
                               ) from refusal
        self.stdout.write(f"{len(saved)} score{'s' if len(saved) != 1 else ''} recorded.")
