"""Refuse every sign-in for a locked e-mail address or client IP, whatever the entry point.

The sign-in page answers 429 itself (govlab.accounts.views.LoginView); this backend, listed first in
AUTHENTICATION_BACKENDS, closes the other doors (the admin's login form, password confirmation) too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from . import throttle


class LoginLockBackend:
    def authenticate(self, request, **credentials):
        email = credentials.get("email") or credentials.get("username")
        if throttle.login_is_locked(email=email, ip=throttle.client_ip(request)):
            # authenticate() stops at PermissionDenied without asking the other backends.
            raise PermissionDenied
        return None

    # No get_user(): nobody is ever signed in through this backend (and Client.force_login skips it).
