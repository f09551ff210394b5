# ruff: noqa: F811  (fixtures imported from the other conftests are redefined as arguments)
"""Fixtures for contracts: the ``selected`` challenge bought through a process with an award (rows written
directly, the procurement services are tested in tests/procurement), its contract pending and signed, and
the people around it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import LegalRegime
from govlab.challenges.services import challenge_transition
from govlab.contracts import services
from govlab.procurement.models import Award, ProcedureType, ProcurementProcess
from tests.factories import LabMembershipFactory, OrganisationFactory, OrganisationMembershipFactory
from tests.procurement.conftest import (  # noqa: F401  (fixtures)
    cohort_call,
    demo_day,
    entity,
    evaluation_call,
    lab_staff,
    make_call,
    make_demo_day,
    make_juror_user,
    make_process,
    make_ready_challenge,
    make_submitted,
    ready_challenge,
    ready_day,
    routes,
    scored_day,
    selected,
)

STARTS = dt.date(2026, 1, 5)
ENDS = dt.date(2027, 12, 31)
SIGNED = dt.date(2026, 1, 12)
STANDSTILL_ENDS = dt.date(2026, 1, 9)
MARCH_2 = dt.date(2026, 3, 2)


def terms(**fields):
    values = {
        "scope": "Deliver and run the human-first call routing for twelve months.",
        "starts_on": STARTS,
        "ends_on": ENDS,
        "ip_terms": "supplier_licence",
        "ip_details": "",
        "payment_terms_days": 30,
        "report_every_days": 90,
        "confidential_notes": "CONFIDENTIAL: the supplier's day rate is 700.",
    }
    return {**values, **fields}


def invoice(contract, by, number="F-0", amount="10", received=MARCH_2, **extra):
    """Record an invoice (received on 2 March 2026 unless said)."""
    return services.invoice_record(
        contract=contract, by=by, invoice_number=number, amount=amount, invoice_received_on=received, **extra
    )


@pytest.fixture
def publish_calls(monkeypatch):
    """The challenges ``ocds.publish.refresh_later`` was asked to refresh, in order."""
    calls = []
    monkeypatch.setattr("govlab.ocds.publish.refresh_later", lambda challenge_id: calls.append(challenge_id))
    return calls


@pytest.fixture
def world(selected, publish_calls):
    """The selected challenge procuring, with an awarded process (standstill ended) and its award."""
    challenge, lab, staff = selected.challenge, selected.lab, selected.staff
    challenge_transition(challenge=challenge, target=ChallengeStatus.PROCURING, actor=staff, via_call=True)
    challenge.refresh_from_db()
    regime = LegalRegime.objects.create(lab=lab, name={"en": "General procurement law"})
    procedure = ProcedureType.objects.create(
        lab=lab,
        jurisdiction="LU",
        code="ppi",
        kind="ppi",
        name={"en": "Public procurement of innovation"},
        ocds_method="selective",
        steps=["needs_assessment", "award_decision", "standstill"],
        standstill_days=10,
        source_label="Law of 2018, art. 3",
    )
    process = ProcurementProcess.objects.create(
        lab=lab,
        challenge=challenge,
        title="Call routing",
        procedure=procedure,
        legal_regime=regime,
        estimated_value=Decimal("100000"),
        currency="EUR",
        route_justification="Innovative, above the minor-value threshold.",
        status="awarded",
        awarded_at=timezone.now(),
        standstill_ends_on=STANDSTILL_ENDS,
        chosen_by=staff,
    )
    award = Award.objects.create(
        process=process,
        supplier=selected.supplier,
        application=selected.application,
        title="Human-first call routing",
        value=Decimal("100000.00"),
        currency="EUR",
        decided_at=timezone.now(),
        decided_by=staff,
    )
    supplier_user = OrganisationMembershipFactory(organisation=selected.supplier, role="member").user
    finance = OrganisationMembershipFactory(organisation=selected.entity, role="member").user
    other_lab_staff = LabMembershipFactory(role="staff").user
    stranger_org = OrganisationFactory(kind="startup", helix_sector="business", country="LU")
    stranger = OrganisationMembershipFactory(organisation=stranger_org, role="admin").user
    return SimpleNamespace(
        **vars(selected),
        process=process,
        award=award,
        regime=regime,
        procedure=procedure,
        supplier_user=supplier_user,
        finance=finance,
        other_lab_staff=other_lab_staff,
        stranger=stranger,
        publish_calls=publish_calls,
    )


@pytest.fixture
def contract(world):
    return services.contract_create(
        by=world.staff, award=world.award, finance_contact=world.finance, **terms()
    )


@pytest.fixture
def signed(world, contract):
    return services.contract_sign(contract=contract, by=world.staff, signed_on=SIGNED)


def database_state() -> dict:
    """Every row of the contracts app, the audit log, notifications and the challenges' status."""
    from django.apps import apps

    from govlab.audit.models import AuditEntry
    from govlab.challenges.models import Challenge
    from govlab.notifications.models import Notification

    state = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("contracts").get_models()
    }
    state["audit"] = AuditEntry.objects.count()
    state["notifications"] = Notification.objects.count()
    state["challenges"] = list(Challenge.objects.order_by("pk").values_list("pk", "status", "version"))
    return state


@pytest.fixture
def unchanged():
    """``with unchanged(): ...`` asserts the block refused (ValidationError) and wrote nothing."""
    import contextlib

    from django.core.exceptions import ValidationError

    @contextlib.contextmanager
    def check(code=None):
        before = database_state()
        with pytest.raises(ValidationError) as caught:
            yield caught
        assert database_state() == before
        if code is not None:
            assert getattr(caught.value, "code", None) == code, (caught.value.code, caught.value.messages)

    return check
