from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Stage(models.TextChoices):
    """A call has one stage (the proposal) or two (a light expression of interest first)."""

    EXPRESSION_OF_INTEREST = "eoi", _("Expression of interest")
    PROPOSAL = "proposal", _("Full proposal")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Amount of money")
    DATE = "date", _("Date")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes or no")
    URL = "url", _("Web address")
    FILE = "file", _("File")
    GROUP = "group", _("Repeatable group")


# The kinds a repeatable group's fields may have (no files or groups inside a group).
GROUP_FIELD_KINDS = tuple(
    kind for kind in QuestionKind if kind not in (QuestionKind.FILE, QuestionKind.GROUP)
)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FollowKind(models.TextChoices):
    LAB = "lab", _("Lab")
    CHALLENGE = "challenge", _("Challenge")
    SECTOR = "sector", _("Sector")
    TECHNOLOGY = "technology", _("Technology")


class ReminderKind(models.TextChoices):
    HOURS_48 = "48h", _("48 hours before the deadline")
    HOURS_2 = "2h", _("2 hours before the deadline")
