"""The admin: superusers see everything; a lab's managers and staff see only their own lab."""

import pytest

from govlab.audit.models import AuditEntry
from govlab.labs.models import Lab, LabMembership
from tests.factories import LabMembershipFactory, UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 302),
        ("organisation_member", 302),
        ("evaluator", 302),
        ("mentor", 302),
        ("other_lab_staff", 200),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_admin_index_role_matrix(client, login, role_user, role, expected):
    user = role_user(role)
    response = (login(user) if user else client).get("/admin/")

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.django_db
def test_admin_refuses_lab_team_without_the_second_factor(login, staff):
    client = login(staff, mfa_ok=False)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
def test_admin_lab_staff_see_only_their_lab(login, lab, other_lab, staff):
    client = login(staff)

    changelist = client.get("/admin/labs/lab/")
    own = client.get(f"/admin/labs/lab/{lab.pk}/change/")
    other = client.get(f"/admin/labs/lab/{other_lab.pk}/change/")

    assert changelist.status_code == 200
    assert list(changelist.context["cl"].queryset) == [lab]
    assert own.status_code == 200
    assert other.status_code == 404


@pytest.mark.django_db
def test_admin_staff_view_their_lab_read_only(login, lab, staff):
    client = login(staff)
    name = dict(lab.name)

    response = client.post(f"/admin/labs/lab/{lab.pk}/change/", {"jurisdiction": "Changed"})

    assert response.status_code == 403
    lab.refresh_from_db()
    assert lab.name == name
    assert lab.jurisdiction == ""


@pytest.mark.django_db
def test_admin_manager_changes_their_lab_through_the_service(login, lab, manager):
    client = login(manager)
    page = client.get(f"/admin/labs/lab/{lab.pk}/change/")
    assert page.status_code == 200
    assert "slug" not in page.context["adminform"].form.fields
    data = {
        "name_0": "Admin Lab",
        "name_1": "Lab es",
        "name_2": "",
        "name_3": "",
        "name_4": "",
        "tagline_0": "",
        "tagline_1": "",
        "tagline_2": "",
        "tagline_3": "",
        "tagline_4": "",
        "about_0": "",
        "about_1": "",
        "about_2": "",
        "about_3": "",
        "about_4": "",
        "primary_colour": "#1d4ed8",
        "languages": '["en", "es"]',
        "country": "CO",
        "jurisdiction": "National",
        "currency": "COP",
        "time_zone": "America/Bogota",
        "website": "",
        "contact_email": "",
    }
    response = client.post(f"/admin/labs/lab/{lab.pk}/change/", _translated(page, data))

    assert response.status_code == 302, response.context["adminform"].form.errors
    lab.refresh_from_db()
    assert lab.name["en"] == "Admin Lab"
    assert lab.jurisdiction == "National"
    entry = AuditEntry.objects.get(action="lab.update")
    assert entry.actor == manager
    assert entry.reason == "Changed in the admin."
    assert set(entry.changes) == {"name", "jurisdiction"}


def _translated(page, data):
    """Rename name_0… to the widget's own input names (name_en…), whatever they are."""
    form = page.context["adminform"].form
    result = {}
    for key, value in data.items():
        field, _sep, index = key.rpartition("_")
        if field in form.fields and index.isdigit():
            widget = form.fields[field].widget
            codes = widget.languages
            if int(index) < len(codes):
                result[f"{field}_{codes[int(index)]}"] = value
        else:
            result[key] = value
    return result


@pytest.mark.django_db
def test_admin_lab_staff_cannot_add_or_delete_labs(login, lab, manager):
    client = login(manager)
    count = Lab.objects.count()

    assert client.get("/admin/labs/lab/add/").status_code == 403
    assert client.post(f"/admin/labs/lab/{lab.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Lab.objects.count() == count


@pytest.mark.django_db
def test_admin_superuser_sees_every_lab(login, lab, other_lab, superuser):
    client = login(superuser)

    changelist = client.get("/admin/labs/lab/")

    assert set(changelist.context["cl"].queryset) == {lab, other_lab}
    assert client.get(f"/admin/labs/lab/{other_lab.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_admin_memberships_scoped_to_own_lab(login, lab, other_lab, staff, other_lab_staff):
    client = login(staff)

    changelist = client.get("/admin/labs/labmembership/")
    other = LabMembership.objects.get(user=other_lab_staff)

    assert set(changelist.context["cl"].queryset.values_list("lab_id", flat=True)) == {lab.pk}
    assert client.get(f"/admin/labs/labmembership/{other.pk}/change/").status_code == 404


@pytest.mark.django_db
def test_admin_staff_cannot_give_roles_managers_can(login, lab, staff, manager):
    person = UserFactory(email="newcomer@example.org")
    data = {"lab": lab.pk, "email": "newcomer@example.org", "role": "mentor"}

    refused = login(staff).post("/admin/labs/labmembership/add/", data)

    assert refused.status_code == 403
    assert not LabMembership.objects.filter(user=person).exists()

    accepted = login(manager).post("/admin/labs/labmembership/add/", data)

    assert accepted.status_code == 302
    assert LabMembership.objects.get(user=person).role == "mentor"
    assert AuditEntry.objects.get(action="lab.membership.add").actor == manager


@pytest.mark.django_db
def test_admin_manager_cannot_give_roles_in_another_lab(login, lab, other_lab, manager):
    person = UserFactory()

    response = login(manager).post(
        "/admin/labs/labmembership/add/", {"lab": other_lab.pk, "email": person.email, "role": "staff"}
    )

    assert response.status_code == 200
    assert "lab" in response.context["adminform"].form.errors
    assert not LabMembership.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_admin_add_membership_refuses_unknown_email(login, lab, manager):
    response = login(manager).post(
        "/admin/labs/labmembership/add/", {"lab": lab.pk, "email": "ghost@example.org", "role": "staff"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "No account with this e-mail; ask them to sign up first."
    ]


@pytest.mark.django_db
def test_admin_delete_membership_keeps_the_last_manager(login, lab, manager):
    membership = LabMembership.objects.get(user=manager)

    response = login(manager).post(
        f"/admin/labs/labmembership/{membership.pk}/delete/", {"post": "yes"}, follow=True
    )

    html = response.content.decode()
    assert "A lab must keep at least one manager. Add another manager first." in html
    assert "deleted successfully" not in html
    assert LabMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_admin_delete_membership_through_the_service(login, lab, manager, staff):
    membership = LabMembership.objects.get(user=staff)

    response = login(manager).post(f"/admin/labs/labmembership/{membership.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not LabMembership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.get(action="lab.membership.remove").reason == "Removed in the admin."


@pytest.mark.django_db
def test_admin_other_models_hidden_from_lab_team(login, lab, manager):
    LabMembershipFactory(lab=lab, role="mentor")

    html = login(manager).get("/admin/").content.decode()

    assert "/admin/labs/lab/" in html
    assert "/admin/accounts/user/" not in html
