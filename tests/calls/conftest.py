"""Shared fixtures for calls: a ready challenge, a draft and an open call, two solver organisations."""

import datetime as dt

import pytest
from django.utils import timezone

from govlab.calls import services
from govlab.calls.enums import QuestionKind, Stage
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from tests.factories import (
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)

SCALE = [
    {"value": 0, "label": {"en": "Absent"}},
    {"value": 1, "label": {"en": "Weak"}},
    {"value": 2, "label": {"en": "Good"}},
    {"value": 3, "label": {"en": "Excellent"}},
]
CRITERIA = [
    {"name": {"en": "Innovation"}, "weight": "40", "scale": SCALE},
    {"name": {"en": "Feasibility"}, "weight": "35", "scale": SCALE},
    {"name": {"en": "Team"}, "weight": "25", "scale": SCALE},
]


@pytest.fixture
def entity(lab):
    organisation = OrganisationFactory(kind="public_entity", helix_sector="government", country="LU")
    organisation.labs.add(lab)
    return organisation


@pytest.fixture
def lab_staff(lab):
    return LabMembershipFactory(lab=lab, role="staff").user


@pytest.fixture
def make_ready_challenge(lab, entity):
    """A challenge in READY_FOR_CALL (set directly: the readiness path is tested in tests/challenges)."""

    def make(**fields):
        number = Challenge.objects.count() + 1
        status = fields.pop("status", ChallengeStatus.READY_FOR_CALL)
        values = {
            "title": {"en": f"Challenge {number}", "fr": f"Défi {number}"},
            "problem_statement": {"en": "Our challenge is that robots answer our phones badly."},
            "country": "LU",
            **fields,
        }
        return Challenge.objects.create(
            lab=lab,
            owner=entity,
            created_by=UserFactory(),
            status=status,
            reference=f"C-{number}",
            **values,
        )

    return make


@pytest.fixture
def ready_challenge(make_ready_challenge):
    return make_ready_challenge()


def add_standard_questions(call, by, stage=Stage.PROPOSAL):
    """A short text (required), a long text with a 500-character limit (required), a money amount."""
    services.question_save(
        call=call,
        updated_by=by,
        stage=stage,
        key="solution_name",
        kind=QuestionKind.SHORT_TEXT,
        label={"en": "Name of your solution"},
        required=True,
        config={"max_length": 100},
    )
    services.question_save(
        call=call,
        updated_by=by,
        stage=stage,
        key="approach",
        kind=QuestionKind.LONG_TEXT,
        label={"en": "Your approach"},
        required=True,
        config={"max_length": 500},
    )
    services.question_save(
        call=call,
        updated_by=by,
        stage=stage,
        key="price",
        kind=QuestionKind.MONEY,
        label={"en": "Indicative price"},
        config={"currency": "EUR", "min": "0"},
    )


@pytest.fixture
def make_call(lab, lab_staff, ready_challenge):
    """A draft call for the ready challenge, with criteria and a form; publish=True publishes it."""

    def make(publish=False, deadline=None, slug=None, challenges=None, **fields):
        now = timezone.now()
        fields.setdefault("time_zone", "Europe/Luxembourg")
        fields.setdefault("title", {"en": "Bye bye Robots!"})
        call = services.call_create(
            lab=lab,
            created_by=lab_staff,
            challenges=challenges if challenges is not None else [ready_challenge],
            criteria=CRITERIA,
            slug=slug or f"call-{lab.calls.count() + 1}",
            summary={"en": "Help us answer citizens without robots."},
            deadline=deadline or now + dt.timedelta(days=10),
            **fields,
        )
        add_standard_questions(call, lab_staff)
        if fields.get("two_stage"):
            add_standard_questions(call, lab_staff, stage=Stage.EXPRESSION_OF_INTEREST)
        call.refresh_from_db()
        if publish:
            services.call_publish(call=call, published_by=lab_staff)
            call.refresh_from_db()
        return call

    return make


@pytest.fixture
def draft_call(make_call):
    return make_call()


@pytest.fixture
def open_call(make_call):
    return make_call(publish=True)


@pytest.fixture
def solver(lab):
    organisation = OrganisationFactory(kind="startup", helix_sector="business", country="LU", trl=5)
    organisation.labs.add(lab)
    return organisation


@pytest.fixture
def solver_member(solver):
    return OrganisationMembershipFactory(organisation=solver, role="admin").user


@pytest.fixture
def other_solver(lab):
    organisation = OrganisationFactory(kind="sme", helix_sector="business", country="FR", trl=7)
    organisation.labs.add(lab)
    return organisation


@pytest.fixture
def other_solver_member(other_solver):
    return OrganisationMembershipFactory(organisation=other_solver, role="admin").user


COMPLETE_ANSWERS = {"solution_name": "Human first", "approach": "We route calls to people.", "price": "45000"}
ALL_DECLARATIONS = {"eligibility": True, "terms": True, "truthful": True}


@pytest.fixture
def draft_application(open_call, ready_challenge, solver, solver_member):
    application, _created = services.application_start(
        call=open_call, challenge=ready_challenge, organisation=solver, started_by=solver_member
    )
    return application


@pytest.fixture
def complete_application(draft_application, solver_member):
    services.application_save(
        application=draft_application,
        saved_by=solver_member,
        answers=COMPLETE_ANSWERS,
        declarations=ALL_DECLARATIONS,
    )
    draft_application.refresh_from_db()
    return draft_application
