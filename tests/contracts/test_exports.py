"""CSV and XLSX exports of a lab's contracts and payments (days to pay, lateness), and documents through
the API."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from govlab.contracts import exports, services
from govlab.contracts.models import ContractDocument

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def paid_late(world, signed):
    payment = services.invoice_record(
        contract=signed,
        by=world.staff,
        invoice_number="=HYPERLINK(1)",
        amount="1000",
        invoice_received_on=D(2026, 3, 6),
    )
    services.payment_approve(payment=payment, by=world.staff, approved_on=D(2026, 3, 9))
    return services.payment_pay(payment=payment, by=world.staff, paid_on=D(2026, 4, 8))


def test_payments_csv_and_xlsx(world, signed, paid_late):
    text = exports.as_csv(exports.payments_table(world.lab))
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Contract,Supplier,Invoice number,Amount")
    row = lines[1].split(",")
    assert row[2] == "'=HYPERLINK(1)"  # a formula stays text
    assert row[3] == "1000.00"
    assert row[-3:] == ["33", "Yes", "2"]  # days to pay, late, days late (due Monday 6 April)
    book = load_workbook(io.BytesIO(exports.as_xlsx("Payments", exports.payments_table(world.lab))))
    sheet = book.active
    values = [cell.value for cell in sheet[2]]
    assert values[3] == 1000  # a number, not text
    assert values[9] == 33


def test_contracts_export_has_totals_and_no_confidential_notes(world, signed, paid_late):
    header, rows = exports.contracts_table(world.lab)
    row = dict(zip(header, rows[0], strict=True))
    assert row["Reference"] == signed.reference
    assert row["Paid"] == Decimal("1000.00")
    assert "CONFIDENTIAL" not in exports.as_csv((header, rows))


def test_documents_through_the_api(world, signed, login):
    client = login(world.entity_user)
    url = f"/api/v1/contracts/{signed.pk}/documents/"
    good = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(url, {"title": "Signed contract", "file": good, "is_public": "true"})
    assert response.status_code == 201, response.json()
    assert response.json()["is_public"] is True
    bad = SimpleUploadedFile("signed.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Bad", "file": bad})
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert ContractDocument.objects.count() == 1
    assert [d["title"] for d in login(world.supplier_user).get(url).json()] == ["Signed contract"]
    assert login(world.supplier_user).post(url, {"title": "Mine", "file": good}).status_code == 403
