# ruff: noqa: F811  (fixtures imported from the other conftests are redefined as arguments)
"""Shared fixtures for phase 5: a challenge whose solution was selected at a Demo Day.

``selected.challenge`` (status "solution_selected"), ``selected.application`` (Alpha Robotics, the
selected solution), ``selected.other`` (Beta Voice, pitched and not selected), ``selected.supplier``
(Alpha's organisation), ``selected.entity`` (the challenge's public entity), ``selected.lab``,
``selected.staff`` (lab staff), ``selected.entity_user`` (a member of the entity).
"""

from types import SimpleNamespace

import pytest

from govlab.demoday import services as demoday_services
from tests.factories import OrganisationMembershipFactory
from tests.calls.conftest import (  # noqa: F401  (fixtures)
    entity,
    lab_staff,
    make_call,
    make_ready_challenge,
    ready_challenge,
)
from tests.demoday.conftest import (  # noqa: F401  (fixtures)
    cohort_call,
    demo_day,
    make_demo_day,
    make_juror_user,
    ready_day,
    scored_day,
)
from tests.evaluation.conftest import evaluation_call, make_submitted  # noqa: F401  (fixtures)


@pytest.fixture
def selected(scored_day, lab_staff):
    [selection] = demoday_services.select_solution(
        demo_day=scored_day,
        challenge=scored_day.alpha.challenge,
        application=scored_day.alpha,
        reasons="Highest impact and a credible plan.",
        feedback={scored_day.beta.pk: "A strong pitch; the price was too high for the entity."},
        by=lab_staff,
    )
    challenge = selection.challenge
    challenge.refresh_from_db()
    entity_user = OrganisationMembershipFactory(organisation=challenge.owner, role="admin").user
    return SimpleNamespace(
        selection=selection,
        challenge=challenge,
        application=scored_day.alpha,
        other=scored_day.beta,
        supplier=scored_day.alpha.organisation,
        entity=challenge.owner,
        lab=challenge.lab,
        staff=lab_staff,
        entity_user=entity_user,
        demo_day=scored_day,
    )
