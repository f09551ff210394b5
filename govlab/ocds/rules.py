"""Who may change a lab's OCDS publication settings: its managers (and superusers). Everyone may read
what is published."""

import rules
from django.utils.translation import gettext_lazy as _

from govlab.core.refusals import refuse
from govlab.labs.rules import is_lab_manager

rules.add_perm("ocds.manage_publication", is_lab_manager | rules.is_superuser)


def require(user, perm: str, obj) -> None:
    """Refuse (code ``not_allowed``) unless ``user`` has ``ocds.<perm>`` on ``obj``."""
    if not user.has_perm(f"ocds.{perm}", obj):
        raise refuse(_("Only the lab's managers can change how the lab publishes."), "not_allowed")
