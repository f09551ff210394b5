from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractKind(models.TextChoices):
    PURCHASE = "purchase", _("Purchase contract")
    PILOT_AGREEMENT = "pilot_agreement", _("Pilot agreement")


class ContractStatus(models.TextChoices):
    """Mirrors the closed OCDS contractStatus codelist."""

    PENDING = "pending", _("Not signed yet")
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    TERMINATED = "terminated", _("Finished")


class IpTerms(models.TextChoices):
    SUPPLIER_KEEPS_LICENCE = "supplier_licence", _("IP stays with the supplier; licence to the buyer")
    BUYER_OWNS = "buyer_owns", _("IP transferred to the buyer")
    JOINT = "joint", _("IP owned jointly")
    OPEN_SOURCE = "open_source", _("Published under an open licence")
    OTHER = "other", _("Other terms (see details)")


class MilestoneStatus(models.TextChoices):
    """Mirrors the closed OCDS milestoneStatus codelist."""

    SCHEDULED = "scheduled", _("Scheduled")
    MET = "met", _("Met")
    NOT_MET = "notMet", _("Not met")
    PARTIALLY_MET = "partiallyMet", _("Partially met")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class IssueKind(models.TextChoices):
    ISSUE = "issue", _("Issue")
    RISK = "risk", _("Risk")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATED = "mitigated", _("Mitigated")
    CLOSED = "closed", _("Closed")
