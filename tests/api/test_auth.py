"""Personal API tokens: signing in for one (with the staff's second factor and the sign-in limit),
using it, and revoking it; the session's CSRF check."""

import datetime

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from govlab.audit.models import AuditEntry
from tests.factories import LabMembershipFactory, UserFactory

from .conftest import PASSWORD, audit_count, error, totp_code

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def ask(client, email, password=PASSWORD, **extra):
    return client.post(URL, {"email": email, "password": password, **extra}, content_type="application/json")


def with_token(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}", enforce_csrf_checks=True)


def test_person_gets_a_token_and_uses_it(client, verified):
    person = verified(UserFactory())

    response = ask(client, person.email.upper())

    assert response.status_code == 201
    key = response.json()["token"]
    assert Token.objects.get(user=person).key == key
    entry = AuditEntry.objects.get(action="account.api_token.create")
    assert (entry.actor, entry.changes) == (person, {"replaced": False, "two_factor": False})
    me = with_token(key).get("/api/v1/me/")
    assert (me.status_code, me.json()["email"]) == (200, person.email)


def test_a_new_token_replaces_the_old_one(client, verified):
    person = verified(UserFactory())
    first = ask(client, person.email).json()["token"]

    second = ask(client, person.email).json()["token"]

    assert first != second
    assert list(Token.objects.filter(user=person).values_list("key", flat=True)) == [second]
    assert with_token(first).get("/api/v1/me/").status_code == 401


def test_wrong_password_is_refused_in_the_error_shape(client, verified):
    person = verified(UserFactory())

    response = ask(client, person.email, password="wrong-password-here")

    assert response.status_code == 400
    assert error(response)["fields"] == {
        "non_field_errors": ["The e-mail address and/or password you gave are not correct."]
    }
    assert not Token.objects.exists()


def test_unverified_email_gets_no_token(client):
    person = UserFactory()

    response = ask(client, person.email)

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["email"]
    assert not Token.objects.exists()


def test_inactive_person_gets_no_token(client, verified):
    person = verified(UserFactory(is_active=False))

    assert ask(client, person.email).status_code == 400
    assert not Token.objects.exists()


def test_lockout_answers_429_even_with_the_right_password(client, verified):
    person = verified(UserFactory())
    statuses = [ask(client, person.email, password=f"wrong-{n}-password").status_code for n in range(5)]

    response = ask(client, person.email)

    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert error(response)["code"] == "locked"
    assert int(response["Retry-After"]) > 0
    assert not Token.objects.exists()
    assert AuditEntry.objects.filter(action="account.locked").count() == 1


def test_the_api_and_the_sign_in_page_share_one_limit(client, verified):
    person = verified(UserFactory())
    for n in range(5):
        ask(client, person.email, password=f"wrong-{n}-password")

    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})

    assert response.status_code == 429


# --- Lab staff: the second factor ------------------------------------------------------------------------


@pytest.fixture
def staff_with_totp(lab, verified, totp_for):
    person = verified(LabMembershipFactory(lab=lab, role="staff").user)
    totp_for(person)
    return person


def test_staff_must_give_their_code(client, staff_with_totp):
    response = ask(client, staff_with_totp.email)

    assert response.status_code == 400
    assert error(response)["fields"] == {"code": ["Give the current code from your authenticator app."]}
    assert not Token.objects.exists()


def test_staff_with_a_wrong_code_are_refused(client, staff_with_totp):
    wrong = "000000" if totp_code() != "000000" else "111111"

    response = ask(client, staff_with_totp.email, code=wrong)

    assert response.status_code == 400
    assert error(response)["fields"] == {"code": ["This code is not correct."]}
    assert not Token.objects.exists()


def test_wrong_codes_count_towards_the_lockout(client, staff_with_totp):
    wrong = "000000" if totp_code() != "000000" else "111111"
    statuses = [ask(client, staff_with_totp.email, code=wrong).status_code for _ in range(5)]

    response = ask(client, staff_with_totp.email, code=totp_code())

    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert not Token.objects.exists()


def test_staff_with_the_right_code_get_a_token_that_works(client, lab, staff_with_totp):
    response = ask(client, staff_with_totp.email, code=totp_code())

    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="account.api_token.create")
    assert entry.changes == {"replaced": False, "two_factor": True}
    members = with_token(response.json()["token"]).get(f"/api/v1/labs/{lab.slug}/members/")
    assert members.status_code == 200


def test_a_code_is_good_for_one_token_only(client, staff_with_totp):
    code = totp_code()
    assert ask(client, staff_with_totp.email, code=code).status_code == 201

    response = ask(client, staff_with_totp.email, code=code)

    assert response.status_code == 400
    assert Token.objects.filter(user=staff_with_totp).count() == 1


def test_staff_without_totp_get_no_token(client, lab, verified):
    person = verified(LabMembershipFactory(lab=lab, role="manager").user)

    response = ask(client, person.email, code="123456")

    assert response.status_code == 403
    assert error(response)["code"] == "mfa_required"
    assert not Token.objects.exists()


def test_superusers_get_no_token(client, verified, totp_for):
    person = verified(UserFactory(is_superuser=True, is_staff=True))
    totp_for(person)

    response = ask(client, person.email, code=totp_code())

    assert response.status_code == 403
    assert error(response)["code"] == "token_not_allowed"
    assert not Token.objects.exists()


def test_token_made_before_joining_a_labs_team_stops_working(lab, verified, totp_for):
    person = verified(UserFactory())
    totp_for(person)
    token = Token.objects.create(user=person)
    Token.objects.filter(pk=token.pk).update(created=token.created - datetime.timedelta(minutes=5))
    LabMembershipFactory(lab=lab, user=person, role="staff")

    response = with_token(token.key).get(f"/api/v1/labs/{lab.slug}/members/")

    assert response.status_code == 403
    assert error(response)["code"] == "mfa_required"


def test_staff_token_stops_working_when_their_totp_is_removed(client, lab, staff_with_totp):
    key = ask(client, staff_with_totp.email, code=totp_code()).json()["token"]
    staff_with_totp.authenticator_set.all().delete()

    response = with_token(key).get("/api/v1/me/")

    assert response.status_code == 403
    assert error(response)["code"] == "mfa_required"


def test_staff_session_without_totp_is_refused_by_the_api(client, staff):
    client.force_login(staff)

    response = client.get("/api/v1/me/")

    assert response.status_code == 403
    assert error(response)["code"] == "mfa_required"


# --- Revoking ---------------------------------------------------------------------------------------------


def test_revoke_with_the_token_itself(verified):
    person = verified(UserFactory())
    token = Token.objects.create(user=person)
    before = audit_count()

    response = with_token(token.key).delete(URL)

    assert response.status_code == 204
    assert not Token.objects.exists()
    assert audit_count() == before + 1
    assert AuditEntry.objects.filter(action="account.api_token.revoke", actor=person).count() == 1
    assert with_token(token.key).get("/api/v1/me/").status_code == 401


def test_revoke_needs_signing_in(client, user):
    Token.objects.create(user=user)

    response = client.delete(URL)

    assert response.status_code == 401
    assert Token.objects.count() == 1


def test_revoke_with_a_session_needs_the_csrf_token(user):
    Token.objects.create(user=user)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.delete(URL)

    assert response.status_code == 403
    assert error(response)["code"] == "permission_denied"
    assert "CSRF" in error(response)["message"]
    assert Token.objects.count() == 1


def test_a_bad_token_is_401(client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401
    assert error(response)["code"] == "authentication_failed"
