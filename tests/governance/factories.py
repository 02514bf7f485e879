"""factory_boy factories of the Board (governance/): the Decision Matrix, meetings, decisions and votes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from governance.models.board import Authority, Capacity, Choice, Decision, DecisionType, Meeting, Vote
from tests.alliance.factories import AllianceFactory, PartnerFactory, PersonFactory, member_of

LONDON = ZoneInfo("Europe/London")


class DecisionTypeFactory(factory.django.DjangoModelFactory):
    """A row of the Decision Matrix: a majority decision of the Board (para 37) unless told."""

    class Meta:
        model = DecisionType

    alliance = factory.SubFactory(AllianceFactory)
    code = factory.Sequence(lambda n: f"decision-type-{n}")
    name = factory.Sequence(lambda n: f"Decision type {n}")
    authority = Authority.MAJORITY
    paragraph = "para 37"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"Alliance Board {n}")
    starts_at = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    location = "Board room"
    created_by = member_of()


class DecisionFactory(factory.django.DjangoModelFactory):
    """A written resolution (no meeting): open until its closing time, under its matrix row's rule."""

    class Meta:
        model = Decision

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"Decision {n}")
    decision_type = factory.SubFactory(DecisionTypeFactory, alliance=factory.SelfAttribute("..alliance"))
    authority = factory.SelfAttribute("decision_type.authority")
    rule_paragraph = factory.SelfAttribute("decision_type.paragraph")
    closes_at = dt.datetime(2026, 12, 7, 17, 0, tzinfo=LONDON)
    tabled_by = member_of()


class VoteFactory(factory.django.DjangoModelFactory):
    """A partner's vote for, cast by a person of that partner as its board representative."""

    class Meta:
        model = Vote

    decision = factory.SubFactory(DecisionFactory)
    organisation = factory.SubFactory(PartnerFactory, alliance=factory.SelfAttribute("..decision.alliance"))
    choice = Choice.FOR
    cast_by = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
    capacity = Capacity.REPRESENTATIVE
    cast_at = dt.datetime(2026, 12, 2, 11, 0, tzinfo=LONDON)
