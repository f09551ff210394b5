"""Every account page a person meets: the site's layout, exactly one <h1>, labelled fields, no inline style.

The browser test in test_browser.py runs axe on the main ones as well.
"""

import time

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import UserFactory

from .conftest import PASSWORD, TOTP_SECRET
from .html import structure


def assert_house_page(response):
    assert response.status_code in (200, 429), response.status_code
    page = structure(response)
    assert page.h1_count == 1
    assert page.inline_styles == 0
    assert page.inline_scripts == 0
    assert {"main", "header", "footer", "nav"} <= page.landmarks
    assert page.unlabelled_controls() == []
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert 'class="site-header"' in response.content.decode()


@pytest.fixture
def person(db, verified_email):
    user = UserFactory(email="ada@example.org")
    verified_email(user)
    return user


def password_login(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def reauthenticated(client):
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "account_inactive",
        "account_reset_password_from_key_done",
    ],
)
def test_anonymous_account_pages(client, name):
    assert_house_page(client.get(reverse(name)))


@pytest.mark.django_db
def test_login_page_with_errors(client, person):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    assert_house_page(response)
    assert '<a href="#id_login">' in response.content.decode()


@pytest.mark.django_db
def test_login_page_locked(client, person):
    for _n in range(5):
        response = client.post(reverse("account_login"), {"login": person.email, "password": "nope"})

    assert response.status_code == 429
    assert_house_page(response)


@pytest.mark.django_db
def test_signup_page_with_errors(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-email"})

    assert_house_page(response)
    html = response.content.decode()
    for field in ("email", "full_name", "password1"):
        assert f'<a href="#id_{field}">' in html


@pytest.mark.django_db
def test_password_reset_pages(client, person):
    assert_house_page(client.post(reverse("account_reset_password"), {"email": "bad"}))
    key = default_token_generator.make_token(person)
    url = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(person), "key": key}
    )

    page = client.get(url, follow=True)
    assert_house_page(page)
    assert 'name="password1"' in page.content.decode()

    bad = client.get(
        reverse(
            "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(person), "key": "x-y"}
        )
    )
    assert_house_page(bad)
    assert "Link not valid" in bad.content.decode()


@pytest.mark.django_db
def test_email_confirm_pages(client, db):
    user = UserFactory(email="new@example.org")
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key

    assert_house_page(client.get(reverse("account_confirm_email", args=[key])))
    assert_house_page(client.get(reverse("account_confirm_email", args=["not-a-key"])))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "account_logout",
        "account_change_password",
        "account_email",
        "mfa_index",
        "accounts:profile",
        "accounts:deactivate",
        "accounts:erase",
    ],
)
def test_signed_in_account_pages(client, person, name):
    password_login(client, person)

    assert_house_page(client.get(reverse(name)))


@pytest.mark.django_db
def test_account_nav_marks_the_current_page(client, person):
    password_login(client, person)

    html = client.get(reverse("account_email")).content.decode()

    assert f'<a href="{reverse("account_email")}" aria-current="page">' in html


@pytest.mark.django_db
def test_password_change_page_with_errors(client, person):
    password_login(client, person)

    response = client.post(reverse("account_change_password"), {"oldpassword": "wrong"})

    assert_house_page(response)
    assert '<a href="#id_oldpassword">' in response.content.decode()


@pytest.mark.django_db
def test_reauthenticate_page(client, person):
    password_login(client, person)

    assert_house_page(client.get(reverse("account_reauthenticate")))


@pytest.mark.django_db
def test_mfa_pages(client, person):
    password_login(client, person)
    reauthenticated(client)
    activate = client.get(reverse("mfa_activate_totp"))
    assert_house_page(activate)
    assert_house_page(client.post(reverse("mfa_activate_totp"), {"code": "1"}))
    secret = client.session["mfa.totp.secret"]
    client.post(
        reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))}
    )

    for name in (
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
    ):
        assert_house_page(client.get(reverse(name)))


@pytest.mark.django_db
def test_mfa_authenticate_page(client, person, totp_for):
    totp_for(person)
    password_login(client, person)

    assert_house_page(client.get(reverse("mfa_authenticate")))
    assert_house_page(client.post(reverse("mfa_authenticate"), {"code": "abc"}))
    assert TOTP_SECRET
