from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluatorRole(models.TextChoices):
    LAB_STAFF = "lab_staff", _("Lab staff")
    ENTITY_OFFICIAL = "entity_official", _("Public entity official")
    EXTERNAL_EXPERT = "external_expert", _("External expert")


class SeeOthers(models.TextChoices):
    """When an evaluator may read the other evaluators' reviews of an application."""

    NEVER = "never", _("Never")
    AFTER_OWN = "after_own", _("After submitting their own")
    ALWAYS = "always", _("Always")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", _("Preselect: strongly recommended")
    YES = "yes", _("Preselect")
    UNSURE = "unsure", _("Undecided")
    NO = "no", _("Do not preselect")
    STRONG_NO = "strong_no", _("Do not preselect: clearly unsuitable")


class OutcomeReason(models.TextChoices):
    """Why an application was or was not preselected; counted for the lab's reports."""

    SELECTED_TOP_SCORE = "selected_top_score", _("Selected: among the best scored")
    SELECTED_FIT = "selected_fit", _("Selected: best fit for the challenge")
    LOWER_SCORE = "lower_score", _("Not selected: scored below those selected")
    NOT_ELIGIBLE = "not_eligible", _("Not selected: not eligible")
    INCOMPLETE = "incomplete", _("Not selected: incomplete or unclear proposal")
    TRL_TOO_LOW = "trl_too_low", _("Not selected: solution not mature enough")
    OUT_OF_SCOPE = "out_of_scope", _("Not selected: does not answer the challenge")
    COST = "cost", _("Not selected: cost beyond the budget")
    OTHER = "other", _("Other")


SELECTED_REASONS = (OutcomeReason.SELECTED_TOP_SCORE, OutcomeReason.SELECTED_FIT, OutcomeReason.OTHER)
NOT_SELECTED_REASONS = tuple(r for r in OutcomeReason if r not in SELECTED_REASONS[:2])
