"""People in the admin: for superusers only (lab staff manage their lab's members elsewhere)."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from govlab.core.admin import admin_site

from . import services
from .forms import AdminEraseForm
from .models import User


class SuperuserOnlyMixin:
    """Hide a model from everyone in the admin but superusers."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # People are erased (personal data removed, audit trail kept), never deleted.
        return False


@admin.register(User, site=admin_site)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_active",
        "is_superuser",
        "date_joined",
        "last_login",
        "erased_at",
    ]
    list_filter = ["is_active", "is_superuser", "preferred_language"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "erased_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "preferred_language", "time_zone")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "erased_at")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ()
    actions = ["export_personal_data", "deactivate_accounts", "erase_personal_data"]

    @admin.action(description=_("Download personal data (JSON)"))
    def export_personal_data(self, request, queryset):
        if not request.user.is_superuser:
            raise PermissionDenied
        data = [services.user_export_data(user=user) for user in queryset.order_by("pk")]
        body = data[0] if len(data) == 1 else data
        response = HttpResponse(
            json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="govlab-personal-data-{timezone.now():%Y-%m-%d}.json"'
        )
        return response

    @admin.action(description=_("Deactivate the selected accounts"))
    def deactivate_accounts(self, request, queryset):
        done = 0
        for user in queryset.filter(is_active=True):
            services.user_deactivate(
                user=user, deactivated_by=request.user, reason="Deactivated in the admin."
            )
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d account deactivated.", "%(count)d accounts deactivated.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Erase personal data (GDPR)"))
    def erase_personal_data(self, request, queryset):
        """Ask for confirmation (and a reason) first, like Django's own delete action."""
        users = list(queryset.filter(erased_at__isnull=True).order_by("email"))
        form = AdminEraseForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"] or "Erased in the admin."
            for user in users:
                try:
                    services.user_erase(user=user, erased_by=request.user, reason=reason)
                except ValidationError as error:
                    self.message_user(request, "; ".join(error.messages), messages.ERROR)
            self.message_user(
                request,
                ngettext("%(count)d person's data erased.", "%(count)d people's data erased.", len(users))
                % {"count": len(users)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "users": users,
            "form": form,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/erase_confirmation.html", context)
