"""Fixtures for the accounts tests: signing in (with the staff MFA check satisfied) and TOTP."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

PASSWORD = "correct-horse-battery"  # the factories' password
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def verified_email():
    """Give a person a confirmed primary allauth e-mail address (so they may sign in)."""
    from allauth.account.models import EmailAddress

    def make(user):
        return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    return make


@pytest.fixture
def totp_for():
    """Set up TOTP for a person; returns a function giving the current code."""

    def activate(user) -> Authenticator:
        return TOTP.activate(user, TOTP_SECRET).instance

    return activate


def current_totp_code() -> str:
    from allauth.mfa import app_settings

    # A code typed in the last seconds of its window may reach the server in the next one (a loaded CI
    # machine is slow): wait for a fresh window rather than fail at random.
    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.1)
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))
