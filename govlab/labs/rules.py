"""Who may do what in a lab. Named predicates, used alike by views, templates and the API."""

import rules
from django.utils.translation import gettext as _

from govlab.core.refusals import refuse

from .enums import LabRole
from .selectors import user_lab_roles


def _roles(user, lab) -> set[str]:
    if lab is None:
        return set()
    return user_lab_roles(user).get(lab.pk, set())


@rules.predicate
def is_lab_manager(user, lab) -> bool:
    return LabRole.MANAGER in _roles(user, lab)


@rules.predicate
def is_lab_staff(user, lab) -> bool:
    """Manager or staff: the team that runs the lab."""
    return bool(_roles(user, lab) & {LabRole.MANAGER, LabRole.STAFF})


@rules.predicate
def is_lab_evaluator(user, lab) -> bool:
    return LabRole.EVALUATOR in _roles(user, lab)


@rules.predicate
def is_lab_mentor(user, lab) -> bool:
    return LabRole.MENTOR in _roles(user, lab)


@rules.predicate
def is_lab_member(user, lab) -> bool:
    """Any role in the lab."""
    return bool(_roles(user, lab))


@rules.predicate
def is_lab_public(user, lab) -> bool:
    return lab is not None and lab.is_active


is_superuser = rules.is_superuser

# Runs this lab: its manager or staff, or a superuser (who runs every lab). The phase pages and services
# of a lab's team use this one predicate rather than adding the superuser case each time.
runs_lab = is_lab_staff | is_superuser


def require_lab_staff(user, lab) -> None:
    """Refuse (code ``not_allowed``) unless the person runs this lab (or is a superuser)."""
    if not runs_lab(user, lab):
        raise refuse(_("Only the lab's team can do this."), "not_allowed")


def team_lab_or_404(request, lab_slug: str):
    """The lab of ``lab_slug`` if the person runs it (``runs_lab``); 404 otherwise, as if it did not exist."""
    from django.http import Http404

    from .models import Lab

    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not runs_lab(request.user, lab):
        raise Http404
    return lab


rules.add_perm("labs.view_lab", is_lab_public | is_lab_member | is_superuser)
rules.add_perm("labs.add_lab", is_superuser)
rules.add_perm("labs.change_lab", is_lab_manager | is_superuser)
rules.add_perm("labs.manage_lab_members", is_lab_manager | is_superuser)
rules.add_perm("labs.view_lab_members", is_lab_staff | is_superuser)
rules.add_perm("labs.view_lab_audit", is_lab_staff | is_superuser)
rules.add_perm("labs.manage_lab_organisations", is_lab_staff | is_superuser)
