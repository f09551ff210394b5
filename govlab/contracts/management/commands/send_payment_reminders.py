from django.core.management.base import BaseCommand

from govlab.contracts.tasks import send_payment_reminders


class Command(BaseCommand):
    help = (
        "Remind each contract's finance contact (or the buyer's administrators) before a scheduled payment "
        "or an invoice falls due (CONTRACTS_PAYMENT_REMINDER_DAYS, default 5), and the suppliers of overdue "
        "progress reports. Each reminder goes once: safe to run often."
    )

    def handle(self, *args, **options):
        done = send_payment_reminders()
        self.stdout.write(
            f"Reminded {done['scheduled']} scheduled payment(s), {done['invoices']} invoice(s) and "
            f"{done['reports']} progress report(s)."
        )
