"""The lab's strengthening pages for one call: the programme and its cohort's progress, bootcamps and
attendance, mentors, work sessions, hours, and the exports.

Every page is for the lab's team (manager or staff) of the call's lab: another lab's call, a call that does
not exist, or a lab the person does not run answer 404 alike; anonymous people are sent to sign in. Writes
go through ``services``; a refusal is shown at the field, with everything typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.calls.models import Call
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.core.timezones import utc_to_local
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff

from . import exports, selectors, services
from .enums import ActivityKind
from .forms import (
    AttendanceForm,
    BootcampForm,
    HoursForm,
    MentorAddForm,
    MentorAssignForm,
    ProgrammeStartForm,
    apply_errors,
)
from .models import (
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    Mentor,
    MentorAssignment,
    Programme,
    WorkSession,
)


def _staff_call(request, lab_slug: str, pk: int) -> Call:
    """The call, if this person runs its lab; 404 otherwise, as if it did not exist."""
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not (is_lab_staff(request.user, lab) or request.user.is_superuser):
        raise Http404
    call = Call.objects.filter(lab=lab, pk=pk).first()
    if call is None:
        raise Http404
    call.lab = lab
    return call


def _programme(call) -> Programme | None:
    programme = Programme.objects.filter(call=call).first()
    if programme is not None:
        programme.call = call
    return programme


def _running(request, lab_slug, pk) -> tuple[Call, Programme]:
    call = _staff_call(request, lab_slug, pk)
    programme = _programme(call)
    if programme is None:
        raise Http404
    return call, programme


def _context(call, programme, tab: str, **extra) -> dict:
    return {
        "lab": call.lab,
        "current_lab": call.lab,
        "lab_section": "calls",
        "call": call,
        "programme": programme,
        "tab": tab,
        **extra,
    }


def _url(call, name: str, *args) -> str:
    return reverse(f"strengthening:{name}", args=[call.lab.slug, call.pk, *args])


def _data(request):
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- The programme ---------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def programme(request, lab_slug, pk):
    """The programme's page: the cohort's progress; before it starts, the form that starts it."""
    call = _staff_call(request, lab_slug, pk)
    programme = _programme(call)
    form = None
    if programme is None or programme.status == "planned":
        from govlab.evaluation.selectors import preselected_applications

        form = ProgrammeStartForm(
            _data(request),
            languages=call.lab.languages,
            initial={"starts_on": call.strengthening_starts_on, "ends_on": call.strengthening_ends_on},
            prefix="start",
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.programme_start(
                    call=call,
                    by=request.user,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The programme has started; the solvers are told."))
                return redirect(_url(call, "programme"))
        return render(
            request,
            "strengthening/lab/start.html",
            _context(call, programme, "programme", form=form, cohort=list(preselected_applications(call))),
        )
    if request.method == "POST":
        raise Http404
    rows = selectors.cohort_progress(programme)
    hours = selectors.hours_totals(programme)
    return render(
        request,
        "strengthening/lab/programme.html",
        _context(call, programme, "programme", rows=rows, hours=hours, kinds=ActivityKind.choices),
    )


@login_required
@require_POST
def programme_close(request, lab_slug, pk):
    call, programme = _running(request, lab_slug, pk)
    try:
        services.programme_close(programme=programme, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The programme is closed."))
    return redirect(_url(call, "programme"))


# --- Bootcamps -------------------------------------------------------------------------------------


def _bootcamp_values(form) -> dict:
    data = dict(form.cleaned_data)
    return {
        "topic": data["topic"],
        "description": data.get("description", ""),
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "place": data.get("place", ""),
        "link": data.get("link", ""),
        "facilitator": data.get("facilitator", ""),
        "materials_url": data.get("materials_url", ""),
        "materials_file": data.get("materials_file"),
        "capacity": data.get("capacity"),
    }


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def bootcamps(request, lab_slug, pk):
    call, programme = _running(request, lab_slug, pk)
    form = BootcampForm(_data(request), request.FILES or None, zone=call.lab.time_zone, prefix="bootcamp")
    if request.method == "POST" and form.is_valid():
        try:
            services.bootcamp_save(programme=programme, by=request.user, **_bootcamp_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The bootcamp is planned; the cohort is told."))
            return redirect(_url(call, "bootcamps"))
    rows = Bootcamp.objects.filter(programme=programme).annotate(
        registered=Count("registrations"),
        attended=Count("registrations", filter=Q(registrations__attended=True)),
    )
    return render(
        request,
        "strengthening/lab/bootcamps.html",
        _context(call, programme, "bootcamps", form=form, rows=rows),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def bootcamp_edit(request, lab_slug, pk, bootcamp_pk):
    call, programme = _running(request, lab_slug, pk)
    bootcamp = Bootcamp.objects.filter(programme=programme, pk=bootcamp_pk).first()
    if bootcamp is None:
        raise Http404
    zone = call.lab.time_zone
    initial = {
        "topic": bootcamp.topic,
        "description": bootcamp.description,
        "starts_at": utc_to_local(bootcamp.starts_at, zone),
        "ends_at": utc_to_local(bootcamp.ends_at, zone),
        "place": bootcamp.place,
        "link": bootcamp.link,
        "facilitator": bootcamp.facilitator,
        "materials_url": bootcamp.materials_url,
        "capacity": bootcamp.capacity,
    }
    form = BootcampForm(_data(request), request.FILES or None, zone=zone, initial=initial, prefix="bootcamp")
    if request.method == "POST" and form.is_valid():
        try:
            services.bootcamp_save(
                programme=programme, by=request.user, bootcamp=bootcamp, **_bootcamp_values(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The bootcamp is saved."))
            return redirect(_url(call, "bootcamps"))
    return render(
        request,
        "strengthening/lab/bootcamp_form.html",
        _context(call, programme, "bootcamps", form=form, bootcamp=bootcamp),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def bootcamp_attendance(request, lab_slug, pk, bootcamp_pk):
    call, programme = _running(request, lab_slug, pk)
    bootcamp = Bootcamp.objects.filter(programme=programme, pk=bootcamp_pk).first()
    if bootcamp is None:
        raise Http404
    bootcamp.programme = programme
    registrations = BootcampRegistration.objects.filter(bootcamp=bootcamp).select_related(
        "person", "member__application__organisation"
    )
    form = AttendanceForm(_data(request), registrations=registrations, prefix="attendance")
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(bootcamp=bootcamp, by=request.user, rows=form.rows())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect(_url(call, "bootcamps"))
    return render(
        request,
        "strengthening/lab/attendance.html",
        _context(call, programme, "bootcamps", form=form, bootcamp=bootcamp),
    )


# --- Mentors ---------------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def mentors(request, lab_slug, pk):
    call, programme = _running(request, lab_slug, pk)
    lab = call.lab
    mentor_rows = Mentor.objects.filter(lab=lab).select_related("user").prefetch_related("terms")
    members = CohortMember.objects.filter(programme=programme, left_at__isnull=True).select_related(
        "application__organisation"
    )
    data = _data(request)
    which = (data or {}).get("form")
    add_form = MentorAddForm(data if which == "add" else None, prefix="mentor")
    assign_form = MentorAssignForm(
        data if which == "assign" else None,
        mentors=mentor_rows.filter(is_active=True),
        members=members,
        prefix="assign",
    )
    if request.method == "POST" and which == "add" and add_form.is_valid():
        try:
            services.mentor_add(
                lab=lab,
                user=add_form.user,
                by=request.user,
                expertise=add_form.cleaned_data["expertise"],
                terms=add_form.cleaned_data["terms"],
            )
        except ValidationError as error:
            apply_errors(add_form, error, field_map={"user": "email"})
        else:
            messages.success(request, _("The mentor is added."))
            return redirect(_url(call, "mentors"))
    if request.method == "POST" and which == "assign" and assign_form.is_valid():
        try:
            services.mentor_assign(
                mentor=assign_form.cleaned_data["mentor"],
                member=assign_form.cleaned_data["member"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(assign_form, error)
        else:
            messages.success(request, _("The mentor is assigned and told."))
            return redirect(_url(call, "mentors"))
    assignments = MentorAssignment.objects.filter(
        member__programme=programme, ended_at__isnull=True
    ).select_related("mentor__user", "member__application__organisation")
    return render(
        request,
        "strengthening/lab/mentors.html",
        _context(
            call,
            programme,
            "mentors",
            mentors=mentor_rows,
            assignments=assignments,
            add_form=add_form,
            assign_form=assign_form,
        ),
    )


@login_required
@require_POST
def mentor_unassign(request, lab_slug, pk, assignment_pk):
    call, programme = _running(request, lab_slug, pk)
    assignment = (
        MentorAssignment.objects.filter(member__programme=programme, pk=assignment_pk)
        .select_related("mentor__user", "member__programme__call__lab")
        .first()
    )
    if assignment is None:
        raise Http404
    try:
        services.mentor_unassign(assignment=assignment, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The assignment has ended."))
    return redirect(_url(call, "mentors"))


# --- Work sessions and hours -----------------------------------------------------------------------


@login_required
@require_GET
def work_sessions(request, lab_slug, pk):
    call, programme = _running(request, lab_slug, pk)
    rows = (
        WorkSession.objects.filter(programme=programme)
        .select_related("challenge", "member__application__organisation")
        .prefetch_related("attendees")
    )
    return render(
        request, "strengthening/lab/work_sessions.html", _context(call, programme, "work_sessions", rows=rows)
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def hours(request, lab_slug, pk):
    call, programme = _running(request, lab_slug, pk)
    members = CohortMember.objects.filter(programme=programme).select_related("application__organisation")
    form = HoursForm(_data(request), members=members, prefix="hours")
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_record(
                programme=programme,
                by=request.user,
                member=form.cleaned_data.get("member"),
                kind=form.cleaned_data["kind"],
                hours=form.cleaned_data["hours"],
                worked_on=form.cleaned_data["worked_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The hours are recorded."))
            return redirect(_url(call, "hours"))
    return render(
        request,
        "strengthening/lab/hours.html",
        _context(
            call,
            programme,
            "hours",
            form=form,
            hours=selectors.hours_totals(programme),
            kinds=ActivityKind.choices,
        ),
    )


# --- Exports ---------------------------------------------------------------------------------------


def _download(content, call, name: str, extension: str) -> HttpResponse:
    return download(content, f"{call.lab.slug}-{call.slug}-{name}", extension)


@login_required
@require_GET
def export_attendance(request, lab_slug, pk, extension):
    call, programme = _running(request, lab_slug, pk)
    if extension not in ("csv", "xlsx"):
        raise Http404
    content = exports.attendance_csv(programme) if extension == "csv" else exports.attendance_xlsx(programme)
    return _download(content, call, "attendance", extension)


@login_required
@require_GET
def export_hours(request, lab_slug, pk, extension):
    call, programme = _running(request, lab_slug, pk)
    if extension not in ("csv", "xlsx"):
        raise Http404
    content = exports.hours_csv(programme) if extension == "csv" else exports.hours_xlsx(programme)
    return _download(content, call, "hours", extension)
