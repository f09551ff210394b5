"""The organisations API: the directory with its filters, create, change, members."""

import pytest

from govlab.organisations.models import Organisation, OrganisationMembership
from govlab.taxonomy.models import Term
from tests.factories import (
    LabFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    TermFactory,
    UserFactory,
)

from .conftest import ROLES, audit_count, error

pytestmark = pytest.mark.django_db

# The standard matrix, plus the organisation's own member and administrator.
ORGANISATION_ROLES = [*ROLES, "own_member", "own_admin"]


@pytest.fixture
def as_org_role(as_role, login, organisation):
    def make(role: str):
        if role in ("own_member", "own_admin"):
            user = OrganisationMembershipFactory(
                organisation=organisation, role="member" if role == "own_member" else "admin"
            ).user
            return login(user), user
        return as_role(role)

    return make


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def test_directory_lists_active_organisations_with_their_terms_and_labs(client, lab, organisation):
    sector = Term.objects.of("sector").first()
    organisation.sectors.add(sector)
    OrganisationFactory(is_active=False)

    response = client.get("/api/v1/organisations/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert (row["slug"], row["sectors"], row["labs"]) == (organisation.slug, [sector.code], [lab.slug])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=harbour", ["alpha"]),
        ("q=north", ["beta"]),
        ("kind=research", ["beta"]),
        ("helix_sector=academia", ["beta"]),
        ("country=se", ["beta"]),
        ("lab=lab-filter", ["alpha"]),
        ("sector=api-sector", ["alpha"]),
        ("technology=api-technology", ["beta"]),
        ("sdg=api-sdg", ["alpha"]),
        ("kind=startup&country=CO", ["alpha"]),
        ("kind=startup&country=SE", []),
    ],
)
def test_directory_filters_like_the_html_directory(client, query, expected):
    lab = LabFactory(slug="lab-filter")
    sector = TermFactory(vocabulary="sector", code="api-sector")
    technology = TermFactory(vocabulary="technology", code="api-technology")
    sdg = TermFactory(vocabulary="sdg", code="api-sdg")
    alpha = OrganisationFactory(slug="alpha", name="Harbour Tech", kind="startup", country="CO")
    alpha.labs.add(lab)
    alpha.sectors.add(sector)
    alpha.sdgs.add(sdg)
    beta = OrganisationFactory(
        slug="beta", name="Uni", region="North", kind="research", helix_sector="academia", country="SE"
    )
    beta.technologies.add(technology)

    response = client.get(f"/api/v1/organisations/?{query}")

    assert response.status_code == 200
    assert slugs(response) == expected


def test_directory_refuses_unknown_filter_values_in_the_error_shape(client):
    response = client.get("/api/v1/organisations/?kind=pirate&sector=no-such-code&lab=nowhere")

    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"kind", "sector", "lab"}


@pytest.mark.parametrize("rows", [1, 3])
def test_directory_query_count_does_not_grow(client, django_assert_num_queries, rows):
    lab = LabFactory()
    terms = [Term.objects.of(vocabulary).first() for vocabulary in ("sector", "technology", "sdg")]
    for _ in range(rows):
        organisation = OrganisationFactory()
        organisation.labs.add(lab)
        organisation.sectors.add(terms[0])
        organisation.technologies.add(terms[1])
        organisation.sdgs.add(terms[2])

    with django_assert_num_queries(6):  # count, page, sectors, technologies, sdgs, labs
        response = client.get("/api/v1/organisations/")

    assert response.json()["count"] == rows


def test_inactive_organisation_is_404_except_to_its_members(client, login):
    organisation = OrganisationFactory(is_active=False)
    member = OrganisationMembershipFactory(organisation=organisation).user

    assert client.get(f"/api/v1/organisations/{organisation.slug}/").status_code == 404
    assert login(UserFactory()).get(f"/api/v1/organisations/{organisation.slug}/").status_code == 404
    assert login(member).get(f"/api/v1/organisations/{organisation.slug}/").status_code == 200


# --- Create -----------------------------------------------------------------------------------------------

CREATE_STATUS = dict.fromkeys(ROLES, 201) | {"anonymous": 401}


@pytest.mark.parametrize("role", ROLES)
def test_organisation_create_role_matrix(as_role, lab, role):
    api, user = as_role(role)
    before = (Organisation.objects.count(), audit_count())

    response = api.post(
        "/api/v1/organisations/",
        {
            "name": "Datos Abiertos SAS",
            "kind": "startup",
            "country": "CO",
            "description": {"es": "Datos para todos"},
            "labs": [lab.slug],
            "sectors": [Term.objects.of("sector").first().code],
        },
        content_type="application/json",
    )

    assert response.status_code == CREATE_STATUS[role]
    if role == "anonymous":
        assert (Organisation.objects.count(), audit_count()) == before
        return
    created = Organisation.objects.get(slug=response.json()["slug"])
    assert (created.name, created.helix_sector, created.description) == (
        "Datos Abiertos SAS",
        "business",
        {"es": "Datos para todos"},
    )
    assert list(created.labs.all()) == [lab]
    assert OrganisationMembership.objects.get(organisation=created).user == user
    assert OrganisationMembership.objects.get(organisation=created).role == "admin"
    assert audit_count() == before[1] + 2  # created, and its creator made administrator


def test_organisation_create_validation_errors(login, user):
    before = Organisation.objects.count()

    response = login(user).post(
        "/api/v1/organisations/",
        {"kind": "pirate", "country": "XX", "labs": ["nowhere"], "description": "plain text"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"name", "kind", "country", "labs", "description"}
    assert Organisation.objects.count() == before


# --- Change -----------------------------------------------------------------------------------------------

UPDATE_STATUS = {
    "anonymous": 401,
    "other_lab_staff": 403,
    "organisation_member": 403,
    "evaluator": 403,
    "staff": 200,
    "manager": 200,
    "own_member": 403,
    "own_admin": 200,
}


@pytest.mark.parametrize("role", ORGANISATION_ROLES)
def test_organisation_update_role_matrix(as_org_role, organisation, role):
    api, _user = as_org_role(role)
    before = audit_count()

    response = api.patch(
        f"/api/v1/organisations/{organisation.slug}/",
        {"region": "Antioquia", "size": "small"},
        content_type="application/json",
    )

    assert response.status_code == UPDATE_STATUS[role]
    organisation.refresh_from_db()
    if response.status_code == 200:
        assert (organisation.region, organisation.size) == ("Antioquia", "small")
        assert audit_count() == before + 1
    else:
        assert (organisation.region, organisation.size) == ("", "")
        assert audit_count() == before


# --- Members ----------------------------------------------------------------------------------------------

MEMBERS_STATUS = {**UPDATE_STATUS, "own_member": 200}


@pytest.mark.parametrize("role", ORGANISATION_ROLES)
def test_organisation_members_role_matrix(as_org_role, organisation, role):
    api, _user = as_org_role(role)

    response = api.get(f"/api/v1/organisations/{organisation.slug}/members/")

    assert response.status_code == MEMBERS_STATUS[role]


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_members_query_count_does_not_grow(
    login, organisation, organisation_admin, django_assert_num_queries, rows
):
    for _ in range(rows):
        OrganisationMembershipFactory(organisation=organisation)
    api = login(organisation_admin)

    # session, user, the organisation and its four related lists, org roles, lab roles, count, page
    with django_assert_num_queries(10):
        response = api.get(f"/api/v1/organisations/{organisation.slug}/members/")

    assert response.json()["count"] == rows + 1


MANAGE_STATUS = {
    "anonymous": 401,
    "other_lab_staff": 403,
    "organisation_member": 403,
    "evaluator": 403,
    "staff": 403,
    "manager": 403,
    "own_member": 403,
    "own_admin": 201,
}


@pytest.mark.parametrize("role", ORGANISATION_ROLES)
def test_organisation_member_add_role_matrix(as_org_role, organisation, role):
    api, _user = as_org_role(role)
    newcomer = UserFactory()
    before = (OrganisationMembership.objects.count(), audit_count())

    response = api.post(
        f"/api/v1/organisations/{organisation.slug}/members/",
        {"email": newcomer.email, "role": "member", "job_title": "Legal counsel"},
        content_type="application/json",
    )

    assert response.status_code == MANAGE_STATUS[role]
    added = OrganisationMembership.objects.filter(organisation=organisation, user=newcomer)
    if role == "own_admin":
        assert added.get().job_title == "Legal counsel"
        assert audit_count() == before[1] + 1
    else:
        assert not added.exists()
        assert (OrganisationMembership.objects.count(), audit_count()) == before


REMOVE_STATUS = {**MANAGE_STATUS, "own_admin": 204}


@pytest.mark.parametrize("role", ORGANISATION_ROLES)
def test_organisation_member_remove_role_matrix(as_org_role, organisation, role):
    api, _user = as_org_role(role)
    OrganisationMembershipFactory(organisation=organisation, role="admin")  # so an admin always remains
    membership = OrganisationMembershipFactory(organisation=organisation, role="member")
    before = (OrganisationMembership.objects.count(), audit_count())

    response = api.delete(f"/api/v1/organisations/{organisation.slug}/members/{membership.pk}/")

    assert response.status_code == REMOVE_STATUS[role]
    if role == "own_admin":
        assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
        assert audit_count() == before[1] + 1
    else:
        assert OrganisationMembership.objects.filter(pk=membership.pk).exists()
        assert (OrganisationMembership.objects.count(), audit_count()) == before


def test_organisation_member_of_another_organisation_is_404(login, organisation, organisation_admin):
    elsewhere = OrganisationMembershipFactory()

    response = login(organisation_admin).delete(
        f"/api/v1/organisations/{organisation.slug}/members/{elsewhere.pk}/"
    )

    assert response.status_code == 404
    assert OrganisationMembership.objects.filter(pk=elsewhere.pk).exists()
