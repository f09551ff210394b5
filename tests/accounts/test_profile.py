"""The profile page, data export, deactivation and erasure from a person's own pages."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from tests.factories import UserFactory

ROLES = ["plain_user", "organisation_member", "other_lab_staff", "evaluator", "mentor", "staff", "manager"]
OWN_PAGES = ["accounts:profile", "accounts:export", "accounts:deactivate", "accounts:erase"]


@pytest.fixture
def person(db):
    return UserFactory(email="ada@example.org", full_name="Ada Lovelace", time_zone="UTC")


def profile_data(**overrides):
    return {"full_name": "Ada King", "preferred_language": "en", "time_zone": "Europe/London", **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize("page", OWN_PAGES)
def test_own_pages_send_anonymous_to_sign_in(client, page):
    url = reverse(page)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["accounts:profile", "accounts:deactivate", "accounts:erase"])
def test_own_pages_refuse_anonymous_posts_and_change_nothing(client, page, person):
    response = client.post(reverse(page), {"confirm_email": person.email, "confirm": "on", **profile_data()})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.is_active, person.erased_at) == ("Ada Lovelace", True, None)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", OWN_PAGES)
def test_own_pages_open_for_every_signed_in_role(login, role_user, role, page):
    user = role_user(role)
    client = login(user)

    response = client.get(reverse(page))

    assert response.status_code == 200
    if page == "accounts:export":
        assert response.json()["profile"]["email"] == user.email
    else:
        assert response.content.decode().count("<h1>") == 1


@pytest.mark.django_db
def test_profile_shows_links_to_account_pages(login, person):
    html = login(person).get(reverse("accounts:profile")).content.decode()

    for name in ("account_email", "account_change_password", "mfa_index"):
        assert f'href="{reverse(name)}"' in html
    for name in ("accounts:export", "accounts:deactivate", "accounts:erase"):
        assert f'href="{reverse(name)}"' in html
    assert 'value="Ada Lovelace"' in html
    assert '<option value="UTC" selected>' in html


@pytest.mark.django_db
def test_profile_update_saves_and_is_audited(login, person):
    response = login(person).post(reverse("accounts:profile"), profile_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    person.refresh_from_db()
    assert (person.full_name, person.preferred_language, person.time_zone) == (
        "Ada King",
        "en",
        "Europe/London",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id) == ("account.update", person.pk, str(person.pk))
    assert entry.changes == {"full_name": "changed", "time_zone": ["UTC", "Europe/London"]}


@pytest.mark.django_db
def test_profile_language_change_switches_the_interface(login, person):
    client = login(person)

    response = client.post(reverse("accounts:profile"), profile_data(preferred_language="es"))

    assert response.status_code == 302
    assert response["Location"] == "/es/accounts/profile/"
    assert response.cookies["django_language"].value == "es"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<html lang="es"' in page.content.decode()
    person.refresh_from_db()
    assert person.preferred_language == "es"


@pytest.mark.django_db
def test_profile_invalid_time_zone_shows_field_error_and_keeps_input(login, person):
    response = login(person).post(
        reverse("accounts:profile"), profile_data(full_name="Ada King", time_zone="Mars/Olympus_Mons")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_time_zone">Time zone: Select a valid choice.' in html
    assert 'id="id_time_zone_errors"' in html
    assert 'value="Ada King"' in html
    person.refresh_from_db()
    assert (person.full_name, person.time_zone) == ("Ada Lovelace", "UTC")
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_profile_empty_name_is_refused(login, person):
    response = login(person).post(reverse("accounts:profile"), profile_data(full_name="   "))

    assert response.status_code == 200
    assert '<a href="#id_full_name">' in response.content.decode()
    person.refresh_from_db()
    assert person.full_name == "Ada Lovelace"


@pytest.mark.django_db
def test_profile_time_zone_is_active_during_the_persons_requests(rf, person):
    from django.utils import timezone

    from govlab.accounts.middleware import UserPreferencesMiddleware

    person.time_zone = "America/Bogota"
    request = rf.get("/")
    request.user = person
    seen = []

    UserPreferencesMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))(request)

    assert seen == ["America/Bogota"]


@pytest.mark.django_db
def test_export_downloads_json_file(login, person):
    response = login(person).get(reverse("accounts:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="govlab-personal-data-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["profile"]["full_name"] == "Ada Lovelace"


@pytest.mark.django_db
def test_deactivate_needs_the_confirmation_box(login, person):
    response = login(person).post(reverse("accounts:deactivate"), {})

    assert response.status_code == 200
    assert '<a href="#id_confirm">' in response.content.decode()
    person.refresh_from_db()
    assert person.is_active is True


@pytest.mark.django_db
def test_deactivate_own_account_signs_out(login, person):
    client = login(person)

    response = client.post(reverse("accounts:deactivate"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert person.is_active is False
    assert AuditEntry.objects.get().action == "account.deactivate"


@pytest.mark.django_db
def test_erase_refuses_a_wrong_email_and_changes_nothing(login, person):
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client = login(person)

    response = client.post(reverse("accounts:erase"), {"confirm_email": "someone@example.org"})

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<a href="#id_confirm_email">Your e-mail address: This is not the e-mail address of your account.'
        in html
    )
    assert 'value="someone@example.org"' in html
    person.refresh_from_db()
    assert (person.email, person.erased_at) == ("ada@example.org", None)
    assert EmailAddress.objects.filter(user=person).count() == 1
    assert AuditEntry.objects.count() == 0
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_erase_own_account_after_typing_email_signs_out(login, person):
    client = login(person)

    response = client.post(reverse("accounts:erase"), {"confirm_email": " ADA@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.email.startswith("erased-")
    assert not User.objects.filter(email="ada@example.org").exists()
    assert mail.outbox == []
