"""Who may do what with contracts. Named predicates, used alike by views, templates and the API.

- The lab's team (manager, staff) and the members of the buyer (the challenge's public entity)
  **manage** a contract: terms, its signature, amendments, milestones, the payment schedule, invoices
  and payments, issues and risks, report reviews, finishing or cancelling it, lessons learned and the
  close of the case. The buyer is a party to the contract; the challenge transitions these move
  (``start_implementation``, ``close_case``) are open to the entity through the services
  (``challenges.workflow.ENTITY_SERVICE_TRANSITIONS``).
- The members of the supplier organisation **see** their contract, its milestones and payments, and
  **submit** its progress reports.
- Anyone else: as if it did not exist (404).

Predicates take a Contract, or a Challenge (to create a contract or write lessons learned).
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from govlab.challenges.models import Challenge
from govlab.challenges.rules import is_challenge_entity_member
from govlab.core.refusals import refuse
from govlab.labs.rules import is_lab_staff
from govlab.organisations.selectors import user_organisation_roles


def _challenge(obj):
    return obj if isinstance(obj, Challenge) else getattr(obj, "challenge", None)


def _lab(obj):
    return getattr(obj, "lab", None)


@rules.predicate
def is_contract_lab_staff(user, obj) -> bool:
    return obj is not None and is_lab_staff(user, _lab(obj))


@rules.predicate
def is_contract_buyer_member(user, obj) -> bool:
    if obj is None:
        return False
    buyer_id = getattr(obj, "buyer_id", None)
    if buyer_id is not None and buyer_id in user_organisation_roles(user):
        return True
    return is_challenge_entity_member(user, _challenge(obj))


@rules.predicate
def is_contract_supplier_member(user, obj) -> bool:
    supplier_id = getattr(obj, "supplier_id", None)
    return supplier_id is not None and supplier_id in user_organisation_roles(user)


can_manage = is_contract_lab_staff | is_contract_buyer_member | rules.is_superuser
can_report = is_contract_supplier_member | rules.is_superuser
can_view = can_manage | is_contract_supplier_member

rules.add_perm("contracts.manage", can_manage)
rules.add_perm("contracts.report", can_report)
rules.add_perm("contracts.view", can_view)


def require(user, perm: str, obj) -> None:
    """Refuse (code ``not_allowed``) unless ``user`` has ``contracts.<perm>`` on ``obj``."""
    if not user.has_perm(f"contracts.{perm}", obj):
        if perm == "report":
            raise refuse(_("Only the supplier's members submit progress reports."), "not_allowed")
        raise refuse(_("Only the lab's team and the buyer can do this."), "not_allowed")
