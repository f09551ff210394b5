"""The lab's Demo Day pages: setting it up (event, agenda, criteria, jury), the declarations overview, the
ranking, the selection per challenge and the exports.

Every page is for the lab's team (manager or staff) of the call's lab. The lab and the Demo Day are fetched
and authorised in one step: another lab's Demo Day, one that does not exist, or a lab the person does not
run all answer 404 alike; anonymous people are sent to sign in. Writes go through ``services``; a refusal
is shown on the form that caused it, at the field, with everything typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.calls.models import Call
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.evaluation.selectors import preselected_applications
from govlab.labs.models import Lab
from govlab.labs.rules import team_lab_or_404

from . import aggregation, services
from .enums import STATUS_MOVES, DemoDayStatus
from .exports import ranking_csv, ranking_xlsx, scores_csv, scores_xlsx
from .forms import CriterionForm, DemoDayForm, JurorAddForm, PitchForm, SelectionForm, apply_errors
from .models import DemoDay, DemoDayCriterion, JuryMember, Outcome, Pitch, Selection
from .selectors import declarations_matrix, pitches


def _staff_lab(request, lab_slug: str) -> Lab:
    return team_lab_or_404(request, lab_slug)


def _staff_demo_day(request, lab_slug: str, pk: int) -> DemoDay:
    """The Demo Day, if this person runs its lab; 404 otherwise, as if it did not exist."""
    lab = _staff_lab(request, lab_slug)
    demo_day = DemoDay.objects.filter(pk=pk, call__lab=lab).select_related("call").first()
    if demo_day is None or not request.user.has_perm("demoday.manage", demo_day):
        raise Http404
    demo_day.call.lab = lab
    return demo_day


def _url(demo_day, name: str, *args) -> str:
    return reverse(f"demoday:{name}", args=[demo_day.call.lab.slug, demo_day.pk, *args])


def _context(demo_day, tab: str, **extra) -> dict:
    lab = demo_day.call.lab
    return {
        "lab": lab,
        "current_lab": lab,
        "lab_section": "calls",
        "call": demo_day.call,
        "demo_day": demo_day,
        "tab": tab,
        "zone": lab.time_zone or "UTC",
        **extra,
    }


def _data(request):
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- The lab's Demo Days ---------------------------------------------------------------------------


@login_required
@require_GET
def lab_index(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    days = DemoDay.objects.filter(call__lab=lab).select_related("call").order_by("-starts_at", "pk")
    calls = Call.objects.filter(
        lab=lab, demo_day__isnull=True, applications__decision__selected=True
    ).distinct()
    return render(
        request,
        "demoday/lab/index.html",
        {"lab": lab, "current_lab": lab, "lab_section": "calls", "days": days, "calls": calls},
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def lab_for_call(request, lab_slug, call_pk):
    """The call's Demo Day, or the form that creates it."""
    lab = _staff_lab(request, lab_slug)
    call = Call.objects.filter(lab=lab, pk=call_pk).first()
    if call is None:
        raise Http404
    call.lab = lab
    existing = DemoDay.objects.filter(call=call).first()
    if existing is not None:
        return redirect("demoday:lab_detail", lab.slug, existing.pk)
    form = DemoDayForm(_data(request), lab=lab)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if form.is_valid():
            try:
                demo_day = services.demo_day_create(call=call, by=request.user, **values)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The Demo Day is planned. Now set its agenda, criteria and jury.")
                )
                return redirect("demoday:lab_detail", lab.slug, demo_day.pk)
    return render(
        request,
        "demoday/lab/form.html",
        {
            "lab": lab,
            "current_lab": lab,
            "lab_section": "calls",
            "call": call,
            "form": form,
            "demo_day": None,
        },
    )


@login_required
@require_GET
def detail(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    moves = STATUS_MOVES.get(DemoDayStatus(demo_day.status), ())
    challenges = list(demo_day.call.challenges.order_by("reference"))
    selections = {
        s.challenge_id: s for s in Selection.objects.filter(demo_day=demo_day).select_related("application")
    }
    for challenge in challenges:
        challenge.selection = selections.get(challenge.pk)
    counts = {
        "pitches": demo_day.pitches.count(),
        "criteria": demo_day.criteria.count(),
        "jury": demo_day.jury.filter(removed_at__isnull=True).count(),
    }
    return render(
        request,
        "demoday/lab/detail.html",
        _context(
            demo_day,
            "detail",
            moves=[DemoDayStatus(m) for m in moves],
            challenges=challenges,
            counts=counts,
        ),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def edit(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    lab = demo_day.call.lab
    form = DemoDayForm(_data(request), lab=lab, instance=demo_day)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if form.is_valid():
            try:
                services.demo_day_update(demo_day=demo_day, by=request.user, **values)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The Demo Day is saved."))
                return redirect(_url(demo_day, "lab_detail"))
    return render(request, "demoday/lab/form.html", _context(demo_day, "detail", form=form))


@login_required
@require_POST
def status(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    try:
        services.demo_day_set_status(
            demo_day=demo_day, status=request.POST.get("status", ""), by=request.user
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request, _("The Demo Day is now: %(status)s.") % {"status": demo_day.get_status_display()}
        )
    return redirect(_url(demo_day, "lab_detail"))


# --- Agenda ----------------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def agenda(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    items = list(pitches(demo_day))
    on_agenda = {p.application_id for p in items}
    cohort = [a for a in preselected_applications(demo_day.call) if a.pk not in on_agenda]
    form = PitchForm(_data(request), cohort=cohort, zone=demo_day.call.lab.time_zone or "UTC", prefix="pitch")
    if request.method == "POST" and form.is_valid():
        starts = form.starts()
        if form.is_valid():
            try:
                services.pitch_save(
                    demo_day=demo_day,
                    by=request.user,
                    application=form.chosen(),
                    starts_at=starts,
                    minutes=form.cleaned_data["minutes"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The pitch is on the agenda."))
                return redirect(_url(demo_day, "lab_agenda"))
    return render(
        request,
        "demoday/lab/agenda.html",
        _context(demo_day, "agenda", items=items, form=form, cohort=cohort),
    )


@login_required
@require_POST
def agenda_from_cohort(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    try:
        made = services.agenda_from_cohort(demo_day=demo_day, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("%(count)d pitches added to the agenda.") % {"count": len(made)})
    return redirect(_url(demo_day, "lab_agenda"))


@login_required
@require_POST
def pitch_remove(request, lab_slug, pk, pitch_pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    pitch = Pitch.objects.filter(demo_day=demo_day, pk=pitch_pk).select_related("application").first()
    if pitch is None:
        raise Http404
    pitch.demo_day = demo_day
    try:
        services.pitch_remove(pitch=pitch, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The pitch is off the agenda."))
    return redirect(_url(demo_day, "lab_agenda"))


# --- Criteria --------------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def criteria(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    rows = list(demo_day.criteria.order_by("position", "pk"))
    form = CriterionForm(_data(request), languages=demo_day.call.lab.languages, prefix="criterion")
    if request.method == "POST" and form.is_valid():
        values = form.criterion()
        try:
            services.criterion_add(demo_day=demo_day, by=request.user, **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The criterion is added."))
            return redirect(_url(demo_day, "lab_criteria"))
    total = sum(c.weight for c in rows) or 1
    for row in rows:
        row.share = round(row.weight * 100 / total, 1)
    return render(
        request,
        "demoday/lab/criteria.html",
        _context(demo_day, "criteria", rows=rows, form=form, call_criteria=demo_day.call.criteria.count()),
    )


@login_required
@require_POST
def criteria_copy(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    try:
        copied = services.criteria_copy_from_call(demo_day=demo_day, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("%(count)d criteria copied from the call.") % {"count": len(copied)})
    return redirect(_url(demo_day, "lab_criteria"))


@login_required
@require_POST
def criterion_remove(request, lab_slug, pk, criterion_pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    criterion = DemoDayCriterion.objects.filter(demo_day=demo_day, pk=criterion_pk).first()
    if criterion is None:
        raise Http404
    criterion.demo_day = demo_day
    try:
        services.criterion_remove(criterion=criterion, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect(_url(demo_day, "lab_criteria"))


# --- Jury ------------------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def jury(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    form = JurorAddForm(_data(request), demo_day=demo_day, prefix="juror")
    if request.method == "POST" and form.is_valid():
        try:
            member = services.juror_add(
                demo_day=demo_day,
                user=form.cleaned_data["member"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error, field_map={"user": "member"})
        else:
            messages.success(request, _("%(name)s is on the jury and is told.") % {"name": member})
            return redirect(_url(demo_day, "lab_jury"))
    members = JuryMember.objects.filter(demo_day=demo_day).select_related("user").order_by("removed_at", "pk")
    return render(request, "demoday/lab/jury.html", _context(demo_day, "jury", members=members, form=form))


@login_required
@require_POST
def juror_remove(request, lab_slug, pk, member_pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    member = JuryMember.objects.filter(demo_day=demo_day, pk=member_pk).first()
    if member is None:
        raise Http404
    member.demo_day = demo_day
    try:
        services.juror_remove(member=member, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The juror is removed; their scores no longer count."))
    return redirect(_url(demo_day, "lab_jury"))


@login_required
@require_GET
def declarations(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    members, rows = declarations_matrix(demo_day)
    gaps = sum(row["gaps"] for row in rows)
    return render(
        request,
        "demoday/lab/declarations.html",
        _context(demo_day, "declarations", members=members, rows=rows, gaps=gaps),
    )


# --- Ranking and selection -------------------------------------------------------------------------


@login_required
@require_GET
def ranking(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    criteria_list = list(demo_day.criteria.order_by("position", "pk"))
    rows = aggregation.ranking(demo_day)
    challenges = list(demo_day.call.challenges.order_by("reference"))
    selected = set(Selection.objects.filter(demo_day=demo_day).values_list("application_id", flat=True))
    groups = []
    for challenge in challenges:
        mine = [r for r in rows if r.challenge_id == challenge.pk]
        for row in mine:
            row.selected = row.application_id in selected
            row.criterion_cells = [row.criterion_means.get(c.pk) for c in criteria_list]
        if mine:
            groups.append({"challenge": challenge, "rows": mine})
    return render(
        request,
        "demoday/lab/ranking.html",
        _context(demo_day, "ranking", groups=groups, criteria=criteria_list),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def selection(request, lab_slug, pk, challenge_pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    challenge = demo_day.call.challenges.filter(pk=challenge_pk).first()
    if challenge is None:
        raise Http404
    decided = list(
        Selection.objects.filter(demo_day=demo_day, challenge=challenge).select_related(
            "application", "application__organisation", "decided_by"
        )
    )
    cohort = list(preselected_applications(demo_day.call).filter(challenge=challenge))
    rows = {r.application_id: r for r in aggregation.ranking(demo_day, challenge)}
    outcomes = []
    if decided:
        outcomes = list(
            Outcome.objects.filter(demo_day=demo_day, application__challenge=challenge).select_related(
                "application", "application__organisation"
            )
        )
    form = SelectionForm(_data(request), cohort=cohort, rows=rows, prefix="selection")
    if request.method == "POST" and not decided and form.is_valid():
        try:
            services.select_solution(
                demo_day=demo_day,
                challenge=challenge,
                application=form.chosen(),
                reasons=form.cleaned_data["reasons"],
                feedback=form.feedback(),
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error, field_map=form.field_map())
        else:
            messages.success(
                request, _("The solution is selected; every preselected solver of the challenge is told.")
            )
            return redirect(_url(demo_day, "lab_selection", challenge.pk))
    return render(
        request,
        "demoday/lab/selection.html",
        _context(
            demo_day,
            "ranking",
            challenge=challenge,
            form=form,
            decided=decided,
            outcomes=outcomes,
            can_select=demo_day.status == DemoDayStatus.SCORING_CLOSED and not decided,
        ),
    )


# --- Exports ---------------------------------------------------------------------------------------


def _download(content, demo_day, name: str, extension: str) -> HttpResponse:
    """The evaluation's download, named after the call: ``<lab>-<call>-demo-day-<name>-<date>.<ext>``."""
    call = demo_day.call
    return download(content, f"{call.lab.slug}-{call.slug}-demo-day-{name}", extension)


@login_required
@require_GET
def export_scores_csv(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    return _download(scores_csv(demo_day), demo_day, "scores", "csv")


@login_required
@require_GET
def export_scores_xlsx(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    return _download(scores_xlsx(demo_day), demo_day, "scores", "xlsx")


@login_required
@require_GET
def export_ranking_csv(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    return _download(ranking_csv(demo_day), demo_day, "ranking", "csv")


@login_required
@require_GET
def export_ranking_xlsx(request, lab_slug, pk):
    demo_day = _staff_demo_day(request, lab_slug, pk)
    return _download(ranking_xlsx(demo_day), demo_day, "ranking", "xlsx")
