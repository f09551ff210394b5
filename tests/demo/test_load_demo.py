"""``load_demo`` and ``demo_accounts``: the seven labs of the contract, idempotent; everyone can sign in."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from govlab.demo import data
from govlab.demo.accounts import current_totp_code
from govlab.demo.loader import load
from govlab.labs.models import Lab, LabMembership
from govlab.organisations.models import Organisation, OrganisationMembership

pytestmark = pytest.mark.django_db

LABS = {
    "milab": ("CO", "COP", "America/Bogota", ["es", "en"]),
    "govtech-lab-luxembourg": ("LU", "EUR", "Europe/Luxembourg", ["en", "fr"]),
    "innovationsupphandling-syd": ("SE", "SEK", "Europe/Stockholm", ["sv", "en"]),
    "labx": ("PT", "EUR", "Europe/Lisbon", ["pt", "en"]),
    "govbuys-innovation": ("BE", "EUR", "Europe/Brussels", ["fr", "en"]),
    "partnership-for-change": ("SI", "EUR", "Europe/Ljubljana", ["en"]),
    "acclab-paraguay": ("PY", "PYG", "America/Asuncion", ["es", "en"]),
}
ORGANISATIONS = len(data.PUBLIC_ENTITIES) + len(data.PARTNERS) + len(data.SOLVERS)


def test_load_demo_creates_the_seven_labs_of_the_contract(no_challenges_demo):
    load()

    assert sorted(Lab.objects.values_list("slug", flat=True)) == sorted(LABS)
    for slug, (country, currency, zone, languages) in LABS.items():
        lab = Lab.objects.get(slug=slug)
        assert (lab.country.code, lab.currency, lab.time_zone, lab.languages) == (
            country,
            currency,
            zone,
            languages,
        )
        # Name, tagline and about are written in every language the lab publishes in.
        for field in ("name", "tagline", "about"):
            assert set(getattr(lab, field)) == set(languages), (slug, field)
    assert Lab.objects.get(slug="milab").name == {"es": "MiLAB", "en": "MiLAB"}


def test_load_demo_creates_organisations_with_taxonomies(no_challenges_demo):
    load()

    assert Organisation.objects.count() == ORGANISATIONS
    assert len(data.SOLVERS) >= 40
    invima = Organisation.objects.get(slug="invima")
    assert invima.kind == "public_entity"
    assert invima.helix_sector == "government"
    assert list(invima.labs.values_list("slug", flat=True)) == ["milab"]
    assert sorted(invima.sectors.values_list("code", flat=True)) == ["health", "pharmaceuticals"]
    milab_entities = set(
        Organisation.objects.filter(labs__slug="milab", kind="public_entity").values_list("slug", flat=True)
    )
    assert milab_entities == {"invima", "minjusticia", "sic", "fondo-nacional-del-ahorro"}
    assert Organisation.objects.get(slug="ama").labs.get().slug == "labx"
    assert Organisation.objects.get(slug="tomelilla-kommun").labs.get().slug == "innovationsupphandling-syd"
    for lab in Lab.objects.all():
        assert lab.organisations.filter(kind="public_entity").exists(), lab.slug
        assert lab.organisations.exclude(kind__in=["public_entity", "partner"]).count() >= 4, lab.slug
    solver = Organisation.objects.get(slug="kuntur-analytics")
    assert sorted(solver.technologies.values_list("code", flat=True)) == ["data-analytics", "ocr-icr", "rpa"]
    assert sorted(solver.sdgs.values_list("code", flat=True)) == ["sdg-03", "sdg-09"]


def test_load_demo_creates_the_demo_people_and_their_roles(no_challenges_demo):
    load()

    assert User.objects.count() == len(data.USERS) == 13
    admin = User.objects.get(email="admin@govlab.example")
    assert admin.is_superuser
    assert admin.is_staff
    roles = set(LabMembership.objects.values_list("user__email", "lab__slug", "role"))
    assert roles == {
        ("manager@milab.example", "milab", "manager"),
        ("staff@milab.example", "milab", "staff"),
        ("evaluator@milab.example", "milab", "evaluator"),
        ("mentor@milab.example", "milab", "mentor"),
        *{(f"manager@{slug}.example", slug, "manager") for slug in LABS if slug != "milab"},
    }
    assert set(OrganisationMembership.objects.values_list("user__email", "organisation__slug", "role")) == {
        ("entity@milab.example", "invima", "admin"),
        ("founder@milab.example", "kuntur-analytics", "admin"),
    }
    founder_org = Organisation.objects.get(slug="kuntur-analytics")
    assert founder_org.kind == "startup"
    assert founder_org.labs.filter(slug="milab").exists()
    for user in User.objects.all():
        assert user.check_password("govlab-demo-2026")
        address = EmailAddress.objects.get(user=user)
        assert (address.email, address.verified, address.primary) == (user.email, True, True)
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True)
    )
    assert with_totp == {
        "admin@govlab.example",
        "manager@milab.example",
        "staff@milab.example",
        *{f"manager@{slug}.example" for slug in LABS if slug != "milab"},
    }


def test_load_demo_writes_through_the_audited_services(no_challenges_demo):
    load()

    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("lab.create") == 7
    assert actions.count("organisation.create") == ORGANISATIONS
    assert actions.count("lab.membership.add") == 10
    assert actions.count("organisation.membership.add") == 2
    call_command("audit_verify")


def test_load_demo_twice_changes_nothing(row_counts, capsys):
    call_command("load_demo")
    first = row_counts()
    entries = AuditEntry.objects.count()
    last_hash = AuditEntry.objects.latest("pk").entry_hash

    call_command("load_demo")

    assert row_counts() == first
    assert AuditEntry.objects.count() == entries
    assert AuditEntry.objects.latest("pk").entry_hash == last_hash
    assert "Created labs: 0, organisations: 0, users: 0, email_addresses: 0, totp: 0, terms: 0." in (
        capsys.readouterr().out
    )


def test_load_demo_keeps_changes_made_while_trying_the_demo(no_challenges_demo):
    load()
    Lab.objects.filter(slug="milab").update(tagline={"es": "Cambiado"})

    load()

    assert Lab.objects.get(slug="milab").tagline == {"es": "Cambiado"}


def test_load_demo_calls_the_challenges_demo_once_per_run(fake_challenges_demo):
    call_command("load_demo")
    assert fake_challenges_demo["load"] == [()]
    call_command("load_demo", "--without-challenges")
    assert fake_challenges_demo["load"] == [()]


def _sign_in(person: dict) -> Client:
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": person["email"], "password": data.DEMO_PASSWORD}
    )
    assert response.status_code == 302, person["email"]
    if response["Location"] == reverse("mfa_authenticate"):
        code, _seconds = current_totp_code()
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302, person["email"]
    return client


def test_every_demo_person_can_sign_in(no_challenges_demo):
    """One load for all thirteen people (loading is the slow part); each signs in on a fresh client."""
    load()

    for person in data.USERS:
        client = _sign_in(person)
        user = User.objects.get(email=person["email"])
        assert int(client.session["_auth_user_id"]) == user.pk, person["email"]
        assert client.get(reverse("dashboard")).status_code == 200, person["email"]


def test_demo_accounts_prints_every_sign_in_and_the_current_code(no_challenges_demo, capsys):
    load()
    before, _seconds = current_totp_code()

    call_command("demo_accounts")

    after, _seconds = current_totp_code()
    out = capsys.readouterr().out
    assert "password for all: govlab-demo-2026" in out
    assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in out
    assert f"The code right now is {before}" in out or f"The code right now is {after}" in out
    for person in data.USERS:
        assert person["email"] in out
    assert "not loaded" not in out
    line = next(row for row in out.splitlines() if "entity@milab.example" in row)
    assert "public entity admin (invima)" in line
    assert "Other demo people" not in out


def test_demo_accounts_lists_people_other_loaders_made(no_challenges_demo, capsys):
    from govlab.organisations.services import organisation_membership_add

    load()
    contact = User.objects.create_user("entity.sic@milab.example", "x-long-password")
    organisation_membership_add(
        organisation=Organisation.objects.get(slug="sic"), user=contact, role="admin", added_by=None
    )
    User.objects.create_user("someone@load.example", "x-long-password")

    call_command("demo_accounts")

    out = capsys.readouterr().out
    assert "Other demo people" in out
    line = next(row for row in out.splitlines() if "entity.sic@milab.example" in row)
    assert line.split() == ["entity.sic@milab.example", "admin", "of", "sic"]
    assert "someone@load.example" not in out


def test_demo_accounts_says_when_the_demo_is_not_loaded(capsys):
    call_command("demo_accounts")
    assert capsys.readouterr().out.count("(not loaded: run `manage.py load_demo`)") == len(data.USERS)
