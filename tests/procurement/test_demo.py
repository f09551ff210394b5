"""The phase-5 demo: reference data with sources for every demo lab, MiLAB's two purchases under two legal
regimes (one implementing with an amendment, one closed with its lessons learned and the one late payment),
and the Swedish joint procurement of four municipalities with four suppliers; a second run writes nothing.

The whole demo is loaded once for the module, inside a transaction rolled back at the end."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, ChallengeTransition
from govlab.contracts import payments as pay
from govlab.contracts.models import (
    Contract,
    ContractMilestone,
    ContractVersion,
    ImplementationIssue,
    LessonsLearned,
    Payment,
    ProgressReport,
    ScheduledPayment,
)
from govlab.organisations.models import OrganisationMembership
from govlab.procurement import demo
from govlab.procurement.models import Award, ProcedureType, ProcessStep, ProcurementProcess, Threshold
from govlab.procurement.selectors import route_options

pytestmark = pytest.mark.django_db

BOGOTA = zoneinfo.ZoneInfo("America/Bogota")


def _counts() -> dict[str, int]:
    models = (
        ProcedureType,
        Threshold,
        ProcurementProcess,
        ProcessStep,
        Award,
        Contract,
        ContractVersion,
        ContractMilestone,
        ScheduledPayment,
        Payment,
        ProgressReport,
        ImplementationIssue,
        LessonsLearned,
        ChallengeTransition,
        AuditEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def story(django_db_setup, django_db_blocker):
    from govlab.demo.loader import load

    with django_db_blocker.unblock(), transaction.atomic():
        load()
        before = _counts()
        again = demo.load()
        after = _counts()
        yield SimpleNamespace(again=again, before=before, after=after)
        transaction.set_rollback(True)


def _process(reference: str) -> ProcurementProcess:
    return ProcurementProcess.objects.select_related(
        "procedure", "legal_regime", "challenge", "threshold"
    ).get(challenge__reference=reference)


def _challenge(owner: str, title: str) -> Challenge:
    return Challenge.objects.get(owner__slug=owner, title__en=title)


def test_a_second_run_writes_nothing(story):
    assert story.again == {}
    assert story.after == story.before
    assert story.before["ProcurementProcess"] == 3


def test_reference_data_for_every_demo_lab_with_sources(story):
    labs = set(ProcedureType.objects.values_list("lab__slug", flat=True))
    assert labs == {
        "milab",
        "innovationsupphandling-syd",
        "govtech-lab-luxembourg",
        "labx",
        "govbuys-innovation",
    }
    for procedure in ProcedureType.objects.all():
        assert procedure.source_label
        assert procedure.source_url.startswith("https://")
        assert procedure.ocds_method in {"open", "selective", "limited", "direct"}
        assert procedure.thresholds.exists(), procedure.code
    for threshold in Threshold.objects.select_related("procedure__lab", "legal_regime"):
        assert threshold.source_label
        assert threshold.source_url.startswith("https://")
        assert threshold.legal_regime.lab_id == threshold.procedure.lab_id
        assert threshold.currency == threshold.procedure.lab.currency
    # The languages of each lab.
    milab = ProcedureType.objects.get(lab__slug="milab", code="co-minima-cuantia")
    assert set(milab.name) == {"es", "en"}
    assert set(ProcedureType.objects.get(code="se-direktupphandling").name) == {"sv", "en"}
    assert set(ProcedureType.objects.get(code="pt-ajuste-direto").name) == {"pt", "en"}
    # Colombia: the general regime's bands, in COP, per year (minimum wages of 2025 and 2026).
    minima = Threshold.objects.filter(procedure__code="co-minima-cuantia").order_by("valid_from")
    assert [(t.valid_from, t.valid_until, t.max_value) for t in minima] == [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), Decimal("64057501")),
        (dt.date(2026, 1, 1), None, Decimal("78790726")),
    ]
    # Sweden: the direct-award limit of LOU 19:30 since 1 February 2022, below which the simplified
    # procedure starts.
    direct = Threshold.objects.get(procedure__code="se-direktupphandling")
    assert (direct.currency, direct.max_value, direct.valid_from) == (
        "SEK",
        Decimal("700000"),
        dt.date(2022, 2, 1),
    )
    assert {t.min_value for t in Threshold.objects.filter(procedure__code="se-forenklat-forfarande")} == {
        Decimal("700000")
    }
    kinds = dict(ProcedureType.objects.filter(lab__slug="govtech-lab-luxembourg").values_list("code", "kind"))
    assert {"pcp", "innovation_partnership", "competitive_dialogue"} <= set(kinds.values())


def test_milab_buys_under_two_regimes(story):
    invima, fna = _process("MILAB-2026-0004"), _process("MILAB-2026-0006")
    assert (invima.challenge.owner.slug, fna.challenge.owner.slug) == ("invima", "fondo-nacional-del-ahorro")
    assert invima.legal_regime_id != fna.legal_regime_id
    assert invima.legal_regime.name["es"].startswith("Ley 80 de 1993")
    assert fna.legal_regime.name["es"].startswith("Manual de contratación propio")
    assert (invima.procedure.code, invima.procedure.kind, invima.procedure.ocds_method) == (
        "co-seleccion-abreviada-menor-cuantia",
        "other",
        "open",
    )
    assert (fna.procedure.code, fna.procedure.kind, fna.procedure.ocds_method) == (
        "fna-invitacion-cerrada",
        "other",
        "selective",
    )
    # Chosen in October 2025 under that year's rule; awarded before Christmas.
    assert invima.threshold.valid_from == fna.threshold.valid_from == dt.date(2025, 1, 1)
    assert (invima.status, fna.status) == ("awarded", "awarded")
    assert timezone.localtime(invima.awarded_at, BOGOTA).date() == dt.date(2025, 12, 5)
    assert timezone.localtime(fna.awarded_at, BOGOTA).date() == dt.date(2025, 11, 27)
    steps = list(invima.steps.order_by("position").values_list("kind", "done_on"))
    assert steps == [
        ("needs_assessment", dt.date(2025, 10, 24)),
        ("market_consultation", dt.date(2025, 10, 31)),
        ("tender_documents", dt.date(2025, 11, 10)),
        ("evaluation_report", dt.date(2025, 11, 28)),
        ("award_decision", dt.date(2025, 12, 5)),
    ]
    for process, supplier, value in (
        (invima, "rastro-digital", "348500000"),
        (fna, "nido-fintech", "412000000"),
    ):
        [award] = process.awards.all()
        assert (award.supplier.slug, award.value, award.application_id is not None) == (
            supplier,
            Decimal(value),
            True,
        )
        assert timezone.localtime(award.decided_at, BOGOTA).date() <= dt.date(2025, 12, 5)
    # The timeline: selected at the Demo Day, procuring, implementing (then closed, for the FNA).
    for process in (invima, fna):
        timeline = list(
            ChallengeTransition.objects.filter(challenge=process.challenge)
            .order_by("created_at", "pk")
            .values_list("to_status", "created_at")
        )
        statuses = [status for status, _when in timeline]
        selected = statuses.index(ChallengeStatus.SOLUTION_SELECTED)
        assert statuses[selected : selected + 3] == [
            ChallengeStatus.SOLUTION_SELECTED,
            ChallengeStatus.PROCURING,
            ChallengeStatus.IMPLEMENTING,
        ]
        days = [timezone.localtime(when, BOGOTA).date() for _status, when in timeline]
        assert days == sorted(days)
        assert dt.date(2025, 10, 16) < days[statuses.index(ChallengeStatus.PROCURING)] < dt.date(2025, 11, 1)


def test_challenge_statuses(story):
    statuses = dict(
        Challenge.objects.filter(procurement_processes__isnull=False).values_list("reference", "status")
    )
    assert statuses == {
        "MILAB-2026-0004": ChallengeStatus.IMPLEMENTING,
        "MILAB-2026-0006": ChallengeStatus.CLOSED,
        "INNOVATIONSU-2026-0009": ChallengeStatus.PROCURING,
    }
    # The SIC's selected solution is left to buy; so is the floors challenge selected at the suppliers' day.
    assert _challenge("sic", "Automatic classification of consumer complaints").status == "solution_selected"
    assert _challenge("tomelilla-kommun", demo.SYD_FLOORS).status == "solution_selected"


def test_invima_contract_amended_with_payments_reports_issue_and_risk(story):
    contract = Contract.objects.select_related("finance_contact").get(
        award__process__challenge__reference="MILAB-2026-0004"
    )
    assert (contract.status, contract.signed_on, contract.version) == ("active", dt.date(2026, 1, 15), 2)
    assert contract.finance_contact.email == "finanzas@invima.example"
    assert contract.finance_contact.organisation_memberships.filter(organisation__slug="invima").exists()
    v1, v2 = contract.versions.order_by("number")
    assert (v1.value, v1.ends_on) == (Decimal("348500000"), dt.date(2026, 8, 31))
    assert (v2.number, v2.value, v2.ends_on) == (2, Decimal("428500000"), dt.date(2027, 2, 26))
    assert v2.reason.startswith("Adición y prórroga")
    assert v2.changes["value"] == ["348500000.00", "428500000.00"]
    assert timezone.localtime(v2.created_at, BOGOTA).date() == dt.date(2026, 8, 14)
    assert (contract.value, contract.ends_on) == (v2.value, v2.ends_on)
    assert sum(line.amount for line in contract.schedule.all()) == contract.value
    payments = list(contract.payments.order_by("invoice_received_on"))
    assert [(p.invoice_number, pay.days_to_pay(p)) for p in payments] == [
        ("FE-1021", 18),
        ("FE-1088", 18),
        ("FE-1154", 24),
        ("FE-1230", None),
    ]
    # The last invoice is approved and falls due on Monday 28 December 2026 (the 27th is a Sunday).
    assert (payments[-1].approved_on, payments[-1].due_on) == (dt.date(2026, 12, 2), dt.date(2026, 12, 28))
    reports = list(contract.reports.order_by("due_on").values_list("due_on", "status"))
    assert reports == [
        (dt.date(2026, 4, 19), "reviewed"),
        (dt.date(2026, 7, 18), "reviewed"),
        (dt.date(2026, 8, 31), "reviewed"),
        (dt.date(2026, 10, 16), "submitted"),
        (dt.date(2027, 1, 14), "due"),
        (dt.date(2027, 2, 26), "due"),
    ]
    kinds = sorted(contract.issues.values_list("kind", "status"))
    assert kinds == [("issue", "mitigated"), ("risk", "open")]
    assert contract.implementation_status == "on_track"
    assert list(contract.milestones.values_list("status", flat=True)) == ["met"] * 4 + ["scheduled"]


def test_exactly_one_late_payment_at_the_fna(story):
    paid = Payment.objects.filter(paid_on__isnull=False).select_related("contract")
    late = [p for p in paid if p.paid_on > p.due_on]
    assert len(late) == 1
    [payment] = late
    assert payment.contract.buyer.slug == "fondo-nacional-del-ahorro"
    assert (payment.invoice_number, payment.invoice_received_on, payment.due_on, payment.paid_on) == (
        "NF-0347",
        dt.date(2026, 6, 16),
        dt.date(2026, 7, 16),
        dt.date(2026, 7, 28),
    )
    assert (pay.days_to_pay(payment), pay.days_late(payment, dt.date(2026, 12, 4))) == (42, 12)
    # Nothing else is late on the story's today.
    assert [p.pk for p in Payment.objects.all() if pay.is_late(p, dt.date(2026, 12, 4))] == [payment.pk]
    assert Payment.objects.count() == 7


def test_the_fna_case_is_closed_with_public_lessons(story):
    challenge = _challenge("fondo-nacional-del-ahorro", demo.FNA_TITLE)
    assert challenge.status == ChallengeStatus.CLOSED
    closed = ChallengeTransition.objects.filter(challenge=challenge, to_status="closed").get()
    assert timezone.localtime(closed.created_at, BOGOTA).date() == dt.date(2026, 10, 15)
    [contract] = Contract.objects.filter(challenge=challenge)
    assert (contract.status, contract.implementation_status) == ("terminated", "completed")
    assert contract.payments.filter(paid_on__isnull=True).count() == 0
    assert sum(p.amount for p in contract.payments.all()) == contract.value == Decimal("412000000")
    assert list(contract.reports.values_list("status", flat=True)) == ["reviewed"] * 3
    assert contract.versions.count() == 1
    lessons = LessonsLearned.objects.get(challenge=challenge)
    assert lessons.is_public
    assert lessons.successes
    assert lessons.failures
    assert lessons.entity_would_change
    assert lessons.solver_would_change
    assert "12 días" in lessons.failures
    # The only amendment of the demo is INVIMA's.
    assert ContractVersion.objects.filter(number__gt=1).count() == 1


def test_the_swedish_joint_procurement_with_four_suppliers(story):
    process = _process("INNOVATIONSU-2026-0009")
    assert process.challenge.owner.slug == "tomelilla-kommun"
    assert sorted(process.co_buyers.values_list("slug", flat=True)) == [
        "simrishamns-kommun",
        "sjobo-kommun",
        "ystads-kommun",
    ]
    assert (process.procedure.code, process.procedure.ocds_method, process.currency) == (
        "se-forenklat-forfarande",
        "open",
        "SEK",
    )
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Europe/Stockholm"))
    assert (process.status, process.standstill_ends_on) == ("standstill", today + dt.timedelta(days=10))
    awards = list(process.awards.order_by("pk").select_related("supplier"))
    assert [a.supplier.slug for a in awards] == [
        "delabanken",
        "lokalnyttan",
        "samakning-osterlen",
        "sprintverket",
    ]
    assert [a.application_id is not None for a in awards] == [True, True, False, False]
    assert sum(a.value for a in awards) == Decimal("1230000") < process.threshold.max_value
    contracts = list(Contract.objects.filter(award__process=process).order_by("reference"))
    assert len(contracts) == 4
    assert {(c.status, c.buyer.slug, c.currency) for c in contracts} == {
        ("pending", "tomelilla-kommun", "SEK")
    }
    assert {c.finance_contact.email for c in contracts} == {"ekonomi@tomelilla-kommun.example"}
    assert all(c.starts_on > process.standstill_ends_on for c in contracts)
    assert [c.value for c in contracts] == [a.value for a in awards]
    assert all(sum(line.amount for line in c.schedule.all()) == c.value for c in contracts)
    # Each municipality has its finance contact.
    for slug in ("tomelilla-kommun", "simrishamns-kommun", "ystads-kommun", "sjobo-kommun"):
        assert OrganisationMembership.objects.filter(
            organisation__slug=slug, user__email=f"ekonomi@{slug}.example"
        ).exists()
    # The suppliers' day selected the two solutions of the call for this challenge.
    from govlab.demoday.models import DemoDay, Selection

    day = DemoDay.objects.get(call__slug=demo.SYD_CALL)
    assert day.status == "decided"
    assert sorted(
        Selection.objects.filter(challenge=process.challenge).values_list(
            "application__organisation__slug", flat=True
        )
    ) == ["delabanken", "lokalnyttan"]


def test_route_options_today_explain_the_routes(story):
    challenge = _challenge("sic", "Automatic classification of consumer complaints")
    options = {option.procedure.code: option for option in route_options(challenge)}
    assert options["co-seleccion-abreviada-menor-cuantia"].available
    assert not options["co-minima-cuantia"].available
    assert options["co-minima-cuantia"].reasons
    # The FNA's manual is not the SIC's regime.
    assert not options["fna-invitacion-cerrada"].available
