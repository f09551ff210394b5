"""Contract services: creation from an award or a pilot, signature (version 1, the challenge moving),
amendments (numbers, snapshots, changes), the payment schedule, invoices and payments, milestones,
progress reports, issues, lessons learned and the close of the case. Every refusal leaves the database
as it was."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.contracts import payments, services
from govlab.contracts.enums import ContractStatus, ReportStatus
from govlab.contracts.models import Contract, ContractVersion, ProgressReport
from govlab.pilots.models import Pilot
from tests.contracts.conftest import ENDS, SIGNED, STANDSTILL_ENDS, STARTS, invoice, terms

pytestmark = pytest.mark.django_db

D = dt.date


# --- Creation --------------------------------------------------------------------------------------


def test_contract_from_an_award_takes_supplier_value_and_buyer(world, contract):
    assert contract.kind == "purchase"
    assert contract.reference == f"{world.challenge.reference}-C1"
    assert contract.supplier == world.supplier
    assert contract.buyer == world.entity
    assert contract.value == Decimal("100000.00")
    assert contract.currency == "EUR"
    assert contract.title == "Human-first call routing"
    assert contract.status == ContractStatus.PENDING
    assert contract.finance_contact == world.finance
    assert AuditEntry.objects.filter(action="contract.create").count() == 1


def test_one_contract_per_award(world, contract, unchanged):
    with unchanged("exists"):
        services.contract_create(by=world.staff, award=world.award, **terms())


def test_creation_refusals_write_nothing(world, unchanged):
    with unchanged("invalid") as caught:
        services.contract_create(
            by=world.staff, award=world.award, finance_contact=world.supplier_user, **terms()
        )
    assert "finance_contact" in caught.value.message_dict
    with unchanged("invalid") as caught:
        services.contract_create(
            by=world.staff, award=world.award, **terms(ends_on=STARTS - dt.timedelta(days=1))
        )
    assert "ends_on" in caught.value.message_dict
    with unchanged("invalid") as caught:
        services.contract_create(by=world.staff, award=world.award, **terms(ip_terms="other", ip_details=""))
    assert "ip_details" in caught.value.message_dict
    with unchanged("not_allowed"):
        services.contract_create(by=world.supplier_user, award=world.award, **terms())
    with unchanged("not_allowed"):
        services.contract_create(by=world.other_lab_staff, award=world.award, **terms())


def test_entity_members_create_contracts(world):
    contract = services.contract_create(by=world.entity_user, award=world.award, **terms())
    assert contract.created_by == world.entity_user


def test_a_cancelled_award_gets_no_contract(world, unchanged):
    world.award.status = "cancelled"
    world.award.save()
    with unchanged("award_cancelled"):
        services.contract_create(by=world.staff, award=world.award, **terms())


@pytest.fixture
def pilot(world):
    application = world.application
    return Pilot.objects.create(
        application=application,
        lab=world.lab,
        call=application.call,
        challenge=world.challenge,
        title="Routing pilot",
        objective={"en": "Try it."},
        starts_on=D(2025, 9, 1),
        ends_on=D(2025, 11, 28),
        budget=Decimal("25000"),
        currency="EUR",
        design="before_after",
        status="decided",
        created_by=world.staff,
    )


def test_a_pilot_agreement_is_a_contract_too(world, pilot):
    agreement = services.contract_create(
        by=world.staff, pilot=pilot, **terms(starts_on=pilot.starts_on, ends_on=pilot.ends_on)
    )
    assert agreement.kind == "pilot_agreement"
    assert agreement.supplier == world.application.organisation
    assert agreement.value == Decimal("25000")
    assert agreement.buyer == world.entity
    services.contract_sign(contract=agreement, by=world.staff, signed_on=D(2025, 9, 1))
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.PROCURING  # only a purchase moves the challenge
    purchase = services.contract_create(by=world.staff, award=world.award, **terms())
    assert purchase.reference == f"{world.challenge.reference}-C2"


def test_update_while_pending_only(world, contract, unchanged):
    services.contract_update(contract=contract, by=world.entity_user, title="Call routing, year one")
    contract.refresh_from_db()
    assert contract.title == "Call routing, year one"
    with unchanged("signed"):
        services.contract_update(
            contract=contract, by=world.staff, value="5"
        )  # a purchase's value is the award's
    services.contract_sign(contract=contract, by=world.staff, signed_on=SIGNED)
    with unchanged("signed"):
        services.contract_update(contract=contract, by=world.staff, scope="Something else")


# --- Signature -------------------------------------------------------------------------------------


def test_signing_makes_version_one_and_moves_the_challenge(world, contract):
    signed = services.contract_sign(contract=contract, by=world.staff, signed_on=SIGNED)
    assert signed.status == ContractStatus.ACTIVE
    assert signed.signed_on == SIGNED
    assert signed.version == 1
    [version] = ContractVersion.objects.filter(contract=contract)
    assert version.number == 1
    assert version.changes == {}
    assert version.terms["value"] == "100000.00"
    assert version.terms["ends_on"] == ENDS.isoformat()
    assert "confidential_notes" not in version.terms
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.IMPLEMENTING
    assert world.challenge.transitions.filter(to_status=ChallengeStatus.IMPLEMENTING).exists()
    assert contract.challenge_id in world.publish_calls
    # Reports every 90 days from the signature, and one at the end.
    days = list(ProgressReport.objects.filter(contract=contract).values_list("due_on", flat=True))
    assert days[0] == SIGNED + dt.timedelta(days=90)
    assert days[-1] == ENDS
    assert all((b - a).days <= 90 for a, b in itertools.pairwise(days))


def test_a_second_signed_purchase_does_not_move_the_challenge_again(world, signed):
    assert world.challenge.transitions.filter(to_status=ChallengeStatus.IMPLEMENTING).count() == 1


def test_signing_refusals(world, contract, unchanged):
    with unchanged("standstill") as caught:
        services.contract_sign(contract=contract, by=world.staff, signed_on=STANDSTILL_ENDS)
    assert STANDSTILL_ENDS.isoformat() in caught.value.message_dict["signed_on"][0]
    tomorrow = payments.lab_today(world.lab) + dt.timedelta(days=1)
    with unchanged("invalid"):
        services.contract_sign(contract=contract, by=world.staff, signed_on=tomorrow)
    for outsider in (world.supplier_user, world.stranger, world.other_lab_staff):
        with unchanged("not_allowed"):
            services.contract_sign(contract=contract, by=outsider, signed_on=SIGNED)
    world.award.status = "cancelled"
    world.award.save()
    with unchanged("award_cancelled"):
        services.contract_sign(contract=contract, by=world.staff, signed_on=SIGNED)


def test_the_buyer_signs_and_the_challenge_moves(world, contract):
    """The buyer is a party: its members sign, and the first purchase moves the challenge (phase 5 lets
    the entity take ``start_implementation`` through this service)."""
    signed = services.contract_sign(contract=contract, by=world.entity_user, signed_on=SIGNED)
    assert signed.status == ContractStatus.ACTIVE
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.IMPLEMENTING
    entry = AuditEntry.objects.get(action="contract.sign")
    assert entry.actor == world.entity_user


def test_signing_the_day_after_the_standstill(world, contract):
    services.contract_sign(
        contract=contract, by=world.staff, signed_on=STANDSTILL_ENDS + dt.timedelta(days=1)
    )


def test_signing_twice_is_refused(world, signed, unchanged):
    with unchanged("signed"):
        services.contract_sign(contract=signed, by=world.staff, signed_on=SIGNED)


# --- Amendments ------------------------------------------------------------------------------------


def test_amendments_are_numbered_versions_with_their_changes(world, signed):
    first = services.contract_amend(
        contract=signed,
        by=world.entity_user,
        reason="Two more sites.",
        value="120000",
        ends_on=D(2028, 3, 31),
    )
    assert first.number == 2
    assert first.changes == {"value": ["100000.00", "120000.00"], "ends_on": ["2027-12-31", "2028-03-31"]}
    assert first.terms["value"] == "120000.00"
    assert first.value == Decimal("120000")
    second = services.contract_amend(
        contract=signed, by=world.staff, reason="Open licence.", ip_terms="open_source"
    )
    assert second.number == 3
    assert second.changes == {"ip_terms": ["supplier_licence", "open_source"]}
    signed.refresh_from_db()
    assert signed.version == 3
    assert signed.value == Decimal("120000")
    assert signed.ip_terms == "open_source"
    versions = [(v.number, v.terms["value"]) for v in ContractVersion.objects.filter(contract=signed)]
    assert versions == [(1, "100000.00"), (2, "120000.00"), (3, "120000.00")]
    # Reports follow the new end.
    assert ProgressReport.objects.filter(contract=signed).order_by("due_on").last().due_on == D(2028, 3, 31)


def test_amendment_refusals(world, signed, unchanged):
    with unchanged("no_change"):
        services.contract_amend(contract=signed, by=world.staff, reason="Nothing.", value="100000.00")
    with unchanged("invalid") as caught:
        services.contract_amend(contract=signed, by=world.staff, reason="  ", value="90000")
    assert "reason" in caught.value.message_dict
    with unchanged("invalid") as caught:
        services.contract_amend(
            contract=signed, by=world.staff, reason="Shorter.", ends_on=STARTS - dt.timedelta(days=1)
        )
    assert "ends_on" in caught.value.message_dict
    with unchanged("not_allowed"):
        services.contract_amend(contract=signed, by=world.supplier_user, reason="Mine.", value="1")


def test_amendment_cannot_go_below_what_was_paid(world, signed, unchanged):
    payment = invoice(signed, world.staff, "F-1", "30000", D(2026, 2, 2))
    services.payment_approve(payment=payment, by=world.staff, approved_on=D(2026, 2, 3))
    services.payment_pay(payment=payment, by=world.staff, paid_on=D(2026, 2, 20))
    with unchanged("below_paid") as caught:
        services.contract_amend(contract=signed, by=world.staff, reason="Cut.", value="29999.99")
    assert "30,000.00 EUR" in caught.value.message_dict["value"][0]
    invoice(signed, world.staff, "F-2", "20000", D(2026, 3, 2))
    with unchanged("below_invoiced") as caught:
        services.contract_amend(contract=signed, by=world.staff, reason="Cut.", value="40000")
    version = services.contract_amend(contract=signed, by=world.staff, reason="Cut.", value="50000")
    assert version.value == Decimal("50000")


def test_a_pending_contract_is_not_amended(world, contract, unchanged):
    with unchanged("not_signed"):
        services.contract_amend(contract=contract, by=world.staff, reason="Early.", value="1")


# --- The payment schedule ----------------------------------------------------------------------------


def test_schedule_total_never_exceeds_the_value(world, signed, unchanged):
    milestone = services.milestone_save(
        contract=signed, by=world.staff, title="Go-live", due_on=D(2026, 6, 30)
    )
    services.schedule_save(
        contract=signed,
        by=world.staff,
        label="Go-live",
        amount="60000",
        due_on=D(2026, 7, 15),
        milestone=milestone,
    )
    line = services.schedule_save(
        contract=signed, by=world.staff, label="Run", amount="40000", due_on=D(2026, 12, 15)
    )
    with unchanged("over_value") as caught:
        services.schedule_save(
            contract=signed, by=world.staff, label="Extra", amount="0.01", due_on=D(2027, 1, 15)
        )
    assert "100,000.00" in caught.value.message_dict["amount"][0]
    with unchanged("invalid"):
        services.schedule_save(
            contract=signed, by=world.staff, label="Zero", amount="0", due_on=D(2027, 1, 15)
        )
    # Changing a line counts it once.
    services.schedule_save(
        contract=signed, by=world.staff, line=line, label="Run", amount="39000", due_on=D(2026, 12, 15)
    )
    with unchanged("below_schedule"):
        services.contract_amend(contract=signed, by=world.staff, reason="Cut.", value="98000")


# --- Invoices and payments ---------------------------------------------------------------------------


def test_invoice_due_date_and_the_path_to_paid(world, signed):
    payment = invoice(signed, world.entity_user, "F-1", "10000", D(2026, 3, 6))
    assert payment.due_on == D(2026, 4, 6)  # 5 April 2026 is a Sunday → Monday 6 April
    services.payment_approve(payment=payment, by=world.staff, approved_on=D(2026, 3, 10))
    paid = services.payment_pay(payment=payment, by=world.finance, paid_on=D(2026, 4, 7))
    assert payments.days_to_pay(paid) == 32
    assert payments.is_late(paid, D(2026, 5, 1))
    assert world.publish_calls.count(signed.challenge_id) >= 2
    entry = AuditEntry.objects.filter(action="contract.payment_pay").get()
    assert entry.changes["days_to_pay"] == [None, 32]
    assert entry.changes["late"] == [None, True]


def test_payment_refusals_write_nothing(world, signed, unchanged):
    today = payments.lab_today(world.lab)
    with unchanged("invalid"):
        invoice(signed, world.staff, amount="0")
    with unchanged("invalid"):
        invoice(signed, world.staff, amount="-5")
    with unchanged("over_value") as caught:
        invoice(signed, world.staff, amount="100000.01")
    assert "larger than the contract" in caught.value.message_dict["amount"][0]
    with unchanged("invalid"):
        invoice(signed, world.staff, received=today + dt.timedelta(days=1))
    with unchanged("not_allowed"):
        invoice(signed, world.supplier_user)
    first = invoice(signed, world.staff, "F-1", "60000")
    with unchanged("invalid") as caught:
        invoice(signed, world.staff, "F-1")
    assert "invoice_number" in caught.value.message_dict
    with unchanged("over_value"):
        invoice(signed, world.staff, "F-2", "40000.01")
    with unchanged("before_invoice") as caught:
        services.payment_approve(payment=first, by=world.staff, approved_on=D(2026, 3, 1))
    assert "before the invoice" in caught.value.message_dict["approved_on"][0]
    with unchanged("before_invoice"):
        services.payment_pay(payment=first, by=world.staff, paid_on=D(2026, 3, 1))
    with unchanged("not_approved"):
        services.payment_pay(payment=first, by=world.staff, paid_on=D(2026, 3, 20))
    with unchanged("invalid"):
        services.payment_approve(payment=first, by=world.staff, approved_on=today + dt.timedelta(days=1))
    services.payment_approve(payment=first, by=world.staff, approved_on=D(2026, 3, 10))
    with unchanged("approved"):
        services.payment_approve(payment=first, by=world.staff, approved_on=D(2026, 3, 10))
    with unchanged("before_approval"):
        services.payment_pay(payment=first, by=world.staff, paid_on=D(2026, 3, 9))
    with unchanged("invalid"):
        services.payment_pay(payment=first, by=world.staff, paid_on=today + dt.timedelta(days=1))
    services.payment_pay(payment=first, by=world.staff, paid_on=D(2026, 3, 10))
    with unchanged("paid"):
        services.payment_pay(payment=first, by=world.staff, paid_on=D(2026, 3, 11))
    with unchanged("paid"):
        services.payment_cancel(payment=first, by=world.staff, reason="Oops.")


def test_a_cancelled_invoice_frees_its_amount(world, signed):
    first = invoice(signed, world.staff, "F-1", "100000", D(2026, 3, 2))
    services.payment_cancel(payment=first, by=world.staff, reason="Wrong amount; credited.")
    again = invoice(signed, world.staff, "F-1b", "100000", D(2026, 3, 3))
    assert again.pk


def test_no_invoice_on_a_pending_contract(world, contract, unchanged):
    with unchanged("not_signed"):
        invoice(contract, world.staff, "F-1", "1", D(2026, 3, 2))


def test_future_dates_are_judged_in_the_labs_time_zone(world, signed, monkeypatch):
    """23:30 UTC on 9 March: still the 9th in Bogota (accepted), already the 10th in Tokyo."""
    night = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: night)
    world.lab.time_zone = "America/Bogota"
    world.lab.save()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        invoice(signed, world.staff, "F-B", "1", D(2026, 3, 10))
    world.lab.time_zone = "Asia/Tokyo"
    world.lab.save()
    invoice(signed, world.staff, "F-T", "1", D(2026, 3, 10))


# --- Milestones, reports, issues ---------------------------------------------------------------------


def test_milestones_met_need_the_day(world, signed, unchanged):
    milestone = services.milestone_save(
        contract=signed, by=world.staff, title="Go-live", deliverables="Routing live.", due_on=D(2026, 6, 30)
    )
    with unchanged("invalid") as caught:
        services.milestone_save(
            contract=signed,
            by=world.staff,
            milestone=milestone,
            title="Go-live",
            due_on=D(2026, 6, 30),
            status="met",
        )
    assert "met_on" in caught.value.message_dict
    world.publish_calls.clear()
    services.milestone_save(
        contract=signed,
        by=world.staff,
        milestone=milestone,
        title="Go-live",
        due_on=D(2026, 6, 30),
        status="met",
        met_on=D(2026, 6, 28),
    )
    milestone.refresh_from_db()
    assert milestone.status == "met"
    assert milestone.met_on == D(2026, 6, 28)
    assert world.publish_calls == [signed.challenge_id]


def test_reports_submitted_by_the_supplier_and_reviewed(world, signed, unchanged):
    report = ProgressReport.objects.filter(contract=signed).first()
    today = payments.lab_today(world.lab)
    assert services.is_overdue(report, today) == (report.due_on < today)
    with unchanged("not_allowed"):
        services.report_submit(report=report, by=world.entity_user, summary="Done.", percent_complete=10)
    with unchanged("invalid") as caught:
        services.report_submit(report=report, by=world.supplier_user, summary="", percent_complete=101)
    assert set(caught.value.message_dict) == {"summary", "percent_complete"}
    with unchanged("not_submitted"):
        services.report_review(report=report, by=world.staff, review_notes="?")
    services.report_submit(
        report=report, by=world.supplier_user, summary="Sites one and two live.", percent_complete=25
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not services.is_overdue(report, D(2030, 1, 1))
    with unchanged("not_allowed"):
        services.report_review(report=report, by=world.supplier_user, review_notes="Self-review.")
    services.report_review(report=report, by=world.entity_user, review_notes="Good.")
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEWED
    assert report.reviewed_by == world.entity_user
    with unchanged("reviewed"):
        services.report_submit(report=report, by=world.supplier_user, summary="Again.", percent_complete=30)


def test_issues_and_risks(world, signed, unchanged):
    risk = services.issue_save(
        contract=signed, by=world.staff, kind="risk", title="Staff turnover", severity="high"
    )
    with unchanged("invalid") as caught:
        services.issue_save(
            contract=signed,
            by=world.staff,
            issue=risk,
            kind="risk",
            title="Staff turnover",
            status="mitigated",
        )
    assert "mitigation" in caught.value.message_dict
    services.issue_save(
        contract=signed,
        by=world.entity_user,
        issue=risk,
        kind="risk",
        title="Staff turnover",
        severity="high",
        status="mitigated",
        mitigation="Two trained back-ups.",
    )
    risk.refresh_from_db()
    assert risk.status == "mitigated"
    services.issue_save(
        contract=signed, by=world.staff, issue=risk, kind="risk", title="Staff leaving", severity="low"
    )
    entry = AuditEntry.objects.filter(action="contract.issue").latest("pk")
    assert entry.changes == {
        "issue": ["Staff turnover", "Staff leaving"],  # the title before, not the new one twice
        "status": ["mitigated", "open"],
        "severity": ["high", "low"],
    }
    with unchanged("not_allowed"):
        services.issue_save(contract=signed, by=world.stranger, kind="issue", title="Spam")


def test_implementation_status(world, signed, unchanged):
    services.implementation_status_set(contract=signed, by=world.entity_user, implementation_status="at_risk")
    signed.refresh_from_db()
    assert signed.implementation_status == "at_risk"
    with unchanged("invalid"):
        services.implementation_status_set(contract=signed, by=world.staff, implementation_status="fine")


# --- Lessons learned and the case ----------------------------------------------------------------------


def test_the_case_closes_with_lessons_and_every_purchase_ended(world, signed, unchanged):
    with unchanged("not_ready") as caught:
        services.case_close(challenge=world.challenge, by=world.staff)
    assert "lessons learned" in " ".join(caught.value.messages)
    with unchanged("invalid"):
        services.lessons_save(challenge=world.challenge, by=world.staff, successes="")
    world.publish_calls.clear()
    services.lessons_save(
        challenge=world.challenge,
        by=world.entity_user,
        successes="Waiting time halved.",
        failures="Night shifts were not covered.",
        entity_would_change="Involve the union earlier.",
        solver_would_change="Pilot at night too.",
        is_public=False,
    )
    assert world.publish_calls == []  # not published
    services.lessons_save(
        challenge=world.challenge, by=world.staff, successes="Waiting time halved.", is_public=True
    )
    assert world.publish_calls == [world.challenge.pk]
    with unchanged("not_ready") as caught:
        services.case_close(challenge=world.challenge, by=world.staff)
    assert signed.reference in " ".join(caught.value.messages)
    payment = invoice(signed, world.staff, "F-1", "5", D(2026, 3, 2))
    with unchanged("unpaid"):
        services.contract_finish(contract=signed, by=world.staff)
    services.payment_cancel(payment=payment, by=world.staff, reason="Sent twice.")
    with unchanged("not_allowed"):
        services.contract_finish(contract=signed, by=world.supplier_user, reason="Delivered.")
    services.contract_finish(contract=signed, by=world.finance, reason="Delivered.")  # a buyer's member
    signed.refresh_from_db()
    assert signed.status == ContractStatus.TERMINATED
    assert signed.implementation_status == "completed"
    assert not ProgressReport.objects.filter(
        contract=signed, status="due", due_on__gt=signed.ended_on
    ).exists()
    for outsider in (world.supplier_user, world.stranger):
        with unchanged("not_allowed"):
            services.case_close(challenge=world.challenge, by=outsider)
    services.case_close(challenge=world.challenge, by=world.entity_user)  # the buyer closes its case
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.CLOSED
    assert world.challenge.transitions.get(to_status=ChallengeStatus.CLOSED).actor == world.entity_user


def test_cancel_a_pending_contract(world, contract, unchanged):
    with unchanged("invalid"):
        services.contract_cancel(contract=contract, by=world.staff, reason="")
    with unchanged("not_allowed"):
        services.contract_cancel(contract=contract, by=world.supplier_user, reason="Mine.")
    services.contract_cancel(contract=contract, by=world.entity_user, reason="The supplier withdrew.")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    assert Contract.objects.get(pk=contract.pk).end_reason == "The supplier withdrew."
