"""Who may do what in procurement. Named predicates, used alike by views, templates and the API.

- Reference data (procedure types, thresholds) belong to a lab: its manager edits them, its team (and
  any lab member through the API) reads them.
- A process (or the challenge it buys for) is **managed** by the lab's team (manager, staff) and the
  members of the challenge's public entity: they choose the route, date the steps, award and cancel.
- Members of an organisation awarded in the process **see** it.
- Anyone else: as if it did not exist (404).
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from govlab.challenges.rules import is_challenge_entity_member
from govlab.core.refusals import refuse
from govlab.labs.rules import is_lab_manager, is_lab_member, is_lab_staff
from govlab.organisations.selectors import user_organisation_roles


def _challenge(obj):
    """A ProcurementProcess or a Challenge → the challenge."""
    if obj is None:
        return None
    return getattr(obj, "challenge", obj) if hasattr(obj, "procedure_id") else obj


def _lab(obj):
    """A Lab, a ProcedureType, a Threshold → the lab."""
    if obj is None:
        return None
    if hasattr(obj, "procedure_id") and not hasattr(obj, "challenge_id"):
        return obj.procedure.lab
    return getattr(obj, "lab", obj)


@rules.predicate
def is_reference_manager(user, obj) -> bool:
    return is_lab_manager(user, _lab(obj))


@rules.predicate
def is_reference_staff(user, obj) -> bool:
    return is_lab_staff(user, _lab(obj))


@rules.predicate
def is_reference_reader(user, obj) -> bool:
    return is_lab_member(user, _lab(obj))


@rules.predicate
def is_process_lab_staff(user, obj) -> bool:
    challenge = _challenge(obj)
    return challenge is not None and is_lab_staff(user, challenge.lab)


@rules.predicate
def is_process_entity_member(user, obj) -> bool:
    return is_challenge_entity_member(user, _challenge(obj))


@rules.predicate
def is_awarded_supplier(user, obj) -> bool:
    """A member of an organisation awarded (and not cancelled) in this process."""
    if obj is None or not hasattr(obj, "procedure_id") or obj.pk is None:
        return False
    organisation_ids = set(user_organisation_roles(user))
    if not organisation_ids:
        return False
    from .enums import AwardStatus
    from .models import Award

    return Award.objects.filter(
        process_id=obj.pk, supplier_id__in=organisation_ids, status=AwardStatus.ACTIVE
    ).exists()


can_manage = is_process_lab_staff | is_process_entity_member | rules.is_superuser
can_view = can_manage | is_awarded_supplier

rules.add_perm("procurement.manage_reference", is_reference_manager | rules.is_superuser)
rules.add_perm("procurement.view_reference", is_reference_staff | rules.is_superuser)
rules.add_perm("procurement.read_reference", is_reference_reader | rules.is_superuser)
rules.add_perm("procurement.manage", can_manage)
rules.add_perm("procurement.view", can_view)


def require(user, perm: str, obj) -> None:
    """Refuse (code ``not_allowed``) unless ``user`` has ``procurement.<perm>`` on ``obj``."""
    if not user.has_perm(f"procurement.{perm}", obj):
        if perm == "manage_reference":
            raise refuse(_("Only the lab's manager can change procedures and thresholds."), "not_allowed")
        raise refuse(_("Only the lab's team and the public entity can do this."), "not_allowed")
