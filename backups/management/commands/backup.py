from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups.archive import backup_create
from backups.figures import BackupError


class Command(BaseCommand):
    # A backup must run even when a system check fails (a half-finished deploy is when one is needed most).
    requires_system_checks = []
    help = (
        "Write one dated backup archive (database dump, private and media files, manifest of counts and checksums), "
        "mode 0600, into --output-dir (default: $BACKUP_DIR, else var/backups). README: Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=None,
                            help="Folder for the archive (created 0700). Default: $BACKUP_DIR or var/backups.")

    def handle(self, *args, output_dir: Path | None = None, **options):
        output_dir = output_dir or Path(os.environ.get("BACKUP_DIR") or settings.VAR_DIR / "backups")
        try:
            result = backup_create(output_dir=output_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(result.path))
        self.stderr.write(
            f"Backup written: {result.path} ({result.size:,} bytes, {result.tables} tables, {result.rows:,} rows, "
            f"{result.files} files) in {result.seconds:.1f} s."
        )
