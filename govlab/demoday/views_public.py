"""The public results of a lab's Demo Days (the winners per challenge, once decided) and a solver's own
outcome. Results are public when the lab is; an outcome only to the solver's people and the lab's team."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govlab.calls.models import Application
from govlab.calls.rules import is_application_member
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff

from .selectors import outcome_for, public_results


@require_GET
def results(request, lab_slug):
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not request.user.has_perm("labs.view_lab", lab):
        raise Http404
    return render(
        request,
        "demoday/public/results.html",
        {"lab": lab, "current_lab": lab, "results": public_results(lab)},
    )


@login_required
@require_GET
def outcome(request, reference):
    application = (
        Application.objects.filter(reference=reference)
        .select_related("call", "call__lab", "challenge", "organisation")
        .first()
    )
    if application is None or not (
        is_application_member(request.user, application) or is_lab_staff(request.user, application.call.lab)
    ):
        raise Http404
    found = outcome_for(application)
    if found is None:
        raise Http404
    selection = getattr(application, "selection", None) if found.selected else None
    return render(
        request,
        "demoday/public/outcome.html",
        {"application": application, "outcome": found, "selection": selection, "lab": application.call.lab},
    )
