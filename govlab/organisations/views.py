"""Organisation directory, pages, registration, editing and members.

Who may do what is in ``rules.py``; which labs a person may add an organisation to is decided in
``forms.py`` (its module docstring).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govlab.labs.selectors import forget_user_roles

from . import services
from .forms import (
    MembershipAddForm,
    MembershipChangeForm,
    MembershipRemoveForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from .models import Organisation, OrganisationMembership
from .selectors import (
    organisation_directory,
    organisation_for_page,
    organisation_members,
)

PAGE_SIZE = 25


def organisation_list(request):
    """The public directory of active organisations, filtered by GET parameters."""
    filter_form = OrganisationFilterForm(request.GET)
    organisations = organisation_directory(**filter_form.selector_filters())
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter_form": filter_form, "page": page, "query": query.urlencode()}
    if request.htmx and request.htmx.target == "organisation-results":
        response = render(request, "organisations/partials/results.html", context)
    else:
        response = render(request, "organisations/organisation_list.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])  # two answers for one address
    return response


def _organisation_or_404(request, slug: str, perm: str = "organisations.view_organisation"):
    """Fetch and authorise in one step.

    404 for an organisation that does not exist or that this person may not see; 403 for a visible
    organisation and an action this person may not take (views asking more than "view" require sign-in).
    """
    organisation = organisation_for_page(slug=slug)
    if organisation is None or not request.user.has_perm("organisations.view_organisation", organisation):
        raise Http404
    if perm != "organisations.view_organisation" and not request.user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


def organisation_detail(request, slug):
    organisation = _organisation_or_404(request, slug)
    can_see_members = request.user.has_perm("organisations.view_organisation_members", organisation)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "labs": [lab for lab in organisation.labs.all() if lab.is_active],
            "members": list(organisation_members(organisation=organisation)) if can_see_members else None,
            "can_see_members": can_see_members,
        },
    )


def _save_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError back on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    """Register an organisation. Its creator becomes its administrator."""
    if not request.user.has_perm("organisations.add_organisation"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            with transaction.atomic():
                organisation = services.organisation_create(
                    created_by=request.user, labs=form.merged_labs([]), **fields
                )
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, _("The organisation is registered. You are its administrator."))
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = _organisation_or_404(request, slug, "organisations.change_organisation")
    # The form validates a copy: a refused change leaves the page's organisation as it is.
    editable = Organisation.objects.get(pk=organisation.pk)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=editable, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields["labs"] = form.merged_labs(list(organisation.labs.all()))
        try:
            with transaction.atomic():
                services.organisation_update(organisation=organisation, updated_by=request.user, **fields)
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request, "organisations/organisation_form.html", {"form": form, "organisation": organisation}
    )


def _members_page(request, organisation, *, add_form=None, row_forms=None, status=200):
    can_manage = request.user.has_perm("organisations.manage_organisation_members", organisation)
    row_forms = row_forms or {}
    rows = []
    for membership in organisation_members(organisation=organisation):
        change_form, remove_form = row_forms.get(membership.pk, (None, None))
        rows.append(
            {
                "membership": membership,
                "change_form": change_form or MembershipChangeForm(membership=membership),
                "remove_form": remove_form or MembershipRemoveForm(membership=membership),
            }
        )
    if can_manage and add_form is None:
        add_form = MembershipAddForm(organisation=organisation)
    return render(
        request,
        "organisations/organisation_members.html",
        {
            "organisation": organisation,
            "rows": rows,
            "can_manage": can_manage,
            "add_form": add_form if can_manage else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members_view(request, slug):
    """The members list (members and its labs' staff); administrators add people here (POST)."""
    if request.method == "POST":
        organisation = _organisation_or_404(request, slug, "organisations.manage_organisation_members")
        form = MembershipAddForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                services.organisation_membership_add(
                    organisation=organisation,
                    user=form.person,
                    role=form.cleaned_data["role"],
                    job_title=form.cleaned_data["job_title"],
                    added_by=request.user,
                    notify_person=True,
                )
            except ValidationError as error:
                _save_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(email)s is now a member of the organisation.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("organisations:members", slug=organisation.slug)
        return _members_page(request, organisation, add_form=form)
    organisation = _organisation_or_404(request, slug, "organisations.view_organisation_members")
    return _members_page(request, organisation)


def _membership_or_404(request, slug: str, pk: int):
    organisation = _organisation_or_404(request, slug, "organisations.manage_organisation_members")
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("user"), pk=pk, organisation=organisation
    )
    return organisation, membership


@login_required
@require_POST
def organisation_member_change(request, slug, pk):
    organisation, membership = _membership_or_404(request, slug, pk)
    form = MembershipChangeForm(request.POST, membership=membership)
    if form.is_valid():
        try:
            services.organisation_membership_change(
                membership=membership,
                role=form.cleaned_data["role"],
                job_title=form.cleaned_data["job_title"],
                changed_by=request.user,
            )
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, _("The member's role is saved."))
            forget_user_roles(request.user)  # they may have changed their own role
            if not request.user.has_perm("organisations.manage_organisation_members", organisation):
                return redirect("organisations:detail", slug=organisation.slug)
            return redirect("organisations:members", slug=organisation.slug)
    return _members_page(request, organisation, row_forms={membership.pk: (form, None)})


@login_required
@require_POST
def organisation_member_remove(request, slug, pk):
    organisation, membership = _membership_or_404(request, slug, pk)
    form = MembershipRemoveForm(request.POST, membership=membership)
    if form.is_valid():
        try:
            services.organisation_membership_remove(membership=membership, removed_by=request.user)
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, _("The member is removed from the organisation."))
            if membership.user_id == request.user.pk:
                return redirect("organisations:detail", slug=organisation.slug)
            return redirect("organisations:members", slug=organisation.slug)
    return _members_page(request, organisation, row_forms={membership.pk: (None, form)})
