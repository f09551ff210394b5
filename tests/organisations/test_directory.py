"""The public directory /organisations/: filters, sort, pages, cards, query count."""

import pytest
from django.urls import reverse

from govlab.organisations.models import Organisation
from tests.accounts.html import structure
from tests.factories import LabFactory, OrganisationFactory, TermFactory

URL = reverse("organisations:list")


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


def assert_house_page(response):
    assert response.status_code == 200
    page = structure(response)
    assert page.h1_count == 1
    assert page.inline_styles == 0
    assert page.inline_scripts == 0
    assert page.unlabelled_controls() == []
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"


@pytest.fixture
def terms(db):
    return {
        "sector": TermFactory(vocabulary="sector", code="health-x", name={"en": "Health"}),
        "other_sector": TermFactory(vocabulary="sector", code="justice-x", name={"en": "Justice"}),
        "technology": TermFactory(vocabulary="technology", code="ocr-x", name={"en": "OCR"}),
        "sdg": TermFactory(vocabulary="sdg", code="sdg-x-16", name={"en": "Peace and justice"}),
    }


@pytest.mark.django_db
def test_directory_lists_only_active_organisations_by_name(client, lab):
    OrganisationFactory(name="Zeta")
    OrganisationFactory(name="Alpha")
    OrganisationFactory(name="Hidden", is_active=False)

    response = client.get(URL)

    assert_house_page(response)
    assert names(response) == ["Alpha", "Zeta"]
    assert "Hidden" not in response.content.decode()
    assert "2 organisations found." in response.content.decode()


@pytest.mark.django_db
def test_directory_card_shows_name_kind_country_labs_and_sectors(client, lab, other_lab, terms):
    organisation = OrganisationFactory(
        name="\u0645\u0646\u0638\u0645\u0629 Acme", kind="sme", country="PY", region="Central"
    )
    organisation.labs.add(lab, other_lab, LabFactory(is_active=False, name={"en": "Closed lab"}))
    organisation.sectors.add(terms["sector"])

    html = client.get(URL).content.decode()

    assert "<bdi>\u0645\u0646\u0638\u0645\u0629 Acme</bdi>" in html
    assert f'href="{reverse("organisations:detail", args=[organisation.slug])}"' in html
    assert "<dd>SME</dd>" in html
    assert "Paraguay, <bdi>Central</bdi>" in html
    assert f'href="/labs/{lab.slug}/"' in html
    assert f'href="/labs/{other_lab.slug}/"' in html
    assert "Closed lab" not in html
    assert '<li class="tag"><span lang="en" dir="auto">Health</span></li>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "acme"}, ["Acme Health"]),
        ({"q": "bogot"}, ["Bogotá Justice"]),
        ({"kind": "public_entity"}, ["Bogotá Justice"]),
        ({"helix_sector": "academia"}, ["Uni Research"]),
        ({"country": "SE"}, ["Uni Research"]),
        ({"lab": "lab-directory"}, ["Acme Health", "Bogotá Justice"]),
        ({"sector": "health-x"}, ["Acme Health"]),
        ({"technology": "ocr-x"}, ["Bogotá Justice"]),
        ({"sdg": "sdg-x-16"}, ["Acme Health", "Uni Research"]),
        ({"lab": "lab-directory", "sdg": "sdg-x-16", "kind": "startup"}, ["Acme Health"]),
        ({"sort": "newest"}, ["Uni Research", "Bogotá Justice", "Acme Health"]),
    ],
)
def test_directory_filters_and_sorts(client, terms, params, expected):
    lab = LabFactory(slug="lab-directory")
    acme = OrganisationFactory(name="Acme Health", kind="startup")
    justice = OrganisationFactory(
        name="Bogotá Justice", kind="public_entity", helix_sector="government", region="Bogotá"
    )
    uni = OrganisationFactory(name="Uni Research", kind="research", helix_sector="academia", country="SE")
    acme.labs.add(lab)
    justice.labs.add(lab)
    acme.sectors.add(terms["sector"])
    justice.sectors.add(terms["other_sector"])
    justice.technologies.add(terms["technology"])
    acme.sdgs.add(terms["sdg"])
    uni.sdgs.add(terms["sdg"])

    response = client.get(URL, params)

    assert_house_page(response)
    assert names(response) == expected
    html = response.content.decode()
    assert f'href="{URL}">Clear filters</a>' in html or params == {"sort": "newest"}
    # The form keeps what was chosen.
    for name, value in params.items():
        assert response.context["filter_form"][name].value() == value


@pytest.mark.django_db
def test_directory_without_filters_has_no_clear_link_and_labels_every_filter(client, organisation):
    response = client.get(URL)

    html = response.content.decode()
    assert "Clear filters" not in html
    for name, label in [
        ("q", "Name"),
        ("kind", "Kind"),
        ("helix_sector", "Quadruple-helix sector"),
        ("country", "Country"),
        ("lab", "Lab"),
        ("sector", "Sector"),
        ("technology", "Technology"),
        ("sdg", "Sustainable Development Goal"),
        ("sort", "Sort by"),
    ]:
        assert f'<label for="id_{name}">{label}</label>' in html
    assert 'method="get"' in html


@pytest.mark.django_db
def test_directory_ignores_an_unknown_filter_value_and_says_so(client, organisation):
    response = client.get(URL, {"kind": "dragon", "lab": "no-such-lab"})

    assert response.status_code == 200
    assert names(response) == [organisation.name]
    assert set(response.context["filter_form"].errors) == {"kind", "lab"}
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_directory_pages_of_25_keep_the_filters(client):
    OrganisationFactory.create_batch(26, kind="ngo", helix_sector="civil_society")
    OrganisationFactory(kind="sme")

    first = client.get(URL, {"kind": "ngo"})
    second = client.get(URL, {"kind": "ngo", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 1
    assert "26 organisations found." in first.content.decode()
    assert 'href="?kind=ngo&amp;page=2" rel="next"' in first.content.decode()
    assert 'href="?kind=ngo&amp;page=1" rel="prev"' in second.content.decode()
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.django_db
def test_directory_answers_htmx_with_the_results_only(client, organisation):
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="organisation-results")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "1 organisation found." in html


@pytest.mark.django_db
def test_directory_offers_registering_to_signed_in_people(client, login, user, organisation):
    assert reverse("organisations:create") not in client.get(URL).content.decode()
    assert reverse("organisations:create") in login(user).get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_directory_query_count_does_not_grow_with_rows(client, django_assert_num_queries, terms, rows):
    for _n in range(rows):
        organisation = OrganisationFactory()
        organisation.labs.add(LabFactory(), LabFactory())
        organisation.sectors.add(terms["sector"], terms["other_sector"])
        organisation.technologies.add(terms["technology"])
        organisation.sdgs.add(terms["sdg"])

    # count, page, labs, sectors; the filter form's countries, labs, sectors, technologies, SDGs.
    with django_assert_num_queries(9):
        response = client.get(URL, {"sort": "newest"})

    assert len(response.context["page"].object_list) == rows
    assert Organisation.objects.count() == rows
