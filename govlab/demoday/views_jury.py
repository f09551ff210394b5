"""The jury's pages: my Demo Days, one Demo Day's agenda, the conflict-of-interest declaration and the
phone-friendly scoring page (one pitch at a time, a radio group per criterion, works without JavaScript).

A juror reaches only their own Demo Day and only the pitches they did not recuse themselves from: any other
Demo Day, an application that does not pitch, or a recused one's scoring page answers 404. Scores are judged
by when the request arrived (``request.received_at``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govlab.core.decorators import login_required_keeping_input, restore_kept_input

from . import services
from .enums import DemoDayStatus
from .forms import DeclarationForm, ScoreForm, apply_errors
from .models import DemoDay, JuryDeclaration, JuryScore, Pitch
from .selectors import juror_agenda, juror_of, my_jury_days


def _juror_day(request, pk: int):
    demo_day = DemoDay.objects.filter(pk=pk).select_related("call", "call__lab").first()
    member = juror_of(request.user, demo_day) if demo_day is not None else None
    if member is None:
        raise Http404
    member.demo_day = demo_day
    return demo_day, member


def _pitch(demo_day, reference: str) -> Pitch:
    pitch = (
        Pitch.objects.filter(demo_day=demo_day, application__reference=reference)
        .select_related("application", "application__organisation", "application__challenge")
        .first()
    )
    if pitch is None:
        raise Http404
    return pitch


@login_required
@require_GET
def mine(request):
    return render(request, "demoday/jury/mine.html", {"members": my_jury_days(request.user)})


@login_required
@require_GET
def jury_day(request, pk):
    demo_day, member = _juror_day(request, pk)
    items = juror_agenda(member)
    return render(
        request,
        "demoday/jury/day.html",
        {"demo_day": demo_day, "member": member, "items": items, "lab": demo_day.call.lab},
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def declare(request, pk, reference):
    demo_day, member = _juror_day(request, pk)
    pitch = _pitch(demo_day, reference)
    declaration = JuryDeclaration.objects.filter(member=member, application=pitch.application).first()
    data = request.POST if request.method == "POST" else (restore_kept_input(request) or None)
    form = DeclarationForm(data)
    if request.method == "POST" and declaration is None and form.is_valid():
        conflict = form.cleaned_data["declaration"] == DeclarationForm.CONFLICT
        try:
            services.jury_declare(
                member=member,
                application=pitch.application,
                has_conflict=conflict,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if conflict:
                messages.success(request, _("Your conflict is recorded: you will not score this pitch."))
                return redirect("demoday:jury_day", demo_day.pk)
            return redirect("demoday:score", demo_day.pk, reference)
    return render(
        request,
        "demoday/jury/declare.html",
        {"demo_day": demo_day, "member": member, "pitch": pitch, "declaration": declaration, "form": form},
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def score(request, pk, reference):
    demo_day, member = _juror_day(request, pk)
    pitch = _pitch(demo_day, reference)
    declaration = JuryDeclaration.objects.filter(member=member, application=pitch.application).first()
    if declaration is None:
        return redirect("demoday:declare", demo_day.pk, reference)
    if declaration.has_conflict:
        raise Http404  # recused: this juror has no scoring page for it
    criteria = list(demo_day.criteria.order_by("position", "pk"))
    existing = {
        s.criterion_id: s for s in JuryScore.objects.filter(member=member, application=pitch.application)
    }
    data = request.POST if request.method == "POST" else (restore_kept_input(request) or None)
    form = ScoreForm(data, criteria=criteria, scores=existing)
    items = juror_agenda(member)
    open_ids = [p.application.reference for p in items if not p.recused]
    position = open_ids.index(reference) if reference in open_ids else 0
    following = open_ids[position + 1] if position + 1 < len(open_ids) else None
    if request.method == "POST" and form.is_valid():
        try:
            services.score_save(
                member=member,
                application=pitch.application,
                by=request.user,
                scores=form.scores(),
                comments=form.comments(),
                received_at=getattr(request, "received_at", None) or timezone.now(),
            )
        except ValidationError as error:
            apply_errors(form, error, field_map=form.field_map())
        else:
            if request.headers.get("HX-Request"):  # saved as the juror taps (HTMX): say so in place
                return render(request, "demoday/jury/_saved.html", {"saved": True})
            messages.success(
                request, _("Your scores for %(reference)s are saved.") % {"reference": reference}
            )
            if "next" in request.POST and following:
                return redirect("demoday:score", demo_day.pk, following)
            return redirect(reverse("demoday:score", args=[demo_day.pk, reference]))
    if request.method == "POST" and request.headers.get("HX-Request"):
        return render(request, "demoday/jury/_saved.html", {"saved": False, "form": form})
    return render(
        request,
        "demoday/jury/score.html",
        {
            "demo_day": demo_day,
            "member": member,
            "pitch": pitch,
            "form": form,
            "following": following,
            "position": position + 1,
            "total": len(open_ids),
            "is_open": demo_day.status == DemoDayStatus.SCORING_OPEN,
            "can_score": member.scores_pitches,
        },
    )
