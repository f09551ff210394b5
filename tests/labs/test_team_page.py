"""The lab team page: staff see the team; managers give and take away roles."""

import pytest
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.labs.models import LabMembership
from tests.factories import LabMembershipFactory, UserFactory


def url(lab):
    return reverse("labs:team", args=[lab.slug])


def remove_url(lab):
    return reverse("labs:team_remove", args=[lab.slug])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "get_status", "post_status"),
    [
        ("anonymous", 302, 302),
        ("plain_user", 403, 403),
        ("other_lab_staff", 403, 403),
        ("organisation_member", 403, 403),
        ("evaluator", 403, 403),
        ("mentor", 403, 403),
        ("staff", 200, 403),
        ("manager", 200, 302),
        ("superuser", 200, 302),
    ],
)
def test_team_role_matrix(as_role, lab, role, get_status, post_status):
    client, _user = as_role(role)
    newcomer = UserFactory()
    count = LabMembership.objects.count()

    get = client.get(url(lab))
    post = client.post(url(lab), {"add-email": newcomer.email, "add-role": "staff"})

    assert get.status_code == get_status
    assert post.status_code == post_status
    added = LabMembership.objects.filter(lab=lab, user=newcomer, role="staff").exists()
    assert added is (post_status == 302 and role != "anonymous")
    if not added:
        assert LabMembership.objects.count() == count
        assert AuditEntry.objects.filter(action="lab.membership.add").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 403),
        ("other_lab_staff", 403),
        ("organisation_member", 403),
        ("evaluator", 403),
        ("mentor", 403),
        ("staff", 403),
        ("manager", 302),
    ],
)
def test_team_remove_role_matrix(as_role, lab, role, expected):
    client, _user = as_role(role)
    mentor = LabMembershipFactory(lab=lab, role="mentor")

    response = client.post(remove_url(lab), {"membership": mentor.pk})

    assert response.status_code == expected
    assert LabMembership.objects.filter(pk=mentor.pk).exists() is (role != "manager")


@pytest.mark.django_db
def test_team_lists_members_for_staff_without_actions(login, lab, staff, manager):
    html = login(staff).get(url(lab)).content.decode()

    assert manager.email in html
    assert staff.email in html
    assert "Give someone a role" not in html
    assert "Remove the role" not in html


@pytest.mark.django_db
def test_team_manager_adds_a_person_by_email(login, lab, manager):
    person = UserFactory(email="new.staff@example.org")

    response = login(manager).post(
        url(lab), {"add-email": "New.Staff@example.org", "add-role": "staff"}, follow=True
    )

    assert response.redirect_chain == [(url(lab), 302)]
    assert f"{person.full_name} now has the role Staff in the lab." in response.content.decode()
    membership = LabMembership.objects.get(lab=lab, user=person)
    assert membership.role == "staff"
    entry = AuditEntry.objects.get(action="lab.membership.add")
    assert entry.actor == manager
    assert entry.changes == {"user": [None, person.pk], "role": [None, "staff"]}


@pytest.mark.django_db
def test_team_refuses_an_unknown_email_at_the_field(login, lab, manager, mailoutbox):
    count = LabMembership.objects.count()

    response = login(manager).post(url(lab), {"add-email": "nobody@example.org", "add-role": "staff"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["No account with this e-mail; ask them to sign up first."]
    }
    html = response.content.decode()
    assert 'value="nobody@example.org"' in html
    assert 'id="id_add-email_errors"' in html
    assert LabMembership.objects.count() == count
    assert mailoutbox == []


@pytest.mark.django_db
def test_team_refuses_a_role_already_held(login, lab, manager, staff):
    response = login(manager).post(url(lab), {"add-email": staff.email, "add-role": "staff"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"role": ["This person already has this role in the lab."]}


@pytest.mark.django_db
def test_team_refuses_a_bad_role(login, lab, manager):
    person = UserFactory()

    response = login(manager).post(url(lab), {"add-email": person.email, "add-role": "owner"})

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not LabMembership.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_team_manager_removes_a_role(login, lab, manager, staff):
    membership = LabMembership.objects.get(lab=lab, user=staff)

    response = login(manager).post(remove_url(lab), {"membership": membership.pk}, follow=True)

    assert response.redirect_chain == [(url(lab), 302)]
    assert f"{staff.full_name} no longer has the role Staff in the lab." in response.content.decode()
    assert not LabMembership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.get(action="lab.membership.remove").actor == manager


@pytest.mark.django_db
def test_team_last_manager_cannot_be_removed(login, lab, manager):
    membership = LabMembership.objects.get(lab=lab, user=manager)

    response = login(manager).post(remove_url(lab), {"membership": membership.pk}, follow=True)

    assert "A lab must keep at least one manager. Add another manager first." in response.content.decode()
    assert LabMembership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="lab.membership.remove").count() == 0


@pytest.mark.django_db
def test_team_cannot_remove_a_membership_of_another_lab(login, lab, manager, other_lab_staff, other_lab):
    membership = LabMembership.objects.get(lab=other_lab, user=other_lab_staff)

    response = login(manager).post(remove_url(lab), {"membership": membership.pk})

    assert response.status_code == 404
    assert LabMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_team_remove_is_post_only(login, lab, manager):
    assert login(manager).get(remove_url(lab)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_team_query_count_does_not_grow(login, lab, manager, django_assert_num_queries, count):
    client = login(manager)
    for _n in range(count):
        LabMembershipFactory(lab=lab, role="mentor")
    client.get(url(lab))

    with django_assert_num_queries(6):
        response = client.get(url(lab))

    assert len(response.context["memberships"]) == count + 1
