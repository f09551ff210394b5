"""Per-request behaviour tied to the signed-in person."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

MFA_SESSION_KEY = "govlab_mfa_ok"


class UserPreferencesMiddleware:
    """Show times in the person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


def user_needs_mfa(user) -> bool:
    """Lab managers and staff, and superusers, must sign in with a second factor."""
    from govlab.labs.selectors import is_lab_team_anywhere

    return bool(user.is_authenticated and (user.is_superuser or is_lab_team_anywhere(user)))


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFARequiredMiddleware:
    """Send lab staff who have not set up TOTP to set it up before anything else."""

    ALLOWED_PREFIXES = (
        "/accounts/",
        "/static/",
        "/media/",
        "/healthz",
        "/i18n/",
        "/api/docs/",
        "/api/schema/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(MFA_SESSION_KEY):
            path = request.path_info
            stripped = "/" + path.lstrip("/").split("/", 1)[1] if self._has_language_prefix(path) else path
            if not stripped.startswith(self.ALLOWED_PREFIXES) and user_needs_mfa(user):
                if user_has_totp(user):
                    request.session[MFA_SESSION_KEY] = True
                elif path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "error": {
                                "code": "mfa_required",
                                "message": "Lab staff must set up two-factor authentication first.",
                                "fields": {},
                            }
                        },
                        status=403,
                    )
                else:
                    messages.warning(
                        request,
                        _("Lab staff must set up two-factor authentication before going on."),
                        fail_silently=True,
                    )
                    return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _has_language_prefix(path: str) -> bool:
        from django.conf import settings

        first = path.lstrip("/").split("/", 1)[0]
        return first in {code for code, _name in settings.LANGUAGES}
