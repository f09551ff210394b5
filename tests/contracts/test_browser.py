"""Contract pages in the browser, with axe on every page: the lab's list and payments page, the contract
with its versions, schedule, late payment and reports, an invoice refused at its field with the input
kept, the lessons learned; then the supplier's view and progress report."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from govlab.contracts import services
from govlab.contracts.models import ProgressReport
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]

D = dt.date


def test_contract_pages_are_accessible(page, live_server, world, signed):
    prepare_sign_in(world.staff, world.supplier_user, totp=[world.staff])
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
    payment = services.invoice_record(
        contract=signed,
        by=world.staff,
        invoice_number="F-1",
        amount="1000",
        invoice_received_on=D(2026, 3, 6),
    )
    services.payment_approve(payment=payment, by=world.staff, approved_on=D(2026, 3, 9))
    services.payment_pay(payment=payment, by=world.staff, paid_on=D(2026, 4, 8))
    services.contract_amend(
        contract=signed, by=world.staff, reason="Two more months.", ends_on=D(2028, 2, 29)
    )
    services.issue_save(contract=signed, by=world.staff, kind="risk", title="Staff turnover", severity="high")
    page.set_default_timeout(10_000)

    sign_in(page, world.staff, totp=current_totp_code)
    page.goto(reverse("contracts:lab", args=[world.lab.slug]))
    assert_accessible(page)
    page.get_by_role("link", name=signed.reference).click()
    check(page.locator("main")).to_contain_text("Late: 2 days")
    assert_accessible(page)

    page.goto(reverse("contracts:invoice", args=[signed.pk]))
    assert_accessible(page)
    page.fill("#id_invoice-invoice_number", "F-99")
    page.fill("#id_invoice-amount", "999999")
    page.fill("#id_invoice-invoice_received_on", "2026-03-02")
    page.get_by_role("button", name="Record the invoice").click()
    check(page.locator("#id_invoice-amount_errors")).to_contain_text("larger than the contract")
    check(page.locator("#id_invoice-invoice_number")).to_have_value("F-99")
    assert_accessible(page)

    page.goto(reverse("contracts:lab_payments", args=[world.lab.slug]))
    assert_accessible(page)
    page.goto(reverse("contracts:amend", args=[signed.pk]))
    assert_accessible(page)
    page.goto(reverse("contracts:lessons", args=[world.challenge.reference]))
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, world.supplier_user)
    page.goto(reverse("contracts:mine"))
    assert_accessible(page)
    page.get_by_role("link", name=signed.reference).click()
    assert_accessible(page)
    report = ProgressReport.objects.filter(contract=signed).first()
    page.goto(reverse("contracts:report", args=[signed.pk, report.pk]))
    assert_accessible(page)
    page.fill("#id_report-summary", "Live in two sites.")
    page.fill("#id_report-percent_complete", "40")
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_url(re.compile(rf".*/contracts/{signed.pk}/.*"))
    assert_accessible(page)
    report.refresh_from_db()
    assert report.status == "submitted"
