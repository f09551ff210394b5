"""Who may do what with an organisation."""

import rules

from govlab.labs.enums import LAB_TEAM_ROLES
from govlab.labs.selectors import user_lab_roles

from .enums import OrganisationRole
from .selectors import user_organisation_roles


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if organisation is None:
        return False
    return user_organisation_roles(user).get(organisation.pk) == OrganisationRole.ADMIN


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if organisation is None:
        return False
    return organisation.pk in user_organisation_roles(user)


@rules.predicate
def is_staff_of_organisation_lab(user, organisation) -> bool:
    """Lab staff may look after the organisations of their lab's ecosystem."""
    if organisation is None:
        return False
    team_labs = {lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)}
    if not team_labs:
        return False
    lab_ids = getattr(organisation, "_prefetched_objects_cache", {}).get("labs")
    if lab_ids is not None:
        return any(lab.pk in team_labs for lab in lab_ids)
    return organisation.labs.filter(pk__in=team_labs).exists()


@rules.predicate
def is_public_organisation(user, organisation) -> bool:
    return organisation is not None and organisation.is_active


rules.add_perm(
    "organisations.view_organisation", is_public_organisation | is_organisation_member | rules.is_superuser
)
rules.add_perm("organisations.add_organisation", rules.is_authenticated)
rules.add_perm(
    "organisations.change_organisation",
    is_organisation_admin | is_staff_of_organisation_lab | rules.is_superuser,
)
rules.add_perm("organisations.manage_organisation_members", is_organisation_admin | rules.is_superuser)
rules.add_perm(
    "organisations.view_organisation_members",
    is_organisation_member | is_staff_of_organisation_lab | rules.is_superuser,
)
