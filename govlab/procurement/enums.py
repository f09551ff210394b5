from django.db import models
from django.utils.translation import gettext_lazy as _


class OcdsMethod(models.TextChoices):
    """The closed OCDS ``procurementMethod`` codelist: what each procedure type is published as."""

    OPEN = "open", _("Open")
    SELECTIVE = "selective", _("Selective")
    LIMITED = "limited", _("Limited")
    DIRECT = "direct", _("Direct")


class ProcedureKind(models.TextChoices):
    PPI = "ppi", _("Public procurement of innovation")
    PCP = "pcp", _("Pre-commercial procurement")
    INNOVATION_PARTNERSHIP = "innovation_partnership", _("Innovation partnership")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    SANDBOX = "sandbox", _("Route allowed by a regulatory sandbox")
    MINOR_VALUE = "minor_value", _("Minor-value purchase")
    DIRECT_AWARD = "direct_award", _("Direct award")
    OPEN_TENDER = "open_tender", _("Open tender")
    OTHER = "other", _("Other")


class StepKind(models.TextChoices):
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
    MARKET_CONSULTATION = "market_consultation", _("Market consultation report")
    TENDER_DOCUMENTS = "tender_documents", _("Tender documents")
    EVALUATION_REPORT = "evaluation_report", _("Evaluation report")
    AWARD_DECISION = "award_decision", _("Award decision")
    STANDSTILL = "standstill", _("Standstill period")


# The OCDS documentType each step's document is published as (documentType is an open codelist;
# these are all in it).
STEP_DOCUMENT_TYPES = {
    StepKind.NEEDS_ASSESSMENT: "needsAssessment",
    StepKind.MARKET_CONSULTATION: "marketStudies",
    StepKind.TENDER_DOCUMENTS: "biddingDocuments",
    StepKind.EVALUATION_REPORT: "evaluationReports",
    StepKind.AWARD_DECISION: "awardNotice",
    StepKind.STANDSTILL: "awardNotice",
}


class ProcessStatus(models.TextChoices):
    PLANNING = "planning", _("Preparing the procedure")
    TENDERING = "tendering", _("Tendering")
    STANDSTILL = "standstill", _("Awarded, in the standstill period")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
