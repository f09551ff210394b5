"""Count failed sign-ins and forget them after a successful one (see throttle.py)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import throttle


@receiver(user_login_failed, dispatch_uid="govlab_accounts_login_failed")
def count_failed_login(sender, credentials, request=None, **kwargs):
    email = credentials.get("email") or credentials.get("username") or credentials.get("login")
    throttle.login_failures_register(email=email, ip=throttle.client_ip(request))


@receiver(user_logged_in, dispatch_uid="govlab_accounts_logged_in")
def reset_failed_logins(sender, request, user, **kwargs):
    throttle.login_failures_reset(email=user.email)
