"""Writes for intake campaigns and challenges. The one state-change function is challenge_transition."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.audit.services import audit_record, diff_fields, snapshot
from govlab.core.i18n import pick
from govlab.core.refusals import coded
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_manager, is_lab_staff
from govlab.labs.selectors import lab_team_users
from govlab.notifications.services import notify
from govlab.organisations.selectors import organisation_people

from .enums import (
    CHARACTERISATION_EDITABLE,
    ENTITY_EDITABLE,
    ChallengeStatus,
    CriterionAnswer,
    DeclineReason,
    PublicSection,
    TeamRole,
    WorksheetKind,
)
from .models import (
    Challenge,
    ChallengeAttachment,
    ChallengeTeamMember,
    ChallengeTransition,
    CriterionAssessment,
    IntakeCampaign,
    LegalRegime,
    ViabilityCriterion,
    Worksheet,
    WorksheetVersion,
)
from .rules import is_challenge_entity_member
from .workflow import CALL, ENTITY, ENTITY_SERVICE_TRANSITIONS, LAB, find_transition
from .worksheets import clean_worksheet_data


class ConflictError(ValidationError):
    """Someone else saved the challenge since this person loaded it."""


# --- Campaigns ---------------------------------------------------------------------------------

CAMPAIGN_FIELDS = ("title", "slug", "description", "opens_at", "closes_at", "is_published")


def _clean_criteria(criteria) -> list[dict]:
    cleaned = []
    for position, item in enumerate(criteria or []):
        name = item.get("name") or {}
        if not any((text or "").strip() for text in name.values()):
            continue
        cleaned.append({"name": name, "description": item.get("description") or {}, "position": position})
    return cleaned


@transaction.atomic
def campaign_create(*, lab, created_by, criteria=(), open_to=(), **fields: Any) -> IntakeCampaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"Not campaign fields: {sorted(unknown)}")
    campaign = IntakeCampaign(lab=lab, created_by=created_by, **fields)
    # The unique constraint is checked below with a message that names the field.
    campaign.full_clean(validate_constraints=False)
    if IntakeCampaign.objects.filter(lab=lab, slug=campaign.slug).exists():
        raise ValidationError({"slug": _("This lab already has a campaign with this short name.")})
    campaign.save()
    campaign.open_to.set(open_to)
    for item in _clean_criteria(criteria):
        criterion = ViabilityCriterion(campaign=campaign, **item)
        criterion.full_clean()
        criterion.save()
    audit_record(
        actor=created_by,
        action="campaign.create",
        target=campaign,
        lab=lab,
        changes={
            **{name: [None, value] for name, value in snapshot(campaign, fields).items()},
            "criteria": [None, [c["name"] for c in _clean_criteria(criteria)]],
        },
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: IntakeCampaign, updated_by, open_to=None, reason: str = "", **fields
) -> IntakeCampaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"Not campaign fields: {sorted(unknown)}")
    before = snapshot(campaign, fields)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean(validate_constraints=False)
    if (
        "slug" in fields
        and IntakeCampaign.objects.filter(lab=campaign.lab, slug=campaign.slug)
        .exclude(pk=campaign.pk)
        .exists()
    ):
        raise ValidationError({"slug": _("This lab already has a campaign with this short name.")})
    changes = diff_fields(campaign, before, fields)
    if open_to is not None:
        old = sorted(campaign.open_to.values_list("pk", flat=True))
        campaign.open_to.set(open_to)
        new = sorted(o.pk for o in open_to)
        if old != new:
            changes["open_to"] = [old, new]
    if changes:
        if set(changes) - {"open_to"}:
            campaign.save(update_fields=[*(set(changes) - {"open_to"}), "updated_at"])
        audit_record(
            actor=updated_by,
            action="campaign.update",
            target=campaign,
            lab=campaign.lab,
            changes=changes,
            reason=reason,
        )
    return campaign


@transaction.atomic
def criterion_save(
    *,
    campaign: IntakeCampaign,
    saved_by,
    name: dict,
    description: dict | None = None,
    criterion: ViabilityCriterion | None = None,
    position: int | None = None,
) -> ViabilityCriterion:
    """Add a viability criterion to a campaign, or change one."""
    if criterion is None:
        next_position = (campaign.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
        criterion = ViabilityCriterion(
            campaign=campaign, position=next_position if position is None else position
        )
        before = {}
        action = "campaign.criterion.add"
    else:
        if criterion.campaign_id != campaign.pk:
            raise ValidationError(_("This criterion belongs to another campaign."))
        before = snapshot(criterion, ["name", "description", "position"])
        action = "campaign.criterion.change"
    criterion.name = name
    criterion.description = description or {}
    if position is not None:
        criterion.position = position
    criterion.full_clean()
    criterion.save()
    audit_record(
        actor=saved_by,
        action=action,
        target=campaign,
        lab=campaign.lab,
        changes=diff_fields(criterion, before, ["name", "description", "position"]),
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: ViabilityCriterion, removed_by) -> None:
    """Remove a criterion that no challenge has been screened against yet."""
    if criterion.assessments.exists():
        raise ValidationError(
            _("Challenges have already been screened against this criterion; it cannot be removed.")
        )
    campaign = criterion.campaign
    audit_record(
        actor=removed_by,
        action="campaign.criterion.remove",
        target=campaign,
        lab=campaign.lab,
        changes={"name": [criterion.name, None]},
    )
    criterion.delete()


@transaction.atomic
def legal_regime_save(
    *,
    lab,
    saved_by,
    name: dict,
    description: dict | None = None,
    source_url: str = "",
    regime: LegalRegime | None = None,
    is_active: bool = True,
) -> LegalRegime:
    regime = regime or LegalRegime(lab=lab)
    before = snapshot(regime, ["name", "description", "source_url", "is_active"]) if regime.pk else {}
    regime.name, regime.description, regime.source_url, regime.is_active = (
        name,
        description or {},
        source_url,
        is_active,
    )
    regime.full_clean()
    regime.save()
    audit_record(
        actor=saved_by,
        action="legal_regime.save",
        target=regime,
        lab=lab,
        changes=diff_fields(regime, before, ["name", "description", "source_url", "is_active"]),
    )
    return regime


# --- Challenges: content -----------------------------------------------------------------------

DESCRIPTION_FIELDS = (
    "title",
    "problem_statement",
    "background",
    "affected",
    "affected_count",
    "evidence_quantitative",
    "evidence_qualitative",
    "evidence_links",
    "desired_outcomes",
    "constraints",
    "country",
    "region",
    "latitude",
    "longitude",
    "is_public",
    "public_sections",
    "campaign",
)
DESCRIPTION_M2M = ("sdgs", "thematic_areas", "sectors", "technologies", "co_owners")
CHARACTERISATION_FIELDS = (
    "technical_characteristics",
    "required_functionalities",
    "expected_duration_months",
    "estimated_cost",
    "estimated_cost_currency",
    "legal_regime",
    "pilot_infrastructure",
    "pilot_infrastructure_available",
)
SUBMISSION_REQUIRED = ("title", "problem_statement", "country")


def _plain(fields: dict, allowed: tuple[str, ...], m2m: tuple[str, ...] = ()) -> tuple[dict, dict]:
    unknown = set(fields) - set(allowed) - set(m2m)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    return ({k: v for k, v in fields.items() if k in allowed}, {k: v for k, v in fields.items() if k in m2m})


def _validate_links(links) -> list[str]:
    from django.core.validators import URLValidator

    if links in (None, ""):
        return []
    if isinstance(links, str):
        links = links.split()
    if not isinstance(links, list):
        raise ValidationError({"evidence_links": _("Give a list of web addresses.")})
    validator = URLValidator(schemes=["http", "https"])
    cleaned = []
    for link in links:
        link = (link or "").strip()
        if not link:
            continue
        try:
            validator(link)
        except ValidationError as error:
            raise ValidationError(
                {"evidence_links": _("“%(link)s” is not a valid web address.") % {"link": link[:200]}}
            ) from error
        cleaned.append(link)
    return cleaned[:20]


def _validate_public_sections(value) -> list[str]:
    value = value or []
    unknown = [v for v in value if v not in PublicSection.values]
    if unknown:
        raise ValidationError({"public_sections": _("Unknown section: %(s)s.") % {"s": ", ".join(unknown)}})
    return list(dict.fromkeys(value))


def _next_reference(lab) -> str:
    """The next free reference in the lab's series; call it in the transaction that saves the challenge.

    It locks every lab whose references share the prefix until that transaction ends: otherwise two
    creations count the same rows, pick the same number and the second fails on the unique index.
    """
    year = timezone.now().year
    prefix = f"{lab.slug[:12].upper()}-{year}-"
    list(
        Lab.objects.select_for_update(no_key=True)
        .filter(slug__istartswith=lab.slug[:12])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = Challenge.objects.filter(reference__startswith=prefix).count() + 1
    while Challenge.objects.filter(reference=f"{prefix}{count:04d}").exists():
        count += 1
    return f"{prefix}{count:04d}"


def _related_ids(challenge, name):
    return sorted(o.pk for o in getattr(challenge, name).all())


def _check_campaign(challenge: Challenge, owner) -> None:
    campaign = challenge.campaign
    if campaign is None:
        return
    if campaign.lab_id != challenge.lab_id:
        raise ValidationError({"campaign": _("This campaign belongs to another lab.")})


@transaction.atomic
def challenge_create(*, lab, owner, created_by, **fields: Any) -> Challenge:
    """Start a challenge as a draft of ``owner`` (a public entity). Drafts may be incomplete."""
    plain, related = _plain(fields, DESCRIPTION_FIELDS, DESCRIPTION_M2M)
    if owner.kind != "public_entity":
        raise ValidationError({"owner": _("Only a public entity can bring a challenge.")})
    if "evidence_links" in plain:
        plain["evidence_links"] = _validate_links(plain["evidence_links"])
    if "public_sections" in plain:
        plain["public_sections"] = _validate_public_sections(plain["public_sections"])
    challenge = Challenge(
        lab=lab, owner=owner, created_by=created_by, reference=_next_reference(lab), **plain
    )
    if not challenge.country and owner.country:
        challenge.country = owner.country
    challenge.search_text = challenge.build_search_text()
    challenge.full_clean()
    _check_campaign(challenge, owner)
    challenge.save()
    for name, values in related.items():
        getattr(challenge, name).set(values)
    audit_record(
        actor=created_by,
        action="challenge.create",
        target=challenge,
        lab=lab,
        changes={"owner": [None, owner.pk], **{k: [None, v] for k, v in snapshot(challenge, plain).items()}},
    )
    ChallengeTransition.objects.create(
        challenge=challenge,
        from_status="",
        to_status=ChallengeStatus.DRAFT,
        actor=created_by if created_by.is_authenticated else None,
    )
    return challenge


def _save_versioned(challenge: Challenge, expected_version: int | None, update_fields: list[str]) -> None:
    """Save only if nobody else saved since ``expected_version``; raise ConflictError otherwise."""
    values = {name: getattr(challenge, name) for name in update_fields}
    # Also only if the status is still the one the caller checked: a transition may have committed since.
    queryset = Challenge.objects.filter(pk=challenge.pk, status=challenge.status)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    updated = queryset.update(**values, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise ConflictError(
            _(
                "Someone else saved this challenge while you were editing it. Your changes were not saved: "
                "reload to see theirs, then apply yours again."
            ),
            code="conflict",
        )
    challenge.refresh_from_db(fields=["version", "updated_at"])


@transaction.atomic
def challenge_update(
    *, challenge: Challenge, updated_by, expected_version: int | None = None, **fields
) -> Challenge:
    """Change what the entity says about its challenge (while a draft, or when more information is asked)."""
    plain, related = _plain(fields, DESCRIPTION_FIELDS, DESCRIPTION_M2M)
    if challenge.status not in ENTITY_EDITABLE:
        raise ValidationError(
            _("This challenge can no longer be edited: it is %(status)s.")
            % {"status": challenge.get_status_display().lower()}
        )
    if "evidence_links" in plain:
        plain["evidence_links"] = _validate_links(plain["evidence_links"])
    if "public_sections" in plain:
        plain["public_sections"] = _validate_public_sections(plain["public_sections"])
    before = snapshot(challenge, plain)
    for name, value in plain.items():
        setattr(challenge, name, value)
    challenge.full_clean()
    _check_campaign(challenge, challenge.owner)
    changes = diff_fields(challenge, before, plain)
    for name, values in related.items():
        old, new = _related_ids(challenge, name), sorted(item.pk for item in values)
        if old != new:
            changes[name] = [old, new]
    if not changes:
        return challenge
    challenge.search_text = challenge.build_search_text()
    _save_versioned(
        challenge,
        expected_version,
        [("campaign_id" if n == "campaign" else n) for n in changes if n not in related] + ["search_text"],
    )
    for name in related:
        if name in changes:
            getattr(challenge, name).set(related[name])
    audit_record(
        actor=updated_by, action="challenge.update", target=challenge, lab=challenge.lab, changes=changes
    )
    return challenge


@transaction.atomic
def challenge_characterise(
    *, challenge: Challenge, updated_by, expected_version: int | None = None, **fields
) -> Challenge:
    """Record the characterisation (phase 2), by the entity and the lab together."""
    plain, _related = _plain(fields, CHARACTERISATION_FIELDS)
    if challenge.status not in CHARACTERISATION_EDITABLE:
        raise ValidationError(
            _(
                "The characterisation can be edited only once the challenge is accepted and "
                "before it is ready for a call."
            )
        )
    regime = plain.get("legal_regime")
    if regime is not None and regime.lab_id != challenge.lab_id:
        raise ValidationError({"legal_regime": _("Choose one of this lab's legal regimes.")})
    if plain.get("estimated_cost") is not None and not plain.get(
        "estimated_cost_currency", challenge.estimated_cost_currency
    ):
        raise ValidationError({"estimated_cost_currency": _("Say in which currency the cost is estimated.")})
    before = snapshot(challenge, plain)
    for name, value in plain.items():
        setattr(challenge, name, value)
    challenge.full_clean()
    changes = diff_fields(challenge, before, plain)
    if not changes:
        return challenge
    _save_versioned(
        challenge, expected_version, [("legal_regime_id" if n == "legal_regime" else n) for n in changes]
    )
    audit_record(
        actor=updated_by,
        action="challenge.characterise",
        target=challenge,
        lab=challenge.lab,
        changes=changes,
    )
    return challenge


@transaction.atomic
def challenge_confirm_budget(
    *, challenge: Challenge, confirmed_by, amount: Decimal, currency: str, source: str
) -> Challenge:
    """Record the budget the entity has confirmed for the eventual purchase."""
    if challenge.status not in CHARACTERISATION_EDITABLE:
        raise ValidationError(
            _("The budget can be confirmed only while the challenge is being characterised.")
        )
    errors = {}
    if amount is None or Decimal(amount) <= 0:
        errors["budget_amount"] = _("Give an amount greater than zero.")
    from govlab.labs.models import CURRENCY_CHOICES

    if currency not in {code for code, _label in CURRENCY_CHOICES}:
        errors["budget_currency"] = _("Give a currency as its three-letter code, e.g. EUR or COP.")
    if not (source or "").strip():
        errors["budget_source"] = _("Say where the money comes from (e.g. the entity's 2026 budget line).")
    if errors:
        raise ValidationError(errors)
    before = snapshot(challenge, ["budget_amount", "budget_currency", "budget_source"])
    challenge.budget_amount = Decimal(amount)
    challenge.budget_currency = currency
    challenge.budget_source = source.strip()
    challenge.budget_confirmed_by = confirmed_by
    challenge.budget_confirmed_at = timezone.now()
    challenge.full_clean()
    _save_versioned(
        challenge,
        None,
        [
            "budget_amount",
            "budget_currency",
            "budget_source",
            "budget_confirmed_by_id",
            "budget_confirmed_at",
        ],
    )
    audit_record(
        actor=confirmed_by,
        action="challenge.budget.confirm",
        target=challenge,
        lab=challenge.lab,
        changes=diff_fields(challenge, before, ["budget_amount", "budget_currency", "budget_source"]),
    )
    return challenge


@transaction.atomic
def challenge_attachment_add(
    *, challenge: Challenge, uploaded_by, file, description: str = ""
) -> ChallengeAttachment:
    if challenge.status not in ENTITY_EDITABLE | CHARACTERISATION_EDITABLE:
        raise ValidationError(_("Attachments can no longer be added to this challenge."))
    attachment = ChallengeAttachment(
        challenge=challenge,
        file=file,
        original_name=file.name[:255],
        size=file.size,
        description=description,
        uploaded_by=uploaded_by,
    )
    attachment.full_clean()
    attachment.save()
    audit_record(
        actor=uploaded_by,
        action="challenge.attachment.add",
        target=challenge,
        lab=challenge.lab,
        changes={"attachment": [None, attachment.original_name]},
    )
    return attachment


@transaction.atomic
def challenge_attachment_remove(*, attachment: ChallengeAttachment, removed_by) -> None:
    challenge = attachment.challenge
    if challenge.status not in ENTITY_EDITABLE | CHARACTERISATION_EDITABLE:
        raise ValidationError(_("Attachments can no longer be removed from this challenge."))
    audit_record(
        actor=removed_by,
        action="challenge.attachment.remove",
        target=challenge,
        lab=challenge.lab,
        changes={"attachment": [attachment.original_name, None]},
    )
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def team_member_add(
    *,
    challenge: Challenge,
    added_by,
    role: str,
    user=None,
    name: str = "",
    email: str = "",
    job_title: str = "",
) -> ChallengeTeamMember:
    if challenge.status not in CHARACTERISATION_EDITABLE | ENTITY_EDITABLE:
        raise ValidationError(_("The team can be changed only while the challenge is being prepared."))
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if user is None and not name.strip():
        raise ValidationError({"name": _("Name a person, or choose a govlab user.")})
    member = ChallengeTeamMember(
        challenge=challenge, role=role, user=user, name=name.strip(), email=email, job_title=job_title
    )
    member.full_clean()
    member.save()
    audit_record(
        actor=added_by,
        action="challenge.team.add",
        target=challenge,
        lab=challenge.lab,
        changes={"team": [None, {"role": role, "user": getattr(user, "pk", None), "name": name}]},
    )
    return member


@transaction.atomic
def team_member_remove(*, member: ChallengeTeamMember, removed_by) -> None:
    challenge = member.challenge
    if challenge.status not in CHARACTERISATION_EDITABLE | ENTITY_EDITABLE:
        raise ValidationError(_("The team can be changed only while the challenge is being prepared."))
    audit_record(
        actor=removed_by,
        action="challenge.team.remove",
        target=challenge,
        lab=challenge.lab,
        changes={"team": [{"role": member.role, "user": member.user_id, "name": member.name}, None]},
    )
    member.delete()


@transaction.atomic
def worksheet_save(
    *,
    challenge: Challenge,
    kind: str,
    data: dict,
    saved_by,
    complete: bool = False,
    expected_version: int | None = None,
) -> WorksheetVersion:
    """Save a new version of one of the challenge's worksheets (earlier versions are kept).

    ``expected_version`` is the version the person started from (0 for a new worksheet): if someone saved
    a newer one meanwhile, nothing is saved and ConflictError says so.
    """
    if kind not in WorksheetKind.values:
        raise ValidationError({"kind": _("Unknown worksheet.")})
    if challenge.status not in CHARACTERISATION_EDITABLE | ENTITY_EDITABLE:
        raise ValidationError(_("Worksheets can be edited only while the challenge is being prepared."))
    cleaned = clean_worksheet_data(kind, data, complete=complete)
    worksheet, _created = Worksheet.objects.select_for_update().get_or_create(challenge=challenge, kind=kind)
    if expected_version is not None and worksheet.current_version != expected_version:
        raise ConflictError(
            _(
                "Someone else saved this worksheet while you were editing it. Your changes were not saved: "
                "reload to see theirs, then apply yours again."
            ),
            code="conflict",
        )
    worksheet.current_version += 1
    worksheet.is_complete = complete
    worksheet.save(update_fields=["current_version", "is_complete"])
    version = WorksheetVersion.objects.create(
        worksheet=worksheet, number=worksheet.current_version, data=cleaned, created_by=saved_by
    )
    audit_record(
        actor=saved_by,
        action="challenge.worksheet.save",
        target=challenge,
        lab=challenge.lab,
        changes={"worksheet": [None, {"kind": kind, "version": version.number, "complete": complete}]},
    )
    return version


# --- Screening -----------------------------------------------------------------------------------


@transaction.atomic
def challenge_assess_criterion(
    *, challenge: Challenge, criterion: ViabilityCriterion, answer: str, note: str = "", assessed_by
) -> CriterionAssessment:
    if challenge.campaign_id is None or criterion.campaign_id != challenge.campaign_id:
        raise ValidationError({"criterion": _("This criterion is not one of the challenge's campaign.")})
    if challenge.status not in (
        ChallengeStatus.SUBMITTED,
        ChallengeStatus.IN_SCREENING,
        ChallengeStatus.MORE_INFO_REQUESTED,
    ):
        raise ValidationError(_("Criteria are answered while the challenge is being screened."))
    if answer not in CriterionAnswer.values:
        raise ValidationError({"answer": _("Answer met, not met or unknown.")})
    # Two first answers at once: get_or_create turns the loser's unique violation into a read of the winner's.
    assessment, created = CriterionAssessment.objects.select_for_update().get_or_create(
        challenge=challenge, criterion=criterion, defaults={"assessed_by": assessed_by}
    )
    before = {} if created else snapshot(assessment, ["answer", "note"])
    assessment.answer, assessment.note, assessment.assessed_by = answer, note.strip(), assessed_by
    assessment.save()
    changes = diff_fields(assessment, before, ["answer", "note"])
    if changes:
        audit_record(
            actor=assessed_by,
            action="challenge.criterion.assess",
            target=challenge,
            lab=challenge.lab,
            changes={"criterion": [None, criterion.pk], **changes},
        )
    return assessment


@transaction.atomic
def challenge_set_priority(*, challenge: Challenge, rank: int | None, set_by) -> Challenge:
    """Put an accepted challenge at ``rank`` among its campaign's accepted challenges (1 is first).

    The others move down to make room, so ranks stay 1..n without gaps or ties.
    """
    # One prioritisation per campaign (per lab for challenges outside campaigns) at a time: the peers
    # locked below are only those ranked when the query ran, so two of them in parallel both rank first.
    if challenge.campaign_id is not None:
        scope = IntakeCampaign.objects.filter(pk=challenge.campaign_id)
    else:
        scope = Lab.objects.filter(pk=challenge.lab_id)
    list(scope.select_for_update(no_key=True).values_list("pk", flat=True))
    # Read the status again under the challenge's lock: a transition may just have taken it out of the list.
    locked = Challenge.objects.select_for_update().only("status", "priority_rank").get(pk=challenge.pk)
    if locked.status not in (
        ChallengeStatus.ACCEPTED,
        ChallengeStatus.CHARACTERISING,
        ChallengeStatus.READY_FOR_CALL,
    ):
        raise ValidationError(_("Only accepted challenges are prioritised."))
    peers = list(
        Challenge.objects.select_for_update()
        .filter(lab=challenge.lab, campaign=challenge.campaign, priority_rank__isnull=False)
        .exclude(pk=challenge.pk)
        .order_by("priority_rank", "pk")
    )
    if rank is not None:
        if rank < 1:
            raise ValidationError({"priority_rank": _("The priority is a whole number from 1.")})
        rank = min(rank, len(peers) + 1)
        peers.insert(rank - 1, challenge)
    old = locked.priority_rank
    for position, peer in enumerate(peers, start=1):
        if peer.priority_rank != position or peer.pk == challenge.pk:
            Challenge.objects.filter(pk=peer.pk).update(priority_rank=position)
            peer.priority_rank = position
    if rank is None:
        Challenge.objects.filter(pk=challenge.pk).update(priority_rank=None)
        challenge.priority_rank = None
    audit_record(
        actor=set_by,
        action="challenge.prioritise",
        target=challenge,
        lab=challenge.lab,
        changes={"priority_rank": [old, challenge.priority_rank]},
    )
    return challenge


# --- Readiness and submission ------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    code: str
    message: str


REQUIRED_WORKSHEETS = (WorksheetKind.PROBLEM_TREE, WorksheetKind.HOW_MIGHT_WE, WorksheetKind.NEEDS_ANALYSIS)


def challenge_submission_gaps(challenge: Challenge) -> list[Gap]:
    """What a draft still lacks before it can be submitted."""
    gaps = []
    if not pick(challenge.title).text:
        gaps.append(Gap("title", _("Give the challenge a title.")))
    if not pick(challenge.problem_statement).text:
        gaps.append(Gap("problem_statement", _("Describe the problem (“Our challenge is that…”).")))
    if not challenge.country:
        gaps.append(Gap("country", _("Say in which country the challenge is.")))
    if challenge.campaign_id and not challenge.campaign.is_open():
        gaps.append(Gap("campaign", _("The campaign is not open for submissions.")))
    return gaps


def challenge_readiness_gaps(challenge: Challenge) -> list[Gap]:
    """What the readiness checklist still misses before the challenge can go to a call."""
    gaps = []
    # List pages prefetch the team and worksheets; use them rather than two queries per challenge.
    prefetched = getattr(challenge, "_prefetched_objects_cache", {})
    if "team" in prefetched:
        roles = {member.role for member in prefetched["team"]}
    else:
        roles = set(challenge.team.values_list("role", flat=True))
    missing_roles = [TeamRole(role).label for role in TeamRole.values if role not in roles]
    if missing_roles:
        gaps.append(
            Gap(
                "team",
                _("Name the multidisciplinary team: %(roles)s missing.")
                % {"roles": ", ".join(str(r).lower() for r in missing_roles)},
            )
        )
    if not (challenge.budget_amount and challenge.budget_currency and challenge.budget_confirmed_by_id):
        gaps.append(Gap("budget", _("Confirm the budget for the purchase (amount, currency, source).")))
    if not challenge.legal_regime_id:
        gaps.append(Gap("legal_regime", _("Identify the entity's legal regime.")))
    missing = []
    if not pick(challenge.technical_characteristics).text:
        missing.append(_("technical characteristics"))
    if not pick(challenge.required_functionalities).text:
        missing.append(_("required functionalities"))
    if not challenge.expected_duration_months:
        missing.append(_("expected duration"))
    if challenge.estimated_cost is None:
        missing.append(_("estimated cost"))
    if "worksheets" in prefetched:
        complete = {worksheet.kind for worksheet in prefetched["worksheets"] if worksheet.is_complete}
    else:
        complete = set(challenge.worksheets.filter(is_complete=True).values_list("kind", flat=True))
    missing += [WorksheetKind(kind).label for kind in REQUIRED_WORKSHEETS if kind not in complete]
    if missing:
        gaps.append(
            Gap(
                "characterisation",
                _("Complete the characterisation: %(items)s.")
                % {"items": ", ".join(str(item) for item in missing)},
            )
        )
    if not challenge.pilot_infrastructure_available:
        gaps.append(
            Gap("pilot_infrastructure", _("Confirm that infrastructure to host a pilot is available."))
        )
    return gaps


# --- The state machine ---------------------------------------------------------------------------


def actor_kinds(user, challenge: Challenge) -> set[str]:
    kinds = set()
    if is_challenge_entity_member(user, challenge):
        kinds.add(ENTITY)
    if is_lab_staff(user, challenge.lab):
        kinds.add(LAB)
    return kinds


@transaction.atomic
def challenge_transition(
    *,
    challenge: Challenge,
    target: str,
    actor,
    reason: str = "",
    decline_reason: str = "",
    override_justification: str = "",
    via_call: bool = False,
) -> Challenge:
    """Move a challenge to ``target``: the guard, the write, the timeline, the audit entry, the notices.

    ``via_call`` is set only by the phase services (calls, evaluation, strengthening, pilots, Demo Day,
    procurement, contracts): they may take the transitions whose actor is CALL, for lab staff (publishing a
    call, preselecting, starting a programme or a pilot, selecting a solution moves the challenges) and, for
    the purchase, for the entity's members too (``ENTITY_SERVICE_TRANSITIONS``).
    """
    locked = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("lab", "owner", "campaign")
        .get(pk=challenge.pk)
    )
    source = locked.status
    transition = find_transition(source, target)
    if transition is None:
        raise ValidationError(
            _("A challenge that is %(source)s cannot become %(target)s.")
            % {
                "source": ChallengeStatus(source).label.lower(),
                "target": ChallengeStatus(target).label.lower(),
            },
            code="invalid_transition",
        )
    kinds = actor_kinds(actor, locked)
    # The phase services check their own permissions; the buyer (the entity) runs phase 5's purchase.
    if via_call and (LAB in kinds or (ENTITY in kinds and transition.name in ENTITY_SERVICE_TRANSITIONS)):
        kinds.add(CALL)
    only_via_call = transition.actors == {CALL} and not via_call
    if only_via_call or (not (transition.actors & kinds) and not getattr(actor, "is_superuser", False)):
        raise ValidationError(
            _("You may not do this: %(action)s.") % {"action": str(transition.label).lower()},
            code="not_allowed",
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": _("Say why: the entity and the audit trail need a reason.")})
    changes: dict[str, list] = {"status": [source, target]}
    if target == ChallengeStatus.DECLINED:
        if decline_reason not in DeclineReason.values:
            raise ValidationError({"decline_reason": _("Choose why the challenge is declined.")})
        locked.decline_reason = decline_reason
        locked.decision_message = reason
        changes["decline_reason"] = ["", decline_reason]
    if target in (ChallengeStatus.MORE_INFO_REQUESTED, ChallengeStatus.ACCEPTED):
        locked.decision_message = reason
    if transition.name in ("submit", "resubmit"):
        gaps = challenge_submission_gaps(locked)
        if transition.name == "resubmit":
            gaps = [gap for gap in gaps if gap.code != "campaign"]
        if gaps:
            raise coded({gap.code: gap.message for gap in gaps}, "incomplete")
    if transition.gate:
        gaps = challenge_readiness_gaps(locked)
        if gaps:
            justification = (override_justification or "").strip()
            if not justification:
                raise coded({gap.code: gap.message for gap in gaps}, "not_ready")
            if not (is_lab_manager(actor, locked.lab) or getattr(actor, "is_superuser", False)):
                raise ValidationError(
                    _("Only the lab's manager can override the readiness checklist."), code="not_allowed"
                )
            locked.readiness_override = justification
            changes["readiness_override"] = [[g.code for g in gaps], justification]
    now = timezone.now()
    locked.status = target
    locked.status_changed_at = now
    if transition.name == "submit":
        locked.submitted_at = now
    if target not in (
        ChallengeStatus.ACCEPTED,
        ChallengeStatus.CHARACTERISING,
        ChallengeStatus.READY_FOR_CALL,
    ):
        locked.priority_rank = None
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "status_changed_at",
            "submitted_at",
            "decline_reason",
            "decision_message",
            "readiness_override",
            "priority_rank",
            "version",
            "updated_at",
        ]
    )
    ChallengeTransition.objects.create(
        challenge=locked,
        from_status=source,
        to_status=target,
        actor=actor if actor.is_authenticated else None,
        reason=reason,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=f"challenge.{transition.name}",
        target=locked,
        lab=locked.lab,
        changes=changes,
        reason=reason or override_justification,
    )
    _notify_transition(locked, transition, actor, reason)
    challenge.refresh_from_db()
    return challenge


def _notify_transition(challenge, transition, actor, reason) -> None:
    title = pick(challenge.title).text or challenge.reference
    status = ChallengeStatus(transition.target).label
    url = reverse_lazy("challenges:detail", kwargs={"reference": challenge.reference})
    if ENTITY in transition.actors and LAB not in transition.actors:
        recipients = lab_team_users(challenge.lab)
    else:
        recipients = organisation_people(challenge.owner_id)
        if transition.actors == {LAB, ENTITY}:
            recipients += lab_team_users(challenge.lab)
    recipients = [r for r in recipients if r.pk != getattr(actor, "pk", None)]
    if not recipients:
        return
    notify(
        recipients=recipients,
        kind=f"challenge.{transition.name}",
        subject=format_lazy(gettext_lazy("“{title}” is now: {status}"), title=title, status=status),
        body=reason,
        url=url,
        lab=challenge.lab,
    )


@dataclass
class BatchResult:
    challenge: Challenge
    ok: bool
    errors: list[str]


def challenges_transition_batch(
    *, challenges, target: str, actor, reason: str = "", decline_reason: str = ""
) -> list[BatchResult]:
    """One transition for several challenges, each through challenge_transition in its own transaction."""
    results = []
    for challenge in challenges:
        try:
            challenge_transition(
                challenge=challenge, target=target, actor=actor, reason=reason, decline_reason=decline_reason
            )
            results.append(BatchResult(challenge, True, []))
        except ValidationError as error:
            results.append(BatchResult(challenge, False, list(error.messages)))
    return results
