"""Time the lab monitoring dashboard, the public results page and the annual report at the
``generate_load_data`` scale (issue 8), in process, beside the minimal-view floor.

Build the database once (about 15 minutes on SQLite with 2 CPUs, the reviews taking most of it):

    export DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:///$PWD/var/bench/monitoring.sqlite3
    .venv/bin/python -m govlab migrate && .venv/bin/python -m govlab load_demo
    .venv/bin/python -m govlab generate_load_data --solvers 50000 --applications 200000 --reviews 600000

then (the same with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/govlab_monitoring``):

    .venv/bin/python bench/monitoring.py [--runs 5] [--refresh]

It gives the busiest load lab (the one with the most challenges) and MiLAB one KPI per computation of
the registry that allows the lab scope (yearly, all public) and a manual KPI, with five years of values
and targets (``--no-kpis`` to skip; a second run finds them). ``--refresh`` first runs
``services.snapshot_refresh`` (the funnel, cycle times and computed KPI values the pages read from
snapshots) and times it; ``--live`` deletes the labs' snapshots first, so every figure is computed live.
Then, signed in as the lab's manager through Django's test client (one request at a time), it times
``--runs`` requests of the dashboard, the public results page (anonymous) and the annual report, and
the floor, and prints status, bytes, SQL queries and min / median / max seconds as a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'monitoring.sqlite3'}")


def _ensure_kpis(lab, manager) -> int:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from govlab.monitoring.computations import COMPUTATIONS
    from govlab.monitoring.enums import Category, Scope, Source
    from govlab.monitoring.models import KpiDefinition, KpiTarget, KpiValue

    made = 0
    for position, (key, computation) in enumerate(sorted(COMPUTATIONS.items())):
        if not computation.allows(Scope.LAB):
            continue
        kpi, created = KpiDefinition.objects.get_or_create(
            lab=lab,
            code=f"bench-{key}".replace("_", "-")[:60],
            defaults={
                "name": {"en": str(computation.label)},
                "category": computation.category,
                "scope": Scope.LAB,
                "source": Source.COMPUTED,
                "computation": key,
                "unit": computation.unit,
                "is_public": True,
                "position": position,
                "created_by": manager,
            },
        )
        made += int(created)
    kpi, created = KpiDefinition.objects.get_or_create(
        lab=lab,
        code="bench-satisfaction",
        defaults={
            "name": {"en": "Citizen satisfaction"},
            "category": Category.IMPACT,
            "source": Source.MANUAL,
            "unit": "%",
            "is_public": True,
            "position": 99,
            "created_by": manager,
        },
    )
    made += int(created)
    this_year = timezone.localdate().year
    for year in range(this_year - 4, this_year + 1):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        KpiValue.objects.get_or_create(
            kpi=kpi,
            period_start=start,
            defaults={"period_end": end, "value": Decimal(70 + year % 7), "entered_by": manager},
        )
        for target_kpi in KpiDefinition.objects.filter(lab=lab, code__startswith="bench-"):
            KpiTarget.objects.get_or_create(
                kpi=target_kpi, period_start=start, defaults={"period_end": end, "value": Decimal(100)}
            )
    return made


def _signed_in(user):
    """A test client signed in as ``user``, past the second factor."""
    from django.test import Client

    from govlab.accounts.middleware import MFA_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_SESSION_KEY] = True
    session.save()
    return client


def _time(client, path: str, runs: int) -> tuple[int, int, int, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST="127.0.0.1")
            times.append(time.perf_counter() - started)
    return response.status_code, len(response.content), len(queries), times


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=None, help="The dashboard's year (default: this year).")
    parser.add_argument(
        "--lab", action="append", default=[], help="Lab slugs (default: busiest load lab, milab)."
    )
    parser.add_argument("--no-kpis", action="store_true", help="Do not add the benchmark KPIs.")
    parser.add_argument("--refresh", action="store_true", help="Run snapshot_refresh first (timed).")
    parser.add_argument(
        "--live", action="store_true", help="Delete the labs' snapshots first: every figure computed live."
    )
    parser.add_argument("--cross-lab", action="store_true", help="Also time the cross-lab view (every lab).")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from govlab.accounts.models import User
    from govlab.calls.models import Application
    from govlab.challenges.models import Challenge
    from govlab.labs.models import Lab, LabMembership

    year = args.year or timezone.localdate().year
    slugs = args.lab
    if not slugs:
        busiest = (
            Challenge.objects.filter(lab__slug__startswith="load-")
            .values("lab__slug")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        slugs = [slug for slug in (busiest and busiest["lab__slug"], "milab") if slug]
    print(
        f"### {connection.vendor}, {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"{Challenge.objects.count():,} challenges, {Application.objects.count():,} applications"
    )
    print()
    print("| lab | page | path | status | bytes | queries | min s | median s | max s |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    anonymous = Client()
    status, size, count, times = _time(anonymous, "/bench/floor", args.runs)
    print(
        f"| — | floor (minimal view) | `/bench/floor` | {status} | {size:,} | {count} | {min(times):.3f} "
        f"| {statistics.median(times):.3f} | {max(times):.3f} |"
    )
    for slug in slugs:
        lab = Lab.objects.get(slug=slug)
        membership = LabMembership.objects.filter(lab=lab, role="manager").select_related("user").first()
        if membership is None:
            print(f"| {slug} | (no manager: skipped) |||||||")
            continue
        if not args.no_kpis:
            _ensure_kpis(lab, membership.user)
        if args.live:
            from govlab.monitoring.models import Snapshot

            Snapshot.objects.filter(lab=lab).delete()
        if args.refresh:
            from govlab.monitoring.services import snapshot_refresh

            started = time.perf_counter()
            snapshot_refresh(lab)
            print(
                f"| {slug} | snapshot_refresh | — | — | — | — | — | {time.perf_counter() - started:.3f} | — |"
            )
        client = _signed_in(membership.user)
        challenges = Challenge.objects.filter(lab=lab).count()
        for name, browser, path in (
            ("dashboard", client, f"/monitoring/lab/{slug}/?year={year}"),
            ("public results", anonymous, f"/monitoring/{slug}/results/?year={year}"),
            ("annual report", client, f"/monitoring/lab/{slug}/report/{year}/"),
        ):
            status, size, count, times = _time(browser, path, args.runs)
            print(
                f"| {slug} ({challenges:,} challenges) | {name} | `{path}` | {status} | {size:,} | {count} "
                f"| {min(times):.3f} | {statistics.median(times):.3f} | {max(times):.3f} |"
            )
    admin = User.objects.filter(is_superuser=True).first()
    if admin is not None and args.cross_lab:
        client = _signed_in(admin)
        status, size, count, times = _time(client, "/monitoring/", args.runs)
        print(
            f"| all {Lab.objects.count()} labs | cross-lab view (superuser) | `/monitoring/` | {status} "
            f"| {size:,} | {count} | {min(times):.3f} | {statistics.median(times):.3f} | {max(times):.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
