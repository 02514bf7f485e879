"""Key persons in Chromium: a partner's staff uploads a CV and nominates (a file that is not a PDF is refused);
the Alliance Manager shortlists and proposes to the Board (para 59); the seven board members approve with one
click each; the organisation chart shows the appointment. And axe on every people page.

Run with Debian's Chromium installed (apt-get install chromium); see tests/browser/conftest.py.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from people.models import (
    Appointment,
    CvAccess,
    CvCall,
    Nomination,
    NominationStatus,
    ResourcingProposal,
)
from tests.browser.test_board import h1, menu, open_from_board, sign_in, sign_out, tally_text, vote_with_htmx
from tests.pdf_samples import minimal_pdf

pytestmark = [pytest.mark.django_db(transaction=True)]

ROLE = "Head of Finance"  # pan-alliance (para 51), vacant in the demo, nobody nominated yet
NOMINEE = "Harriet Vale"
VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]


@pytest.fixture
def cv_files(tmp_path):
    real = tmp_path / "Harriet Vale CV.pdf"
    real.write_bytes(minimal_pdf())
    fake = tmp_path / "cv.pdf"
    fake.write_text("<html><body>not a CV</body></html>")
    return real, fake


def test_nominate_shortlist_propose_approve_and_see_it_on_the_chart(page: Page, seeded, cv_files, browser_watch,
                                                                     shot):
    real, fake = cv_files

    # 1. WSP's staff nominates for a pan-alliance role from the People page.
    sign_in(page, "wsp-staff")
    menu(page).get_by_role("link", name="People").click()
    expect(h1(page)).to_have_text("Alliance key persons")
    page.get_by_role("link", name=f"Nominate for {ROLE}").click()
    expect(h1(page)).to_have_text(f"Nominate for {ROLE}")
    nominate_url = page.url
    page.get_by_label("Name of the person you nominate").fill(NOMINEE)
    page.get_by_label("Why they are right for the role").fill("Chartered accountant; ran the finance of two alliances.")
    page.get_by_label("They are available to work full time within the Alliance (para 55)").check()
    # An HTML page named cv.pdf is refused by its content, and nothing is stored.
    page.get_by_label("CV").set_input_files(str(fake))
    browser_watch.expect_status(400, re.sub(r"^https?://[^/]+", "", nominate_url))
    page.get_by_role("button", name="Submit the nomination").click()
    expect(page.get_by_role("alert")).to_contain_text("A CV must be a PDF or Word (.docx) file")
    assert not Nomination.objects.filter(person_name=NOMINEE).exists()
    shot(page, "refused-file")
    page.get_by_label("They are available to work full time within the Alliance (para 55)").check()
    page.get_by_label("CV").set_input_files(str(real))
    page.get_by_role("button", name="Submit the nomination").click()
    expect(h1(page)).to_have_text(NOMINEE)
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    nomination_url = page.url
    shot(page, "nominated")
    sign_out(page)

    # 2. The Alliance Manager opens it from the role, shortlists it and proposes it to the Board.
    sign_in(page, "alliance-manager")
    menu(page).get_by_role("link", name="People").click()
    page.get_by_role("link", name=ROLE, exact=True).first.click()
    expect(h1(page)).to_have_text(ROLE)
    page.get_by_role("link", name=NOMINEE).first.click()
    expect(page).to_have_url(nomination_url)
    page.get_by_role("button", name="Shortlist").click()
    expect(page.get_by_test_id("status")).to_have_text("Shortlisted")
    page.get_by_role("button", name="Propose to the Board").click()
    expect(page.get_by_test_id("status")).to_have_text("Before the Board")
    expect(page.get_by_test_id("decision")).to_contain_text("open")
    shot(page, "proposed")
    title = f"Appoint {NOMINEE} (WSP) as {ROLE}"
    sign_out(page)

    # 3. Seven board members approve, one click each.
    for count, username in enumerate(VOTERS, start=1):
        sign_in(page, username)
        open_from_board(page, title)
        vote_with_htmx(page, "Vote for", "For", tally_text(count, 0, 0, 7 - count))
        sign_out(page)

    # 4. The chair closes it: approved, and the nominee is appointed.
    sign_in(page, "sro")
    open_from_board(page, title)
    page.get_by_role("button", name="Close voting now").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("Approved")
    assert Nomination.objects.get(person_name=NOMINEE).status == NominationStatus.APPOINTED
    assert Appointment.objects.filter(person_name=NOMINEE, role__title=ROLE, organisation__slug="wsp").exists()
    sign_out(page)

    # 5. Everyone sees the appointment on the organisation chart.
    sign_in(page, "costain-staff")
    menu(page).get_by_role("link", name="People").click()
    page.get_by_role("link", name="Organisation chart").click()
    expect(h1(page)).to_have_text("Organisation chart")
    row = page.get_by_test_id("post").filter(has=page.get_by_role("link", name=ROLE, exact=True))
    today = timezone.localdate()
    expect(row).to_contain_text(NOMINEE)
    expect(row).to_contain_text("WSP")
    expect(row).to_contain_text(f"Since {today.day} {today:%b %Y}")
    shot(page, "chart")
    # Another partner's staff cannot open WSP's nomination or its CV.
    nomination = Nomination.objects.get(person_name=NOMINEE)
    for path in (f"/people/nominations/{nomination.pk}/", f"/people/nominations/{nomination.pk}/cv/"):
        browser_watch.expect_status(404, path)
        assert page.goto(path).status == 404
    # Nobody downloaded the CV in this story, so its access log is empty (a 404 is not an access).
    assert CvAccess.objects.filter(nomination=nomination).count() == 0


def test_people_pages_pass_axe(page: Page, seeded, axe, shot):
    role = Nomination.objects.filter(status=NominationStatus.SHORTLISTED).select_related("role").first().role
    nomination = Nomination.objects.filter(role=role).first()
    proposal = ResourcingProposal.objects.first()
    call = CvCall.objects.first()
    for username, pages in [
        ("alliance-manager", [
            ("/people/", "Alliance key persons"), ("/people/chart/", "Organisation chart"),
            ("/people/nominations/", "Nominations"), (f"/people/roles/{role.pk}/", role.title),
            (f"/people/nominations/{nomination.pk}/", nomination.person_name),
            ("/people/hub/", "Production Hub resourcing"), (f"/people/hub/proposals/{proposal.pk}/", proposal.title),
            (f"/people/hub/calls/{call.pk}/", call.title), ("/people/hub/calls/new/", "Issue a call for CVs"),
            ("/people/hub/proposals/new/", "Request a proposal"), ("/people/hub/presence/", "The client's presence"),
        ]),
        ("wsp-staff", [
            ("/people/", "Alliance key persons"), ("/people/nominations/", "Nominations"),
            (f"/people/hub/calls/{call.pk}/", call.title),
        ]),
    ]:
        sign_in(page, username)
        for path, heading in pages:
            page.goto(path)
            expect(h1(page)).to_contain_text(heading)
            label = f"{username}-{path.strip('/').replace('/', '-') or 'home'}"
            shot(page, label)
            axe.check_url(page, label)
        sign_out(page)
