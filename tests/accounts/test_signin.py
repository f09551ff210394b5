"""Sign-up with e-mail verification, sign-in, the failed sign-in limit and deactivated accounts."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from govlab.accounts import throttle
from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from tests.factories import UserFactory

from .conftest import PASSWORD

LOGIN_URL = "/accounts/login/"
LOCKED_MESSAGE = (
    "Too many failed sign-in attempts. Signing in is paused for 15 minutes. "
    "Try again later, or reset your password."
)


def sign_in(client, email, password, **extra):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **extra)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def person(db, verified_email):
    user = UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    verified_email(user)
    return user


# --- Sign-up and verification


@pytest.mark.django_db
def test_signup_creates_person_with_unverified_email_and_sends_one_verification_mail(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Grace@Example.org",
            "full_name": "  Grace   Hopper ",
            "preferred_language": "es",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert (user.email, user.full_name, user.preferred_language) == (
        "grace@example.org",
        "Grace Hopper",
        "es",
    )
    assert user.is_active is True
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("grace@example.org", False, True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["grace@example.org"]
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_keeps_input_and_sends_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "grace@example.org",
            "full_name": "Grace Hopper",
            "preferred_language": "fr",
            "password1": "a-long-enough-passphrase",
            "password2": "another-long-passphrase",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'value="Grace Hopper"' in html
    assert 'value="grace@example.org"' in html
    assert '<option value="fr" selected>' in html
    assert User.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_login_works_only_after_email_verification(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "grace@example.org",
            "full_name": "Grace Hopper",
            "preferred_language": "en",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    link = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", mail.outbox[0].body).group(1)

    before = sign_in(client, "grace@example.org", "a-long-enough-passphrase")
    assert before.status_code == 302
    assert before["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)

    confirm = client.post(link)
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(email="grace@example.org").verified is True

    after = sign_in(client, "grace@example.org", "a-long-enough-passphrase")
    assert after.status_code == 302
    assert after["Location"] == reverse("dashboard")
    assert is_signed_in(client)
    assert int(client.session["_auth_user_id"]) == User.objects.get().pk


@pytest.mark.django_db
def test_login_with_wrong_password_shows_error_summary_and_keeps_email(client, person):
    response = sign_in(client, "ada@example.org", "wrong-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "The email address and/or password you specified are not correct." in html
    assert 'value="ada@example.org"' in html
    assert "wrong-password" not in html
    assert throttle.login_failures_count(email="ada@example.org") == 1


@pytest.mark.django_db
def test_login_redirects_to_preferred_language(client, person):
    person.preferred_language = "sv"
    person.save(update_fields=["preferred_language"])

    response = sign_in(client, "ada@example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/sv/dashboard/"


# --- Failed sign-in limit


@pytest.mark.django_db
def test_lockout_after_five_failures_refuses_even_the_right_password(client, person):
    statuses = [sign_in(client, "ada@example.org", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]

    response = sign_in(client, "ADA@example.org ", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert LOCKED_MESSAGE in html
    assert 'value="ADA@example.org "' in html
    assert PASSWORD not in html
    assert 'name="password"' in html
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_lockout_is_audited_once_against_the_person(client, person):
    for n in range(5):
        sign_in(client, "ada@example.org", f"wrong-{n}")
    sign_in(client, "ada@example.org", PASSWORD)

    entries = list(AuditEntry.objects.filter(action="account.locked"))
    assert len(entries) == 1
    assert entries[0].actor is None
    assert entries[0].target_id == str(person.pk)
    assert entries[0].changes == {"scope": "email", "failures": 5, "lockout_seconds": 900}


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client, person, monkeypatch):
    for n in range(5):
        sign_in(client, "ada@example.org", f"wrong-{n}")
    assert sign_in(client, "ada@example.org", PASSWORD).status_code == 429

    start = throttle._now()
    monkeypatch.setattr(throttle, "_now", lambda: start + 901)
    response = sign_in(client, "ada@example.org", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_lockout_ends_when_the_cache_forgets_it(client, person):
    for n in range(5):
        sign_in(client, "ada@example.org", f"wrong-{n}")
    throttle.login_lock_clear(email="ada@example.org")

    assert sign_in(client, "ada@example.org", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_counter_resets_on_success(client, person):
    for n in range(4):
        sign_in(client, "ada@example.org", f"wrong-{n}")
    assert throttle.login_failures_count(email="ada@example.org") == 4

    assert sign_in(client, "ada@example.org", PASSWORD).status_code == 302
    assert throttle.login_failures_count(email="ada@example.org") == 0
    client.post(reverse("account_logout"))

    statuses = [sign_in(client, "ada@example.org", f"again-{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 200]
    assert throttle.login_is_locked(email="ada@example.org", ip="127.0.0.1") is None


@pytest.mark.django_db
def test_lockout_applies_to_unknown_addresses_alike(client):
    statuses = [sign_in(client, "nobody@example.org", "guess").status_code for _n in range(6)]

    assert statuses == [200, 200, 200, 200, 429, 429]
    entry = AuditEntry.objects.get(action="account.locked")
    assert entry.target_id == ""


@pytest.mark.django_db
def test_lockout_per_ip_after_twenty_failures_on_any_addresses(client, person):
    statuses = [sign_in(client, f"guess{n}@example.org", "guess").status_code for n in range(20)]
    assert statuses == [200] * 19 + [429]

    response = sign_in(client, "ada@example.org", PASSWORD)
    assert response.status_code == 429
    assert not is_signed_in(client)
    # Another client address is not affected.
    other = sign_in(client, "ada@example.org", PASSWORD, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


@pytest.mark.django_db
def test_lockout_of_one_address_leaves_others_alone(client, person, verified_email):
    other = UserFactory(email="bob@example.org")
    verified_email(other)
    for n in range(5):
        sign_in(client, "ada@example.org", f"wrong-{n}")

    assert sign_in(client, "bob@example.org", PASSWORD).status_code == 302


# --- Deactivated accounts


@pytest.mark.django_db
def test_deactivated_person_cannot_sign_in_and_is_told_why(client, person):
    person.is_active = False
    person.save(update_fields=["is_active"])

    response = sign_in(client, "ada@example.org", PASSWORD, follow=True)

    assert response.redirect_chain == [(reverse("account_inactive"), 302)]
    assert "This account has been deactivated, so you cannot sign in with it." in response.content.decode()
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_erased_person_cannot_sign_in(client, person):
    from govlab.accounts.services import user_erase

    user_erase(user=person, erased_by=person)

    response = sign_in(client, "ada@example.org", PASSWORD)

    assert response.status_code == 200
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_lockout_also_closes_the_admin_login(client, person):
    person.is_superuser = person.is_staff = True
    person.save(update_fields=["is_superuser", "is_staff"])
    for n in range(5):
        sign_in(client, "ada@example.org", f"wrong-{n}")

    response = client.post("/admin/login/", {"username": "ada@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert not is_signed_in(client)
