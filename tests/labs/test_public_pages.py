"""The public lab list and a lab's home page."""

import pytest
from django.urls import reverse

from tests.factories import LabFactory, OrganisationFactory


def lab_with_organisations(count: int):
    lab = LabFactory(tagline={"en": "We buy innovation"})
    for _n in range(count):
        OrganisationFactory().labs.add(lab)
    return lab


@pytest.mark.django_db
def test_lab_list_shows_active_labs_with_counts(client):
    lab = lab_with_organisations(2)
    OrganisationFactory(is_active=False).labs.add(lab)
    hidden = LabFactory(is_active=False)

    response = client.get(reverse("labs:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/labs/{lab.slug}/"' in html
    assert f'href="/labs/{hidden.slug}/"' not in html
    assert "We buy innovation" in html
    assert "2 organisations" in html
    assert "Colombia" in html
    assert [item.pk for item in response.context["labs"]] == [lab.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_lab_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _n in range(count):
        lab_with_organisations(2)

    with django_assert_num_queries(1):  # the labs with their organisation counts
        response = client.get(reverse("labs:list"))

    assert len(response.context["labs"]) == count


@pytest.mark.django_db
def test_lab_list_in_spanish_shows_spanish_names(client, lab):
    response = client.get("/es/labs/")

    assert f'<span lang="es" dir="auto">{lab.name["es"]}</span>' in response.content.decode()


@pytest.mark.django_db
def test_lab_detail_shows_the_lab_and_its_ecosystem(client, lab):
    from govlab.labs.services import lab_update

    lab_update(
        lab=lab,
        updated_by=None,
        about={"en": "We work with the whole government."},
        jurisdiction="National government",
        contact_email="hola@lab.example",
        website="https://lab.example",
    )
    for kind, count in (("startup", 2), ("public_entity", 1)):
        for _n in range(count):
            OrganisationFactory(kind=kind).labs.add(lab)

    response = client.get(reverse("labs:detail", args=[lab.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["current_lab"] == lab
    assert f'href="/labs/{lab.slug}/theme.css?v=' in html
    assert "We work with the whole government." in html
    assert "National government" in html
    assert 'href="mailto:hola@lab.example"' in html
    assert '<li lang="en">English</li><li lang="es">Spanish</li>' in html
    assert "3 organisations take part in this lab." in html
    assert response.context["organisation_kinds"] == [
        {"kind": "startup", "label": "Start-up", "count": 2},
        {"kind": "public_entity", "label": "Public entity", "count": 1},
    ]
    assert f'href="/organisations/?lab={lab.slug}&amp;kind=startup">Start-up: 2</a>' in html
    assert f'href="/organisations/?lab={lab.slug}">' in html
    assert html.count("<h1>") == 1


@pytest.mark.django_db
def test_lab_detail_lists_published_campaigns_only(client, lab, published_campaign):
    from govlab.challenges.models import IntakeCampaign

    IntakeCampaign.objects.create(
        lab=lab,
        title={"en": "Secret draft call"},
        slug="draft",
        opens_at=published_campaign.opens_at,
        closes_at=published_campaign.closes_at,
        is_published=False,
    )

    html = client.get(reverse("labs:detail", args=[lab.slug])).content.decode()

    assert "Call for challenges 2026" in html
    assert "Secret draft call" not in html


@pytest.mark.django_db
def test_lab_detail_in_spanish(client, lab):
    response = client.get(f"/es/labs/{lab.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert f'<span lang="es" dir="auto">{lab.name["es"]}</span>' in html


@pytest.mark.django_db
def test_inactive_lab_is_hidden_from_the_public_but_not_its_team(client, login, lab, staff):
    lab.is_active = False
    lab.save()
    url = reverse("labs:detail", args=[lab.slug])

    assert client.get(url).status_code == 404
    assert login(staff).get(url).status_code == 200


@pytest.mark.django_db
def test_unknown_lab_is_404(client):
    assert client.get("/labs/no-such-lab/").status_code == 404


@pytest.mark.django_db
def test_long_about_text_with_emoji_and_rtl_is_shown_whole_inside_dir_auto(client, lab):
    from govlab.labs.services import lab_update

    about = ("مختبر الابتكار 🚀 " * 600)[:10000].strip()
    lab_update(lab=lab, updated_by=None, about={"en": about})

    html = client.get(reverse("labs:detail", args=[lab.slug])).content.decode()

    assert f'<span lang="en" dir="auto">{about}</span>' in html


@pytest.mark.django_db
def test_theme_stylesheet_has_the_lab_colour(client, lab):
    response = client.get(reverse("labs:theme", args=[lab.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content.decode() == ":root { --lab-primary: #1d4ed8; --lab-primary-dark: #153aa2; }\n"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_lab_detail_query_count_does_not_grow(client, lab, django_assert_num_queries, count):
    import datetime as dt

    from django.utils import timezone

    from govlab.challenges.models import IntakeCampaign

    now = timezone.now()
    for number in range(count):
        OrganisationFactory(kind=["startup", "sme", "ngo"][number]).labs.add(lab)
        IntakeCampaign.objects.create(
            lab=lab,
            title={"en": f"Call {number}"},
            slug=f"call-{number}",
            opens_at=now,
            closes_at=now + dt.timedelta(days=3),
            is_published=True,
        )

    # the lab, its organisation kinds, a few organisations, its campaigns
    with django_assert_num_queries(4):
        response = client.get(reverse("labs:detail", args=[lab.slug]))

    assert len(response.context["organisations"]) == count
    assert len(response.context["campaigns"]) == count


@pytest.mark.django_db
def test_lab_detail_shows_team_links_to_its_manager_only(client, login, lab, manager):
    public = client.get(reverse("labs:detail", args=[lab.slug])).content.decode()
    team = login(manager).get(reverse("labs:detail", args=[lab.slug])).content.decode()

    assert f'href="/labs/{lab.slug}/settings/"' not in public
    assert f'href="/labs/{lab.slug}/settings/"' in team
    assert f'href="/labs/{lab.slug}/team/"' in team
    assert f'href="/labs/{lab.slug}/audit/"' in team
