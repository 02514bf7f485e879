"""Pages: sign-in, every demo login's home page, What's due, obligation pages and their permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from alliance import services
from alliance.models import Area, Obligation, ObligationKind, ObligationStatus, OrganisationKind, Person
from tests.alliance.factories import (
    PASSWORD,
    AllianceFactory,
    ObligationFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
DEMO_LOGINS = ["sro", "alliance-manager", "client-reviewer", "admin"] + [
    f"{p}-{r}" for p in PARTNERS for r in ("rep", "delegate", "staff")
]


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_demo_login_signs_in_and_lands_on_its_home_page(smp, username):
    # On the demo itself: what this checks is that each of the demo's published logins works.
    c = Client()
    response = c.post(reverse("login"), {"username": username, "password": "demo"}, follow=True)
    if response.redirect_chain[-1][0].startswith(reverse("two-factor")):
        # The SRO, the Alliance Manager and the administrator give their authenticator code too.
        code = totp_code(Person.objects.get(username=username))
        response = c.post(response.redirect_chain[-1][0], {"code": code}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("home")
    page = response.content.decode()
    assert "What needs you now" in page
    person = response.context["user"]
    assert person.username == username
    assert person.organisation.name in page  # who, for which organisation...
    assert response.context["current_roles"]  # ...in which role
    for label in response.context["current_roles"]:
        assert label in page


def test_wrong_password_gives_a_generic_message(sro):
    response = Client().post(reverse("login"), {"username": sro.username, "password": "wrong"})
    unknown = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    # The same words whether or not the login exists: nothing tells an attacker which.
    assert response.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "_auth_user_id" not in Client().session


@pytest.mark.parametrize("path", ["/", "/due/", "/notifications/", "/alliance/", "/calendar/", "/due/new/"])
def test_every_page_requires_sign_in(core, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_whats_due_shows_the_organisations_obligations_overdue_first(dues, client_for, other_partner_staff):
    # The other partner's staff: its CV call (due in 4 days) and its handover overdue since 14 Nov (para 60);
    # nobody else's.
    response = client_for(other_partner_staff).get(reverse("whats-due"))
    rows = list(response.context["page"].object_list)
    assert [o.kind for o in rows] == [ObligationKind.KEY_PERSON_HANDOVER, ObligationKind.CV_CALL]
    assert {o.responsible_organisation.slug for o in rows} == {other_partner_staff.organisation.slug}
    page = response.content.decode()
    assert "Overdue by 9 days" in page
    assert "para 60" in page and "para 67" in page
    assert "4 days left" in page


def test_whats_due_for_the_alliance_manager_is_the_whole_alliance(alliance, dues, client_for, alliance_manager):
    response = client_for(alliance_manager).get(reverse("whats-due"))
    assert response.context["page"].paginator.count == Obligation.objects.filter(
        alliance=alliance, status=ObligationStatus.OPEN).count() == len(dues.open)
    dues = [o.due_date for o in response.context["page"].object_list]
    assert dues == sorted(dues)


def test_whats_due_filters_overdue_only(dues, client_for, alliance_manager):
    response = client_for(alliance_manager).get(reverse("whats-due"), {"overdue": "on"})
    assert {o.title for o in response.context["page"].object_list} == {
        "First commitments selected and approved by the Board", "Handover to the new delivery lead"}


def test_whats_due_paginates(alliance, dues, client_for, alliance_manager):
    ObligationFactory.create_batch(60, alliance=alliance)
    first = client_for(alliance_manager).get(reverse("whats-due"))
    second = client_for(alliance_manager).get(reverse("whats-due"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 60 + len(dues.open) - 50


def test_obligation_detail_allowed_for_its_organisation(dues, client_for, other_partner_staff):
    handover = dues.handover
    response = client_for(other_partner_staff).get(reverse("obligation-detail", args=[handover.pk]))
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert "Change it" not in response.content.decode()


def test_obligation_of_another_organisation_is_not_found(dues, client_for, partner_staff):
    handover = dues.handover  # the other partner's
    assert client_for(partner_staff).get(reverse("obligation-detail", args=[handover.pk])).status_code == 404
    post = client_for(partner_staff).post(reverse("obligation-meet", args=[handover.pk]), {})
    assert post.status_code == 404


def test_obligation_of_another_alliance_is_not_found_even_for_its_manager(dues, client_for, alliance_manager):
    foreign = ObligationFactory(alliance=AllianceFactory())
    assert client_for(alliance_manager).get(reverse("obligation-detail", args=[foreign.pk])).status_code == 404


def test_wrong_role_cannot_meet_a_visible_obligation(dues, client_for, other_partner_staff):
    handover = dues.handover
    response = client_for(other_partner_staff).post(reverse("obligation-meet", args=[handover.pk]), {})
    assert response.status_code == 403
    handover.refresh_from_db()
    assert handover.status == ObligationStatus.OPEN


def test_alliance_manager_meets_redates_and_cancels_from_the_page(dues, client_for, alliance_manager):
    c = client_for(alliance_manager)
    met, moved, cancelled = dues.cv_calls
    assert c.post(reverse("obligation-meet", args=[met.pk]), {"reason": "All CVs in"}).status_code == 302
    response = c.post(reverse("obligation-redate", args=[moved.pk]),
                      {"due_date": "2026-12-11", "reason": "Extended to four weeks (para 67)"}, follow=True)
    assert "Extended to four weeks (para 67)" in response.content.decode()  # shown in the history table
    assert c.post(reverse("obligation-cancel", args=[cancelled.pk]), {"reason": "No roles left"}).status_code == 302
    statuses = dict(Obligation.objects.filter(pk__in=[met.pk, moved.pk, cancelled.pk]).values_list("pk", "status"))
    assert statuses == {met.pk: "met", moved.pk: "open", cancelled.pk: "cancelled"}
    moved.refresh_from_db()
    assert moved.due_date == dt.date(2026, 12, 11)


@pytest.mark.parametrize(
    ("due_date", "message"),
    [("2020-01-01", services.ERR_DUE_BEFORE_START), ("31/02/2027", "Enter the new due date as a real date")],
)
def test_a_bad_new_due_date_shows_the_error_and_changes_nothing(dues, client_for, alliance_manager, due_date, message):
    obligation = dues.cv_calls[0]
    response = client_for(alliance_manager).post(
        reverse("obligation-redate", args=[obligation.pk]), {"due_date": due_date, "reason": "typo"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    obligation.refresh_from_db()
    assert obligation.due_date == dt.date(2026, 11, 27)


def test_alliance_manager_adds_an_obligation(core, client_for, alliance_manager):
    wsp = core.partners[1]
    response = client_for(alliance_manager).post(reverse("obligation-add"), {
        "kind": "other", "title": "Submit the lessons-learned log", "paragraph": "seed 001",
        "start_date": "2026-11-23", "due_date": "2026-12-21", "responsible_organisation": wsp.pk,
    })
    obligation = Obligation.objects.get(title="Submit the lessons-learned log")
    assert response.status_code == 302
    assert obligation.responsible_organisation == wsp
    assert obligation.history.first().history_user == alliance_manager


def test_adding_with_dates_in_the_wrong_order_is_refused(core, client_for, sro):
    response = client_for(sro).post(reverse("obligation-add"), {
        "kind": "other", "title": "Backwards", "start_date": "2026-12-21", "due_date": "2026-11-23"})
    assert response.status_code == 400
    assert services.ERR_DUE_BEFORE_START in response.content.decode()
    assert not Obligation.objects.filter(title="Backwards").exists()


@pytest.mark.parametrize("persona", ["partner_rep", "partner_staff", "client_reviewer"])
def test_add_obligation_page_is_forbidden_to_other_roles(request, client_for, persona):
    person = request.getfixturevalue(persona)
    assert client_for(person).get(reverse("obligation-add")).status_code == 403


def test_alliance_directory_lists_the_organisations_client_first_then_by_lot_and_area(core, client_for,
                                                                                      partner_staff):
    # A Lot 3 South joint venture whose name sorts first still comes after the Lot 3 North partner.
    joint_venture = OrganisationFactory(alliance=core.alliance, kind=OrganisationKind.PARTNER, lot=core.lots[3],
                                        area=Area.SOUTH, is_joint_venture=True, name="A Joint Venture")
    response = client_for(partner_staff).get(reverse("alliance-directory"))
    assert response.status_code == 200
    assert [o.slug for o in response.context["organisations"]] == [
        core.client.slug, *(p.slug for p in core.partners), joint_venture.slug]
    assert "a joint venture with one Board vote" in response.content.decode()


def test_directory_needs_membership_of_an_alliance(db, client_for):
    loner = PersonFactory(organisation=None)
    assert client_for(loner).get(reverse("alliance-directory")).status_code == 403


def test_notifications_bell_page_and_mark_read(dues, client_for, partner_staff):
    services.reminders_send(today=dt.date(2026, 11, 23))
    c = client_for(partner_staff)
    home = c.get("/")
    assert home.context["unread_notifications"] == 1  # its organisation's CV call, 4 days left
    notification = partner_staff.notifications.get()
    response = c.post(reverse("notification-read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == notification.link
    assert c.get("/").context["unread_notifications"] == 0


def test_another_persons_notification_is_not_found(dues, client_for, partner_staff, partner_rep):
    services.reminders_send(today=dt.date(2026, 11, 23))
    theirs = partner_rep.notifications.first()
    assert client_for(partner_staff).post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_notifications_read(dues, client_for, partner_staff):
    services.reminders_send(today=dt.date(2026, 11, 23))
    c = client_for(partner_staff)
    assert c.post(reverse("notifications-read-all")).status_code == 302
    assert partner_staff.notifications.filter(read_at=None).count() == 0


def test_password_change(partner_staff):
    c = Client()
    c.post(reverse("login"), {"username": partner_staff.username, "password": PASSWORD})
    response = c.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-longer-safer-passphrase", "new_password2": "a-longer-safer-passphrase"})
    assert response.status_code == 302
    # Through the sign-in form: django-axes' backend needs the request, which Client.login() does not pass.
    again = Client()
    again.post(reverse("login"), {"username": partner_staff.username, "password": "a-longer-safer-passphrase"})
    assert "_auth_user_id" in again.session


def test_other_alliance_people_see_nothing_of_this_one(dues, client_for):
    stranger = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    response = client_for(stranger).get(reverse("whats-due"))
    assert response.context["page"].paginator.count == 0
