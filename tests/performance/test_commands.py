"""Management commands of the scorecard: import_scores (the upload page's service, from a shell) and
compute_scorecard (the freeze by hand, para 159), and the beat task that freezes ended quarters."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alliance.models import Person, Region
from allocation.models import Package, Scheme, SchemeAllocation
from performance import tasks
from performance.models import Metric, Quarter, QuarterStatus, Score
from performance.services import scorecard as services

pytestmark = pytest.mark.django_db

Q3 = "2026-Q3"  # over by 23 Nov 2026, the tests' today


@pytest.fixture
def people(smp):
    services.metrics_seed(smp)
    return {p.username: p for p in Person.objects.select_related("organisation")}


@pytest.fixture
def schemes(smp, people):
    """S1..S3 with Fluor, Jacobs and Costain as Responsible Partners."""
    package = Package.objects.create(alliance=smp, code="RIS1", name="r1", notified_on=dt.date(2026, 1, 5),
                                     created_by=people["sro"])
    region = Region.objects.get(alliance=smp, slug="north-west")
    for i in range(1, 4):
        scheme = Scheme.objects.create(alliance=smp, package=package, code=f"S{i}", name=f"Scheme {i}",
                                       scheme_type="smart_motorway", region=region, pcf_stage=5, design_value=1,
                                       construction_value=1, alliance_budget=2, status="awarded",
                                       awarded_on=dt.date(2026, 2, 1))
        for lot, slug in ((1, "fluor"), (2, "jacobs"), (3, "costain")):
            partner = people[f"{slug}-rep"].organisation
            SchemeAllocation.objects.create(scheme=scheme, lot=lot, initial_partner=partner, current_partner=partner)


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str):
        path = tmp_path / "scores.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def codes() -> list[str]:
    return list(Metric.objects.order_by("order").values_list("code", flat=True))


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_scores_records_a_good_file(people, schemes, csv_file):
    afr, ksi = codes()[:2]
    path = csv_file(f"scheme,metric,period,score,raw_value\nS1,{afr},{Q3},8,\nS2,{ksi},{Q3},,0\n")
    out, _ = run("import_scores", path, "--as", "jacobs-staff")
    assert "2 scores recorded." in out
    assert sorted(Score.objects.values_list("scheme__code", "score")) == [("S1", 8), ("S2", 10)]
    assert Score.objects.get(scheme__code="S1").entered_by.username == "jacobs-staff"


def test_import_scores_prints_each_refused_line_and_saves_nothing(people, schemes, csv_file):
    afr = codes()[0]
    path = csv_file(f"scheme,metric,period,score\nS1,{afr},{Q3},8\nS2,{afr},{Q3},7\nS3,nope,{Q3},4\n"
                    f"S3,{afr},2026Q3,4\nS1,{afr},{Q3},8\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="nothing of the file is saved"):
        call_command("import_scores", path, "--as", "alliance-manager", stdout=out, stderr=err)
    printed = err.getvalue()
    assert "Line 3, column score: '7' is not 0, 2, 4, 6, 8 or 10 (para 151)." in printed
    assert "Line 4, column metric" in printed and "Line 5, column period" in printed
    assert "Line 6, column row" in printed  # the duplicate of line 2
    assert not Score.objects.exists()


def test_import_scores_refuses_a_client_reviewer_and_an_unknown_person(people, schemes, csv_file):
    path = csv_file(f"scheme,metric,period,score\nS1,{codes()[0]},{Q3},8\n")
    with pytest.raises(CommandError, match="client reviewer cannot"):
        run("import_scores", path, "--as", "client-reviewer")
    with pytest.raises(CommandError, match="No person"):
        run("import_scores", path, "--as", "nobody")
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_scores", path + ".missing", "--as", "alliance-manager")
    assert not Score.objects.exists()


def test_import_scores_corrects_a_frozen_quarter_only_with_a_reason(people, schemes, csv_file):
    afr = codes()[0]
    services.scores_record(actor=people["alliance-manager"],
                           rows=[{"scheme": "S1", "metric": afr, "period": Q3, "score": 8}])
    call_command("compute_scorecard", "--period", Q3, stdout=io.StringIO())
    path = csv_file(f"scheme,metric,period,score\nS1,{afr},{Q3},4\n")
    with pytest.raises(CommandError):
        run("import_scores", path, "--as", "alliance-manager")
    assert Score.objects.get().score == 8
    run("import_scores", path, "--as", "alliance-manager", "--reason", "Audit found two unreported incidents")
    score = Score.objects.get()
    assert (score.score, score.correction_reason) == (4, "Audit found two unreported incidents")


def test_compute_scorecard_freezes_the_quarter_by_hand(smp, people, schemes):
    afr, ksi = codes()[:2]
    services.scores_record(actor=people["alliance-manager"], rows=[
        {"scheme": "S1", "metric": afr, "period": Q3, "score": 0},
        {"scheme": "S2", "metric": ksi, "period": Q3, "score": 4}])
    out, _ = run("compute_scorecard", "--period", Q3, "--alliance", smp.slug)
    quarter = Quarter.objects.get(alliance=smp, year=2026, number=3)
    assert quarter.status == QuarterStatus.FROZEN and quarter.snapshot["overall"] == 2.0
    assert f"{smp.slug} {Q3} is now computed and frozen: overall 2.00 over 2 scores" in out
    assert quarter.findings.exists()
    again, _ = run("compute_scorecard", "--period", Q3)  # idempotent
    assert "was already computed and frozen" in again
    assert Quarter.objects.get(pk=quarter.pk).frozen_at == quarter.frozen_at


def test_compute_scorecard_refuses_a_bad_period_a_missing_quarter_and_one_not_over(smp, people, schemes):
    with pytest.raises(CommandError, match="like 2025-Q3"):
        run("compute_scorecard", "--period", "2026Q3")
    with pytest.raises(CommandError, match="No quarter 2025-Q3"):
        run("compute_scorecard", "--period", "2025-Q3")
    services.scores_record(actor=people["alliance-manager"],
                           rows=[{"scheme": "S1", "metric": codes()[0], "period": "2026-Q4", "score": 8}])
    with pytest.raises(CommandError, match="has not ended yet"):
        run("compute_scorecard", "--period", "2026-Q4", "--alliance", smp.slug)
    with pytest.raises(CommandError, match="for elsewhere"):
        run("compute_scorecard", "--period", "2026-Q4", "--alliance", "elsewhere")
    assert Quarter.objects.get(year=2026, number=4).status == QuarterStatus.OPEN


def test_the_beat_task_freezes_the_ended_quarter_once(smp, people, schemes):
    services.scores_record(actor=people["alliance-manager"],
                           rows=[{"scheme": "S1", "metric": codes()[0], "period": Q3, "score": 8}])
    assert tasks.freeze_quarters() == 1
    assert Quarter.objects.get(year=2026, number=3).status == QuarterStatus.FROZEN
    assert tasks.freeze_quarters() == 0


def test_the_freeze_task_is_on_the_beat_schedule():
    from config.celery import app

    app.loader.import_default_modules()
    app.finalize()
    entries = {name: entry for name, entry in app.conf.beat_schedule.items()}
    assert entries["freeze-quarters"]["task"] == "performance.freeze_quarters"
