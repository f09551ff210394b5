"""Time ``export_ocds`` at 1,000 and 10,000 processes and show that its memory stays flat (issue 7).

    .venv/bin/python bench/ocds_export.py                      # SQLite file under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govlab_ocds .venv/bin/python bench/ocds_export.py

Steps: migrate a dedicated database and, unless they are there already, create two labs, ``bench-1k``
and ``bench-10k``, with that many synthetic public challenges and ``--releases`` releases each (bulk
created: a realistic release body of ~3 kB, the volume is what is measured, not the builder). Then, for
each lab, in a fresh process each time (so the peak resident memory is that run's): the export of the
lab's packages (``govlab.ocds.export.export``: a release and a record package per process and bulk
files of 1,000 releases) timed with its peak resident set size (``getrusage`` maxrss), and once more
under ``tracemalloc`` for the peak of Python allocations. Prints a table; exits 1 when the 10k export's
tracemalloc peak is more than ``--flat`` times the 1k one (memory that grows with the data).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SIZES = (1_000, 10_000)


def _setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def _body(reference: str, n: int) -> tuple[list[str], dict]:
    """The n-th release body of a synthetic process (tags, sections)."""
    stages = [
        (["planning"], {"planning": {"rationale": "Our challenge is that " + "x" * 400}}),
        (
            ["tender"],
            {
                "tender": {
                    "id": f"CALL-{reference}",
                    "title": "Call for solutions",
                    "description": "d" * 600,
                    "status": "active",
                    "procurementMethod": "selective",
                    "tenderPeriod": {"startDate": "2026-01-05T09:00:00Z", "endDate": "2026-02-05T17:00:00Z"},
                }
            },
        ),
        (
            ["tenderUpdate"],
            {
                "bids": {
                    "statistics": [{"id": "requests", "measure": "requests", "value": 12}],
                    "details": [
                        {
                            "id": f"{reference}-A{i}",
                            "status": "valid",
                            "tenderers": [{"id": f"O{i}", "name": f"Org {i}"}],
                        }
                        for i in range(12)
                    ],
                }
            },
        ),
        (
            ["award", "contract"],
            {
                "awards": [{"id": "AW-1", "status": "active", "value": {"amount": 10000, "currency": "EUR"}}],
                "contracts": [{"id": "CT-1", "awardID": "AW-1", "status": "active"}],
            },
        ),
        (
            ["implementation"],
            {
                "contracts": [
                    {
                        "id": "CT-1",
                        "awardID": "AW-1",
                        "implementation": {
                            "transactions": [
                                {
                                    "id": f"PAY-{n}",
                                    "date": "2026-06-01T00:00:00Z",
                                    "value": {"amount": 5000, "currency": "EUR"},
                                }
                            ]
                        },
                    }
                ]
            },
        ),
    ]
    tags, section = stages[min(n, len(stages) - 1)]
    parties = [
        {"id": "L", "name": "Lab", "roles": ["procuringEntity"]},
        {"id": "B", "name": "Buyer", "roles": ["buyer"]},
    ]
    return tags, {
        "initiationType": "tender",
        "language": "en",
        "title": f"Challenge {reference}",
        **section,
        "parties": parties,
    }


def _populate(size: int, releases_per_process: int) -> None:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from govlab.accounts.models import User
    from govlab.challenges.models import Challenge
    from govlab.labs.models import Lab
    from govlab.ocds.models import Release
    from govlab.ocds.publish import content_hash, publication_for
    from govlab.organisations.models import Organisation

    slug = f"bench-{size // 1000}k"
    lab = Lab.objects.filter(slug=slug).first()
    if lab is not None and Release.objects.filter(lab=lab).exists():
        return
    print(f"Creating {size} processes x {releases_per_process} releases for {slug}…", file=sys.stderr)
    with transaction.atomic():
        lab = lab or Lab.objects.create(slug=slug, name={"en": slug}, country="LU", languages=["en"])
        user = User.objects.filter(email="bench-ocds@example.org").first() or User.objects.create_user(
            "bench-ocds@example.org", "bench-password-123", full_name="Bench"
        )
        owner, _ = Organisation.objects.get_or_create(
            slug=f"{slug}-entity",
            defaults={
                "name": "Bench entity",
                "kind": "public_entity",
                "helix_sector": "government",
                "country": "LU",
            },
        )
        prefix = publication_for(lab).prefix
        start = timezone.now() - dt.timedelta(days=400)
        for first in range(0, size, 1000):
            challenges = Challenge.objects.bulk_create(
                [
                    Challenge(
                        lab=lab,
                        owner=owner,
                        reference=f"B{size // 1000}K-{n:06d}",
                        title={"en": f"Bench challenge {n}"},
                        status="implementing",
                        is_public=True,
                        created_by=user,
                    )
                    for n in range(first, min(first + 1000, size))
                ]
            )
            rows = []
            for challenge in challenges:
                ocid = f"{prefix}-{challenge.reference}"
                for n in range(releases_per_process):
                    tags, body = _body(challenge.reference, n)
                    date = start + dt.timedelta(days=n * 30, seconds=challenge.pk)
                    release_id = f"{ocid}-{n + 1:04d}-bench"
                    data = {
                        "ocid": ocid,
                        "id": release_id,
                        "date": date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "tag": tags,
                        **body,
                    }
                    rows.append(
                        Release(
                            lab=lab,
                            challenge=challenge,
                            ocid=ocid,
                            release_id=release_id,
                            sequence=n + 1,
                            key=f"bench:{n}",
                            date=date,
                            tags=tags,
                            data=data,
                            content_hash=content_hash(body),
                        )
                    )
            Release.objects.bulk_create(rows, batch_size=1000)


def _child(slug: str, traced: bool) -> dict:
    from govlab.labs.models import Lab
    from govlab.ocds.export import export

    lab = Lab.objects.get(slug=slug)
    output = Path(tempfile.mkdtemp(prefix="ocds-bench-"))
    try:
        if traced:
            tracemalloc.start()
        began = time.perf_counter()
        result = export(output, lab=lab, page_size=1000)
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] if traced else None
        size = sum(path.stat().st_size for path in output.rglob("*.json"))
    finally:
        shutil.rmtree(output, ignore_errors=True)
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "processes": result.processes,
        "releases": result.releases,
        "bulk_files": result.bulk_files,
        "seconds": seconds,
        "maxrss_mb": maxrss_kb / 1024,
        "traced_peak_mb": None if peak is None else peak / 1024 / 1024,
        "output_mb": size / 1024 / 1024,
    }


def _run_child(url: str, slug: str, traced: bool) -> dict:
    command = [sys.executable, __file__, "--database", url, "--child", slug]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 (this script)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", default=os.environ.get("DATABASE_URL") or f"sqlite:///{VAR / 'ocds.sqlite3'}"
    )
    parser.add_argument("--releases", type=int, default=5, help="Releases per process (5).")
    parser.add_argument("--flat", type=float, default=2.0, help="Allowed ratio of the 10k to the 1k peak.")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    _setup(args.database)
    if args.child:
        print(json.dumps(_child(args.child, args.traced)))
        return
    from django.core.management import call_command

    call_command("migrate", "--no-input", "-v", "0")
    for size in SIZES:
        _populate(size, args.releases)
    rows = []
    for size in SIZES:
        slug = f"bench-{size // 1000}k"
        plain = _run_child(args.database, slug, traced=False)
        traced = _run_child(args.database, slug, traced=True)
        rows.append((size, plain, traced))
    print(f"\nexport_ocds on {args.database.split(':')[0]}, {args.releases} releases per process\n")
    print(
        "| processes | releases | bulk files | output (MB) | time (s) | peak RSS (MB) "
        "| tracemalloc peak (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size, plain, traced in rows:
        print(
            f"| {size:,} | {plain['releases']:,} | {plain['bulk_files']} | {plain['output_mb']:.1f} | "
            f"{plain['seconds']:.1f} | {plain['maxrss_mb']:.0f} | {traced['traced_peak_mb']:.1f} |"
        )
    small, large = rows[0][2]["traced_peak_mb"], rows[1][2]["traced_peak_mb"]
    if large > args.flat * small:
        sys.exit(f"Memory grows with the data: {large:.1f} MB at 10k against {small:.1f} MB at 1k.")


if __name__ == "__main__":
    main()
