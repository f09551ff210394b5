# ruff: noqa: F811  (pytest fixtures imported from tests/evaluation/conftest.py are redefined as arguments)
"""Concurrent evaluation writes, raced on PostgreSQL: the preselection limit, assignment, declarations."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govlab.challenges.enums import ChallengeStatus
from govlab.evaluation import services
from govlab.evaluation.enums import OutcomeReason
from govlab.evaluation.models import Assignment, ConflictDeclaration, PreselectionDecision
from tests.evaluation.conftest import (  # noqa: F401  (fixtures)
    entity,
    evaluation_call,
    lab_staff,
    make_call,
    make_evaluator_user,
    make_ready_challenge,
    make_submitted,
    ready_challenge,
)
from tests.factories import LabMembershipFactory

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_after, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def _decisions(applications, selected):
    return {
        a.pk: {
            "selected": a in selected,
            "reason_category": OutcomeReason.SELECTED_FIT if a in selected else OutcomeReason.LOWER_SCORE,
            "reason": "Panel decision",
        }
        for a in applications
    }


@pytest.mark.parametrize("round_", range(2))
def test_two_preselections_at_once_never_pass_the_limit(
    make_submitted, ready_challenge, lab_staff, lab, monkeypatch, round_
):
    applications = [make_submitted(f"Solver {i}") for i in range(6)]
    call = applications[0].call
    colleague = LabMembershipFactory(lab=lab, role="staff").user
    # Both have checked "not decided yet" before either writes: without the lock, six could be selected.
    pause_after(services, "require_lab_staff", Rendezvous(), monkeypatch)

    outcomes = race(
        lambda: services.preselect(
            call=call,
            challenge=ready_challenge,
            decisions=_decisions(applications, applications[:3]),
            by=lab_staff,
        ),
        lambda: services.preselect(
            call=call,
            challenge=ready_challenge,
            decisions=_decisions(applications, applications[3:]),
            by=colleague,
        ),
    )

    errors = errors_of(outcomes)
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].code == "decided"
    assert PreselectionDecision.objects.count() == 6
    assert PreselectionDecision.objects.filter(selected=True).count() == 3
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.PRESELECTED


def test_two_automatic_assignments_at_once_fill_each_gap_once(
    make_submitted, lab_staff, lab, make_evaluator_user
):
    applications = [make_submitted(f"Solver {i}") for i in range(4)]
    call = applications[0].call
    for index in range(5):
        services.evaluator_add(
            call=call, user=make_evaluator_user(name=f"E{index}"), role="external_expert", added_by=lab_staff
        )
    colleague = LabMembershipFactory(lab=lab, role="staff").user

    outcomes = race(
        lambda: services.assign_automatically(call=call, by=lab_staff),
        lambda: services.assign_automatically(call=call, by=colleague),
    )

    assert errors_of(outcomes) == []
    assert sorted(o.value for o in outcomes) == [0, 12]
    assert Assignment.objects.filter(withdrawn_at__isnull=True).count() == 12


def test_a_declaration_twice_at_once_is_kept_once(make_submitted, lab_staff, make_evaluator_user):
    application = make_submitted("Solver")
    evaluator = services.evaluator_add(
        call=application.call, user=make_evaluator_user(), role="external_expert", added_by=lab_staff
    )

    def declare():
        return services.conflict_declare(
            evaluator=evaluator, application=application, has_conflict=False, by=evaluator.user
        )

    outcomes = race(declare, declare)

    assert len(errors_of(outcomes)) == 1
    assert ConflictDeclaration.objects.count() == 1
