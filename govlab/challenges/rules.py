"""Who may do what with challenges and campaigns."""

import rules

from govlab.labs.rules import is_lab_manager, is_lab_staff
from govlab.organisations.selectors import user_organisation_roles

from .enums import ENTITY_EDITABLE, HIDDEN_FROM_PUBLIC, ChallengeStatus


def _lab(obj):
    return getattr(obj, "lab", None)


@rules.predicate
def is_challenge_lab_staff(user, challenge) -> bool:
    return challenge is not None and is_lab_staff(user, challenge.lab)


@rules.predicate
def is_challenge_lab_manager(user, challenge) -> bool:
    return challenge is not None and is_lab_manager(user, challenge.lab)


@rules.predicate
def is_challenge_entity_member(user, challenge) -> bool:
    """A member of the owning public entity (or of a co-owning one)."""
    if challenge is None:
        return False
    organisation_ids = set(user_organisation_roles(user))
    if not organisation_ids:
        return False
    if challenge.owner_id in organisation_ids:
        return True
    co_owners = getattr(challenge, "_prefetched_objects_cache", {}).get("co_owners")
    if co_owners is not None:
        return any(o.pk in organisation_ids for o in co_owners)
    return challenge.co_owners.filter(pk__in=organisation_ids).exists()


@rules.predicate
def is_public_challenge(user, challenge) -> bool:
    return challenge is not None and challenge.is_public and challenge.status not in HIDDEN_FROM_PUBLIC


@rules.predicate
def is_entity_editable(user, challenge) -> bool:
    return challenge is not None and challenge.status in ENTITY_EDITABLE


@rules.predicate
def is_submitted(user, challenge) -> bool:
    return challenge is not None and challenge.status != ChallengeStatus.DRAFT


@rules.predicate
def is_campaign_lab_staff(user, campaign) -> bool:
    return campaign is not None and is_lab_staff(user, _lab(campaign))


@rules.predicate
def is_published_campaign(user, campaign) -> bool:
    return campaign is not None and campaign.is_published


rules.add_perm(
    "challenges.view_challenge",
    is_public_challenge
    | is_challenge_entity_member
    | (is_challenge_lab_staff & is_submitted)
    | rules.is_superuser,
)
rules.add_perm(
    "challenges.view_challenge_private", is_challenge_entity_member | (is_challenge_lab_staff & is_submitted)
)
rules.add_perm("challenges.change_challenge", is_challenge_entity_member & is_entity_editable)
rules.add_perm("challenges.characterise_challenge", is_challenge_entity_member | is_challenge_lab_staff)
rules.add_perm("challenges.screen_challenge", is_challenge_lab_staff & is_submitted)
rules.add_perm("challenges.override_readiness", is_challenge_lab_manager)
rules.add_perm("challenges.view_campaign", is_published_campaign | is_campaign_lab_staff | rules.is_superuser)
rules.add_perm("challenges.change_campaign", is_campaign_lab_staff | rules.is_superuser)
