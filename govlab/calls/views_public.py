"""The public call pages, and the solver's applications, receipts and workspace.

Views fetch and authorise in one step (404 alike for "does not exist" and "not yours"; 403 where the
thing may be seen but the action is not allowed) and write only through services. Deadlines are judged
on ``request.received_at`` (stamped by govlab.core.middleware.ReceivedAtMiddleware when the request
arrived), never on when the work completes.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.i18n import pick

from . import receipts, selectors, services
from .enums import ApplicationStatus, CallStatus, FollowKind, QuestionKind, Stage
from .forms_public import (
    PARTNERS,
    ApplicationForm,
    ApplyForm,
    CallFilterForm,
    EnquiryForm,
    FollowForm,
    FollowTopicForm,
    ReceiptVerifyForm,
    WithdrawForm,
)
from .models import Application, ApplicationFile, Call, CallDocument, Enquiry, Follow

PAGE_SIZE = 20


def _received_at(request):
    return getattr(request, "received_at", None) or timezone.now()


# --- Fetch and authorise ------------------------------------------------------------------------------


def call_for(request, lab_slug: str, slug: str) -> Call:
    """The call if this person may see it (published, or they are the lab's team), else 404."""
    call = Call.objects.select_related("lab").filter(lab__slug=lab_slug, slug=slug).first()
    if call is None or not request.user.has_perm("calls.view_call", call):
        raise Http404
    request.lab = call.lab
    return call


def application_for(request, reference: str, *perms: str) -> Application:
    """The application if this person may see it (else 404) and has every one of ``perms`` (else 403).

    A member of another organisation gets 404, exactly as for a reference that does not exist.
    """
    application = (
        Application.objects.select_related("call", "call__lab", "challenge", "organisation")
        .filter(reference=reference)
        .first()
    )
    if application is None or not request.user.has_perm("calls.view_application", application):
        raise Http404
    if any(not request.user.has_perm(perm, application) for perm in perms):
        raise PermissionDenied
    request.lab = application.call.lab
    return application


# --- Display helpers ----------------------------------------------------------------------------------


def zoned(moment, call: Call) -> dict | None:
    """An instant as the call's time zone shows it, named: {"iso", "label", "utc"}."""
    if moment is None:
        return None
    return {
        "iso": moment.isoformat(),
        "label": services.local_time_label(moment, call),
        "utc": date_format(moment.astimezone(dt.UTC), "j F Y, H:i") + " (UTC)",
    }


def call_timeline(call: Call) -> list[dict]:
    """The call's dates in order: instants in the call's time zone (named), days as days."""
    instants = [
        (_("Publication"), call.publishes_at),
        (_("Questions may be asked until"), call.enquiries_close_at),
        (
            _("Deadline for expressions of interest") if call.two_stage else _("Submission deadline"),
            call.deadline,
        ),
        (_("Full proposals due (invited applicants)"), call.proposal_deadline if call.two_stage else None),
        (_("End of evaluation"), call.evaluation_ends_at),
    ]
    days = [
        (_("Preselection announced"), call.preselection_on),
        (_("Strengthening starts"), call.strengthening_starts_on),
        (_("Strengthening ends"), call.strengthening_ends_on),
        (_("Demo Day"), call.demo_day_on),
    ]
    rows = [
        {"label": label, "time": zoned(moment, call), "sort": moment.astimezone(call.zone).date()}
        for label, moment in instants
        if moment is not None
    ]
    rows += [
        {"label": label, "day": {"iso": day.isoformat(), "label": date_format(day, "j F Y")}, "sort": day}
        for label, day in days
        if day is not None
    ]
    return sorted(rows, key=lambda row: row["sort"])


def answer_rows(questions, answers: dict, files: dict[int, ApplicationFile] | None = None, languages=None):
    """Questions and their answers for reading (receipts, closed applications)."""
    files = files or {}
    rows = []
    for question in questions:
        value = answers.get(question.key)
        row = {
            "key": question.key,
            "label": pick(question.label, preferred=languages).text or question.key,
            "kind": question.kind,
            "text": "",
        }
        config = question.config or {}
        if value in (None, "", []):
            row["empty"] = True
        elif question.kind == QuestionKind.GROUP and isinstance(value, list):
            fields = config.get("fields", [])
            row["headers"] = [pick(f.get("label"), preferred=languages).text or f["key"] for f in fields]
            row["rows"] = [
                [_display(f["kind"], f.get("config") or {}, r.get(f["key"]), languages) for f in fields]
                for r in value
                if isinstance(r, dict)
            ]
        elif question.kind == QuestionKind.FILE:
            if isinstance(value, dict) and "file" in value:  # a revision holds the file's description
                row["file"] = value["file"]
            elif value in files:
                stored = files[value]
                row["file"] = {
                    "id": stored.pk,
                    "name": stored.original_name,
                    "size": stored.size,
                    "sha256": stored.sha256,
                }
            else:
                row["text"] = str(value)
        else:
            row["text"] = _display(question.kind, config, value, languages)
        rows.append(row)
    known = {question.key for question in questions}
    for key, value in answers.items():  # answers to questions removed from the form since
        if key not in known and value not in (None, "", []):
            text = value.get("file", {}).get("name", "") if isinstance(value, dict) else value
            rows.append({"key": key, "label": key, "kind": "", "text": str(text), "removed": True})
    return rows


def _display(kind: str, config: dict, value, languages=None) -> str:
    if value in (None, "", []):
        return ""
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = {
            c["value"]: pick(c.get("label"), preferred=languages).text or c["value"]
            for c in config.get("choices", [])
        }
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if kind == QuestionKind.YES_NO:
        if value is True:
            return _("Yes")
        if value is False:
            return _("No")
    if kind == QuestionKind.MONEY and config.get("currency"):
        return f"{value} {config['currency']}"
    return str(value)


# --- Public list and feeds ----------------------------------------------------------------------------


@require_GET
def call_list(request):
    form = CallFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {"lab": None, "state": "open", "q": None}
    queryset = selectors.call_list_public(**filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "calls/public/call_list.html",
        {
            "form": form,
            "page": page,
            "calls": page.object_list,
            "state": filters["state"] or "all",
            "filtered": bool(request.GET),
            "now": timezone.now(),
        },
    )


# --- The call page ------------------------------------------------------------------------------------


def _call_page(request, call: Call, *, enquiry_form=None, status=200):
    user = request.user
    now = timezone.now()
    lab = call.lab
    challenges = list(call.challenges.select_related("owner").order_by("reference"))
    criteria = list(call.criteria.all())
    total_weight = sum((c.weight for c in criteria), start=0)
    is_open = call.is_visible(now) and call.status == CallStatus.PUBLISHED and now < call.deadline
    context = {
        "call": call,
        "lab": lab,
        "challenges": challenges,
        "criteria": [
            (criterion, round(criterion.weight * 100 / total_weight) if total_weight else None)
            for criterion in criteria
        ],
        "documents": list(call.documents.all()),
        # Only the question as the lab rewrote it for publication: the asker's own words stay private.
        "enquiries": [
            enquiry
            for enquiry in selectors.enquiries_public(call).defer("question")
            if pick(enquiry.public_question).text
        ],
        "timeline": call_timeline(call),
        "deadline": zoned(call.deadline, call),
        "is_open": is_open,
        "is_visible": call.is_visible(now),
        "enquiries_open": call.enquiries_open(now),
        "can_change": user.has_perm("calls.change_call", call),
        "eligible_kinds": _kind_labels(call.eligible_kinds),
        "eligible_countries": _country_names(call.eligible_countries),
    }
    if user.is_authenticated:
        organisations = list(selectors.user_solver_organisations(user))
        context["organisations"] = organisations
        context["enquiry_form"] = enquiry_form or EnquiryForm(organisations=organisations)
        context["my_enquiries"] = list(
            Enquiry.objects.filter(call=call, asked_by=user).order_by("created_at")
        )
        followed = set(
            Follow.objects.filter(user=user)
            .filter(kind=FollowKind.LAB, lab=lab)
            .values_list("kind", flat=True)
        )
        context["follows_lab"] = FollowKind.LAB in followed
        followed_challenges = set(
            Follow.objects.filter(user=user, kind=FollowKind.CHALLENGE, challenge__in=challenges).values_list(
                "challenge_id", flat=True
            )
        )
        mine: dict[int, list] = {}
        if organisations:
            for application in Application.objects.filter(
                call=call, organisation__in=organisations
            ).select_related("organisation"):
                mine.setdefault(application.challenge_id, []).append(application)
        applied = {key: {a.organisation_id for a in rows} for key, rows in mine.items()}
        context["eligibility"] = [(o, services.eligibility_problems(call, o)) for o in organisations]
        context["challenge_rows"] = [
            {
                "challenge": challenge,
                "followed": challenge.pk in followed_challenges,
                "applications": mine.get(challenge.pk, []),
                "apply_form": ApplyForm(
                    call=call,
                    organisations=[o for o in organisations if o.pk not in applied.get(challenge.pk, ())],
                    challenge=challenge,
                )
                if is_open and len(applied.get(challenge.pk, ())) < len(organisations)
                else None,
            }
            for challenge in challenges
        ]
    else:
        context["challenge_rows"] = [{"challenge": challenge} for challenge in challenges]
    return render(request, "calls/public/call_detail.html", context, status=status)


def _kind_labels(kinds) -> list[str]:
    from govlab.organisations.enums import OrganisationKind

    labels = dict(OrganisationKind.choices)
    return [str(labels.get(kind, kind)) for kind in kinds or []]


def _country_names(codes) -> list[str]:
    from django_countries import countries

    names = dict(countries)
    return [str(names.get(code, code)) for code in codes or []]


@require_GET
def call_detail(request, lab_slug, slug):
    call = call_for(request, lab_slug, slug)
    kept = restore_kept_input(request, posted_to=reverse("calls:ask", args=[lab_slug, slug]))
    enquiry_form = None
    if kept is not None:
        enquiry_form = EnquiryForm(kept, organisations=selectors.user_solver_organisations(request.user))
    return _call_page(request, call, enquiry_form=enquiry_form)


@require_GET
def document_download(request, lab_slug, slug, pk):
    call = call_for(request, lab_slug, slug)
    document = get_object_or_404(CallDocument, call=call, pk=pk)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required_keeping_input(return_to="calls:detail")
@require_POST
def enquiry_ask(request, lab_slug, slug):
    call = call_for(request, lab_slug, slug)
    organisations = selectors.user_solver_organisations(request.user)
    form = EnquiryForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.enquiry_ask(
                call=call,
                asked_by=request.user,
                question=form.cleaned_data["question"],
                organisation=form.cleaned_data.get("organisation"),
                language=(get_language() or "").split("-")[0],
            )
        except ValidationError as error:
            if set(getattr(error, "error_dict", {"__all__": None})) == {"__all__"}:
                messages.error(request, " ".join(error.messages))  # e.g. the enquiry period is over
            else:
                _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your question is sent to the lab. Its answer will be published on this page, "
                    "without your name."
                ),
            )
            return redirect(reverse("calls:detail", args=[lab_slug, slug]) + "#questions")
    return _call_page(request, call, enquiry_form=form)


def _form_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required_keeping_input
def apply(request, lab_slug, slug):
    """Start (or reopen) an application: one per organisation and challenge, however often it is posted."""
    call = call_for(request, lab_slug, slug)
    organisations = list(selectors.user_solver_organisations(request.user))
    if not organisations:
        return render(request, "calls/solver/not_a_solver.html", {"call": call, "lab": call.lab}, status=403)
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    if data is None and request.GET.get("challenge", "").isdigit():
        initial = {"challenge": int(request.GET["challenge"])}
    else:
        initial = {}
    form = ApplyForm(data or None, call=call, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application, created = services.application_start(
                call=call,
                challenge=form.cleaned_data["challenge"],
                organisation=form.cleaned_data["organisation"],
                started_by=request.user,
                received_at=_received_at(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if created:
                messages.success(
                    request, _("Your draft is started. Answer the questions; it is saved as you go.")
                )
            else:
                messages.info(
                    request, _("Your organisation already has an application to this challenge: here it is.")
                )
            return redirect("calls:application", reference=application.reference)
    return render(
        request,
        "calls/solver/apply.html",
        {
            "call": call,
            "lab": call.lab,
            "form": form,
            "eligibility": [(o, services.eligibility_problems(call, o)) for o in organisations],
        },
    )


@login_required
@require_POST
def follow(request, lab_slug, slug):
    call = call_for(request, lab_slug, slug)
    form = FollowForm(request.POST, call=call)
    if not form.is_valid():
        messages.error(request, _("Choose what to follow."))
        return redirect("calls:detail", lab_slug=lab_slug, slug=slug)
    kind, target = form.cleaned_data["kind"], form.target()
    if form.cleaned_data["action"] == "unfollow":
        services.unfollow(user=request.user, kind=kind, target=target)
        messages.success(request, _("You no longer follow %(target)s.") % {"target": target})
    else:
        services.follow(user=request.user, kind=kind, target=target)
        messages.success(
            request, _("You follow %(target)s: you will be told when a call opens.") % {"target": target}
        )
    return redirect("calls:detail", lab_slug=lab_slug, slug=slug)


# --- The application editor ---------------------------------------------------------------------------


def _questions(application: Application):
    return list(application.call.questions.filter(stage=application.stage).order_by("position", "pk"))


def _deadline(application: Application):
    return services.effective_deadline(application.call, application.organisation_id, application.stage)


def _is_editable(application: Application, deadline, now) -> bool:
    return (
        application.status != ApplicationStatus.WITHDRAWN
        and application.call.status == CallStatus.PUBLISHED
        and deadline is not None
        and now < deadline
    )


def _form(application, questions, data=None, files=None, **kwargs) -> ApplicationForm:
    return ApplicationForm(
        data,
        files,
        application=application,
        stored_files={f.pk: f for f in application.files.all()},
        questions=questions,
        declarations=list(services.DECLARATIONS.items()),
        partners_allowed=application.call.consortium_allowed or bool(application.partners),
        languages=application.call.lab.languages,
        **kwargs,
    )


def _editor(request, application, form, questions, *, conflict=False, now=None, status=200):
    """The editor page. ``now``: the instant editability is judged at (a POST's ``received_at``)."""
    deadline = _deadline(application)
    now = now or timezone.now()
    editable = _is_editable(application, deadline, now)
    files = {f.pk: f for f in application.files.all()}
    gaps = services.application_gaps(application, questions) if editable else {}
    labels = {q.key: pick(q.label, preferred=application.call.lab.languages).text or q.key for q in questions}
    labels |= {
        "declarations": _("Declarations"),
        "partners": _("Consortium partners"),
        "organisation": _("Your organisation"),
    }
    return render(
        request,
        "calls/solver/application_form.html",
        {
            "application": application,
            "call": application.call,
            "lab": application.call.lab,
            "form": form,
            "editable": editable,
            "conflict": conflict,
            "deadline": zoned(deadline, application.call),
            "deadline_at": deadline,
            "extended": deadline is not None
            and deadline != application.call.stage_deadline(application.stage),
            "now": now,
            "files": files,
            "gaps": [
                {"label": labels.get(key, key), "problems": problems, "anchor": form.anchor(key)}
                for key, problems in gaps.items()
            ],
            "revisions": list(application.revisions.all()),
            "answers": answer_rows(questions, application.answers, files, application.call.lab.languages)
            if not editable
            else None,
        },
        status=status,
    )


def _row_action(action: str) -> tuple[str | None, tuple[str, int] | None]:
    """``add_row:<key>`` → (key, None); ``remove_row:<key>:<index>`` → (None, (prefix, index))."""
    if action.startswith("add_row:"):
        return action.split(":", 1)[1], None
    if action.startswith("remove_row:"):
        _verb, key, index = [*action.split(":"), "", ""][:3]
        if index.isdigit():
            return None, (key if key == PARTNERS else f"a_{key}", int(index))
    return None, None


@login_required_keeping_input
def application_edit(request, reference):
    application = application_for(request, reference, "calls.change_application")
    questions = _questions(application)
    if request.method != "POST":
        kept = restore_kept_input(request)
        if kept is not None:
            form = _form(application, questions, kept)
            form.is_valid()
        else:
            add_row = request.GET.get("add") or None
            form = _form(
                application, questions, add_row=add_row if add_row in _group_keys(questions) else None
            )
        return _editor(request, application, form, questions)

    action = request.POST.get("action", "save")
    add_row, drop_row = _row_action(action)
    form = _form(application, questions, request.POST, request.FILES, add_row=add_row, drop_row=drop_row)
    form.is_valid()  # lenient fields: only an unreadable file or version is refused here
    received_at = _received_at(request)
    editor = form.editor_token()
    expected = None if action == "overwrite" else form.cleaned_data.get("version")
    try:
        result = services.application_save(
            application=application,
            saved_by=request.user,
            answers=form.answers(),
            partners=form.partners(),
            declarations=form.declaration_values(),
            expected_version=expected,
            received_at=received_at,
            editor=editor,
        )
    except ValidationError as error:
        code = getattr(error, "code", None)
        application.refresh_from_db()
        data = request.POST.copy()
        if code == "conflict":
            # What was typed stays in the form; the person chooses to reload or to keep it.
            form = _form(application, questions, data, add_row=add_row, drop_row=drop_row)
            form.is_valid()
            form.add_error(None, error)
            return _editor(request, application, form, questions, conflict=True, now=received_at)
        form = _form(application, questions, data, add_row=add_row, drop_row=drop_row)
        form.is_valid()
        form.add_error(None, error)
        return _editor(request, application, form, questions, now=received_at)
    errors = dict(result.errors)
    for key, upload in form.uploads().items():
        try:
            services.application_upload(
                application=application,
                question_key=key,
                file=upload,
                uploaded_by=request.user,
                received_at=received_at,
                editor=editor,
            )
        except ValidationError as error:
            for name, problems in getattr(error, "message_dict", {key: error.messages}).items():
                errors.setdefault(key if name in ("question_key", "__all__") else name, []).extend(problems)
    application.refresh_from_db()

    if action == "submit" and not errors:
        try:
            revision = services.application_submit(
                application=application,
                submitted_by=request.user,
                received_at=received_at,
                expected_version=application.version,
                editor=editor,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and getattr(error, "code", None) == "incomplete":
                errors = error.message_dict
                messages.error(request, _("Not submitted yet: complete or correct the answers marked below."))
            else:
                errors = {"__all__": error.messages}
        else:
            messages.success(
                request,
                _("Your application is submitted. Receipt %(code)s: keep it.")
                % {"code": revision.receipt_code},
            )
            return redirect("calls:receipt", reference=application.reference, number=revision.number)
    elif action == "submit":
        messages.error(request, _("Not submitted yet: complete or correct the answers marked below."))

    if not errors and add_row is None and drop_row is None:
        messages.success(
            request,
            _("Saved at %(time)s.") % {"time": date_format(timezone.localtime(), "H:i")},
        )
        return redirect("calls:application", reference=application.reference)
    data = request.POST.copy()
    data["version"] = str(application.version)
    form = _form(application, questions, data, add_row=add_row, drop_row=drop_row)
    form.is_valid()
    form.apply_errors({key: value for key, value in errors.items() if key != "__all__"})
    if errors.get("__all__"):
        form.add_error(None, errors["__all__"])
    return _editor(request, application, form, questions, now=received_at)


def _group_keys(questions) -> set[str]:
    return {q.key for q in questions if q.kind == QuestionKind.GROUP} | {PARTNERS}


@require_POST
def application_autosave(request, reference):
    """Save as the person types (HTMX); answers a status line and, when saved, the new version.

    When the session has ended the status line says so; what was typed stays in the browser's form.
    """
    if not request.user.is_authenticated:
        if request.htmx:
            return render(request, "calls/solver/partials/autosave_status.html", {"signed_out": True})
        return redirect_to_login(request.get_full_path())
    application = application_for(request, reference, "calls.change_application")
    if not request.htmx:
        return redirect("calls:application", reference=reference)
    questions = _questions(application)
    form = _form(application, questions, request.POST)
    form.is_valid()
    context = {"application": application, "saved_at": timezone.localtime()}
    try:
        result = services.application_save(
            application=application,
            saved_by=request.user,
            answers=form.answers(),
            partners=form.partners(),
            declarations=form.declaration_values(),
            expected_version=form.cleaned_data.get("version"),
            received_at=_received_at(request),
            editor=form.editor_token(),
        )
    except ValidationError as error:
        context["refused"] = getattr(error, "code", None) or "invalid"
        context["message"] = " ".join(error.messages)
    else:
        context["saved"] = True
        context["problems"] = len(result.errors)
        context["application"] = result.application
    return render(request, "calls/solver/partials/autosave_status.html", context)


@require_GET
def application_file(request, reference, pk):
    """A file of an application, to the applying organisation's members and the lab's team only."""
    application = application_for(request, reference)
    stored = get_object_or_404(ApplicationFile, application=application, pk=pk)
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Type"] = "application/octet-stream"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required_keeping_input
def application_withdraw(request, reference):
    application = application_for(request, reference, "calls.change_application")
    deadline = _deadline(application)
    received_at = _received_at(request)  # a withdrawal that arrived before the deadline counts
    if not _is_editable(application, deadline, received_at):
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("calls:application", reference=reference)
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = WithdrawForm(data or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application,
                withdrawn_by=request.user,
                reason=form.cleaned_data["reason"],
                received_at=received_at,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The application is withdrawn. The lab will not evaluate it."))
            return redirect("calls:mine")
    return render(
        request,
        "calls/solver/application_withdraw.html",
        {
            "application": application,
            "call": application.call,
            "lab": application.call.lab,
            "form": form,
            "deadline": zoned(deadline, application.call),
        },
    )


@login_required
@require_GET
def receipt(request, reference, number):
    application = application_for(request, reference)
    revision = get_object_or_404(application.revisions.select_related("submitted_by"), number=number)
    questions = _questions(application)
    return render(
        request,
        "calls/solver/receipt.html",
        {
            "application": application,
            "call": application.call,
            "lab": application.call.lab,
            "revision": revision,
            "received": zoned(revision.received_at, application.call),
            "answers": answer_rows(questions, revision.answers, languages=application.call.lab.languages),
            "declarations": [
                (str(text), bool(revision.declarations.get(key)))
                for key, text in services.DECLARATIONS.items()
            ],
            "verify_url": request.build_absolute_uri(reverse("calls:receipt_verify"))
            + f"?receipt_code={revision.receipt_code}&content_hash={revision.content_hash}",
        },
    )


@require_GET
def receipt_verify(request):
    """Anyone holding a receipt checks it here. Says which call and when; never shows the answers."""
    form = ReceiptVerifyForm(request.GET or None)
    revision = None
    checked = False
    if request.GET and form.is_valid():
        checked = True
        revision = receipts.verify(form.cleaned_data["receipt_code"], form.cleaned_data["content_hash"])
    context = {"form": form, "checked": checked, "revision": revision}
    if revision is not None:
        call = revision.application.call
        context.update(
            {
                "call": call,
                "challenge": revision.application.challenge,
                "received": zoned(revision.received_at, call),
            }
        )
    return render(request, "calls/public/receipt_verify.html", context)


# --- The solver's workspace -----------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """The person's applications, by what they need: drafts due first, then submitted, then the rest."""
    applications = list(
        selectors.applications_for_user(request.user).prefetch_related(
            Prefetch("revisions", to_attr="revision_list")
        )
    )
    deadlines = selectors.deadlines_for(applications)
    now = timezone.now()
    rows = []
    for application in applications:
        call = application.call
        deadline = deadlines[application.pk]
        revisions = sorted(getattr(application, "revision_list", []), key=lambda r: -r.number)
        rows.append(
            {
                "application": application,
                "deadline": zoned(deadline, call),
                "deadline_at": deadline,
                "open": deadline is not None and now < deadline and call.status == CallStatus.PUBLISHED,
                "latest": revisions[0] if revisions else None,
                "invited": application.stage == Stage.PROPOSAL and application.invited_at is not None,
            }
        )
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    drafts = sorted(
        (r for r in rows if r["application"].status == ApplicationStatus.DRAFT),
        key=lambda r: r["deadline_at"] or far,
    )
    due = [
        r
        for r in rows
        if r["open"]
        and (
            r["application"].status == ApplicationStatus.DRAFT
            or (
                r["application"].status == ApplicationStatus.SUBMITTED
                and r["application"].has_unsubmitted_changes
            )
        )
    ]
    due.sort(key=lambda r: r["deadline_at"] or far)
    return render(
        request,
        "calls/solver/mine.html",
        {
            "due": due,
            "drafts": drafts,
            "invitations": [r for r in drafts if r["invited"]],
            "submitted": [r for r in rows if r["application"].status == ApplicationStatus.SUBMITTED],
            "withdrawn": [r for r in rows if r["application"].status == ApplicationStatus.WITHDRAWN],
            "now": now,
            "has_organisations": bool(selectors.user_solver_organisations(request.user)),
        },
    )


# --- What the person follows ----------------------------------------------------------------------


@login_required_keeping_input
def following(request):
    """Labs, challenges, sectors and technologies the person follows; follow a sector or technology."""
    form = FollowTopicForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("unfollow"):
            unfollow = request.POST["unfollow"]
            Follow.objects.filter(
                user=request.user, pk=int(unfollow) if unfollow.isdigit() else None
            ).delete()
            messages.success(request, _("You no longer follow it."))
            return redirect("calls:following")
        if form.is_valid():
            term = form.cleaned_data["term"]
            services.follow(user=request.user, kind=term.vocabulary, target=term)
            messages.success(
                request,
                _("You follow %(target)s: you will be told when a call opens.")
                % {"target": pick(term.name).text},
            )
            return redirect("calls:following")
    follows = (
        Follow.objects.filter(user=request.user)
        .select_related("lab", "challenge", "term")
        .order_by("kind", "pk")
    )
    return render(request, "calls/solver/following.html", {"form": form, "follows": follows})
