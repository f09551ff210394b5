# ruff: noqa: F811  (fixtures imported from tests/calls/conftest.py are redefined as arguments)
"""Shared fixtures for evaluation: a call past its deadline with submitted applications and a panel.

The calls fixtures (tests/calls/conftest.py) are imported, so ``open_call``, ``solver`` and friends work here.
"""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from govlab.calls import services as call_services
from govlab.calls.enums import QuestionKind
from tests.calls.conftest import (  # noqa: F401  (fixtures)
    ALL_DECLARATIONS,
    COMPLETE_ANSWERS,
    entity,
    lab_staff,
    make_call,
    make_ready_challenge,
    open_call,
    other_solver,
    other_solver_member,
    ready_challenge,
    solver,
    solver_member,
)
from tests.factories import (
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)


@pytest.fixture
def evaluation_call(make_call, lab_staff):
    """A published call whose deadline has passed, with a question marked as identifying."""
    now = timezone.now()
    with freeze_time(now - dt.timedelta(days=20)):
        call = make_call(publish=True, deadline=now - dt.timedelta(days=1))
        call_services.question_save(
            call=call,
            updated_by=lab_staff,
            key="team_lead",
            kind=QuestionKind.SHORT_TEXT,
            label={"en": "Name of your team lead"},
            identifying=True,
        )
    call.refresh_from_db()
    return call


@pytest.fixture
def make_submitted(evaluation_call, ready_challenge):
    """make_submitted(name) -> a submitted application from a new solver organisation called ``name``."""

    def make(name="Solver", answers=None, challenge=None):
        organisation = OrganisationFactory(kind="startup", country="LU", name=name, trl=6)
        member = OrganisationMembershipFactory(organisation=organisation, role="admin").user
        deadline = evaluation_call.deadline
        with freeze_time(deadline - dt.timedelta(days=2)):
            application, _ = call_services.application_start(
                call=evaluation_call,
                challenge=challenge or ready_challenge,
                organisation=organisation,
                started_by=member,
            )
            call_services.application_save(
                application=application,
                saved_by=member,
                answers={**COMPLETE_ANSWERS, "team_lead": f"Lead of {name}", **(answers or {})},
                declarations=ALL_DECLARATIONS,
            )
            call_services.application_submit(
                application=application, submitted_by=member, received_at=timezone.now()
            )
        application.refresh_from_db()
        application.member = member
        return application

    return make


@pytest.fixture
def submitted_applications(make_submitted):
    return [make_submitted(name) for name in ("Alpha Robotics", "Beta Voice", "Gamma Labs")]


@pytest.fixture
def make_evaluator_user(lab):
    def make(role="evaluator", name="Eva Evaluator"):
        return LabMembershipFactory(lab=lab, role=role, user=UserFactory(full_name=name)).user

    return make
