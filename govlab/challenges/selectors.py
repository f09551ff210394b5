"""Reads for challenges and campaigns, fetched in bulk for list pages and the API."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from govlab.organisations.selectors import user_organisation_roles
from govlab.taxonomy.models import Term

from .enums import ChallengeStatus
from .models import Challenge, ChallengeTransition, CriterionAssessment, IntakeCampaign

SORTS = {
    "newest": ("-submitted_at", "-pk"),
    "oldest": ("submitted_at", "pk"),
    "title": ("search_text", "pk"),
    "priority": ("priority_rank", "pk"),
    "updated": ("-updated_at", "-pk"),
}


def challenge_search(
    queryset,
    *,
    query: str = "",
    lab=None,
    status: str = "",
    sdg: str = "",
    sector: str = "",
    technology: str = "",
    country: str = "",
    campaign=None,
    sort: str = "newest",
):
    """Filter and sort challenges. Every word of ``query`` must appear in one of the searched texts."""
    for word in (query or "").lower().split()[:10]:
        queryset = queryset.filter(search_text__contains=word)
    if lab is not None:
        queryset = queryset.filter(lab=lab)
    if status:
        queryset = queryset.filter(status=status)
    if sdg:
        queryset = queryset.filter(sdgs__code=sdg)
    if sector:
        queryset = queryset.filter(sectors__code=sector)
    if technology:
        queryset = queryset.filter(technologies__code=technology)
    if country:
        queryset = queryset.filter(country=country)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if sdg or sector or technology:
        queryset = queryset.distinct()
    return queryset.order_by(*SORTS.get(sort, SORTS["newest"]))


def challenge_list_public(**filters):
    return challenge_search(Challenge.objects.public().for_list(), **filters)


# The columns a card of the public list shows (challenges/challenge_list.html): the other translated texts
# are long JSON documents that each row would otherwise fetch and decode for nothing.
PUBLIC_CARD_FIELDS = (
    "reference",
    "title",
    "problem_statement",
    "status",
    "country",
    "lab__name",
    "lab__slug",
    "lab__languages",
    "owner__name",
    "owner__slug",
)


def challenge_cards_public(**filters):
    """``challenge_list_public`` fetching only what a card of the public list shows."""
    return (
        challenge_list_public(**filters)
        .select_related(None)
        .select_related("lab", "owner")
        .only(*PUBLIC_CARD_FIELDS)
        # Plain lists on each card (card_sdgs, card_sectors): cheaper to render than related managers.
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("sdgs", queryset=Term.objects.all(), to_attr="card_sdgs"),
            Prefetch("sectors", queryset=Term.objects.all(), to_attr="card_sectors"),
        )
    )


def challenges_of_user(user):
    """The challenges of the entities this person belongs to ("my challenges")."""
    organisation_ids = list(user_organisation_roles(user))
    return (
        Challenge.objects.filter(Q(owner_id__in=organisation_ids) | Q(co_owners__id__in=organisation_ids))
        .distinct()
        .select_related("lab", "campaign", "owner")
        .order_by("-updated_at", "-pk")
    )


def screening_board(*, lab, campaign=None):
    """The lab's challenges that are past draft, with counts per state."""
    queryset = Challenge.objects.filter(lab=lab).exclude(status=ChallengeStatus.DRAFT)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    counts = dict(queryset.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return queryset.select_related("owner", "campaign").order_by(
        "priority_rank", "-submitted_at", "pk"
    ), counts


def campaign_list(*, lab=None, published_only: bool = True):
    queryset = IntakeCampaign.objects.select_related("lab").annotate(
        challenge_count=Count(
            "challenges", filter=~Q(challenges__status=ChallengeStatus.DRAFT), distinct=True
        )
    )
    if lab is not None:
        queryset = queryset.filter(lab=lab)
    if published_only:
        queryset = queryset.filter(is_published=True)
    return queryset.order_by("-opens_at", "pk")


def challenge_timeline(challenge):
    return (
        ChallengeTransition.objects.filter(challenge=challenge)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def campaign_screening_rows(campaign):
    """Every submitted challenge of a campaign with its assessments, for the CSV export."""
    return (
        Challenge.objects.filter(campaign=campaign)
        .exclude(status=ChallengeStatus.DRAFT)
        .select_related("owner")
        .prefetch_related(
            Prefetch("assessments", queryset=CriterionAssessment.objects.select_related("criterion"))
        )
        .order_by("priority_rank", "reference")
    )


# --- The lab's pages (screening and characterisation) ---------------------------------------------

# The board shows states in the order of the pipeline, not alphabetically.
PIPELINE_ORDER = [value for value in ChallengeStatus.values if value != ChallengeStatus.DRAFT]


def lab_board_challenges(*, lab, campaign=None, status: str = ""):
    """The screening board's rows in pipeline order, with the counts per state (of the campaign filter)."""
    from django.db.models import Case, IntegerField, Value, When

    queryset, counts = screening_board(lab=lab, campaign=campaign)
    if status:
        queryset = queryset.filter(status=status)
    order = Case(
        *[When(status=value, then=Value(index)) for index, value in enumerate(PIPELINE_ORDER)],
        output_field=IntegerField(),
    )
    from django.db.models import F

    ranked = F("priority_rank").asc(nulls_last=True)
    return queryset.order_by(order, ranked, F("submitted_at").desc(nulls_last=True), "pk"), counts


def lab_challenge(*, lab, reference: str):
    """One of the lab's challenges with what the screening and characterisation pages show."""
    from .models import ChallengeTeamMember

    return (
        Challenge.objects.filter(lab=lab, reference=reference)
        .select_related("lab", "owner", "campaign", "legal_regime", "budget_confirmed_by")
        .prefetch_related(
            "co_owners",
            Prefetch("team", queryset=ChallengeTeamMember.objects.select_related("user")),
        )
        .first()
    )


def challenge_worksheets(challenge) -> dict:
    """{kind: Worksheet} of a challenge."""
    from .models import Worksheet

    return {worksheet.kind: worksheet for worksheet in Worksheet.objects.filter(challenge=challenge)}


def worksheet_versions(worksheet):
    from .models import WorksheetVersion

    versions = WorksheetVersion.objects.filter(worksheet=worksheet)
    return versions.select_related("created_by").order_by("-number")


def challenge_assessments(challenge) -> dict:
    """{criterion id: CriterionAssessment} of a challenge."""
    assessments = CriterionAssessment.objects.filter(challenge=challenge).select_related("assessed_by")
    return {assessment.criterion_id: assessment for assessment in assessments}


# --- Added for the public pages and the entity's workspace (append-only) ------------------------------


def challenges_of_user_workspace(user):
    """My challenges, with what their next steps need (team, worksheets, campaign) fetched in bulk."""
    from .models import ChallengeTeamMember, Worksheet

    return challenges_of_user(user).prefetch_related(
        Prefetch("team", queryset=ChallengeTeamMember.objects.only("pk", "challenge_id", "role")),
        Prefetch("worksheets", queryset=Worksheet.objects.only("pk", "challenge_id", "kind", "is_complete")),
    )


def challenge_for_page(reference: str):
    """One challenge with what its page shows, or None."""
    return (
        Challenge.objects.filter(reference=reference)
        .select_related("lab", "owner", "campaign", "legal_regime", "budget_confirmed_by")
        .prefetch_related("co_owners", "sdgs", "thematic_areas", "sectors", "technologies")
        .first()
    )


def campaign_public_feed(*, lab=None):
    """Published campaigns for the iCal feed, with their lab."""
    queryset = IntakeCampaign.objects.filter(is_published=True).select_related("lab")
    if lab is not None:
        queryset = queryset.filter(lab=lab)
    return queryset.order_by("opens_at", "pk")


def campaign_for_page(campaign_id=None, *, slug: str = "", lab_slug: str = ""):
    """One campaign with its lab, criteria and the entities it is open to; None unless exactly one matches."""
    queryset = IntakeCampaign.objects.select_related("lab").prefetch_related("criteria", "open_to")
    if campaign_id is not None:
        return queryset.filter(pk=campaign_id).first()
    queryset = queryset.filter(slug=slug)
    if lab_slug:
        queryset = queryset.filter(lab__slug=lab_slug)
    found = list(queryset[:2])
    return found[0] if len(found) == 1 else None


def campaign_export_rows(campaign):
    """campaign_screening_rows with the ranked challenges first on every database (NULLs sort last)."""
    from django.db.models import F

    return campaign_screening_rows(campaign).order_by(F("priority_rank").asc(nulls_last=True), "reference")
