"""The challenge's page names the solution its Demo Day selected, once it is selected."""

import pytest

from govlab.demoday import services
from tests.factories import OrganisationMembershipFactory

pytestmark = pytest.mark.django_db


def test_the_challenge_page_shows_the_selected_solution(client, scored_day, lab_staff):
    challenge = scored_day.alpha.challenge
    client.force_login(OrganisationMembershipFactory(organisation=challenge.owner, role="member").user)
    url = f"/challenges/{challenge.reference}/"
    assert "Selected solution" not in client.get(url).content.decode()

    services.select_solution(
        demo_day=scored_day,
        challenge=challenge,
        application=scored_day.alpha,
        reasons="Highest impact and a credible plan.",
        feedback={scored_day.beta.pk: "A strong pitch; the price was too high for the entity."},
        by=lab_staff,
    )
    page = client.get(url).content.decode()
    assert "Selected solution" in page
    assert scored_day.alpha.organisation.name in page
    assert "Highest impact and a credible plan." in page
    assert "the price was too high" not in page  # feedback goes to the solver, not to the public
