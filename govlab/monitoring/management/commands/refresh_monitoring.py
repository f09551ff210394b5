from django.core.management.base import BaseCommand, CommandError

from govlab.monitoring.tasks import refresh_all


class Command(BaseCommand):
    help = (
        "Recompute the precomputed monitoring figures (each lab's funnel and cycle times, of all time and "
        "of the last years) through the task queue. Safe to run often; hourly or nightly is plenty."
    )

    def add_arguments(self, parser):
        parser.add_argument("labs", nargs="*", help="Lab slugs (default: every active lab).")

    def handle(self, *args, **options):
        slugs = options["labs"]
        done = refresh_all(slugs or None)
        missing = sorted(set(slugs) - set(done))
        if missing:
            raise CommandError(f"No such lab: {', '.join(missing)}")
        self.stdout.write(f"Refreshing the monitoring figures of {len(done)} lab(s).")
