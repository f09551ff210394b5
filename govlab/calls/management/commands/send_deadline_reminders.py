from django.core.management.base import BaseCommand

from govlab.calls.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Remind organisations with unsubmitted drafts 48 hours and 2 hours before a call's deadline."

    def handle(self, *args, **options):
        sent = send_deadline_reminders()
        self.stdout.write(f"Reminded {sent} application(s).")
