"""The members page: who sees it, administrators add, change and remove; the last administrator stays."""

import pytest
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.notifications.models import Notification
from govlab.organisations.models import OrganisationMembership
from tests.factories import OrganisationMembershipFactory, UserFactory

from .conftest import ROLES
from .test_directory import assert_house_page


def members_url(organisation):
    return reverse("organisations:members", args=[organisation.slug])


def change_url(membership):
    return reverse("organisations:member_change", args=[membership.organisation.slug, membership.pk])


def remove_url(membership):
    return reverse("organisations:member_remove", args=[membership.organisation.slug, membership.pk])


def state():
    return (
        sorted(OrganisationMembership.objects.values_list("organisation_id", "user_id", "role", "job_title")),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


MANAGE_ONLY = {"anonymous": 302, "organisation_admin": 302}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        *[(role, {"anonymous": 302, "staff": 200, "manager": 200}.get(role, 403)) for role in ROLES],
        ("own_member", 200),
        ("organisation_admin", 200),
        ("superuser", 200),
    ],
)
def test_members_page_role_matrix(as_role, organisation, role, status):
    client, _user = as_role(role)

    response = client.get(members_url(organisation))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_members_page_of_an_unknown_organisation_is_404(login, user):
    assert login(user).get("/organisations/nope/members/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "manages"), [("own_member", False), ("staff", False), ("organisation_admin", True)]
)
def test_members_page_shows_controls_only_to_administrators(as_role, organisation, role, manages):
    OrganisationMembershipFactory(
        organisation=organisation,
        user__full_name="Ada Lovelace",
        user__email="ada@example.org",
        job_title="CTO",
    )
    client, _user = as_role(role)

    response = client.get(members_url(organisation))

    assert_house_page(response)
    html = response.content.decode()
    assert "<bdi>Ada Lovelace</bdi>" in html
    assert ("ada@example.org" in html) is manages
    assert ("Add a member" in html) is manages
    assert ('name="email"' in html) is manages
    assert "<caption>" in html
    assert '<th scope="col">Role</th>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_members_page_query_count_does_not_grow_with_rows(
    login, organisation, organisation_admin, django_assert_num_queries, rows
):
    OrganisationMembershipFactory.create_batch(rows, organisation=organisation)
    client = login(organisation_admin)

    # session, user, organisation + its labs, sectors, technologies, SDGs, role caches, members.
    with django_assert_num_queries(10):
        response = client.get(members_url(organisation))

    assert len(response.context["rows"]) == rows + 1


# --- Adding.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        *[(role, MANAGE_ONLY.get(role, 403)) for role in ROLES],
        ("own_member", 403),
        ("organisation_admin", 302),
    ],
)
def test_add_member_role_matrix(
    as_role, organisation, role, status, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="newcomer@example.org")
    client, _user = as_role(role)
    before = state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            members_url(organisation),
            {"email": "Newcomer@Example.org", "role": "member", "job_title": "Lawyer"},
        )

    assert response.status_code == status
    if role == "organisation_admin":
        membership = OrganisationMembership.objects.get(user=newcomer)
        assert (membership.organisation, membership.role, membership.job_title) == (
            organisation,
            "member",
            "Lawyer",
        )
        entry = AuditEntry.objects.get(action="organisation.membership.add")
        assert entry.changes == {
            "user": [None, newcomer.pk],
            "role": [None, "member"],
            "job_title": [None, "Lawyer"],
        }
        notification = Notification.objects.get(recipient=newcomer)
        assert notification.subject == f"You were added to {organisation.name} on govlab"
        assert notification.url == reverse("organisations:detail", args=[organisation.slug])
        assert [mail.to for mail in mailoutbox] == [["newcomer@example.org"]]
    else:
        assert state() == before
        assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"email": "nobody@example.org", "role": "member"},
            "email",
            "No one has a govlab account with this e-mail address.",
        ),
        ({"email": "not-an-address", "role": "member"}, "email", "Enter a valid email address."),
        ({"email": "", "role": "member"}, "email", "This field is required."),
        ({"email": "member@example.org", "role": "member"}, "email", "This person is already a member."),
        ({"email": "free@example.org", "role": "owner"}, "role", "Select a valid choice."),
        (
            {"email": "free@example.org", "role": "member", "job_title": "x" * 201},
            "job_title",
            "at most 200 characters",
        ),
    ],
)
def test_add_member_refuses_bad_input(
    login, organisation, organisation_admin, data, field, message, mailoutbox
):
    OrganisationMembershipFactory(organisation=organisation, user__email="member@example.org")
    UserFactory(email="free@example.org")
    before = state()

    response = login(organisation_admin).post(members_url(organisation), data)

    assert response.status_code == 200
    assert state() == before
    assert mailoutbox == []
    form = response.context["add_form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert f'<a href="#id_{field}">' in response.content.decode()


@pytest.mark.django_db
def test_add_member_refuses_an_erased_or_inactive_account(login, organisation, organisation_admin):
    UserFactory(email="gone@example.org", is_active=False)
    before = state()

    response = login(organisation_admin).post(
        members_url(organisation), {"email": "gone@example.org", "role": "member"}
    )

    assert response.status_code == 200
    assert state() == before


# --- Changing roles.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        *[(role, MANAGE_ONLY.get(role, 403)) for role in ROLES],
        ("own_member", 403),
        ("organisation_admin", 302),
    ],
)
def test_change_member_role_matrix(as_role, organisation, role, status):
    target = OrganisationMembershipFactory(organisation=organisation, role="member")
    client, _user = as_role(role)
    before = state()

    response = client.post(
        change_url(target), {f"member-{target.pk}-role": "admin", f"member-{target.pk}-job_title": "Director"}
    )

    assert response.status_code == status
    target.refresh_from_db()
    if role == "organisation_admin":
        assert (target.role, target.job_title) == ("admin", "Director")
        entry = AuditEntry.objects.get(action="organisation.membership.change")
        assert entry.changes == {"role": ["member", "admin"], "job_title": ["", "Director"]}
    else:
        assert state() == before


@pytest.mark.django_db
def test_change_refuses_to_demote_the_last_administrator(login, organisation, organisation_admin):
    membership = OrganisationMembership.objects.get(user=organisation_admin)
    before = state()

    response = login(organisation_admin).post(
        change_url(membership),
        {f"member-{membership.pk}-role": "member", f"member-{membership.pk}-job_title": ""},
    )

    assert response.status_code == 200
    assert state() == before
    assert "An organisation must keep an administrator." in response.content.decode()


@pytest.mark.django_db
def test_change_of_a_membership_of_another_organisation_is_404(login, organisation, organisation_admin):
    stranger = OrganisationMembershipFactory(role="member")
    before = state()

    response = login(organisation_admin).post(
        reverse("organisations:member_change", args=[organisation.slug, stranger.pk]),
        {f"member-{stranger.pk}-role": "admin"},
    )

    assert response.status_code == 404
    assert state() == before


@pytest.mark.django_db
def test_change_is_post_only(login, organisation, organisation_admin):
    membership = OrganisationMembership.objects.get(user=organisation_admin)
    assert login(organisation_admin).get(change_url(membership)).status_code == 405


# --- Removing.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        *[(role, MANAGE_ONLY.get(role, 403)) for role in ROLES],
        ("own_member", 403),
        ("organisation_admin", 302),
    ],
)
def test_remove_member_role_matrix(as_role, organisation, role, status):
    target = OrganisationMembershipFactory(organisation=organisation, role="member")
    client, user = as_role(role)
    before = state()

    response = client.post(remove_url(target))

    assert response.status_code == status
    if role == "organisation_admin":
        assert not OrganisationMembership.objects.filter(pk=target.pk).exists()
        entry = AuditEntry.objects.get(action="organisation.membership.remove")
        assert (entry.actor, entry.changes) == (
            user,
            {"user": [target.user_id, None], "role": ["member", None]},
        )
    else:
        assert state() == before


@pytest.mark.django_db
def test_remove_refuses_the_last_administrator_even_when_alone(login, organisation, organisation_admin):
    membership = OrganisationMembership.objects.get(user=organisation_admin)
    before = state()

    response = login(organisation_admin).post(remove_url(membership))

    assert response.status_code == 200
    assert state() == before
    assert "Make another member administrator first." in response.content.decode()


@pytest.mark.django_db
def test_an_administrator_may_leave_when_another_remains(login, organisation, organisation_admin):
    OrganisationMembershipFactory(organisation=organisation, role="admin")
    membership = OrganisationMembership.objects.get(user=organisation_admin)

    response = login(organisation_admin).post(remove_url(membership))

    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=[organisation.slug])
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
