"""People's own pages: sign-in (with the failed sign-in limit), profile, export, deactivation, erasure."""

from __future__ import annotations

import json

from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from . import services, throttle
from .forms import DeactivateConfirmForm, EraseConfirmForm, ProfileForm


def lockout_message(lock: throttle.Lock) -> str:
    minutes = lock.minutes_left
    return ngettext(
        "Too many failed sign-in attempts. Signing in is paused for %(minutes)d minute. "
        "Try again later, or reset your password.",
        "Too many failed sign-in attempts. Signing in is paused for %(minutes)d minutes. "
        "Try again later, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


class LoginView(AllauthLoginView):
    """allauth's sign-in, refusing with 429 while the e-mail address or the client IP is locked."""

    def post(self, request, *args, **kwargs):
        # What was typed, read through the form's widgets but not validated (that would authenticate).
        typed = self.get_form_class()(data=request.POST, request=request)
        self.typed = {name: typed[name].value() for name in ("login", "remember") if name in typed.fields}
        email = str(self.typed.get("login") or "")
        ip = throttle.client_ip(request)
        lock = throttle.login_is_locked(email=email, ip=ip)
        if lock is None:
            response = super().post(request, *args, **kwargs)
            if request.user.is_authenticated or response.status_code != 200:
                return response
            # The attempt failed: answer 429 at once if it was the one that reached the limit.
            lock = throttle.login_is_locked(email=email, ip=ip)
            if lock is None:
                return response
        return self.locked_response(lock)

    def locked_response(self, lock: throttle.Lock):
        initial = {name: value for name, value in self.typed.items() if value}
        # An unbound form: it shows what was typed (never the password) and is not validated again.
        form = self.get_form_class()(initial=initial, request=self.request)
        context = self.get_context_data(form=form, lockout_message=lockout_message(lock))
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(lock.seconds_left)
        return response


login = LoginView.as_view()


def _with_language(url: str, language: str) -> str:
    return translate_url(url, language)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    initial = {
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
    }
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_update_profile(user=user, updated_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            language = user.preferred_language
            with translation.override(language):
                messages.success(request, _("Your profile has been saved."))
                url = reverse("accounts:profile")
            response = redirect(url)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    from allauth.mfa.models import Authenticator

    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return render(request, "accounts/profile.html", {"form": form, "has_totp": has_totp})


@login_required
@require_GET
def export(request):
    """Download everything govlab holds about the signed-in person, as a JSON file."""
    data = services.user_export_data(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"govlab-personal-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def deactivate(request):
    form = DeactivateConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.user_deactivate(
            user=request.user, deactivated_by=request.user, reason="Asked by the person."
        )
        logout(request)
        messages.success(request, _("Your account has been deactivated and you have been signed out."))
        return redirect("home")
    return render(request, "accounts/deactivate.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    form = EraseConfirmForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_erase(user=request.user, erased_by=request.user, reason="Asked by the person.")
        logout(request)
        messages.success(request, _("Your personal data has been erased and you have been signed out."))
        return redirect("home")
    return render(request, "accounts/erase.html", {"form": form})
