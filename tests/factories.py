"""factory_boy factories: plain objects, no hidden behaviour (no memberships unless asked)."""

import factory

from govlab.accounts.models import User
from govlab.labs.models import Lab, LabMembership
from govlab.organisations.models import Organisation, OrganisationMembership
from govlab.taxonomy.models import Term


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct-horse-battery")
    is_active = True


class LabFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lab

    name = factory.Sequence(lambda n: {"en": f"Lab {n}", "es": f"Laboratorio {n}"})
    slug = factory.Sequence(lambda n: f"lab-{n}")
    languages = ["en", "es"]
    country = "CO"
    currency = "COP"
    time_zone = "America/Bogota"
    primary_colour = "#1d4ed8"


class LabMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabMembership

    lab = factory.SubFactory(LabFactory)
    user = factory.SubFactory(UserFactory)
    role = "staff"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = "startup"
    helix_sector = "business"
    country = "CO"


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    vocabulary = "sector"
    code = factory.Sequence(lambda n: f"term-{n}")
    name = factory.Sequence(lambda n: {"en": f"Term {n}"})
