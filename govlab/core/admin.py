"""The admin site: for superusers, and for lab staff limited to their own lab's data.

Who may enter: active superusers and lab managers/staff, once they have passed the second factor.
What each ModelAdmin shows is its own business: scope ``get_queryset`` and the ``has_*_permission``
methods to the labs the person runs (see ``LabScopedAdminMixin`` in govlab/labs/admin.py).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


def mfa_passed(request) -> bool:
    from govlab.accounts.middleware import MFA_SESSION_KEY

    session = getattr(request, "session", None)
    return bool(session is not None and session.get(MFA_SESSION_KEY))


class GovlabAdminSite(admin.AdminSite):
    site_header = _("govlab administration")
    site_title = _("govlab administration")
    index_title = _("Administration")

    def has_permission(self, request):
        from govlab.labs.selectors import is_lab_team_anywhere

        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if not (user.is_superuser or is_lab_team_anywhere(user)):
            return False
        # The middleware already sends the team to the second factor; the admin asks again to be sure.
        return mfa_passed(request)


admin_site = GovlabAdminSite(name="admin")
