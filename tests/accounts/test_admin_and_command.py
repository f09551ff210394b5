"""People in the admin (superusers only) and the erase_user command."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from tests.factories import UserFactory

CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_superuser=True, is_staff=True)


@pytest.fixture
def person(db):
    return UserFactory(email="ada@example.org", full_name="Ada Lovelace")


@pytest.mark.django_db
def test_admin_people_list_for_superuser(login, superuser, person):
    response = login(superuser).get(CHANGELIST)

    assert response.status_code == 200
    assert "ada@example.org" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "manager"])
def test_admin_people_hidden_from_lab_team(login, role_user, role, person):
    client = login(role_user(role))

    assert client.get(CHANGELIST).status_code == 403
    assert "/admin/accounts/" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "plain_user", "evaluator"])
def test_admin_people_closed_to_others(client, login, role_user, role):
    user = role_user(role)
    if user is not None:
        login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_export_action_downloads_json(login, superuser, person):
    response = login(superuser).post(
        CHANGELIST, {"action": "export_personal_data", "_selected_action": [person.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["profile"]["email"] == "ada@example.org"


@pytest.mark.django_db
def test_admin_erase_action_asks_then_erases(login, superuser, person):
    client = login(superuser)

    ask = client.post(CHANGELIST, {"action": "erase_personal_data", "_selected_action": [person.pk]})
    assert ask.status_code == 200
    assert "ada@example.org" in ask.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None

    done = client.post(
        CHANGELIST,
        {
            "action": "erase_personal_data",
            "_selected_action": [person.pk],
            "confirm": "on",
            "reason": "Request 12",
        },
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None
    entry = AuditEntry.objects.get(action="account.erase")
    assert (entry.actor, entry.reason) == (superuser, "Request 12")


@pytest.mark.django_db
def test_admin_deactivate_action(login, superuser, person):
    response = login(superuser).post(
        CHANGELIST, {"action": "deactivate_accounts", "_selected_action": [person.pk]}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active is False


@pytest.mark.django_db
def test_admin_cannot_delete_people(login, superuser, person):
    response = login(superuser).get(reverse("admin:accounts_user_delete", args=[person.pk]))

    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_erase_user_command_erases_and_audits(person, superuser):
    call_command(
        "erase_user", "ADA@example.org", "--yes", "--reason", "Letter of 3 May", "--by", superuser.email
    )

    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.full_name.startswith("Erased person ")
    entry = AuditEntry.objects.get(action="account.erase")
    assert (entry.actor, entry.reason) == (superuser, "Letter of 3 May")


@pytest.mark.django_db
def test_erase_user_command_without_by_is_recorded_as_the_system(person):
    call_command("erase_user", "ada@example.org", "--yes")

    assert AuditEntry.objects.get(action="account.erase").actor is None


@pytest.mark.django_db
def test_erase_user_command_unknown_email_changes_nothing(person):
    with pytest.raises(CommandError, match=r"Nobody signs in with nobody@example\.org\."):
        call_command("erase_user", "nobody@example.org", "--yes")

    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_erase_user_command_by_non_superuser_is_refused(person):
    other = UserFactory(email="eve@example.org")

    with pytest.raises(CommandError, match="is not an active superuser"):
        call_command("erase_user", "ada@example.org", "--yes", "--by", other.email)

    person.refresh_from_db()
    assert person.erased_at is None


@pytest.mark.django_db
def test_erase_user_command_asks_for_confirmation(person, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match=r"Nothing was erased\."):
        call_command("erase_user", "ada@example.org")

    person.refresh_from_db()
    assert person.erased_at is None
