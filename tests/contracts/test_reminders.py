"""Payment and report reminders: sent once (idempotent), to the right people, in their language, on the
lab's local date."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from govlab.contracts import services
from govlab.contracts.models import Payment, ProgressReport, ScheduledPayment
from govlab.contracts.tasks import send_payment_reminders
from govlab.notifications.models import Notification
from tests.contracts.conftest import invoice
from tests.factories import OrganisationMembershipFactory

pytestmark = pytest.mark.django_db

D = dt.date


def at(day: dt.date, hour=12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def kinds(user) -> list[str]:
    rows = Notification.objects.filter(recipient=user, kind__startswith="contracts.").order_by("pk")
    return list(rows.values_list("kind", flat=True))


def test_a_scheduled_payment_is_reminded_five_days_before_to_the_finance_contact(
    world, signed, django_capture_on_commit_callbacks
):
    line = services.schedule_save(
        contract=signed, by=world.staff, label="Go-live", amount="60000", due_on=D(2026, 7, 15)
    )
    world.finance.preferred_language = "es"
    world.finance.save()
    mail.outbox.clear()
    assert send_payment_reminders(at(D(2026, 7, 9)))["scheduled"] == 0  # six days before: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert send_payment_reminders(at(D(2026, 7, 10)))["scheduled"] == 1
    assert kinds(world.finance) == ["contracts.payment_due"]
    assert kinds(world.entity_user) == []  # the finance contact is the one reminded
    line.refresh_from_db()
    assert line.reminded_at is not None
    # Idempotent: a second run (and a later one) sends nothing more.
    assert send_payment_reminders(at(D(2026, 7, 10)))["scheduled"] == 0
    assert send_payment_reminders(at(D(2026, 7, 14)))["scheduled"] == 0
    assert kinds(world.finance) == ["contracts.payment_due"]
    notification = Notification.objects.get(recipient=world.finance, kind="contracts.payment_due")
    assert signed.reference in notification.subject
    assert [m.to for m in mail.outbox] == [[world.finance.email]]


def test_without_a_finance_contact_the_buyers_admins_are_reminded(world, signed):
    services.contract_update(contract=signed, by=world.staff, finance_contact=None)
    member = OrganisationMembershipFactory(organisation=world.entity, role="member").user
    payment = invoice(signed, world.staff, "F-1", "100", D(2026, 3, 2))
    assert payment.due_on == D(2026, 4, 1)
    assert send_payment_reminders(at(D(2026, 3, 27)))["invoices"] == 1
    assert kinds(world.entity_user) == ["contracts.invoice_due"]  # an admin of the buyer
    assert kinds(member) == []
    assert kinds(world.finance) == []
    assert send_payment_reminders(at(D(2026, 3, 28)))["invoices"] == 0


def test_paid_and_cancelled_invoices_are_not_reminded(world, signed):
    paid = invoice(signed, world.staff, "F-1", "100", D(2026, 3, 2))
    services.payment_approve(payment=paid, by=world.staff, approved_on=D(2026, 3, 3))
    services.payment_pay(payment=paid, by=world.staff, paid_on=D(2026, 3, 4))
    cancelled = invoice(signed, world.staff, "F-2", "100", D(2026, 3, 2))
    services.payment_cancel(payment=cancelled, by=world.staff, reason="Duplicate.")
    assert send_payment_reminders(at(D(2026, 3, 30)))["invoices"] == 0
    assert not Payment.objects.exclude(reminded_at=None).exists()


def test_the_reminder_day_follows_the_setting(world, signed):
    services.schedule_save(
        contract=signed, by=world.staff, label="Go-live", amount="10", due_on=D(2026, 7, 15)
    )
    with override_settings(CONTRACTS_PAYMENT_REMINDER_DAYS=2):
        assert send_payment_reminders(at(D(2026, 7, 12)))["scheduled"] == 0
        assert send_payment_reminders(at(D(2026, 7, 13)))["scheduled"] == 1


def test_the_labs_local_date_decides(world, signed):
    """23:30 UTC on 9 July: already the 10th in Tokyo (5 days before the 15th), still the 9th in Bogota."""
    services.schedule_save(
        contract=signed, by=world.staff, label="Go-live", amount="10", due_on=D(2026, 7, 15)
    )
    night = dt.datetime(2026, 7, 9, 23, 30, tzinfo=dt.UTC)
    world.lab.time_zone = "America/Bogota"
    world.lab.save()
    assert send_payment_reminders(night)["scheduled"] == 0
    world.lab.time_zone = "Asia/Tokyo"
    world.lab.save()
    assert send_payment_reminders(night)["scheduled"] == 1


def test_overdue_progress_reports_remind_the_supplier_once(world, signed):
    first = ProgressReport.objects.filter(contract=signed).order_by("due_on").first()
    supplier_people = {world.supplier_user.pk} | set(
        world.supplier.memberships.values_list("user_id", flat=True)
    )
    world.supplier_user.preferred_language = "fr"
    world.supplier_user.save()
    assert send_payment_reminders(at(first.due_on))["reports"] == 0  # due today: not overdue yet
    assert send_payment_reminders(at(first.due_on + dt.timedelta(days=1)))["reports"] == 1
    reminded = set(
        Notification.objects.filter(kind="contracts.report_overdue").values_list("recipient_id", flat=True)
    )
    assert reminded == supplier_people
    assert world.entity_user.pk not in reminded
    assert send_payment_reminders(at(first.due_on + dt.timedelta(days=2)))["reports"] == 0
    # A submitted report is never reminded.
    second = ProgressReport.objects.filter(contract=signed).order_by("due_on")[1]
    services.report_submit(report=second, by=world.supplier_user, summary="On track.", percent_complete=40)
    assert send_payment_reminders(at(second.due_on + dt.timedelta(days=3)))["reports"] == 0


def test_reminders_in_each_recipients_language(world, signed, monkeypatch):
    services.schedule_save(
        contract=signed, by=world.staff, label="Go-live", amount="10", due_on=D(2026, 7, 15)
    )
    world.finance.preferred_language = "es"
    world.finance.save()
    seen = []
    original = translation.override

    class Spy(original):
        def __enter__(self):
            seen.append(self.language)
            return super().__enter__()

    monkeypatch.setattr(translation, "override", Spy)
    send_payment_reminders(at(D(2026, 7, 10)))
    assert seen[0] == "es"  # the subject and body are rendered in the finance contact's language


def test_the_management_command(world, signed, capsys):
    services.schedule_save(
        contract=signed, by=world.staff, label="Go-live", amount="10", due_on=D(2000, 1, 3)
    )
    call_command("send_payment_reminders")
    assert "Reminded 1 scheduled payment(s)" in capsys.readouterr().out
    assert ScheduledPayment.objects.exclude(reminded_at=None).count() == 1
    call_command("send_payment_reminders")
    assert "Reminded 0 scheduled payment(s)" in capsys.readouterr().out
