"""Time the ranking of a call with 100,000 submitted reviews (issue 5: "under 1 second").

    .venv/bin/python bench/ranking.py                     # SQLite file under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govlab_ranking .venv/bin/python bench/ranking.py

Steps: migrate a dedicated database (created with ``createdb`` on PostgreSQL when missing); unless it is
there already, build the call ``load-bench-ranking``: one load lab with its challenges and 1,000 solver
profiles (``generate_load_data``'s generator), then in bulk a closed call with three weighted criteria,
ten of those challenges, 10,000 submitted applications (``LOAD-RNK-NNNNNNN``, one per solver and
challenge) and, through ``govlab.evaluation.demo.generate``, a panel of ten evaluators and 100,000
submitted reviews (ten per application, with assignments, declarations and revisions). Then, in this
process, ``govlab.evaluation.aggregation.ranking(call)`` runs ``--runs`` times (5): the first run is
timed like the others (no warm-up). Prints min / median / max and the SQL queries of one run; the exit
status is 1 when the median is over ``--limit`` seconds (1). ``--applications`` and
``--reviews-per-application`` change the size; ``--fresh`` rebuilds the SQLite file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
CALL_SLUG = "load-bench-ranking"
REFERENCE_PREFIX = "LOAD-RNK-"
CHALLENGES = 10


def _setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        command = ["createdb", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
        if parsed.username:
            command += ["-U", parsed.username]
        result = subprocess.run(  # noqa: S603 (the local PostgreSQL client)
            [*command, parsed.path.lstrip("/")], capture_output=True, text=True, check=False
        )
        if result.returncode and "already exists" not in result.stderr:
            sys.exit(f"createdb failed: {result.stderr.strip()}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", "-v", "0")


def build(*, applications: int, per_application: int, seed: int = 2026) -> tuple[object, str]:
    """The benchmark's call (made when missing or smaller than asked); returns (call, what was done)."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from govlab.calls.demo import LOAD_SCALE
    from govlab.calls.enums import ApplicationStatus, Stage
    from govlab.calls.models import Application, Call, CallCriterion
    from govlab.challenges.models import Challenge
    from govlab.demo.load import generate
    from govlab.evaluation import demo as evaluation_demo
    from govlab.evaluation.models import Review
    from govlab.labs.models import Lab
    from govlab.organisations.models import OrganisationMembership

    solvers_needed = -(-applications // CHALLENGES)
    done = []
    call = Call.objects.filter(slug=CALL_SLUG).first()
    if call is None:
        started = time.perf_counter()
        generate(
            labs=1, organisations=5, people=4, challenges=CHALLENGES * 2, solvers=solvers_needed, seed=seed
        )
        lab = Lab.objects.get(slug="load-lab-001")
        challenges = list(
            Challenge.objects.filter(lab=lab).order_by("pk").values_list("pk", flat=True)[:CHALLENGES]
        )
        if len(challenges) < CHALLENGES:
            raise SystemExit(
                f"Only {len(challenges)} challenges in load-lab-001: the challenges demo is missing."
            )
        closes = (timezone.now() - dt.timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
        with transaction.atomic():
            call = Call.objects.create(
                lab=lab,
                slug=CALL_SLUG,
                title={"en": "Ranking benchmark call"},
                summary={"en": "Synthetic call made by bench/ranking.py."},
                status="published",
                time_zone=lab.time_zone,
                currency=lab.currency,
                publishes_at=closes - dt.timedelta(days=60),
                published_at=closes - dt.timedelta(days=60),
                enquiries_close_at=closes - dt.timedelta(days=7),
                deadline=closes,
                form_version=1,
            )
            call.challenges.add(*challenges)
            for position, (name, weight) in enumerate((("Fit", "50"), ("Innovation", "30"), ("Team", "20"))):
                CallCriterion.objects.create(
                    call=call, name={"en": name}, weight=Decimal(weight), scale=LOAD_SCALE, position=position
                )
        done.append(f"call built in {time.perf_counter() - started:.1f} s")
    have = Application.objects.filter(call=call).count()
    if have < applications:
        started = time.perf_counter()
        solvers = list(
            OrganisationMembership.objects.filter(organisation__slug__startswith="load-solver-")
            .order_by("organisation__slug")
            .values_list("organisation_id", "user_id")[:solvers_needed]
        )
        if len(solvers) < solvers_needed:
            generate(
                labs=1,
                organisations=5,
                people=4,
                challenges=CHALLENGES * 2,
                solvers=solvers_needed,
                seed=seed,
            )
            solvers = list(
                OrganisationMembership.objects.filter(organisation__slug__startswith="load-solver-")
                .order_by("organisation__slug")
                .values_list("organisation_id", "user_id")[:solvers_needed]
            )
        challenges = list(call.challenges.order_by("pk").values_list("pk", flat=True))
        taken = set(Application.objects.filter(call=call).values_list("challenge_id", "organisation_id"))
        rows = []
        for number in range(1, applications + 1):
            challenge_id = challenges[(number - 1) % len(challenges)]
            organisation_id, user_id = solvers[(number - 1) // len(challenges)]
            if (challenge_id, organisation_id) in taken:
                continue
            received = call.deadline - dt.timedelta(minutes=number % 5000 + 1)
            rows.append(
                Application(
                    call=call,
                    challenge_id=challenge_id,
                    organisation_id=organisation_id,
                    stage=Stage.PROPOSAL,
                    status=ApplicationStatus.SUBMITTED,
                    reference=f"{REFERENCE_PREFIX}{number:07d}",
                    answers={"solution_name": f"Solution {number}"},
                    created_by_id=user_id,
                    submitted_at=received,
                )
            )
        with transaction.atomic():
            Application.objects.bulk_create(rows, batch_size=2000)
        done.append(f"{len(rows):,} applications in {time.perf_counter() - started:.1f} s")
    wanted = applications * per_application
    if Review.objects.filter(application__call=call).count() < wanted:
        started = time.perf_counter()
        result = evaluation_demo.generate(
            count=wanted,
            applications=Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED),
            seed=seed,
            panel_size=per_application,
        )
        done.append(f"reviews: {result} in {time.perf_counter() - started:.1f} s")
    return call, "; ".join(done) or "reused"


def measure(call, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govlab.evaluation.aggregation import ranking

    seconds, queries, rows = [], [], 0
    for _run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = ranking(call)
            seconds.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
        rows = len(result)
    return {"seconds": seconds, "queries": queries, "rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--reviews-per-application", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.0, help="Seconds the median may take (default 1).")
    parser.add_argument("--fresh", action="store_true", help="Delete the SQLite file first.")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    sqlite_path = VAR / "ranking.sqlite3"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_path}"
    database = "PostgreSQL" if url.startswith(("postgres://", "postgresql://")) else "SQLite"
    if args.fresh and database == "SQLite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_path) + suffix).unlink(missing_ok=True)
    _setup(url)
    from govlab.evaluation.models import Review

    call, done = build(applications=args.applications, per_application=args.reviews_per_application)
    reviews = Review.objects.filter(application__call=call, status="submitted").count()
    result = measure(call, args.runs)
    seconds = result["seconds"]
    median = statistics.median(seconds)
    print(f"ranking(call) — {database}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"setup: {done}")
    print(f"call {CALL_SLUG}: {result['rows']:,} submitted applications, {reviews:,} submitted reviews")
    print(
        f"{args.runs} runs: min {min(seconds):.3f} s, median {median:.3f} s, max {max(seconds):.3f} s; "
        f"SQL queries per run: {', '.join(str(q) for q in result['queries'])}"
    )
    ok = median <= args.limit
    print(f"{'PASS' if ok else 'FAIL'}: median {'≤' if ok else '>'} {args.limit:g} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
