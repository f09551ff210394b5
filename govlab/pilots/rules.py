"""Who may do what with pilots. Named predicates, used alike by views, templates and the API.

- The lab's team (manager, staff) and the members of the challenge's public entity **manage** a pilot:
  they write it, its units, randomise, and decide. Starting it is the lab's (it moves the challenge).
- The members of the solver organisation whose application is piloted **see** it and **record**
  observations (on the page, through the API or by CSV); they do not change its design or decide.
- Anyone else: as if it did not exist (404).
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from govlab.calls.rules import is_application_member
from govlab.challenges.rules import is_challenge_entity_member
from govlab.core.refusals import refuse
from govlab.labs.rules import is_lab_staff


def _application(obj):
    """A Pilot or an Application → the application."""
    return getattr(obj, "application", obj) if obj is not None and hasattr(obj, "design") else obj


@rules.predicate
def is_pilot_lab_staff(user, obj) -> bool:
    application = _application(obj)
    return application is not None and is_lab_staff(user, application.call.lab)


@rules.predicate
def is_pilot_entity_member(user, obj) -> bool:
    application = _application(obj)
    return application is not None and is_challenge_entity_member(user, application.challenge)


@rules.predicate
def is_pilot_solver(user, obj) -> bool:
    application = _application(obj)
    return application is not None and is_application_member(user, application)


can_manage = is_pilot_lab_staff | is_pilot_entity_member | rules.is_superuser
can_record = can_manage | is_pilot_solver
can_view = can_record

rules.add_perm("pilots.manage", can_manage)
rules.add_perm("pilots.start", is_pilot_lab_staff | rules.is_superuser)
rules.add_perm("pilots.record", can_record)
rules.add_perm("pilots.view", can_view)


def require(user, perm: str, obj) -> None:
    """Refuse (code ``not_allowed``) unless ``user`` has ``pilots.<perm>`` on ``obj``."""
    if not user.has_perm(f"pilots.{perm}", obj):
        if perm == "start":
            raise refuse(_("Only the lab's team can start a pilot: it moves the challenge."), "not_allowed")
        if perm == "record":
            raise refuse(_("Only the pilot's team can record observations."), "not_allowed")
        raise refuse(_("Only the lab's team and the public entity can do this."), "not_allowed")
