"""Hostile access: lockout after repeated wrong passwords (django-axes), the second factor (django-otp) that the
SRO, the Alliance Manager and administrators must give, the API's session and token under it, and ``next``
redirects that never leave the site."""

from __future__ import annotations

import base64
import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken

from alliance import demo
from alliance.models import Person
from tests.conftest import totp_code
from twofactor.api_auth import API_SESSION_REFUSED
from twofactor.selectors import two_factor_required
from twofactor.services import RECOVERY_CODE_COUNT, TOO_MANY_CODES, WRONG_CODE, WRONG_SETUP_CODE

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"


def sign_in(client: Client, username: str, password: str = demo.DEMO_PASSWORD, next_url: str | None = None):
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def wrong_code(person: Person) -> str:
    right = totp_code(person)
    return "000000" if right != "000000" else "111111"


@pytest.fixture
def admin(smp) -> Person:
    return Person.objects.get(username="admin")


# --- Lockout (django-axes) --------------------------------------------------------------------------------


def test_four_wrong_passwords_only_show_the_form_error(partner_staff):
    client = Client()
    for _ in range(4):
        response = sign_in(client, "wsp-staff", "wrong-password")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    assert AccessAttempt.objects.get(username="wsp-staff").failures_since_start == 4


def test_fifth_wrong_password_locks_the_username_with_when_and_whom(partner_staff):
    client = Client()
    for _ in range(4):
        sign_in(client, "wsp-staff", "wrong-password")
    response = sign_in(client, "wsp-staff", "wrong-password")
    assert response.status_code == 429
    assert "registration/locked.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "Your account is locked for now" in text
    # Frozen at 09:00 on 23 Nov 2026 (GMT): locked for 30 minutes.
    assert "09:30 on 23 Nov 2026" in text
    assert "the Alliance Manager or a platform administrator" in text


def test_every_attempt_is_logged(partner_staff, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="axes"):
        for _ in range(2):
            sign_in(client, "wsp-staff", "wrong-password")
        sign_in(client, "wsp-staff")
    assert AccessFailureLog.objects.filter(username="wsp-staff").count() == 2
    assert AccessLog.objects.filter(username="wsp-staff").count() == 1
    assert "AXES: New login failure" in caplog.text
    assert "AXES: Repeated login failure" in caplog.text
    assert "AXES: Successful login" in caplog.text
    # A success clears the running count: five failures in a row lock, not five in a lifetime.
    assert not AccessAttempt.objects.filter(username="wsp-staff").exists()


def test_a_locked_account_cannot_sign_in_with_the_right_password(partner_staff):
    client = Client()
    for _ in range(5):
        sign_in(client, "wsp-staff", "wrong-password")
    response = sign_in(client, "wsp-staff")
    assert response.status_code == 429
    assert not signed_in(client)
    # The lock is on the username, from any address.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(other, "wsp-staff").status_code == 429
    assert not signed_in(other)


def test_the_lock_lifts_after_the_cool_off(partner_staff):
    client = Client()
    for _ in range(5):
        sign_in(client, "wsp-staff", "wrong-password")
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 29, tzinfo=dt.UTC), tick=False):
        assert sign_in(client, "wsp-staff").status_code == 429
    # That attempt started the 30 minutes again (09:29 + 30 minutes).
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 58, tzinfo=dt.UTC), tick=False):
        assert sign_in(client, "wsp-staff").status_code == 429
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 29, tzinfo=dt.UTC), tick=False):
        response = sign_in(client, "wsp-staff")
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert signed_in(client)


def test_the_api_has_no_password_endpoint_and_ignores_basic_auth(sro):
    """Passwords are only taken by the lockout-guarded sign-in form (and the admin's, also guarded)."""

    def views(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from views(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)

    assert not any(isinstance(v, type) and issubclass(v, ObtainAuthToken) for v in views(get_resolver().url_patterns))
    basic = base64.b64encode(f"sro:{demo.DEMO_PASSWORD}".encode()).decode()
    assert Client().get("/api/me/", HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 401
    for path in ("/api/auth/login/", "/api/token/", "/api/api-token-auth/", "/api/login/"):
        assert Client().post(path, {"username": "sro", "password": demo.DEMO_PASSWORD}).status_code == 404


# --- Two-factor: who must give a code ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "admin"])
def test_privileged_people_are_asked_for_their_code_after_the_password(smp, username):
    client = Client()
    response = sign_in(client, username)
    assert response["Location"] == "/"
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"
    page = client.get(response["Location"])
    assert b"Enter your two-factor code" in page.content


def test_partner_staff_are_not_asked_for_a_code(partner_staff):
    client = Client()
    sign_in(client, "wsp-staff")
    assert client.get("/").status_code == 200
    assert not two_factor_required(partner_staff)


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "admin"])
def test_two_factor_is_required_for_sro_manager_and_administrators(smp, username):
    assert two_factor_required(Person.objects.get(username=username))


def test_a_staff_flag_alone_makes_two_factor_required(partner_staff):
    partner_staff.is_staff = True
    partner_staff.save()
    assert two_factor_required(Person.objects.get(pk=partner_staff.pk))


def test_the_right_code_opens_the_page_asked_for(sro):
    client = Client()
    sign_in(client, "sro", next_url="/due/")
    response = client.get("/due/")
    assert response["Location"] == f"{VERIFY}?next=%2Fdue%2F"
    response = client.post(VERIFY, {"code": totp_code(sro), "next": "/due/"})
    assert response.status_code == 302
    assert response["Location"] == "/due/"
    assert client.get("/due/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_code_works_once(sro):
    code = totp_code(sro)
    first, second = Client(), Client()
    sign_in(first, "sro")
    sign_in(second, "sro")
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()


def test_a_wrong_code_is_refused_with_a_message_and_changes_nothing(sro):
    client = Client()
    sign_in(client, "sro")
    device = TOTPDevice.objects.get(user=sro)
    response = client.post(VERIFY, {"code": wrong_code(sro)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert WRONG_CODE in text
    assert client.get("/")["Location"].startswith(VERIFY)
    assert client.get("/api/me/").status_code == 403
    after = TOTPDevice.objects.get(user=sro)
    assert (after.pk, after.key, after.confirmed, after.last_t) == (device.pk, device.key, True, device.last_t)
    assert after.throttling_failure_count == 1  # each wrong code lengthens the wait before the next one


def test_wrong_codes_make_the_next_wait(sro):
    client = Client()
    sign_in(client, "sro")
    client.post(VERIFY, {"code": wrong_code(sro)})
    client.post(VERIFY, {"code": wrong_code(sro)})
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, 1, tzinfo=dt.UTC), tick=False):
        response = client.post(VERIFY, {"code": totp_code(sro)})
        assert TOO_MANY_CODES in response.content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 1, tzinfo=dt.UTC), tick=False):
        assert client.post(VERIFY, {"code": totp_code(sro)})["Location"] == "/"


def test_until_the_code_only_the_code_page_and_sign_out_open(sro):
    client = Client()
    sign_in(client, "sro")
    for path in ("/due/", "/board/", "/admin/", "/notifications/", "/accounts/password/", SETUP):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path
    # Not even the setup page: a stolen password must not put an attacker's app in place of the owner's.
    assert not TOTPDevice.objects.filter(user=sro, confirmed=False).exists()
    assert client.post("/accounts/logout/")["Location"] == LOGIN
    assert not signed_in(client)


def test_the_admin_needs_the_code_too(admin):
    client = Client()
    sign_in(client, "admin")
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": totp_code(admin)})
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once_in_place_of_the_app(sro):
    TOTPDevice.objects.filter(user=sro).delete()
    client = Client()
    sign_in(client, "sro")
    page = client.get(SETUP)
    device = page.context["device"]
    done = client.post(SETUP, {"device": device.pk, "code": totp_code(device)})
    codes = done.context["codes"]
    assert len(codes) == RECOVERY_CODE_COUNT
    again = Client()
    sign_in(again, "sro")
    assert again.post(VERIFY, {"code": codes[0]})["Location"] == "/"
    third = Client()
    sign_in(third, "sro")
    assert WRONG_CODE in third.post(VERIFY, {"code": codes[0]}).content.decode()
    assert StaticToken.objects.filter(device__user=sro).count() == RECOVERY_CODE_COUNT - 1


# --- Two-factor: setting up an authenticator app ----------------------------------------------------------


def test_privileged_person_without_an_app_must_set_one_up_first(alliance_manager):
    TOTPDevice.objects.filter(user=alliance_manager).delete()
    client = Client()
    sign_in(client, "alliance-manager")
    for path in ("/", "/board/", VERIFY):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP), path
    assert client.get("/api/me/").status_code == 403


def test_setup_shows_a_qr_code_and_the_secret(alliance_manager):
    TOTPDevice.objects.filter(user=alliance_manager).delete()
    client = Client()
    sign_in(client, "alliance-manager")
    response = client.get(SETUP)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'src="data:image/svg+xml' in text
    device = TOTPDevice.objects.get(user=alliance_manager, confirmed=False)
    assert response.context["secret"] in text
    assert response.context["secret"].replace(" ", "") == base64.b32encode(device.bin_key).decode()
    assert device.config_url.startswith("otpauth://totp/Alliance%20governance%3Aalliance-manager?secret=")
    # Reloading keeps the same secret, so an app that already scanned it still matches.
    assert client.get(SETUP).context["device"].pk == device.pk


def test_setup_refuses_a_wrong_confirmation_code(alliance_manager):
    TOTPDevice.objects.filter(user=alliance_manager).delete()
    client = Client()
    sign_in(client, "alliance-manager")
    device = client.get(SETUP).context["device"]
    right = totp_code(device)
    response = client.post(SETUP, {"device": device.pk, "code": "000000" if right != "000000" else "111111"})
    assert response.status_code == 200
    assert WRONG_SETUP_CODE in response.content.decode()
    assert 'src="data:image/svg+xml' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alliance_manager, confirmed=True).exists()
    assert client.get("/")["Location"].startswith(SETUP)


def test_setup_with_the_right_code_signs_in_and_gives_recovery_codes(alliance_manager):
    TOTPDevice.objects.filter(user=alliance_manager).delete()
    client = Client()
    sign_in(client, "alliance-manager")
    device = client.get(f"{SETUP}?next=/due/").context["device"]
    response = client.post(SETUP, {"device": device.pk, "code": totp_code(device), "next": "/due/"})
    assert response.status_code == 200
    assert b"Two-factor authentication is set up" in response.content
    assert b'href="/due/"' in response.content
    assert TOTPDevice.objects.get(user=alliance_manager).confirmed
    assert client.get("/due/").status_code == 200


def test_anyone_may_set_up_an_app_and_is_then_asked_for_it(partner_staff):
    client = Client()
    sign_in(client, "wsp-staff")
    device = client.get(SETUP).context["device"]
    client.post(SETUP, {"device": device.pk, "code": totp_code(device)})
    later = Client()
    sign_in(later, "wsp-staff")
    assert later.get("/")["Location"].startswith(VERIFY)


# --- The API ----------------------------------------------------------------------------------------------


def test_api_refuses_the_session_of_an_sro_who_has_not_given_the_code(sro):
    client = Client()
    sign_in(client, "sro")
    response = client.get("/api/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == API_SESSION_REFUSED
    client.post(VERIFY, {"code": totp_code(sro)})
    assert client.get("/api/me/").status_code == 200


def test_api_token_still_works_without_a_second_factor(sro):
    """A token is a separate credential that an administrator issues to a script."""
    token = Token.objects.create(user=sro)
    response = Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_api_session_of_partner_staff_needs_no_code(partner_staff, client_for):
    assert client_for(partner_staff).get("/api/me/").status_code == 200


# --- next stays on the site -------------------------------------------------------------------------------

HOSTILE_NEXT = ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_sign_in_never_redirects_off_the_site(partner_staff, next_url):
    client = Client()
    response = sign_in(client, "wsp-staff", next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_two_factor_step_never_redirects_off_the_site(sro, next_url):
    client = Client()
    assert sign_in(client, "sro", next_url=next_url)["Location"] == "/"
    page = client.get(f"{VERIFY}?next={next_url}")
    assert page.context["next"] == "/"
    response = client.post(f"{VERIFY}?next={next_url}", {"code": totp_code(sro), "next": next_url})
    assert response["Location"] == "/"
    # Once verified, the code page sends a hostile next home as well.
    assert client.get(f"{VERIFY}?next={next_url}")["Location"] == "/"


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_setup_step_never_links_off_the_site(alliance_manager, next_url):
    TOTPDevice.objects.filter(user=alliance_manager).delete()
    client = Client()
    sign_in(client, "alliance-manager")
    device = client.get(f"{SETUP}?next={next_url}").context["device"]
    response = client.post(SETUP, {"device": device.pk, "code": totp_code(device), "next": next_url})
    assert response.context["next"] == "/"
    assert b'class="govuk-button" href="/"' in response.content


def test_with_the_requirement_off_the_demo_signs_in_by_password_alone(db, settings, frozen_today):
    """The embedded demo (DEBUG on) leaves two-factor optional so that its logins and partners' scripts sign in
    with the demo password; production (DEBUG off) requires it (settings.TWO_FACTOR_REQUIRED)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alliance import demo

    settings.TWO_FACTOR_REQUIRED = False
    demo.seed_core()
    assert not TOTPDevice.objects.filter(user__username="alliance-manager").exists()
    c = Client()
    response = c.post("/accounts/login/", {"username": "alliance-manager", "password": demo.DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert c.get("/api/governance/decision-types/").status_code == 200


# --- The person of a session -------------------------------------------------------------------------------


def test_a_session_loads_its_person_with_organisation_and_alliance_in_one_query(partner_staff, django_assert_num_queries):
    from alliance.auth_backends import PersonBackend

    expected = (partner_staff.organisation.name, partner_staff.organisation.alliance.slug)
    with django_assert_num_queries(1):
        person = PersonBackend().get_user(partner_staff.pk)
        assert (person.organisation.name, person.organisation.alliance.slug) == expected


def test_a_session_of_a_deactivated_person_loads_no_one(partner_staff):
    from alliance.auth_backends import PersonBackend

    client = Client()
    sign_in(client, "wsp-staff")
    assert client.get("/").status_code == 200
    Person.objects.filter(pk=partner_staff.pk).update(is_active=False)
    assert PersonBackend().get_user(partner_staff.pk) is None
    assert client.get("/").status_code == 302  # back to the sign-in page
