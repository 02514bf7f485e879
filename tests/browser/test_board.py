"""The Alliance Board in Chromium: tabling a decision, seven organisations voting with one click (htmx), the
plain-form vote without JavaScript, a client decision, a meeting without its chair, and axe on every Board page.

Run with Debian's Chromium installed (apt-get install chromium); see tests/browser/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from alliance import demo
from alliance.models import Person
from governance.models import Decision, DecisionType, Meeting, Vote
from governance.models.board import DecisionStatus, MeetingStatus, Outcome
from governance.services import board as services
from tests.conftest import totp_code

pytestmark = [pytest.mark.django_db(transaction=True)]

MANAGER = "alliance-manager"
SRO = "sro"
PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
# The demo's open written resolution (sro For, fluor-rep For, jacobs-rep Abstain so far) and closed decision.
DEMO_OPEN = "Appoint the Alliance Commercial Lead"
DEMO_CLOSED = "Adopt the first tender commitments for delivery"
NO_RELOAD_MARK = "() => { window.__boardTestMark = 'same page'; }"
NO_RELOAD_READ = "() => window.__boardTestMark"


def rep(partner: str) -> str:
    return f"{partner}-rep"


def h1(page: Page):
    return page.get_by_role("heading", level=1)


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def sign_in(page: Page, username: str) -> None:
    """Through the real login form; then, for the SRO, the Alliance Manager and the administrator, the
    two-factor page with the code their (demo) authenticator app would show."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(h1(page)).to_have_text(re.compile(r"^(What needs you now|Enter your two-factor code)$"))
    if h1(page).inner_text() == "Enter your two-factor code":
        page.get_by_label("Code").fill(totp_code(Person.objects.get(username=username)))
        page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("What needs you now")


def sign_out(page: Page) -> None:
    """The header's Sign out button posts a form (a GET must not sign anyone out)."""
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(h1(page)).to_have_text("Sign in")
    expect(page.get_by_test_id("who")).to_have_count(0)


def local_input(moment: dt.datetime) -> str:
    """The value a datetime-local input takes, in London time (the app's and the browser's zone)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def open_from_board(page: Page, title: str) -> None:
    menu(page).get_by_role("link", name="Board").click()
    expect(h1(page)).to_have_text("Alliance Board")
    page.get_by_test_id("open-decisions").get_by_role("link", name=title).click()
    expect(h1(page)).to_have_text(title)
    expect(page).to_have_url(re.compile(r"/board/decisions/\d+/$"))


def tally_text(votes_for: int, against: int, abstain: int, missing: int) -> str:
    return f"For {votes_for} · Against {against} · Abstain {abstain} · Not voted {missing}"


def vote_with_htmx(page: Page, button: str, shown_choice: str, expected_tally: str) -> None:
    """One click: the panel is swapped in by htmx (an HX-Request), the page itself is not reloaded."""
    page.evaluate(NO_RELOAD_MARK)
    with page.expect_response(re.compile(r"/board/decisions/\d+/vote/$")) as response_info:
        page.get_by_test_id("vote-panel").get_by_role("button", name=button).click()
    response = response_info.value
    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true", "the vote was not sent by htmx"
    confirmed = page.get_by_test_id("vote-confirmed")
    expect(confirmed).to_have_text(f"Your organisation's vote is recorded: {shown_choice}.")
    expect(confirmed).to_have_attribute("role", "status")
    expect(page.get_by_test_id("tally")).to_have_text(expected_tally)
    expect(page.get_by_test_id("my-vote")).to_contain_text(f"Your organisation has voted {shown_choice}")
    assert page.evaluate(NO_RELOAD_READ) == "same page", "the page was reloaded"


def table_decision(manager, type_code: str, title: str, **fields) -> Decision:
    alliance = manager.organisation.alliance
    decision_type = DecisionType.objects.get(alliance=alliance, code=type_code)
    return services.decision_table(
        actor=manager, alliance=alliance, decision_type=decision_type, title=title, **fields
    )


# --- 1. Tabling, seven votes with one click each, closing ----------------------------------------------


def test_written_resolution_tabled_voted_by_seven_and_closed(page: Page, seeded, shot):
    title = "Appoint the Alliance Digital Lead"
    closes = timezone.now() + dt.timedelta(days=3)

    sign_in(page, MANAGER)
    menu(page).get_by_role("link", name="Board").click()
    page.get_by_role("link", name="Table a decision").click()
    expect(page).to_have_url(re.compile(r"/board/decisions/new/$"))
    expect(h1(page)).to_have_text("Table a decision")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(
        "The nominee interviewed on 19 Nov for the pan-alliance Digital Lead role."
    )
    page.get_by_label("Decision type (Decision Matrix)").select_option(
        label="Key person appointment — Majority decision of the Board"
    )
    expect(page.get_by_label("Meeting")).to_have_value("")  # none: a written resolution
    page.get_by_label("Voting closes").fill(local_input(closes))
    shot(page, "table-filled")
    page.get_by_role("button", name="Table decision").click()

    expect(page).to_have_url(re.compile(r"/board/decisions/\d+/$"))
    expect(h1(page)).to_have_text(title)
    expect(page.get_by_role("alert")).to_contain_text("The decision is tabled")
    expect(page.get_by_test_id("rule")).to_have_text("Majority decision of the Board (para 59)")
    expect(page.get_by_test_id("tally")).to_have_text(tally_text(0, 0, 0, 7))
    # The Alliance Manager runs the Board but does not vote (Table 2).
    expect(page.get_by_test_id("no-vote")).to_contain_text("The Alliance Manager")
    expect(page.get_by_test_id("vote-panel").get_by_role("button")).to_have_count(0)
    shot(page, "tabled")
    decision_url = page.url
    decision = Decision.objects.get(title=title)
    assert decision.closes_at == closes.replace(second=0, microsecond=0)
    sign_out(page)

    # (username, button, the choice shown, the tally after the click); wsp-rep then changes to For.
    votes = [
        (SRO, "Vote for", "For", (1, 0, 0, 6)),
        (rep("fluor"), "Vote for", "For", (2, 0, 0, 5)),
        (rep("jacobs"), "Vote against", "Against", (2, 1, 0, 4)),
        (rep("wsp"), "Vote against", "Against", (2, 2, 0, 3)),
        (rep("costain"), "Abstain", "Abstain", (3, 1, 1, 2)),
        (rep("bam-msjv"), "Vote against", "Against", (3, 2, 1, 1)),
        (rep("balfour-beatty"), "Vote for", "For", (4, 2, 1, 0)),
    ]
    current = (0, 0, 0, 7)
    for username, button, shown, after in votes:
        sign_in(page, username)
        open_from_board(page, title)
        expect(page).to_have_url(decision_url)
        expect(page.get_by_test_id("tally")).to_have_text(tally_text(*current))
        expect(page.get_by_test_id("vote-confirmed")).to_have_count(0)
        vote_with_htmx(page, button, shown, tally_text(*after))
        current = after
        if username in (SRO, rep("balfour-beatty")):
            shot(page, f"voted-{username}")
        if username == rep("wsp"):
            # Changing the vote: the swapped-in panel offers the buttons again, still without a reload.
            expect(page.get_by_role("heading", name="Change your organisation's vote")).to_be_visible()
            current = (3, 1, 0, 3)
            vote_with_htmx(page, "Vote for", "For", tally_text(*current))
            shot(page, "wsp-changed-vote")
        sign_out(page)

    assert dict(Vote.objects.filter(decision=decision).values_list("organisation__slug", "choice")) == {
        "national-highways": "for",
        "fluor": "for",
        "jacobs": "against",
        "wsp": "for",
        "costain": "abstain",
        "bam-msjv": "against",
        "balfour-beatty": "for",
    }

    sign_in(page, MANAGER)
    page.goto(decision_url)
    expect(page.get_by_test_id("tally")).to_have_text(tally_text(4, 2, 1, 0))
    history = page.get_by_role("table", name="Every vote cast and changed")
    expect(history.get_by_role("row").filter(has_text="WSP")).to_have_count(2)
    expect(history.get_by_role("row").filter(has_text="(changed)")).to_have_count(1)
    page.get_by_role("button", name="Close voting now").click()
    expect(page).to_have_url(decision_url)
    expect(page.get_by_role("alert")).to_contain_text("The decision is closed: approved.")
    expect(page.get_by_test_id("outcome")).to_contain_text("Approved")
    expect(page.get_by_test_id("outcome")).to_contain_text("by Tom Ashworth")
    expect(page.get_by_role("button", name="Close voting now")).to_have_count(0)
    # Closed early: the page says when voting actually closed, and when it was due to.
    expect(page.get_by_test_id("closes")).to_contain_text(f"{timezone.localtime():%A %-d %B %Y}")
    expect(page.get_by_test_id("closes")).to_contain_text(
        f"(it was due to close {timezone.localtime(closes):%A %-d %B %Y, %H:%M})"
    )
    shot(page, "closed-by-manager")
    sign_out(page)

    # The eighth page view: a board member sees the frozen outcome and no vote buttons.
    sign_in(page, rep("jacobs"))
    menu(page).get_by_role("link", name="Board").click()
    past = page.get_by_test_id("past-decisions")
    expect(past.get_by_role("row").filter(has_text=title)).to_contain_text("Approved")
    past.get_by_role("link", name=title).click()
    expect(h1(page)).to_have_text(title)
    expect(page.get_by_test_id("outcome")).to_contain_text("Approved")
    expect(page.get_by_test_id("tally")).to_have_text(tally_text(4, 2, 1, 0))
    expect(page.get_by_role("heading", name="Outcome", level=2)).to_be_visible()
    expect(page.get_by_test_id("vote-panel").get_by_role("button")).to_have_count(0)
    shot(page, "closed-seen-by-jacobs")

    decision.refresh_from_db()
    assert (decision.status, decision.outcome) == (DecisionStatus.CLOSED, Outcome.APPROVED)
    assert (decision.votes_for, decision.votes_against, decision.votes_abstain, decision.votes_missing) == (
        4,
        2,
        1,
        0,
    )


# --- 2. Without JavaScript -------------------------------------------------------------------------------


def test_vote_without_javascript_posts_the_form(new_context, browser_watch, seeded, shot):
    context = new_context(java_script_enabled=False)
    browser_watch.attach(context)
    context.set_default_timeout(10_000)
    page = context.new_page()

    sign_in(page, rep("wsp"))
    open_from_board(page, DEMO_OPEN)
    decision_url = page.url
    expect(page.get_by_test_id("tally")).to_have_text(tally_text(2, 0, 1, 4))
    with page.expect_navigation():
        page.get_by_role("button", name="Vote against").click()

    expect(page).to_have_url(decision_url)  # posted to /vote/ and redirected back
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Done")
    expect(banner).to_contain_text("Your organisation's vote is recorded")
    expect(page.get_by_test_id("tally")).to_have_text(tally_text(2, 1, 1, 3))
    expect(page.get_by_test_id("my-vote")).to_contain_text("Your organisation has voted Against")
    shot(page, "voted-without-javascript")
    assert Vote.objects.get(decision__title=DEMO_OPEN, organisation__slug="wsp").choice == "against"


# --- 3. A client decision ---------------------------------------------------------------------------------


def test_client_decision_only_the_sro_decides(page: Page, seeded, shot):
    from alliance.models import Person

    title = "Release the second tranche of funding"
    table_decision(
        Person.objects.get(username=MANAGER),
        "funding",
        title,
        closes_at=timezone.now() + dt.timedelta(days=2),
    )

    sign_in(page, rep("fluor"))
    open_from_board(page, title)
    expect(page.get_by_test_id("rule")).to_have_text("Client (SRO) decision (para 19)")
    expect(page.get_by_test_id("no-vote")).to_have_text(
        "This is a client decision: only the SRO decides it (para 19)."
    )
    expect(page.get_by_test_id("vote-panel").get_by_role("button")).to_have_count(0)
    expect(page.get_by_test_id("tally")).to_have_text(tally_text(0, 0, 0, 1))
    shot(page, "partner-sees-no-vote")
    sign_out(page)

    sign_in(page, SRO)
    open_from_board(page, title)
    panel = page.get_by_test_id("vote-panel")
    expect(panel.get_by_role("button")).to_have_text(["Approve", "Reject"])
    expect(page.get_by_test_id("no-vote")).to_have_count(0)
    vote_with_htmx(page, "Approve", "For", tally_text(1, 0, 0, 0))
    shot(page, "sro-approved")


# --- 4. A meeting without its chair ---------------------------------------------------------------------


def test_meeting_without_its_chair_cannot_open_and_is_rearranged(page: Page, seeded, shot):
    starts = (timezone.localtime() + dt.timedelta(days=14)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    later = starts + dt.timedelta(days=7)

    sign_in(page, MANAGER)
    menu(page).get_by_role("link", name="Board").click()
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(page).to_have_url(re.compile(r"/board/meetings/new/$"))
    expect(h1(page)).to_have_text("Schedule a Board meeting")
    expect(page.get_by_label("Title")).to_have_value("Alliance Board")
    page.get_by_label("Title").fill("Extraordinary Alliance Board")
    page.get_by_label("Starts").fill(local_input(starts))
    page.get_by_label("Location").fill("Leeds, Wellington Place, room 2")
    page.get_by_label("Agenda").fill("Supply Chain Strategy: second draft\nRisk register")
    shot(page, "schedule-filled")
    page.get_by_role("button", name="Schedule meeting").click()

    expect(page).to_have_url(re.compile(r"/board/meetings/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("The meeting is scheduled.")
    expect(h1(page)).to_contain_text("Extraordinary Alliance Board")
    expect(page.get_by_role("list").filter(has_text="Risk register")).to_be_visible()
    meeting_url = page.url
    meeting = Meeting.objects.get(title="Extraordinary Alliance Board")
    assert timezone.localtime(meeting.starts_at) == starts

    attendance = page.locator(f"form[action='/board/meetings/{meeting.pk}/attendance/']")
    for name in ["Daniel Whitcombe (Fluor)", "Rachel Dunmore (Jacobs)", "Martin Feld (WSP)"]:
        attendance.get_by_label("Person").select_option(label=name)
        attendance.get_by_label("Status").select_option(label="Present")
        attendance.get_by_role("button", name="Record").click()
        expect(page).to_have_url(meeting_url)
        expect(page.get_by_role("alert")).to_contain_text("Attendance recorded.")
    attendees = page.get_by_role("table", name="Who attends")
    expect(attendees.get_by_role("row")).to_have_count(4)  # the header and three partner reps
    expect(page.get_by_test_id("no-chair")).to_contain_text("para 36")
    expect(page.get_by_test_id("unrepresented")).to_contain_text("National Highways")

    page.get_by_role("button", name="Open the meeting").click()
    expect(page).to_have_url(meeting_url)
    refusal = page.locator(".govuk-notification-banner").filter(has_text="Important")
    expect(refusal).to_contain_text("cannot go ahead without the SRO")
    expect(refusal).to_contain_text("rearrange it (para 36)")
    expect(page.get_by_test_id("no-chair")).to_contain_text("must be rearranged (para 36)")
    shot(page, "open-refused")
    # The warning takes the manager to the form that does what it asks.
    page.get_by_test_id("no-chair").get_by_role("link", name="rearranged").click()
    expect(page.get_by_role("heading", name="Rearrange", exact=True)).to_be_focused()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED

    rearrange = page.locator(f"form[action='/board/meetings/{meeting.pk}/rearrange/']")
    rearrange.get_by_label("New date and time").fill(local_input(later))
    rearrange.get_by_role("button", name="Rearrange the meeting").click()

    expect(page).to_have_url(re.compile(r"/board/meetings/\d+/$"))
    expect(page).not_to_have_url(meeting_url)
    expect(page.get_by_role("alert")).to_contain_text("The meeting is rearranged; this is the new meeting.")
    expect(h1(page)).to_contain_text(f"{later.day} {later:%B %Y}, 10:00")
    expect(page.locator("main")).to_contain_text("Leeds, Wellington Place, room 2")
    expect(page.get_by_role("list").filter(has_text="Risk register")).to_be_visible()
    shot(page, "rearranged")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REARRANGED
    assert page.url.endswith(f"/board/meetings/{meeting.rearranged_to_id}/")


# --- 5. axe on every Board page ---------------------------------------------------------------------------


def test_board_pages_pass_axe_for_the_manager(page: Page, seeded, axe, shot):
    open_decision = Decision.objects.get(title=DEMO_OPEN)
    closed_decision = Decision.objects.get(title=DEMO_CLOSED)
    meeting = Meeting.objects.get(title="Alliance Board")
    matrix_row = DecisionType.objects.get(code="key-person-appointment")

    sign_in(page, MANAGER)
    for path, heading, label in [
        ("/board/", "Alliance Board", "board"),
        (f"/board/decisions/{open_decision.pk}/", DEMO_OPEN, "decision-open"),
        (f"/board/decisions/{closed_decision.pk}/", DEMO_CLOSED, "decision-closed"),
        ("/board/decisions/new/", "Table a decision", "table-decision"),
        ("/board/meetings/new/", "Schedule a Board meeting", "schedule-meeting"),
        (f"/board/meetings/{meeting.pk}/", "Alliance Board, ", "meeting"),
        (f"/board/meetings/{meeting.pk}/minutes/", "Alliance Board, ", "minutes"),
        ("/board/matrix/", "Decision Matrix", "matrix"),
        (f"/board/matrix/{matrix_row.pk}/", "Change “Key person appointment”", "matrix-edit"),
    ]:
        page.goto(path)
        expect(h1(page)).to_contain_text(heading)
        shot(page, label)
        axe.check_url(page, label)


def test_board_pages_pass_axe_for_a_partner_rep(page: Page, seeded, axe, shot):
    open_decision = Decision.objects.get(title=DEMO_OPEN)

    sign_in(page, rep("costain"))
    page.goto("/board/")
    expect(h1(page)).to_have_text("Alliance Board")
    expect(page.get_by_role("link", name="Table a decision")).to_have_count(0)
    shot(page, "board")
    axe.check_url(page, "board, partner rep")

    page.goto(f"/board/decisions/{open_decision.pk}/")
    expect(h1(page)).to_have_text(DEMO_OPEN)
    expect(page.get_by_role("button", name="Close voting now")).to_have_count(0)
    shot(page, "decision")
    axe.check_url(page, "decision, partner rep")

    # The panel htmx swaps in after a vote passes too.
    axe_page = axe.page_like(page)
    axe_page.goto(page.url)
    axe_page.get_by_test_id("vote-panel").get_by_role("button", name="Abstain").click()
    expect(axe_page.get_by_test_id("vote-confirmed")).to_be_visible()
    axe.check(axe_page, "decision after an htmx vote, partner rep")
    axe_page.context.close()


# --- A stale page: voting after the decision closed -------------------------------------------------------


def test_vote_on_a_stale_page_after_closing_says_why(page: Page, seeded, browser_watch, shot):
    """The rep opened the page while voting was open; the SRO closes it; the one-click vote must say why it
    did not count, not silently do nothing."""
    from alliance.models import Person

    sign_in(page, rep("costain"))
    open_from_board(page, DEMO_OPEN)
    decision = Decision.objects.get(title=DEMO_OPEN)
    services.decision_close(actor=Person.objects.get(username=SRO), decision=decision)

    browser_watch.expect_status(400, f"/board/decisions/{decision.pk}/vote/")
    page.get_by_test_id("vote-panel").get_by_role("button", name="Vote for").click()
    expect(page.get_by_test_id("vote-panel")).to_contain_text("Voting on this decision has closed.")
    shot(page, "stale-vote-refused")
    assert not Vote.objects.filter(decision=decision, organisation__slug="costain").exists()
