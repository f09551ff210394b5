"""Who may see and change a lab's monitoring. Named predicates, used alike by views, templates and the API.

- The lab's manager defines the KPIs and their targets; the lab's team (manager and staff) sees the
  dashboards, the funnel and the cycle times, and enters the values of KPIs entered by hand.
- The members of a challenge's public entity see that challenge's monitoring page.
- The public sees only a lab's results page: the KPIs the lab marked public. Anyone else: 404.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from govlab.challenges.rules import is_challenge_entity_member
from govlab.core.refusals import refuse
from govlab.labs.rules import is_lab_manager, is_lab_public, is_lab_staff


def _lab(obj):
    """A Lab, a KpiDefinition or a Challenge → its lab."""
    if obj is None:
        return None
    return obj if obj.__class__.__name__ == "Lab" else getattr(obj, "lab", None)


@rules.predicate
def is_monitoring_manager(user, obj) -> bool:
    return is_lab_manager(user, _lab(obj))


@rules.predicate
def is_monitoring_team(user, obj) -> bool:
    return is_lab_staff(user, _lab(obj))


@rules.predicate
def is_public_lab(user, obj) -> bool:
    return is_lab_public(user, _lab(obj))


@rules.predicate
def is_entity_of_challenge(user, challenge) -> bool:
    return challenge is not None and is_challenge_entity_member(user, challenge)


can_view = is_monitoring_team | rules.is_superuser
can_manage = is_monitoring_manager | rules.is_superuser

rules.add_perm("monitoring.view", can_view)  # dashboards, funnel, cycle times, every KPI
rules.add_perm("monitoring.manage", can_manage)  # define KPIs, set targets
rules.add_perm("monitoring.enter", can_view)  # enter the values of manual KPIs
rules.add_perm("monitoring.view_public", is_public_lab | can_view)  # the public results page
rules.add_perm("monitoring.view_challenge", can_view | is_entity_of_challenge)


def require(user, perm: str, obj) -> None:
    """Refuse (code ``not_allowed``) unless ``user`` has ``monitoring.<perm>`` on ``obj``."""
    if not user.has_perm(f"monitoring.{perm}", obj):
        if perm == "manage":
            raise refuse(_("Only the lab's manager can define KPIs and their targets."), "not_allowed")
        raise refuse(_("Only the lab's team can do this."), "not_allowed")
