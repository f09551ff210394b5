# ruff: noqa: F811  (fixtures imported from the calls and evaluation conftests are redefined as arguments)
"""Shared fixtures for pilots: a call whose challenge has preselected applications (the cohort), the
entity's member, and pilot builders for each design."""

import datetime as dt

import pytest

from govlab.evaluation import services as evaluation_services
from govlab.evaluation.enums import OutcomeReason
from govlab.organisations.models import OrganisationMembership
from govlab.pilots import services
from tests.calls.conftest import (  # noqa: F401  (fixtures)
    entity,
    lab_staff,
    make_call,
    make_ready_challenge,
    other_solver,
    other_solver_member,
    ready_challenge,
    solver,
    solver_member,
)
from tests.evaluation.conftest import evaluation_call, make_submitted  # noqa: F401  (fixtures)
from tests.factories import OrganisationMembershipFactory

START = dt.date(2026, 3, 2)
END = dt.date(2026, 5, 29)
BASELINE = dt.date(2026, 1, 5)


@pytest.fixture
def cohort(evaluation_call, make_submitted, ready_challenge, lab_staff):
    """Three submitted applications to the challenge; the first two preselected, the third not."""
    applications = [make_submitted(name) for name in ("Alpha Robotics", "Beta Voice", "Gamma Labs")]
    decisions = {
        a.pk: {
            "selected": index < 2,
            "reason_category": OutcomeReason.SELECTED_TOP_SCORE if index < 2 else OutcomeReason.LOWER_SCORE,
            "reason": f"Because {a.reference}.",
        }
        for index, a in enumerate(applications)
    }
    evaluation_services.preselect(
        call=evaluation_call, challenge=ready_challenge, decisions=decisions, by=lab_staff
    )
    for application in applications:
        application.refresh_from_db()
    return applications


@pytest.fixture
def application(cohort):
    """The first preselected application; ``.member`` is a member of its solver organisation."""
    return cohort[0]


def member_of(application):
    """A member of the application's solver organisation."""
    return OrganisationMembership.objects.filter(organisation_id=application.organisation_id).first().user


@pytest.fixture
def entity_member(entity):
    return OrganisationMembershipFactory(organisation=entity, role="member").user


def metric(code="wait", **fields):
    values = {
        "code": code,
        "name": "Waiting time",
        "unit": "minutes",
        "kind": "mean",
        "direction": "decrease",
        "baseline": "12",
        "target": "8",
        "how_measured": "Call logs, daily average.",
        "hypothesis": 1,
    }
    return {**values, **fields}


def rate_metric(code="person", **fields):
    values = {
        "name": "Calls reaching a person",
        "unit": "share of calls",
        "kind": "rate",
        "direction": "increase",
        "baseline": "0.40",
        "target": "0.60",
        "how_measured": "Switchboard logs.",
    }
    return metric(code=code, **{**values, **fields})


def pilot_fields(design="before_after", **fields):
    values = {
        "title": "Human first call routing",
        "objective": {"en": "Callers reach a person faster."},
        "design": design,
        "starts_on": START,
        "ends_on": END,
        "baseline_starts_on": BASELINE if design == "before_after" else None,
        "sites": "Guichet.lu call centre",
        "budget": "25000",
        "risks": "Staff shortage.",
        "consent_ethics": "Callers are told; no recording.",
        "participants": {"civil_society": 400, "government": 12},
        "hypotheses": [{"statement": "Routing to a person first cuts waiting time."}],
        "metrics": [metric()],
    }
    return {**values, **fields}


@pytest.fixture
def make_pilot(lab_staff, application):
    def make(design="before_after", start=True, app=None, **fields):
        pilot = services.pilot_create(
            application=app or application, by=lab_staff, **pilot_fields(design, **fields)
        )
        if start:
            pilot = services.pilot_start(pilot=pilot, by=lab_staff)
        return pilot

    return make
