# ruff: noqa: F811  (fixtures imported from the calls and evaluation conftests are redefined as arguments)
"""Shared fixtures for the Demo Day: a call whose challenge has three submitted applications, two of them
preselected (the cohort that pitches), and helpers to set up a Demo Day with a jury and criteria."""

import datetime as dt

import pytest
from django.utils import timezone

from govlab.demoday import services
from govlab.demoday.enums import DemoDayStatus, JurorRole
from govlab.evaluation import services as evaluation_services
from govlab.evaluation.enums import OutcomeReason
from tests.calls.conftest import (  # noqa: F401  (fixtures)
    entity,
    lab_staff,
    make_call,
    make_ready_challenge,
    ready_challenge,
)
from tests.evaluation.conftest import evaluation_call, make_submitted  # noqa: F401  (fixtures)
from tests.factories import LabMembershipFactory, UserFactory

SCALE = [
    {"value": 1, "label": {"en": "Weak"}},
    {"value": 2, "label": {"en": "Fair"}},
    {"value": 3, "label": {"en": "Good"}},
    {"value": 4, "label": {"en": "Very good"}},
    {"value": 5, "label": {"en": "Excellent"}},
]
DEMO_CRITERIA = [
    {"name": {"en": "Impact on the problem"}, "weight": "35", "scale": SCALE},
    {"name": {"en": "Feasibility"}, "weight": "25", "scale": SCALE},
    {"name": {"en": "Value for money"}, "weight": "20", "scale": SCALE},
    {"name": {"en": "Scalability"}, "weight": "20", "scale": SCALE},
]


def preselect(call, challenge, applications, staff, selected):
    decisions = {
        a.pk: {
            "selected": a in selected,
            "reason_category": OutcomeReason.SELECTED_FIT if a in selected else OutcomeReason.LOWER_SCORE,
            "reason": f"Because {a.reference}.",
        }
        for a in applications
    }
    return evaluation_services.preselect(call=call, challenge=challenge, decisions=decisions, by=staff)


@pytest.fixture
def cohort_call(evaluation_call, make_submitted, ready_challenge, lab_staff):
    """The call with Alpha and Beta preselected, Gamma not; ``call.cohort`` = [alpha, beta, gamma]."""
    applications = [make_submitted(name) for name in ("Alpha Robotics", "Beta Voice", "Gamma Labs")]
    preselect(evaluation_call, ready_challenge, applications, lab_staff, selected=applications[:2])
    evaluation_call.cohort = applications
    return evaluation_call


@pytest.fixture
def make_demo_day(cohort_call, lab_staff):
    def make(**fields):
        starts = timezone.now() + dt.timedelta(days=3)
        values = {
            "title": {"en": "Demo Day Bye bye Robots"},
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=4),
            "place": "Luxembourg City, Lab room",
            **fields,
        }
        return services.demo_day_create(call=cohort_call, by=lab_staff, **values)

    return make


@pytest.fixture
def demo_day(make_demo_day):
    return make_demo_day()


@pytest.fixture
def make_juror_user(lab):
    def make(name="Jo Juror"):
        return LabMembershipFactory(lab=lab, role="evaluator", user=UserFactory(full_name=name)).user

    return make


@pytest.fixture
def ready_day(demo_day, cohort_call, lab_staff, make_juror_user):
    """Criteria, an agenda of the two preselected applications, three scoring jurors and an observer.

    ``ready_day.jurors`` = [ana, bo, cy] (members), ``ready_day.observer``; scoring not yet open."""
    services.criteria_set(demo_day=demo_day, by=lab_staff, criteria=DEMO_CRITERIA)
    services.agenda_from_cohort(demo_day=demo_day, by=lab_staff)
    demo_day.jurors = [
        services.juror_add(demo_day=demo_day, user=make_juror_user(name), role=role, by=lab_staff)
        for name, role in (
            ("Ana Jury", JurorRole.CHAIR),
            ("Bo Jury", JurorRole.MEMBER),
            ("Cy Jury", JurorRole.MEMBER),
        )
    ]
    demo_day.observer = services.juror_add(
        demo_day=demo_day, user=make_juror_user("Obi Observer"), role=JurorRole.ENTITY_OBSERVER, by=lab_staff
    )
    demo_day.alpha, demo_day.beta, demo_day.gamma = cohort_call.cohort
    return demo_day


def criteria_of(demo_day):
    return list(demo_day.criteria.order_by("position", "pk"))


def give(member, application, levels, *, declare=True):
    """The juror declares no conflict (unless already declared) and gives the levels in criteria order."""
    if declare:
        services.jury_declare(member=member, application=application, has_conflict=False, by=member.user)
    criteria = criteria_of(member.demo_day)
    return services.score_save(
        member=member,
        application=application,
        by=member.user,
        scores={str(c.pk): level for c, level in zip(criteria, levels, strict=True)},
    )


@pytest.fixture
def scored_day(ready_day, lab_staff):
    """Scoring opened; Ana and Bo score both; Cy declares a conflict with Alpha and scores Beta; closed.

    Alpha: Ana (5,4,3,4), Bo (4,4,4,4); Beta: Ana (3,3,3,3), Bo (2,3,4,2), Cy (5,5,5,5)."""
    day = ready_day
    services.demo_day_set_status(demo_day=day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana, bo, cy = day.jurors
    give(ana, day.alpha, (5, 4, 3, 4))
    give(bo, day.alpha, (4, 4, 4, 4))
    services.jury_declare(
        member=cy, application=day.alpha, has_conflict=True, reason="I advised Alpha last year.", by=cy.user
    )
    give(ana, day.beta, (3, 3, 3, 3))
    give(bo, day.beta, (2, 3, 4, 2))
    give(cy, day.beta, (5, 5, 5, 5))
    services.demo_day_set_status(demo_day=day, status=DemoDayStatus.SCORING_CLOSED, by=lab_staff)
    day.refresh_from_db()
    return day
