"""Labs in the admin: superusers see every lab; a lab's managers and staff see only their own labs.

Writes go through labs.services, so the admin is audited like every other entry point.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from govlab.core.admin import admin_site
from govlab.core.i18n import pick

from . import services
from .enums import LAB_TEAM_ROLES, LabRole
from .models import Lab, LabMembership
from .selectors import user_lab_roles


def team_lab_ids(user) -> set[int]:
    """The labs this person runs (manager or staff)."""
    return {lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)}


def managed_lab_ids(user) -> set[int]:
    return {lab_id for lab_id, roles in user_lab_roles(user).items() if LabRole.MANAGER in roles}


class LabScopedAdminMixin:
    """Scope a ModelAdmin to the labs the person runs. ``lab_field`` is the path to the lab ("" = itself)."""

    lab_field = "lab"

    def _lab_id(self, obj) -> int | None:
        return obj.pk if not self.lab_field else getattr(obj, f"{self.lab_field}_id")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        lookup = "pk__in" if not self.lab_field else f"{self.lab_field}__in"
        return queryset.filter(**{lookup: team_lab_ids(request.user)})

    def get_object(self, request, object_id, from_field=None):
        """404 alike for "does not exist" and "not in your labs" (the admin would redirect instead)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_module_permission(self, request):
        return request.user.is_active and (request.user.is_superuser or bool(team_lab_ids(request.user)))

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return request.user.is_active
        labs = team_lab_ids(request.user)
        return bool(labs) if obj is None else self._lab_id(obj) in labs

    def _may_manage(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return request.user.is_active
        labs = managed_lab_ids(request.user)
        return bool(labs) if obj is None else self._lab_id(obj) in labs


class LabAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Lab
        fields = services.LAB_EDITABLE_FIELDS


@admin.register(Lab, site=admin_site)
class LabAdmin(LabScopedAdminMixin, admin.ModelAdmin):
    form = LabAdminForm
    lab_field = ""
    list_display = ("display_name", "slug", "country", "currency", "is_active", "updated_at")
    list_filter = ("is_active", "country")
    search_fields = ("slug", "name")
    ordering = ("slug",)

    @admin.display(description=_("name"), ordering="slug")
    def display_name(self, obj: Lab) -> str:
        return pick(obj.name, preferred=obj.languages).text or obj.slug

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Labs are deactivated, never deleted: the audit log refers to them.
        return False

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("created_at", "updated_at")
        # Managers change everything but the lab's address and whether it is active.
        return ("slug", "is_active", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.LAB_EDITABLE_FIELDS
        }
        if change:
            # ``obj`` already carries the new values; the service compares against the saved lab.
            saved = Lab.objects.get(pk=obj.pk)
            services.lab_update(lab=saved, updated_by=request.user, reason="Changed in the admin.", **fields)
            obj.refresh_from_db()
        else:
            values = {
                name: form.cleaned_data[name]
                for name in form.cleaned_data
                if name in services.LAB_EDITABLE_FIELDS
            }
            created = services.lab_create(created_by=request.user, **values)
            obj.pk = created.pk
            obj.refresh_from_db()


class LabMembershipAdminForm(forms.ModelForm):
    """A role is given by e-mail address, so the admin lists no one's account to lab managers."""

    email = forms.EmailField(label=_("E-mail address"), help_text=_("The address the person signs in with."))

    class Meta:
        model = LabMembership
        fields = ("lab", "role")

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                _("No account with this e-mail; ask them to sign up first."), code="no_account"
            )
        self.instance.user = user
        return email


@admin.register(LabMembership, site=admin_site)
class LabMembershipAdmin(LabScopedAdminMixin, admin.ModelAdmin):
    form = LabMembershipAdminForm
    list_display = ("user", "role", "lab", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user", "lab")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser:
            form.base_fields["lab"].queryset = Lab.objects.filter(pk__in=managed_lab_ids(request.user))
        return form

    def get_fields(self, request, obj=None):
        return ("lab", "email", "role") if obj is None else ("lab", "user", "role", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("lab", "user", "role", "created_at")

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        # A role is given or taken away, not edited.
        return False

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def save_model(self, request, obj, form, change):
        membership = services.lab_membership_add(
            lab=form.cleaned_data["lab"], user=obj.user, role=form.cleaned_data["role"], added_by=request.user
        )
        obj.pk = membership.pk
        obj.created_at = membership.created_at

    def delete_view(self, request, object_id, extra_context=None):
        """Say so, instead of "deleted", when the role is the lab's last manager."""
        if request.method == "POST":
            membership = self.get_object(request, object_id)
            if (
                self.has_delete_permission(request, membership)
                and membership.role == LabRole.MANAGER
                and LabMembership.objects.filter(lab_id=membership.lab_id, role=LabRole.MANAGER).count() <= 1
            ):
                self.message_user(
                    request,
                    _("A lab must keep at least one manager. Add another manager first."),
                    messages.ERROR,
                )
                return redirect("admin:labs_labmembership_changelist")
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        try:
            services.lab_membership_remove(
                membership=obj, removed_by=request.user, reason="Removed in the admin."
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)
