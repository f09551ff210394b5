"""Fixtures for the API tests: clients signed in by role, JSON helpers, TOTP."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from govlab.audit.models import AuditEntry

PASSWORD = "correct-horse-battery"  # the factories' password
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# The standard role matrix of the house (tests/conftest.py's ``role_user``).
ROLES = ["anonymous", "other_lab_staff", "organisation_member", "evaluator", "staff", "manager"]


def totp_code(offset: int = 0) -> str:
    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


@pytest.fixture
def totp_for():
    def activate(user):
        return TOTP.activate(user, TOTP_SECRET).instance

    return activate


@pytest.fixture
def verified():
    """Give a person a confirmed primary e-mail address (so they may sign in)."""

    def make(user):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def as_role(client, login, role_user):
    """as_role("staff") -> (client signed in as a new lab staff member, user); anonymous: (client, None)."""

    def make(role: str):
        user = role_user(role)
        return (client if user is None else login(user)), user

    return make


def audit_count() -> int:
    return AuditEntry.objects.count()


def error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]
