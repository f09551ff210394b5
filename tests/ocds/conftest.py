# ruff: noqa: F811  (fixtures imported from the other conftests are redefined as arguments)
"""A whole public process for the OCDS tests: ``story`` goes from the challenge to a paid milestone.

Built on ``selected`` (tests/procurement/conftest.py: a call, three applications, two preselected, a Demo
Day that selected Alpha). Added here by direct model creation (the phase-5 services are tested by their
own apps): published enquiries, a paid pilot, a procurement process with its steps and award, a signed
purchase contract amended once, a met milestone and its paid payment.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.procurement.conftest import (  # noqa: F401  (fixtures)
    cohort_call,
    demo_day,
    entity,
    evaluation_call,
    lab_staff,
    make_call,
    make_demo_day,
    make_juror_user,
    make_ready_challenge,
    make_submitted,
    ready_challenge,
    ready_day,
    routes,
    scored_day,
    selected,
)


def make_story(selected, routes, *, days_ago: int = 30):
    from govlab.calls.models import Enquiry
    from govlab.contracts.models import (
        Contract,
        ContractDocument,
        ContractMilestone,
        ContractVersion,
        Payment,
        ScheduledPayment,
    )
    from govlab.pilots.models import Pilot
    from govlab.procurement.models import Award, ProcessStep, ProcurementProcess

    challenge = selected.challenge
    lab = selected.lab
    staff = selected.staff
    call = selected.demo_day.call
    now = timezone.now()
    today = timezone.localdate()
    type(challenge).objects.filter(pk=challenge.pk).update(
        is_public=True, status="implementing", budget_confirmed_at=now - dt.timedelta(days=60)
    )
    challenge.refresh_from_db()
    asker = selected.other.member
    Enquiry.objects.create(
        call=call,
        asked_by=asker,
        organisation=selected.other.organisation,
        question="Can our team lead ask this?",
        public_question={"en": "May a consortium apply?"},
        answer={"en": "Yes, with a lead partner."},
        answered_by=staff,
        answered_at=call.publishes_at + dt.timedelta(days=1),
        is_published=True,
        published_at=call.publishes_at + dt.timedelta(days=1),
    )
    Enquiry.objects.create(call=call, asked_by=asker, question="An unpublished question.")
    pilot = Pilot.objects.create(
        application=selected.application,
        lab=lab,
        call=call,
        challenge=challenge,
        title="Pilot of the robot",
        objective={"en": "Check the robot works."},
        starts_on=today - dt.timedelta(days=days_ago + 20),
        ends_on=today - dt.timedelta(days=days_ago + 5),
        budget=Decimal("10000"),
        currency="COP",
        design="before_after",
        status="decided",
        decision="scale",
        decided_at=now - dt.timedelta(days=days_ago + 4),
        created_by=staff,
    )
    process = ProcurementProcess.objects.create(
        lab=lab,
        challenge=challenge,
        title="Purchase of the robot",
        procedure=routes.ppi,
        legal_regime=routes.law,
        threshold=routes.ppi_law,
        estimated_value=Decimal("150000"),
        currency="COP",
        route_justification="New to the market.",
        status="awarded",
        tender_starts_on=today - dt.timedelta(days=days_ago),
        tender_ends_on=today - dt.timedelta(days=days_ago - 5),
        awarded_at=now - dt.timedelta(days=days_ago - 6),
        chosen_by=staff,
    )
    process.applications.add(selected.application)
    ProcessStep.objects.create(
        process=process,
        kind="evaluation_report",
        position=1,
        done_on=today - dt.timedelta(days=days_ago - 5),
        document=SimpleUploadedFile("evaluation-report.pdf", b"%PDF-1.4 public"),
        document_name="Evaluation report",
        document_is_public=True,
    )
    ProcessStep.objects.create(
        process=process,
        kind="market_consultation",
        position=0,
        done_on=today - dt.timedelta(days=days_ago + 1),
        document=SimpleUploadedFile("market-consultation.pdf", b"%PDF-1.4 secret"),
        document_name="Market consultation",
        document_is_public=False,
    )
    award = Award.objects.create(
        process=process,
        supplier=selected.supplier,
        application=selected.application,
        title="Purchase of the robot",
        value=Decimal("120000"),
        currency="COP",
        decided_at=process.awarded_at,
        decided_by=staff,
    )
    contract = Contract.objects.create(
        lab=lab,
        challenge=challenge,
        kind="purchase",
        award=award,
        reference=f"CT-{challenge.reference}-1",
        title="Deployment of the robot",
        scope="The robot in three offices.",
        supplier=selected.supplier,
        buyer=challenge.owner,
        value=Decimal("130000"),
        currency="COP",
        starts_on=today - dt.timedelta(days=days_ago - 8),
        ends_on=today + dt.timedelta(days=300),
        signed_on=today - dt.timedelta(days=days_ago - 7),
        ip_terms="supplier_licence",
        status="active",
        version=2,
        created_by=staff,
    )
    ContractVersion.objects.create(
        contract=contract,
        number=1,
        reason="Signed.",
        value=Decimal("120000"),
        ends_on=today + dt.timedelta(days=300),
        created_by=staff,
    )
    amendment = ContractVersion.objects.create(
        contract=contract,
        number=2,
        reason="A fourth office joins.",
        value=Decimal("130000"),
        ends_on=today + dt.timedelta(days=300),
        created_by=staff,
    )
    ContractVersion.objects.filter(pk=amendment.pk).update(created_at=now - dt.timedelta(days=days_ago - 9))
    ContractDocument.objects.create(
        contract=contract,
        title="Signed contract",
        file=SimpleUploadedFile("signed.pdf", b"%PDF"),
        is_public=True,
        uploaded_by=staff,
    )
    ContractDocument.objects.create(
        contract=contract,
        title="Bank details",
        file=SimpleUploadedFile("bank.pdf", b"%PDF"),
        is_public=False,
        uploaded_by=staff,
    )
    milestone = ContractMilestone.objects.create(
        contract=contract,
        title="Robot installed",
        deliverables="Three robots.",
        due_on=today - dt.timedelta(days=days_ago - 12),
        status="met",
        met_on=today - dt.timedelta(days=days_ago - 11),
    )
    ContractMilestone.objects.create(
        contract=contract, title="Final acceptance", due_on=today + dt.timedelta(days=290)
    )
    scheduled = ScheduledPayment.objects.create(
        contract=contract,
        milestone=milestone,
        label="First half",
        amount=Decimal("60000"),
        due_on=today - dt.timedelta(days=days_ago - 20),
    )
    Payment.objects.create(
        contract=contract,
        scheduled=scheduled,
        invoice_number="INV-1",
        amount=Decimal("60000"),
        invoice_received_on=today - dt.timedelta(days=days_ago - 11),
        approved_on=today - dt.timedelta(days=days_ago - 12),
        paid_on=today - dt.timedelta(days=days_ago - 14),
        due_on=today - dt.timedelta(days=days_ago - 41),
        recorded_by=staff,
    )
    Payment.objects.create(
        contract=contract,
        invoice_number="INV-2",
        amount=Decimal("1000"),
        invoice_received_on=today - dt.timedelta(days=1),
        due_on=today + dt.timedelta(days=29),
        recorded_by=staff,
    )
    return SimpleNamespace(
        challenge=challenge,
        lab=lab,
        call=call,
        pilot=pilot,
        process=process,
        award=award,
        contract=contract,
        milestone=milestone,
        staff=staff,
        selected=selected,
    )


@pytest.fixture
def story(selected, routes):
    return make_story(selected, routes)


@pytest.fixture
def published(story):
    """The story with its releases published."""
    from govlab.ocds.publish import sync

    result = sync(story.challenge)
    assert not result.refused, result.refused
    story.releases = result.published
    return story
