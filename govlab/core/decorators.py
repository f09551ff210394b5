"""Sign-in required, without losing what was typed when the session has ended.

``login_required_keeping_input`` replaces ``django.contrib.auth.decorators.login_required`` on views that
handle a form. When a POST arrives from someone who is no longer signed in (their session timed out while
they typed), the submitted fields are kept in the new, anonymous session, bound to the page the form was
posted to, and the person is sent to sign in with ``next`` pointing back there. Django's ``login()`` keeps
an anonymous session's data when it cycles the session key (allauth's password and second-factor steps
never flush it), so after signing in the view's GET calls ``restore_kept_input(request)`` and binds its
form with what comes back.

Safety:
- CSRF is checked by ``CsrfViewMiddleware`` before the view runs, so a cross-site POST is refused (403)
  before anything is kept; views marked ``csrf_exempt`` never keep input.
- Only the session of the browser that posted holds the data; logging out flushes it. It is kept for one
  post at a time, at most ``KEEP_MAX_BYTES`` (URL-encoded) and for ``KEEP_SECONDS``, and popped by the
  first restore on the page it belongs to. GET requests keep nothing. Uploaded files are never kept.
- The data comes back as a ``QueryDict`` for a form to bind: Django's widgets escape it when rendering.
- ``next`` is the request's own path (a URL resolved to this view); an unsafe value is dropped.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

KEEP_SESSION_KEY = "govlab_kept_input"
KEEP_MAX_BYTES = 200 * 1024
KEEP_SECONDS = 60 * 60
_NOT_KEPT = ("csrfmiddlewaretoken",)


def _now() -> float:
    return time.time()


def _neutral_path(path: str) -> str:
    """The path without its language prefix: after sign-in, people continue in their own language."""
    codes = {code for code, _name in settings.LANGUAGES}
    first, _sep, rest = path.lstrip("/").partition("/")
    return "/" + rest if first in codes else path


def _safe_next(request, url: str) -> str | None:
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def keep_input(request, *, page: str | None = None) -> bool:
    """Keep this anonymous POST's fields in the session for the form posted to ``request.path``.

    ``page`` is where the person is sent back to (default: the same path). Returns whether anything was
    kept; an empty or too large post keeps nothing (and drops what an earlier post kept).
    """
    request.session.pop(KEEP_SESSION_KEY, None)
    if request.method != "POST":
        return False
    pairs = [(name, value) for name, value in request.POST.lists() if name not in _NOT_KEPT]
    if not pairs:
        return False
    encoded = urlencode(pairs, doseq=True)
    if len(encoded) > KEEP_MAX_BYTES:
        return False
    request.session[KEEP_SESSION_KEY] = {
        "posted_to": _neutral_path(request.path),
        "page": _neutral_path(page or request.path),
        "at": _now(),
        "data": encoded,
    }
    return True


def restore_kept_input(request, *, posted_to: str | None = None) -> QueryDict | None:
    """Pop what was typed before the session ended, if it was posted to ``posted_to`` (default: this page).

    Only for a signed-in person, on a GET, within ``KEEP_SECONDS``; the data leaves the session either way
    once it is found for this page (or found too old). Adds a message saying what happened.
    """
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    kept = request.session.get(KEEP_SESSION_KEY)
    if not isinstance(kept, dict):
        return None
    if _now() - float(kept.get("at", 0)) > KEEP_SECONDS:
        del request.session[KEEP_SESSION_KEY]
        return None
    if kept.get("posted_to") != _neutral_path(posted_to or request.path):
        return None
    del request.session[KEEP_SESSION_KEY]
    messages.info(request, _("We kept what you typed before your session ended; check it and save."))
    return QueryDict(kept.get("data", ""))


def _page_for(return_to, request, args, kwargs) -> str | None:
    if return_to is None:
        return None
    if callable(return_to):
        return return_to(request, *args, **kwargs)
    return reverse(return_to, args=args, kwargs=kwargs)


def login_required_keeping_input(
    function=None,
    *,
    redirect_field_name: str = REDIRECT_FIELD_NAME,
    login_url: str | None = None,
    return_to=None,
):
    """``login_required`` that keeps an anonymous POST's typed fields for after sign-in.

    ``return_to`` names the page that shows the form when the view itself only answers POST: a URL name
    (reversed with the view's arguments) or a callable ``(request, *args, **kwargs) -> path``. That page
    restores with ``restore_kept_input(request, posted_to=<the view's path>)``.
    """

    def decorator(view_func):
        keeps = not getattr(view_func, "csrf_exempt", False)

        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated:
                return view_func(request, *args, **kwargs)
            page = _page_for(return_to, request, args, kwargs)
            kept = False
            if request.method == "POST" and keeps:
                kept = keep_input(request, page=page)
                if kept and request.FILES:
                    messages.warning(
                        request,
                        _(
                            "Your session had ended. Sign in again: what you typed is kept, but attached "
                            "files are not, so choose them again."
                        ),
                    )
                elif kept:
                    messages.warning(
                        request, _("Your session had ended. Sign in again: what you typed is kept.")
                    )
                elif any(name not in _NOT_KEPT for name in request.POST):
                    messages.warning(
                        request,
                        _("Your session had ended. What you typed was too long to keep. Sign in again."),
                    )
            next_url = _safe_next(request, page or request.get_full_path())
            resolved_login = resolve_url(login_url or settings.LOGIN_URL)
            if request.headers.get("HX-Request") == "true":
                # HTMX would swap the sign-in page into the form: send the whole browser there instead.
                location = resolved_login
                if next_url:
                    location = f"{resolved_login}?{urlencode({redirect_field_name: next_url})}"
                response = HttpResponse(status=204)
                response["HX-Redirect"] = location
                return response
            if next_url is None:
                return redirect_to_login("", resolved_login, redirect_field_name=None)
            return redirect_to_login(next_url, resolved_login, redirect_field_name)

        return wrapper

    if function is not None:
        return decorator(function)
    return decorator
