"""From a selected solution to a paid milestone through /api/v1/ only: the route options, the process and
its steps, the award, the contract from the award, signed, its milestone and schedule, an invoice approved
and paid, the milestone met; then the public OCDS release package carries the same contract and
transaction as the database."""

from decimal import Decimal

import pytest
from django.test import Client

from govlab.challenges.enums import ChallengeStatus
from govlab.contracts import payments
from govlab.contracts.models import Contract, ContractMilestone, Payment, ScheduledPayment
from govlab.ocds.models import Release
from govlab.procurement.models import ProcedureType, ProcurementProcess
from tests.conftest import post, put
from tests.procurement.conftest import PPI_STEPS

# Each request commits, so the on-commit OCDS task publishes after each change, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1/"


def test_from_a_selected_solution_to_a_paid_milestone(login, selected, routes):
    challenge, lab, supplier = selected.challenge, selected.lab, selected.supplier
    # The PPI route without a standstill period, so that the contract can be signed the day of the award.
    ProcedureType.objects.filter(pk=routes.ppi.pk).update(standstill_days=0, steps=PPI_STEPS)
    type(challenge).objects.filter(pk=challenge.pk).update(is_public=True)
    today = payments.lab_today(lab)
    day = today.isoformat()
    staff = login(selected.staff)

    # The route options for the confirmed budget.
    response = staff.get(f"{API}procurement/routes/{challenge.reference}/?value=150000&currency=COP")
    assert response.status_code == 200, response.json()
    options = {row["code"]: row for row in response.json()["options"]}
    assert options["ppi"]["available"] is True
    assert options["direct"]["available"] is False
    assert options["manual"]["available"] is False

    # The process through the available route.
    response = post(
        staff,
        f"{API}procurement/processes/",
        {
            "challenge": challenge.reference,
            "procedure": routes.ppi.pk,
            "estimated_value": "150000.00",
            "currency": "COP",
            "route_justification": "The solution is new to the market: PPI fits.",
        },
    )
    assert response.status_code == 201, response.json()
    process = response.json()
    assert process["status"] == "planning"
    assert process["applications"] == [selected.application.reference]
    assert process["threshold"] == routes.ppi_law.pk
    assert [step["kind"] for step in process["steps"]] == PPI_STEPS
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PROCURING
    pk = process["id"]
    for step in process["steps"]:
        response = put(staff, f"{API}procurement/processes/{pk}/steps/{step['id']}/", {"done_on": day})
        assert response.status_code == 200, response.json()
        assert response.json()["done_on"] == day

    # The award decision (no standstill: awarded at once).
    response = post(
        staff,
        f"{API}procurement/processes/{pk}/award/",
        {
            "reasons": "Best value for money.",
            "awards": [
                {"supplier": supplier.pk, "application": selected.application.reference, "value": "140000"}
            ],
        },
    )
    assert response.status_code == 200, response.json()
    awarded = response.json()
    assert awarded["status"] == "awarded"
    assert awarded["standstill_ends_on"] is None
    [award] = awarded["awards"]
    assert award["supplier_name"] == supplier.name
    assert Decimal(award["value"]) == Decimal("140000")
    award_pk = award["id"]

    # The contract from the award, signed the same day.
    ends_on = today.replace(year=today.year + 1).isoformat()
    response = post(
        staff,
        f"{API}contracts/",
        {
            "award": award_pk,
            "scope": "Deliver and run the call routing for twelve months.",
            "starts_on": day,
            "ends_on": ends_on,
            "ip_terms": "supplier_licence",
            "payment_terms_days": 30,
        },
    )
    assert response.status_code == 201, response.json()
    contract = response.json()
    assert contract["status"] == "pending"
    assert contract["value"] == "140000.00"
    assert contract["currency"] == "COP"
    assert contract["reference"] == f"{challenge.reference}-C1"
    cpk = contract["id"]
    response = post(staff, f"{API}contracts/{cpk}/sign/", {"signed_on": day})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "active"
    assert response.json()["signed_on"] == day
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.IMPLEMENTING

    # A milestone and its scheduled payment.
    response = post(staff, f"{API}contracts/{cpk}/milestones/", {"title": "Go-live", "due_on": day})
    assert response.status_code == 201, response.json()
    milestone = response.json()
    assert (milestone["title"], milestone["due_on"], milestone["status"]) == ("Go-live", day, "scheduled")
    response = post(
        staff,
        f"{API}contracts/{cpk}/schedule/",
        {"label": "Go-live", "amount": "60000", "due_on": day, "milestone": milestone["id"]},
    )
    assert response.status_code == 201, response.json()
    line = response.json()
    assert (line["amount"], line["due_on"], line["milestone"]) == ("60000.00", day, milestone["id"])

    # The invoice, approved and paid.
    response = post(
        staff,
        f"{API}contracts/{cpk}/payments/",
        {
            "invoice_number": "F-1",
            "amount": "60000",
            "invoice_received_on": day,
            "scheduled": line["id"],
        },
    )
    assert response.status_code == 201, response.json()
    invoice = response.json()
    assert invoice["due_on"] == payments.due_date(today, 30).isoformat()
    assert (invoice["approved_on"], invoice["paid_on"], invoice["days_to_pay"]) == (None, None, None)
    ppk = invoice["id"]
    response = post(staff, f"{API}contracts/payments/{ppk}/approve/", {"approved_on": day})
    assert response.status_code == 200, response.json()
    assert response.json()["approved_on"] == day
    response = post(staff, f"{API}contracts/payments/{ppk}/pay/", {"paid_on": day})
    assert response.status_code == 200, response.json()
    paid = response.json()
    assert (paid["paid_on"], paid["days_to_pay"], paid["late"]) == (day, 0, False)

    # The milestone met.
    response = put(
        staff,
        f"{API}contracts/milestones/{milestone['id']}/",
        {"title": "Go-live", "due_on": day, "status": "met", "met_on": day},
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["met_on"]) == ("met", day)

    # The database agrees.
    process = ProcurementProcess.objects.get(pk=pk)
    assert process.status == "awarded"
    assert set(process.steps.values_list("done_on", flat=True)) == {today}
    row = Contract.objects.get(pk=cpk)
    assert (row.status, row.signed_on, row.value, row.currency) == (
        "active",
        today,
        Decimal("140000.00"),
        "COP",
    )
    assert row.supplier == supplier
    assert row.award_id == award_pk
    payment = Payment.objects.get(pk=ppk)
    assert (payment.amount, payment.approved_on, payment.paid_on) == (Decimal("60000.00"), today, today)
    assert payment.scheduled == ScheduledPayment.objects.get(pk=line["id"])
    assert payments.days_to_pay(payment) == 0
    met = ContractMilestone.objects.get(pk=milestone["id"])
    assert (met.status, met.met_on) == ("met", today)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.IMPLEMENTING

    # The public release package (anonymous) carries the same contract and transaction.
    assert Release.objects.filter(challenge=challenge).exists()
    ocid = Release.objects.filter(challenge=challenge).values_list("ocid", flat=True).first()
    anonymous = Client()
    response = anonymous.get(f"{API}ocds/processes/{ocid}/releases/")
    assert response.status_code == 200
    releases = response.json()["releases"]
    assert {release["ocid"] for release in releases} == {ocid}
    awards = [a for release in releases for a in release.get("awards", [])]
    assert {a["value"]["amount"] for a in awards if "value" in a} == {140000}
    contracts = [c for release in releases for c in release.get("contracts", [])]
    assert contracts
    assert {c["value"]["amount"] for c in contracts if "value" in c} == {float(row.value)}
    assert {c["value"]["currency"] for c in contracts if "value" in c} == {row.currency}
    transactions = {
        t["id"]: t for c in contracts for t in c.get("implementation", {}).get("transactions", [])
    }
    assert len(transactions) == 1
    [transaction] = transactions.values()
    assert transaction["value"] == {"amount": float(payment.amount), "currency": "COP"}
    assert transaction["date"][:10] == payment.paid_on.isoformat()
    milestones = [m for c in contracts for m in c.get("implementation", {}).get("milestones", [])]
    assert {m["title"] for m in milestones} == {"Go-live"}
    assert {(m.get("status"), m.get("dateMet", "")[:10]) for m in milestones} >= {("met", day)}
    record = anonymous.get(f"{API}ocds/processes/{ocid}/record/").json()
    [compiled_contract] = record["records"][0]["compiledRelease"]["contracts"]
    assert compiled_contract["value"] == {"amount": float(row.value), "currency": "COP"}
    [compiled_transaction] = compiled_contract["implementation"]["transactions"]
    [compiled_milestone] = compiled_contract["implementation"]["milestones"]
    assert (compiled_milestone["title"], compiled_milestone["status"]) == ("Go-live", "met")
    assert compiled_transaction["value"] == transaction["value"]
