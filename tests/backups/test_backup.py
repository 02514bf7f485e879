"""Backups (README "Backups"): a backup of the demo core restores into a scratch database with every count and
checksum equal, and the restore check fails, naming it, when a vote or a stored CV differs.

pg_dump sees only committed rows, so these tests commit (transaction=True). Every scratch database they restore
into has a name chosen here and is dropped at teardown, whether the test passed or not.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from alliance.models import Person
from backups.figures import FILES_MEMBER, MANIFEST_MEMBER, connect, database_settings
from backups.restore import database_drop, database_exists
from governance.demo import seed_matrix
from governance.models import DecisionType, Vote
from governance.services import board as governance
from people.catalogue import catalogue_seed
from people.models import KeyPersonRole
from people.services import key_persons
from tests.pdf_samples import minimal_pdf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def file_roots(settings, tmp_path) -> dict[str, Path]:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return {"private": settings.PRIVATE_FILES_ROOT, "media": settings.MEDIA_ROOT}


@pytest.fixture
def scratch():
    """Names for scratch databases (ours only: alliance_backup_t_*), each dropped at teardown if it exists."""
    names: list[str] = []

    def make() -> str:
        names.append(f"alliance_backup_t_{secrets.token_hex(4)}")
        return names[-1]

    yield make
    db = database_settings()
    for name in names:
        database_drop(db, name)


@pytest.fixture
def alliance_data(smp, file_roots):
    """The demo core, plus a vote cast through governance's service, a CV through the people services and a
    paper under MEDIA_ROOT."""
    seed_matrix(smp)
    catalogue_seed(smp)
    people = {p.username: p for p in Person.objects.select_related("organisation")}
    decision = governance.decision_table(
        actor=people["alliance-manager"], alliance=smp, title="Approve the Production Hub plan",
        decision_type=DecisionType.objects.get(alliance=smp, code="key-person-appointment"),
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    governance.vote_cast(actor=people["sro"], decision=decision, choice="for")
    governance.vote_cast(actor=people["wsp-rep"], decision=decision, choice="against")
    cv = SimpleUploadedFile("cv.pdf", minimal_pdf(2_000), content_type="application/pdf")
    nomination = key_persons.nomination_submit(
        actor=people["wsp-staff"], role=KeyPersonRole.objects.get(alliance=smp, code="head-of-ded"),
        person_name="Alex Morgan", full_time=True, cv=cv,
    )
    paper = file_roots["media"] / "papers" / "2026" / "11" / "plan.pdf"
    paper.parent.mkdir(parents=True)
    paper.write_bytes(b"%PDF-1.7\nthe plan")
    return {"cv": f"private/{nomination.cv.name}", "paper": "media/papers/2026/11/plan.pdf"}


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output-dir", str(tmp_path / "backups"), stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip())


def _check(*args: str) -> str:
    out = io.StringIO()
    call_command("restore_check", *args, stdout=out)
    return out.getvalue()


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(MANIFEST_MEMBER))


def _rewrite_file(archive: Path, target: Path, name: str, body: bytes) -> None:
    """Copy the archive, with one stored file's content replaced and the manifest left as it was."""
    with tarfile.open(archive) as outer, tarfile.open(target, "w") as copy:
        for member in outer.getmembers():
            data = outer.extractfile(member).read()
            if member.name == FILES_MEMBER:
                buffer = io.BytesIO()
                with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as files, \
                        tarfile.open(fileobj=buffer, mode="w:gz") as changed:
                    for inner in files.getmembers():
                        content = body if inner.name == name else files.extractfile(inner).read()
                        inner.size = len(content)
                        changed.addfile(inner, io.BytesIO(content))
                data = buffer.getvalue()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


def test_backup_restores_equal_and_the_check_names_a_corrupt_cv_and_a_changed_vote(alliance_data, tmp_path, scratch):
    # One test, one seed and two restores: each restore of the whole schema costs seconds.
    archive = _backup(tmp_path)

    assert archive.name.startswith("alliance-backup-") and archive.suffix == ".tar"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds CVs
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no temporary file left behind
    manifest = _manifest(archive)
    assert manifest["rows"]["governance_vote"] == 2
    assert manifest["migrations"]["governance"].startswith("0")
    assert {"governance_vote", "governance_historicalvote", "alliance_historicalnomination"} <= set(
        manifest["checksums"])
    assert set(manifest["files"]) == {alliance_data["cv"], alliance_data["paper"]}
    db = database_settings()

    # A CV changed inside the archive: named, and the scratch database is dropped although the check failed.
    corrupt = tmp_path / "corrupt.tar"
    _rewrite_file(archive, corrupt, alliance_data["cv"], b"%PDF-1.7\nsomeone else's CV")
    dropped = scratch()
    with pytest.raises(CommandError) as failed:
        _check(str(corrupt), "--scratch-name", dropped)
    assert f"file {alliance_data['cv']}" in str(failed.value)
    assert "archive files.tar.gz" in str(failed.value)
    assert "governance_vote" not in str(failed.value) and "rows " not in str(failed.value)
    assert not database_exists(db, dropped)

    # The untouched archive: every count and checksum equal.
    kept = scratch()
    report = _check(str(archive), "--scratch-name", kept, "--keep")
    assert "Restore check passed" in report and "DIFFERS" not in report
    assert "sha256     governance_vote" in report
    assert database_exists(db, kept)

    # One vote changed in the restored copy (behind the history's back): the votes table is named, nothing else.
    vote = Vote.objects.get(choice="against")
    with connect(db, kept, autocommit=True) as raw, raw.cursor() as cursor:
        cursor.execute("UPDATE governance_vote SET choice = 'for' WHERE id = %s", [vote.pk])
    with pytest.raises(CommandError) as failed:
        _check(str(archive), "--target-database", kept, "--verify-only")
    assert "1 of" in str(failed.value) and str(failed.value).endswith(": sha256 governance_vote")

    # The real restore path refuses a database that already holds tables.
    with pytest.raises(CommandError, match="refusing to restore over it"):
        _check(str(archive), "--target-database", kept)


@pytest.mark.django_db  # no rows written: the cheap rollback, not the transactional flush
def test_backup_refuses_a_database_that_is_not_postgresql(monkeypatch, tmp_path):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    with pytest.raises(CommandError, match="Backups need PostgreSQL"):
        _backup(tmp_path)
    assert not (tmp_path / "backups").exists()
