from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.figures import BackupError
from backups.restore import report_table, restore_check


class Command(BaseCommand):
    # A backup must run even when a system check fails (a half-finished deploy is when one is needed most).
    requires_system_checks = []
    help = (
        "Restore a backup archive into a fresh scratch database (dropped afterwards unless --keep) and a temporary "
        "folder, recompute row counts and checksums, and compare them with the archive's manifest. Exits non-zero "
        "on any difference. With --target-database, restores into that database instead (the real restore; it "
        "refuses a database that has tables unless --force). README: Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="An alliance-backup-*.tar file written by `manage.py backup`.")
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database (its name is printed).")
        parser.add_argument("--scratch-name", default=None,
                            help="Name of the scratch database (must not exist). Default: alliance_restore_<time>_<random>.")
        parser.add_argument("--target-database", default=None,
                            help="Restore into this database (created if missing) and keep it: the real restore.")
        parser.add_argument("--force", action="store_true",
                            help="With --target-database: replace the contents of a database that has tables.")
        parser.add_argument("--verify-only", action="store_true",
                            help="With --target-database: restore nothing, only compare that database with the backup.")
        parser.add_argument("--differences-only", action="store_true", help="Print only the lines that differ.")

    def handle(self, *args, archive: Path, keep: bool, scratch_name: str | None, target_database: str | None,
               force: bool, verify_only: bool, differences_only: bool, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such backup archive.")
        if (force or verify_only) and not target_database:
            raise CommandError("--force and --verify-only go with --target-database.")
        try:
            outcome = restore_check(archive_path=archive, target_database=target_database, force=force,
                                            keep=keep, verify_only=verify_only, scratch=scratch_name)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        report = outcome.report
        table = report_table(report, all_rows=not differences_only)
        if table:
            self.stdout.write(table)
        checked = len(report.lines)
        where = f"database {outcome.database}" + (" (kept)" if outcome.kept else "")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(
                f"Restore check passed: {checked} figures match the manifest ({where}, {outcome.seconds:.1f} s)."))
            return
        names = ", ".join(d.label for d in report.differences)
        raise CommandError(f"Restore check FAILED: {len(report.differences)} of {checked} figures differ "
                           f"({where}): {names}")
