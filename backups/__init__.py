"""Backups of the whole platform, and the drill that proves one restores (README "Backups").

A backup is ONE tar file, ``alliance-backup-<UTC time>.tar``, mode 0600 (it holds CVs), holding:

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``files.tar.gz``: ``PRIVATE_FILES_ROOT`` under ``private/`` and ``MEDIA_ROOT`` under ``media/``;
- ``manifest.json``: when, the applied migrations (latest per app), the row count of every table, a sha256 of
  the votes table and of every historical table (rows in primary key order), a sha256 of every stored file,
  and a sha256 of the two members above.

The counts and checksums are computed inside the very snapshot that pg_dump dumps (``pg_export_snapshot`` and
``pg_dump --snapshot``): a vote cast while the backup runs is in neither or in both, so a restore check never
reports a difference that is only a race. Files are not transactional: they are archived after the snapshot is
taken, so every file a dumped row names is present unless the CV purge deleted it meanwhile.

``restore_check`` restores an archive into a fresh scratch database and a temporary folder, recomputes the same
figures and compares them with the manifest.

backups/archive.py writes an archive (``backup_create``), backups/restore.py restores and checks one
(``restore_check``), backups/figures.py computes what both record and compare; the management commands
``backup`` and ``restore_check`` (bin/backup, bin/restore-check) call them.
"""
