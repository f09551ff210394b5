from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Evidence submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ActivityKind(models.TextChoices):
    BOOTCAMP = "bootcamp", _("Bootcamps")
    MENTORING = "mentoring", _("Mentoring")
    WORK_SESSION = "work_session", _("Work sessions")
    MVP = "mvp", _("Building the MVP")
    OTHER = "other", _("Other")


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    EXPERT = "expert", _("Expert assessment")
