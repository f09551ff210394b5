"""/api/v1/me/: the signed-in person's profile and personal-data export."""

import pytest
from django.test import Client

from govlab.audit.models import AuditEntry
from tests.factories import UserFactory

from .conftest import ROLES, audit_count, error

pytestmark = pytest.mark.django_db

SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 401}


@pytest.mark.parametrize("role", ROLES)
def test_me_role_matrix(as_role, role):
    api, user = as_role(role)

    response = api.get("/api/v1/me/")

    assert response.status_code == SIGNED_IN[role]
    if user is not None:
        assert response.json() == {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": "en",
            "time_zone": "UTC",
            "date_joined": response.json()["date_joined"],
        }


@pytest.mark.parametrize("role", ROLES)
def test_me_update_role_matrix(as_role, role):
    api, user = as_role(role)
    before = audit_count()

    response = api.patch(
        "/api/v1/me/",
        {"preferred_language": "es", "time_zone": "America/Bogota"},
        content_type="application/json",
    )

    assert response.status_code == SIGNED_IN[role]
    if user is None:
        assert audit_count() == before
        return
    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone) == ("es", "America/Bogota")
    assert response.json()["preferred_language"] == "es"
    entry = AuditEntry.objects.get(action="account.update")
    assert entry.changes == {"preferred_language": ["en", "es"], "time_zone": ["UTC", "America/Bogota"]}


def test_me_update_refuses_bad_values_and_changes_nothing(login, user):
    before = audit_count()

    response = login(user).patch(
        "/api/v1/me/",
        {"preferred_language": "es", "time_zone": "Mars/Olympus", "full_name": "   "},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"time_zone", "full_name"}
    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone) == ("en", "UTC")
    assert audit_count() == before


def test_me_update_service_errors_map_to_fields(login, user):
    response = login(user).patch(
        "/api/v1/me/", {"time_zone": "Mars/Olympus"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert error(response)["fields"] == {"time_zone": ["“Mars/Olympus” is not a known time zone."]}


def test_me_update_unsupported_language_is_a_field_error(login, user):
    response = login(user).patch("/api/v1/me/", {"preferred_language": "xx"}, content_type="application/json")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["preferred_language"]
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_me_update_needs_the_csrf_token_with_a_session(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.patch("/api/v1/me/", {"time_zone": "Europe/Paris"}, content_type="application/json")

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.time_zone == "UTC"


@pytest.mark.parametrize("role", ROLES)
def test_me_export_role_matrix(as_role, role):
    api, user = as_role(role)

    response = api.get("/api/v1/me/export/")

    assert response.status_code == SIGNED_IN[role]
    if user is not None:
        body = response.json()
        assert body["format"] == "govlab.personal-data/1"
        assert body["profile"]["id"] == user.pk
        assert response["Cache-Control"] == "no-store"


def test_me_export_holds_only_the_persons_own_data(login, user):
    UserFactory(email="someone.else@example.org")

    body = login(user).get("/api/v1/me/export/").json()

    assert body["profile"]["email"] == user.email
    assert "someone.else@example.org" not in str(body)
