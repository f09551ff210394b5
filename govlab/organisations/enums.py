from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PUBLIC_ENTITY = "public_entity", _("Public entity")
    STARTUP = "startup", _("Start-up")
    SME = "sme", _("SME")
    LARGE_COMPANY = "large_company", _("Large company")
    RESEARCH = "research", _("University or research centre")
    NGO = "ngo", _("NGO")
    FREELANCER = "freelancer", _("Freelancer")
    STUDENT_TEAM = "student_team", _("Student team")
    INCUBATOR = "incubator", _("Incubator")
    PARTNER = "partner", _("Funder or partner")
    CITIZEN_GROUP = "citizen_group", _("Citizen group")
    LAB = "lab", _("Lab")


class HelixSector(models.TextChoices):
    """The quadruple helix: every organisation and participant belongs to one."""

    GOVERNMENT = "government", _("Government")
    ACADEMIA = "academia", _("Academia")
    BUSINESS = "business", _("Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


# The sector an organisation of each kind usually belongs to; staff may choose another.
DEFAULT_HELIX = {
    OrganisationKind.PUBLIC_ENTITY: HelixSector.GOVERNMENT,
    OrganisationKind.STARTUP: HelixSector.BUSINESS,
    OrganisationKind.SME: HelixSector.BUSINESS,
    OrganisationKind.LARGE_COMPANY: HelixSector.BUSINESS,
    OrganisationKind.RESEARCH: HelixSector.ACADEMIA,
    OrganisationKind.NGO: HelixSector.CIVIL_SOCIETY,
    OrganisationKind.FREELANCER: HelixSector.BUSINESS,
    OrganisationKind.STUDENT_TEAM: HelixSector.ACADEMIA,
    OrganisationKind.INCUBATOR: HelixSector.BUSINESS,
    OrganisationKind.PARTNER: HelixSector.CIVIL_SOCIETY,
    OrganisationKind.CITIZEN_GROUP: HelixSector.CIVIL_SOCIETY,
    OrganisationKind.LAB: HelixSector.GOVERNMENT,
}


class OrganisationSize(models.TextChoices):
    MICRO = "micro", _("1–9 people")
    SMALL = "small", _("10–49 people")
    MEDIUM = "medium", _("50–249 people")
    LARGE = "large", _("250 people or more")


class OrganisationRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


# Kinds that propose solutions to challenges (solver organisations).
SOLVER_KINDS = (
    OrganisationKind.STARTUP,
    OrganisationKind.SME,
    OrganisationKind.LARGE_COMPANY,
    OrganisationKind.RESEARCH,
    OrganisationKind.NGO,
    OrganisationKind.FREELANCER,
    OrganisationKind.STUDENT_TEAM,
)

# EU Technology Readiness Levels (Horizon Europe, General Annexes, part G).
TRL_LEVELS = (
    (1, _("TRL 1 — basic principles observed")),
    (2, _("TRL 2 — technology concept formulated")),
    (3, _("TRL 3 — experimental proof of concept")),
    (4, _("TRL 4 — technology validated in a lab")),
    (5, _("TRL 5 — technology validated in a relevant environment")),
    (6, _("TRL 6 — technology demonstrated in a relevant environment")),
    (7, _("TRL 7 — system prototype demonstrated in an operational environment")),
    (8, _("TRL 8 — system complete and qualified")),
    (9, _("TRL 9 — actual system proven in an operational environment")),
)
