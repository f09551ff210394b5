from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Design(models.TextChoices):
    """How a pilot compares: the same place before and after, two arms chosen by hand, or drawn by lot."""

    BEFORE_AFTER = "before_after", _("Before and after")
    AB = "ab", _("A/B comparison")
    RANDOMISED = "randomised", _("Randomised assignment of units")


class PilotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    ANALYSING = "analysing", _("Analysing")
    DECIDED = "decided", _("Decided")


class Decision(models.TextChoices):
    SCALE = "scale", pgettext_lazy("pilot decision", "Scale")
    ITERATE = "iterate", _("Iterate")
    STOP = "stop", _("Stop")


class MetricKind(models.TextChoices):
    MEAN = "mean", _("Mean of the values")
    RATE = "rate", _("Rate (share of 0/1 observations)")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Group(models.TextChoices):
    """The period (before/after designs) or the arm (A/B and randomised designs) of an observation."""

    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    A = "A", _("Arm A (current way)")
    B = "B", _("Arm B (new solution)")


class Arm(models.TextChoices):
    A = "A", _("Arm A (current way)")
    B = "B", _("Arm B (new solution)")


class Source(models.TextChoices):
    UI = "ui", _("Entered on the page")
    API = "api", _("Sent through the API")
    CSV = "csv", _("Imported from CSV")


# The groups each design compares, the reference group first (difference = second - first).
DESIGN_GROUPS = {
    Design.BEFORE_AFTER: (Group.BEFORE, Group.AFTER),
    Design.AB: (Group.A, Group.B),
    Design.RANDOMISED: (Group.A, Group.B),
}
# Observations are recorded while the pilot is not decided.
RECORDING = {PilotStatus.DRAFT, PilotStatus.RUNNING, PilotStatus.ANALYSING}
