from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDayStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SCORING_OPEN = "scoring_open", _("Scoring open")
    SCORING_CLOSED = "scoring_closed", _("Scoring closed")
    DECIDED = "decided", _("Decided")


class JurorRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    ENTITY_OBSERVER = "entity_observer", _("Observer from the public entity")


# Roles whose members score the pitches (an observer declares conflicts and watches, but does not score).
SCORING_ROLES = (JurorRole.CHAIR, JurorRole.MEMBER)

# The status moves the lab's team may make by hand; "decided" follows the last challenge's selection.
STATUS_MOVES = {
    DemoDayStatus.PLANNED: (DemoDayStatus.SCORING_OPEN,),
    DemoDayStatus.SCORING_OPEN: (DemoDayStatus.SCORING_CLOSED,),
    DemoDayStatus.SCORING_CLOSED: (DemoDayStatus.SCORING_OPEN,),
    DemoDayStatus.DECIDED: (),
}
