"""Registering and editing an organisation: who may, what is saved and audited, bad input refused."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.organisations.models import Organisation, OrganisationMembership
from tests.factories import LabFactory, TermFactory

from .conftest import ROLES, image_bytes, png_bytes
from .test_directory import assert_house_page

CREATE = reverse("organisations:create")


def edit_url(organisation):
    return reverse("organisations:edit", args=[organisation.slug])


def valid_data(**overrides):
    data = {
        "name": "Acme OCR",
        "kind": "startup",
        "helix_sector": "",
        "description_en": "We read receipts.",
        "country": "CO",
        "region": "Antioquia",
        "website": "https://acme.example",
        "size": "micro",
        "founded_year": "2019",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def state():
    """What a refused request must leave untouched."""
    return (
        Organisation.objects.count(),
        OrganisationMembership.objects.count(),
        AuditEntry.objects.count(),
        sorted(Organisation.objects.values_list("name", "website", "founded_year", "logo")),
    )


# --- Registering.


@pytest.mark.django_db
def test_create_requires_signing_in(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_create_page_has_labelled_grouped_fields(login, user, lab):
    TermFactory(vocabulary="sector", name={"en": "Health"})
    response = login(user).get(CREATE)

    assert_house_page(response)
    html = response.content.decode()
    for legend in ("Sectors", "Technologies", "Sustainable Development Goals", "Labs", "Description"):
        assert f"<legend>{legend}" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="logo"' in html


@pytest.mark.django_db
def test_create_makes_the_creator_administrator_and_audits(login, user, lab, other_lab):
    sector = TermFactory(vocabulary="sector")
    sdg = TermFactory(vocabulary="sdg")
    closed = LabFactory(is_active=False)

    response = login(user).post(
        CREATE,
        valid_data(
            sectors=[sector.pk],
            sdgs=[sdg.pk],
            labs=[lab.pk, other_lab.pk],
            logo=SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
        ),
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=["acme-ocr"])
    assert organisation.slug == "acme-ocr"
    assert organisation.helix_sector == "business"  # the usual one for a start-up
    assert organisation.description == {"en": "We read receipts."}
    assert organisation.founded_year == 2019
    assert organisation.website == "https://acme.example"
    assert organisation.logo.name == "organisations/acme-ocr/logo.png"
    assert default_storage.exists("organisations/acme-ocr/logo.png")
    assert list(organisation.sectors.all()) == [sector]
    assert list(organisation.sdgs.all()) == [sdg]
    assert set(organisation.labs.all()) == {lab, other_lab}
    assert closed not in organisation.labs.all()
    membership = OrganisationMembership.objects.get()
    assert (membership.user, membership.organisation, membership.role) == (user, organisation, "admin")
    assert list(AuditEntry.objects.order_by("id").values_list("action", "actor")) == [
        ("organisation.create", user.pk),
        ("organisation.membership.add", user.pk),
    ]


@pytest.mark.django_db
def test_create_does_not_offer_inactive_labs(login, user, lab):
    closed = LabFactory(is_active=False)

    response = login(user).post(CREATE, valid_data(labs=[closed.pk]))

    assert response.status_code == 200
    assert "labs" in response.context["form"].errors
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"kind": "dragon"}, "kind", "Select a valid choice."),
        ({"website": "not a web address"}, "website", "Enter a valid URL."),
        ({"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
        ({"founded_year": "3000"}, "founded_year", "The founding year cannot be in the future."),
        ({"founded_year": "999"}, "founded_year", "Ensure this value is greater than or equal to 1000."),
        ({"description_en": "x" * 20001}, "description", "at most 20000 characters"),
    ],
)
def test_create_refuses_bad_input_keeping_what_was_typed(login, user, overrides, field, message):
    before = state()

    response = login(user).post(CREATE, valid_data(region="Región del Cañón", **overrides))

    assert response.status_code == 200
    assert state() == before
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'<a href="#id_{field}' in html  # the error summary links to the field
    assert 'value="Región del Cañón"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="image/png"),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile(
                "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"
            ),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile("logo.bmp", image_bytes("BMP"), content_type="image/bmp"),
            "“logo.bmp” is not an accepted file type. Accepted types: GIF, JPEG, JPG, PNG, WEBP.",
        ),
        (SimpleUploadedFile("logo.png", b"", content_type="image/png"), "The submitted file is empty"),
    ],
    ids=["executable-renamed-png", "svg", "bmp", "empty"],
)
def test_create_refuses_a_bad_logo(login, user, upload, message):
    before = state()

    response = login(user).post(CREATE, valid_data(name="Bad Logo Ltd", logo=upload))

    assert response.status_code == 200
    assert state() == before
    assert list(response.context["form"].errors) == ["logo"]
    assert message in response.context["form"].errors["logo"][0]
    assert not default_storage.exists("organisations/bad-logo-ltd/logo.png")
    assert 'value="Bad Logo Ltd"' in response.content.decode()


@pytest.mark.django_db
def test_create_refuses_a_logo_over_the_size_limit(login, user, settings):
    big = png_bytes(size=(900, 900), noise=True)
    assert len(big) > settings.IMAGE_UPLOAD_MAX_BYTES
    before = state()

    response = login(user).post(
        CREATE, valid_data(logo=SimpleUploadedFile("logo.png", big, content_type="image/png"))
    )

    assert response.status_code == 200
    assert state() == before
    assert "the largest accepted is 2.0\xa0MB" in response.context["form"].errors["logo"][0]


@pytest.mark.django_db
def test_create_keeps_a_long_mixed_direction_description(login, user):
    text = ("Reto 🚀 تحدي الابتكار חדשנות " * 400)[:10000].strip()

    response = login(user).post(CREATE, valid_data(description_en=text, name="مختبر 🚀"))

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert organisation.description == {"en": text}
    html = login(user).get(response["Location"]).content.decode()
    assert f'<span lang="en" dir="auto">{text}</span>' in html
    assert "<h1><bdi>مختبر 🚀</bdi></h1>" in html


# --- Editing.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        *[(role, {"anonymous": 302, "staff": 200, "manager": 200}.get(role, 403)) for role in ROLES],
        ("own_member", 403),
        ("organisation_admin", 200),
        ("superuser", 200),
    ],
)
def test_edit_page_role_matrix(as_role, organisation, role, status):
    client, _user = as_role(role)

    response = client.get(edit_url(organisation))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        *[(role, {"anonymous": 302, "staff": 302, "manager": 302}.get(role, 403)) for role in ROLES],
        ("own_member", 403),
        ("organisation_admin", 302),
    ],
)
def test_edit_post_role_matrix(as_role, organisation, role, status):
    client, user = as_role(role)
    before = state()

    response = client.post(edit_url(organisation), valid_data(name="Renamed"))

    assert response.status_code == status
    organisation.refresh_from_db()
    if role in ("staff", "manager", "organisation_admin"):
        assert organisation.name == "Renamed"
        entry = AuditEntry.objects.get(action="organisation.update")
        assert entry.actor == user
        assert entry.changes["name"] == [before[3][0][0], "Renamed"]
    else:
        assert state() == before
        if role == "anonymous":
            assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_edit_of_an_inactive_organisation_is_404_for_lab_staff_who_cannot_see_it(login, organisation, staff):
    organisation.is_active = False
    organisation.save()

    assert login(staff).get(edit_url(organisation)).status_code == 404


@pytest.mark.django_db
def test_edit_refuses_bad_input_and_changes_nothing(login, organisation, organisation_admin):
    before = state()

    response = login(organisation_admin).post(
        edit_url(organisation), valid_data(name="", founded_year="3000", website="nope")
    )

    assert response.status_code == 200
    assert state() == before
    assert set(response.context["form"].errors) == {"name", "founded_year", "website"}
    # The page's title still names the organisation as it is.
    assert f"Edit <bdi>{organisation.name}</bdi>" in response.content.decode()
    assert 'value="nope"' in response.content.decode()


@pytest.mark.django_db
def test_edit_replaces_the_logo_and_keeps_it_when_none_is_sent(login, organisation, organisation_admin):
    client = login(organisation_admin)
    client.post(
        edit_url(organisation),
        valid_data(logo=SimpleUploadedFile("x.png", png_bytes(), content_type="image/png")),
    )
    organisation.refresh_from_db()
    assert organisation.logo.name == f"organisations/{organisation.slug}/logo.png"

    client.post(edit_url(organisation), valid_data(name="Other name"))

    organisation.refresh_from_db()
    assert organisation.name == "Other name"
    assert organisation.logo.name == f"organisations/{organisation.slug}/logo.png"


@pytest.mark.django_db
def test_edit_by_lab_staff_touches_only_their_own_labs(login, organisation, lab, other_lab, staff):
    third = LabFactory()
    organisation.labs.add(other_lab)
    client = login(staff)

    page = client.get(edit_url(organisation))
    assert list(page.context["form"].fields["labs"].queryset) == [lab]

    response = client.post(edit_url(organisation), valid_data(labs=[]))
    assert response.status_code == 302
    assert list(organisation.labs.all()) == [other_lab]

    refused = client.post(edit_url(organisation), valid_data(labs=[third.pk]))
    assert refused.status_code == 403  # no longer in their lab: they may not change it any more
    assert list(organisation.labs.all()) == [other_lab]


@pytest.mark.django_db
def test_edit_by_an_administrator_may_join_any_active_lab(
    login, organisation, lab, other_lab, organisation_admin
):
    closed = LabFactory(is_active=False)

    page = login(organisation_admin).get(edit_url(organisation))
    assert set(page.context["form"].fields["labs"].queryset) == {lab, other_lab}

    login(organisation_admin).post(edit_url(organisation), valid_data(labs=[other_lab.pk]))
    assert list(organisation.labs.all()) == [other_lab]
    assert closed not in page.context["form"].fields["labs"].queryset
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.changes["labs"] == [[lab.pk], [other_lab.pk]]
