"""Contracts on top of the procurement services: a process started and awarded through
``procurement.services`` gives the award a contract is made from; the standstill period it sets holds the
signature back; the first signature moves the procuring challenge to implementing."""

import datetime as dt
from decimal import Decimal

import pytest

from govlab.challenges.enums import ChallengeStatus
from govlab.contracts import services
from govlab.procurement import services as procurement_services
from tests.contracts.conftest import terms

pytestmark = pytest.mark.django_db

D = dt.date


def test_a_contract_from_an_award_of_the_procurement_services(selected, make_process, unchanged):
    process = make_process()
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == ChallengeStatus.PROCURING
    process = procurement_services.process_award(
        process=process,
        by=selected.staff,
        reasons="Best value for money.",
        awards=[
            {
                "supplier": selected.supplier,
                "application": selected.application,
                "value": Decimal("150000"),
                "title": "Call routing",
            }
        ],
        decided_on=D(2026, 1, 2),
    )
    award = process.awards.get()
    contract = services.contract_create(by=selected.entity_user, award=award, **terms())
    assert contract.value == Decimal("150000.00")
    assert contract.currency == "COP"
    assert contract.buyer == selected.entity
    ends = process.standstill_ends_on
    assert ends is not None
    with unchanged("standstill"):
        services.contract_sign(contract=contract, by=selected.staff, signed_on=ends)
    services.contract_sign(contract=contract, by=selected.staff, signed_on=ends + dt.timedelta(days=1))
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == ChallengeStatus.IMPLEMENTING
