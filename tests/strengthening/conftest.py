# ruff: noqa: F811  (fixtures imported from tests/evaluation/conftest.py are redefined as arguments)
"""Shared fixtures for strengthening: a call with preselected applications (the cohort), a running
programme, a mentor assigned to the first solver, and the people of each role.

The evaluation fixtures (tests/evaluation/conftest.py, which imports the calls ones) are imported here.
"""

import datetime as dt

import pytest
from django.utils import timezone

from govlab.evaluation import services as evaluation_services
from govlab.evaluation.enums import OutcomeReason
from govlab.strengthening import services
from govlab.strengthening.models import CohortMember
from tests.evaluation.conftest import (  # noqa: F401  (fixtures)
    entity,
    evaluation_call,
    lab_staff,
    make_call,
    make_ready_challenge,
    make_submitted,
    open_call,
    ready_challenge,
    solver,
    solver_member,
)
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory, UserFactory


def preselect(call, challenge, applications, staff, selected):
    decisions = {
        a.pk: {
            "selected": a in selected,
            "reason_category": OutcomeReason.SELECTED_TOP_SCORE
            if a in selected
            else OutcomeReason.LOWER_SCORE,
            "reason": f"Because {a.reference}.",
        }
        for a in applications
    }
    return evaluation_services.preselect(call=call, challenge=challenge, decisions=decisions, by=staff)


@pytest.fixture
def make_applications(make_submitted):
    def make(names):
        return [make_submitted(name) for name in names]

    return make


@pytest.fixture
def preselected_call(evaluation_call, make_applications, ready_challenge, lab_staff):
    """Three submitted applications to one challenge; the first two preselected, the third not."""
    applications = make_applications(["Alpha Robotics", "Beta Voice", "Gamma Labs"])
    preselect(evaluation_call, ready_challenge, applications, lab_staff, applications[:2])
    evaluation_call.applications_made = applications
    return evaluation_call


@pytest.fixture
def programme(preselected_call, lab_staff):
    return services.programme_start(call=preselected_call, by=lab_staff)


@pytest.fixture
def members(programme, preselected_call):
    """The two cohort members in application order, each with ``solver``: a member of its organisation."""
    rows = list(CohortMember.objects.filter(programme=programme).select_related("application").order_by("pk"))
    for row, application in zip(rows, preselected_call.applications_made[:2], strict=True):
        row.solver = application.member
    return rows


@pytest.fixture
def member(members):
    return members[0]


@pytest.fixture
def other_member(members):
    return members[1]


@pytest.fixture
def entity_member(entity):
    return OrganisationMembershipFactory(organisation=entity, role="member").user


@pytest.fixture
def mentor_user(lab):
    return LabMembershipFactory(lab=lab, role="mentor", user=UserFactory(full_name="Maria Mentor")).user


@pytest.fixture
def mentor(lab, mentor_user, lab_staff):
    return services.mentor_add(lab=lab, user=mentor_user, by=lab_staff, expertise="Govtech sales")


@pytest.fixture
def assignment(mentor, member, lab_staff):
    return services.mentor_assign(mentor=mentor, member=member, by=lab_staff)


@pytest.fixture
def bootcamp(programme, lab_staff):
    starts = timezone.now() + dt.timedelta(days=3)
    return services.bootcamp_save(
        programme=programme,
        by=lab_staff,
        topic="Business models",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        place="MiLAB, Bogotá",
        facilitator="Ana Facilitator",
    )


@pytest.fixture
def today(lab):
    return services.lab_today(lab)
