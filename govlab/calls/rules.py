"""Who may do what with calls and applications. Named predicates, used by views, templates and the API."""

import rules

from govlab.labs.rules import is_lab_staff
from govlab.organisations.enums import SOLVER_KINDS
from govlab.organisations.models import Organisation
from govlab.organisations.selectors import user_organisation_roles


@rules.predicate
def is_call_lab_staff(user, call) -> bool:
    return call is not None and is_lab_staff(user, call.lab)


@rules.predicate
def is_visible_call(user, call) -> bool:
    return call is not None and call.is_visible()


@rules.predicate
def is_application_member(user, application) -> bool:
    """A member of the organisation that applies."""
    return application is not None and application.organisation_id in user_organisation_roles(user)


@rules.predicate
def is_application_lab_staff(user, application) -> bool:
    return application is not None and is_lab_staff(user, application.call.lab)


@rules.predicate
def is_solver_member(user) -> bool:
    """A member of at least one solver organisation."""
    organisation_ids = list(user_organisation_roles(user))
    if not organisation_ids:
        return False
    return Organisation.objects.filter(
        pk__in=organisation_ids, kind__in=SOLVER_KINDS, is_active=True
    ).exists()


@rules.predicate
def is_organisation_solver_member(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation.kind in SOLVER_KINDS
        and organisation.is_active
        and organisation.pk in user_organisation_roles(user)
    )


rules.add_perm("calls.view_call", is_visible_call | is_call_lab_staff | rules.is_superuser)
rules.add_perm("calls.change_call", is_call_lab_staff | rules.is_superuser)
rules.add_perm("calls.manage_applications", is_call_lab_staff | rules.is_superuser)
rules.add_perm("calls.apply", rules.is_authenticated & is_solver_member)
rules.add_perm("calls.apply_as", is_organisation_solver_member)
rules.add_perm(
    "calls.view_application", is_application_member | is_application_lab_staff | rules.is_superuser
)
rules.add_perm("calls.change_application", is_application_member)
