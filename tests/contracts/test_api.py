"""The contracts API: from an award to a paid invoice and a closed case, the role matrix (404 unseen, 403
seen but not allowed), refusals in the one error shape, the OpenAPI schema, and flat list queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govlab.challenges.enums import ChallengeStatus
from govlab.contracts import services
from govlab.contracts.models import Contract, Payment, ProgressReport
from tests.conftest import error, post
from tests.contracts.conftest import SIGNED, STANDSTILL_ENDS, terms
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/contracts/"


def json_terms(**extra):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in terms().items()}
    return {**data, **extra}


def test_from_the_award_to_a_closed_case(world, login):
    staff = login(world.staff)
    response = post(staff, API, json_terms(award=world.award.pk, finance_contact=world.finance.pk))
    assert response.status_code == 201, response.json()
    contract = response.json()
    assert contract["reference"] == f"{world.challenge.reference}-C1"
    assert contract["value"] == "100000.00"
    assert contract["status"] == "pending"
    pk = contract["id"]

    refused = post(staff, f"{API}{pk}/sign/", {"signed_on": STANDSTILL_ENDS.isoformat()})
    assert refused.status_code == 400
    assert error(refused)["code"] == "standstill"
    assert "signed_on" in error(refused)["fields"]
    signed = post(staff, f"{API}{pk}/sign/", {"signed_on": SIGNED.isoformat()})
    assert signed.json()["status"] == "active"
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.IMPLEMENTING

    milestone = post(staff, f"{API}{pk}/milestones/", {"title": "Go-live", "due_on": "2026-06-30"})
    assert milestone.status_code == 201
    line = post(
        staff, f"{API}{pk}/schedule/", {"label": "Go-live", "amount": "60000", "due_on": "2026-07-15"}
    )
    assert line.status_code == 201
    over = post(
        staff, f"{API}{pk}/schedule/", {"label": "More", "amount": "40000.01", "due_on": "2026-07-15"}
    )
    assert error(over)["code"] == "over_value"

    too_much = post(
        staff,
        f"{API}{pk}/payments/",
        {"invoice_number": "F-9", "amount": "100000.01", "invoice_received_on": "2026-03-02"},
    )
    assert too_much.status_code == 400
    assert error(too_much)["code"] == "over_value"
    assert "larger than the contract" in error(too_much)["fields"]["amount"][0]
    invoice = post(
        staff,
        f"{API}{pk}/payments/",
        {"invoice_number": "F-1", "amount": "30000", "invoice_received_on": "2026-03-06"},
    )
    assert invoice.status_code == 201
    assert invoice.json()["due_on"] == "2026-04-06"
    payment = invoice.json()["id"]
    early = post(staff, f"{API}payments/{payment}/approve/", {"approved_on": "2026-03-05"})
    assert error(early)["code"] == "before_invoice"
    unapproved = post(staff, f"{API}payments/{payment}/pay/", {"paid_on": "2026-03-20"})
    assert error(unapproved)["code"] == "not_approved"
    assert post(staff, f"{API}payments/{payment}/approve/", {"approved_on": "2026-03-09"}).status_code == 200
    paid = post(staff, f"{API}payments/{payment}/pay/", {"paid_on": "2026-04-06"})
    assert paid.json()["days_to_pay"] == 31
    assert paid.json()["late"] is False

    below = post(staff, f"{API}{pk}/amend/", {"reason": "Cut.", "value": "20000"})
    assert error(below)["code"] == "below_paid"
    assert "30,000.00 EUR" in error(below)["fields"]["value"][0]
    amended = post(staff, f"{API}{pk}/amend/", {"reason": "Two more months.", "ends_on": "2028-02-29"})
    assert amended.status_code == 201
    assert amended.json()["number"] == 2
    assert amended.json()["changes"] == {"ends_on": ["2027-12-31", "2028-02-29"]}
    versions = staff.get(f"{API}{pk}/versions/").json()
    assert [v["number"] for v in versions] == [1, 2]

    stats = staff.get(f"{API}payment-stats/", {"lab": world.lab.slug}).json()
    assert stats["paid"] == 1
    assert stats["share_on_time"] == 1.0
    assert stats["median_days_to_pay"] == 31.0

    report = ProgressReport.objects.filter(contract_id=pk).first()
    supplier = login(world.supplier_user)
    assert (
        post(
            supplier, f"{API}reports/{report.pk}/submit/", {"summary": "Live.", "percent_complete": 50}
        ).status_code
        == 200
    )
    entity = login(world.entity_user)
    assert (
        post(entity, f"{API}reports/{report.pk}/review/", {"review_notes": "Good."}).json()["status"]
        == "reviewed"
    )
    issue = post(entity, f"{API}{pk}/issues/", {"kind": "risk", "title": "Turnover", "severity": "high"})
    assert issue.status_code == 201

    staff = login(world.staff)
    assert post(staff, f"{API}{pk}/finish/", {"ended_on": "2026-06-30"}).json()["status"] == "terminated"
    lessons = staff.put(
        f"{API}lessons/{world.challenge.reference}/",
        {"successes": "Waiting halved.", "is_public": True},
        content_type="application/json",
    )
    assert lessons.status_code == 200, lessons.json()
    closed = post(staff, f"{API}lessons/{world.challenge.reference}/close/", {})
    assert closed.json() == {"challenge": world.challenge.reference, "status": "closed"}


def test_role_matrix(world, signed, login, client):
    payment = services.invoice_record(
        contract=signed, by=world.staff, invoice_number="F-1", amount="10", invoice_received_on="2026-03-02"
    )
    pk = signed.pk
    for user in (world.stranger, world.other_lab_staff):
        c = login(user)
        assert c.get(f"{API}{pk}/").status_code == 404
        assert c.get(f"{API}payments/{payment.pk}/").status_code == 404
        assert post(c, f"{API}{pk}/sign/", {"signed_on": "2026-01-12"}).status_code == 404
        assert c.get(f"{API}payment-stats/", {"lab": world.lab.slug}).status_code == 404
        assert all(row["id"] != pk for row in c.get(API).json()["results"])
    supplier = login(world.supplier_user)
    assert supplier.get(f"{API}{pk}/").status_code == 200
    assert supplier.get(f"{API}{pk}/payments/").json()[0]["invoice_number"] == "F-1"
    assert supplier.get(f"{API}{pk}/reports/").status_code == 200
    assert post(supplier, f"{API}{pk}/amend/", {"reason": "Mine.", "value": "1"}).status_code == 403
    assert (
        post(supplier, f"{API}payments/{payment.pk}/approve/", {"approved_on": "2026-03-02"}).status_code
        == 403
    )
    assert supplier.get(f"{API}payment-stats/", {"lab": world.lab.slug}).status_code == 404
    assert post(supplier, f"{API}{pk}/finish/", {}).status_code == 403
    assert post(supplier, f"{API}{pk}/cancel/", {"reason": "Mine."}).status_code == 403
    assert post(supplier, f"{API}lessons/{world.challenge.reference}/close/", {}).status_code == 404
    entity = login(world.entity_user)
    # The buyer may finish: refused here only by the rule (an unpaid invoice), not by the role.
    assert error(post(entity, f"{API}{pk}/finish/", {}))["code"] == "unpaid"
    report = ProgressReport.objects.filter(contract=signed).first()
    assert (
        post(entity, f"{API}reports/{report.pk}/submit/", {"summary": "x", "percent_complete": 1}).status_code
        == 403
    )
    assert client.logout() is None
    assert client.get(f"{API}{pk}/").status_code in (401, 403)


def test_the_schema_documents_the_contracts_api():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in (
        "/api/v1/contracts/",
        "/api/v1/contracts/{id}/sign/",
        "/api/v1/contracts/{id}/amend/",
        "/api/v1/contracts/{id}/versions/",
        "/api/v1/contracts/{id}/milestones/",
        "/api/v1/contracts/{id}/schedule/",
        "/api/v1/contracts/{id}/payments/",
        "/api/v1/contracts/payments/{id}/pay/",
        "/api/v1/contracts/reports/{id}/submit/",
        "/api/v1/contracts/lessons/{reference}/",
        "/api/v1/contracts/payment-stats/",
    ):
        assert path in paths, path


def test_list_queries_are_flat(world, signed, login):
    staff = login(world.staff)
    with CaptureQueriesContext(connection) as first:
        assert staff.get(API).status_code == 200
    for index in range(4):
        award = world.award.__class__.objects.create(
            process=world.process,
            supplier=OrganisationFactory(name=f"Supplier {index}"),
            title=f"A{index}",
            value="10",
            currency="EUR",
            decided_at=world.award.decided_at,
            decided_by=world.staff,
        )
        services.contract_create(by=world.staff, award=award, **terms())
    with CaptureQueriesContext(connection) as second:
        response = staff.get(API)
    assert response.json()["count"] == Contract.objects.count() == 5
    assert len(second) == len(first)
    assert Payment.objects.count() == 0


def test_the_buyer_cancels_on_the_day_it_gives(world, contract, login):
    """``ended_on`` was dropped on the way to the service (the page kept it): now both keep it."""
    response = post(
        login(world.entity_user),
        f"{API}{contract.pk}/cancel/",
        {"reason": "Withdrawn.", "ended_on": "2026-01-08"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert response.json()["ended_on"] == "2026-01-08"
    assert response.json()["end_reason"] == "Withdrawn."
