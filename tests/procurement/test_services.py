"""Procurement services: reference data (procedures, thresholds — overlaps, bounds, the lab's regimes),
the process (route, challenge transitions, steps, award, standstill, cancel). Every refusal leaves the
database as it was; every change is audited and asks for the OCDS refresh."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govlab.audit.models import AuditEntry
from govlab.challenges.models import LegalRegime
from govlab.notifications.models import Notification
from govlab.procurement import selectors, services
from govlab.procurement.models import Award, ProcedureType, ProcessStep, ProcurementProcess, Threshold
from tests.factories import LabFactory, OrganisationFactory, OrganisationMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def refreshed(monkeypatch):
    calls = []
    monkeypatch.setattr("govlab.ocds.publish.refresh_later", lambda challenge_id: calls.append(challenge_id))
    return calls


def counts():
    return (
        ProcedureType.objects.count(),
        Threshold.objects.count(),
        ProcurementProcess.objects.count(),
        ProcessStep.objects.count(),
        Award.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def refused(call, code=None, field=None):
    before = counts()
    with pytest.raises(ValidationError) as error:
        call()
    assert counts() == before
    if code:
        assert error.value.code == code, error.value
    if field:
        assert field in error.value.message_dict, error.value.message_dict
    return error.value


# --- Reference data ---------------------------------------------------------------------------------


def procedure_data(**extra):
    return {
        "jurisdiction": "CO",
        "code": "dialogue",
        "kind": "competitive_dialogue",
        "name": {"en": "Competitive dialogue", "es": "Diálogo competitivo"},
        "description": {"en": "Dialogue with candidates"},
        "ocds_method": "selective",
        "steps": ["needs_assessment", "tender_documents", "award_decision"],
        "standstill_days": 5,
        "source_label": "Law 80, art. 30",
        "source_url": "https://example.org/law80#30",
        **extra,
    }


def test_the_manager_saves_a_procedure_audited(selected, lab_manager):
    procedure = services.procedure_save(lab=selected.lab, by=lab_manager, **procedure_data())
    assert procedure.steps == ["needs_assessment", "tender_documents", "award_decision", "standstill"]
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "procurement.procedure.create"
    services.procedure_save(
        lab=selected.lab, by=lab_manager, procedure=procedure, **procedure_data(is_active=False)
    )
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.changes["is_active"]) == ("procurement.procedure.update", [True, False])


def test_procedure_refusals(selected, lab_manager, routes):
    refused(
        lambda: services.procedure_save(lab=selected.lab, by=selected.staff, **procedure_data()),
        "not_allowed",
    )
    refused(
        lambda: services.procedure_save(lab=selected.lab, by=lab_manager, **procedure_data(code="ppi")),
        field="code",
    )
    refused(
        lambda: services.procedure_save(lab=selected.lab, by=lab_manager, **procedure_data(steps=["nope"])),
        field="steps",
    )
    refused(
        lambda: services.procedure_save(lab=selected.lab, by=lab_manager, **procedure_data(ocds_method="x")),
        field="ocds_method",
    )
    refused(
        lambda: services.procedure_save(lab=selected.lab, by=lab_manager, **procedure_data(name={})),
        field="name",
    )


def threshold_data(routes, **extra):
    return {
        "legal_regime": routes.law,
        "currency": "COP",
        "min_value": Decimal("200000"),
        "max_value": Decimal("900000"),
        "valid_from": dt.date(2020, 1, 1),
        "valid_until": None,
        "source_label": "Decree 1082, art. 9",
        **extra,
    }


def test_thresholds_of_the_same_procedure_regime_and_currency_never_overlap(routes, lab_manager):
    error = refused(
        lambda: services.threshold_save(procedure=routes.ppi, by=lab_manager, **threshold_data(routes)),
        "invalid",
        "valid_from",
    )
    message = error.message_dict["valid_from"][0]
    assert "overlaps" in message
    assert "Decree 1082, art. 5" in message
    assert "100,000 COP" in message
    # The old one ends; the new one starts the day after: no overlap.
    services.threshold_save(
        procedure=routes.ppi,
        by=lab_manager,
        threshold=routes.ppi_law,
        **threshold_data(
            routes,
            min_value=Decimal("100000"),
            max_value=Decimal("200000"),
            valid_until=dt.date(2025, 12, 31),
            source_label="Decree 1082, art. 5",
        ),
    )
    new = services.threshold_save(
        procedure=routes.ppi, by=lab_manager, **threshold_data(routes, valid_from=dt.date(2026, 1, 1))
    )
    assert AuditEntry.objects.latest("pk").action == "procurement.threshold.create"
    # Same day as the other's last day: overlap.
    refused(
        lambda: services.threshold_save(
            procedure=routes.ppi,
            by=lab_manager,
            threshold=new,
            **threshold_data(routes, valid_from=dt.date(2025, 12, 31)),
        ),
        field="valid_from",
    )
    # Another currency or regime is another table.
    services.threshold_save(procedure=routes.ppi, by=lab_manager, **threshold_data(routes, currency="EUR"))
    services.threshold_save(
        procedure=routes.ppi, by=lab_manager, **threshold_data(routes, legal_regime=routes.manual)
    )


def test_threshold_bounds_and_periods(routes, lab_manager):
    other_regime = LegalRegime.objects.create(lab=LabFactory(), name={"en": "Elsewhere"})
    save = services.threshold_save
    for extra, field in (
        ({"min_value": Decimal("5"), "max_value": Decimal("5")}, "max_value"),
        ({"min_value": Decimal("6"), "max_value": Decimal("5")}, "max_value"),
        ({"min_value": "abc"}, "min_value"),
        ({"valid_from": dt.date(2030, 1, 2), "valid_until": dt.date(2030, 1, 1)}, "valid_until"),
        ({"legal_regime": other_regime}, "legal_regime"),
        ({"source_label": " "}, "source_label"),
        ({"currency": "ZZZ"}, "currency"),
    ):
        refused(
            lambda extra=extra: save(
                procedure=routes.ppi,
                by=lab_manager,
                **threshold_data(routes, **{"legal_regime": routes.manual, **extra}),
            ),
            field=field,
        )
    refused(
        lambda: save(
            procedure=routes.ppi, by=(routes.challenge.lab and None) or lab_manager, **threshold_data(routes)
        )
    )


def test_only_the_manager_changes_thresholds(routes, selected):
    refused(
        lambda: services.threshold_save(
            procedure=routes.ppi, by=selected.staff, **threshold_data(routes, legal_regime=routes.manual)
        ),
        "not_allowed",
    )
    refused(lambda: services.threshold_delete(threshold=routes.ppi_law, by=selected.staff), "not_allowed")


def test_threshold_delete(routes, lab_manager, make_process):
    services.threshold_delete(threshold=routes.direct_law, by=lab_manager)
    assert not Threshold.objects.filter(pk=routes.direct_law.pk).exists()
    assert AuditEntry.objects.latest("pk").action == "procurement.threshold.delete"
    make_process()
    refused(lambda: services.threshold_delete(threshold=routes.ppi_law, by=lab_manager), "in_use")


# --- The process ------------------------------------------------------------------------------------


def test_the_lab_starts_the_purchase(selected, routes, make_process, refreshed):
    supplier_member = OrganisationMembershipFactory(organisation=selected.supplier).user
    process = make_process()
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "procuring"
    assert process.status == "planning"
    assert process.threshold == routes.ppi_law
    assert process.legal_regime == routes.law
    assert list(process.applications.all()) == [selected.application]
    assert [s.kind for s in process.steps.order_by("position")] == routes.ppi.steps
    assert AuditEntry.objects.filter(
        action="procurement.process.create", target_id=str(process.pk)
    ).exists() or (AuditEntry.objects.filter(action="procurement.process.create").count() == 1)
    assert AuditEntry.objects.filter(action="challenge.start_procurement").count() == 1
    assert Notification.objects.filter(recipient=supplier_member, kind="procurement.started").exists()
    assert refreshed == [selected.challenge.pk]


def test_the_entity_starts_and_cancels_the_purchase(selected, make_process):
    process = make_process(by=selected.entity_user)
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "procuring"
    services.process_cancel(process=process, by=selected.entity_user, reason="The budget was cut.")
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "solution_selected"


def test_process_create_refusals(selected, routes, make_process):
    outsider = OrganisationMembershipFactory().user
    refused(lambda: make_process(by=outsider), "not_allowed")
    supplier_member = OrganisationMembershipFactory(organisation=selected.supplier).user
    refused(lambda: make_process(by=supplier_member), "not_allowed")
    error = refused(lambda: make_process(estimated_value=Decimal("250000")), "route_unavailable", "procedure")
    assert "at or above the maximum 200,000 COP of Decree 1082, art. 5" in error.message_dict["procedure"][0]
    refused(lambda: make_process(procedure=routes.manual_route), "route_unavailable")
    refused(lambda: make_process(estimated_value=Decimal("0")), "invalid", "estimated_value")
    # Not an amount: refused at the field (NaN used to raise InvalidOperation, a server error).
    for nonsense in ("NaN", Decimal("NaN"), "Infinity", "abc"):
        refused(lambda v=nonsense: make_process(estimated_value=v), "invalid", "estimated_value")
    refused(lambda: make_process(route_justification=" "), "invalid", "route_justification")
    refused(lambda: make_process(applications=[selected.other]), "invalid", "applications")
    startup = OrganisationFactory()
    startup.labs.add(selected.lab)
    refused(lambda: make_process(co_buyers=[startup]), "invalid", "co_buyers")
    foreign = ProcedureType.objects.create(
        lab=LabFactory(), jurisdiction="SE", code="x", kind="other", name={"en": "X"}, ocds_method="open"
    )
    refused(lambda: make_process(procedure=foreign), "invalid", "procedure")
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "solution_selected"


def test_one_live_process_per_challenge_and_only_when_selected(selected, make_process):
    make_process()
    refused(lambda: make_process(), "not_selected")


def test_joint_procurement_co_buyers(selected, make_process):
    town = OrganisationFactory(kind="public_entity", helix_sector="government")
    town.labs.add(selected.lab)
    process = make_process(co_buyers=[town])
    assert list(process.co_buyers.all()) == [town]


def test_update_with_version(selected, make_process):
    process = make_process()
    updated = services.process_update(
        process=process,
        by=selected.entity_user,
        version=process.version,
        title="Buying the robot",
        tender_starts_on=dt.date(2026, 7, 1),
        tender_ends_on=dt.date(2026, 7, 31),
    )
    assert (updated.title, updated.status, updated.version) == ("Buying the robot", "tendering", 2)
    refused(
        lambda: services.process_update(process=process, by=selected.staff, version=1, title="Late"),
        "conflict",
    )
    refused(
        lambda: services.process_update(
            process=process,
            by=selected.staff,
            version=2,
            tender_starts_on=dt.date(2026, 7, 31),
            tender_ends_on=dt.date(2026, 7, 1),
        ),
        "invalid",
        "tender_ends_on",
    )


def test_step_save(selected, make_process, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    process = make_process()
    step = process.steps.get(kind="needs_assessment")
    pdf = SimpleUploadedFile("needs.pdf", b"%PDF-1.4 needs", content_type="application/pdf")
    saved = services.step_save(
        step=step,
        by=selected.staff,
        planned_on=dt.date(2026, 1, 5),
        done_on=dt.date(2026, 1, 6),
        notes="Done with the entity.",
        document=pdf,
        document_is_public=False,
    )
    assert (saved.document_name, saved.document_is_public) == ("needs.pdf", False)
    assert AuditEntry.objects.latest("pk").action == "procurement.step.save"
    fake = SimpleUploadedFile("evil.pdf", b"<script>", content_type="application/pdf")
    refused(lambda: services.step_save(step=step, by=selected.staff, document=fake), "invalid", "document")
    exe = SimpleUploadedFile("evil.exe", b"MZ", content_type="application/octet-stream")
    refused(lambda: services.step_save(step=step, by=selected.staff, document=exe), "invalid", "document")
    tomorrow = selectors.lab_today(selected.lab) + dt.timedelta(days=1)
    refused(lambda: services.step_save(step=step, by=selected.staff, done_on=tomorrow), "invalid", "done_on")


def award(selected, **extra):
    return {
        "supplier": selected.supplier,
        "application": selected.application,
        "value": Decimal("140000"),
        **extra,
    }


def test_award_with_a_standstill(selected, make_process, refreshed):
    supplier_member = OrganisationMembershipFactory(organisation=selected.supplier).user
    process = make_process()
    awarded = services.process_award(
        process=process, by=selected.staff, reasons="Best value.", awards=[award(selected)]
    )
    today = selectors.lab_today(selected.lab)
    assert awarded.status == "standstill"
    assert awarded.standstill_ends_on == today + dt.timedelta(days=10)
    assert selectors.effective_status(awarded, today=today + dt.timedelta(days=10)) == "standstill"
    assert selectors.effective_status(awarded, today=today + dt.timedelta(days=11)) == "awarded"
    [row] = awarded.awards.all()
    assert (row.supplier, row.value, row.currency) == (selected.supplier, Decimal("140000"), "COP")
    assert process.steps.get(kind="award_decision").done_on == today
    assert AuditEntry.objects.latest("pk").action == "procurement.process.award"
    assert Notification.objects.filter(recipient=supplier_member, kind="procurement.awarded").exists()
    assert supplier_member.has_perm("procurement.view", awarded)
    assert not supplier_member.has_perm("procurement.manage", awarded)
    assert len(refreshed) == 2
    refused(
        lambda: services.process_award(
            process=process, by=selected.staff, reasons="x", awards=[award(selected)]
        ),
        "awarded",
    )


def test_award_without_a_standstill(selected, routes, make_process):
    routes.ppi.standstill_days = 0
    routes.ppi.save()
    process = make_process()
    awarded = services.process_award(
        process=process, by=selected.entity_user, reasons="Ok.", awards=[award(selected)]
    )
    assert (awarded.status, awarded.standstill_ends_on) == ("awarded", None)


def test_award_refusals(selected, make_process):
    process = make_process()

    def go(awards, reasons="Best value."):
        return lambda: services.process_award(
            process=process, by=selected.staff, reasons=reasons, awards=awards
        )

    refused(go([]), "invalid", "awards")
    refused(go([award(selected)], reasons=""), "invalid", "reasons")
    refused(go([award(selected, supplier=None)]), "invalid", "awards.0.supplier")
    refused(go([award(selected), award(selected)]), "invalid", "awards.1.supplier")
    refused(go([award(selected, value=Decimal("0"))]), "invalid", "awards.0.value")
    refused(go([award(selected, value=Decimal("-5"))]), "invalid", "awards.0.value")
    refused(go([award(selected, application=selected.other)]), "invalid", "awards.0.application")
    refused(go([award(selected, value=Decimal("200000"))]), "invalid", "awards")
    outsider = OrganisationMembershipFactory().user
    refused(
        lambda: services.process_award(process=process, by=outsider, reasons="x", awards=[award(selected)]),
        "not_allowed",
    )
    process.refresh_from_db()
    assert process.status == "planning"


def test_cancel_returns_the_challenge_and_allows_a_new_process(selected, make_process):
    process = make_process()
    services.process_award(process=process, by=selected.staff, reasons="Best.", awards=[award(selected)])
    refused(
        lambda: services.process_cancel(process=process, by=selected.staff, reason=" "), "invalid", "reason"
    )
    cancelled = services.process_cancel(process=process, by=selected.staff, reason="The budget was cut.")
    assert cancelled.status == "cancelled"
    assert not cancelled.awards.filter(status="active").exists()
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "solution_selected"
    assert AuditEntry.objects.filter(action="challenge.procurement_cancelled").count() == 1
    assert AuditEntry.objects.latest("pk").action == "procurement.process.cancel"
    refused(lambda: services.process_cancel(process=process, by=selected.staff, reason="again"), "cancelled")
    refused(lambda: services.step_save(step=process.steps.first(), by=selected.staff, notes="x"), "cancelled")
    again = make_process()
    assert again.pk != process.pk


def test_an_award_decision_recorded_afterwards_counts_from_its_day(selected, make_process):
    process = make_process()
    today = selectors.lab_today(selected.lab)
    tomorrow = today + dt.timedelta(days=1)
    refused(
        lambda: services.process_award(
            process=process, by=selected.staff, reasons="x", awards=[award(selected)], decided_on=tomorrow
        ),
        "invalid",
        "decided_on",
    )
    day = today - dt.timedelta(days=20)
    awarded = services.process_award(
        process=process, by=selected.staff, reasons="Best.", awards=[award(selected)], decided_on=day
    )
    assert awarded.standstill_ends_on == day + dt.timedelta(days=10)
    assert selectors.effective_status(awarded) == "awarded"  # the standstill is over
    assert awarded.awards.get().decided_at.date() in (day, day + dt.timedelta(days=1))
