"""Membership services: the last administrator stays, every change is audited, refusals change nothing."""

import pytest
from django.core.exceptions import ValidationError

from govlab.audit.models import AuditEntry
from govlab.organisations.models import OrganisationMembership
from govlab.organisations.services import (
    organisation_membership_add,
    organisation_membership_change,
    organisation_membership_remove,
)
from tests.factories import OrganisationMembershipFactory, UserFactory


def memberships():
    return sorted(OrganisationMembership.objects.values_list("user_id", "role", "job_title"))


@pytest.mark.django_db
def test_add_creates_and_audits_once(organisation, organisation_admin):
    person = UserFactory()

    first = organisation_membership_add(
        organisation=organisation, user=person, added_by=organisation_admin, job_title="Lawyer"
    )
    again = organisation_membership_add(
        organisation=organisation, user=person, added_by=organisation_admin, job_title="Lawyer"
    )

    assert first.pk == again.pk
    assert (first.role, first.job_title) == ("member", "Lawyer")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["organisation.membership.add"]


@pytest.mark.django_db
def test_add_with_another_role_changes_it_and_audits(organisation, organisation_admin, organisation_member):
    membership = organisation_membership_add(
        organisation=organisation, user=organisation_member, role="admin", added_by=organisation_admin
    )

    assert membership.role == "admin"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == ("organisation.membership.change", {"role": ["member", "admin"]})


@pytest.mark.django_db
def test_add_refuses_to_demote_the_last_administrator(organisation, organisation_admin):
    before = memberships()

    with pytest.raises(ValidationError) as error:
        organisation_membership_add(
            organisation=organisation, user=organisation_admin, role="member", added_by=organisation_admin
        )

    assert error.value.message_dict == {
        "role": ["An organisation must keep an administrator. Make another member administrator first."]
    }
    assert memberships() == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_change_role_and_job_title_in_one_audited_step(organisation, organisation_admin, organisation_member):
    membership = OrganisationMembership.objects.get(user=organisation_member)

    organisation_membership_change(
        membership=membership, role="admin", job_title="Director", changed_by=organisation_admin
    )

    membership.refresh_from_db()
    assert (membership.role, membership.job_title) == ("admin", "Director")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.changes) == (
        "organisation.membership.change",
        organisation_admin,
        {"role": ["member", "admin"], "job_title": ["", "Director"]},
    )


@pytest.mark.django_db
def test_change_without_a_difference_records_nothing(organisation, organisation_admin, organisation_member):
    membership = OrganisationMembership.objects.get(user=organisation_member)

    organisation_membership_change(
        membership=membership, role="member", job_title="", changed_by=organisation_admin
    )

    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_change_refuses_an_unknown_role(organisation, organisation_admin, organisation_member):
    membership = OrganisationMembership.objects.get(user=organisation_member)
    before = memberships()

    with pytest.raises(ValidationError):
        organisation_membership_change(membership=membership, role="owner", changed_by=organisation_admin)

    assert memberships() == before


@pytest.mark.django_db
def test_an_administrator_may_be_demoted_when_another_remains(organisation, organisation_admin):
    OrganisationMembershipFactory(organisation=organisation, role="admin")
    membership = OrganisationMembership.objects.get(user=organisation_admin)

    organisation_membership_change(membership=membership, role="member", changed_by=organisation_admin)

    membership.refresh_from_db()
    assert membership.role == "member"


@pytest.mark.django_db
def test_remove_refuses_the_last_administrator(organisation, organisation_admin, organisation_member):
    before = memberships()

    with pytest.raises(ValidationError) as error:
        organisation_membership_remove(
            membership=OrganisationMembership.objects.get(user=organisation_admin),
            removed_by=organisation_admin,
        )

    assert error.value.code == "last_admin"
    assert memberships() == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_remove_a_member_is_audited(organisation, organisation_admin, organisation_member):
    membership = OrganisationMembership.objects.get(user=organisation_member)

    organisation_membership_remove(
        membership=membership, removed_by=organisation_admin, reason="Left the company"
    )

    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason, entry.changes) == (
        "organisation.membership.remove",
        "Left the company",
        {"user": [organisation_member.pk, None], "role": ["member", None]},
    )


@pytest.mark.django_db
def test_removing_a_member_forgets_the_cached_roles(organisation, organisation_admin, organisation_member):
    from govlab.organisations.selectors import user_organisation_roles

    assert user_organisation_roles(organisation_member) == {organisation.pk: "member"}
    membership = OrganisationMembership.objects.get(user=organisation_member)
    membership.user = organisation_member

    organisation_membership_remove(membership=membership, removed_by=organisation_admin)

    assert user_organisation_roles(organisation_member) == {}
