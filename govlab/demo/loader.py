"""``load_demo``: the seven labs of the seeds, their entities, partners, solvers and demo people.

Idempotent: everything is found by slug or e-mail first and only created when missing, through the
services (so each creation is audited once); a second run writes nothing, not even audit entries.
Existing rows are left as they are, so changes made while trying the demo survive a reload.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import TYPE_CHECKING

from django.db import transaction

from govlab.labs.models import Lab
from govlab.labs.services import lab_create, lab_membership_add
from govlab.organisations.enums import DEFAULT_HELIX, OrganisationKind
from govlab.organisations.models import Organisation
from govlab.organisations.services import organisation_create, organisation_membership_add
from govlab.taxonomy.enums import Vocabulary
from govlab.taxonomy.selectors import terms_by_code
from govlab.taxonomy.services import taxonomy_load

from . import data

if TYPE_CHECKING:
    from govlab.accounts.models import User

LAB_TEAM_ROLES = {"manager", "staff"}
# The phases' demo loaders, in the order of the pipeline (each needs what the one before made).
DEMO_CHAIN = (
    ("challenges_demo", "govlab.challenges.demo"),
    ("calls_demo", "govlab.calls.demo"),
    ("evaluation_demo", "govlab.evaluation.demo"),
    ("strengthening_demo", "govlab.strengthening.demo"),
    ("pilots_demo", "govlab.pilots.demo"),
    ("demoday_demo", "govlab.demoday.demo"),
    ("procurement_demo", "govlab.procurement.demo"),
    ("ocds_demo", "govlab.ocds.demo"),
    ("monitoring_demo", "govlab.monitoring.demo"),
)


def needs_totp(person: dict) -> bool:
    """Superusers and lab managers/staff must sign in with TOTP, so the demo gives them one."""
    return bool(person.get("superuser")) or any(
        role in LAB_TEAM_ROLES for _lab, role in person.get("labs", [])
    )


def _ensure_user(person: dict, created: Counter) -> User:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from govlab.accounts.models import User

    email = person["email"]
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        make = User.objects.create_superuser if person.get("superuser") else User.objects.create_user
        user = make(
            email,
            data.DEMO_PASSWORD,
            full_name=person["full_name"],
            preferred_language=person.get("language", "en"),
            time_zone=person.get("time_zone", "UTC"),
        )
        created["users"] += 1
    _address, made = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    created["email_addresses"] += int(made)
    if (
        needs_totp(person)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, data.DEMO_TOTP_SECRET)
        created["totp"] += 1
    return user


def _ensure_lab(spec: dict, admin, created: Counter) -> Lab:
    lab = Lab.objects.filter(slug=spec["slug"]).first()
    if lab is None:
        lab = lab_create(created_by=admin, **spec)
        created["labs"] += 1
    return lab


def _ensure_organisation(spec: dict, *, kind: str, admin, labs: dict[str, Lab], terms, created: Counter):
    organisation = Organisation.objects.filter(slug=spec["slug"]).first()
    if organisation is not None:
        return organisation
    kind = spec.get("kind", kind)
    fields = {
        "slug": spec["slug"],
        "name": spec["name"],
        "kind": kind,
        "helix_sector": spec.get("helix_sector") or DEFAULT_HELIX[kind],
        "country": spec["country"],
        "region": spec.get("region", ""),
        "size": spec.get("size", ""),
        "founded_year": spec.get("founded_year"),
        "description": spec.get("description", {}),
        "labs": [labs[slug] for slug in spec["labs"]],
        "sectors": [terms[Vocabulary.SECTOR][code] for code in spec.get("sectors", [])],
        "technologies": [terms[Vocabulary.TECHNOLOGY][code] for code in spec.get("technologies", [])],
        "sdgs": [terms[Vocabulary.SDG][code] for code in spec.get("sdgs", [])],
    }
    organisation = organisation_create(created_by=admin, make_admin=False, **fields)
    created["organisations"] += 1
    return organisation


def run_demo_module(name: str) -> bool:
    """Run one app's demo loader when that module exists; True if it ran."""
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise  # the module exists but something it imports does not: a real bug
        return False
    module.load()
    return True


def load(*, with_challenges: bool = True) -> Counter:
    """Load (or complete) the demo installation; returns how many rows of each kind were created."""
    created: Counter = Counter()
    with transaction.atomic():
        result = taxonomy_load()  # a migrated database has them already: then this writes nothing
        created["terms"] += len(result.created)
        people = {person["email"]: person for person in data.USERS}
        admin = _ensure_user(people[data.ADMIN_EMAIL], created)
        users = {email: _ensure_user(person, created) for email, person in people.items()}

        labs = {spec["slug"]: _ensure_lab(spec, admin, created) for spec in data.LABS}
        terms = {vocabulary: terms_by_code(vocabulary=vocabulary) for vocabulary in Vocabulary.values}
        organisations = {}
        for kind, specs in (
            (OrganisationKind.PUBLIC_ENTITY, data.PUBLIC_ENTITIES),
            (OrganisationKind.PARTNER, data.PARTNERS),
            (OrganisationKind.STARTUP, data.SOLVERS),
        ):
            for spec in specs:
                organisations[spec["slug"]] = _ensure_organisation(
                    spec, kind=kind, admin=admin, labs=labs, terms=terms, created=created
                )

        for email, person in people.items():
            for lab_slug, role in person.get("labs", []):
                lab_membership_add(lab=labs[lab_slug], user=users[email], role=role, added_by=admin)
            for slug, role, job_title in person.get("organisations", []):
                organisation_membership_add(
                    organisation=organisations[slug],
                    user=users[email],
                    role=role,
                    job_title=job_title,
                    added_by=admin,
                )
    if with_challenges:
        # Each phase's story continues the one before: the chain stops at the first app without a demo.
        for key, name in DEMO_CHAIN:
            if not run_demo_module(name):
                break
            created[key] += 1
    return created
