"""The demo sign-ins, described for people trying the demo (``manage.py demo_accounts``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import quote

from . import data
from .loader import needs_totp


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    lab: str
    totp: bool
    exists: bool


def describe_role(person: dict) -> str:
    if person.get("superuser"):
        return "superuser"
    roles = [f"lab {role}" for _lab, role in person.get("labs", [])]
    for slug, role, _title in person.get("organisations", []):
        kind = "public entity" if slug == "invima" else "solver start-up"
        roles.append(f"{kind} {role} ({slug})")
    return ", ".join(roles)


def demo_accounts() -> list[DemoAccount]:
    from govlab.accounts.models import User

    existing = set(
        User.objects.filter(email__in=[person["email"] for person in data.USERS]).values_list(
            "email", flat=True
        )
    )
    accounts = []
    for person in data.USERS:
        labs = [lab for lab, _role in person.get("labs", [])]
        if person.get("organisations"):
            labs.append("milab")
        accounts.append(
            DemoAccount(
                email=person["email"],
                role=describe_role(person),
                lab=", ".join(dict.fromkeys(labs)) or "all",
                totp=needs_totp(person),
                exists=person["email"] in existing,
            )
        )
    return accounts


def current_totp_code(secret: str = data.DEMO_TOTP_SECRET, now: float | None = None) -> tuple[str, int]:
    """The code an authenticator app shows now for ``secret``, and for how many more seconds."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    now = time.time() if now is None else now
    period = app_settings.TOTP_PERIOD
    counter = int(now) // period
    return format_hotp_value(hotp_value(secret, counter)), period - int(now) % period


def otpauth_uri(email: str, secret: str = data.DEMO_TOTP_SECRET) -> str:
    from allauth.mfa import app_settings

    issuer = app_settings.TOTP_ISSUER or "govlab"
    return f"otpauth://totp/{quote(issuer)}:{quote(email)}?secret={secret}&issuer={quote(issuer)}"


def other_demo_people() -> list[tuple[str, str]]:
    """People other demo loaders made (e.g. each entity's contact): (e-mail, their roles), by e-mail."""
    from govlab.accounts.models import User

    contract = [person["email"] for person in data.USERS]
    people = (
        User.objects.filter(email__endswith=".example", is_active=True)
        .exclude(email__in=contract)
        .exclude(email__endswith="@load.example")
        .prefetch_related("lab_memberships__lab", "organisation_memberships__organisation")
        .order_by("email")
    )
    rows = []
    for user in people:
        roles = [f"lab {m.role} ({m.lab.slug})" for m in user.lab_memberships.all()]
        roles += [f"{m.role} of {m.organisation.slug}" for m in user.organisation_memberships.all()]
        rows.append((user.email, ", ".join(roles) or "no role"))
    return rows
