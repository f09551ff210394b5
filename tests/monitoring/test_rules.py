"""Who may do what with a lab's monitoring."""

import pytest
from django.contrib.auth.models import AnonymousUser

from govlab.challenges.enums import ChallengeStatus as S
from tests.factories import LabFactory, LabMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db

PERMS = ("view", "manage", "enter", "view_public")
EXPECTED = {
    "manager": {"view", "manage", "enter", "view_public"},
    "staff": {"view", "enter", "view_public"},
    "evaluator": {"view_public"},
    "mentor": {"view_public"},
    "other_lab_manager": {"view_public"},
    "plain_user": {"view_public"},
    "superuser": {"view", "manage", "enter", "view_public"},
}


def person(role, lab):
    if role == "superuser":
        return UserFactory(is_superuser=True)
    if role == "other_lab_manager":
        return LabMembershipFactory(lab=LabFactory(), role="manager").user
    if role == "plain_user":
        return UserFactory()
    return LabMembershipFactory(lab=lab, role=role).user


@pytest.mark.parametrize("role", EXPECTED)
def test_lab_permissions(role, mlab):
    user = person(role, mlab)
    assert {perm for perm in PERMS if user.has_perm(f"monitoring.{perm}", mlab)} == EXPECTED[role]


def test_the_public_sees_active_labs_results_only(mlab):
    anonymous = AnonymousUser()
    assert anonymous.has_perm("monitoring.view_public", mlab)
    assert not anonymous.has_perm("monitoring.view", mlab)
    assert not anonymous.has_perm("monitoring.view_public", LabFactory(is_active=False))


def test_the_challenge_page_is_the_entitys_and_the_labs(mlab, build, mstaff):
    challenge = build.challenge((S.SUBMITTED, at(2025, 1, 1)))
    entity_member = OrganisationMembershipFactory(organisation=build.entity).user
    assert entity_member.has_perm("monitoring.view_challenge", challenge)
    assert mstaff.has_perm("monitoring.view_challenge", challenge)
    assert not entity_member.has_perm("monitoring.view", mlab)
    assert not UserFactory().has_perm("monitoring.view_challenge", challenge)
