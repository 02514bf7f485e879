"""Allocation in Chromium: the Alliance Manager registers a package, uploads its schemes as CSV (a wrong file
first: the line and column are shown and nothing is saved), runs the allocation and reads the shares against
the tolerance bands and the trace of moves (paras 86-87); a partner sees its own schemes first; axe on each."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from alliance.dates import local_today
from allocation.models import AllocationRun, Scheme
from tests.browser.test_board import h1, menu, sign_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True)]

HEADER = "code,name,scheme_type,region,pcf_stage,design_value,construction_value\n"
GOOD = HEADER + "".join(f"NW-{i},North West {i},smart_motorway,north-west,2,{1_500_000 + i * 10_000},{9_000_000 + i * 50_000}\n"
                        for i in range(8)) + "SW-1,South West 1,supporting_work,south-west,1,400000,2500000\n"
BAD = HEADER + "NW-1,ok,smart_motorway,north-west,2,100,100\nXX-2,bad,smart_motorway,atlantis,2,100,100\n"


def test_register_upload_allocate_and_read_the_result(page: Page, seeded, axe, shot, browser_watch, tmp_path):
    sign_in(page, "alliance-manager")
    menu(page).get_by_role("link", name="Allocation").click()
    expect(h1(page)).to_have_text("Allocation")
    axe.check_url(page, "overview")
    page.get_by_role("link", name="Register a package").click()
    page.get_by_label("Code").fill("RIS3")
    page.get_by_label("Name").fill("Road Investment Strategy 3")
    page.get_by_label("Notified on").fill(local_today().isoformat())
    page.get_by_role("button", name="Register the package").click()
    expect(h1(page)).to_have_text("RIS3 Road Investment Strategy 3")

    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    page.get_by_label("CSV file").set_input_files(str(bad))
    browser_watch.expect_status(400, page.url.replace(page.url.split("/allocation")[0], "").rstrip("/") + "/upload/")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Line 3, column region")
    assert not Scheme.objects.filter(package__code="RIS3").exists()

    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("9 schemes added from the file.")).to_be_visible()
    shot(page, "package")
    axe.check_url(page, "package")

    page.get_by_test_id("allocate").click()
    expect(h1(page)).to_have_text("Allocation of RIS3")
    run = AllocationRun.objects.get(package__code="RIS3")
    assert run.moves.exists()  # eight North West schemes: some must move south
    expect(page.get_by_test_id("trace")).to_be_visible()
    expect(page.get_by_test_id("shares-2").locator("svg.app-share-bar").first).to_be_visible()
    shot(page, "run")
    axe.check_url(page, "run")
    sign_out(page)

    sign_in(page, "wsp-staff")
    page.goto("/allocation/schemes/?package=" + str(run.package_id))
    first = page.get_by_test_id("scheme-row").first
    expect(first).to_contain_text("Yours")  # WSP's schemes first
    axe.check_url(page, "schemes")
