"""Time the lab's evaluation dashboard and ranking board in process beside the minimal-view floor.

Uses the call that ``bench/ranking.py`` builds (``load-bench-ranking``: 10,000 applications, 100,000
reviews), so run that first. One request at a time through Django's test client, signed in as the load
lab's manager; prints status, bytes, SQL queries and the median of ``--runs`` requests per page.

    DATABASE_URL=sqlite:///$PWD/var/bench/ranking.sqlite3 .venv/bin/python bench/evaluation_pages.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from govlab.accounts.middleware import MFA_SESSION_KEY
    from govlab.calls.models import Call
    from govlab.labs.models import LabMembership

    call = Call.objects.get(slug="load-bench-ranking")
    manager = LabMembership.objects.filter(lab=call.lab, role="manager").select_related("user").first()
    client = Client()
    client.force_login(manager.user)
    session = client.session
    session[MFA_SESSION_KEY] = True
    session.save()
    base = f"/evaluation/lab/{call.lab.slug}/{call.pk}/"
    print(f"call {call.slug}: {call.applications.count():,} applications")
    print("| page | path | status | bytes | queries | median s |")
    print("|---|---|---:|---:|---:|---:|")
    for name, path in (
        ("floor", "/bench/floor"),
        ("evaluation dashboard", base),
        ("ranking board", base + "ranking/"),
    ):
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - started)
        print(
            f"| {name} | `{path}` | {response.status_code} | {len(response.content):,} | {len(queries)} "
            f"| {statistics.median(times):.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
