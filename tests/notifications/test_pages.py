"""A person's notifications: only their own, unread marked, mark one or all read, with or without HTMX."""

import datetime as dt

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from govlab.notifications.context_processors import unread
from govlab.notifications.models import Notification
from tests.accounts.html import structure
from tests.factories import UserFactory

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")
ROLES = ["other_lab_staff", "organisation_member", "evaluator", "staff", "manager", "plain_user"]


def read_url(notification):
    return reverse("notifications:read", args=[notification.pk])


def make(recipient, subject="Your challenge was submitted", read=False, **fields):
    return Notification.objects.create(
        recipient=recipient,
        kind="test",
        subject=subject,
        read_at=timezone.now() if read else None,
        **fields,
    )


def read_states():
    return sorted(Notification.objects.values_list("pk", "read_at"))


@pytest.mark.django_db
def test_list_requires_signing_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_list_shows_only_the_persons_own_newest_first_with_unread_marked(login, user, lab):
    older = make(user, "Older and read", read=True)
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    newer = make(user, "Newer and unread", body="Line one\nLine two", url="/challenges/", lab=lab)
    make(UserFactory(), "Someone else's")

    response = login(user).get(LIST)

    assert response.status_code == 200
    page = structure(response)
    assert page.h1_count == 1
    assert page.inline_styles == 0
    assert page.unlabelled_controls() == []
    assert [n.pk for n in response.context["page"].object_list] == [newer.pk, older.pk]
    html = response.content.decode()
    assert "Someone else" not in html
    assert "You have 1 unread notification." in html
    unread_item = html[
        html.index(f'id="notification-{newer.pk}"') : html.index(f'id="notification-{older.pk}"')
    ]
    assert '<strong class="tag">Unread</strong>' in unread_item
    assert '<a href="/challenges/" dir="auto">Newer and unread</a>' in unread_item
    assert '<p class="notification-body" dir="auto">Line one<br>Line two</p>' in unread_item
    assert f'action="{read_url(newer)}"' in unread_item
    read_item = html[html.index(f'id="notification-{older.pk}"') :]
    assert "Unread</strong>" not in read_item.split("</li>")[0]
    assert 'action="' + read_url(older) not in html


@pytest.mark.django_db
def test_list_never_links_to_another_site(login, user):
    make(user, "Phishing", url="//evil.example/")
    make(user, "Script", url="javascript:alert(1)")

    html = login(user).get(LIST).content.decode()

    assert "evil.example" not in html
    assert "javascript:" not in html
    assert '<span dir="auto">Phishing</span>' in html


@pytest.mark.django_db
def test_list_can_show_only_unread_ones(login, user):
    make(user, "Read one", read=True)
    unread_one = make(user, "Unread one")

    response = login(user).get(LIST, {"show": "unread"})

    assert [n.pk for n in response.context["page"].object_list] == [unread_one.pk]


@pytest.mark.django_db
def test_list_is_paginated_by_25(login, user):
    for number in range(26):
        make(user, f"Notification {number}")

    client = login(user)
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 1
    assert 'href="?page=2" rel="next"' in first.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_does_not_grow_with_rows(login, user, lab, django_assert_num_queries, rows):
    for number in range(rows):
        make(user, f"Notification {number}", lab=lab)
    client = login(user)

    # session, user, count, page (with its lab), unread count.
    with django_assert_num_queries(5):
        response = client.get(LIST)

    assert len(response.context["page"].object_list) == rows


# --- Marking read.


@pytest.mark.django_db
def test_mark_one_read_redirects_back(login, user):
    notification = make(user)

    response = login(user).post(read_url(notification), {"next": f"{LIST}?page=1"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_mark_one_read_never_redirects_off_site(login, user, target):
    notification = make(user)

    response = login(user).post(read_url(notification), {"next": target})

    assert response["Location"] == LIST


@pytest.mark.django_db
def test_mark_one_read_with_htmx_answers_the_item_and_the_new_count(login, user):
    notification = make(user)
    make(user, "Another")

    response = login(user).post(read_url(notification), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="notification-{notification.pk}"' in html
    assert "Unread</strong>" not in html
    assert 'id="unread-summary"' in html
    assert 'hx-swap-oob="true"' in html
    assert "You have 1 unread notification." in html


@pytest.mark.django_db
def test_mark_one_read_keeps_the_first_reading_time(login, user):
    notification = make(user, read=True)
    first = notification.read_at

    login(user).post(read_url(notification))

    notification.refresh_from_db()
    assert notification.read_at == first


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_marking_someone_elses_notification_is_404_and_changes_nothing(login, role_user, user, role):
    theirs = make(user)
    before = read_states()

    response = login(role_user(role)).post(read_url(theirs))

    assert response.status_code == 404
    assert read_states() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_sees_only_their_own_list(login, role_user, user, role):
    make(user, "Not yours")
    person = role_user(role)
    mine = make(person, "Yours")

    response = login(person).get(LIST)

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"].object_list] == [mine.pk]


@pytest.mark.django_db
def test_marking_requires_signing_in_and_post(client, login, user):
    notification = make(user)

    anonymous = client.post(read_url(notification))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert client.post(READ_ALL).status_code == 302
    assert login(user).get(read_url(notification)).status_code == 405
    assert login(user).get(READ_ALL).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_mark_all_read_marks_only_the_persons_own(login, user):
    mine = [make(user), make(user), make(user, read=True)]
    theirs = make(UserFactory())

    response = login(user).post(READ_ALL, follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "2 notifications marked as read." in response.content.decode()
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- The unread count in every template.


@pytest.mark.django_db
def test_unread_count_runs_no_query_unless_a_template_uses_it(user, django_assert_num_queries):
    make(user)
    make(user, read=True)
    request = RequestFactory().get("/")
    request.user = user

    with django_assert_num_queries(0):
        Template("{% if True %}nothing{% endif %}").render(RequestContext(request, {}, [unread]))
    with django_assert_num_queries(1):
        html = Template(
            "{{ unread_notifications_count }} {% if unread_notifications_count %}new{% endif %} "
            "{% load i18n %}{% blocktranslate count counter=unread_notifications_count %}{{ counter }} unread"
            "{% plural %}{{ counter }} unread{% endblocktranslate %}"
        ).render(RequestContext(request, {}, [unread]))
    assert html == "1 new 1 unread"


@pytest.mark.django_db
def test_unread_count_is_zero_for_anonymous_people_without_a_query(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        html = Template("{{ unread_notifications_count }}").render(RequestContext(request, {}, [unread]))
    assert html == "0"


def test_unread_count_needs_no_request_user():
    assert (
        Template("{{ unread_notifications_count }}").render(Context(unread(RequestFactory().get("/")))) == "0"
    )
