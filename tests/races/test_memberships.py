"""Two people each taking away the other's last-holder role at once: the lab or organisation keeps one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from govlab.audit.models import AuditEntry
from govlab.labs import services as lab_services
from govlab.labs.models import LabMembership
from govlab.organisations import services as organisation_services
from govlab.organisations.models import OrganisationMembership
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_before, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def _one_wins_one_is_refused(outcomes) -> None:
    assert [o.ok for o in outcomes].count(True) == 1, [repr(o.error) for o in outcomes]
    (error,) = errors_of(outcomes)
    assert isinstance(error, ValidationError), repr(error)


def test_two_managers_removing_each_other_leave_one_manager(lab, monkeypatch):
    first, second = (LabMembershipFactory(lab=lab, role="manager") for _ in range(2))
    # Both have checked their own row and are about to count the managers.
    pause_before(QuerySet, "count", Rendezvous(), monkeypatch, when=lambda qs: qs.model is LabMembership)

    outcomes = race(
        lambda: lab_services.lab_membership_remove(membership=second, removed_by=first.user),
        lambda: lab_services.lab_membership_remove(membership=first, removed_by=second.user),
    )

    assert LabMembership.objects.filter(lab=lab, role="manager").count() == 1
    _one_wins_one_is_refused(outcomes)
    assert AuditEntry.objects.filter(action="lab.membership.remove").count() == 1


def test_removing_two_of_three_managers_at_once_is_allowed(lab):
    first, second, third = (LabMembershipFactory(lab=lab, role="manager") for _ in range(3))

    outcomes = race(
        lambda: lab_services.lab_membership_remove(membership=second, removed_by=first.user),
        lambda: lab_services.lab_membership_remove(membership=third, removed_by=first.user),
    )

    assert errors_of(outcomes) == []
    assert list(LabMembership.objects.filter(lab=lab, role="manager")) == [first]


def _remove(membership, by):
    return lambda: organisation_services.organisation_membership_remove(membership=membership, removed_by=by)


def _demote(membership, by):
    return lambda: organisation_services.organisation_membership_change(
        membership=membership, role="member", changed_by=by
    )


@pytest.mark.parametrize(
    "actions",
    [(_remove, _remove), (_demote, _demote), (_remove, _demote)],
    ids=["remove-remove", "demote-demote", "remove-demote"],
)
def test_two_admins_acting_on_each_other_leave_one_admin(organisation, monkeypatch, actions):
    first, second = (OrganisationMembershipFactory(organisation=organisation, role="admin") for _ in range(2))
    # Both hold their target's row and are about to lock the administrators.
    pause_before(organisation_services, "_lock_admins", Rendezvous(), monkeypatch)
    one, other = actions

    outcomes = race(one(second, first.user), other(first, second.user))

    assert OrganisationMembership.objects.filter(organisation=organisation, role="admin").count() == 1
    _one_wins_one_is_refused(outcomes)
    assert (
        AuditEntry.objects.filter(
            action__in=["organisation.membership.remove", "organisation.membership.change"]
        ).count()
        == 1
    )
