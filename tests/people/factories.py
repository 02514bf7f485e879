"""factory_boy factories of key persons (people/): key person roles and nominations."""

from __future__ import annotations

import factory

from people.models import KeyPersonRole, Nomination, NominationRoute, Selection
from tests.alliance.factories import AllianceFactory, LotFactory, PartnerFactory, PersonFactory


class KeyPersonRoleFactory(factory.django.DjangoModelFactory):
    """A partner-specific key person role of Lot 2 (para 49: "one from each Design Partner") unless told."""

    class Meta:
        model = KeyPersonRole

    alliance = factory.SubFactory(AllianceFactory)
    code = factory.Sequence(lambda n: f"key-person-role-{n}")
    title = factory.Sequence(lambda n: f"Design Lead {n}")
    lot = factory.SubFactory(LotFactory, alliance=factory.SelfAttribute("..alliance"), number=2,
                             name="Digitally Enabled Design", function="Design")
    selection = Selection.PARTNER_SPECIFIC
    paragraph = "para 49"


class NominationFactory(factory.django.DjangoModelFactory):
    """A partner's nomination of a full-time person (para 55) for its own post of a key person role, without a CV."""

    class Meta:
        model = Nomination

    alliance = factory.SubFactory(AllianceFactory)
    route = NominationRoute.KEY_PERSON
    role = factory.SubFactory(KeyPersonRoleFactory, alliance=factory.SelfAttribute("..alliance"))
    organisation = factory.SubFactory(
        PartnerFactory, alliance=factory.SelfAttribute("..alliance"), lot=factory.SelfAttribute("..role.lot"),
    )
    post_organisation = factory.SelfAttribute("organisation")
    person_name = factory.Sequence(lambda n: f"Nominee {n}")
    full_time = True
    submitted_by = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
