"""``manage.py load_demo``: the demo installation (seven labs, their ecosystems and demo sign-ins)."""

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from govlab.demo.loader import load


class Command(BaseCommand):
    help = "Load the demo labs, organisations and people (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-challenges",
            action="store_true",
            help="Skip the challenges' and the calls' demo data (govlab.challenges.demo, govlab.calls.demo).",
        )

    def handle(self, *args, without_challenges=False, **options):
        # The demo's story sends in-app notifications as it goes; its e-mails go nowhere, so loading the
        # demo does not print (or send) a hundred messages to fictional people.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            created = load(with_challenges=not without_challenges)
        counts = ", ".join(
            f"{name}: {created[name]}"
            for name in ("labs", "organisations", "users", "email_addresses", "totp", "terms")
        )
        self.stdout.write(f"Demo data loaded. Created {counts}.")
        if created["challenges_demo"]:
            self.stdout.write("Challenges demo data loaded.")
        if created["calls_demo"]:
            self.stdout.write("Calls demo data loaded (calls, Q&A, solver profiles and applications).")
        if created["evaluation_demo"]:
            self.stdout.write("Evaluation demo data loaded (panels, reviews, preselection, feedback).")
        if created["demoday_demo"]:
            self.stdout.write(
                "Phase 4 demo data loaded (MiLAB's 2025 cohort programme, pilots and Demo Day)."
            )
        self.stdout.write("Run `manage.py demo_accounts` to see the demo sign-ins.")
