"""Organisations in the admin: lab staff see and change only their labs' organisations, via the service."""

import pytest
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.organisations.models import Organisation
from tests.factories import OrganisationFactory

CHANGELIST = reverse("admin:organisations_organisation_changelist")


def change_url(organisation):
    return reverse("admin:organisations_organisation_change", args=[organisation.pk])


@pytest.fixture
def elsewhere(other_lab):
    organisation = OrganisationFactory(name="Elsewhere Ltd")
    organisation.labs.add(other_lab)
    return organisation


@pytest.mark.django_db
def test_superuser_sees_every_organisation(login, organisation, elsewhere):
    from tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    loose = OrganisationFactory(name="No lab")

    response = login(superuser).get(CHANGELIST)

    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == {organisation, elsewhere, loose}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "manager"])
def test_lab_staff_see_only_their_labs_organisations(login, role_user, organisation, elsewhere, role):
    client = login(role_user(role))

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [organisation]
    assert client.get(change_url(organisation)).status_code == 200
    refused = client.get(change_url(elsewhere))
    assert refused.status_code == 302  # the admin's "does not exist" answer
    assert refused["Location"] == reverse("admin:index")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["evaluator", "mentor", "organisation_member", "plain_user"])
def test_people_outside_lab_teams_cannot_use_the_admin(login, role_user, organisation, role):
    response = login(role_user(role)).get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_lab_staff_change_goes_through_the_service_and_keeps_other_labs(
    login, staff, organisation, lab, other_lab
):
    organisation.labs.add(other_lab)
    client = login(staff)
    page = client.get(change_url(organisation))
    form = page.context["adminform"].form
    assert list(form.fields["labs"].queryset) == [lab]
    assert "is_active" not in form.fields  # read-only for lab staff

    response = client.post(
        change_url(organisation),
        {
            "name": "Renamed in admin",
            "kind": organisation.kind,
            "helix_sector": organisation.helix_sector,
            "description": "{}",
            "country": "CO",
            "labs": [lab.pk],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    organisation.refresh_from_db()
    assert organisation.name == "Renamed in admin"
    assert set(organisation.labs.all()) == {lab, other_lab}
    entry = AuditEntry.objects.get(action="organisation.update")
    assert (entry.actor, entry.changes["name"][1]) == (staff, "Renamed in admin")


@pytest.mark.django_db
def test_nobody_adds_or_deletes_organisations_in_the_admin(login, staff, organisation):
    from tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    for person in (staff, superuser):
        client = login(person)
        assert client.get(reverse("admin:organisations_organisation_add")).status_code == 403
        assert (
            client.get(reverse("admin:organisations_organisation_delete", args=[organisation.pk])).status_code
            == 403
        )
    assert Organisation.objects.filter(pk=organisation.pk).exists()
