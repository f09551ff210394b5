# ruff: noqa: F811  (pytest fixtures imported from the app conftests are redefined as arguments)
"""Concurrent procurement writes, raced on PostgreSQL: two people starting the purchase of the same
challenge, two award decisions for the same process, and two overlapping thresholds saved at once.

Each race meets (``Rendezvous``) right after the read that decides, inside the service's transaction:
with the lock, the second thread cannot reach that read until the first has committed, so the meeting
never happens (``met`` is False) and the second sees the first's write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import ChallengeTransition
from govlab.procurement import services
from govlab.procurement.models import Award, ProcedureType, ProcurementProcess, Threshold
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
from tests.factories import LabMembershipFactory
from tests.procurement.conftest import lab_manager, make_process, routes, selected  # noqa: F401  (fixtures)

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_after, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_publication(monkeypatch):
    monkeypatch.setattr("govlab.ocds.publish.refresh_later", lambda challenge_id: None)


@pytest.fixture
def colleague(selected):
    return LabMembershipFactory(lab=selected.lab, role="staff").user


def _only_error(outcomes) -> ValidationError:
    errors = errors_of(outcomes)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    return errors[0]


def test_starting_the_purchase_twice_at_once_starts_one_process(selected, routes, colleague, monkeypatch):
    meeting = Rendezvous()
    # After the challenge's lock and the status check: the selected solutions are read next.
    pause_after(services, "_selected_applications", meeting, monkeypatch)

    def start(by):
        procedure = ProcedureType.objects.get(pk=routes.ppi.pk)
        return lambda: services.process_create(
            challenge=selected.challenge,
            procedure=procedure,
            by=by,
            estimated_value=Decimal("150000"),
            currency="COP",
            route_justification="New to the market.",
        )

    outcomes = race(start(selected.staff), start(colleague))

    error = _only_error(outcomes)
    assert error.code == "not_selected"
    [winner] = [o.value for o in outcomes if o.ok]
    assert list(ProcurementProcess.objects.values_list("pk", flat=True)) == [winner.pk]
    assert winner.steps.count() == len(routes.ppi.steps)
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == ChallengeStatus.PROCURING
    assert (
        ChallengeTransition.objects.filter(
            challenge=selected.challenge, to_status=ChallengeStatus.PROCURING
        ).count()
        == 1
    )
    assert AuditEntry.objects.filter(action="procurement.process.create").count() == 1
    assert meeting.met is False


def test_awarding_twice_at_once_records_one_decision(selected, make_process, colleague, monkeypatch):
    process = make_process()
    meeting = Rendezvous()
    # After the process's lock and the "already awarded?" read.
    pause_after(services, "_refuse_cancelled", meeting, monkeypatch)

    def award(by, value):
        fresh = ProcurementProcess.objects.get(pk=process.pk)
        return lambda: services.process_award(
            process=fresh,
            by=by,
            reasons="Best value.",
            awards=[
                {"supplier": selected.supplier, "application": selected.application, "value": Decimal(value)}
            ],
        )

    outcomes = race(award(selected.staff, "140000"), award(colleague, "130000"))

    error = _only_error(outcomes)
    assert error.code == "awarded"
    [winner] = [o.value for o in outcomes if o.ok]
    [row] = Award.objects.filter(process=process)
    assert row.value == Decimal("140000" if winner.awards.get().decided_by == selected.staff else "130000")
    process.refresh_from_db()
    assert process.status == "standstill"
    assert process.version == 2
    assert AuditEntry.objects.filter(action="procurement.process.award").count() == 1
    assert meeting.met is False


def test_two_overlapping_thresholds_saved_at_once_one_wins(selected, routes, lab_manager, monkeypatch):
    other_manager = LabMembershipFactory(lab=selected.lab, role="manager").user
    meeting = Rendezvous()
    # After the procedure's lock: the values are read next, then the overlap checked and the row written.
    pause_after(services, "_decimal", meeting, monkeypatch)

    def save(by, start):
        procedure = ProcedureType.objects.select_related("lab").get(pk=routes.ppi.pk)
        return lambda: services.threshold_save(
            procedure=procedure,
            by=by,
            legal_regime=routes.manual,
            currency="COP",
            min_value=Decimal("0"),
            max_value=Decimal("500000"),
            valid_from=start,
            source_label="Manual 4.2",
        )

    outcomes = race(save(lab_manager, dt.date(2026, 1, 1)), save(other_manager, dt.date(2026, 6, 1)))

    error = _only_error(outcomes)
    assert error.code == "invalid"
    assert "overlaps" in error.message_dict["valid_from"][0]
    assert Threshold.objects.filter(procedure=routes.ppi, legal_regime=routes.manual).count() == 1
    assert AuditEntry.objects.filter(action="procurement.threshold.create").count() == 1
    assert meeting.met is False
