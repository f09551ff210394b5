"""Creating a lab: superusers only; the creator becomes its first manager."""

import pytest
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.labs.models import Lab, LabMembership

URL = "/labs/new/"


def valid_post(**overrides):
    return {
        "name_en": "New Lab",
        "name_es": "Nuevo Laboratorio",
        "slug": "new-lab",
        "main_language": "es",
        "other_languages": ["en"],
        "country": "PY",
        "currency": "PYG",
        "time_zone": "America/Asuncion",
        "primary_colour": "#1d4ed8",
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 403),
        ("other_lab_staff", 403),
        ("organisation_member", 403),
        ("evaluator", 403),
        ("mentor", 403),
        ("staff", 403),
        ("manager", 403),
        ("superuser", 200),
    ],
)
def test_create_lab_role_matrix(as_role, lab, role, expected):
    client, _user = as_role(role)
    count = Lab.objects.count()

    get = client.get(URL)
    post = client.post(URL, valid_post())

    assert get.status_code == expected
    if role == "superuser":
        assert post.status_code == 302
        assert Lab.objects.count() == count + 1
    else:
        assert post.status_code == expected
        assert Lab.objects.count() == count
        assert AuditEntry.objects.filter(action="lab.create").count() == 0


@pytest.mark.django_db
def test_create_lab_makes_the_creator_its_manager(as_role):
    client, superuser = as_role("superuser")

    response = client.post(URL, valid_post())

    assert response.status_code == 302
    assert response["Location"] == reverse("labs:settings", args=["new-lab"])
    lab = Lab.objects.get(slug="new-lab")
    assert lab.name == {"en": "New Lab", "es": "Nuevo Laboratorio"}
    assert lab.languages == ["es", "en"]
    assert str(lab.country) == "PY"
    assert list(LabMembership.objects.filter(lab=lab).values_list("user", "role")) == [
        (superuser.pk, "manager")
    ]
    assert list(AuditEntry.objects.filter(lab=lab).order_by("id").values_list("action", flat=True)) == [
        "lab.create",
        "lab.membership.add",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "new"}, "slug"),
        ({"slug": "not a slug!"}, "slug"),
        ({"primary_colour": "#ffffff"}, "primary_colour"),
        ({"name_en": "", "name_es": ""}, "name"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
def test_create_lab_refuses_bad_input(as_role, overrides, field):
    client, _user = as_role("superuser")

    response = client.post(URL, valid_post(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Lab.objects.filter(slug=overrides.get("slug", "new-lab")).exists()


@pytest.mark.django_db
def test_create_lab_refuses_a_taken_slug(as_role, lab):
    client, _user = as_role("superuser")

    response = client.post(URL, valid_post(slug=lab.slug))

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Lab with this Short name in addresses already exists."
    ]
