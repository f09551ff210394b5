"""The deadline-surge benchmark's data: a call, 1,000 solver organisations with complete drafts, and checks.

Run by bench/deadline_surge.py in a subprocess (``python -m bench.surge_data prepare|arm|verify``, with
``DJANGO_SETTINGS_MODULE`` and ``DATABASE_URL`` set); the functions are importable for tests. Each run
makes its own lab, call and people, numbered (``surge-lab-001``, ``solver-00001.1@surge.example``…):
the audit log is append-only and keeps its actors, so earlier runs are not deleted; ``prepare`` only
revokes their API tokens. ``arm`` and ``verify`` work on the newest run.

- ``prepare``: a lab with a staff member, a public entity and a challenge ready for a call; a call made
  and published through the services (weighted criteria, a five-question form with a repeatable team
  group); then, in bulk, N solver organisations, each with one person, an API token (DRF authtoken, ADR
  0007) and a complete draft application (answers ~1.5 KB, declarations ticked), so a submit succeeds.
- ``arm``: set the call's deadline to ``seconds`` from now (the surge happens in the last minute).
- ``verify``: what the database holds afterwards: revisions per application, duplicates, revisions
  received at or after the deadline, and whether every receipt verifies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
from decimal import Decimal

PREFIX = "surge-"
EMAIL_DOMAIN = "surge.example"
CALL_SLUG = "surge-call"
BATCH = 1000

QUESTIONS = [
    ("solution_name", "short_text", {"en": "Name of the solution"}, {"max_length": 200}),
    ("summary", "long_text", {"en": "Describe your solution"}, {"max_length": 3000}),
    ("price", "money", {"en": "Price of the pilot"}, {"currency": "EUR", "min": "0"}),
    ("accessible", "yes_no", {"en": "Does it meet WCAG 2.1 AA?"}, None),
    (
        "team",
        "group",
        {"en": "Team members"},
        {
            "min_rows": 1,
            "max_rows": 8,
            "fields": [
                {"key": "name", "kind": "short_text", "label": {"en": "Name"}, "required": True},
                {"key": "role", "kind": "short_text", "label": {"en": "Role"}, "required": True},
            ],
        },
    ),
]
SCALE = [
    {"value": v, "label": {"en": label}} for v, label in enumerate(["Poor", "Fair", "Good", "Excellent"])
]


def _answers(number: int) -> dict:
    return {
        "solution_name": f"Surge solution {number}",
        "summary": (
            f"Solution {number} tells people and bots apart without a puzzle: it scores how the form is "
            "filled in, asks an accessible question only when in doubt, and keeps every personal datum "
            "on the State's servers. " * 5
        ).strip()[:2900],
        "price": str(20000 + number),
        "accessible": True,
        "team": [{"name": f"Person {number}", "role": "Lead"}, {"name": f"Person {number}b", "role": "Dev"}],
    }


def lab_slug(run: int) -> str:
    return f"{PREFIX}lab-{run:03d}"


def latest_call():
    from govlab.calls.models import Call

    return Call.objects.filter(lab__slug__startswith=f"{PREFIX}lab-", slug=CALL_SLUG).order_by("-pk").first()


def _call(now, run: int):
    from django.contrib.auth.hashers import make_password

    from govlab.accounts.models import User
    from govlab.calls import services
    from govlab.challenges.models import Challenge
    from govlab.labs.models import Lab, LabMembership
    from govlab.organisations.models import Organisation

    lab = Lab.objects.create(
        slug=lab_slug(run),
        name={"en": f"Surge lab {run}"},
        languages=["en"],
        country="LU",
        currency="EUR",
        time_zone="Europe/Luxembourg",
    )
    staff = User.objects.create(
        email=f"staff.{run}@{EMAIL_DOMAIN}", full_name="Surge staff", password=make_password(None)
    )
    LabMembership.objects.create(lab=lab, user=staff, role="staff")
    entity = Organisation.objects.create(
        slug=f"{PREFIX}{run:03d}-entity",
        name=f"Surge entity {run}",
        kind="public_entity",
        helix_sector="government",
        country="LU",
    )
    challenge = Challenge.objects.create(
        lab=lab,
        owner=entity,
        created_by=staff,
        reference=f"SURGE-{run:03d}",
        title={"en": "Tell humans and bots apart"},
        problem_statement={"en": "Our challenge is that bots fill in our forms."},
        country="LU",
        status="ready_for_call",
        is_public=True,
    )
    call = services.call_create(
        lab=lab,
        created_by=staff,
        challenges=[challenge],
        criteria=[
            {"name": {"en": name}, "weight": weight, "scale": SCALE}
            for name, weight in (("Fit", "50"), ("Innovation", "30"), ("Team", "20"))
        ],
        slug=CALL_SLUG,
        title={"en": "Surge call"},
        summary={"en": "A call whose applicants all submit in its last minute."},
        publishes_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(hours=1),
        strengthening_budget=Decimal("50000"),
    )
    for key, kind, label, config in QUESTIONS:
        services.question_save(
            call=call, updated_by=staff, key=key, kind=kind, label=label, required=True, config=config
        )
    call.refresh_from_db()
    return services.call_publish(call=call, published_by=staff), challenge


def prepare(organisations: int = 1000) -> dict:
    """The call and ``organisations`` solvers with tokens and complete drafts; returns what clients need."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from govlab.accounts.models import User
    from govlab.calls.models import Application
    from govlab.calls.services import DECLARATIONS
    from govlab.labs.models import Lab
    from govlab.organisations.models import Organisation, OrganisationMembership

    now = timezone.now()
    with transaction.atomic():
        run = Lab.objects.filter(slug__startswith=f"{PREFIX}lab-").count() + 1
        Token.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").delete()  # earlier runs' clients
        call, challenge = _call(now, run)
        org = f"{PREFIX}{run:03d}-org-"
        numbers = range(1, organisations + 1)
        Organisation.objects.bulk_create(
            [
                Organisation(
                    slug=f"{org}{n:05d}",
                    name=f"Surge solver {n}",
                    kind="startup",
                    helix_sector="business",
                    country="LU",
                    founded_year=2020,
                    trl=6,
                )
                for n in numbers
            ],
            batch_size=BATCH,
        )
        orgs = dict(Organisation.objects.filter(slug__startswith=org).values_list("slug", "pk"))
        unusable = make_password(None)  # tokens only: nobody signs in with a password
        User.objects.bulk_create(
            [
                User(email=f"solver-{n:05d}.{run}@{EMAIL_DOMAIN}", full_name=f"Solver {n}", password=unusable)
                for n in numbers
            ],
            batch_size=BATCH,
        )
        users = dict(
            User.objects.filter(
                email__startswith="solver-", email__endswith=f".{run}@{EMAIL_DOMAIN}"
            ).values_list("email", "pk")
        )
        OrganisationMembership.objects.bulk_create(
            [
                OrganisationMembership(
                    organisation_id=orgs[f"{org}{n:05d}"],
                    user_id=users[f"solver-{n:05d}.{run}@{EMAIL_DOMAIN}"],
                    role="admin",
                )
                for n in numbers
            ],
            batch_size=BATCH,
        )
        tokens = {n: secrets.token_hex(20) for n in numbers}
        Token.objects.bulk_create(
            [Token(key=tokens[n], user_id=users[f"solver-{n:05d}.{run}@{EMAIL_DOMAIN}"]) for n in numbers],
            batch_size=BATCH,
        )
        Application.objects.bulk_create(
            [
                Application(
                    call=call,
                    challenge=challenge,
                    organisation_id=orgs[f"{org}{n:05d}"],
                    reference=f"SURGE-{run:03d}-{n:05d}",
                    answers=_answers(n),
                    declarations=dict.fromkeys(DECLARATIONS, True),
                    form_version=call.form_version,
                    created_by_id=users[f"solver-{n:05d}.{run}@{EMAIL_DOMAIN}"],
                )
                for n in numbers
            ],
            batch_size=BATCH,
        )
    ids = dict(Application.objects.filter(call=call).values_list("reference", "pk"))
    return {
        "run": run,
        "call": call.pk,
        "clients": [{"application": ids[f"SURGE-{run:03d}-{n:05d}"], "token": tokens[n]} for n in numbers],
    }


def arm(seconds: float) -> str:
    """Move the call's deadline to ``seconds`` from now; returns it (ISO, UTC)."""
    from django.utils import timezone

    from govlab.calls.models import Call

    deadline = timezone.now() + dt.timedelta(seconds=seconds)
    Call.objects.filter(pk=latest_call().pk).update(deadline=deadline)
    return deadline.isoformat()


def verify() -> dict:
    """What the database holds for the surge call: the figures the benchmark must get right."""
    from django.db.models import Count

    from govlab.calls import receipts
    from govlab.calls.models import Application, ApplicationRevision

    call = latest_call()
    revisions = ApplicationRevision.objects.filter(application__call=call)
    per_application = (
        revisions.values("application_id").annotate(n=Count("pk")).values_list("n", flat=True).order_by()
    )
    failed = [r.receipt_code for r in revisions.select_related("application") if not _verifies(receipts, r)]
    return {
        "applications": Application.objects.filter(call=call).count(),
        "submitted": Application.objects.filter(call=call, status="submitted").count(),
        "revisions": revisions.count(),
        "applications_with_more_than_one_revision": sum(1 for n in per_application if n > 1),
        "received_at_or_after_deadline": revisions.filter(received_at__gte=call.deadline).count(),
        "receipts_failing_verification": len(failed),
        "deadline": call.deadline.isoformat(),
    }


def _verifies(receipts, revision) -> bool:
    return receipts.verify(revision.receipt_code, revision.content_hash) is not None


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_parser = commands.add_parser("prepare")
    prepare_parser.add_argument("--organisations", type=int, default=1000)
    prepare_parser.add_argument("--output", required=True, help="JSON file for the clients' ids and tokens.")
    arm_parser = commands.add_parser("arm")
    arm_parser.add_argument("--seconds", type=float, required=True)
    commands.add_parser("verify")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.command == "prepare":
        data = prepare(args.organisations)
        with open(args.output, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        print(json.dumps({"run": data["run"], "call": data["call"], "clients": len(data["clients"])}))
    elif args.command == "arm":
        print(json.dumps({"deadline": arm(args.seconds)}))
    else:
        print(json.dumps(verify()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
