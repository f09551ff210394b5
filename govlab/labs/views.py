"""The labs' pages: public list and home page, and the team's settings, team and audit pages."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.core.theme import theme_css

from . import services
from .enums import LabRole
from .forms import LabCreateForm, LabMemberAddForm, LabMemberRemoveForm, LabSettingsForm
from .models import Lab
from .selectors import (
    lab_audit_entries,
    lab_for_public_page,
    lab_list_public,
    lab_members,
    lab_organisation_kinds,
    lab_organisations_preview,
)

AUDIT_PAGE_SIZE = 50
ORGANISATIONS_PREVIEW = 12


def _lab_for(request, slug: str, perm: str) -> Lab:
    """Fetch a lab and check ``perm`` on it.

    404 when the lab does not exist or this person may not see it; 403 when they may see it (it is
    public) but not do this. Anonymous visitors are sent to sign in by ``login_required`` first.
    """
    lab = lab_for_public_page(slug=slug, user=request.user)
    if lab is None:
        raise Http404
    if not request.user.has_perm(perm, lab):
        raise PermissionDenied
    request.lab = lab
    return lab


def _map_errors(form, error: ValidationError) -> None:
    """Put a service's validation errors on the form fields they name (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
def lab_list(request):
    return render(request, "labs/lab_list.html", {"labs": lab_list_public()})


@require_GET
def lab_detail(request, slug):
    from govlab.challenges.selectors import campaign_list

    lab = lab_for_public_page(slug=slug, user=request.user)
    if lab is None:
        raise Http404
    request.lab = lab
    kinds = lab_organisation_kinds(lab=lab)
    return render(
        request,
        "labs/lab_detail.html",
        {
            "lab": lab,
            "current_lab": lab,
            "organisation_kinds": kinds,
            "organisation_count": sum(row["count"] for row in kinds),
            "organisations": lab_organisations_preview(lab=lab, limit=ORGANISATIONS_PREVIEW),
            "campaigns": campaign_list(lab=lab),
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
def lab_theme(request, slug):
    """The lab's colours as a stylesheet, so pages need no inline style (strict CSP)."""
    lab = get_object_or_404(Lab, slug=slug)
    return HttpResponse(theme_css(lab.primary_colour), content_type="text/css; charset=utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def lab_settings(request, slug):
    lab = _lab_for(request, slug, "labs.change_lab")
    # The form works on a copy, so the lab shown around it (and the service's "before") stay as saved.
    form = LabSettingsForm(request.POST or None, request.FILES or None, instance=copy.copy(lab))
    if request.method == "POST" and form.is_valid():
        try:
            services.lab_update(lab=lab, updated_by=request.user, **form.changes())
        except ValidationError as error:
            lab.refresh_from_db()
            _map_errors(form, error)
        else:
            messages.success(request, _("The lab's settings are saved."))
            return redirect("labs:settings", slug=lab.slug)
    return render(request, "labs/lab_settings.html", {"lab": lab, "current_lab": lab, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def lab_team(request, slug):
    lab = _lab_for(request, slug, "labs.view_lab_members")
    can_manage = request.user.has_perm("labs.manage_lab_members", lab)
    form = LabMemberAddForm(lab=lab)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = LabMemberAddForm(request.POST, lab=lab)
        if form.is_valid():
            try:
                services.lab_membership_add(
                    lab=lab, user=form.user, role=form.cleaned_data["role"], added_by=request.user
                )
            except ValidationError as error:
                _map_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(person)s now has the role %(role)s in the lab.")
                    % {
                        "person": form.user.get_full_name() or form.user.email,
                        "role": LabRole(form.cleaned_data["role"]).label,
                    },
                )
                return redirect("labs:team", slug=lab.slug)
    return render(
        request,
        "labs/lab_team.html",
        {
            "lab": lab,
            "current_lab": lab,
            "memberships": lab_members(lab=lab),
            "can_manage": can_manage,
            "form": form,
        },
    )


@login_required
@require_POST
def lab_team_remove(request, slug):
    lab = _lab_for(request, slug, "labs.manage_lab_members")
    form = LabMemberRemoveForm(request.POST, lab=lab)
    if not form.is_valid():
        raise Http404
    membership = form.cleaned_data["membership"]
    try:
        services.lab_membership_remove(membership=membership, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s no longer has the role %(role)s in the lab.")
            % {
                "person": membership.user.get_full_name() or membership.user.email,
                "role": membership.get_role_display(),
            },
        )
    return redirect("labs:team", slug=lab.slug)


@login_required
@require_GET
def lab_audit(request, slug):
    lab = _lab_for(request, slug, "labs.view_lab_audit")
    page = Paginator(lab_audit_entries(lab=lab), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "labs/lab_audit.html", {"lab": lab, "current_lab": lab, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def lab_create(request):
    if not request.user.has_perm("labs.add_lab"):
        raise PermissionDenied
    form = LabCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                lab = services.lab_create(created_by=request.user, managers=[request.user], **form.values())
        except ValidationError as error:
            _map_errors(form, error)
        else:
            messages.success(request, _("The lab is created. Complete its settings now."))
            return redirect("labs:settings", slug=lab.slug)
    return render(request, "labs/lab_create.html", {"form": form})
