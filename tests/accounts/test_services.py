"""Account services: profile update, deactivation, personal-data export and erasure."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from govlab.accounts import services
from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from govlab.audit.services import audit_record
from govlab.notifications.models import Notification
from tests.factories import LabFactory, LabMembershipFactory, OrganisationMembershipFactory, UserFactory

FIXED = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC)


@pytest.fixture
def person(db):
    return UserFactory(
        email="ada@example.org",
        full_name="Ada Lovelace",
        preferred_language="fr",
        time_zone="Europe/Paris",
        date_joined=FIXED,
    )


@pytest.fixture
def rich_person(person, totp_for):
    """A person with something in every section of the export."""
    EmailAddress.objects.create(user=person, email="ada@example.org", verified=True, primary=True)
    EmailAddress.objects.create(user=person, email="ada@work.example", verified=False, primary=False)
    authenticator = totp_for(person)
    Authenticator.objects.filter(pk=authenticator.pk).update(created_at=FIXED)
    lab = LabFactory(slug="milab", name={"en": "MiLAB", "es": "MiLAB"})
    lab_membership = LabMembershipFactory(lab=lab, user=person, role="evaluator")
    org_membership = OrganisationMembershipFactory(user=person, role="admin", job_title="CTO")
    org_membership.organisation.slug = "acme"
    org_membership.organisation.name = "Acme"
    org_membership.organisation.save()
    notification = Notification.objects.create(
        recipient=person, kind="call.published", subject="A call opened", body="Read it", url="/calls/1/"
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=FIXED)
    with transaction.atomic():
        audit_record(
            actor=person, action="lab.update", target=lab, changes={"tagline": ["", "x"]}, reason="why"
        )
    Token.objects.create(user=person, key="a" * 40)
    return person, lab_membership, org_membership


def user_row(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


# --- Profile


@pytest.mark.django_db
def test_user_update_profile_changes_only_given_fields(person):
    services.user_update_profile(user=person, updated_by=person, time_zone="America/Bogota")

    person.refresh_from_db()
    assert (person.full_name, person.preferred_language, person.time_zone) == (
        "Ada Lovelace",
        "fr",
        "America/Bogota",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == (
        "account.update",
        {"time_zone": ["Europe/Paris", "America/Bogota"]},
    )


@pytest.mark.django_db
def test_user_update_profile_without_change_writes_no_audit(person):
    services.user_update_profile(user=person, updated_by=person, full_name="Ada Lovelace")

    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_user_update_profile_validates_every_field(person):
    with pytest.raises(ValidationError) as error:
        services.user_update_profile(
            user=person, updated_by=person, full_name=" ", preferred_language="de", time_zone="Nowhere/City"
        )

    assert set(error.value.message_dict) == {"full_name", "preferred_language", "time_zone"}
    person.refresh_from_db()
    assert (person.full_name, person.preferred_language, person.time_zone) == (
        "Ada Lovelace",
        "fr",
        "Europe/Paris",
    )


@pytest.mark.django_db
def test_user_update_profile_by_someone_else_is_refused(person):
    with pytest.raises(PermissionDenied):
        services.user_update_profile(user=person, updated_by=UserFactory(), full_name="Mallory")

    person.refresh_from_db()
    assert person.full_name == "Ada Lovelace"
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_user_update_profile_by_superuser_is_allowed(person):
    admin = UserFactory(is_superuser=True, is_staff=True)

    services.user_update_profile(user=person, updated_by=admin, preferred_language="sv")

    person.refresh_from_db()
    assert person.preferred_language == "sv"
    assert AuditEntry.objects.get().actor == admin


# --- Deactivation


@pytest.mark.django_db
def test_user_deactivate_ends_sessions_and_tokens(client, person):
    client.force_login(person)
    other = UserFactory()
    other_client = type(client)()
    other_client.force_login(other)
    Token.objects.create(user=person, key="b" * 40)
    Token.objects.create(user=other, key="c" * 40)

    services.user_deactivate(user=person, deactivated_by=person, reason="Leaving")

    person.refresh_from_db()
    assert person.is_active is False
    assert list(Token.objects.values_list("user_id", flat=True)) == [other.pk]
    assert Session.objects.count() == 1
    assert Session.objects.get().get_decoded()["_auth_user_id"] == str(other.pk)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id, entry.reason) == (
        "account.deactivate",
        person.pk,
        str(person.pk),
        "Leaving",
    )
    assert entry.changes == {"is_active": [True, False], "sessions_ended": 1, "api_tokens_deleted": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["plain_user", "staff", "manager"])
def test_user_deactivate_by_someone_else_is_refused(person, role_user, role):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=person, deactivated_by=role_user(role))

    person.refresh_from_db()
    assert person.is_active is True
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_user_deactivate_twice_is_refused(person):
    services.user_deactivate(user=person, deactivated_by=person)

    with pytest.raises(ValidationError):
        services.user_deactivate(user=person, deactivated_by=UserFactory(is_superuser=True))
    assert AuditEntry.objects.count() == 1


# --- Export


@pytest.mark.django_db
def test_user_export_data_has_exactly_the_documented_content(rich_person):
    person, lab_membership, org_membership = rich_person

    data = services.user_export_data(user=person)

    assert set(data) == {
        "format",
        "exported_at",
        "profile",
        "email_addresses",
        "two_factor",
        "lab_memberships",
        "organisation_memberships",
        "notifications",
        "audit_entries",
    }
    assert data["format"] == "govlab.personal-data/1"
    assert data["profile"] == {
        "id": person.pk,
        "email": "ada@example.org",
        "full_name": "Ada Lovelace",
        "preferred_language": "fr",
        "time_zone": "Europe/Paris",
        "is_active": True,
        "date_joined": "2025-03-04T05:06:07+00:00",
        "last_login": None,
        "erased_at": None,
    }
    assert data["email_addresses"] == [
        {"email": "ada@example.org", "verified": True, "primary": True},
        {"email": "ada@work.example", "verified": False, "primary": False},
    ]
    assert data["two_factor"] == [
        {"type": "totp", "created_at": "2025-03-04T05:06:07+00:00", "last_used_at": None}
    ]
    assert data["lab_memberships"] == [
        {
            "lab": "milab",
            "lab_name": {"en": "MiLAB", "es": "MiLAB"},
            "role": "evaluator",
            "since": lab_membership.created_at.isoformat(),
        }
    ]
    assert data["organisation_memberships"] == [
        {
            "organisation": "acme",
            "organisation_name": "Acme",
            "role": "admin",
            "job_title": "CTO",
            "since": org_membership.created_at.isoformat(),
        }
    ]
    assert data["notifications"] == [
        {
            "kind": "call.published",
            "subject": "A call opened",
            "body": "Read it",
            "url": "/calls/1/",
            "created_at": "2025-03-04T05:06:07+00:00",
            "read_at": None,
        }
    ]
    [entry] = data["audit_entries"]
    assert {key: entry[key] for key in ("action", "target_type", "target", "changes", "reason")} == {
        "action": "lab.update",
        "target_type": "lab",
        "target": "MiLAB",
        "changes": {"tagline": ["", "x"]},
        "reason": "why",
    }


@pytest.mark.django_db
def test_user_export_data_holds_no_secrets(rich_person):
    import json

    person, _lab, _org = rich_person
    text = json.dumps(services.user_export_data(user=person))

    assert "secret" not in text
    assert "a" * 40 not in text
    assert person.password not in text


@pytest.mark.django_db
def test_user_export_data_leaves_out_other_people(rich_person):
    other = UserFactory()
    Notification.objects.create(recipient=other, kind="x", subject="Not yours")

    data = services.user_export_data(user=rich_person[0])

    assert [n["subject"] for n in data["notifications"]] == ["A call opened"]


# --- Erasure


@pytest.mark.django_db
def test_user_erase_pseudonymises_exactly_the_listed_fields(rich_person, client):
    person, _lab, _org = rich_person
    client.force_login(person)
    before = user_row(person)
    audit_before = list(AuditEntry.objects.filter(actor=person).values_list("pk", "entry_hash"))

    services.user_erase(user=person, erased_by=person, reason="GDPR request 42")

    person.refresh_from_db()
    after = user_row(person)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"email", "full_name", "password", "is_active", "erased_at"}
    pseudonym = person.full_name.removeprefix("Erased person ")
    assert len(pseudonym) == 6
    assert person.email == f"erased-{pseudonym}@invalid"
    assert person.has_usable_password() is False
    assert person.is_active is False
    assert person.erased_at is not None
    assert "ada" not in person.email
    assert "lovelace" not in person.full_name.lower()
    # Everything personal is gone.
    assert EmailAddress.objects.filter(user=person).count() == 0
    assert Authenticator.objects.filter(user=person).count() == 0
    assert Token.objects.filter(user=person).count() == 0
    assert Notification.objects.filter(recipient=person).count() == 0
    assert person.lab_memberships.count() == 0
    assert person.organisation_memberships.count() == 0
    assert Session.objects.count() == 0
    # The audit trail is kept, and the erasure is recorded in it.
    assert (
        list(
            AuditEntry.objects.filter(actor=person)
            .exclude(action="account.erase")
            .values_list("pk", "entry_hash")
        )
        == audit_before
    )
    entry = AuditEntry.objects.get(action="account.erase")
    assert (entry.actor_id, entry.target_id, entry.target_repr, entry.reason) == (
        person.pk,
        str(person.pk),
        f"Erased person {pseudonym}",
        "GDPR request 42",
    )
    assert entry.changes == {
        "erased": ["email", "full_name", "password", "is_active", "erased_at"],
        "deleted": {
            "email_addresses": 2,
            "authenticators": 1,
            "sessions": 1,
            "api_tokens": 1,
            "notifications": 1,
            "lab_memberships": 1,
            "organisation_memberships": 1,
        },
    }


@pytest.mark.django_db
def test_user_erase_pseudonyms_are_random_not_derived(db):
    first = UserFactory(email="same@example.org")
    services.user_erase(user=first, erased_by=None)
    second = UserFactory(email="same@example.org")
    services.user_erase(user=second, erased_by=None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.email != second.email


@pytest.mark.django_db
def test_user_erase_keeps_the_pseudonym_once_erased(person):
    services.user_erase(user=person, erased_by=person)
    person.refresh_from_db()
    email = person.email

    with pytest.raises(ValidationError):
        services.user_erase(user=person, erased_by=None)

    person.refresh_from_db()
    assert person.email == email
    assert AuditEntry.objects.filter(action="account.erase").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["plain_user", "organisation_member", "staff", "manager"])
def test_user_erase_by_someone_else_is_refused(person, role_user, role):
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)

    with pytest.raises(PermissionDenied):
        services.user_erase(user=person, erased_by=role_user(role))

    person.refresh_from_db()
    assert (person.email, person.full_name, person.erased_at) == ("ada@example.org", "Ada Lovelace", None)
    assert EmailAddress.objects.filter(user=person).count() == 1
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_user_erase_by_superuser_is_allowed(person):
    admin = UserFactory(is_superuser=True, is_staff=True)

    services.user_erase(user=person, erased_by=admin, reason="Ticket 7")

    person.refresh_from_db()
    assert person.erased_at is not None
    assert AuditEntry.objects.get(action="account.erase").actor == admin
