"""Vocabularies in the admin, read-only: they are data files, changed through ``load_taxonomies``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from govlab.core.admin import admin_site
from govlab.core.i18n import pick

from .models import Term


@admin.register(Term, site=admin_site)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "display_name", "vocabulary", "position", "is_active")
    list_filter = ("vocabulary", "is_active")
    search_fields = ("code", "name")
    ordering = ("vocabulary", "position", "code")

    @admin.display(description=_("name"))
    def display_name(self, obj: Term) -> str:
        return pick(obj.name).text

    def has_view_permission(self, request, obj=None):
        # Everyone the admin site lets in (superusers and lab teams) may read the vocabularies.
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
