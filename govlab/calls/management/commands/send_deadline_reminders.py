from django.core.management.base import BaseCommand

from govlab.calls.tasks import run_scheduled


class Command(BaseCommand):
    help = (
        "Tell followers about calls whose publication date has come, and remind organisations with "
        "unsubmitted drafts or changes 48 hours and 2 hours before a deadline. Safe to run often."
    )

    def handle(self, *args, **options):
        done = run_scheduled()
        self.stdout.write(
            f"Announced {done['calls_announced']} call(s) to their followers; "
            f"reminded {done['reminded']} application(s)."
        )
