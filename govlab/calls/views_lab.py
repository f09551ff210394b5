"""The lab's call pages: calls, criteria, documents, the form builder, Q&A, the dashboard and exports.

Every page is for the lab's team (manager or staff). The lab and the call are fetched and authorised in
one step: another lab's call, a call that does not exist, or a lab the person does not run all answer 404
alike; anonymous people are sent to sign in. Writes go through ``services``; a service's refusal is shown
on the form that caused it, at the field, with everything typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.core.i18n import pick
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff
from govlab.organisations.models import Organisation

from . import selectors, services
from .enums import ApplicationStatus, CallStatus, QuestionKind, Stage
from .exports import applications_csv, applications_xlsx, file_answer, format_answer, revision_file_ids
from .forms_lab import (
    ApplicationFilterForm,
    CallForm,
    CancelForm,
    CriterionFormSet,
    DocumentForm,
    EnquiryAnswerForm,
    ExtensionForm,
    KindChoiceForm,
    QuestionForm,
    apply_errors,
    criteria_initial,
)
from .models import (
    Application,
    ApplicationFile,
    Call,
    CallDocument,
    DeadlineExtension,
    Enquiry,
    FormQuestion,
)

PAGE_SIZE = 50
K = QuestionKind


# --- Fetch and authorise -----------------------------------------------------------------------


def _staff_lab(request, lab_slug: str) -> Lab:
    """The lab, if this person runs it (manager or staff); 404 otherwise, as if it did not exist."""
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not is_lab_staff(request.user, lab):
        raise Http404
    request.lab = lab
    return lab


def _staff_call(request, lab_slug: str, pk: int, perm: str = "calls.change_call") -> Call:
    lab = _staff_lab(request, lab_slug)
    call = Call.objects.filter(lab=lab, pk=pk).first()
    if call is None:
        raise Http404
    call.lab = lab
    if not request.user.has_perm(perm, call):
        raise Http404
    return call


def _staff_application(request, lab_slug: str, pk: int, reference: str) -> Application:
    call = _staff_call(request, lab_slug, pk, perm="calls.manage_applications")
    application = (
        Application.objects.filter(call=call, reference=reference)
        .select_related("organisation", "challenge")
        .first()
    )
    if application is None:
        raise Http404
    application.call = call
    if not request.user.has_perm("calls.view_application", application):
        raise Http404
    return application


def _context(lab, **extra) -> dict:
    return {"lab": lab, "current_lab": lab, "lab_section": "calls", **extra}


def _call_context(call, tab: str, **extra) -> dict:
    return _context(
        call.lab,
        call=call,
        tab=tab,
        deadline_label=services.local_time_label(call.deadline, call),
        proposal_deadline_label=(
            services.local_time_label(call.proposal_deadline, call) if call.proposal_deadline else ""
        ),
        **extra,
    )


def _call_url(call, name: str = "calls:lab_call", *args) -> str:
    return reverse(name, args=[call.lab.slug, call.pk, *args])


# --- Calls -------------------------------------------------------------------------------------


@login_required
@require_GET
def call_list(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    calls = list(selectors.call_list_lab(lab))
    for call in calls:
        call.lab = lab
        call.deadline_label = services.local_time_label(call.deadline, call)
    return render(request, "calls/lab/call_list.html", _context(lab, calls=calls))


def _save_call(request, form, call=None):
    """Create or update through the service; the call, or None with the errors on the form."""
    fields = form.call_fields()
    challenges = list(form.cleaned_data["challenges"])
    try:
        if call is None:
            return services.call_create(
                lab=form.lab, created_by=request.user, challenges=challenges, **fields
            )
        return services.call_update(call=call, updated_by=request.user, challenges=challenges, **fields)
    except ValidationError as error:
        apply_errors(form, error)
        return None


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def call_create(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = CallForm(data or None, lab=lab, prefix="call")
    if request.method == "POST" and form.is_valid():
        call = _save_call(request, form)
        if call is not None:
            messages.success(
                request, _("The call is created. Now give its criteria and its application form.")
            )
            return redirect("calls:lab_call", lab_slug=lab.slug, pk=call.pk)
    return render(request, "calls/lab/call_form.html", _context(lab, form=form, call=None))


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def call_edit(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    lab = call.lab
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = CallForm(data or None, lab=lab, call=call, prefix="call")
    if request.method == "POST" and form.is_valid():
        if _save_call(request, form, call) is not None:
            messages.success(request, _("The call is saved."))
            return redirect("calls:lab_call", lab_slug=lab.slug, pk=call.pk)
        call.refresh_from_db()
        call.lab = lab
    return render(request, "calls/lab/call_form.html", _call_context(call, "details", form=form))


# --- Criteria ----------------------------------------------------------------------------------


def _apply_criteria_errors(formset, forms_in_order, error: ValidationError) -> None:
    """Errors named "criteria.<n>.<field>" go to the n-th criterion's field; the rest to the first form."""
    if not hasattr(error, "error_dict"):
        formset._non_form_errors = formset.error_class(error.messages)
        return
    others = []
    for name, messages_ in error.message_dict.items():
        parts = name.split(".")
        if (
            len(parts) == 3
            and parts[0] == "criteria"
            and parts[1].isdigit()
            and int(parts[1]) < len(forms_in_order)
        ):
            form = forms_in_order[int(parts[1])]
            for message in messages_:
                form.add_error(parts[2] if parts[2] in form.fields else None, message)
        else:
            others.extend(messages_)
    if others:
        formset._non_form_errors = formset.error_class(others)


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    lab = call.lab
    criteria = list(call.criteria.order_by("position", "pk"))
    formset = CriterionFormSet(
        request.POST if request.method == "POST" else None,
        prefix="criteria",
        initial=criteria_initial(criteria),
        form_kwargs={"languages": lab.languages},
    )
    if request.method == "POST" and formset.is_valid():
        forms_in_order = [form for form in formset.ordered_forms if hasattr(form, "levels")]
        try:
            services.call_set_criteria(
                call=call, criteria=[form.criterion() for form in forms_in_order], updated_by=request.user
            )
        except ValidationError as error:
            _apply_criteria_errors(formset, forms_in_order, error)
        else:
            messages.success(request, _("The evaluation criteria are saved."))
            return redirect("calls:lab_criteria", lab_slug=lab.slug, pk=call.pk)
    total = sum((criterion.weight for criterion in criteria), 0)
    rows = [
        {
            "criterion": criterion,
            "percent": (criterion.weight * 100 / total) if total else 0,
            "levels": criterion.scale,
        }
        for criterion in criteria
    ]
    return render(
        request,
        "calls/lab/criteria.html",
        _call_context(call, "criteria", formset=formset, rows=rows, total=total),
    )


# --- Documents ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def documents(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    lab = call.lab
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        languages=lab.languages,
        prefix="document",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.call_document_add(
                call=call,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                is_template=form.cleaned_data["is_template"],
                uploaded_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect("calls:lab_documents", lab_slug=lab.slug, pk=call.pk)
    items = list(call.documents.order_by("position", "pk"))
    return render(
        request, "calls/lab/documents.html", _call_context(call, "documents", form=form, documents=items)
    )


@login_required
@require_POST
def document_remove(request, lab_slug, pk, document_pk):
    call = _staff_call(request, lab_slug, pk)
    document = CallDocument.objects.filter(call=call, pk=document_pk).first()
    if document is None:
        raise Http404
    document.call = call
    try:
        services.call_document_remove(document=document, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is removed."))
    return redirect("calls:lab_documents", lab_slug=call.lab.slug, pk=call.pk)


@login_required
@require_GET
def document_download(request, lab_slug, pk, document_pk):
    call = _staff_call(request, lab_slug, pk)
    document = CallDocument.objects.filter(call=call, pk=document_pk).first()
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The form builder --------------------------------------------------------------------------


def _stages(call) -> list[tuple[str, str]]:
    if call.two_stage:
        return list(Stage.choices)
    return [(Stage.PROPOSAL, Stage.PROPOSAL.label)]


@login_required
@require_GET
def form_builder(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    questions = list(call.questions.order_by("stage", "position", "pk"))
    stages = [
        {"value": value, "label": label, "questions": [q for q in questions if q.stage == value]}
        for value, label in _stages(call)
    ]
    orphans = [q for q in questions if q.stage not in {value for value, _label in _stages(call)}]
    return render(
        request,
        "calls/lab/form_builder.html",
        _call_context(
            call,
            "form",
            stages=stages,
            orphans=orphans,
            kind_form=KindChoiceForm(call=call, prefix=""),
        ),
    )


def _question_errors(form, error: ValidationError) -> None:
    """A service's refusal on the question form: "config.<setting>" names a setting's field."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages_ in error.message_dict.items():
        target = name.split(".", 1)[1] if name.startswith("config.") else name
        target = form._field_for(target) if name.startswith("config.") else target
        for message in messages_:
            form.add_error(target if target in form.fields else None, message)


def _question_page(request, call, form, *, stage, kind, question=None):
    return render(
        request,
        "calls/lab/question_form.html",
        _call_context(
            call,
            "form",
            form=form,
            stage=stage,
            stage_label=Stage(stage).label,
            kind=kind,
            kind_label=K(kind).label,
            question=question,
        ),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def question_create(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    source = request.POST if request.method == "POST" else request.GET
    stage, kind = source.get("stage", ""), source.get("kind", "")
    if stage not in {value for value, _label in _stages(call)} or kind not in K.values:
        chooser = KindChoiceForm(request.GET or None, call=call, prefix="")
        chooser.is_valid()
        return render(request, "calls/lab/question_kind.html", _call_context(call, "form", kind_form=chooser))
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = QuestionForm(data or None, call=call, kind=kind, prefix="question")
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_save(
                call=call, updated_by=request.user, stage=stage, kind=kind, **form.question_values()
            )
        except ValidationError as error:
            _question_errors(form, error)
        else:
            messages.success(
                request, _("The question “%(label)s” is added.") % {"label": pick(question.label).text}
            )
            return redirect(reverse("calls:lab_form", args=[call.lab.slug, call.pk]) + f"#stage-{stage}")
    return _question_page(request, call, form, stage=stage, kind=kind)


def _question(request, lab_slug, pk, question_pk):
    call = _staff_call(request, lab_slug, pk)
    question = FormQuestion.objects.filter(call=call, pk=question_pk).first()
    if question is None:
        raise Http404
    question.call = call
    return call, question


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def question_edit(request, lab_slug, pk, question_pk):
    call, question = _question(request, lab_slug, pk, question_pk)
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = QuestionForm(data or None, call=call, kind=question.kind, question=question, prefix="question")
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                call=call,
                updated_by=request.user,
                question=question,
                stage=question.stage,
                kind=question.kind,
                **form.question_values(),
            )
        except ValidationError as error:
            question.refresh_from_db()
            _question_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(
                reverse("calls:lab_form", args=[call.lab.slug, call.pk]) + f"#question-{question.pk}"
            )
    return _question_page(request, call, form, stage=question.stage, kind=question.kind, question=question)


@login_required
@require_POST
def question_remove(request, lab_slug, pk, question_pk):
    call, question = _question(request, lab_slug, pk, question_pk)
    stage = question.stage
    try:
        services.question_remove(question=question, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question is removed. Answers already given to it are kept."))
    return redirect(reverse("calls:lab_form", args=[call.lab.slug, call.pk]) + f"#stage-{stage}")


@login_required
@require_POST
def question_move(request, lab_slug, pk, question_pk, direction):
    call, question = _question(request, lab_slug, pk, question_pk)
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.question_move(question=question, direction=direction, moved_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The questions are reordered."))
    return redirect(reverse("calls:lab_form", args=[call.lab.slug, call.pk]) + f"#question-{question.pk}")


def _preview_item(question, languages) -> dict:
    config = question.config or {}
    item = {
        "question": question,
        "label": pick(question.label, preferred=languages).text,
        "help": pick(question.help_text, preferred=languages).text,
        "config": config,
        "choices": [
            {"value": choice["value"], "label": pick(choice.get("label"), preferred=languages).text}
            for choice in config.get("choices", [])
        ],
        "fields": [
            {
                "key": field["key"],
                "kind": field["kind"],
                "label": pick(field.get("label"), preferred=languages).text,
                "required": field.get("required"),
            }
            for field in config.get("fields", [])
        ],
        "extensions": ", ".join(ext.upper() for ext in config.get("extensions", [])),
    }
    return item


@login_required
@require_GET
def form_preview(request, lab_slug, pk, stage):
    call = _staff_call(request, lab_slug, pk)
    if stage not in {value for value, _label in _stages(call)}:
        raise Http404
    languages = call.lab.languages
    items = [
        _preview_item(q, languages) for q in call.questions.filter(stage=stage).order_by("position", "pk")
    ]
    return render(
        request,
        "calls/lab/form_preview.html",
        _call_context(
            call,
            "form",
            stage=stage,
            stage_label=Stage(stage).label,
            items=items,
            declarations=[str(text) for text in services.DECLARATIONS.values()],
        ),
    )


# --- Publication and cancellation ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def call_publish(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    refusal = []
    if request.method == "POST":
        try:
            services.call_publish(call=call, published_by=request.user)
        except ValidationError as error:
            refusal = error.messages
            call.refresh_from_db()
            call.lab = Lab.objects.get(pk=call.lab_id)
        else:
            messages.success(request, _("The call is published. Its challenges are now in a call."))
            return redirect("calls:lab_call", lab_slug=call.lab.slug, pk=call.pk)
    gaps = services.call_publication_gaps(call) if call.status == CallStatus.DRAFT else []
    return render(
        request,
        "calls/lab/publish.html",
        _call_context(call, "publish", gaps=gaps, refusal=refusal, cancel_form=CancelForm(prefix="cancel")),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def call_cancel(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = CancelForm(data or None, prefix="cancel")
    if request.method == "POST" and form.is_valid():
        try:
            services.call_cancel(call=call, cancelled_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The call is cancelled."))
            return redirect("calls:lab_call", lab_slug=call.lab.slug, pk=call.pk)
    return render(request, "calls/lab/cancel.html", _call_context(call, "publish", form=form))


# --- Q&A ---------------------------------------------------------------------------------------


@login_required
@require_GET
def enquiries(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    items = list(
        Enquiry.objects.filter(call=call)
        .select_related("organisation", "asked_by")
        .order_by("created_at", "pk")
    )
    items.sort(key=lambda item: item.answered_at is not None)  # unanswered first, oldest first
    return render(
        request,
        "calls/lab/enquiries.html",
        _call_context(
            call,
            "enquiries",
            enquiries=items,
            unanswered=sum(1 for item in items if item.answered_at is None),
        ),
    )


def _enquiry(request, lab_slug, pk, enquiry_pk):
    call = _staff_call(request, lab_slug, pk)
    enquiry = (
        Enquiry.objects.filter(call=call, pk=enquiry_pk).select_related("organisation", "asked_by").first()
    )
    if enquiry is None:
        raise Http404
    enquiry.call = call
    return call, enquiry


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def enquiry_answer(request, lab_slug, pk, enquiry_pk):
    call, enquiry = _enquiry(request, lab_slug, pk, enquiry_pk)
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    # Prefilled with the asker's words for staff to check: nothing is published that staff did not see.
    language = (enquiry.language or "").split("-")[0]
    if language not in call.lab.languages:
        language = call.lab.main_language
    asked = enquiry.public_question or {language: enquiry.question}
    initial = {"answer": enquiry.answer, "public_question": asked, "publish": True}
    form = EnquiryAnswerForm(data or None, languages=call.lab.languages, prefix="enquiry", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.enquiry_answer(
                enquiry=enquiry,
                answered_by=request.user,
                answer=form.cleaned_data["answer"],
                public_question=form.cleaned_data["public_question"] or None,
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if enquiry.is_published:
                messages.success(request, _("The answer is saved and published on the call page."))
            else:
                messages.success(request, _("The answer is saved; it is not published."))
            return redirect("calls:lab_enquiries", lab_slug=call.lab.slug, pk=call.pk)
    return render(
        request, "calls/lab/enquiry_answer.html", _call_context(call, "enquiries", enquiry=enquiry, form=form)
    )


@login_required
@require_POST
def enquiry_unpublish(request, lab_slug, pk, enquiry_pk):
    call, enquiry = _enquiry(request, lab_slug, pk, enquiry_pk)
    try:
        services.enquiry_unpublish(enquiry=enquiry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question is no longer published."))
    return redirect("calls:lab_enquiries", lab_slug=call.lab.slug, pk=call.pk)


# --- The dashboard -----------------------------------------------------------------------------


def _gaps(application, questions) -> dict:
    """services.application_gaps with the prefetched files, so the list stays at a fixed number of queries."""
    return services.application_gaps(
        application, questions=questions, file_ids={file.pk for file in application.files.all()}
    )


@login_required
@require_GET
def call_dashboard(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk, perm="calls.manage_applications")
    challenges = list(call.challenges.order_by("reference"))
    filters = ApplicationFilterForm(
        request.GET or None, call=call, challenges=call.challenges.order_by("reference")
    )
    challenge, status = None, ""
    if filters.is_valid():
        challenge, status = filters.cleaned_data["challenge"], filters.cleaned_data["status"]
    counts = {
        (row["challenge_id"], row["status"]): row["n"]
        for row in Application.objects.filter(call=call)
        .values("challenge_id", "status")
        .annotate(n=Count("pk"))
    }
    states = list(ApplicationStatus.choices)
    by_challenge = [
        {
            "challenge": item,
            "counts": [counts.get((item.pk, value), 0) for value, _label in states],
            "total": sum(counts.get((item.pk, value), 0) for value, _label in states),
        }
        for item in challenges
    ]
    by_state = [
        {"value": value, "label": label, "count": sum(n for (_c, s), n in counts.items() if s == value)}
        for value, label in states
    ]
    applications = (
        Application.objects.filter(call=call)
        .select_related("organisation", "challenge")
        .prefetch_related(Prefetch("files", queryset=ApplicationFile.objects.only("pk", "application_id")))
        .order_by("challenge__reference", "organisation__name", "stage", "pk")
    )
    if challenge is not None:
        applications = applications.filter(challenge=challenge)
    if status:
        applications = applications.filter(status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    questions = list(call.questions.all())
    by_stage = {}
    for question in questions:
        by_stage.setdefault(question.stage, []).append(question)
    rows = []
    for application in page:
        application.call = call
        gaps = _gaps(application, by_stage.get(application.stage, []))
        eligibility = services.eligibility_problems(call, application.organisation)
        rows.append(
            {
                "application": application,
                "gap_count": len(gaps),
                "eligibility": eligibility,
                "submitted_label": (
                    services.local_time_label(application.submitted_at, call)
                    if application.submitted_at
                    else ""
                ),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "calls/lab/dashboard.html",
        _call_context(
            call,
            "dashboard",
            states=states,
            by_state=by_state,
            by_challenge=by_challenge,
            total=sum(counts.values()),
            filters=filters,
            page=page,
            rows=rows,
            query=query.urlencode(),
            can_invite=call.two_stage,
            stages=_stages(call),
        ),
    )


# --- One application ---------------------------------------------------------------------------


def _answer_items(call, questions, answers, files) -> list[dict]:
    languages = call.lab.languages
    items = []
    for question in questions:
        value = (answers or {}).get(question.key)
        config = question.config or {}
        item = {
            "question": question,
            "label": pick(question.label, preferred=languages).text or question.key,
            "text": format_answer(question.kind, config, value, files=files, languages=languages),
            "file": None,
            "file_name": "",
            "file_size": None,
            "columns": [],
            "rows": [],
        }
        if question.kind == K.FILE and value is not None:
            # A revision holds {"file": {"id", "name", "sha256", "size"}}, the working copy the file's id.
            file_id, given = file_answer(value)
            file = files.get(file_id) if file_id is not None else None
            given = given or {}
            item["file"] = file
            item["file_name"] = given.get("name") or (file.original_name if file is not None else "")
            item["file_size"] = (
                given.get("size") if given.get("size") is not None else getattr(file, "size", None)
            )
        if question.kind == K.GROUP and isinstance(value, list):
            fields = config.get("fields", [])
            item["columns"] = [pick(field.get("label"), preferred=languages).text for field in fields]
            item["rows"] = [
                [
                    format_answer(
                        field["kind"], field.get("config", {}), row.get(field["key"]), languages=languages
                    )
                    for field in fields
                ]
                for row in value
                if isinstance(row, dict)
            ]
        items.append(item)
    return items


@login_required
@require_GET
def application_detail(request, lab_slug, pk, reference):
    application = _staff_application(request, lab_slug, pk, reference)
    call = application.call
    revisions = list(application.revisions.select_related("submitted_by").order_by("-number"))
    # The lab reads what was submitted, never the working copy: a draft never submitted shows its status,
    # completeness and eligibility only (applicants are told drafts are not considered).
    shown = None
    wanted = request.GET.get("revision")
    if wanted:
        shown = next((rev for rev in revisions if str(rev.number) == wanted), None)
        if shown is None:
            raise Http404
    elif revisions:
        shown = revisions[0]
    answers = shown.answers if shown is not None else {}
    partners = shown.partners if shown is not None else []
    declarations = shown.declarations if shown is not None else {}
    files = {file.pk: file for file in application.files.all()} if shown is not None else {}
    questions = list(call.questions.filter(stage=application.stage).order_by("position", "pk"))
    extension = DeadlineExtension.objects.filter(
        call=call, organisation=application.organisation, stage=application.stage
    ).first()
    for revision in revisions:
        revision.received_label = services.local_time_label(revision.received_at, call)
    return render(
        request,
        "calls/lab/application.html",
        _call_context(
            call,
            "dashboard",
            application=application,
            revisions=revisions,
            shown=shown,
            items=_answer_items(call, questions, answers, files) if shown is not None else [],
            partners=partners,
            declarations=[
                {"text": str(text), "given": bool((declarations or {}).get(key))}
                for key, text in services.DECLARATIONS.items()
            ]
            if shown is not None
            else [],
            changed_since=shown is not None and application.has_unsubmitted_changes,
            eligibility=services.eligibility_problems(call, application.organisation),
            never_submitted=not revisions,
            gaps=_gaps(application, questions) if not revisions else {},
            extension=extension,
            extension_label=services.local_time_label(extension.until, call) if extension else "",
            can_invite=(
                call.two_stage
                and application.stage == Stage.EXPRESSION_OF_INTEREST
                and application.status == ApplicationStatus.SUBMITTED
            ),
            invited=Application.objects.filter(
                call=call,
                challenge=application.challenge,
                organisation=application.organisation,
                stage=Stage.PROPOSAL,
            ).first()
            if call.two_stage and application.stage == Stage.EXPRESSION_OF_INTEREST
            else None,
        ),
    )


@login_required
@require_GET
def application_file(request, lab_slug, pk, reference, file_pk):
    application = _staff_application(request, lab_slug, pk, reference)
    # Only a file some submitted revision holds: a file of the working copy is the applicant's alone.
    submitted = set()
    for answers in application.revisions.values_list("answers", flat=True):
        submitted |= revision_file_ids(answers)
    file = ApplicationFile.objects.filter(application=application, pk=file_pk).first()
    if file is None or file.pk not in submitted:
        raise Http404
    response = FileResponse(file.file.open("rb"), as_attachment=True, filename=file.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def application_invite(request, lab_slug, pk, reference):
    application = _staff_application(request, lab_slug, pk, reference)
    try:
        proposal = services.application_invite_full(application=application, invited_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(organisation)s is invited to send a full proposal (%(reference)s).")
            % {"organisation": application.organisation.name, "reference": proposal.reference},
        )
    return redirect(
        "calls:lab_application",
        lab_slug=application.call.lab.slug,
        pk=application.call.pk,
        reference=application.reference,
    )


# --- Extensions --------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def extensions(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk, perm="calls.manage_applications")
    organisations = Organisation.objects.filter(applications__call=call).distinct().order_by("name", "pk")
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    initial = {}
    if request.GET.get("organisation", "").isdigit():
        initial["organisation"] = int(request.GET["organisation"])
    form = ExtensionForm(
        data or None, call=call, organisations=organisations, prefix="extension", initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_grant(
                call=call,
                organisation=form.cleaned_data["organisation"],
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                granted_by=request.user,
                stage=form.cleaned_data.get("stage") or None,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The extension is granted and the organisation is told."))
            return redirect("calls:lab_extensions", lab_slug=call.lab.slug, pk=call.pk)
    items = list(
        DeadlineExtension.objects.filter(call=call)
        .select_related("organisation", "granted_by")
        .order_by("organisation__name", "stage")
    )
    for item in items:
        item.until_label = services.local_time_label(item.until, call)
    return render(
        request, "calls/lab/extensions.html", _call_context(call, "extensions", form=form, extensions=items)
    )


# --- Exports -----------------------------------------------------------------------------------


def _export_stage(request, call) -> str:
    stage = request.GET.get("stage") or call.first_stage()
    if stage not in {value for value, _label in _stages(call)}:
        raise Http404
    return stage


@login_required
@require_GET
def export_csv(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk, perm="calls.manage_applications")
    stage = _export_stage(request, call)
    name = f"{call.lab.slug}-{call.slug}-{stage}-applications"
    return download(applications_csv(call, stage), name, "csv", dated=False)


@login_required
@require_GET
def export_xlsx(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk, perm="calls.manage_applications")
    stage = _export_stage(request, call)
    name = f"{call.lab.slug}-{call.slug}-{stage}-applications"
    return download(applications_xlsx(call, stage), name, "xlsx", dated=False)
