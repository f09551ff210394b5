from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INPUT = "input", _("Input")
    MANAGEMENT = "management", _("Management")
    RESULTS = "results", _("Results")
    IMPACT = "impact", _("Impact")


class Scope(models.TextChoices):
    LAB = "lab", _("Whole lab")
    CAMPAIGN = "campaign", _("Intake campaign")
    CALL = "call", _("Call for solutions")
    CHALLENGE = "challenge", _("One challenge")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed by govlab")
    MANUAL = "manual", _("Entered by hand")


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    NEUTRAL = "neutral", _("Neither")


class Periodicity(models.TextChoices):
    YEAR = "year", _("Yearly")
    QUARTER = "quarter", _("Quarterly")
