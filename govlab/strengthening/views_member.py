"""One solver's strengthening pages, shared by everyone who may see them: the lab's team, the assigned
mentors, the solver's own people and the entity's. Each page asks the named perms of ``rules``; a member the
person may not see answers 404 as if it did not exist, an action they may see but not take answers 403.
Also the solver's "my programme" and the mentor's "my solvers" pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.organisations.enums import TRL_LEVELS

from . import selectors, services
from .enums import ActionStatus, AssessmentKind, MilestoneStatus
from .forms import (
    ACTION_FIELD_MAP,
    TRL_FIELD_MAP,
    ActionStatusForm,
    EvidenceForm,
    HoursForm,
    LeaveForm,
    MentoringSessionForm,
    MilestoneForm,
    MilestoneReviewForm,
    RegistrationForm,
    TrlForm,
    WorkSessionForm,
    apply_errors,
)
from .models import AgreedAction, Bootcamp, BootcampRegistration, Milestone


def _member(request, member_pk: int, perm: str | None = None):
    member = selectors.member_for(request.user, member_pk)
    if member is None:
        raise Http404
    if perm and not request.user.has_perm(perm, member):
        raise PermissionDenied
    return member


def _data(request):
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _member_url(member, anchor: str = "") -> str:
    return reverse("strengthening:member", args=[member.pk]) + (f"#{anchor}" if anchor else "")


def _context(member, **extra) -> dict:
    lab = member.programme.call.lab
    return {"member": member, "lab": lab, "current_lab": lab, "call": member.programme.call, **extra}


def _can(user, member) -> dict[str, bool]:
    names = (
        "manage_member",
        "self_assess",
        "expert_assess",
        "mentor",
        "view_mentoring",
        "register",
        "submit_milestone",
        "review_milestone",
        "record_work_session",
        "record_hours",
        "update_action",
    )
    return {name: user.has_perm(f"strengthening.{name}", member) for name in names}


@login_required
@require_GET
def member(request, member_pk):
    """A solver's progress: milestones, actions, bootcamps, mentoring, work sessions, TRL and hours."""
    member = _member(request, member_pk)
    can = _can(request.user, member)
    (progress,) = selectors.progress_for([member])
    milestones = list(member.milestones.select_related("reviewed_by"))
    sessions = (
        list(member.mentoring_sessions.select_related("mentor__user").prefetch_related("actions"))
        if can["view_mentoring"]
        else []
    )
    work_sessions = list(member.work_sessions.prefetch_related("attendees"))
    registrations = list(
        BootcampRegistration.objects.filter(member=member)
        .select_related("bootcamp", "person")
        .order_by("bootcamp__starts_at", "pk")
    )
    assessments = list(member.trl_assessments.select_related("assessed_by").order_by("-assessed_on", "-pk"))
    bootcamps = list(Bootcamp.objects.filter(programme=member.programme))
    return render(
        request,
        "strengthening/member.html",
        _context(
            member,
            can=can,
            progress=progress,
            milestones=milestones,
            sessions=sessions,
            work_sessions=work_sessions,
            registrations=registrations,
            bootcamps=bootcamps,
            assessments=assessments,
            today=services.lab_today(member.programme.call.lab),
            trl_labels=dict(TRL_LEVELS),
            action_statuses=ActionStatus.choices,
        ),
    )


def _session_mentor(member, user):
    """The person's own assignment to this solver, else (the lab's team recording) the first mentor's."""
    assignments = list(member.mentor_assignments.filter(ended_at__isnull=True).select_related("mentor"))
    own = next((a.mentor for a in assignments if a.mentor.user_id == user.pk), None)
    return own or (assignments[0].mentor if assignments else None)


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def mentoring_add(request, member_pk):
    member = _member(request, member_pk, "strengthening.mentor")
    form = MentoringSessionForm(_data(request), prefix="session")
    if request.method == "POST" and form.is_valid():
        try:
            services.mentoring_session_record(
                member=member,
                by=request.user,
                mentor=_session_mentor(member, request.user),
                held_on=form.cleaned_data["held_on"],
                hours=form.cleaned_data["hours"],
                topics=form.cleaned_data["topics"],
                notes=form.cleaned_data["notes"],
                actions=form.actions(),
            )
        except ValidationError as error:
            apply_errors(form, error, field_map=ACTION_FIELD_MAP)
        else:
            messages.success(request, _("The mentoring session is recorded."))
            return redirect(_member_url(member, "mentoring-title"))
    return render(
        request, "strengthening/form.html", _context(member, form=form, title=_("Record a mentoring session"))
    )


@login_required
@require_POST
def action_status(request, member_pk, action_pk):
    member = _member(request, member_pk, "strengthening.update_action")
    action = AgreedAction.objects.filter(member=member, pk=action_pk).first()
    if action is None:
        raise Http404
    action.member = member
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(action=action, by=request.user, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The action is updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(_member_url(member, "mentoring-title"))


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def work_session_add(request, member_pk):
    member = _member(request, member_pk, "strengthening.record_work_session")
    from govlab.organisations.selectors import organisation_people

    challenge = member.application.challenge
    people = organisation_people([challenge.owner_id, member.application.organisation_id])
    form = WorkSessionForm(
        _data(request), people=people, zone=member.programme.call.lab.time_zone, prefix="work"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.work_session_record(
                programme=member.programme,
                member=member,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The work session is recorded."))
            return redirect(_member_url(member, "work-title"))
    return render(
        request, "strengthening/form.html", _context(member, form=form, title=_("Record a work session"))
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def milestone_add(request, member_pk):
    member = _member(request, member_pk, "strengthening.mentor")
    form = MilestoneForm(_data(request), prefix="milestone")
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The milestone is planned."))
            return redirect(_member_url(member, "milestones-title"))
    return render(
        request, "strengthening/form.html", _context(member, form=form, title=_("Plan an MVP milestone"))
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def milestone(request, member_pk, milestone_pk):
    """A milestone: the solver hands in evidence; the lab's team or the entity accepts or rejects it."""
    member = _member(request, member_pk)
    milestone = Milestone.objects.filter(member=member, pk=milestone_pk).select_related("reviewed_by").first()
    if milestone is None:
        raise Http404
    milestone.member = member
    can = _can(request.user, member)
    data = _data(request)
    which = (data or {}).get("form")
    evidence_form = review_form = None
    if can["submit_milestone"] and milestone.status in (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED):
        evidence_form = EvidenceForm(
            data if which == "evidence" else None,
            request.FILES or None if which == "evidence" else None,
            initial={"evidence_text": milestone.evidence_text, "evidence_url": milestone.evidence_url},
            prefix="evidence",
        )
    if can["review_milestone"] and milestone.status == MilestoneStatus.SUBMITTED:
        review_form = MilestoneReviewForm(data if which == "review" else None, prefix="review")
    if request.method == "POST":
        if which == "evidence" and evidence_form is not None and evidence_form.is_valid():
            try:
                services.milestone_submit(milestone=milestone, by=request.user, **evidence_form.cleaned_data)
            except ValidationError as error:
                apply_errors(evidence_form, error)
            else:
                messages.success(request, _("The evidence is submitted; the lab is told."))
                return redirect(_member_url(member, "milestones-title"))
        elif which == "review" and review_form is not None and review_form.is_valid():
            try:
                services.milestone_review(
                    milestone=milestone,
                    by=request.user,
                    accept=review_form.cleaned_data["decision"] == "accept",
                    note=review_form.cleaned_data["review_note"],
                )
            except ValidationError as error:
                apply_errors(review_form, error)
            else:
                messages.success(request, _("The decision is recorded; the solver is told."))
                return redirect(_member_url(member, "milestones-title"))
        elif evidence_form is None and review_form is None:
            raise PermissionDenied
    return render(
        request,
        "strengthening/milestone.html",
        _context(member, milestone=milestone, evidence_form=evidence_form, review_form=review_form),
    )


@login_required
@require_GET
def milestone_file(request, member_pk, milestone_pk):
    member = _member(request, member_pk)
    milestone = Milestone.objects.filter(member=member, pk=milestone_pk).first()
    if milestone is None or not milestone.evidence_file:
        raise Http404
    return FileResponse(milestone.evidence_file.open("rb"), as_attachment=True)


@login_required
@require_GET
def bootcamp_materials(request, member_pk, bootcamp_pk):
    """A bootcamp's materials file, for whoever sees a member of its cohort."""
    member = _member(request, member_pk)
    bootcamp = Bootcamp.objects.filter(programme=member.programme, pk=bootcamp_pk).first()
    if bootcamp is None or not bootcamp.materials_file:
        raise Http404
    return FileResponse(bootcamp.materials_file.open("rb"), as_attachment=True)


@login_required
@require_POST
def leave(request, member_pk):
    """The lab's team records that a solver leaves the programme."""
    member = _member(request, member_pk, "strengthening.manage_member")
    form = LeaveForm(request.POST, prefix="leave")
    if form.is_valid():
        try:
            services.member_leave(member=member, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The solver has left the programme."))
    else:
        messages.error(request, _("Say why the solver leaves."))
    return redirect(_member_url(member))


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def trl(request, member_pk):
    member = _member(request, member_pk)
    kinds = []
    if request.user.has_perm("strengthening.self_assess", member):
        kinds.append(AssessmentKind.SELF)
    if request.user.has_perm("strengthening.expert_assess", member):
        kinds.append(AssessmentKind.EXPERT)
    if not kinds:
        raise PermissionDenied
    form = TrlForm(_data(request), kinds=kinds, prefix="trl")
    if request.method == "POST" and form.is_valid():
        try:
            services.trl_assess(
                member=member,
                by=request.user,
                kind=form.cleaned_data["kind"],
                level=form.cleaned_data["level"],
                evidence=form.evidence(),
                note=form.cleaned_data["note"],
                assessed_on=form.cleaned_data["assessed_on"],
            )
        except ValidationError as error:
            apply_errors(form, error, field_map=TRL_FIELD_MAP)
        else:
            messages.success(request, _("The TRL assessment is recorded."))
            return redirect(_member_url(member, "trl-title"))
    return render(request, "strengthening/form.html", _context(member, form=form, title=_("Assess the TRL")))


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def register(request, member_pk):
    """The solver's people register for the programme's coming bootcamps."""
    member = _member(request, member_pk, "strengthening.register")
    from django.utils import timezone

    bootcamps = Bootcamp.objects.filter(programme=member.programme, ends_at__gt=timezone.now())
    form = RegistrationForm(
        _data(request), bootcamps=bootcamps, people=services.member_people(member), prefix="reg"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bootcamp_register(
                bootcamp=form.cleaned_data["bootcamp"],
                member=member,
                person=form.cleaned_data["person"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The registration is recorded."))
            return redirect(_member_url(member, "bootcamps-title"))
    return render(
        request, "strengthening/form.html", _context(member, form=form, title=_("Register for a bootcamp"))
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def hours_add(request, member_pk):
    member = _member(request, member_pk, "strengthening.record_hours")
    form = HoursForm(_data(request), prefix="hours")
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_record(
                programme=member.programme, member=member, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The hours are recorded."))
            return redirect(_member_url(member, "hours-title"))
    return render(request, "strengthening/form.html", _context(member, form=form, title=_("Record hours")))


# --- The solver's and the mentor's own pages --------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """My programme: the strengthening of my organisations' preselected applications."""
    rows = selectors.progress_for(selectors.my_members(request.user).order_by("-programme__starts_on", "pk"))
    return render(request, "strengthening/mine.html", {"rows": rows})


@login_required
@require_GET
def mentoring(request):
    """My solvers: the cohort members this mentor is assigned to, and only those."""
    rows = selectors.progress_for(
        selectors.mentored_members(request.user).order_by("-programme__starts_on", "pk")
    )
    return render(request, "strengthening/mentoring.html", {"rows": rows})
