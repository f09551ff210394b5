"""/api/v1/notifications/: a person's own notifications; anybody else's are 404."""

import pytest

from govlab.notifications.models import Notification
from tests.factories import UserFactory

from .conftest import ROLES, error

pytestmark = pytest.mark.django_db


def note(recipient, subject="Hello", **fields) -> Notification:
    return Notification.objects.create(recipient=recipient, kind="test", subject=subject, **fields)


SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 401}


@pytest.mark.parametrize("role", ROLES)
def test_notification_list_role_matrix(as_role, role):
    api, user = as_role(role)
    note(UserFactory(), "Not yours")
    mine = note(user, "Yours") if user else None

    response = api.get("/api/v1/notifications/")

    assert response.status_code == SIGNED_IN[role]
    if user is not None:
        assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_notification_list_unread_filter(login, user, lab):
    read = note(user, "Read")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-01-01T00:00:00Z")
    unread = note(user, "Unread", lab=lab)

    response = login(user).get("/api/v1/notifications/?unread=true")

    assert [row["id"] for row in response.json()["results"]] == [unread.pk]
    assert response.json()["results"][0]["lab"] == lab.slug
    assert response.json()["results"][0]["is_read"] is False


@pytest.mark.parametrize("rows", [1, 3])
def test_notification_list_query_count_does_not_grow(login, user, lab, django_assert_num_queries, rows):
    for n in range(rows):
        note(user, f"Note {n}", lab=lab)
    api = login(user)

    with django_assert_num_queries(4):  # session, user, count, page (with labs)
        response = api.get("/api/v1/notifications/")

    assert response.json()["count"] == rows


@pytest.mark.parametrize("role", ROLES)
def test_notification_mark_read_role_matrix(as_role, role):
    api, user = as_role(role)
    theirs = note(UserFactory(), "Not yours")

    response = api.post(f"/api/v1/notifications/{theirs.pk}/read/")

    assert response.status_code == (401 if user is None else 404)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_own_notification_read(login, user):
    mine = note(user)

    response = login(user).post(f"/api/v1/notifications/{mine.pk}/read/")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_someone_elses_notification_is_404_like_a_missing_one(login, user):
    theirs = note(UserFactory())
    api = login(user)

    assert error(api.get(f"/api/v1/notifications/{theirs.pk}/"))["code"] == "not_found"
    assert api.get("/api/v1/notifications/999999/").status_code == 404


def test_mark_all_read_touches_only_the_persons_own(login, user):
    note(user, "One")
    note(user, "Two")
    theirs = note(UserFactory())

    response = login(user).post("/api/v1/notifications/read-all/")

    assert response.json() == {"marked": 2}
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
