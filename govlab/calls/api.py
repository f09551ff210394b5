"""The calls API: calls for solutions, their forms and Q&A, applications, receipts and follows.

Every write calls the service the HTML views call, and every check is the perm the views ask
(``request.user.has_perm(..., obj)``). A call or application the caller may not see answers 404 whether
or not it exists; a visible one with an action the caller may not take answers 403 (401 signed out).
Lists only ever hold what the caller may see: a filter can narrow them, never widen them.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from govlab.challenges.models import Challenge
from govlab.core.api import (
    CONFLICT,
    ERRORS,
    ID_PATTERN,
    ApiError,
    invalid,
)
from govlab.core.api import ServiceViewSetMixin as BaseServiceViewSetMixin
from govlab.labs.enums import LAB_TEAM_ROLES
from govlab.labs.models import Lab
from govlab.labs.selectors import user_lab_roles
from govlab.organisations.models import Organisation
from govlab.organisations.selectors import user_organisation_roles
from govlab.taxonomy.models import Term

from . import receipts, services
from .enums import ApplicationStatus, CallStatus, FollowKind, Stage
from .models import (
    Application,
    ApplicationFile,
    ApplicationRevision,
    Call,
    CallDocument,
    DeadlineExtension,
    Enquiry,
    Follow,
    FormQuestion,
)
from .selectors import call_list_public, deadlines_for, visible_applications
from .serializers import (
    ApplicationDetailSerializer,
    ApplicationFileSerializer,
    ApplicationListSerializer,
    ApplicationSavedSerializer,
    ApplicationSaveSerializer,
    ApplicationStartSerializer,
    CallCriterionSerializer,
    CallDetailSerializer,
    CallListSerializer,
    CallUpdateSerializer,
    CallWriteSerializer,
    CancelSerializer,
    CriteriaSetSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    EnquiryAnswerSerializer,
    EnquiryAskSerializer,
    EnquirySerializer,
    ExtensionGrantSerializer,
    ExtensionSerializer,
    FileUploadSerializer,
    FollowSerializer,
    GapsSerializer,
    PublicEnquirySerializer,
    QuestionSerializer,
    ReceiptResultSerializer,
    ReceiptVerifySerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    SubmitSerializer,
    WithdrawSerializer,
    zoned,
)

# --- Errors ------------------------------------------------------------------------------------------

REFUSAL_MESSAGES = {
    "not_ready": "The call is not ready to be published.",
    "incomplete": "The application is not complete enough to submit.",
    "not_eligible": "This organisation may not apply to this call.",
    "deadline_passed": "The deadline has passed.",
}
# Refusals that are about who asks, not what they sent.
FORBIDDEN_CODES = ("not_allowed", "not_member")


class ServiceViewSetMixin(BaseServiceViewSetMixin):
    refusal_messages = REFUSAL_MESSAGES
    forbidden_codes = FORBIDDEN_CODES


def _team_lab_ids(user) -> list[int]:
    return [lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]


def _int_param(params, name: str) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not re.fullmatch(ID_PATTERN, value):
        raise invalid(**{name: "Give an id (a whole number)."})
    return int(value)


# --- Calls -----------------------------------------------------------------------------------------

CALL_STATES = ("open", "upcoming", "closed")
CALL_LIST_PARAMETERS = [
    OpenApiParameter("lab", str, description="A lab's short name (slug)."),
    OpenApiParameter(
        "state",
        str,
        enum=list(CALL_STATES),
        description=(
            "open: taking submissions; upcoming: announced, not yet published; closed: past the deadline."
        ),
    ),
    OpenApiParameter("q", str, description="Words to find in the call's title and summary."),
]
QUESTION_PARAMETER = OpenApiParameter("question_id", int, OpenApiParameter.PATH, description="Question id.")
ENQUIRY_PARAMETER = OpenApiParameter("enquiry_id", int, OpenApiParameter.PATH, description="Enquiry id.")
DOCUMENT_PARAMETER = OpenApiParameter("document_id", int, OpenApiParameter.PATH, description="Document id.")


def visible_calls(user):
    """Published calls past their publication date, plus every call of the labs the person runs."""
    if getattr(user, "is_superuser", False):
        return Call.objects.all()
    condition = Q(status=CallStatus.PUBLISHED, publishes_at__lte=timezone.now())
    lab_ids = _team_lab_ids(user)
    if lab_ids:
        condition |= Q(lab_id__in=lab_ids)
    return Call.objects.filter(condition)


def filter_calls(queryset, *, state: str = "", query: str = "", now=None):
    """The list's state and word filters, as ``selectors.call_list_public`` reads them, for any call
    (the lab's staff also see their drafts and the calls announced for later)."""
    now = now or timezone.now()
    if state == "open":
        queryset = queryset.filter(status=CallStatus.PUBLISHED, publishes_at__lte=now, deadline__gt=now)
    elif state == "upcoming":
        queryset = queryset.filter(status=CallStatus.PUBLISHED, publishes_at__gt=now)
    elif state == "closed":
        queryset = queryset.filter(status=CallStatus.PUBLISHED, deadline__lte=now)
    text = query.strip()[:200]
    if text:
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(slug__icontains=text)
        )
    return queryset


def _challenge_refs():
    return Prefetch(
        "challenges",
        queryset=Challenge.objects.only("pk", "reference", "title", "status").order_by("reference"),
    )


def _call_detail_queryset():
    return Call.objects.select_related("lab").prefetch_related(
        _challenge_refs(),
        "criteria",
        Prefetch("questions", queryset=FormQuestion.objects.order_by("stage", "position", "pk")),
        "documents",
        Prefetch(
            "enquiries", queryset=Enquiry.objects.filter(is_published=True).order_by("published_at", "pk")
        ),
    )


class CallViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Calls for solutions. Published ones are public; the lab's staff see and change all theirs."""

    lookup_value_regex = ID_PATTERN
    queryset = Call.objects.all()
    serializer_class = CallListSerializer

    def get_call(self, perm: str | None = None, queryset=None) -> Call:
        """Fetch and authorise in one step: 404 if the caller may not see it, 403 if not do this."""
        queryset = queryset if queryset is not None else Call.objects.select_related("lab")
        call = get_object_or_404(queryset, pk=self.kwargs["pk"])
        user = self.request.user
        if not user.has_perm("calls.view_call", call):
            raise Http404
        if perm and not user.has_perm(perm, call):
            raise exceptions.PermissionDenied
        return call

    def detail_response(self, call, status_code=status.HTTP_200_OK) -> Response:
        call = _call_detail_queryset().get(pk=call.pk)
        return Response(
            CallDetailSerializer(call, context={"request": self.request}).data, status=status_code
        )

    def _challenges(self, lab, references) -> list[Challenge]:
        references = list(dict.fromkeys(references))
        found = {c.reference: c for c in Challenge.objects.filter(lab=lab, reference__in=references)}
        missing = [ref for ref in references if ref not in found]
        if missing:
            raise invalid(challenges=f"Not a challenge of this lab: {', '.join(missing)}.")
        return [found[ref] for ref in references]

    @extend_schema(parameters=CALL_LIST_PARAMETERS, responses=CallListSerializer(many=True))
    def list(self, request):
        params = request.query_params
        state = params.get("state", "")
        if state and state not in CALL_STATES:
            raise invalid(state=f"Choose one of: {', '.join(CALL_STATES)}.")
        lab = None
        if params.get("lab"):
            # An unknown lab filters everything out (as the challenges list does).
            lab = Lab.objects.filter(slug=params["lab"]).first() or Lab(pk=0)
        query = params.get("q", "")[:200]
        queryset = call_list_public(lab=lab, state=state or None, q=query)
        user = request.user
        lab_ids = _team_lab_ids(user)
        if lab_ids or user.is_superuser:
            # The lab's staff also see their drafts, and calls announced for later (state "upcoming").
            own = Call.objects.all() if user.is_superuser else Call.objects.filter(lab_id__in=lab_ids)
            if lab is not None:
                own = own.filter(lab=lab)
            own = filter_calls(own, state=state, query=query)
            queryset = Call.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=own.values("pk")))
        queryset = queryset.select_related("lab").prefetch_related(None).prefetch_related(_challenge_refs())
        page = self.paginate_queryset(queryset.order_by("deadline", "pk"))
        return self.get_paginated_response(
            CallListSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(responses={200: CallDetailSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        call = self.get_call(queryset=_call_detail_queryset())
        return Response(CallDetailSerializer(call, context={"request": request}).data)

    @extend_schema(
        request=CallWriteSerializer,
        responses={201: CallDetailSerializer, **ERRORS},
        description=(
            "Create a draft call (lab staff). Instants without an offset are read in the call's time zone."
        ),
    )
    def create(self, request):
        serializer = CallWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lab = serializer.validated_data["lab"]
        if not request.user.has_perm("calls.change_call", Call(lab=lab)):
            raise exceptions.PermissionDenied
        challenges = self._challenges(lab, serializer.validated_data.get("challenges") or [])
        criteria = [dict(item) for item in serializer.validated_data.get("criteria") or []]
        call = self.call(
            services.call_create,
            lab=lab,
            created_by=request.user,
            challenges=challenges,
            criteria=criteria,
            **serializer.model_fields(),
        )
        return self.detail_response(call, status.HTTP_201_CREATED)

    @extend_schema(request=CallUpdateSerializer, responses={200: CallDetailSerializer, **ERRORS})
    def partial_update(self, request, pk=None):
        call = self.get_call("calls.change_call")
        serializer = CallUpdateSerializer(data=request.data, call=call)
        serializer.is_valid(raise_exception=True)
        references = serializer.validated_data.get("challenges")
        challenges = None if references is None else self._challenges(call.lab, references)
        self.call(
            services.call_update,
            call=call,
            updated_by=request.user,
            challenges=challenges,
            **serializer.model_fields(),
        )
        return self.detail_response(call)

    @extend_schema(
        request=CriteriaSetSerializer,
        responses={200: CallCriterionSerializer(many=True), **ERRORS},
        description="Replace the call's weighted evaluation criteria (lab staff).",
    )
    @action(detail=True, methods=["put"])
    def criteria(self, request, pk=None):
        call = self.get_call("calls.change_call")
        data = self.valid(CriteriaSetSerializer)
        criteria = self.call(
            services.call_set_criteria,
            call=call,
            criteria=[dict(item) for item in data["criteria"]],
            updated_by=request.user,
        )
        return Response(CallCriterionSerializer(criteria, many=True).data)

    @extend_schema(
        request=None,
        responses={200: CallDetailSerializer, **ERRORS},
        description=(
            "Publish the call (lab staff). A refusal answers 400 with the service's code (e.g. `not_ready`) "
            "and one entry in `fields` per thing missing."
        ),
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        call = self.get_call("calls.change_call")
        self.call(services.call_publish, call=call, published_by=request.user)
        return self.detail_response(call)

    @extend_schema(request=CancelSerializer, responses={200: CallDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        call = self.get_call("calls.change_call")
        data = self.valid(CancelSerializer)
        self.call(services.call_cancel, call=call, cancelled_by=request.user, reason=data["reason"])
        return self.detail_response(call)

    # --- The form ---

    @extend_schema(methods=["GET"], responses={200: QuestionSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=QuestionSerializer,
        responses={201: QuestionSerializer, **ERRORS},
        description="Add a question to the form (lab staff); `config` is checked for the kind.",
    )
    @action(detail=True, methods=["get", "post"])
    def questions(self, request, pk=None):
        if request.method == "GET":
            call = self.get_call()
            questions = call.questions.order_by("stage", "position", "pk")
            return Response(QuestionSerializer(questions, many=True).data)
        call = self.get_call("calls.change_call")
        data = self.valid(QuestionSerializer)
        question = self.call(
            services.question_save,
            call=call,
            updated_by=request.user,
            stage=data.get("stage") or call.first_stage(),
            key=data.get("key"),
            kind=data["kind"],
            label=data["label"],
            help_text=data.get("help_text"),
            required=data.get("required", False),
            identifying=data.get("identifying", False),
            config=data.get("config"),
            position=data.get("position"),
        )
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        parameters=[QUESTION_PARAMETER],
        request=QuestionSerializer,
        responses={200: QuestionSerializer, **ERRORS},
    )
    @extend_schema(methods=["DELETE"], parameters=[QUESTION_PARAMETER], responses={204: None, **ERRORS})
    @action(detail=True, methods=["patch", "delete"], url_path=r"questions/(?P<question_id>[0-9]{1,18})")
    def question(self, request, pk=None, question_id=None):
        call = self.get_call("calls.change_call")
        question = get_object_or_404(FormQuestion, pk=question_id, call=call)
        question.call = call
        if request.method == "DELETE":
            self.call(services.question_remove, question=question, removed_by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.valid(QuestionSerializer, partial=True)
        question = self.call(
            services.question_save,
            call=call,
            updated_by=request.user,
            question=question,
            stage=data.get("stage", question.stage),
            key=data.get("key", question.key),
            kind=data.get("kind", question.kind),
            label=data.get("label", question.label),
            help_text=data.get("help_text", question.help_text),
            required=data.get("required", question.required),
            identifying=data.get("identifying", question.identifying),
            config=data.get("config", question.config),
            position=data.get("position", question.position),
        )
        return Response(QuestionSerializer(question).data)

    # --- Documents ---

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, **ERRORS},
        description="Publish a document or template with the call (lab staff).",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        call = self.get_call("calls.change_call")
        data = self.valid(DocumentUploadSerializer)
        document = self.call(
            services.call_document_add,
            call=call,
            file=data["file"],
            title=data["title"],
            is_template=data["is_template"],
            uploaded_by=request.user,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[DOCUMENT_PARAMETER], responses={204: None, **ERRORS})
    @action(detail=True, methods=["delete"], url_path=r"documents/(?P<document_id>[0-9]{1,18})")
    def document(self, request, pk=None, document_id=None):
        call = self.get_call("calls.change_call")
        document = get_object_or_404(CallDocument, pk=document_id, call=call)
        document.call = call
        self.call(services.call_document_remove, document=document, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Q&A ---

    @extend_schema(
        methods=["GET"],
        responses={200: EnquirySerializer(many=True), **ERRORS},
        description="Lab staff see every enquiry; everyone else the published answers (without the asker).",
    )
    @extend_schema(
        methods=["POST"],
        request=EnquiryAskSerializer,
        responses={201: EnquirySerializer, **ERRORS},
        description=(
            "Ask a question during the enquiry period. It stays private until staff publish an answer."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def enquiries(self, request, pk=None):
        user = request.user
        if request.method == "GET":
            call = self.get_call()
            if user.has_perm("calls.change_call", call):
                rows = call.enquiries.select_related("organisation").order_by("created_at", "pk")
                return Response(EnquirySerializer(rows, many=True).data)
            rows = call.enquiries.filter(is_published=True).order_by("published_at", "pk")
            return Response(PublicEnquirySerializer(rows, many=True).data)
        call = self.get_call()
        data = self.valid(EnquiryAskSerializer)
        organisation = None
        if data.get("organisation") is not None:
            if data["organisation"] not in user_organisation_roles(user):
                raise ApiError(
                    status_code=403,
                    code="not_member",
                    message="You may ask only on behalf of an organisation you are a member of.",
                    fields={"organisation": ["You are not a member of this organisation."]},
                )
            organisation = Organisation.objects.get(pk=data["organisation"])
        enquiry = self.call(
            services.enquiry_ask,
            call=call,
            asked_by=user,
            question=data["question"],
            organisation=organisation,
        )
        return Response(EnquirySerializer(enquiry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ENQUIRY_PARAMETER],
        request=EnquiryAnswerSerializer,
        responses={200: EnquirySerializer, **ERRORS},
        description="Answer an enquiry (lab staff); publishing tells everyone with a draft application.",
    )
    @action(detail=True, methods=["post"], url_path=r"enquiries/(?P<enquiry_id>[0-9]{1,18})/answer")
    def answer(self, request, pk=None, enquiry_id=None):
        call = self.get_call("calls.change_call")
        enquiry = get_object_or_404(Enquiry.objects.select_related("organisation"), pk=enquiry_id, call=call)
        enquiry.call = call
        data = self.valid(EnquiryAnswerSerializer)
        enquiry = self.call(
            services.enquiry_answer,
            enquiry=enquiry,
            answered_by=request.user,
            answer=data["answer"],
            public_question=data.get("public_question") or None,
            publish=data["publish"],
        )
        return Response(EnquirySerializer(enquiry).data)

    @extend_schema(
        parameters=[ENQUIRY_PARAMETER],
        request=None,
        responses={200: EnquirySerializer, **ERRORS},
        description="Take a published answer off the call page (lab staff); it stays on record.",
    )
    @action(detail=True, methods=["post"], url_path=r"enquiries/(?P<enquiry_id>[0-9]{1,18})/unpublish")
    def unpublish(self, request, pk=None, enquiry_id=None):
        call = self.get_call("calls.change_call")
        enquiry = get_object_or_404(Enquiry.objects.select_related("organisation"), pk=enquiry_id, call=call)
        enquiry.call = call
        enquiry = self.call(services.enquiry_unpublish, enquiry=enquiry, by=request.user)
        return Response(EnquirySerializer(enquiry).data)

    # --- Extensions ---

    @extend_schema(methods=["GET"], responses={200: ExtensionSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ExtensionGrantSerializer,
        responses={201: ExtensionSerializer, **ERRORS},
        description="Grant one organisation an individual, audited extension of the deadline (lab staff).",
    )
    @action(detail=True, methods=["get", "post"])
    def extensions(self, request, pk=None):
        call = self.get_call("calls.manage_applications")
        if request.method == "GET":
            rows = call.extensions.select_related("organisation", "call").order_by("organisation__name", "pk")
            return Response(ExtensionSerializer(rows, many=True).data)
        data = self.valid(ExtensionGrantSerializer)
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        if organisation is None:
            raise invalid(organisation="No such organisation.")
        extension = self.call(
            services.extension_grant,
            call=call,
            organisation=organisation,
            until=data["until"],
            reason=data["reason"],
            granted_by=request.user,
            stage=data.get("stage"),
        )
        extension = DeadlineExtension.objects.select_related("organisation", "call").get(pk=extension.pk)
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


# --- Applications ----------------------------------------------------------------------------------

APPLICATION_LIST_PARAMETERS = [
    OpenApiParameter("call", int, description="A call's id."),
    OpenApiParameter("challenge", str, description="A challenge's reference."),
    OpenApiParameter("status", str, enum=ApplicationStatus.values),
    OpenApiParameter("stage", str, enum=Stage.values),
    OpenApiParameter("organisation", int, description="An organisation's id (only yours show)."),
]
FILE_PARAMETER = OpenApiParameter("file_id", int, OpenApiParameter.PATH, description="File id.")
REVISION_PARAMETER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="Revision number.")


def _application_list_queryset(queryset):
    return queryset.select_related("call", "call__lab", "organisation").prefetch_related(
        Prefetch("challenge", queryset=Challenge.objects.only("pk", "reference", "title", "status"))
    )


class ApplicationViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Applications by solver organisations: drafts that autosave, submissions with receipts."""

    lookup_value_regex = ID_PATTERN
    queryset = Application.objects.all()
    serializer_class = ApplicationListSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_application(self, perm: str | None = None, queryset=None) -> Application:
        """Fetch and authorise in one step: 404 if the caller may not see it, 403 if not do this."""
        if queryset is None:
            queryset = Application.objects.select_related("call", "call__lab", "challenge", "organisation")
        application = get_object_or_404(queryset, pk=self.kwargs["pk"])
        user = self.request.user
        if not user.has_perm("calls.view_application", application):
            raise Http404
        if perm and not user.has_perm(perm, application):
            raise exceptions.PermissionDenied
        return application

    def detail_data(self, application, *, errors=None) -> dict:
        application = (
            Application.objects.select_related("call", "call__lab", "challenge", "organisation")
            .prefetch_related("files")
            .get(pk=application.pk)
        )
        context = {"request": self.request, "deadlines": deadlines_for([application])}
        if errors is not None:
            return ApplicationSavedSerializer(application, context={**context, "answer_errors": errors}).data
        return ApplicationDetailSerializer(application, context=context).data

    @extend_schema(
        parameters=APPLICATION_LIST_PARAMETERS, responses={200: ApplicationListSerializer(many=True)}
    )
    def list(self, request):
        params = request.query_params
        queryset = visible_applications(request.user)
        call_id = _int_param(params, "call")
        organisation_id = _int_param(params, "organisation")
        if call_id is not None:
            queryset = queryset.filter(call_id=call_id)
        if organisation_id is not None:
            queryset = queryset.filter(organisation_id=organisation_id)
        if params.get("challenge"):
            queryset = queryset.filter(challenge__reference=params["challenge"])
        for name, allowed in (("status", ApplicationStatus.values), ("stage", Stage.values)):
            value = params.get(name, "")
            if value and value not in allowed:
                raise invalid(**{name: f"Choose one of: {', '.join(allowed)}."})
            if value:
                queryset = queryset.filter(**{name: value})
        page = self.paginate_queryset(_application_list_queryset(queryset).order_by("-updated_at", "pk"))
        context = {"request": request, "deadlines": deadlines_for(page)}
        return self.get_paginated_response(ApplicationListSerializer(page, many=True, context=context).data)

    @extend_schema(responses={200: ApplicationDetailSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(self.detail_data(self.get_application()))

    @extend_schema(
        request=ApplicationStartSerializer,
        responses={201: ApplicationDetailSerializer, 200: ApplicationDetailSerializer, **ERRORS},
        description=(
            "Start (or find) your organisation's draft for a challenge of a call. Idempotent: asking twice "
            "answers the same application (200 the second time)."
        ),
    )
    def create(self, request):
        data = self.valid(ApplicationStartSerializer)
        user = request.user
        if data["organisation"] not in user_organisation_roles(user) and not user.is_superuser:
            raise ApiError(
                status_code=403,
                code="not_member",
                message="You may apply only for an organisation you are a member of.",
                fields={"organisation": ["You are not a member of this organisation."]},
            )
        call = visible_calls(user).filter(pk=data["call"]).select_related("lab").first()
        if call is None or not user.has_perm("calls.view_call", call):
            raise invalid(call="No such call open to you.")
        challenge = call.challenges.filter(reference=data["challenge"]).first()
        if challenge is None:
            raise invalid(challenge="This challenge is not part of the call.")
        organisation = Organisation.objects.get(pk=data["organisation"])
        application, created = self.call(
            services.application_start,
            call=call,
            challenge=challenge,
            organisation=organisation,
            started_by=user,
            received_at=self.received_at(),
        )
        return Response(
            self.detail_data(application), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        request=ApplicationSaveSerializer,
        responses={200: ApplicationSavedSerializer, **ERRORS, **CONFLICT},
        description=(
            "Save answers, partners or declarations into the draft; send the `version` you loaded (409 if "
            "it changed). Answers that do not pass their question's checks are kept and listed in "
            "`answer_errors`; a value too large to keep answers 400 and nothing is saved."
        ),
    )
    def partial_update(self, request, pk=None):
        application = self.get_application("calls.change_application")
        data = self.valid(ApplicationSaveSerializer)
        result = self.call(
            services.application_save,
            application=application,
            saved_by=request.user,
            answers=data.get("answers"),
            partners=[dict(partner) for partner in data["partners"]] if "partners" in data else None,
            declarations=data.get("declarations"),
            expected_version=data["version"],
            received_at=self.received_at(),
        )
        errors = {key: [str(m) for m in messages] for key, messages in (result.errors or {}).items()}
        return Response(self.detail_data(result.application, errors=errors))

    @extend_schema(methods=["GET"], responses={200: ApplicationFileSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: ApplicationFileSerializer, **ERRORS},
        description=(
            "Upload the file answering a file question; its type is checked on the content, its size "
            "against the question's limit. The answer then refers to the new file."
        ),
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def files(self, request, pk=None):
        if request.method == "GET":
            application = self.get_application()
            return Response(ApplicationFileSerializer(application.files.all(), many=True).data)
        application = self.get_application("calls.change_application")
        data = self.valid(FileUploadSerializer)
        uploaded = self.call(
            services.application_upload,
            application=application,
            question_key=data["question_key"],
            file=data["file"],
            uploaded_by=request.user,
            received_at=self.received_at(),
        )
        return Response(ApplicationFileSerializer(uploaded).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[FILE_PARAMETER],
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file."), **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>[0-9]{1,18})")
    def file(self, request, pk=None, file_id=None):
        application = self.get_application()
        uploaded = get_object_or_404(ApplicationFile, pk=file_id, application=application)
        response = FileResponse(uploaded.file.open("rb"), as_attachment=True, filename=uploaded.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        request=SubmitSerializer,
        responses={201: RevisionSerializer, 200: RevisionSerializer, **ERRORS, **CONFLICT},
        description=(
            "Submit: checks completeness (400 `incomplete` with the gaps by question), then freezes a "
            "revision with its receipt. The deadline counts when the request arrived, in the call's time "
            "zone; at or after it the answer is 400 `deadline_passed`. Submitting an unchanged application "
            "again answers its last revision (200) and stores nothing."
        ),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        received_at = self.received_at()
        application = self.get_application("calls.change_application")
        data = self.valid(SubmitSerializer)
        revision = self.call(
            services.application_submit,
            application=application,
            submitted_by=request.user,
            received_at=received_at,
            expected_version=data.get("version"),
        )
        revision = ApplicationRevision.objects.select_related("application__call").get(pk=revision.pk)
        created = revision.received_at == received_at
        return Response(
            RevisionSerializer(revision).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=WithdrawSerializer,
        responses={200: ApplicationDetailSerializer, **ERRORS},
        description="Withdraw the application (possible until the deadline).",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        received_at = self.received_at()
        application = self.get_application("calls.change_application")
        data = self.valid(WithdrawSerializer)
        application = self.call(
            services.application_withdraw,
            application=application,
            withdrawn_by=request.user,
            reason=data["reason"],
            received_at=received_at,
        )
        return Response(self.detail_data(application))

    @extend_schema(
        request=None,
        responses={200: ApplicationDetailSerializer, 201: ApplicationDetailSerializer, **ERRORS},
        description=(
            "Two-stage calls (lab staff): invite a submitted expression of interest to send a full "
            "proposal. Answers the proposal's draft (201 when it is new, 200 if already invited)."
        ),
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        application = self.get_application()
        if not request.user.has_perm("calls.manage_applications", application.call):
            raise exceptions.PermissionDenied
        existed = Application.objects.filter(
            call=application.call,
            challenge=application.challenge,
            organisation=application.organisation,
            stage=Stage.PROPOSAL,
        ).exists()
        proposal = self.call(
            services.application_invite_full, application=application, invited_by=request.user
        )
        return Response(
            self.detail_data(proposal), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: RevisionSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def revisions(self, request, pk=None):
        application = self.get_application()
        rows = application.revisions.select_related("application__call").order_by("-number")
        return Response(RevisionSerializer(rows, many=True).data)

    @extend_schema(parameters=[REVISION_PARAMETER], responses={200: RevisionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]{1,18})")
    def revision(self, request, pk=None, number=None):
        application = self.get_application()
        revision = get_object_or_404(
            application.revisions.select_related("application__call"), number=int(number)
        )
        return Response(RevisionDetailSerializer(revision).data)

    @extend_schema(responses={200: GapsSerializer, **ERRORS})
    @action(detail=True, methods=["get"])
    def gaps(self, request, pk=None):
        """What a submit would refuse now, by question key."""
        application = self.get_application()
        gaps = services.application_gaps(application)
        gaps = {key: [str(m) for m in messages] for key, messages in gaps.items()}
        return Response(GapsSerializer({"complete": not gaps, "gaps": gaps}).data)


# --- Receipts ----------------------------------------------------------------------------------------


class ReceiptViewSet(viewsets.ViewSet):
    """Anyone holding a receipt may check it: a match proves govlab holds exactly that submission."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ReceiptVerifySerializer

    @extend_schema(
        request=ReceiptVerifySerializer,
        responses={200: ReceiptResultSerializer, 400: ERRORS[400]},
        description="Check a receipt (its code and content hash). Says only whether it matches, for which "
        "call and when it arrived (the instant judged against the deadline); never what was submitted.",
    )
    @action(detail=False, methods=["post"])
    def verify(self, request):
        serializer = ReceiptVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        revision = receipts.verify(data["receipt_code"], data["content_hash"])
        if revision is None:
            return Response({"valid": False, "call": None, "received_at": None, "submitted_at": None})
        call = revision.application.call
        return Response(
            {
                "valid": True,
                "call": {"id": call.pk, "slug": call.slug, "title": dict(call.title), "lab": call.lab.slug},
                "received_at": zoned(revision.received_at, call.zone),
                "submitted_at": zoned(revision.submitted_at, call.zone),
            }
        )


# --- Follows -----------------------------------------------------------------------------------------


def _follow_target(user, kind: str, target: str):
    if kind == FollowKind.LAB:
        return Lab.objects.public().filter(slug=target).first()
    if kind == FollowKind.CHALLENGE:
        challenge = Challenge.objects.select_related("lab").filter(reference=target).first()
        visible = challenge is not None and user.has_perm("challenges.view_challenge", challenge)
        return challenge if visible else None
    return Term.objects.filter(vocabulary=kind, code=target, is_active=True).first()


class FollowViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """What the signed-in person follows: told when a matching call opens."""

    lookup_value_regex = ID_PATTERN
    queryset = Follow.objects.all()
    serializer_class = FollowSerializer
    permission_classes = [permissions.IsAuthenticated]

    def mine(self):
        return Follow.objects.filter(user=self.request.user).select_related("lab", "challenge", "term")

    @extend_schema(responses={200: FollowSerializer(many=True)})
    def list(self, request):
        page = self.paginate_queryset(self.mine().order_by("kind", "pk"))
        return self.get_paginated_response(FollowSerializer(page, many=True).data)

    @extend_schema(request=FollowSerializer, responses={201: FollowSerializer, **ERRORS})
    def create(self, request):
        data = self.valid(FollowSerializer)
        target = _follow_target(request.user, data["kind"], data["target"])
        if target is None:
            raise invalid(target="Nothing of this kind has this name.")
        follow = self.call(services.follow, user=request.user, kind=data["kind"], target=target)
        follow = self.mine().get(pk=follow.pk)
        return Response(FollowSerializer(follow).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, pk=None):
        follow = get_object_or_404(self.mine(), pk=pk)
        target = {FollowKind.LAB: follow.lab, FollowKind.CHALLENGE: follow.challenge}.get(
            follow.kind, follow.term
        )
        self.call(services.unfollow, user=request.user, kind=follow.kind, target=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("calls", CallViewSet, basename="call")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("receipts", ReceiptViewSet, basename="receipt")
    router.register("follows", FollowViewSet, basename="follow")
