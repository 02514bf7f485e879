"""Journeys through the real pages in Chromium, with axe-core checking each page for accessibility.

Run with Debian's Chromium installed (apt-get install chromium); see tests/browser/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from alliance import demo
from alliance.models import Obligation, ObligationStatus, Person
from tests.browser.test_board import sign_in as board_sign_in
from tests.conftest import totp_code

pytestmark = [pytest.mark.django_db(transaction=True)]

MANAGER = "alliance-manager"
PARTNER_STAFF = "wsp-staff"


def fill_sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page: Page, username: str) -> None:
    board_sign_in(page, username)
    expect(page).to_have_url(re.compile(r"/$"))


def h1(page: Page):
    return page.get_by_role("heading", level=1)


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def assert_above_heading(page: Page, summary) -> None:
    """The error summary is the first thing in the content: above the page's heading (GOV.UK pattern)."""
    assert summary.bounding_box()["y"] < h1(page).bounding_box()["y"]
    before = summary.evaluate(
        "(el) => !!(el.compareDocumentPosition(document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert before, "the error summary comes after the h1 in the page"


def test_manager_pages_pass_axe(page: Page, seeded, axe, shot):
    page.goto("/accounts/login/")
    expect(h1(page)).to_have_text("Sign in")
    shot(page, "login")
    axe.check_url(page, "sign in")

    fill_sign_in(page, MANAGER, demo.DEMO_PASSWORD)
    expect(h1(page)).to_have_text("Enter your two-factor code")  # the Alliance Manager's second factor
    shot(page, "two-factor")
    axe.check_url(page, "two-factor")
    page.get_by_label("Code").fill(totp_code(Person.objects.get(username=MANAGER)))
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("What needs you now")
    shot(page, "home")
    axe.check_url(page, "home")

    menu(page).get_by_role("link", name="What's due").click()
    expect(page).to_have_url(re.compile(r"/due/$"))
    expect(h1(page)).to_have_text("What's due")
    shot(page, "whats-due")
    axe.check_url(page, "What's due")

    first = page.get_by_test_id("whats-due").get_by_role("link").first
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/due/\d+/$"))
    expect(h1(page)).to_have_text(title)
    shot(page, "obligation")
    axe.check_url(page, "obligation detail")

    for path, heading, label in [
        ("/due/new/", "Add an obligation", "add-obligation"),
        ("/notifications/", "Notifications", "notifications"),
        ("/calendar/", "Your calendar feed", "calendar"),
        ("/alliance/", "Smart Motorways Programme Alliance", "alliance"),
        ("/accounts/password/", "Change your password", "password"),
        ("/audit/", "Audit", "audit"),
        ("/audit/?app=alliance", "Audit", "audit-filtered"),
    ]:
        page.goto(path)
        expect(h1(page)).to_have_text(heading)
        shot(page, label)
        axe.check_url(page, label)


def test_wrong_password_shows_a_generic_error_summary(page: Page, seeded, axe, shot, browser_watch):
    page.goto("/accounts/login/")
    fill_sign_in(page, MANAGER, "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(h1(page)).to_have_text("Sign in")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(summary).to_contain_text("Please enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary, so it is read out first
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_above_heading(page, summary)
    shot(page, "wrong-password")
    message = summary.inner_text()

    # Generic: an unknown username gets exactly the same message, so it tells nobody which logins exist.
    fill_sign_in(page, "nobody-of-that-name", "not-the-password")
    expect(page.locator(".govuk-error-summary")).to_have_text(message)
    expect(page.get_by_test_id("who")).to_have_count(0)

    axe_page = axe.page_like(page)
    axe_page.goto("/accounts/login/")
    fill_sign_in(axe_page, MANAGER, "not-the-password")
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    axe.check(axe_page, "sign in, wrong password")


def test_partner_staff_sees_who_they_are_and_no_administration(page: Page, seeded, axe, shot):
    sign_in(page, PARTNER_STAFF)
    who = page.get_by_role("banner").get_by_test_id("who")
    expect(who).to_contain_text("Kwame Asante")
    expect(who).to_contain_text("WSP")
    expect(who).to_contain_text("Staff")
    expect(menu(page).get_by_role("link", name="What's due")).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    shot(page, "home")
    axe.check_url(page, "partner staff home")

    menu(page).get_by_role("link", name="What's due").click()
    expect(h1(page)).to_have_text("What's due")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    expect(page.get_by_role("link", name="Add an obligation")).to_have_count(0)
    shot(page, "whats-due")
    axe.check_url(page, "partner staff What's due")


def test_manager_redates_then_cannot_cancel_without_a_reason(page: Page, seeded, axe, shot, browser_watch):
    sign_in(page, MANAGER)
    page.goto("/due/")
    page.get_by_test_id("whats-due").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/due/\d+/$"))
    pk = int(re.search(r"/due/(\d+)/$", page.url).group(1))
    detail_url = page.url
    axe.assert_unique_ids(page, "obligation detail")  # else the labels below find the wrong forms' fields

    redate = page.locator(f"form[action='/due/{pk}/redate/']")
    due = dt.date.fromisoformat(redate.get_by_label("New due date").input_value())
    new_due = due + dt.timedelta(days=14)
    reason = "The Board agreed two more weeks at its November meeting"
    redate.get_by_label("New due date").fill(new_due.isoformat())
    redate.get_by_label("Why does the date change?").fill(reason)
    shot(page, "redate-filled")
    redate.get_by_role("button", name="Change due date").click()

    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("alert")).to_contain_text("The obligation has a new due date.")
    history = page.get_by_role("table", name="Every change to this obligation")
    row = history.get_by_role("row").filter(has_text=reason)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{new_due.day} {new_due:%b %Y}")
    expect(row).to_contain_text("Tom Ashworth")
    shot(page, "redated")
    assert Obligation.objects.get(pk=pk).due_date == new_due

    browser_watch.expect_status(400, f"/due/{pk}/cancel/")
    cancel = page.locator(f"form[action='/due/{pk}/cancel/']")
    cancel.get_by_role("button", name="Cancel obligation").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter why the obligation is cancelled")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_above_heading(page, summary)
    expect(page.get_by_test_id("status")).not_to_contain_text("Cancelled")
    shot(page, "cancel-without-reason")
    assert Obligation.objects.get(pk=pk).status == ObligationStatus.OPEN

    # The summary's link takes you to the field to fix, in the cancel form.
    summary.get_by_role("link").first.click()
    expect(cancel.get_by_label("Why is it cancelled?")).to_be_focused()

    page.goto(detail_url)
    expect(page).not_to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("button", name="Cancel obligation")).to_be_visible()
    expect(page.get_by_test_id("status")).not_to_contain_text("Cancelled")

    # The error state itself passes axe.
    axe_page = axe.page_like(page)
    axe_page.goto(detail_url)
    axe_page.locator(f"form[action='/due/{pk}/cancel/']").get_by_role(
        "button", name="Cancel obligation"
    ).click()
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    axe.check(axe_page, "obligation detail, cancel without a reason")
