"""Two-factor authentication: staff must set it up; once set up, signing in asks for the code."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import LabMembershipFactory, UserFactory

from .conftest import PASSWORD, current_totp_code


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "staff"])
def test_lab_team_without_totp_is_sent_to_set_it_up(client, lab, role):
    user = LabMembershipFactory(lab=lab, role=role).user
    client.force_login(user)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_superuser_without_totp_is_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_lab_team_without_totp_gets_403_json_from_the_api(client, staff):
    client.force_login(staff)

    response = client.get("/api/v1/labs/")

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "mfa_required",
            "message": "Lab staff must set up two-factor authentication first.",
            "fields": {},
        }
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["plain_user", "organisation_member", "evaluator", "mentor"])
def test_people_outside_the_lab_team_are_not_asked_for_totp(client, role_user, role):
    client.force_login(role_user(role))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200


def reauthenticate_url(next_url: str) -> str:
    return f"{reverse('account_reauthenticate')}?next={next_url.replace('/', '%2F')}"


@pytest.mark.django_db
def test_lab_team_signing_in_is_led_to_set_up_totp(client, staff, verified_email):
    verified_email(staff)
    activate_url = reverse("mfa_activate_totp")

    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": PASSWORD}, follow=True
    )

    # allauth asks for the password again before a second factor is added.
    assert response.redirect_chain == [
        (reverse("dashboard"), 302),
        (activate_url, 302),
        (reauthenticate_url(activate_url), 302),
    ]
    html = response.content.decode()
    assert "Lab staff must set up two-factor authentication before going on." in html
    assert html.count("<h1>") == 1

    confirmed = client.post(reauthenticate_url(activate_url), {"password": PASSWORD}, follow=True)

    assert confirmed.redirect_chain == [(activate_url, 302)]
    html = confirmed.content.decode()
    assert '<img src="data:image/svg+xml;base64,' in html
    assert html.count("<h1>") == 1


@pytest.mark.django_db
def test_lab_team_with_totp_passes_the_middleware(client, staff, totp_for):
    totp_for(staff)
    client.force_login(staff)

    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_login_with_totp_requires_the_code(client, staff, totp_for, verified_email):
    verified_email(staff)
    totp_for(staff)

    first = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert first.status_code == 302
    assert first["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)

    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert page.content.decode().count("<h1>") == 1

    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if current_totp_code() != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert 'class="error-summary"' in wrong.content.decode()
    assert not is_signed_in(client)

    right = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert right.status_code == 302
    assert right["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_activating_totp_with_the_right_code_creates_the_authenticator(client, staff, verified_email):
    verified_email(staff)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    client.post(reauthenticate_url(reverse("mfa_activate_totp")), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "12345"})
    assert wrong.status_code == 200
    assert 'class="error-summary"' in wrong.content.decode()
    assert not Authenticator.objects.filter(user=staff).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count() == 1
    assert client.get(reverse("dashboard")).status_code == 200
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.content.decode().count("<h1>") == 1
