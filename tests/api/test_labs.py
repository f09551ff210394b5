"""The labs API: public list and detail, settings for managers, the team for staff and managers."""

import pytest

from govlab.labs.models import Lab, LabMembership
from tests.factories import LabFactory, LabMembershipFactory, OrganisationFactory, UserFactory

from .conftest import ROLES, audit_count, error

pytestmark = pytest.mark.django_db


def test_lab_list_is_public_and_paginated(client, lab, other_lab):
    LabFactory(is_active=False)
    organisation = OrganisationFactory()
    organisation.labs.add(lab)
    OrganisationFactory(is_active=False).labs.add(lab)

    response = client.get("/api/v1/labs/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["slug"] for row in body["results"]] == sorted([lab.slug, other_lab.slug])
    first = next(row for row in body["results"] if row["slug"] == lab.slug)
    assert first["organisation_count"] == 1
    assert first["name"] == lab.name
    assert first["display_name"] == {"text": lab.name["en"], "language": "en", "is_fallback": False}


def test_lab_display_name_follows_accept_language(client, lab):
    response = client.get(f"/api/v1/labs/{lab.slug}/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["display_name"] == {"text": lab.name["es"], "language": "es", "is_fallback": False}


@pytest.mark.parametrize("rows", [1, 3])
def test_lab_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    for _ in range(rows):
        OrganisationFactory().labs.add(LabFactory())

    with django_assert_num_queries(2):  # count, page
        response = client.get("/api/v1/labs/")

    assert response.json()["count"] == rows


def test_inactive_lab_is_404_for_the_public_but_visible_to_its_members(client, login):
    lab = LabFactory(is_active=False)
    member = LabMembershipFactory(lab=lab, role="evaluator").user

    assert client.get(f"/api/v1/labs/{lab.slug}/").status_code == 404
    assert login(member).get(f"/api/v1/labs/{lab.slug}/").status_code == 200


def test_unknown_lab_is_404_in_the_error_shape(client):
    response = client.get("/api/v1/labs/no-such-lab/")

    assert response.status_code == 404
    assert error(response) == {"code": "not_found", "message": "Not found.", "fields": {}}


# --- Settings ---------------------------------------------------------------------------------------------

UPDATE_STATUS = {
    "anonymous": 401,
    "other_lab_staff": 403,
    "organisation_member": 403,
    "evaluator": 403,
    "staff": 403,
    "manager": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_lab_update_role_matrix(as_role, lab, role):
    api, _user = as_role(role)
    before = audit_count()

    response = api.patch(
        f"/api/v1/labs/{lab.slug}/",
        {"jurisdiction": "National government", "primary_colour": "#0f5132"},
        content_type="application/json",
    )

    assert response.status_code == UPDATE_STATUS[role]
    lab.refresh_from_db()
    if role == "manager":
        assert response.json()["jurisdiction"] == "National government"
        assert (lab.jurisdiction, lab.primary_colour) == ("National government", "#0f5132")
        assert audit_count() == before + 1
    else:
        assert (lab.jurisdiction, lab.primary_colour) == ("", "#1d4ed8")
        assert audit_count() == before


def test_lab_update_validation_errors_use_the_error_shape_and_change_nothing(login, lab, manager):
    before = audit_count()

    response = login(manager).patch(
        f"/api/v1/labs/{lab.slug}/",
        {"name": {"xx": "Nope"}, "time_zone": "Mars/Olympus", "languages": []},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"name", "time_zone", "languages"}
    lab.refresh_from_db()
    assert lab.time_zone == "America/Bogota"
    assert audit_count() == before


def test_lab_update_refused_by_the_model_maps_to_fields(login, lab, manager):
    response = login(manager).patch(
        f"/api/v1/labs/{lab.slug}/", {"primary_colour": "#ffff00"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["primary_colour"]
    lab.refresh_from_db()
    assert lab.primary_colour == "#1d4ed8"


def test_lab_update_cannot_touch_fields_outside_the_settings(login, lab, manager):
    response = login(manager).patch(
        f"/api/v1/labs/{lab.slug}/", {"slug": "renamed", "is_active": False}, content_type="application/json"
    )

    assert response.status_code == 200
    lab.refresh_from_db()
    assert (lab.slug, lab.is_active) == (lab.slug, True)
    assert not Lab.objects.filter(slug="renamed").exists()


def test_lab_put_is_not_offered(login, lab, manager):
    response = login(manager).put(f"/api/v1/labs/{lab.slug}/", {}, content_type="application/json")

    assert response.status_code == 405
    assert error(response)["code"] == "method_not_allowed"


# --- The team ---------------------------------------------------------------------------------------------

MEMBERS_STATUS = {
    "anonymous": 401,
    "other_lab_staff": 403,
    "organisation_member": 403,
    "evaluator": 403,
    "staff": 200,
    "manager": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_lab_members_role_matrix(as_role, lab, role):
    api, user = as_role(role)

    response = api.get(f"/api/v1/labs/{lab.slug}/members/")

    assert response.status_code == MEMBERS_STATUS[role]
    if response.status_code == 200:
        rows = response.json()["results"]
        assert [row["person"]["id"] for row in rows] == [user.pk]
        assert rows[0]["role"] == role


@pytest.mark.parametrize("rows", [1, 3])
def test_lab_members_query_count_does_not_grow(login, lab, staff, django_assert_num_queries, rows):
    for _ in range(rows):
        LabMembershipFactory(lab=lab, role="evaluator")
    api = login(staff)

    # session, user, lab, roles (for the permission), count, page
    with django_assert_num_queries(6):
        response = api.get(f"/api/v1/labs/{lab.slug}/members/")

    assert response.json()["count"] == rows + 1


MANAGE_STATUS = {
    "anonymous": 401,
    "other_lab_staff": 403,
    "organisation_member": 403,
    "evaluator": 403,
    "staff": 403,
    "manager": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_lab_member_add_role_matrix(as_role, lab, role):
    api, _user = as_role(role)
    newcomer = UserFactory()
    before = (LabMembership.objects.count(), audit_count())

    response = api.post(
        f"/api/v1/labs/{lab.slug}/members/",
        {"email": newcomer.email.upper(), "role": "evaluator"},
        content_type="application/json",
    )

    assert response.status_code == MANAGE_STATUS[role]
    added = LabMembership.objects.filter(lab=lab, user=newcomer, role="evaluator")
    if role == "manager":
        assert response.json()["person"]["id"] == newcomer.pk
        assert added.count() == 1
        assert audit_count() == before[1] + 1
    else:
        assert not added.exists()
        assert (LabMembership.objects.count(), audit_count()) == before


def test_lab_member_add_unknown_email_and_role_are_field_errors(login, lab, manager):
    before = LabMembership.objects.count()

    response = login(manager).post(
        f"/api/v1/labs/{lab.slug}/members/",
        {"email": "nobody@example.org", "role": "boss"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"email", "role"}
    assert LabMembership.objects.count() == before


REMOVE_STATUS = {**MANAGE_STATUS, "manager": 204}


@pytest.mark.parametrize("role", ROLES)
def test_lab_member_remove_role_matrix(as_role, lab, role):
    api, _user = as_role(role)
    membership = LabMembershipFactory(lab=lab, role="mentor")
    before = (LabMembership.objects.count(), audit_count())

    response = api.delete(f"/api/v1/labs/{lab.slug}/members/{membership.pk}/")

    assert response.status_code == REMOVE_STATUS[role]
    if role == "manager":
        assert not LabMembership.objects.filter(pk=membership.pk).exists()
        assert audit_count() == before[1] + 1
    else:
        assert LabMembership.objects.filter(pk=membership.pk).exists()
        assert (LabMembership.objects.count(), audit_count()) == before


def test_lab_member_remove_of_another_labs_membership_is_404(login, lab, other_lab, manager):
    elsewhere = LabMembershipFactory(lab=other_lab, role="mentor")

    response = login(manager).delete(f"/api/v1/labs/{lab.slug}/members/{elsewhere.pk}/")

    assert response.status_code == 404
    assert LabMembership.objects.filter(pk=elsewhere.pk).exists()


def test_lab_last_manager_cannot_be_removed(login, lab, manager):
    membership = LabMembership.objects.get(lab=lab, user=manager)
    before = audit_count()

    response = login(manager).delete(f"/api/v1/labs/{lab.slug}/members/{membership.pk}/")

    assert response.status_code == 400
    assert error(response)["fields"] == {
        "non_field_errors": ["A lab must keep at least one manager. Add another manager first."]
    }
    assert LabMembership.objects.filter(pk=membership.pk).exists()
    assert audit_count() == before
