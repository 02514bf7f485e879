"""Demo records of key persons and Production Hub resourcing, four months after the Alliance Start Date.

Most key person posts are filled; some are vacant with nominations at every stage (submitted, shortlisted
and interviewed, rejected, before the Board); Costain's Head of On-site Assembly and Delivery left and the
successor's one-month handover is overdue (para 60); the PMP's core resources were approved (paras 65-66); a
call for CVs for the remaining Production Hub roles closes in four days (para 67). The core's demo obligations
for these (alliance/demo.py) are attached to the records here. Idempotent: it does nothing once nominations exist.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import Alliance, Obligation, ObligationKind, Organisation, Person
from governance.models import Decision
from people.catalogue import catalogue_seed
from people.models import (
    Appointment,
    CvCall,
    HubService,
    InterviewOutcome,
    KeyPersonRole,
    Nomination,
    NominationRoute,
    NominationStatus,
    ProposalStatus,
    ResourcingProposal,
)
from people.services import cvs, key_persons
from people.services import hub as hub_services

# Seeded after every other app's demo (portal/demo.py app_demo_steps), as it always was: the demo's records
# (decisions, obligations, notifications) keep their order.
SEED_LAST = True

# (role, partner, person) appointed some weeks after the start; partner-specific posts belong to their partner.
APPOINTED = [
    ("production-hub-director", "fluor", "Graham Oduya"),
    ("lead-production-planning", "fluor", "Ines Carvalho"),
    ("head-of-production-management", "fluor", "Peter Lindqvist"),
    ("head-of-ded", "jacobs", "Alice Marsh"),
    ("head-of-ded", "wsp", "Ben Okoro"),
    ("head-of-osad", "bam-msjv", "Carl Jennings"),
    ("head-of-osad", "balfour-beatty", "Dina Shah"),
    ("lead-product-development", "jacobs", "Hugo Brennan"),
    ("osad-director", "balfour-beatty", "Isla Grant"),
    ("lead-construction-management", "costain", "Laura Finch"),
    ("commercial-finance-procurement-director", "fluor", "Sean Walsh"),
    ("head-of-health-safety-wellbeing", "balfour-beatty", "Tess Morgan"),
]
# (role, partner, person, stage) for the posts still being filled.
IN_SELECTION = [
    ("lead-transport-logistics", "fluor", "Yusuf Demir", "shortlisted"),
    ("ded-director", "jacobs", "Greta Holm", "shortlisted"),
    ("lead-digital-design", "wsp", "Jonah Reid", "interviewed"),
    ("lead-digital-design", "jacobs", "Kiran Patel", "submitted"),
    ("lead-installation", "costain", "Marek Nowak", "submitted"),
    ("lead-installation", "bam-msjv", "Nia Roberts", "interviewed"),
    ("lead-installation", "balfour-beatty", "Omar Haddad", "rejected"),
    ("head-of-supply-chain", "costain", "Uma Bell", "submitted"),
    ("head-of-supply-chain", "wsp", "Victor Lamb", "submitted"),
    ("head-of-cost-management", "fluor", "Wen Li", "submitted"),
    ("head-of-cost-management", "bam-msjv", "Xavier Cole", "submitted"),
]
CORE_RESOURCES = [("programme-management", "Quinn Harper"), ("master-scheduling", "Ravi Menon"),
                  ("production-planning", "Sana Akhtar"), ("transport-logistics", "Theo Grant")]
CLIENT_PRESENCE = [("cost-management", "Ursula Kent"), ("risk-management", "Vikram Rao"),
                   ("programme-reporting", "Wendy Tse")]
CALL_SERVICES = ["commercial-management", "change-management", "resource-utilisation", "communications",
                 "inventory-management"]
CALL_CVS = [("wsp", "change-management", "Yara Fenton"), ("bam-msjv", "resource-utilisation", "Zac Moyo"),
            ("bam-msjv", "inventory-management", "Abi Larkin"), ("jacobs", "communications", "Bea Quint")]


def demo_cv(person_name: str) -> SimpleUploadedFile:
    """A small but real PDF standing for a CV (written by reportlab: uploads are read by a PDF library, which
    refuses a file without a genuine cross-reference; alliance/documents.py)."""
    body = io.BytesIO()
    pdf = canvas.Canvas(body, pagesize=A4, invariant=True)
    pdf.setTitle(f"CV {person_name}")
    pdf.drawString(72, 770, f"Curriculum vitae: {person_name}")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile(f"CV {person_name}.pdf", body.getvalue(), content_type="application/pdf")


def _staff(slug: str) -> Person:
    return Person.objects.select_related("organisation").get(username=f"{slug}-staff")


def _nominate(role: KeyPersonRole, slug: str, person_name: str) -> Nomination:
    return key_persons.nomination_submit(
        actor=_staff(slug), role=role, person_name=person_name, full_time=True, cv=demo_cv(person_name),
        statement=f"{person_name} has led comparable work on smart motorway schemes and is available full time.",
    )


def _appoint_on(nomination: Nomination, started_on: dt.date, manager: Person) -> Appointment:
    """A past appointment: the nomination decided and the person in post since ``started_on``."""
    decided = timezone.make_aware(dt.datetime.combine(started_on, dt.time(12)))
    Nomination.objects.filter(pk=nomination.pk).update(status=NominationStatus.APPOINTED, decided_at=decided)
    return Appointment.objects.create(
        alliance_id=nomination.alliance_id, role=nomination.role, post_organisation=nomination.post_organisation,
        hub_service=nomination.hub_service, organisation=nomination.organisation, person_name=nomination.person_name,
        nomination=nomination, started_on=started_on, appointed_by=manager,
    )


def _attach(obligation: Obligation | None, subject) -> None:
    if obligation is not None:
        alliance_services.obligation_attach(actor=None, obligation=obligation, subject=subject)


@transaction.atomic
def seed_demo(alliance: Alliance) -> None:
    catalogue_seed(alliance)
    if Nomination.objects.filter(alliance=alliance).exists():
        return
    today = local_today()
    manager = Person.objects.get(username="alliance-manager")
    roles = {r.code: r for r in KeyPersonRole.objects.filter(alliance=alliance).select_related("lot")}
    hub = {s.code: s for s in HubService.objects.filter(alliance=alliance)}
    partners = {o.slug: o for o in Organisation.objects.filter(alliance=alliance)}
    filled_on = alliance.start_date + dt.timedelta(days=60)

    for code, slug, name in APPOINTED:
        _appoint_on(_nominate(roles[code], slug, name), filled_on, manager)

    # Para 60: Costain's Head of On-site Assembly and Delivery moved to another project 40 days ago; the successor's
    # one-month handover is overdue (the core's demo obligation, attached to the successor's appointment).
    head = roles["head-of-osad"]
    leaver = _appoint_on(_nominate(head, "costain", "Edward Pike"), filled_on, manager)
    Appointment.objects.filter(pk=leaver.pk).update(leaving_on=today - dt.timedelta(days=40),
                                                    leaving_reason="Moved to another project")
    successor = _appoint_on(_nominate(head, "costain", "Farah Iqbal"), today - dt.timedelta(days=40), manager)
    Appointment.objects.filter(pk=successor.pk).update(predecessor=leaver)
    _attach(Obligation.objects.filter(alliance=alliance, kind=ObligationKind.KEY_PERSON_HANDOVER,
                                      responsible_organisation=partners["costain"]).first(), successor)

    for code, slug, name, stage in IN_SELECTION:
        nomination = _nominate(roles[code], slug, name)
        if stage in ("shortlisted", "interviewed"):
            key_persons.nomination_shortlist(actor=manager, nomination=nomination)
        if stage == "interviewed":
            key_persons.interview_record(actor=manager, nomination=nomination, held_on=today - dt.timedelta(days=6),
                                      panel="Alliance Manager; Digitally Enabled Design Director",
                                      notes="Strong on programme delivery; references taken.",
                                      outcome=InterviewOutcome.SUITABLE)
        if stage == "rejected":
            key_persons.nomination_reject(actor=manager, nomination=nomination,
                                       comments="Not available full time until next spring (para 55).")

    # The Board's open written resolution on the Commercial Lead (governance's demo) is this nomination's.
    commercial = _nominate(roles["head-of-commercial"], "jacobs", "Rosa Delgado")
    decision = Decision.objects.filter(alliance=alliance, title="Appoint the Alliance Commercial Lead").first()
    if decision is not None and decision.outcome is None:
        Decision.objects.filter(pk=decision.pk).update(
            subject_type=ContentType.objects.get_for_model(Nomination), subject_id=commercial.pk)
        Nomination.objects.filter(pk=commercial.pk).update(status=NominationStatus.PROPOSED, decision=decision)

    _seed_hub(alliance, manager, hub, partners, today)


def _seed_hub(alliance: Alliance, manager: Person, hub: dict, partners: dict, today: dt.date) -> None:
    fluor = partners["fluor"]
    deployed_on = alliance.start_date + dt.timedelta(days=85)
    proposal = ResourcingProposal.objects.create(
        alliance=alliance, title="Alliance Start Date", organisation=fluor, status=ProposalStatus.APPROVED,
        due_date=add_months(alliance.start_date, 3),
        note="Core capability in programme management, master scheduling, production planning and transport logistics.",
        requested_by=manager,
    )
    proposal.services.set([hub[code] for code, _ in CORE_RESOURCES])
    for code, name in CORE_RESOURCES:
        candidate = Nomination(alliance=alliance, route=NominationRoute.HUB_CORE, hub_service=hub[code], proposal=proposal,
                               organisation=fluor, person_name=name, submitted_by=_staff("fluor"))
        cvs.save_with_cv(candidate, demo_cv(name), "application/pdf", _staff("fluor"), "Demo")
        _appoint_on(candidate, deployed_on, manager)
    _attach(Obligation.objects.filter(alliance=alliance, kind=ObligationKind.PMP_CORE_RESOURCES).first(), proposal)

    client = partners["national-highways"]
    for code, name in CLIENT_PRESENCE:
        Appointment.objects.create(alliance=alliance, hub_service=hub[code], organisation=client, person_name=name,
                                   started_on=alliance.start_date + dt.timedelta(days=30), appointed_by=manager)

    opens_on = today - dt.timedelta(days=10)
    call = CvCall.objects.create(
        alliance=alliance, title="Remaining Production Hub roles: first call", opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=14), issued_by=manager,
        roles="Commercial manager; change manager; resource analyst; communications lead; inventory lead.",
    )
    call.services.set([hub[code] for code in CALL_SERVICES])
    for obligation in Obligation.objects.filter(alliance=alliance, kind=ObligationKind.CV_CALL):
        _attach(obligation, call)
    for slug, code, name in CALL_CVS:
        hub_services.call_cv_submit(actor=_staff(slug), call=call, hub_service=hub[code], person_name=name,
                                statement="Available full time from January.", cv=demo_cv(name))
