"""Sign-in's hostile-access pages in Chromium, with axe: the two-factor code page, setting up an authenticator
app (the QR code shows under the real CSP), and the lockout page."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from alliance import demo
from alliance.models import Person
from tests.browser.test_board import h1, sign_in
from tests.conftest import totp_code

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    demo.seed_core()


def password(page: Page, username: str, secret: str = demo.DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(secret)
    page.get_by_role("button", name="Sign in").click()


def test_the_code_page_refuses_a_wrong_code_and_takes_the_right_one(seeded, page: Page, axe):
    password(page, "sro")
    expect(h1(page)).to_have_text("Enter your two-factor code")
    axe.check_url(page, "two-factor code")
    sro = Person.objects.get(username="sro")
    # Pages after a POST are checked in axe's own context (same session, CSP bypassed to inject axe).
    axe_page = axe.page_like(page)
    axe_page.goto("/accounts/two-factor/")
    axe_page.get_by_label("Code").fill("000000" if totp_code(sro) != "000000" else "111111")
    axe_page.get_by_role("button", name="Continue").click()
    expect(axe_page.get_by_role("alert")).to_contain_text("That code is not right")
    axe.check(axe_page, "two-factor code, wrong")
    axe_page.context.close()
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    page.get_by_label("Code").fill(totp_code(sro))
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("What needs you now")


def test_the_shared_sign_in_helper_passes_the_code_page(seeded, page: Page):
    sign_in(page, "admin")


def test_setting_up_an_app_shows_the_qr_code_and_confirms(seeded, page: Page, axe):
    TOTPDevice.objects.filter(user__username="alliance-manager").delete()
    password(page, "alliance-manager")
    expect(h1(page)).to_have_text("Set up two-factor authentication")
    qr = page.get_by_test_id("qr-code")
    expect(qr).to_be_visible()
    assert page.evaluate("el => el.naturalWidth > 0", qr.element_handle())  # the CSP let the data: image load
    axe.check_url(page, "two-factor setup")
    device = TOTPDevice.objects.get(user__username="alliance-manager", confirmed=False)
    axe_page = axe.page_like(page)
    axe_page.goto("/accounts/two-factor/setup/")
    axe_page.get_by_label("Code").fill(totp_code(device))
    axe_page.get_by_role("button", name="Confirm").click()
    expect(h1(axe_page)).to_have_text("Two-factor authentication is set up")
    expect(axe_page.get_by_test_id("recovery-codes").get_by_role("listitem")).to_have_count(8)
    axe.check(axe_page, "two-factor set up")
    axe_page.get_by_role("link", name="Continue").click()
    expect(h1(axe_page)).to_have_text("What needs you now")
    axe_page.context.close()


def test_the_lockout_page(seeded, page: Page, axe, browser_watch):
    browser_watch.expect_status(429, "/accounts/login/")
    axe_page = axe.page_like(page)
    for _ in range(4):
        password(axe_page, "wsp-staff", "wrong-password")
        expect(axe_page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    password(axe_page, "wsp-staff", "wrong-password")
    expect(h1(axe_page)).to_have_text("Your account is locked for now")
    expect(axe_page.get_by_test_id("try-again")).to_contain_text("You can try again after")
    axe.check(axe_page, "locked")
    axe_page.context.close()
