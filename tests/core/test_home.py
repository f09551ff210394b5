"""The front page and the signed-in person's dashboard."""

import pytest
from django.urls import reverse

from tests.factories import (
    LabFactory,
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_home_explains_govlab_and_lists_labs_with_figures(client):
    colombia = LabFactory(country="CO")
    LabFactory(country="SE")
    LabFactory(country="SE", is_active=False)
    OrganisationFactory().labs.add(colombia)
    OrganisationFactory(is_active=False)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "govlab is open-source software for the labs" in html
    assert response.context["lab_count"] == 2
    assert response.context["country_count"] == 2
    assert response.context["organisation_count"] == 1
    assert "<strong>2</strong> labs" in html
    assert "<strong>1</strong> organisation" in html
    assert f'href="/labs/{colombia.slug}/"' in html
    assert 'href="/labs/"' in html
    assert 'href="/accounts/signup/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _n in range(count):
        OrganisationFactory().labs.add(LabFactory())

    with django_assert_num_queries(2):  # the labs with counts, the organisation count
        response = client.get(reverse("home"))

    assert len(response.context["labs"]) == count


@pytest.mark.django_db
def test_home_in_spanish(client, lab):
    response = client.get("/es/")

    assert response.status_code == 200
    assert '<html lang="es"' in response.content.decode()


@pytest.mark.django_db
def test_header_links_to_challenges_and_marks_the_current_page(client):
    html = client.get(reverse("labs:list")).content.decode()

    assert '<a href="/challenges/">Challenges</a>' in html
    assert '<a href="/labs/" aria-current="page">Labs</a>' in html


@pytest.mark.django_db
def test_language_switcher_works_without_javascript(client, lab):
    html = client.get(f"/labs/{lab.slug}/").content.decode()
    assert '<button type="submit" class="button button-small">Change</button>' in html

    response = client.post("/i18n/setlang/", {"language": "es", "next": f"/labs/{lab.slug}/"})

    assert response.status_code == 302
    assert response["Location"] == f"/es/labs/{lab.slug}/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 200),
        ("other_lab_staff", 200),
        ("organisation_member", 200),
        ("evaluator", 200),
        ("mentor", 200),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_dashboard_role_matrix(client, login, role_user, role, expected):
    user = role_user(role)
    response = (login(user) if user else client).get(reverse("dashboard"))

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"] == "/accounts/login/?next=/dashboard/"


@pytest.mark.django_db
def test_dashboard_shows_my_labs_roles_and_links(login, lab, other_lab):
    person = UserFactory(full_name="Ada Lovelace")
    LabMembershipFactory(lab=lab, user=person, role="manager")
    LabMembershipFactory(lab=lab, user=person, role="mentor")
    LabMembershipFactory(lab=other_lab, user=person, role="evaluator")

    response = login(person).get(reverse("dashboard"))

    html = response.content.decode()
    rows = {row["lab"].pk: row for row in response.context["my_labs"]}
    assert rows[lab.pk]["roles"] == ["Manager", "Mentor"]
    assert rows[lab.pk]["is_manager"] is True
    assert rows[other_lab.pk]["roles"] == ["Evaluator"]
    assert rows[other_lab.pk]["is_team"] is False
    assert f'href="/labs/{lab.slug}/settings/"' in html
    assert f'href="/labs/{lab.slug}/team/"' in html
    assert f'href="/labs/{lab.slug}/audit/"' in html
    assert f'href="/labs/{other_lab.slug}/team/"' not in html
    assert "Welcome, <bdi>Ada</bdi>" in html


@pytest.mark.django_db
def test_dashboard_staff_get_team_and_audit_links_but_not_settings(login, lab, staff):
    html = login(staff).get(reverse("dashboard")).content.decode()

    assert f'href="/labs/{lab.slug}/team/"' in html
    assert f'href="/labs/{lab.slug}/settings/"' not in html


@pytest.mark.django_db
def test_dashboard_shows_my_organisations_and_challenges(login, lab):
    from govlab.challenges.models import Challenge

    entity = OrganisationFactory(name="Ministry of Health", kind="public_entity")
    member = OrganisationMembershipFactory(organisation=entity, role="admin").user
    Challenge.objects.create(
        lab=lab,
        owner=entity,
        created_by=member,
        title={"en": "Fewer queues"},
        reference="MIL-1",
        country="CO",
    )
    Challenge.objects.create(
        lab=lab,
        owner=OrganisationFactory(),
        created_by=member,
        title={"en": "Someone else's"},
        reference="MIL-2",
        country="CO",
    )

    response = login(member).get(reverse("dashboard"))

    html = response.content.decode()
    assert "<bdi>Ministry of Health</bdi>" in html
    assert [c.reference for c in response.context["my_challenges"]] == ["MIL-1"]
    assert 'href="/challenges/MIL-1/"' in html
    assert "Fewer queues" in html
    assert "Someone else" not in html


@pytest.mark.django_db
def test_dashboard_superuser_sees_create_lab_link(login):
    superuser = UserFactory(is_superuser=True)

    html = login(superuser).get(reverse("dashboard")).content.decode()

    assert 'href="/labs/new/"' in html
