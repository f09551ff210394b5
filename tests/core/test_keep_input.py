"""login_required_keeping_input and restore_kept_input: what a timed-out person typed survives sign-in."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.views.decorators.csrf import csrf_exempt

from govlab.core import decorators
from govlab.core.decorators import (
    KEEP_MAX_BYTES,
    KEEP_SECONDS,
    KEEP_SESSION_KEY,
    login_required_keeping_input,
    restore_kept_input,
)
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
KEPT = "Your session had ended. Sign in again: what you typed is kept."
RESTORED = "We kept what you typed before your session ended; check it and save."


@login_required_keeping_input
def form_view(request):
    return HttpResponse("saved")


def _request(method="post", path="/labs/x/form/", data=None, user=None, session=None, **extra):
    factory = RequestFactory()
    request = getattr(factory, method)(path, data or {}, **extra)
    request.user = user or AnonymousUser()
    request.session = session if session is not None else SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(decorators, "_now", lambda: now["t"])
    return now


@pytest.mark.django_db
def test_anonymous_post_is_kept_and_sent_to_sign_in(clock):
    request = _request(data={"csrfmiddlewaretoken": "x", "title": "<b>Mine</b>", "tags": ["a", "b"]})

    response = form_view(request)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/labs/x/form/"
    assert request.session[KEEP_SESSION_KEY] == {
        "posted_to": "/labs/x/form/",
        "page": "/labs/x/form/",
        "at": 1_800_000_000.0,
        "data": "title=%3Cb%3EMine%3C%2Fb%3E&tags=a&tags=b",
    }
    assert _messages(request) == [KEPT]


@pytest.mark.django_db
def test_signed_in_get_of_the_same_path_restores_once(clock, user):
    session = SessionStore()
    form_view(_request(data={"title": "Mine", "tags": ["a", "b"]}, session=session))
    clock["t"] += KEEP_SECONDS - 1

    request = _request("get", user=user, session=session)
    kept = restore_kept_input(request)

    assert kept.dict() == {"title": "Mine", "tags": "b"}
    assert kept.getlist("tags") == ["a", "b"]
    assert "csrfmiddlewaretoken" not in kept
    assert _messages(request) == [RESTORED]
    assert KEEP_SESSION_KEY not in session
    assert restore_kept_input(_request("get", user=user, session=session)) is None


@pytest.mark.django_db
def test_language_prefix_does_not_change_the_page(clock, user):
    session = SessionStore()
    form_view(_request(path="/es/labs/x/form/", data={"title": "Mío"}, session=session))

    kept = restore_kept_input(_request("get", path="/labs/x/form/", user=user, session=session))

    assert kept.dict() == {"title": "Mío"}


@pytest.mark.django_db
def test_other_path_does_not_restore_nor_clear(clock, user):
    session = SessionStore()
    form_view(_request(data={"title": "Mine"}, session=session))

    assert restore_kept_input(_request("get", path="/labs/x/other/", user=user, session=session)) is None
    assert session[KEEP_SESSION_KEY]["posted_to"] == "/labs/x/form/"


@pytest.mark.django_db
def test_expired_stash_is_dropped(clock, user):
    session = SessionStore()
    form_view(_request(data={"title": "Mine"}, session=session))
    clock["t"] += KEEP_SECONDS + 1

    request = _request("get", user=user, session=session)

    assert restore_kept_input(request) is None
    assert KEEP_SESSION_KEY not in session
    assert _messages(request) == []


@pytest.mark.django_db
def test_anonymous_get_restores_nothing(clock):
    session = SessionStore()
    form_view(_request(data={"title": "Mine"}, session=session))

    assert restore_kept_input(_request("get", session=session)) is None
    assert KEEP_SESSION_KEY in session


@pytest.mark.django_db
def test_signed_in_post_restores_nothing(clock, user):
    session = SessionStore()
    form_view(_request(data={"title": "Mine"}, session=session))

    assert restore_kept_input(_request("post", data={"title": "New"}, user=user, session=session)) is None


@pytest.mark.django_db
def test_get_keeps_nothing():
    request = _request("get", path="/labs/x/form/?title=Mine")

    response = form_view(request)

    assert response["Location"] == f"{LOGIN}?next=/labs/x/form/%3Ftitle%3DMine"
    assert KEEP_SESSION_KEY not in request.session
    assert _messages(request) == []


@pytest.mark.django_db
def test_too_large_post_is_not_kept_and_says_so():
    request = _request(data={"title": "x" * KEEP_MAX_BYTES})

    response = form_view(request)

    assert response.status_code == 302
    assert KEEP_SESSION_KEY not in request.session
    assert _messages(request) == [
        "Your session had ended. What you typed was too long to keep. Sign in again."
    ]


@pytest.mark.django_db
def test_at_the_size_limit_is_kept():
    request = _request(data={"t": "x" * (KEEP_MAX_BYTES - 2)})

    form_view(request)

    assert len(request.session[KEEP_SESSION_KEY]["data"]) == KEEP_MAX_BYTES


@pytest.mark.django_db
def test_files_are_not_kept_and_the_message_says_so(clock):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 data", content_type="application/pdf")
    request = _request(data={"title": "Mine", "attachment": upload})

    form_view(request)

    assert request.session[KEEP_SESSION_KEY]["data"] == "title=Mine"
    assert _messages(request) == [
        "Your session had ended. Sign in again: what you typed is kept, but attached files are not, "
        "so choose them again."
    ]


@pytest.mark.django_db
def test_a_new_post_replaces_the_earlier_stash(clock):
    session = SessionStore()
    form_view(_request(path="/labs/x/one/", data={"a": "1"}, session=session))
    form_view(_request(path="/labs/x/two/", data={"b": "2"}, session=session))

    assert session[KEEP_SESSION_KEY]["posted_to"] == "/labs/x/two/"
    assert session[KEEP_SESSION_KEY]["data"] == "b=2"


@pytest.mark.django_db
def test_empty_post_keeps_nothing_and_says_nothing():
    request = _request(data={"csrfmiddlewaretoken": "x"})

    form_view(request)

    assert KEEP_SESSION_KEY not in request.session
    assert _messages(request) == []


@pytest.mark.django_db
def test_signed_in_person_reaches_the_view(user):
    assert form_view(_request(data={"title": "Mine"}, user=user)).content == b"saved"


@pytest.mark.django_db
def test_csrf_exempt_views_keep_nothing():
    view = login_required_keeping_input(csrf_exempt(lambda request: HttpResponse("ok")))
    request = _request(data={"title": "Mine"})

    view(request)

    assert KEEP_SESSION_KEY not in request.session


@pytest.mark.django_db
def test_unsafe_next_is_dropped():
    request = _request(data={"title": "Mine"})
    request.path = request.path_info = "//evil.example/steal/"

    response = form_view(request)

    assert response["Location"] == LOGIN


@pytest.mark.django_db
def test_return_to_names_the_page_and_restore_asks_for_the_posted_path(clock, user):
    view = login_required_keeping_input(return_to=lambda request: "/labs/x/page/")(
        lambda request: HttpResponse("saved")
    )
    session = SessionStore()

    response = view(_request(path="/labs/x/page/budget/", data={"amount": "5"}, session=session))

    assert response["Location"] == f"{LOGIN}?next=/labs/x/page/"
    page = _request("get", path="/labs/x/page/", user=user, session=session)
    assert restore_kept_input(page) is None
    assert restore_kept_input(page, posted_to="/labs/x/page/budget/").dict() == {"amount": "5"}


@pytest.mark.django_db
def test_htmx_post_redirects_the_whole_page():
    request = _request(data={"title": "Mine"}, HTTP_HX_REQUEST="true")

    response = form_view(request)

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{LOGIN}?next=%2Flabs%2Fx%2Fform%2F"
    assert KEEP_SESSION_KEY in request.session


# --- Through the middleware stack: CSRF is checked before anything is kept, and after sign-in -----------


@pytest.fixture
def lab_page(lab, staff, totp_for_staff):
    from django.urls import reverse

    return reverse("challenges:lab_campaign_create", args=[lab.slug])


@pytest.fixture
def totp_for_staff(staff):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")


@pytest.mark.django_db
def test_cross_site_post_without_token_is_refused_and_not_kept(lab_page):
    client = Client(enforce_csrf_checks=True)

    response = client.post(lab_page, {"campaign-slug": "forged"})

    assert response.status_code == 403
    assert KEEP_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_post_with_token_is_kept(lab_page):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value

    response = client.post(lab_page, {"csrfmiddlewaretoken": token, "campaign-slug": "typed"})

    assert response.status_code == 302
    assert client.session[KEEP_SESSION_KEY]["data"] == "campaign-slug=typed"


@pytest.mark.django_db
def test_signed_in_post_still_needs_the_csrf_token(lab_page, staff):
    from govlab.accounts.middleware import MFA_SESSION_KEY
    from govlab.challenges.models import IntakeCampaign

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    session = client.session
    session[MFA_SESSION_KEY] = True
    session.save()

    response = client.post(lab_page, {"campaign-slug": "typed"})

    assert response.status_code == 403
    assert IntakeCampaign.objects.count() == 0


@pytest.mark.django_db
def test_logging_out_drops_what_was_kept(lab_page, staff, client):
    client.post(lab_page, {"campaign-slug": "typed"})
    assert KEEP_SESSION_KEY in client.session

    client.force_login(UserFactory())
    client.logout()

    assert KEEP_SESSION_KEY not in client.session
