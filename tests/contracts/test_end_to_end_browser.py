"""From a selected solution to a paid milestone in the browser, as lab staff would click it, with axe on
every page: the route options, the procurement and its steps, the award, the contract written from the
award, signed, its milestone and schedule, an invoice approved and paid, the milestone met. Then the
database and the public OCDS process page and release package tell the same story."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from govlab.challenges.enums import ChallengeStatus
from govlab.contracts import payments
from govlab.contracts.models import Contract, ContractMilestone, Payment
from govlab.ocds.models import Release
from govlab.procurement.models import ProcedureType, ProcurementProcess
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.procurement.conftest import PPI_STEPS

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_from_a_selected_solution_to_a_paid_milestone(page, live_server, selected, routes):
    from govlab.ocds.publish import sync

    challenge, lab, staff = selected.challenge, selected.lab, selected.staff
    # The PPI route without a standstill period, so that the contract can be signed the day of the award.
    ProcedureType.objects.filter(pk=routes.ppi.pk).update(standstill_days=0, steps=PPI_STEPS)
    type(challenge).objects.filter(pk=challenge.pk).update(is_public=True)
    prepare_sign_in(staff, totp=[staff])
    today = payments.lab_today(lab)
    day = today.isoformat()
    page.set_default_timeout(15_000)

    # Anonymous visitors see the public challenge, without the way to buy.
    page.goto(reverse("challenges:detail", args=[challenge.reference]))
    check(page.locator("h1")).to_be_visible()
    check(page.get_by_role("link", name=f"Choose the route for {challenge.reference}")).to_have_count(0)
    assert_accessible(page)
    sign_in(page, staff, totp=current_totp_code)
    assert_accessible(page)
    # The lab's procurement page lists the challenge waiting for its route.
    page.get_by_role("link", name=re.compile(r"^Procurement of ")).click()
    check(page.get_by_role("link", name=f"Choose the route for {challenge.reference}")).to_be_visible()
    assert_accessible(page)
    # The challenge, its solution selected, offers the route options.
    page.goto(reverse("challenges:detail", args=[challenge.reference]))
    check(page.get_by_role("link", name=f"Choose the route for {challenge.reference}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Choose the route for {challenge.reference}").click()
    check(page.locator("main")).to_contain_text("not legal advice")
    assert_accessible(page)
    page.get_by_role("link", name="Choose this route (Public procurement of innovation)").click()
    check(page.get_by_role("button", name="Start the procurement")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_estimated_value", "150000")
    page.fill("#id_route_justification", "The solution is new to the market: PPI fits.")
    page.get_by_role("button", name="Start the procurement").click()
    page.wait_for_url(re.compile(r".*/procurement/\d+/$"))
    assert_accessible(page)
    process = ProcurementProcess.objects.get(challenge=challenge)
    assert process.procedure_id == routes.ppi.pk
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PROCURING

    # Every step of the route marked done.
    steps = page.get_by_role("table", name="The steps of the route, with their dates and documents")
    for index in range(len(PPI_STEPS)):
        steps.get_by_role("link").nth(index).click()
        check(page.get_by_role("button", name="Save the step")).to_be_visible()
        assert_accessible(page)
        page.fill("#id_done_on", day)
        page.get_by_role("button", name="Save the step").click()
        page.wait_for_url(re.compile(rf".*/procurement/{process.pk}/(#.*)?$"))
        steps = page.get_by_role("table", name="The steps of the route, with their dates and documents")
    assert_accessible(page)
    assert sorted(process.steps.values_list("kind", flat=True)) == sorted(PPI_STEPS)
    assert set(process.steps.values_list("done_on", flat=True)) == {today}

    # The award decision.
    page.fill("#id_award-reasons", "Best value for money.")
    page.fill(f"#id_award-value_{selected.application.pk}", "140000")
    page.get_by_role("button", name="Record the award decision").click()
    write = page.get_by_role("link", name=re.compile(r"^Write the contract"))
    check(write).to_be_visible()
    assert_accessible(page)
    process.refresh_from_db()
    assert process.status == "awarded"
    assert process.standstill_ends_on is None
    award = process.awards.get()
    assert award.value == Decimal("140000.00")
    assert award.supplier == selected.supplier

    # The contract, written from the award and signed.
    write.click()
    check(page.get_by_role("button", name="Create the contract")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_contract-title", "Human-first call routing")
    page.fill("#id_contract-scope", "Deliver and run the call routing for twelve months.")
    page.fill("#id_contract-starts_on", day)
    page.fill("#id_contract-ends_on", today.replace(year=today.year + 1).isoformat())
    page.fill("#id_contract-payment_terms_days", "30")
    page.get_by_role("button", name="Create the contract").click()
    page.wait_for_url(re.compile(r".*/contracts/\d+/(#.*)?$"))
    assert_accessible(page)
    contract = Contract.objects.get(award=award)
    on_contract = re.compile(rf".*/contracts/{contract.pk}/(#.*)?$")  # where each form of the contract leads
    assert contract.status == "pending"
    page.get_by_role("link", name="Record the signature").click()
    check(page.locator("#id_sign-signed_on")).to_have_value(day)
    assert_accessible(page)
    page.get_by_role("button", name="Record the signature").click()
    page.wait_for_url(on_contract)
    check(page.get_by_role("link", name="Add a milestone")).to_be_visible()
    assert_accessible(page)

    # A milestone and a scheduled payment.
    page.get_by_role("link", name="Add a milestone").click()
    check(page.get_by_role("button", name="Save the milestone")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_milestone-title", "Go-live")
    page.fill("#id_milestone-deliverables", "Routing live in the call centre.")
    page.fill("#id_milestone-due_on", day)
    page.select_option("#id_milestone-status", "scheduled")
    page.get_by_role("button", name="Save the milestone").click()
    page.wait_for_url(on_contract)
    check(page.get_by_role("link", name="Add a line to the schedule")).to_be_visible()
    assert_accessible(page)
    milestone = ContractMilestone.objects.get(contract=contract)
    page.get_by_role("link", name="Add a line to the schedule").click()
    check(page.get_by_role("button", name="Save the line")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_line-label", "Go-live")
    page.fill("#id_line-amount", "60000")
    page.fill("#id_line-due_on", day)
    page.select_option("#id_line-milestone", str(milestone.pk))
    page.get_by_role("button", name="Save the line").click()
    page.wait_for_url(on_contract)
    check(page.get_by_role("link", name="Record an invoice")).to_be_visible()
    assert_accessible(page)

    # The invoice, approved and paid.
    page.get_by_role("link", name="Record an invoice").click()
    check(page.get_by_role("button", name="Record the invoice")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_invoice-invoice_number", "F-1")
    page.fill("#id_invoice-amount", "60000")
    page.fill("#id_invoice-invoice_received_on", day)
    page.select_option("#id_invoice-scheduled", index=1)
    page.get_by_role("button", name="Record the invoice").click()
    page.wait_for_url(on_contract)
    check(page.get_by_role("link", name="Approve F-1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Approve F-1").click()
    check(page.locator("#id_payment-approved_on")).to_have_value(day)
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(on_contract)
    check(page.get_by_role("link", name="Record payment F-1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record payment F-1").click()
    check(page.locator("#id_payment-paid_on")).to_have_value(day)
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(on_contract)
    check(page.get_by_role("table", name="Invoices and payments, with days to pay")).to_contain_text(
        "On time"
    )
    assert_accessible(page)

    # The milestone met.
    page.get_by_role("link", name="Edit Go-live").first.click()
    check(page.get_by_role("button", name="Save the milestone")).to_be_visible()
    assert_accessible(page)
    page.select_option("#id_milestone-status", "met")
    page.fill("#id_milestone-met_on", day)
    page.get_by_role("button", name="Save the milestone").click()
    page.wait_for_url(on_contract)
    check(page.get_by_role("table", name="What is delivered, and when")).to_contain_text("Met")
    assert_accessible(page)

    # What the database says.
    contract.refresh_from_db()
    assert contract.status == "active"
    assert contract.signed_on == today
    assert contract.value == Decimal("140000.00")
    assert contract.currency == "COP"
    assert contract.supplier == selected.supplier
    payment = Payment.objects.get(contract=contract)
    assert payment.invoice_number == "F-1"
    assert payment.amount == Decimal("60000.00")
    assert payment.invoice_received_on == today
    assert payment.approved_on == today
    assert payment.paid_on == today
    assert payment.due_on == payments.due_date(today, 30)
    assert payments.days_to_pay(payment) == 0
    assert payments.is_late(payment, today) is False
    assert payment.scheduled_id is not None
    milestone.refresh_from_db()
    assert milestone.status == "met"
    assert milestone.met_on == today
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.IMPLEMENTING

    # The public process page, anonymously, and the release package.
    # The on-commit task (run at once by the test settings' immediate backend) published every change.
    assert Release.objects.filter(challenge=challenge).exists()
    result = sync(challenge)
    assert (result.published, result.refused) == ([], [])
    ocid = Release.objects.filter(challenge=challenge).values_list("ocid", flat=True).first()
    assert ocid
    page.context.clear_cookies()
    page.goto(reverse("ocds:process", args=[ocid]))
    awards = page.get_by_role("table", name="Awards", exact=True)
    check(awards).to_contain_text(selected.supplier.name)
    check(awards).to_contain_text("140,000.00 COP")
    check(page.get_by_role("table", name="Contracts", exact=True)).to_contain_text("140,000.00 COP")
    check(page.get_by_role("table", name="Milestones of the contracts", exact=True)).to_contain_text(
        "Go-live"
    )
    transactions = page.get_by_role("table", name="Payments made", exact=True)
    check(transactions).to_contain_text("60,000.00 COP")
    check(transactions).to_contain_text(selected.supplier.name)
    assert_accessible(page)

    package = page.request.get(reverse("ocds:releases", args=[ocid]))
    assert package.status == 200
    releases = package.json()["releases"]
    contracts = {c["id"]: c for r in releases for c in r.get("contracts", [])}
    assert contracts, "no release carries the contract"
    values = {(c.get("value") or {}).get("amount") for c in contracts.values()} - {None}
    assert values == {140000}
    transactions = [
        t
        for r in releases
        for c in r.get("contracts", [])
        for t in c.get("implementation", {}).get("transactions", [])
    ]
    assert transactions
    assert {t["value"]["amount"] for t in transactions} == {60000}
    assert {t["value"]["currency"] for t in transactions} == {"COP"}
    assert {t["date"][:10] for t in transactions} == {day}
