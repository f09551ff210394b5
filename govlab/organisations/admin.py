"""Organisations in the admin: superusers see all; lab staff see and edit those of their labs only.

Changes go through ``services.organisation_update`` (validated and audited like the site's form).
Organisations are registered on the site (``/organisations/new/``), not here, and are deactivated
rather than deleted; only superusers change ``is_active``. Lab staff may add an organisation to, or take
it out of, the labs they run, never the others.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from govlab.core.admin import admin_site
from govlab.labs.selectors import is_lab_team_anywhere, labs_where_team

from . import services
from .forms import https_urls
from .models import Organisation, OrganisationMembership
from .selectors import organisations_for_lab_team


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    fields = ["user", "role", "job_title", "created_at"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("members")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [*services.ORGANISATION_FIELDS, *services.ORGANISATION_M2M]
        formfield_callback = https_urls


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "helix_sector", "country", "is_active", "created_at"]
    list_filter = ["kind", "helix_sector", "is_active"]
    search_fields = ["name", "slug", "region"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    filter_horizontal = ["sectors", "technologies", "sdgs", "labs"]
    inlines = [MembershipInline]
    fields = [
        "name",
        "slug",
        "kind",
        "helix_sector",
        "description",
        "country",
        "region",
        "website",
        "size",
        "founded_year",
        "logo",
        "sectors",
        "technologies",
        "sdgs",
        "labs",
        "is_active",
        "created_at",
        "updated_at",
    ]

    # Who sees what.
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=organisations_for_lab_team(request.user).values("pk"))

    def _is_team(self, request) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_lab_team_anywhere(user)))

    def has_module_permission(self, request):
        return self._is_team(request)

    def has_view_permission(self, request, obj=None):
        if not self._is_team(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return request.user.has_perm(
                "organisations.change_organisation", obj
            ) and self.has_view_permission(request, obj)
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_active")
        return readonly

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "labs" and not request.user.is_superuser:
            kwargs["queryset"] = labs_where_team(request.user)
        elif db_field.name in ("sectors", "technologies", "sdgs"):
            kwargs["queryset"] = db_field.related_model.objects.filter(
                vocabulary={"sectors": "sector", "technologies": "technology", "sdgs": "sdg"}[db_field.name]
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Writes through the service.
    def save_model(self, request, obj, form, change):
        current = Organisation.objects.prefetch_related("labs").get(pk=obj.pk)
        editable = [name for name in form.changed_data if name in services.ORGANISATION_FIELDS]
        related = [name for name in form.changed_data if name in services.ORGANISATION_M2M]
        fields = {name: form.cleaned_data[name] for name in editable}
        if "logo" in fields and fields["logo"] is False:
            fields["logo"] = ""
        for name in related:
            fields[name] = list(form.cleaned_data[name])
        if "labs" in fields and not request.user.is_superuser:
            choosable = set(labs_where_team(request.user).values_list("pk", flat=True))
            kept = [lab for lab in current.labs.all() if lab.pk not in choosable]
            fields["labs"] = [*kept, *(lab for lab in fields["labs"] if lab.pk in choosable)]
        with transaction.atomic():
            services.organisation_update(organisation=current, updated_by=request.user, **fields)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """The many-to-many fields were saved by the service in ``save_model``; inlines are read-only."""
