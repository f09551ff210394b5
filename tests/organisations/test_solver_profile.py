"""Solver profiles: main solution, TRL and interests on the form; the directory's solver and TRL filters;
the organisation's public page shows its profile but nothing of its applications to calls."""

import pytest
from django.urls import reverse
from django.utils import timezone

from govlab.calls import services
from govlab.organisations.models import Organisation
from tests.calls.conftest import (  # noqa: F401 (fixtures used through pytest)
    ALL_DECLARATIONS,
    COMPLETE_ANSWERS,
    entity,
    lab_staff,
    make_call,
    make_ready_challenge,
    ready_challenge,
)
from tests.factories import OrganisationFactory, OrganisationMembershipFactory

from .test_directory import assert_house_page
from .test_forms_pages import valid_data

pytestmark = pytest.mark.django_db
DIRECTORY = reverse("organisations:list")


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


def test_edit_form_offers_and_saves_the_solver_profile(login, organisation, organisation_admin):
    client = login(organisation_admin)
    url = reverse("organisations:edit", args=[organisation.slug])

    page = client.get(url)
    assert_house_page(page)
    html = page.content.decode()
    assert "<legend>Main solution" in html
    assert "<legend>What we want to hear about" in html
    assert 'name="trl"' in html

    response = client.post(
        url,
        valid_data(
            name=organisation.name,
            main_solution_en="A voice assistant that hands over to people.",
            interests_en="Calls about citizen services.",
            trl="6",
        ),
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.main_solution == {"en": "A voice assistant that hands over to people."}
    assert organisation.interests == {"en": "Calls about citizen services."}
    assert organisation.trl == 6


def test_a_trl_outside_the_scale_is_refused(login, organisation, organisation_admin):
    client = login(organisation_admin)
    response = client.post(
        reverse("organisations:edit", args=[organisation.slug]), valid_data(name=organisation.name, trl="10")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["trl"]
    organisation.refresh_from_db()
    assert organisation.trl is None


def test_directory_filters_solvers_and_minimum_trl_and_shows_trl(client, lab):
    OrganisationFactory(name="Agency", kind="public_entity", trl=None)
    OrganisationFactory(name="Early", kind="startup", trl=3)
    OrganisationFactory(name="Ready", kind="sme", trl=7)
    OrganisationFactory(name="Students", kind="student_team", trl=None)

    solvers = client.get(DIRECTORY, {"solvers": "on"})
    mature = client.get(DIRECTORY, {"min_trl": "5"})
    both = client.get(DIRECTORY, {"solvers": "on", "min_trl": "3"})

    assert_house_page(solvers)
    assert names(solvers) == ["Early", "Ready", "Students"]
    assert names(mature) == ["Ready"]
    assert names(both) == ["Early", "Ready"]
    html = mature.content.decode()
    assert "<dt>TRL</dt><dd>7</dd>" in html
    assert names(client.get(DIRECTORY, {"min_trl": "12"})) == ["Agency", "Early", "Ready", "Students"]


@pytest.mark.parametrize("count", [1, 3])
def test_directory_with_solver_filters_keeps_flat_queries(client, django_assert_max_num_queries, count):
    for number in range(count):
        OrganisationFactory(name=f"Solver {number}", kind="startup", trl=6)
    with django_assert_max_num_queries(
        9
    ):  # as the unfiltered directory (tests/organisations/test_directory.py)
        response = client.get(DIRECTORY, {"solvers": "on", "min_trl": "4"})
    assert len(names(response)) == count


def test_page_shows_trl_and_solution_but_nothing_of_applications(client, make_call, ready_challenge):  # noqa: F811 (fixtures)
    """Competitors must not watch how many applications an organisation sends while calls are open."""
    call = make_call(publish=True)
    solver = OrganisationFactory(
        name="Acme Voice",
        kind="startup",
        trl=5,
        main_solution={"en": "Voice bots that know when to stop."},
        interests={"en": "Citizen services."},
    )
    member = OrganisationMembershipFactory(organisation=solver).user
    page_url = reverse("organisations:detail", args=[solver.slug])

    application, _created = services.application_start(
        call=call, challenge=ready_challenge, organisation=solver, started_by=member
    )
    services.application_save(
        application=application, saved_by=member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
    )
    services.application_submit(application=application, submitted_by=member, received_at=timezone.now())
    assert Organisation.objects.get(pk=solver.pk).applications.filter(status="submitted").count() == 1

    for viewer in (None, member):  # anonymous, and even the organisation's own member
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(page_url)
        assert_house_page(response)
        html = response.content.decode()
        assert "Applications to calls on govlab" not in html
        assert "1 submitted" not in html
        assert "submitted_applications" not in response.context
        assert "TRL 5 — technology validated in a relevant environment" in html
        assert "Voice bots that know when to stop." in html
        assert "Citizen services." in html
