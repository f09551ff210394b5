"""The challenges API: campaigns, legal regimes, challenges and everything done to them.

Every write calls the service the HTML views call, and every check is the perm the views ask
(``request.user.has_perm(..., obj)``). A challenge the caller may not see answers 404 whether or not it
exists; a visible challenge with an action the caller may not take answers 403.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from govlab.core.api import ApiError, ErrorSerializer
from govlab.labs.enums import LAB_TEAM_ROLES
from govlab.labs.rules import is_lab_staff
from govlab.labs.selectors import user_lab_roles
from govlab.organisations.selectors import user_organisation_roles

from . import services
from .enums import HIDDEN_FROM_PUBLIC, ChallengeStatus, WorksheetKind
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
)
from .selectors import SORTS, campaign_list, challenge_search
from .serializers import (
    AssessmentSerializer,
    AssessmentWriteSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    AvailableTransitionSerializer,
    BatchResultSerializer,
    BatchTransitionRequestSerializer,
    BudgetSerializer,
    CampaignSerializer,
    CampaignUpdateSerializer,
    CampaignWriteSerializer,
    ChallengeCreateSerializer,
    ChallengeDetailSerializer,
    ChallengeListSerializer,
    ChallengeUpdateSerializer,
    CharacterisationSerializer,
    CriterionSerializer,
    LegalRegimeSerializer,
    PrioritySerializer,
    TeamMemberSerializer,
    TransitionRequestSerializer,
    WorksheetSaveSerializer,
    WorksheetSerializer,
    worksheet_payload,
)
from .workflow import transitions_from

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, or a rule refused it."),
    403: OpenApiResponse(ErrorSerializer, description="Signed out, or not allowed to do this."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not visible to you."),
}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="Someone else saved it since you loaded it.")}


# --- Errors ------------------------------------------------------------------------------------


REFUSAL_MESSAGES = {
    "not_ready": "The readiness checklist is not met.",
    "incomplete": "The challenge is not complete enough to submit.",
}


def refusal(error: DjangoValidationError) -> ApiError:
    """A service's ValidationError as an API error: its code, its message(s), its fields."""
    if isinstance(error, services.ConflictError):
        return ApiError(status_code=409, code="conflict", message=error.messages[0])
    code = getattr(error, "code", None) or "invalid"
    if hasattr(error, "error_dict"):
        fields = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
            for name, messages in error.message_dict.items()
        }
        message = REFUSAL_MESSAGES.get(code, "The request has invalid fields.")
    else:
        fields = {}
        message = " ".join(error.messages)
        if code == "invalid":
            fields = {"non_field_errors": list(error.messages)}
    status_code = 403 if code == "not_allowed" else 400
    return ApiError(status_code=status_code, code=code, message=message, fields=fields)


class ServiceViewSetMixin:
    def call(self, service, **kwargs):
        try:
            return service(**kwargs)
        except DjangoValidationError as error:
            raise refusal(error) from error

    def valid(self, serializer_class, *, partial: bool = False, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _team_lab_ids(user) -> list[int]:
    return [lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]


# --- Challenges ----------------------------------------------------------------------------------


def visible_challenges(user):
    """Public challenges, plus the lab's submitted ones for its staff and the entity's own for its members."""
    if getattr(user, "is_superuser", False):
        return Challenge.objects.all()
    public = Challenge.objects.public()
    if not getattr(user, "is_authenticated", False):
        return public
    lab_ids = _team_lab_ids(user)
    organisation_ids = list(user_organisation_roles(user))
    if not lab_ids and not organisation_ids:
        return public
    condition = Q(is_public=True) & ~Q(status__in=HIDDEN_FROM_PUBLIC)
    if lab_ids:
        condition |= Q(lab_id__in=lab_ids) & ~Q(status=ChallengeStatus.DRAFT)
    if organisation_ids:
        co_owned = Challenge.co_owners.through.objects.filter(organisation_id__in=organisation_ids)
        condition |= Q(owner_id__in=organisation_ids) | Q(pk__in=co_owned.values("challenge_id"))
    return Challenge.objects.filter(condition)


LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Words that must all appear in the challenge's texts."),
    OpenApiParameter("lab", str, description="A lab's short name (slug)."),
    OpenApiParameter("status", str, enum=ChallengeStatus.values),
    OpenApiParameter("sdg", str, description="An SDG term code."),
    OpenApiParameter("sector", str, description="A sector term code."),
    OpenApiParameter("technology", str, description="A technology term code."),
    OpenApiParameter("country", str, description="ISO 3166 two-letter country code."),
    OpenApiParameter("campaign", int, description="An intake campaign's id."),
    OpenApiParameter("ordering", str, enum=list(SORTS)),
]
KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=WorksheetKind.values, description="The worksheet's kind."
)
MEMBER_PARAMETER = OpenApiParameter("member_id", int, OpenApiParameter.PATH, description="Team member id.")
ATTACHMENT_PARAMETER = OpenApiParameter(
    "attachment_id", int, OpenApiParameter.PATH, description="Attachment id."
)


def _detail_queryset():
    return Challenge.objects.select_related(
        "lab", "owner", "campaign", "legal_regime", "budget_confirmed_by"
    ).prefetch_related(
        "sdgs",
        "sectors",
        "technologies",
        "thematic_areas",
        "co_owners",
        Prefetch("team", queryset=ChallengeTeamMember.objects.select_related("user")),
        Prefetch("worksheets", queryset=Worksheet.objects.order_by("kind")),
        "attachments",
        Prefetch("assessments", queryset=CriterionAssessment.objects.select_related("criterion")),
        Prefetch("transitions", queryset=ChallengeTransition.objects.select_related("actor")),
    )


class ChallengeViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Challenges, looked up by their reference (e.g. MILAB-2026-0001)."""

    queryset = Challenge.objects.all()
    serializer_class = ChallengeListSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    # Fetch and authorise in one step.
    def get_challenge(self, perm: str | None = None, queryset=None) -> Challenge:
        if queryset is None:
            queryset = Challenge.objects.select_related("lab", "owner", "campaign").prefetch_related(
                "co_owners"
            )
        challenge = get_object_or_404(queryset, reference=self.kwargs["reference"])
        user = self.request.user
        if not user.has_perm("challenges.view_challenge", challenge):
            raise Http404
        if perm and not user.has_perm(perm, challenge):
            raise exceptions.PermissionDenied
        return challenge

    def may_see_private(self, challenge) -> bool:
        user = self.request.user
        return bool(user.is_superuser or user.has_perm("challenges.view_challenge_private", challenge))

    def detail_response(self, challenge, status_code=status.HTTP_200_OK) -> Response:
        challenge = _detail_queryset().get(pk=challenge.pk)
        context = {"request": self.request, "private": self.may_see_private(challenge)}
        return Response(ChallengeDetailSerializer(challenge, context=context).data, status=status_code)

    @extend_schema(parameters=LIST_PARAMETERS, responses=ChallengeListSerializer(many=True))
    def list(self, request):
        params = request.query_params
        queryset = visible_challenges(request.user).select_related("lab", "campaign", "owner")
        queryset = queryset.prefetch_related("sdgs", "sectors", "technologies")
        if params.get("lab"):
            queryset = queryset.filter(lab__slug=params["lab"])
        campaign = params.get("campaign") or None
        if campaign is not None and not campaign.isdigit():
            raise ApiError(
                status_code=400,
                code="invalid",
                message="The request has invalid fields.",
                fields={"campaign": ["Give a campaign's id."]},
            )
        queryset = challenge_search(
            queryset,
            query=params.get("q", "")[:200],
            status=params.get("status", ""),
            sdg=params.get("sdg", ""),
            sector=params.get("sector", ""),
            technology=params.get("technology", ""),
            country=params.get("country", "").upper(),
            campaign=int(campaign) if campaign else None,
            sort=params.get("ordering", "newest"),
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ChallengeListSerializer(page, many=True).data)

    @extend_schema(responses={200: ChallengeDetailSerializer, **ERRORS})
    def retrieve(self, request, reference=None):
        challenge = self.get_challenge(queryset=_detail_queryset())
        context = {"request": request, "private": self.may_see_private(challenge)}
        return Response(ChallengeDetailSerializer(challenge, context=context).data)

    @extend_schema(request=ChallengeCreateSerializer, responses={201: ChallengeDetailSerializer, **ERRORS})
    def create(self, request):
        data = self.valid(ChallengeCreateSerializer)
        lab, owner = data.pop("lab"), data.pop("owner")
        if not (request.user.is_superuser or owner.pk in user_organisation_roles(request.user)):
            raise exceptions.PermissionDenied("Only members of the entity can bring its challenges.")
        if not owner.labs.filter(pk=lab.pk).exists():
            raise ApiError(
                status_code=400,
                code="invalid",
                message="The request has invalid fields.",
                fields={"owner": ["This entity does not take part in this lab."]},
            )
        challenge = self.call(
            services.challenge_create, lab=lab, owner=owner, created_by=request.user, **data
        )
        return self.detail_response(challenge, status.HTTP_201_CREATED)

    @extend_schema(
        request=ChallengeUpdateSerializer,
        responses={200: ChallengeDetailSerializer, **ERRORS, **CONFLICT},
        description="Change the entity's description; send the `version` you loaded.",
    )
    def partial_update(self, request, reference=None):
        challenge = self.get_challenge("challenges.change_challenge")
        data = self.valid(ChallengeUpdateSerializer, partial=True)
        version = data.pop("version", None)
        if version is None:
            raise exceptions.ValidationError({"version": ["Send the version you loaded."]})
        self.call(
            services.challenge_update,
            challenge=challenge,
            updated_by=request.user,
            expected_version=version,
            **data,
        )
        return self.detail_response(challenge)

    # --- The state machine ---

    @extend_schema(
        request=TransitionRequestSerializer,
        responses={200: ChallengeDetailSerializer, **ERRORS},
        description=(
            "Move the challenge to another state. A refused gate answers 400 with the code `not_ready` "
            "(or `incomplete` for a submission) and one entry in `fields` per thing missing."
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, reference=None):
        challenge = self.get_challenge()
        data = self.valid(TransitionRequestSerializer)
        self.call(
            services.challenge_transition,
            challenge=challenge,
            target=data["to"],
            actor=request.user,
            reason=data["reason"] or data["message"],
            decline_reason=data["reason_category"],
            override_justification=data["override_justification"],
        )
        return self.detail_response(challenge)

    @extend_schema(responses={200: AvailableTransitionSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def transitions(self, request, reference=None):
        """The transitions the caller may take now, each with what is still missing."""
        challenge = self.get_challenge()
        user = request.user
        kinds = services.actor_kinds(user, challenge)
        options = []
        for transition in transitions_from(challenge.status):
            if not (transition.actors & kinds or user.is_superuser):
                continue
            gaps = []
            if transition.name in ("submit", "resubmit"):
                gaps = services.challenge_submission_gaps(challenge)
                if transition.name == "resubmit":
                    gaps = [gap for gap in gaps if gap.code != "campaign"]
            if transition.gate:
                gaps = services.challenge_readiness_gaps(challenge)
            can_override = bool(
                transition.gate
                and gaps
                and (user.is_superuser or user.has_perm("challenges.override_readiness", challenge))
            )
            options.append(
                {
                    "name": transition.name,
                    "to": transition.target,
                    "label": str(transition.label),
                    "needs_reason": transition.needs_reason,
                    "gaps": [{"code": gap.code, "message": str(gap.message)} for gap in gaps],
                    "can_override": can_override,
                }
            )
        return Response(AvailableTransitionSerializer(options, many=True).data)

    @extend_schema(
        request=BatchTransitionRequestSerializer,
        responses={200: BatchResultSerializer(many=True), **ERRORS},
        description="One transition for several challenges, each checked as if done alone.",
    )
    @action(detail=False, methods=["post"], url_path="transition-batch")
    def transition_batch(self, request):
        data = self.valid(BatchTransitionRequestSerializer)
        references = list(dict.fromkeys(data["references"]))
        found = {
            challenge.reference: challenge
            for challenge in Challenge.objects.select_related("lab", "owner", "campaign")
            .prefetch_related("co_owners")
            .filter(reference__in=references)
        }
        visible = [
            found[ref]
            for ref in references
            if ref in found and request.user.has_perm("challenges.view_challenge", found[ref])
        ]
        outcome = {
            result.challenge.reference: result
            for result in services.challenges_transition_batch(
                challenges=visible,
                target=data["to"],
                actor=request.user,
                reason=data["reason"],
                decline_reason=data["reason_category"],
            )
        }
        rows = []
        for ref in references:
            result = outcome.get(ref)
            if result is None:
                rows.append({"reference": ref, "ok": False, "status": None, "errors": ["Not found."]})
            else:
                rows.append(
                    {
                        "reference": ref,
                        "ok": result.ok,
                        "status": result.challenge.status,
                        "errors": [str(message) for message in result.errors],
                    }
                )
        return Response(BatchResultSerializer(rows, many=True).data)

    # --- Screening ---

    @extend_schema(methods=["GET"], responses={200: AssessmentSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=AssessmentWriteSerializer,
        responses={200: AssessmentSerializer, **ERRORS},
        description="Answer one of the campaign's viability criteria (met, not met, unknown).",
    )
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request, reference=None):
        if request.method == "GET":
            challenge = self.get_challenge("challenges.view_challenge_private")
            assessments = challenge.assessments.select_related("criterion").order_by(
                "criterion__position", "criterion_id"
            )
            return Response(AssessmentSerializer(assessments, many=True).data)
        challenge = self.get_challenge("challenges.screen_challenge")
        data = self.valid(AssessmentWriteSerializer)
        criterion = ViabilityCriterion.objects.filter(pk=data["criterion"]).first()
        if criterion is None:
            raise exceptions.ValidationError({"criterion": ["Unknown criterion."]})
        assessment = self.call(
            services.challenge_assess_criterion,
            challenge=challenge,
            criterion=criterion,
            answer=data["answer"],
            note=data["note"],
            assessed_by=request.user,
        )
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(
        request=PrioritySerializer,
        responses={200: ChallengeDetailSerializer, **ERRORS},
        description="Put an accepted challenge at this rank among its campaign's (null takes it out).",
    )
    @action(detail=True, methods=["post"])
    def priority(self, request, reference=None):
        challenge = self.get_challenge("challenges.screen_challenge")
        data = self.valid(PrioritySerializer)
        self.call(
            services.challenge_set_priority, challenge=challenge, rank=data["rank"], set_by=request.user
        )
        return self.detail_response(challenge)

    # --- Characterisation ---

    @extend_schema(
        request=CharacterisationSerializer,
        responses={200: ChallengeDetailSerializer, **ERRORS, **CONFLICT},
        description="Record the characterisation; send the `version` you loaded.",
    )
    @action(detail=True, methods=["patch"])
    def characterisation(self, request, reference=None):
        challenge = self.get_challenge("challenges.characterise_challenge")
        data = self.valid(CharacterisationSerializer, partial=True)
        version = data.pop("version", None)
        if version is None:
            raise exceptions.ValidationError({"version": ["Send the version you loaded."]})
        self.call(
            services.challenge_characterise,
            challenge=challenge,
            updated_by=request.user,
            expected_version=version,
            **data,
        )
        return self.detail_response(challenge)

    @extend_schema(
        request=BudgetSerializer,
        responses={200: ChallengeDetailSerializer, **ERRORS},
        description="Confirm the budget for the eventual purchase (amount, ISO currency, source).",
    )
    @action(detail=True, methods=["post"])
    def budget(self, request, reference=None):
        challenge = self.get_challenge("challenges.characterise_challenge")
        data = self.valid(BudgetSerializer)
        self.call(
            services.challenge_confirm_budget,
            challenge=challenge,
            confirmed_by=request.user,
            amount=data["amount"],
            currency=data["currency"],
            source=data["source"],
        )
        return self.detail_response(challenge)

    @extend_schema(
        responses={
            200: inline_serializer(
                "WorksheetOverview",
                {
                    "kind": serializers.ChoiceField(choices=WorksheetKind.choices),
                    "label": serializers.CharField(),
                    "is_complete": serializers.BooleanField(),
                    "current_version": serializers.IntegerField(),
                },
                many=True,
            ),
            **ERRORS,
        }
    )
    @action(detail=True, methods=["get"])
    def worksheets(self, request, reference=None):
        challenge = self.get_challenge("challenges.view_challenge_private")
        existing = {worksheet.kind: worksheet for worksheet in challenge.worksheets.all()}
        rows = []
        for kind, label in WorksheetKind.choices:
            worksheet = existing.get(kind)
            rows.append(
                {
                    "kind": kind,
                    "label": str(label),
                    "is_complete": bool(worksheet and worksheet.is_complete),
                    "current_version": worksheet.current_version if worksheet else 0,
                }
            )
        return Response(rows)

    @extend_schema(
        methods=["GET"], parameters=[KIND_PARAMETER], responses={200: WorksheetSerializer, **ERRORS}
    )
    @extend_schema(
        methods=["POST"],
        parameters=[KIND_PARAMETER],
        request=WorksheetSaveSerializer,
        responses={201: WorksheetSerializer, **ERRORS},
        description="Save a new version of the worksheet (earlier versions are kept).",
    )
    @action(detail=True, methods=["get", "post"], url_path=r"worksheets/(?P<kind>[a-z_]+)")
    def worksheet(self, request, reference=None, kind=None):
        if kind not in WorksheetKind.values:
            raise Http404
        if request.method == "GET":
            challenge = self.get_challenge("challenges.view_challenge_private")
            worksheet = (
                Worksheet.objects.filter(challenge=challenge, kind=kind)
                .prefetch_related("versions__created_by")
                .first()
            )
            return Response(worksheet_payload(worksheet, kind))
        challenge = self.get_challenge("challenges.characterise_challenge")
        data = self.valid(WorksheetSaveSerializer)
        self.call(
            services.worksheet_save,
            challenge=challenge,
            kind=kind,
            data=data["data"],
            saved_by=request.user,
            complete=data["complete"],
        )
        worksheet = Worksheet.objects.prefetch_related("versions__created_by").get(
            challenge=challenge, kind=kind
        )
        return Response(worksheet_payload(worksheet, kind), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: TeamMemberSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=TeamMemberSerializer,
        responses={201: TeamMemberSerializer, **ERRORS},
        description="Name a member of the entity's multidisciplinary team (a govlab user or a contact).",
    )
    @action(detail=True, methods=["get", "post"])
    def team(self, request, reference=None):
        if request.method == "GET":
            challenge = self.get_challenge("challenges.view_challenge_private")
            return Response(TeamMemberSerializer(challenge.team.select_related("user"), many=True).data)
        challenge = self.get_challenge("challenges.characterise_challenge")
        data = self.valid(TeamMemberSerializer)
        member = self.call(
            services.team_member_add,
            challenge=challenge,
            added_by=request.user,
            role=data["role"],
            user=data.get("user"),
            name=data.get("name", ""),
            email=data.get("email", ""),
            job_title=data.get("job_title", ""),
        )
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[MEMBER_PARAMETER], responses={204: None, **ERRORS})
    @action(detail=True, methods=["delete"], url_path=r"team/(?P<member_id>[0-9]+)")
    def team_member(self, request, reference=None, member_id=None):
        challenge = self.get_challenge("challenges.characterise_challenge")
        member = get_object_or_404(ChallengeTeamMember, pk=member_id, challenge=challenge)
        member.challenge = challenge
        self.call(services.team_member_remove, member=member, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], responses={200: AttachmentSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **ERRORS},
        description="Upload evidence (PDF, office documents, CSV, text or images; size limited).",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def attachments(self, request, reference=None):
        if request.method == "GET":
            challenge = self.get_challenge("challenges.view_challenge_private")
            return Response(AttachmentSerializer(challenge.attachments.all(), many=True).data)
        challenge = self.get_challenge("challenges.characterise_challenge")
        data = self.valid(AttachmentUploadSerializer)
        attachment = self.call(
            services.challenge_attachment_add,
            challenge=challenge,
            uploaded_by=request.user,
            file=data["file"],
            description=data["description"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ATTACHMENT_PARAMETER], responses={204: None, **ERRORS})
    @action(detail=True, methods=["delete"], url_path=r"attachments/(?P<attachment_id>[0-9]+)")
    def attachment(self, request, reference=None, attachment_id=None):
        challenge = self.get_challenge("challenges.characterise_challenge")
        attachment = get_object_or_404(ChallengeAttachment, pk=attachment_id, challenge=challenge)
        attachment.challenge = challenge
        self.call(services.challenge_attachment_remove, attachment=attachment, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Campaigns ---------------------------------------------------------------------------------


class CampaignViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Intake campaigns (calls for challenges). Published ones are public; the lab's staff see all theirs."""

    queryset = IntakeCampaign.objects.all()
    serializer_class = CampaignSerializer

    def visible(self):
        user = self.request.user
        queryset = campaign_list(published_only=False).prefetch_related(
            Prefetch("criteria", queryset=ViabilityCriterion.objects.order_by("position", "pk")), "open_to"
        )
        if user.is_superuser:
            return queryset
        return queryset.filter(Q(is_published=True) | Q(lab_id__in=_team_lab_ids(user)))

    def get_campaign(self, perm: str | None = None) -> IntakeCampaign:
        campaign = get_object_or_404(self.visible(), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("challenges.view_campaign", campaign):
            raise Http404
        if perm and not self.request.user.has_perm(perm, campaign):
            raise exceptions.PermissionDenied
        return campaign

    def campaign_response(self, campaign, status_code=status.HTTP_200_OK) -> Response:
        campaign = self.visible().get(pk=campaign.pk)
        return Response(CampaignSerializer(campaign).data, status=status_code)

    @extend_schema(
        parameters=[OpenApiParameter("lab", str, description="A lab's short name (slug).")],
        responses=CampaignSerializer(many=True),
    )
    def list(self, request):
        queryset = self.visible()
        if request.query_params.get("lab"):
            queryset = queryset.filter(lab__slug=request.query_params["lab"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    @extend_schema(responses={200: CampaignSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(CampaignSerializer(self.get_campaign()).data)

    @extend_schema(request=CampaignWriteSerializer, responses={201: CampaignSerializer, **ERRORS})
    def create(self, request):
        data = self.valid(CampaignWriteSerializer)
        lab = data.pop("lab")
        if not request.user.has_perm("challenges.change_campaign", IntakeCampaign(lab=lab)):
            raise exceptions.PermissionDenied
        criteria = [dict(item) for item in data.pop("criteria", [])]
        open_to = data.pop("open_to", [])
        campaign = self.call(
            services.campaign_create,
            lab=lab,
            created_by=request.user,
            criteria=criteria,
            open_to=open_to,
            **data,
        )
        return self.campaign_response(campaign, status.HTTP_201_CREATED)

    @extend_schema(request=CampaignUpdateSerializer, responses={200: CampaignSerializer, **ERRORS})
    def partial_update(self, request, pk=None):
        campaign = self.get_campaign("challenges.change_campaign")
        data = self.valid(CampaignUpdateSerializer, partial=True)
        open_to = data.pop("open_to", None)
        self.call(
            services.campaign_update, campaign=campaign, updated_by=request.user, open_to=open_to, **data
        )
        return self.campaign_response(campaign)

    @extend_schema(request=CriterionSerializer, responses={201: CriterionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def criteria(self, request, pk=None):
        """Add a viability criterion."""
        campaign = self.get_campaign("challenges.change_campaign")
        data = self.valid(CriterionSerializer)
        criterion = self.call(
            services.criterion_save,
            campaign=campaign,
            saved_by=request.user,
            name=data["name"],
            description=data.get("description") or {},
            position=data.get("position"),
        )
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        parameters=[OpenApiParameter("criterion_id", int, OpenApiParameter.PATH)],
        request=CriterionSerializer,
        responses={200: CriterionSerializer, **ERRORS},
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[OpenApiParameter("criterion_id", int, OpenApiParameter.PATH)],
        responses={204: None, **ERRORS},
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"criteria/(?P<criterion_id>[0-9]+)")
    def criterion(self, request, pk=None, criterion_id=None):
        campaign = self.get_campaign("challenges.change_campaign")
        criterion = get_object_or_404(ViabilityCriterion, pk=criterion_id, campaign=campaign)
        if request.method == "DELETE":
            criterion.campaign = campaign
            self.call(services.criterion_remove, criterion=criterion, removed_by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.valid(CriterionSerializer, partial=True)
        criterion = self.call(
            services.criterion_save,
            campaign=campaign,
            saved_by=request.user,
            criterion=criterion,
            name=data.get("name", criterion.name),
            description=data.get("description", criterion.description),
            position=data.get("position"),
        )
        return Response(CriterionSerializer(criterion).data)


# --- Legal regimes -----------------------------------------------------------------------------


def _may_manage_regimes(user, lab) -> bool:
    return bool(user.is_superuser or is_lab_staff(user, lab))


class LegalRegimeViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """The procurement rules that may bind a lab's entities. Active ones are public."""

    queryset = LegalRegime.objects.all()
    serializer_class = LegalRegimeSerializer

    def visible(self):
        user = self.request.user
        queryset = LegalRegime.objects.select_related("lab")
        if user.is_superuser:
            return queryset
        return queryset.filter(Q(is_active=True) | Q(lab_id__in=_team_lab_ids(user)))

    def get_regime(self, *, manage: bool = False) -> LegalRegime:
        regime = get_object_or_404(self.visible(), pk=self.kwargs["pk"])
        if manage and not _may_manage_regimes(self.request.user, regime.lab):
            raise exceptions.PermissionDenied
        return regime

    @extend_schema(
        parameters=[OpenApiParameter("lab", str, description="A lab's short name (slug).")],
        responses=LegalRegimeSerializer(many=True),
    )
    def list(self, request):
        queryset = self.visible().order_by("lab__slug", "pk")
        if request.query_params.get("lab"):
            queryset = queryset.filter(lab__slug=request.query_params["lab"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(LegalRegimeSerializer(page, many=True).data)

    @extend_schema(responses={200: LegalRegimeSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(LegalRegimeSerializer(self.get_regime()).data)

    @extend_schema(request=LegalRegimeSerializer, responses={201: LegalRegimeSerializer, **ERRORS})
    def create(self, request):
        data = self.valid(LegalRegimeSerializer)
        if not _may_manage_regimes(request.user, data["lab"]):
            raise exceptions.PermissionDenied
        regime = self.call(
            services.legal_regime_save,
            lab=data["lab"],
            saved_by=request.user,
            name=data["name"],
            description=data.get("description") or {},
            source_url=data.get("source_url", ""),
            is_active=data.get("is_active", True),
        )
        return Response(LegalRegimeSerializer(regime).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LegalRegimeSerializer, responses={200: LegalRegimeSerializer, **ERRORS})
    def partial_update(self, request, pk=None):
        regime = self.get_regime(manage=True)
        data = self.valid(LegalRegimeSerializer, partial=True)
        data.pop("lab", None)
        regime = self.call(
            services.legal_regime_save,
            lab=regime.lab,
            saved_by=request.user,
            regime=regime,
            name=data.get("name", regime.name),
            description=data.get("description", regime.description),
            source_url=data.get("source_url", regime.source_url),
            is_active=data.get("is_active", regime.is_active),
        )
        return Response(LegalRegimeSerializer(regime).data)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("challenges", ChallengeViewSet, basename="challenge")
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("legal-regimes", LegalRegimeViewSet, basename="legal-regime")
