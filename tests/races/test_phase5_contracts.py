# ruff: noqa: F811  (pytest fixtures imported from the app conftests are redefined as arguments)
"""Concurrent contract writes, raced on PostgreSQL: two invoices that together exceed the contract's
value, an amendment lowering the value against an invoice, and two signatures.

Each race meets (``Rendezvous``) right after the contract's row is read in the service's transaction
(``services._lock``): with the lock, the second thread cannot finish that read until the first has
committed, so the meeting never happens (``met`` is False) and the second sees the first's write.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govlab.challenges.enums import ChallengeStatus
from govlab.contracts import services
from govlab.contracts.models import Contract, ContractVersion, Payment
from tests.contracts.conftest import (  # noqa: F401  (fixtures)
    SIGNED,
    cohort_call,
    contract,
    demo_day,
    entity,
    evaluation_call,
    lab_staff,
    make_call,
    make_demo_day,
    make_juror_user,
    make_ready_challenge,
    make_submitted,
    publish_calls,
    ready_challenge,
    ready_day,
    scored_day,
    selected,
    signed,
    world,
)

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_after, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def _only_error(outcomes) -> ValidationError:
    errors = errors_of(outcomes)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    return errors[0]


def _invoiced(contract) -> Decimal:
    return sum(
        (p.amount for p in Payment.objects.filter(contract=contract, cancelled_at__isnull=True)), Decimal("0")
    )


def test_two_invoices_that_together_exceed_the_value(world, signed, monkeypatch):
    meeting = Rendezvous()
    pause_after(services, "_lock", meeting, monkeypatch)

    def invoice(number):
        return lambda: services.invoice_record(
            contract=signed,
            by=world.staff,
            invoice_number=number,
            amount="60000",
            invoice_received_on="2026-03-02",
        )

    outcomes = race(invoice("F-1"), invoice("F-2"))
    error = _only_error(outcomes)
    assert error.code == "over_value"
    assert not meeting.met
    assert Payment.objects.filter(contract=signed).count() == 1
    assert _invoiced(signed) == Decimal("60000")


def test_an_amendment_lowering_the_value_against_an_invoice(world, signed, monkeypatch):
    meeting = Rendezvous()
    pause_after(services, "_lock", meeting, monkeypatch)
    outcomes = race(
        lambda: services.invoice_record(
            contract=signed,
            by=world.staff,
            invoice_number="F-1",
            amount="60000",
            invoice_received_on="2026-03-02",
        ),
        lambda: services.contract_amend(
            contract=signed, by=world.entity_user, reason="Smaller.", value="50000"
        ),
    )
    error = _only_error(outcomes)
    assert not meeting.met
    fresh = Contract.objects.get(pk=signed.pk)
    # Whichever came first, the invoices never exceed the value.
    assert _invoiced(fresh) <= fresh.value
    if outcomes[0].ok:
        assert error.code == "below_invoiced"
        assert fresh.value == Decimal("100000")
        assert fresh.version == 1
    else:
        assert error.code == "over_value"
        assert fresh.value == Decimal("50000")
        assert fresh.version == 2
    assert ContractVersion.objects.filter(contract=signed).count() == fresh.version


def test_two_signatures_make_one_version_one(world, contract, monkeypatch):
    meeting = Rendezvous()
    pause_after(services, "_lock", meeting, monkeypatch)
    sign = lambda: services.contract_sign(contract=contract, by=world.staff, signed_on=SIGNED)  # noqa: E731
    outcomes = race(sign, sign)
    error = _only_error(outcomes)
    assert error.code == "signed"
    assert not meeting.met
    assert list(ContractVersion.objects.filter(contract=contract).values_list("number", flat=True)) == [1]
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.IMPLEMENTING
    assert world.challenge.transitions.filter(to_status=ChallengeStatus.IMPLEMENTING).count() == 1
