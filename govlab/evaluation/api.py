"""The evaluation API: panels and phases, conflict-of-interest declarations, assignments, reviews, the
ranking, consensus, preselection and feedback.

Every write calls the service the HTML views call, and every check is the perm the views ask
(``evaluation.manage`` for the lab's team, ``evaluation.evaluate`` for the panel, ``can_see_content`` and
``can_see_identity`` for what an evaluator reads). A call the caller may not see answers 404; a visible
one with an action the caller may not take answers 403 (401 signed out). An evaluator reaches an
application only through their own current assignment: anyone else's id, or an assignment withdrawn by a
conflict of interest, answers 404 alike. Its content opens after a "none" declaration (403
``not_declared`` before), and while the phase is blind it never names the applicant: no organisation, no
partners, no identifying answer, files under neutral names.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.calls.enums import QuestionKind
from govlab.calls.models import Application, ApplicationFile, Call, CallCriterion, FormQuestion
from govlab.calls.serializers import zoned
from govlab.core.api import (
    CONFLICT,
    ERRORS,
    ID_PATTERN,
    ApiError,
    invalid,
)
from govlab.core.api import ServiceViewSetMixin as BaseServiceViewSetMixin
from govlab.core.timezones import local_to_utc
from govlab.organisations.selectors import user_organisation_roles

from . import aggregation, services
from .enums import ReviewStatus
from .models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    Evaluator,
    FeedbackLetter,
    PreselectionDecision,
    ReviewPhase,
)
from .selectors import (
    applicants_to_declare_against,
    blind_answers,
    can_see_content,
    can_see_identity,
    queue,
    visible_reviews,
)
from .serializers import (
    ApplicationContentSerializer,
    AssignSerializer,
    AutoAssignResultSerializer,
    AutoAssignSerializer,
    ConsensusClearSerializer,
    ConsensusSerializer,
    DecisionSerializer,
    DeclarationContextSerializer,
    DeclarationSerializer,
    EvaluatorAddSerializer,
    EvaluatorSerializer,
    FeedbackLetterSerializer,
    FeedbackPrepareSerializer,
    FeedbackSendSerializer,
    FeedbackSentSerializer,
    FeedbackTemplateSerializer,
    OtherReviewSerializer,
    PhaseSerializer,
    PreselectionSerializer,
    QueueItemSerializer,
    RankingRowSerializer,
    ReviewSaveSerializer,
    ReviewSerializer,
    ReviewSubmitSerializer,
    SettingsSerializer,
    StaffAssignmentSerializer,
)

MANAGE = "evaluation.manage"


# --- Errors ------------------------------------------------------------------------------------------

REFUSAL_MESSAGES = {
    "incomplete": "The review is not complete enough to submit.",
    "limit": "More applications are preselected than the call allows.",
    "phase_closed": "Reviews cannot be written or changed in the current phase.",
    "not_declared": "Declare whether you have a conflict of interest first.",
    "conflicted": "A conflict of interest was declared.",
}
# Refusals that are about who asks, not what they sent.
FORBIDDEN_CODES = ("not_allowed", "not_member", "not_declared")
# Refusals that say the asker has nothing to do with the thing: it answers as if it did not exist.
NOT_FOUND_CODES = ("not_assigned",)


def not_declared() -> ApiError:
    return ApiError(status_code=403, code="not_declared", message=REFUSAL_MESSAGES["not_declared"])


class ServiceViewSetMixin(BaseServiceViewSetMixin):
    refusal_messages = REFUSAL_MESSAGES
    forbidden_codes = FORBIDDEN_CODES
    not_found_codes = NOT_FOUND_CODES


def _int_param(params, name: str) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not re.fullmatch(ID_PATTERN, value):
        raise invalid(**{name: "Give an id (a whole number)."})
    return int(value)


def _criteria(call) -> list[CallCriterion]:
    return list(call.criteria.order_by("position", "pk"))


# --- The lab's side: one call's evaluation -----------------------------------------------------------

PHASE_PARAMETER = OpenApiParameter("phase_id", int, OpenApiParameter.PATH, description="Phase id.")
EVALUATOR_PARAMETER = OpenApiParameter(
    "evaluator_id", int, OpenApiParameter.PATH, description="Evaluator id (on this call's panel)."
)
ASSIGNMENT_PARAMETER = OpenApiParameter(
    "assignment_id", int, OpenApiParameter.PATH, description="Assignment id."
)
CHALLENGE_PARAMETER = OpenApiParameter("challenge", str, description="A challenge's reference.")
ASSIGNMENT_LIST_PARAMETERS = [
    OpenApiParameter("evaluator", int, description="An evaluator's id."),
    OpenApiParameter("application", int, description="An application's id."),
]


class EvaluationCallViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """A call's evaluation, run by the lab's team: settings, phases, panel, assignments, ranking,
    consensus, preselection and feedback."""

    lookup_value_regex = ID_PATTERN
    lookup_url_kwarg = "call_id"
    queryset = Call.objects.all()
    serializer_class = SettingsSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_call(self, perm: str = MANAGE) -> Call:
        """Fetch and authorise in one step: 404 if the caller may not see it, 403 if not do this."""
        call = get_object_or_404(Call.objects.select_related("lab"), pk=self.kwargs["call_id"])
        user = self.request.user
        if not (user.has_perm("calls.view_call", call) or user.has_perm("evaluation.evaluate", call)):
            raise Http404
        if not user.has_perm(perm, call):
            raise exceptions.PermissionDenied
        return call

    def _challenge(self, call, reference: str, *, required: bool = False):
        reference = (reference or "").strip()
        if not reference:
            if required:
                raise invalid(challenge="Give the challenge's reference.")
            return None
        challenge = call.challenges.filter(reference=reference).first()
        if challenge is None:
            raise invalid(challenge="This challenge is not part of the call.")
        return challenge

    def _application(self, call, pk: int, field: str = "application") -> Application:
        application = (
            Application.objects.select_related("call", "call__lab", "challenge", "organisation")
            .filter(pk=pk, call=call)
            .first()
        )
        if application is None:
            raise invalid(**{field: "No such application in this call."})
        return application

    # --- Settings and phases ---

    @extend_schema(methods=["GET"], responses={200: SettingsSerializer, **ERRORS})
    @extend_schema(
        methods=["PATCH"],
        request=SettingsSerializer,
        responses={200: SettingsSerializer, **ERRORS},
        description="Change how the call's applications are evaluated (lab staff); send any subset.",
    )
    @action(detail=True, methods=["get", "patch"], url_path="settings", url_name="settings")
    def evaluation_settings(self, request, call_id=None):
        call = self.get_call()
        if request.method == "GET":
            row = services.settings_for(call)
            row.call = call
            return Response(SettingsSerializer(row).data)
        data = self.valid(SettingsSerializer, partial=True)
        deadline = data.get("review_deadline")
        if deadline is not None and timezone.is_naive(deadline):
            try:
                data["review_deadline"] = local_to_utc(deadline, call.time_zone)
            except DjangoValidationError as error:
                raise invalid(review_deadline=" ".join(error.messages)) from error
        row = self.call(services.settings_save, call=call, by=request.user, **data)
        row.call = call
        return Response(SettingsSerializer(row).data)

    @extend_schema(methods=["GET"], responses={200: PhaseSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=PhaseSerializer,
        responses={201: PhaseSerializer, **ERRORS},
        description=(
            "Add a review phase (lab staff): whether evaluators may write, when they see the others' "
            "reviews, and whether they see who applied. It does nothing until activated."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def phases(self, request, call_id=None):
        call = self.get_call()
        if request.method == "GET":
            return Response(PhaseSerializer(call.review_phases.order_by("position", "pk"), many=True).data)
        data = self.valid(PhaseSerializer)
        phase = self.call(
            services.phase_save,
            call=call,
            by=request.user,
            name=data["name"],
            can_review=data.get("can_review", True),
            see_others=data.get("see_others", "never"),
            identities_visible=data.get("identities_visible", False),
            position=data.get("position"),
        )
        return Response(PhaseSerializer(phase).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[PHASE_PARAMETER], request=PhaseSerializer, responses={200: PhaseSerializer, **ERRORS}
    )
    @action(detail=True, methods=["patch"], url_path=r"phases/(?P<phase_id>[0-9]{1,18})")
    def phase(self, request, call_id=None, phase_id=None):
        call = self.get_call()
        phase = get_object_or_404(ReviewPhase, pk=phase_id, call=call)
        data = self.valid(PhaseSerializer, partial=True)
        phase = self.call(
            services.phase_save,
            call=call,
            by=request.user,
            phase=phase,
            name=data.get("name", phase.name),
            can_review=data.get("can_review", phase.can_review),
            see_others=data.get("see_others", phase.see_others),
            identities_visible=data.get("identities_visible", phase.identities_visible),
            position=data.get("position"),
        )
        return Response(PhaseSerializer(phase).data)

    @extend_schema(
        parameters=[PHASE_PARAMETER],
        request=None,
        responses={200: PhaseSerializer, **ERRORS},
        description="Make this the call's active phase (the others stop).",
    )
    @action(detail=True, methods=["post"], url_path=r"phases/(?P<phase_id>[0-9]{1,18})/activate")
    def activate_phase(self, request, call_id=None, phase_id=None):
        call = self.get_call()
        phase = get_object_or_404(ReviewPhase, pk=phase_id, call=call)
        phase.call = call
        phase = self.call(services.phase_activate, phase=phase, by=request.user)
        return Response(PhaseSerializer(phase).data)

    # --- The panel ---

    def _panel(self, call):
        return (
            Evaluator.objects.filter(call=call)
            .select_related("user")
            .prefetch_related("expertise")
            .annotate(
                assigned=Count(
                    "assignments", filter=Q(assignments__withdrawn_at__isnull=True), distinct=True
                ),
                submitted=Count("reviews", filter=Q(reviews__status=ReviewStatus.SUBMITTED), distinct=True),
            )
            .order_by("pk")
        )

    @extend_schema(
        methods=["GET"],
        responses={200: EvaluatorSerializer(many=True), **ERRORS},
        description="The panel, removed evaluators included (with when), and each one's load.",
    )
    @extend_schema(
        methods=["POST"],
        request=EvaluatorAddSerializer,
        responses={201: EvaluatorSerializer, **ERRORS},
        description=(
            "Add a person to the panel (lab staff), with a role and expertise. Re-adding a removed "
            "evaluator brings them back. They are told to declare conflicts before reading."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def evaluators(self, request, call_id=None):
        call = self.get_call()
        if request.method == "GET":
            return Response(EvaluatorSerializer(self._panel(call), many=True).data)
        data = self.valid(EvaluatorAddSerializer)
        user = get_user_model().objects.filter(pk=data["user"]).first()
        if user is None:
            raise invalid(user="No such person.")
        evaluator = self.call(
            services.evaluator_add,
            call=call,
            user=user,
            role=data["role"],
            expertise=[*data.get("sectors", []), *data.get("technologies", [])],
            added_by=request.user,
        )
        return Response(
            EvaluatorSerializer(self._panel(call).get(pk=evaluator.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[EVALUATOR_PARAMETER],
        responses={204: None, **ERRORS},
        description=(
            "Remove an evaluator from the panel (lab staff): their assignments without a submitted review "
            "are withdrawn; what they submitted stays on record."
        ),
    )
    @action(detail=True, methods=["delete"], url_path=r"evaluators/(?P<evaluator_id>[0-9]{1,18})")
    def evaluator(self, request, call_id=None, evaluator_id=None):
        call = self.get_call()
        evaluator = get_object_or_404(Evaluator, pk=evaluator_id, call=call)
        evaluator.call = call
        self.call(services.evaluator_remove, evaluator=evaluator, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Assignments ---

    @extend_schema(
        methods=["GET"],
        parameters=ASSIGNMENT_LIST_PARAMETERS,
        responses={200: StaffAssignmentSerializer(many=True), **ERRORS},
        description="Every assignment of the call, withdrawn ones included, with declarations and reviews.",
    )
    @extend_schema(
        methods=["POST"],
        request=AssignSerializer,
        responses={201: StaffAssignmentSerializer, 200: StaffAssignmentSerializer, **ERRORS},
        description=(
            "Assign an evaluator to an application (lab staff). Refused (400 `conflicted`) for an evaluator "
            "who declared a conflict with it. Assigning again answers the same assignment (200)."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def assignments(self, request, call_id=None):
        call = self.get_call()
        if request.method == "POST":
            data = self.valid(AssignSerializer)
            application = self._application(call, data["application"])
            evaluator = Evaluator.objects.filter(pk=data["evaluator"], call=call).first()
            if evaluator is None:
                raise invalid(evaluator="No such evaluator on this call's panel.")
            existed = Assignment.objects.filter(
                evaluator=evaluator, application=application, withdrawn_at__isnull=True
            ).exists()
            assignment = self.call(
                services.assign, application=application, evaluator=evaluator, by=request.user
            )
            row = self._assignment_rows(call).get(pk=assignment.pk)
            return Response(
                self._assignment_data([row], many=False),
                status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
            )
        params = request.query_params
        rows = self._assignment_rows(call)
        evaluator_id = _int_param(params, "evaluator")
        application_id = _int_param(params, "application")
        if evaluator_id is not None:
            rows = rows.filter(evaluator_id=evaluator_id)
        if application_id is not None:
            rows = rows.filter(application_id=application_id)
        page = self.paginate_queryset(rows.order_by("application__reference", "pk"))
        return self.get_paginated_response(self._assignment_data(page))

    def _assignment_rows(self, call):
        return Assignment.objects.filter(application__call=call).select_related(
            "evaluator",
            "evaluator__user",
            "application",
            "application__challenge",
            "application__organisation",
            "review",
        )

    def _assignment_data(self, rows, *, many: bool = True):
        rows = list(rows)
        declarations = {
            (evaluator_id, application_id): has_conflict
            for evaluator_id, application_id, has_conflict in ConflictDeclaration.objects.filter(
                evaluator_id__in={r.evaluator_id for r in rows},
                application_id__in={r.application_id for r in rows},
            ).values_list("evaluator_id", "application_id", "has_conflict")
        }
        context = {"declarations": declarations}
        if many:
            return StaffAssignmentSerializer(rows, many=True, context=context).data
        return StaffAssignmentSerializer(rows[0], context=context).data

    def _gaps(self, call) -> dict[str, int]:
        gaps = services.assignment_gaps(call)
        references = dict(Application.objects.filter(pk__in=list(gaps)).values_list("pk", "reference"))
        return {
            references[pk]: missing for pk, missing in sorted(gaps.items(), key=lambda i: references[i[0]])
        }

    @extend_schema(
        request=AutoAssignSerializer,
        responses={200: AutoAssignResultSerializer, **ERRORS},
        description=(
            "Fill each submitted application's gap to the call's number of evaluators (lab staff): never a "
            "conflicted or removed evaluator, the least loaded first, matching expertise preferred when the "
            "settings say so. Run again after a recusal, it fills only the gap."
        ),
    )
    @action(detail=True, methods=["post"], url_path="assignments/auto")
    def assign_automatically(self, request, call_id=None):
        call = self.get_call()
        data = self.valid(AutoAssignSerializer)
        applications = None
        if "applications" in data:
            ids = set(data["applications"])
            applications = list(Application.objects.filter(call=call, pk__in=ids))
            if len(applications) != len(ids):
                raise invalid(applications="Not all of these are applications to this call.")
        created = self.call(
            services.assign_automatically, call=call, by=request.user, applications=applications
        )
        return Response(AutoAssignResultSerializer({"created": created, "gaps": self._gaps(call)}).data)

    @extend_schema(
        responses={
            200: OpenApiResponse(
                {"type": "object", "additionalProperties": {"type": "integer"}},
                description="Evaluators still missing, by application reference (only those with a gap).",
            ),
            **ERRORS,
        }
    )
    @action(detail=True, methods=["get"], url_path="assignments/gaps")
    def gaps(self, request, call_id=None):
        call = self.get_call()
        return Response(self._gaps(call))

    @extend_schema(
        parameters=[ASSIGNMENT_PARAMETER],
        responses={204: None, **ERRORS},
        description="Withdraw an assignment (lab staff); refused once the evaluator submitted a review.",
    )
    @action(detail=True, methods=["delete"], url_path=r"assignments/(?P<assignment_id>[0-9]{1,18})")
    def assignment(self, request, call_id=None, assignment_id=None):
        call = self.get_call()
        assignment = get_object_or_404(
            Assignment.objects.select_related("application", "application__call", "application__call__lab"),
            pk=assignment_id,
            application__call=call,
        )
        self.call(services.unassign, assignment=assignment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Ranking and consensus ---

    @extend_schema(
        parameters=[CHALLENGE_PARAMETER],
        responses={200: RankingRowSerializer(many=True), **ERRORS},
        description=(
            "Every submitted application of the call (or of one challenge), ranked by the final score "
            "(the consensus if recorded, else the mean of the weighted totals), ties by reference."
        ),
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, call_id=None):
        call = self.get_call()
        challenge = self._challenge(call, request.query_params.get("challenge", ""))
        rows = aggregation.ranking(call, challenge)
        page = self.paginate_queryset(rows)
        ids = [row.application_id for row in page]
        applications = Application.objects.select_related("challenge", "organisation").in_bulk(ids)
        selected = dict(
            PreselectionDecision.objects.filter(application_id__in=ids).values_list(
                "application_id", "selected"
            )
        )
        data = [
            {
                "rank": row.rank,
                "application": applications[row.application_id],
                "n_reviews": row.n_reviews,
                "mean": row.mean,
                "median": row.median,
                "stdev": row.stdev,
                "range": row.spread,
                "disagreement": row.disagreement,
                "zscore": row.zscore,
                "consensus_total": row.consensus_total,
                "final": row.final,
                "selected": selected.get(row.application_id),
            }
            for row in page
        ]
        return self.get_paginated_response(RankingRowSerializer(data, many=True).data)

    @extend_schema(methods=["GET"], responses={200: ConsensusSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ConsensusSerializer,
        responses={201: ConsensusSerializer, 200: ConsensusSerializer, **ERRORS},
        description=(
            "Record the lab's final score for one criterion of an application, with the rationale (lab "
            "staff). It overrides the evaluators' scores in the ranking, and is audited."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def consensus(self, request, call_id=None):
        call = self.get_call()
        if request.method == "GET":
            rows = ConsensusScore.objects.filter(application__call=call).order_by(
                "application_id", "criterion_id"
            )
            return Response(ConsensusSerializer(rows, many=True).data)
        data = self.valid(ConsensusSerializer)
        application = self._application(call, data["application"])
        criterion = CallCriterion.objects.filter(pk=data["criterion"], call=call).first()
        if criterion is None:
            raise invalid(criterion="There is no such criterion in this call.")
        existed = ConsensusScore.objects.filter(application=application, criterion=criterion).exists()
        row = self.call(
            services.consensus_set,
            application=application,
            criterion=criterion,
            score=data["score"],
            rationale=data["rationale"],
            by=request.user,
        )
        return Response(
            ConsensusSerializer(row).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(
        request=ConsensusClearSerializer,
        responses={204: None, **ERRORS},
        description="Remove the lab's final score for one criterion (lab staff): the evaluators' mean "
        "counts again. Audited.",
    )
    @action(detail=True, methods=["post"], url_path="consensus/clear")
    def consensus_clear(self, request, call_id=None):
        call = self.get_call()
        data = self.valid(ConsensusClearSerializer)
        application = self._application(call, data["application"])
        criterion = CallCriterion.objects.filter(pk=data["criterion"], call=call).first()
        if criterion is None:
            raise invalid(criterion="There is no such criterion in this call.")
        self.call(services.consensus_clear, application=application, criterion=criterion, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Preselection ---

    @extend_schema(
        methods=["GET"],
        parameters=[CHALLENGE_PARAMETER],
        responses={200: DecisionSerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        request=PreselectionSerializer,
        responses={201: DecisionSerializer(many=True), **ERRORS},
        description=(
            "Decide on every submitted application of one challenge, with a reason each (lab staff). At "
            "most the call's maximum may be selected: one more answers 400 `limit` and nothing is stored. "
            "The challenge moves to preselected; in a two-stage call the selected are invited to the full "
            "proposal."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def preselection(self, request, call_id=None):
        call = self.get_call()
        if request.method == "GET":
            rows = PreselectionDecision.objects.filter(application__call=call).select_related("application")
            challenge = self._challenge(call, request.query_params.get("challenge", ""))
            if challenge is not None:
                rows = rows.filter(application__challenge=challenge)
            rows = rows.order_by("rank", "application__reference")
            return Response(DecisionSerializer(rows, many=True).data)
        data = self.valid(PreselectionSerializer)
        challenge = self._challenge(call, data["challenge"], required=True)
        decisions = {
            row["application"]: {
                "selected": row["selected"],
                "reason_category": row["reason_category"],
                "reason": row["reason"],
            }
            for row in data["decisions"]
        }
        made = self.call(
            services.preselect, call=call, challenge=challenge, decisions=decisions, by=request.user
        )
        made = sorted(made, key=lambda d: (d.rank is None, d.rank or 0, d.application.reference))
        return Response(DecisionSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    # --- Feedback ---

    @extend_schema(
        parameters=[CHALLENGE_PARAMETER],
        responses={200: FeedbackLetterSerializer(many=True), **ERRORS},
        description="The call's feedback letters, prepared and sent (lab staff).",
    )
    @action(detail=True, methods=["get"])
    def feedback(self, request, call_id=None):
        call = self.get_call()
        rows = FeedbackLetter.objects.filter(application__call=call).select_related("application__call")
        challenge = self._challenge(call, request.query_params.get("challenge", ""))
        if challenge is not None:
            rows = rows.filter(application__challenge=challenge)
        page = self.paginate_queryset(rows.order_by("application__reference"))
        return self.get_paginated_response(FeedbackLetterSerializer(page, many=True).data)

    @extend_schema(
        request=FeedbackTemplateSerializer,
        responses={200: FeedbackTemplateSerializer, **ERRORS},
        description=(
            "Save the lab's letter in one language (lab staff of the call's lab). Placeholders: "
            + ", ".join(f"{{{name}}}" for name in services.FEEDBACK_PLACEHOLDERS)
            + "."
        ),
    )
    @action(detail=True, methods=["post"], url_path="feedback/template")
    def feedback_template(self, request, call_id=None):
        call = self.get_call()
        data = self.valid(FeedbackTemplateSerializer)
        template = self.call(
            services.feedback_template_save,
            lab=call.lab,
            language=data["language"],
            subject=data["subject"],
            body=data["body"],
            by=request.user,
        )
        return Response(FeedbackTemplateSerializer(template).data)

    @extend_schema(
        request=FeedbackPrepareSerializer,
        responses={200: FeedbackLetterSerializer(many=True), **ERRORS},
        description=(
            "Write (or rewrite, until sent) the letter of every decided application (lab staff), with the "
            "comments of the reviews you release, anonymised."
        ),
    )
    @action(detail=True, methods=["post"], url_path="feedback/prepare")
    def feedback_prepare(self, request, call_id=None):
        call = self.get_call()
        data = self.valid(FeedbackPrepareSerializer)
        challenge = self._challenge(call, data.get("challenge", ""))
        letters = self.call(
            services.feedback_prepare,
            call=call,
            by=request.user,
            challenge=challenge,
            released_review_ids=data.get("released_reviews", []),
        )
        rows = FeedbackLetter.objects.filter(pk__in=[letter.pk for letter in letters]).select_related(
            "application__call"
        )
        return Response(FeedbackLetterSerializer(rows.order_by("application__reference"), many=True).data)

    @extend_schema(
        request=FeedbackSendSerializer,
        responses={200: FeedbackSentSerializer, **ERRORS},
        description=(
            "Send prepared letters to the applicant organisations' members (lab staff); a letter already "
            "sent is not sent again. Answers how many were sent."
        ),
    )
    @action(detail=True, methods=["post"], url_path="feedback/send")
    def feedback_send(self, request, call_id=None):
        call = self.get_call()
        data = self.valid(FeedbackSendSerializer)
        letters = FeedbackLetter.objects.filter(application__call=call)
        if "letters" in data:
            ids = set(data["letters"])
            letters = list(letters.filter(pk__in=ids))
            if len(letters) != len(ids):
                raise invalid(letters="Not all of these are letters of this call.")
        else:
            letters = list(letters.filter(sent_at__isnull=True).order_by("pk"))
        sent = self.call(services.feedback_send, letters=letters, by=request.user)
        return Response(FeedbackSentSerializer({"sent": sent}).data)


# --- The evaluator's side ----------------------------------------------------------------------------

FILE_PARAMETER = OpenApiParameter("file_id", int, OpenApiParameter.PATH, description="File id.")


def _extension(stored_name: str) -> str:
    tail = stored_name.rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1].lower() if "." in tail else "bin"


class AssignmentViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """The signed-in evaluator's assignments: declare, read, review."""

    lookup_value_regex = ID_PATTERN
    queryset = Assignment.objects.all()
    serializer_class = QueueItemSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_assignment(self) -> Assignment:
        """The caller's own current assignment, or 404 (anyone else's, withdrawn, or removed alike)."""
        assignment = get_object_or_404(
            Assignment.objects.select_related(
                "evaluator",
                "application",
                "application__call",
                "application__call__lab",
                "application__challenge",
                "application__organisation",
            ),
            pk=self.kwargs["pk"],
            evaluator__user=self.request.user,
            evaluator__removed_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        if not self.request.user.has_perm("evaluation.evaluate", assignment.application.call):
            raise Http404
        return assignment

    def _readable(self, assignment) -> Application:
        """The application, once the evaluator may read it (a "none" declaration), else 403."""
        application = assignment.application
        if not can_see_content(self.request.user, application):
            raise not_declared()
        return application

    def _queue_data(self, rows) -> list:
        rows = list(rows)
        declarations = dict(
            ConflictDeclaration.objects.filter(
                evaluator_id__in={r.evaluator_id for r in rows},
                application_id__in={r.application_id for r in rows},
            ).values_list("application_id", "has_conflict")
        )
        return QueueItemSerializer(rows, many=True, context={"declarations": declarations}).data

    @extend_schema(
        responses={200: QueueItemSerializer(many=True)},
        description=(
            "Your queue: the applications assigned to you on every panel you sit on, due first. It never "
            "names the applicant."
        ),
    )
    def list(self, request):
        rows = queue(request.user).select_related("review")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self._queue_data(page))

    @extend_schema(responses={200: QueueItemSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        assignment = self.get_assignment()
        assignment = queue(request.user).select_related("review").get(pk=assignment.pk)
        return Response(self._queue_data([assignment])[0])

    @extend_schema(
        methods=["GET"],
        responses={200: DeclarationContextSerializer, **ERRORS},
        description=(
            "What to declare against: the applicant's organisation when identities are visible; while the "
            "evaluation is blind, every organisation and partner that applied to the challenge (unlinked to "
            "this application), so a conflict can be declared without unblinding. Also the declaration made."
        ),
    )
    @extend_schema(
        methods=["POST"],
        request=DeclarationSerializer,
        responses={201: DeclarationSerializer, **ERRORS},
        description=(
            "Declare, once, whether you have a conflict of interest with this application, before reading "
            "it. `none` opens its content; `conflict` (with the reason) recuses you: the assignment is "
            "withdrawn and the application is no longer reachable to you. Declarations are kept as records."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def declaration(self, request, pk=None):
        assignment = self.get_assignment()
        application = assignment.application
        if request.method == "GET":
            visible = can_see_identity(request.user, application)
            made = services.declaration_for(assignment.evaluator, application)
            return Response(
                {
                    "organisation": application.organisation.name if visible else None,
                    "applicants": None if visible else applicants_to_declare_against(application),
                    "declaration": DeclarationSerializer(made).data if made else None,
                }
            )
        data = self.valid(DeclarationSerializer)
        declaration = self.call(
            services.conflict_declare,
            evaluator=assignment.evaluator,
            application=assignment.application,
            has_conflict=data["decision"] == "conflict",
            reason=data.get("reason", ""),
            by=request.user,
        )
        return Response(DeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)

    def _file_names(self, application, shown: dict, visible: bool) -> dict[int, tuple[str, ApplicationFile]]:
        ids = {}
        for key, value in shown.items():
            if isinstance(value, dict) and isinstance(value.get("file"), dict) and value["file"].get("id"):
                ids[int(value["file"]["id"])] = key
        files = ApplicationFile.objects.filter(application=application, pk__in=list(ids))
        names = {}
        for uploaded in files:
            key = ids[uploaded.pk]
            name = (
                uploaded.original_name
                if visible
                else f"{application.reference}-{key}.{_extension(uploaded.file.name)}"
            )
            names[uploaded.pk] = (name, uploaded)
        return names

    def _content(self, assignment):
        """What the evaluator may read: the latest submitted revision, blind while the phase is."""
        user = self.request.user
        application = self._readable(assignment)
        call = application.call
        visible = can_see_identity(user, application)
        revision = application.revisions.order_by("-number").first()
        questions = list(
            FormQuestion.objects.filter(call=call, stage=application.stage).order_by("position", "pk")
        )
        answers = dict(revision.answers) if revision else {}
        shown = answers if visible else blind_answers(answers, questions)
        files = self._file_names(application, shown, visible)
        return application, revision, questions, shown, files, visible

    @extend_schema(
        responses={200: ApplicationContentSerializer, **ERRORS},
        description=(
            "The submitted application as you may read it: only after declaring no conflict (403 "
            "`not_declared` before). While the phase is blind, no organisation, partners or identifying "
            "answers, and files under neutral names."
        ),
    )
    @action(detail=True, methods=["get"])
    def application(self, request, pk=None):
        assignment = self.get_assignment()
        application, revision, questions, shown, files, visible = self._content(assignment)
        call = application.call
        rows = []
        for question in questions:
            if question.key not in shown:
                continue
            answer = shown[question.key]
            if question.kind == QuestionKind.FILE and isinstance(answer, dict):
                entry = answer.get("file") or {}
                name = files.get(int(entry.get("id") or 0), (None, None))[0]
                answer = {"file": {**entry, "name": name}} if name else None
            rows.append(
                {"key": question.key, "kind": question.kind, "label": dict(question.label), "answer": answer}
            )
        organisation = application.organisation
        data = {
            "reference": application.reference,
            "call": {"id": call.pk, "title": dict(call.title or {})},
            "challenge": {
                "reference": application.challenge.reference,
                "title": dict(application.challenge.title or {}),
            },
            "stage": application.stage,
            "revision": revision.number if revision else None,
            "submitted_at": zoned(revision.submitted_at, call.zone) if revision else None,
            "identities_visible": visible,
            "organisation": (
                {"name": organisation.name, "country": str(organisation.country), "kind": organisation.kind}
                if visible
                else None
            ),
            "partners": (list(revision.partners) if revision else []) if visible else None,
            "questions": rows,
            "files": [
                {
                    "id": uploaded.pk,
                    "question_key": uploaded.question_key,
                    "name": name,
                    "content_type": uploaded.content_type,
                    "size": uploaded.size,
                    "url": reverse(
                        "api:evaluation-assignment-application-file",
                        kwargs={"pk": assignment.pk, "file_id": uploaded.pk},
                    ),
                }
                for name, uploaded in sorted(files.values(), key=lambda item: item[1].pk)
            ],
        }
        return Response(ApplicationContentSerializer(data).data)

    @extend_schema(
        parameters=[FILE_PARAMETER],
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file."), **ERRORS},
        description="A file of the application, under the name shown (neutral while the phase is blind).",
    )
    @action(detail=True, methods=["get"], url_path=r"application/files/(?P<file_id>[0-9]{1,18})")
    def application_file(self, request, pk=None, file_id=None):
        assignment = self.get_assignment()
        _application, _revision, _questions, _shown, files, _visible = self._content(assignment)
        found = files.get(int(file_id))
        if found is None:
            raise Http404
        name, uploaded = found
        response = FileResponse(uploaded.file.open("rb"), as_attachment=True, filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def _review_response(self, review, call, status_code=status.HTTP_200_OK) -> Response:
        phase = services.active_phase(call)
        context = {"criteria": _criteria(call), "can_edit": bool(phase and phase.can_review)}
        return Response(ReviewSerializer(review, context=context).data, status=status_code)

    @extend_schema(methods=["GET"], responses={200: ReviewSerializer, **ERRORS})
    @extend_schema(
        methods=["PATCH"],
        request=ReviewSaveSerializer,
        responses={200: ReviewSerializer, **ERRORS, **CONFLICT},
        description=(
            "Save your draft (or your submitted review, to revise it) while the phase allows writing "
            "(400 `phase_closed` otherwise). Send the `version` you loaded (409 if it changed). A score "
            "outside the criterion's scale answers 400 with the field `scores.<criterion id>`."
        ),
    )
    @action(detail=True, methods=["get", "patch"])
    def review(self, request, pk=None):
        assignment = self.get_assignment()
        call = assignment.application.call
        if request.method == "GET":
            self._readable(assignment)
            review = self.call(services.review_for, assignment=assignment, by=request.user)
            return self._review_response(review, call)
        data = self.valid(ReviewSaveSerializer)
        self._readable(assignment)
        review = self.call(services.review_for, assignment=assignment, by=request.user)
        review = self.call(
            services.review_save,
            review=review,
            by=request.user,
            scores=data.get("scores"),
            comments=data.get("comments"),
            strengths=data.get("strengths"),
            weaknesses=data.get("weaknesses"),
            recommendation=data.get("recommendation"),
            confidence=data.get("confidence"),
            expected_version=data["version"],
        )
        return self._review_response(review, call)

    @extend_schema(
        request=ReviewSubmitSerializer,
        responses={200: ReviewSerializer, **ERRORS, **CONFLICT},
        description=(
            "Submit (or re-submit after revising): every criterion scored or marked not applicable (null), "
            "at least one scored, a recommendation and your confidence (400 `incomplete` with the gaps). "
            "Each submission is kept as a revision."
        ),
    )
    @action(detail=True, methods=["post"], url_path="review/submit")
    def submit_review(self, request, pk=None):
        assignment = self.get_assignment()
        call = assignment.application.call
        data = self.valid(ReviewSubmitSerializer)
        self._readable(assignment)
        review = self.call(services.review_for, assignment=assignment, by=request.user)
        version = data.get("version")
        if version is not None and version != review.version:
            raise ApiError(
                status_code=409,
                code="conflict",
                message="This review was saved in another tab since you opened it. Reload it.",
            )
        review = self.call(services.review_submit, review=review, by=request.user)
        return self._review_response(review, call)

    @extend_schema(
        responses={200: OtherReviewSerializer(many=True), **ERRORS},
        description=(
            "The other evaluators' submitted reviews of this application, as the phase allows (never, after "
            "submitting your own, or always); reviewers are numbered, not named."
        ),
    )
    @action(detail=True, methods=["get"])
    def reviews(self, request, pk=None):
        assignment = self.get_assignment()
        application = self._readable(assignment)
        others = sorted(visible_reviews(request.user, application), key=lambda r: r.evaluator_id)
        others = [r for r in others if r.evaluator_id != assignment.evaluator_id]
        data = [
            {
                "number": number,
                "scores": review.scores,
                "comments": review.comments,
                "strengths": review.strengths,
                "weaknesses": review.weaknesses,
                "recommendation": review.recommendation,
                "confidence": review.confidence,
                "weighted_total": review.weighted_total,
            }
            for number, review in enumerate(others, start=1)
        ]
        return Response(OtherReviewSerializer(data, many=True).data)


# --- The applicant's side ----------------------------------------------------------------------------


class FeedbackViewSet(viewsets.GenericViewSet):
    """The feedback letter an applicant organisation received, for its members."""

    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9-]{1,40}"
    queryset = FeedbackLetter.objects.all()
    serializer_class = FeedbackLetterSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reference", str, OpenApiParameter.PATH, description="The application's reference."
            )
        ],
        responses={200: FeedbackLetterSerializer, **ERRORS},
        description="Your organisation's feedback letter for an application, once the lab sent it.",
    )
    def retrieve(self, request, reference=None):
        letter = (
            FeedbackLetter.objects.select_related("application", "application__call")
            .filter(application__reference=reference, sent_at__isnull=False)
            .first()
        )
        if letter is None or letter.application.organisation_id not in user_organisation_roles(request.user):
            raise Http404
        return Response(FeedbackLetterSerializer(letter).data)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("evaluation/calls", EvaluationCallViewSet, basename="evaluation-call")
    router.register("evaluation/assignments", AssignmentViewSet, basename="evaluation-assignment")
    router.register("evaluation/feedback", FeedbackViewSet, basename="evaluation-feedback")
