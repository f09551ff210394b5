from django.db import models
from django.utils.translation import gettext_lazy as _


class LabRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")
    EVALUATOR = "evaluator", _("Evaluator")
    MENTOR = "mentor", _("Mentor")


# Roles that run the lab: they must use multi-factor authentication and may use the admin for their lab.
LAB_TEAM_ROLES = (LabRole.MANAGER, LabRole.STAFF)
