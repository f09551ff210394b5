"""Contract pages: the role matrix, the journey from an award to a paid invoice and a closed case, errors at
the field with the input kept, and query counts that do not grow with the rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govlab.challenges.enums import ChallengeStatus
from govlab.contracts import services
from govlab.contracts.models import Contract, ContractDocument, Payment, ProgressReport
from govlab.procurement.models import Award
from tests.contracts.conftest import SIGNED, STANDSTILL_ENDS, invoice, terms
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

D = dt.date
ROLES = ["staff", "entity_user", "finance", "supplier_user", "stranger", "other_lab_staff", "anonymous"]


def browser(role, world, client, login):
    if role == "anonymous":
        return client
    return login(getattr(world, role))


def status_of(response):
    return response.status_code if response.status_code != 302 else "login"


VIEW = {"staff": 200, "entity_user": 200, "finance": 200, "supplier_user": 200}
# The buyer's members sign, finish, cancel and close too: the buyer is a party to the contract.
MANAGE = {"staff": 200, "entity_user": 200, "finance": 200, "supplier_user": 403}
TEAM = {"staff": 200}


def expected(table, role):
    if role == "anonymous":
        return "login"
    return table.get(role, 404)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, world, signed, client, login):
    b = browser(role, world, client, login)
    pk = signed.pk
    payment = invoice(signed, world.staff, "F-1", "10", D(2026, 3, 2))
    report = ProgressReport.objects.filter(contract=signed).first()
    lab = world.lab.slug
    pages = {
        reverse("contracts:detail", args=[pk]): VIEW,
        reverse("contracts:amend", args=[pk]): MANAGE,
        reverse("contracts:milestone_new", args=[pk]): MANAGE,
        reverse("contracts:schedule_new", args=[pk]): MANAGE,
        reverse("contracts:invoice", args=[pk]): MANAGE,
        reverse("contracts:issue_new", args=[pk]): MANAGE,
        reverse("contracts:document_upload", args=[pk]): MANAGE,
        reverse("contracts:payment", args=[pk, payment.pk, "approve"]): MANAGE,
        reverse("contracts:sign", args=[pk]): MANAGE,
        reverse("contracts:finish", args=[pk]): MANAGE,
        reverse("contracts:cancel", args=[pk]): MANAGE,
        reverse("contracts:report", args=[pk, report.pk]): {
            "staff": 403,
            "entity_user": 403,
            "finance": 403,
            "supplier_user": 200,
        },
        reverse("contracts:lessons", args=[world.challenge.reference]): {
            "staff": 200,
            "entity_user": 200,
            "finance": 200,
        },
        reverse("contracts:lab", args=[lab]): TEAM,
        reverse("contracts:lab_payments", args=[lab]): TEAM,
        reverse("contracts:export", args=[lab, "contracts", "csv"]): TEAM,
        reverse("contracts:export", args=[lab, "payments", "xlsx"]): TEAM,
    }
    for url, table in pages.items():
        assert status_of(b.get(url)) == expected(table, role), url


def test_mine_lists_the_contracts_of_the_supplier_only(world, signed, client, login):
    page = login(world.supplier_user).get(reverse("contracts:mine"))
    assert signed.reference in page.content.decode()
    page = login(world.stranger).get(reverse("contracts:mine"))
    assert signed.reference not in page.content.decode()


def test_confidential_notes_are_shown_to_the_parties_not_in_exports(world, signed, client, login):
    page = login(world.supplier_user).get(reverse("contracts:detail", args=[signed.pk])).content.decode()
    assert "CONFIDENTIAL" in page
    staff = login(world.staff)
    for what in ("contracts", "payments"):
        for extension in ("csv", "xlsx"):
            response = staff.get(reverse("contracts:export", args=[world.lab.slug, what, extension]))
            assert response.status_code == 200
            assert b"CONFIDENTIAL" not in response.content
            disposition = response["Content-Disposition"]
            assert disposition.startswith(f'attachment; filename="{world.lab.slug}-{what}-'), disposition
            assert disposition.endswith(f'.{extension}"'), disposition


def test_journey_from_the_award_to_a_closed_case(world, client, login, django_capture_on_commit_callbacks):
    staff = login(world.staff)
    url = reverse("contracts:create_from_award", args=[world.award.pk])
    assert "Human-first call routing" in staff.get(url).content.decode()
    data = {f"contract-{k}": v for k, v in terms(report_every_days=180).items()}
    data["contract-title"] = "Call routing"
    data["contract-finance_contact"] = str(world.finance.pk)
    response = staff.post(url, data)
    contract = Contract.objects.get()
    assert response.url == reverse("contracts:detail", args=[contract.pk])
    assert staff.get(url).url == response.url  # a second visit goes to the contract

    # Signing during the standstill: the error is at the field, the date kept.
    sign = reverse("contracts:sign", args=[contract.pk])
    page = staff.post(sign, {"sign-signed_on": STANDSTILL_ENDS.isoformat()})
    assert page.status_code == 200
    assert "standstill" in page.context["form"].errors["signed_on"][0]
    assert STANDSTILL_ENDS.isoformat() in page.content.decode()
    staff.post(sign, {"sign-signed_on": SIGNED.isoformat()})
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.IMPLEMENTING

    # An invoice above the value: error at the amount, the number kept.
    invoice = reverse("contracts:invoice", args=[contract.pk])
    page = staff.post(
        invoice,
        {
            "invoice-invoice_number": "F-99",
            "invoice-amount": "100000.01",
            "invoice-invoice_received_on": "2026-03-02",
        },
    )
    assert "larger than the contract" in page.context["form"].errors["amount"][0]
    assert 'value="F-99"' in page.content.decode()
    staff.post(
        invoice,
        {
            "invoice-invoice_number": "F-1",
            "invoice-amount": "1000",
            "invoice-invoice_received_on": "2026-03-06",
        },
    )
    payment = Payment.objects.get()
    assert payment.due_on == D(2026, 4, 6)  # Sunday 5 April → Monday
    step = reverse("contracts:payment", args=[contract.pk, payment.pk, "approve"])
    page = staff.post(step, {"payment-approved_on": "2026-03-01"})
    assert "before the invoice" in page.context["form"].errors["approved_on"][0]
    staff.post(step, {"payment-approved_on": "2026-03-09"})
    staff.post(
        reverse("contracts:payment", args=[contract.pk, payment.pk, "pay"]), {"payment-paid_on": "2026-04-08"}
    )
    payment.refresh_from_db()
    assert payment.paid_on == D(2026, 4, 8)
    detail = staff.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Late: 2 days" in detail  # in words, not only a colour
    payments_page = staff.get(reverse("contracts:lab_payments", args=[world.lab.slug])).content.decode()
    assert "Median days to pay" in payments_page
    assert "Saturday or a Sunday moves to the next Monday" in payments_page

    # The supplier submits a report; the entity reviews it.
    report = ProgressReport.objects.filter(contract=contract).first()
    supplier = login(world.supplier_user)
    report_url = reverse("contracts:report", args=[contract.pk, report.pk])
    page = supplier.post(
        report_url, {"report-summary": "Live in two sites.", "report-percent_complete": "101"}
    )
    assert page.context["form"].errors["percent_complete"]
    supplier.post(report_url, {"report-summary": "Live in two sites.", "report-percent_complete": "40"})
    entity = login(world.entity_user)
    entity.post(report_url, {"review-review_notes": "Thanks."})
    report.refresh_from_db()
    assert report.status == "reviewed"

    # Amend, attach a document, finish, write the lessons and close.
    amend = reverse("contracts:amend", args=[contract.pk])
    form_data = {
        "amend-reason": "Two more months.",
        "amend-title": "Call routing",
        "amend-scope": contract.scope,
        "amend-value": "100000.00",
        "amend-starts_on": contract.starts_on.isoformat(),
        "amend-ends_on": "2028-02-29",
        "amend-ip_terms": contract.ip_terms,
        "amend-ip_details": "",
        "amend-payment_terms_days": "30",
    }
    entity.post(amend, form_data)
    contract.refresh_from_db()
    assert contract.version == 2
    page = entity.post(amend, {**form_data, "amend-reason": "Again."})
    assert "Nothing changes" in page.content.decode()
    upload = SimpleUploadedFile("contract.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    entity.post(
        reverse("contracts:document_upload", args=[contract.pk]),
        {"document-title": "Signed contract", "document-file": upload, "document-is_public": "on"},
    )
    assert ContractDocument.objects.get().is_public
    bad = SimpleUploadedFile("contract.pdf", b"not a pdf", content_type="application/pdf")
    page = entity.post(
        reverse("contracts:document_upload", args=[contract.pk]),
        {"document-title": "Bad", "document-file": bad},
    )
    assert page.context["form"].errors["file"]
    finish = reverse("contracts:finish", args=[contract.pk])
    close = reverse("contracts:close", args=[world.challenge.reference])
    supplier = login(world.supplier_user)
    assert supplier.post(finish, {"end-ended_on": "2026-06-30"}).status_code == 403
    assert supplier.post(close).status_code == 404
    entity = login(world.entity_user)
    page = entity.post(finish, {"end-ended_on": "2026-06-30", "end-reason": ""})
    assert page.status_code == 302
    lessons = reverse("contracts:lessons", args=[world.challenge.reference])
    page = entity.post(lessons, {"lessons-successes": ""})
    assert page.context["form"].errors["successes"]
    entity.post(lessons, {"lessons-successes": "Waiting halved.", "lessons-is_public": "on"})
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.IMPLEMENTING
    page = entity.post(close, {"close-reason": "Done."}, follow=True)
    assert "The case is closed." in page.content.decode(), [str(m) for m in page.context["messages"]]
    world.challenge.refresh_from_db()
    assert world.challenge.status == ChallengeStatus.CLOSED


def _grow(world, contract, n, start=0):
    for i in range(start, start + n):
        milestone = services.milestone_save(
            contract=contract, by=world.staff, title=f"M{i}", due_on=D(2026, 6, 1) + dt.timedelta(days=i)
        )
        services.schedule_save(
            contract=contract,
            by=world.staff,
            label=f"L{i}",
            amount="10",
            due_on=D(2026, 7, 1) + dt.timedelta(days=i),
            milestone=milestone,
        )
        payment = services.invoice_record(
            contract=contract,
            by=world.staff,
            invoice_number=f"G-{contract.pk}-{i}",
            amount="10",
            invoice_received_on=D(2026, 3, 2),
        )
        services.payment_approve(payment=payment, by=world.staff, approved_on=D(2026, 3, 3))
        services.issue_save(contract=contract, by=world.staff, kind="risk", title=f"R{i}")


def test_query_counts_do_not_grow_with_rows(world, signed, client, login):
    staff = login(world.staff)
    urls = [
        reverse("contracts:detail", args=[signed.pk]),
        reverse("contracts:lab", args=[world.lab.slug]),
        reverse("contracts:mine"),
        reverse("contracts:lab_payments", args=[world.lab.slug]),
    ]
    _grow(world, signed, 1)

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert staff.get(url).status_code == 200
            out.append(len(queries))
        return out

    before = counts()
    _grow(world, signed, 6, start=1)
    # More contracts, for the lists.
    for name in ("Gamma", "Delta"):
        award = Award.objects.create(
            process=world.process,
            supplier=OrganisationFactory(name=name),
            title=name,
            value="5000",
            currency="EUR",
            decided_at=timezone.now(),
            decided_by=world.staff,
        )
        services.contract_create(by=world.staff, award=award, **terms())
    assert counts() == before
    assert max(before) <= 40


def test_payment_steps_speak_the_requests_language(world, signed, client, login):
    """The steps' titles were translated once at import (in English): now in each request's language."""
    from django.utils import translation

    payment = invoice(signed, world.staff, "F-1", "10", D(2026, 3, 2))
    staff = login(world.staff)
    with translation.override("fr"):
        url = reverse("contracts:payment", args=[signed.pk, payment.pk, "approve"])
    page = staff.get(url).content.decode()
    assert "Approuver la facture" in page
    assert "Approve the invoice" not in page
    # And back in English (whichever language the module was first imported in).
    with translation.override("en"):
        url = reverse("contracts:payment", args=[signed.pk, payment.pk, "approve"])
    page = staff.get(url).content.decode()
    assert "Approve the invoice" in page
    assert "Approuver la facture" not in page


def test_a_schedule_line_is_removed_from_the_page_as_through_the_api(world, signed, client, login):
    """UI parity with DELETE /api/v1/contracts/schedule/<id>/: the lab and the buyer remove a line, unless
    an invoice is recorded against it; the supplier may not (403), anyone else sees nothing (404)."""
    from govlab.contracts.models import ScheduledPayment

    kept, removed = (
        services.schedule_save(
            contract=signed, by=world.staff, label=label, amount="10", due_on=D(2026, 7, 1)
        )
        for label in ("Kept", "Removed")
    )
    services.invoice_record(
        contract=signed,
        by=world.staff,
        invoice_number="F-1",
        amount="10",
        invoice_received_on=D(2026, 3, 2),
        scheduled=kept,
    )
    url = reverse("contracts:schedule_delete", args=[signed.pk, removed.pk])
    assert login(world.stranger).post(url).status_code == 404
    assert login(world.supplier_user).post(url).status_code == 403
    entity = login(world.entity_user)
    assert entity.get(url).status_code == 405
    page = entity.post(url, follow=True)
    assert "“Removed” is removed." in page.content.decode()
    page = entity.post(reverse("contracts:schedule_delete", args=[signed.pk, kept.pk]), follow=True)
    assert "An invoice is recorded against this line" in page.content.decode()
    assert list(ScheduledPayment.objects.filter(contract=signed).values_list("label", flat=True)) == ["Kept"]
