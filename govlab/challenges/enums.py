from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_SCREENING = "in_screening", _("In screening")
    MORE_INFO_REQUESTED = "more_info_requested", _("More information requested")
    ACCEPTED = "accepted", _("Accepted")
    CHARACTERISING = "characterising", _("Characterising")
    READY_FOR_CALL = "ready_for_call", _("Ready for a call")
    IN_CALL = "in_call", _("In a call")
    PRESELECTED = "preselected", _("Solutions preselected")
    STRENGTHENING = "strengthening", _("Strengthening")
    PILOTING = "piloting", _("Piloting")
    SOLUTION_SELECTED = "solution_selected", _("Solution selected")
    PROCURING = "procuring", _("Procuring")
    IMPLEMENTING = "implementing", _("Implementing")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ABANDONED = "abandoned", _("Abandoned")


# States in which the entity may still edit the challenge's description.
ENTITY_EDITABLE = {ChallengeStatus.DRAFT, ChallengeStatus.MORE_INFO_REQUESTED}
# States in which the entity and the lab characterise the challenge together.
CHARACTERISATION_EDITABLE = {ChallengeStatus.ACCEPTED, ChallengeStatus.CHARACTERISING}
# States never shown to the public, whatever the entity chose to publish.
HIDDEN_FROM_PUBLIC = frozenset(
    {
        ChallengeStatus.DRAFT,
        ChallengeStatus.SUBMITTED,
        ChallengeStatus.IN_SCREENING,
        ChallengeStatus.MORE_INFO_REQUESTED,
        ChallengeStatus.DECLINED,
        ChallengeStatus.WITHDRAWN,
    }
)
# Exits: a challenge that leaves the pipeline.
EXIT_STATES = {ChallengeStatus.DECLINED, ChallengeStatus.WITHDRAWN, ChallengeStatus.ABANDONED}


class CriterionAnswer(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Unknown")


class DeclineReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Outside the campaign's scope")
    NO_BUDGET = "no_budget", _("No budget for the purchase")
    NO_TEAM = "no_team", _("No committed team")
    LEGAL_REGIME_UNKNOWN = "legal_regime_unknown", _("Legal regime unknown")
    NOT_AN_INNOVATION_CHALLENGE = "not_innovation", _("Not an innovation challenge")
    DUPLICATE = "duplicate", _("Duplicate of another challenge")
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Not enough information")
    OTHER = "other", _("Other")


class WorksheetKind(models.TextChoices):
    PROBLEM_TREE = "problem_tree", _("Problem tree")
    STAKEHOLDER_MAP = "stakeholder_map", _("Stakeholder map")
    PERSONA = "persona", _("Persona")
    USER_JOURNEY = "user_journey", _("User journey")
    FIVE_WHYS = "five_whys", _("Five whys")
    HOW_MIGHT_WE = "how_might_we", _("“How might we” statements")
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")


class TeamRole(models.TextChoices):
    LEGAL = "legal", _("Legal")
    INNOVATION = "innovation", _("Innovation")
    TECHNOLOGY = "technology", _("Technology")
    STRATEGY = "strategy", _("Strategy")


class PublicSection(models.TextChoices):
    """Parts of a challenge the entity may choose to publish (title and summary always are, once public)."""

    BACKGROUND = "background", _("Background and causes")
    AFFECTED = "affected", _("Who is affected")
    EVIDENCE = "evidence", _("Evidence")
    OUTCOMES = "outcomes", _("Desired outcomes")
    CONSTRAINTS = "constraints", _("Constraints")
    LOCATION = "location", _("Location")
