"""``manage.py generate_load_data``: a large synthetic installation (slug prefix ``load-``) for load tests."""

from django.core.management.base import BaseCommand, CommandError

from govlab.demo.load import generate, reset


class Command(BaseCommand):
    help = (
        "Make many labs, organisations, people, challenges, solver profiles, applications and reviews "
        "for load tests (idempotent; --reset)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--labs", type=int, default=20)
        parser.add_argument("--organisations", type=int, default=2000)
        parser.add_argument("--people", type=int, default=None, help="Default: as many as organisations.")
        parser.add_argument("--challenges", type=int, default=10000)
        parser.add_argument(
            "--solvers",
            type=int,
            default=0,
            help="Solver organisations with a full profile and one member each (full scale: 50000).",
        )
        parser.add_argument(
            "--applications",
            type=int,
            default=0,
            help="Applications by those solvers to calls for the load labs' ready challenges "
            "(full scale: 200000; needs --solvers and --challenges).",
        )
        parser.add_argument(
            "--reviews",
            type=int,
            default=0,
            help="Submitted reviews (with assignments, declarations and ten evaluators per lab) of the "
            "submitted applications in closed load calls (full scale: 600000; needs --applications).",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--reset", action="store_true", help="First delete everything this command made before."
        )

    def handle(self, *args, **options):
        for name in ("labs", "organisations", "people", "challenges", "solvers", "applications", "reviews"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name} must be 0 or more.")
        if options["reset"]:
            deleted = reset()
            self.stdout.write("Deleted: " + ", ".join(f"{k} {v}" for k, v in deleted.items()) + ".")
        report = generate(
            labs=options["labs"],
            organisations=options["organisations"],
            people=options["people"],
            challenges=options["challenges"],
            solvers=options["solvers"],
            applications=options["applications"],
            reviews=options["reviews"],
            seed=options["seed"],
        )
        created = ", ".join(f"{name} {count}" for name, count in report.created.items())
        timings = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.seconds.items())
        self.stdout.write(f"Created: {created}.")
        self.stdout.write(f"Challenges: {report.challenges}.")
        self.stdout.write(f"Applications: {report.applications}.")
        self.stdout.write(f"Reviews: {report.reviews}.")
        self.stdout.write(f"Time: {timings}; total {report.total_seconds:.2f} s.")
