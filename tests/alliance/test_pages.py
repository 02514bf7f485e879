"""Pages: sign-in, every demo login's home page, What's due, obligation pages and their permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from alliance import services
from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation, Person
from tests.conftest import totp_code
from tests.factories import AllianceFactory, ObligationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
DEMO_LOGINS = ["sro", "alliance-manager", "client-reviewer", "admin"] + [
    f"{p}-{r}" for p in PARTNERS for r in ("rep", "delegate", "staff")
]


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_demo_login_signs_in_and_lands_on_its_home_page(smp, username):
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


def test_wrong_password_gives_a_generic_message(smp):
    response = Client().post(reverse("login"), {"username": "sro", "password": "wrong"})
    unknown = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    # The same words whether or not the login exists: nothing tells an attacker which.
    assert response.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "_auth_user_id" not in Client().session


@pytest.mark.parametrize("path", ["/", "/due/", "/notifications/", "/alliance/", "/calendar/", "/due/new/"])
def test_every_page_requires_sign_in(smp, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_navigation_shows_only_what_the_role_may_use(smp, client_for, partner_staff):
    admin_page = client_for(Organisation.objects.get(slug="national-highways").people.get(username="admin")).get("/")
    staff_page = client_for(partner_staff).get("/")
    assert "Administration" in [i["label"] for i in admin_page.context["nav_items"]]
    assert "Administration" not in [i["label"] for i in staff_page.context["nav_items"]]
    assert [i["label"] for i in staff_page.context["nav_items"]] == [
        "Home", "What's due", "Implementation Plan", "Commitments", "Performance Table", "Allocation", "Scorecard",
        "People", "Supply chain", "Mobilisation", "Alliance"]
    manager = client_for(Organisation.objects.get(slug="national-highways").people.get(username="alliance-manager"))
    assert [i["label"] for i in manager.get("/").context["nav_items"]] == [
        "Home", "What's due", "Board", "Instructions", "Implementation Plan", "Commitments", "Performance Table",
        "Assurance", "Allocation", "Scorecard", "People", "Supply chain", "Mobilisation", "Alliance", "Audit"]


def test_whats_due_shows_the_organisations_obligations_overdue_first(smp, client_for, other_partner_staff):
    # Costain's staff: Costain's CV call (due in 4 days) and its handover overdue since 14 Nov (para 60); nobody else's.
    response = client_for(other_partner_staff).get(reverse("whats-due"))
    rows = list(response.context["page"].object_list)
    assert [o.kind for o in rows] == [ObligationKind.KEY_PERSON_HANDOVER, ObligationKind.CV_CALL]
    assert {o.responsible_organisation.slug for o in rows} == {"costain"}
    page = response.content.decode()
    assert "Overdue by 9 days" in page
    assert "para 60" in page and "para 67" in page
    assert "4 days left" in page


def test_whats_due_for_the_alliance_manager_is_the_whole_alliance(smp, client_for, alliance_manager):
    response = client_for(alliance_manager).get(reverse("whats-due"))
    assert response.context["page"].paginator.count == Obligation.objects.filter(
        alliance=smp, status=ObligationStatus.OPEN).count() == 12
    dues = [o.due_date for o in response.context["page"].object_list]
    assert dues == sorted(dues)


def test_whats_due_filters_overdue_only(smp, client_for, alliance_manager):
    response = client_for(alliance_manager).get(reverse("whats-due"), {"overdue": "on"})
    assert {o.title for o in response.context["page"].object_list} == {
        "First commitments selected and approved by the Board", "Handover to the new Costain delivery lead"}


def test_whats_due_paginates(smp, client_for, alliance_manager):
    ObligationFactory.create_batch(60, alliance=smp)
    first = client_for(alliance_manager).get(reverse("whats-due"))
    second = client_for(alliance_manager).get(reverse("whats-due"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 72 - 50


def test_obligation_detail_allowed_for_its_organisation(smp, client_for, other_partner_staff):
    handover = Obligation.objects.get(kind=ObligationKind.KEY_PERSON_HANDOVER)
    response = client_for(other_partner_staff).get(reverse("obligation-detail", args=[handover.pk]))
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert "Change it" not in response.content.decode()


def test_obligation_of_another_organisation_is_not_found(smp, client_for, partner_staff):
    handover = Obligation.objects.get(kind=ObligationKind.KEY_PERSON_HANDOVER)  # Costain's
    assert client_for(partner_staff).get(reverse("obligation-detail", args=[handover.pk])).status_code == 404
    post = client_for(partner_staff).post(reverse("obligation-meet", args=[handover.pk]), {})
    assert post.status_code == 404


def test_obligation_of_another_alliance_is_not_found_even_for_its_manager(smp, client_for, alliance_manager):
    foreign = ObligationFactory(alliance=AllianceFactory())
    assert client_for(alliance_manager).get(reverse("obligation-detail", args=[foreign.pk])).status_code == 404


def test_wrong_role_cannot_meet_a_visible_obligation(smp, client_for, other_partner_staff):
    handover = Obligation.objects.get(kind=ObligationKind.KEY_PERSON_HANDOVER)
    response = client_for(other_partner_staff).post(reverse("obligation-meet", args=[handover.pk]), {})
    assert response.status_code == 403
    handover.refresh_from_db()
    assert handover.status == ObligationStatus.OPEN


def test_alliance_manager_meets_redates_and_cancels_from_the_page(smp, client_for, alliance_manager):
    c = client_for(alliance_manager)
    obligations = Obligation.objects.filter(kind=ObligationKind.CV_CALL).order_by("pk")
    met, moved, cancelled = obligations[0], obligations[1], obligations[2]
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
def test_a_bad_new_due_date_shows_the_error_and_changes_nothing(smp, client_for, alliance_manager, due_date, message):
    obligation = Obligation.objects.filter(kind=ObligationKind.CV_CALL).first()
    response = client_for(alliance_manager).post(
        reverse("obligation-redate", args=[obligation.pk]), {"due_date": due_date, "reason": "typo"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    obligation.refresh_from_db()
    assert obligation.due_date == dt.date(2026, 11, 27)


def test_alliance_manager_adds_an_obligation(smp, client_for, alliance_manager):
    wsp = Organisation.objects.get(slug="wsp")
    response = client_for(alliance_manager).post(reverse("obligation-add"), {
        "kind": "other", "title": "Submit the lessons-learned log", "paragraph": "seed 001",
        "start_date": "2026-11-23", "due_date": "2026-12-21", "responsible_organisation": wsp.pk,
    })
    obligation = Obligation.objects.get(title="Submit the lessons-learned log")
    assert response.status_code == 302
    assert obligation.responsible_organisation == wsp
    assert obligation.history.first().history_user == alliance_manager


def test_adding_with_dates_in_the_wrong_order_is_refused(smp, client_for, sro):
    response = client_for(sro).post(reverse("obligation-add"), {
        "kind": "other", "title": "Backwards", "start_date": "2026-12-21", "due_date": "2026-11-23"})
    assert response.status_code == 400
    assert services.ERR_DUE_BEFORE_START in response.content.decode()
    assert not Obligation.objects.filter(title="Backwards").exists()


@pytest.mark.parametrize("username", ["wsp-rep", "wsp-staff", "client-reviewer"])
def test_add_obligation_page_is_forbidden_to_other_roles(smp, client_for, username):
    from alliance.models import Person

    person = Person.objects.get(username=username)
    assert client_for(person).get(reverse("obligation-add")).status_code == 403


def test_alliance_directory_lists_the_seven_organisations(smp, client_for, partner_staff):
    response = client_for(partner_staff).get(reverse("alliance-directory"))
    assert response.status_code == 200
    assert [o.slug for o in response.context["organisations"]] == [
        "national-highways", "fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
    assert "a joint venture with one Board vote" in response.content.decode()


def test_directory_needs_membership_of_an_alliance(db, client_for):
    loner = PersonFactory(organisation=None)
    assert client_for(loner).get(reverse("alliance-directory")).status_code == 403


def test_notifications_bell_page_and_mark_read(smp, client_for, partner_staff):
    services.reminders_send(today=dt.date(2026, 11, 23))
    c = client_for(partner_staff)
    home = c.get("/")
    assert home.context["unread_notifications"] == 1  # WSP's CV call, 4 days left
    notification = partner_staff.notifications.get()
    response = c.post(reverse("notification-read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == notification.link
    assert c.get("/").context["unread_notifications"] == 0


def test_another_persons_notification_is_not_found(smp, client_for, partner_staff, partner_rep):
    services.reminders_send(today=dt.date(2026, 11, 23))
    theirs = partner_rep.notifications.first()
    assert client_for(partner_staff).post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_notifications_read(smp, client_for, partner_staff):
    services.reminders_send(today=dt.date(2026, 11, 23))
    c = client_for(partner_staff)
    assert c.post(reverse("notifications-read-all")).status_code == 302
    assert partner_staff.notifications.filter(read_at=None).count() == 0


def test_password_change(smp):
    c = Client()
    c.post(reverse("login"), {"username": "wsp-staff", "password": "demo"})
    response = c.post(reverse("password_change"), {
        "old_password": "demo", "new_password1": "a-longer-safer-passphrase", "new_password2": "a-longer-safer-passphrase"})
    assert response.status_code == 302
    # Through the sign-in form: django-axes' backend needs the request, which Client.login() does not pass.
    again = Client()
    again.post(reverse("login"), {"username": "wsp-staff", "password": "a-longer-safer-passphrase"})
    assert "_auth_user_id" in again.session


def test_other_alliance_people_see_nothing_of_this_one(smp, client_for):
    stranger = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    response = client_for(stranger).get(reverse("whats-due"))
    assert response.context["page"].paginator.count == 0
