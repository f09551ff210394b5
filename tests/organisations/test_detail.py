"""The organisation page: facts, translated description, labs, members for those allowed, edit link."""

import pytest
from django.urls import reverse

from tests.factories import LabFactory, OrganisationFactory, OrganisationMembershipFactory, TermFactory

from .conftest import ROLES
from .test_directory import assert_house_page


def url(organisation):
    return reverse("organisations:detail", args=[organisation.slug])


@pytest.mark.django_db
def test_page_shows_the_organisations_facts(client, organisation, lab):
    organisation.description = {"en": "We build OCR tools.", "es": "Construimos herramientas OCR."}
    organisation.kind = "research"
    organisation.helix_sector = "academia"
    organisation.region = "Antioquia"
    organisation.website = "https://acme.example"
    organisation.size = "small"
    organisation.founded_year = 2015
    organisation.save()
    organisation.sectors.add(TermFactory(vocabulary="sector", name={"en": "Justice"}))
    organisation.technologies.add(TermFactory(vocabulary="technology", name={"en": "OCR"}))
    organisation.sdgs.add(TermFactory(vocabulary="sdg", name={"en": "Quality education"}))
    organisation.labs.add(LabFactory(is_active=False, name={"en": "Closed lab"}))

    response = client.get(url(organisation))

    assert_house_page(response)
    html = response.content.decode()
    assert f"<h1><bdi>{organisation.name}</bdi></h1>" in html
    assert '<span lang="en" dir="auto">We build OCR tools.</span>' in html
    assert "<dd>University or research centre</dd>" in html
    assert "<dd>Academia</dd>" in html
    assert "<dd>Colombia</dd>" in html
    assert "<dd><bdi>Antioquia</bdi></dd>" in html
    assert (
        '<a href="https://acme.example" rel="noopener nofollow"><bdi>https://acme.example</bdi></a>' in html
    )
    assert "<dd>10\u201349 people</dd>" in html
    assert "<dd>2015</dd>" in html
    for term in ("Justice", "OCR", "Quality education"):
        assert f'<li class="tag"><span lang="en" dir="auto">{term}</span></li>' in html
    assert f'<a href="/labs/{lab.slug}/">' in html
    assert "Closed lab" not in html


@pytest.mark.django_db
def test_page_shows_the_description_in_the_readers_language(client, organisation):
    organisation.description = {"en": "In English.", "es": "En español."}
    organisation.save()

    html = client.get("/es" + url(organisation)).content.decode()

    assert '<span lang="es" dir="auto">En español.</span>' in html


@pytest.mark.django_db
def test_page_of_an_inactive_organisation_is_404_except_for_its_members(
    client, login, organisation, organisation_member
):
    organisation.is_active = False
    organisation.save()

    assert client.get(url(organisation)).status_code == 404
    response = login(organisation_member).get(url(organisation))
    assert response.status_code == 200
    assert "This organisation is not active" in response.content.decode()


@pytest.mark.django_db
def test_page_of_an_unknown_organisation_is_404(client):
    assert client.get("/organisations/no-such-organisation/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_members", "can_edit"),
    [
        ("anonymous", False, False),
        ("other_lab_staff", False, False),
        ("organisation_member", False, False),
        ("evaluator", False, False),
        ("staff", True, True),
        ("manager", True, True),
        ("own_member", True, False),
        ("organisation_admin", True, True),
        ("superuser", True, True),
    ],
)
def test_page_members_and_edit_link_by_role(as_role, organisation, role, sees_members, can_edit):
    OrganisationMembershipFactory(organisation=organisation, user__full_name="Ada Lovelace", job_title="CTO")
    client, _user = as_role(role)

    response = client.get(url(organisation))

    assert response.status_code == 200
    html = response.content.decode()
    assert ("<bdi>Ada Lovelace</bdi>" in html) is sees_members
    assert (reverse("organisations:members", args=[organisation.slug]) in html) is sees_members
    assert (reverse("organisations:edit", args=[organisation.slug]) in html) is can_edit


@pytest.mark.django_db
def test_page_renders_a_long_mixed_direction_description_inside_dir_auto(client, organisation):
    text = ("مرحبا بالعالم 🌍 Hello <b>world</b> שלום " * 300)[:10000]
    organisation.description = {"en": text}
    organisation.name = "مختبر الابتكار 🚀"
    organisation.save()

    response = client.get(url(organisation))

    html = response.content.decode()
    assert response.status_code == 200
    escaped = text.replace("<", "&lt;").replace(">", "&gt;")
    assert f'<span lang="en" dir="auto">{escaped}</span>' in html
    assert "<b>world</b>" not in html
    assert "<h1><bdi>مختبر الابتكار 🚀</bdi></h1>" in html


@pytest.mark.django_db
def test_page_members_list_is_visible_to_the_staff_of_any_of_its_labs(
    login, organisation, other_lab, other_lab_staff
):
    OrganisationMembershipFactory(organisation=organisation, user__full_name="Grace Hopper")
    assert "Grace Hopper" not in login(other_lab_staff).get(url(organisation)).content.decode()

    organisation.labs.add(other_lab)

    assert "Grace Hopper" in login(other_lab_staff).get(url(organisation)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_page_is_public(as_role, organisation, role):
    client, _user = as_role(role)
    assert client.get(url(organisation)).status_code == 200


@pytest.mark.django_db
def test_an_organisation_named_new_does_not_hide_the_registration_page(login, user):
    from govlab.organisations.services import unique_slug

    OrganisationFactory(slug="acme")
    assert unique_slug("New") == "new-2"
    assert unique_slug("Acme") == "acme-2"
