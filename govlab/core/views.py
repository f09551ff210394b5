import logging

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers and orchestrators)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def home(request):
    """The installation's front page: what govlab is, its labs and a few figures."""
    from django.shortcuts import render

    from govlab.labs.selectors import lab_list_public

    labs = list(lab_list_public())
    return render(
        request,
        "core/home.html",
        {
            "labs": labs,
            "lab_count": len(labs),
            "organisation_count": _public_organisation_count(),
            "country_count": len({str(lab.country) for lab in labs}),
        },
    )


def _public_organisation_count() -> int:
    from govlab.organisations.models import Organisation

    return Organisation.objects.public().count()


@require_GET
def dashboard(request):
    """A signed-in person's start page: their labs and roles, organisations, challenges, notifications."""
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import render

    from govlab.challenges.selectors import challenges_of_user
    from govlab.labs.enums import LAB_TEAM_ROLES, LabRole
    from govlab.labs.selectors import user_lab_memberships
    from govlab.organisations.models import OrganisationMembership

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    labs: dict[int, dict] = {}
    for membership in user_lab_memberships(request.user):
        row = labs.setdefault(membership.lab_id, {"lab": membership.lab, "roles": []})
        row["roles"].append(membership.get_role_display())
        row["is_team"] = row.get("is_team", False) or membership.role in LAB_TEAM_ROLES
        row["is_manager"] = row.get("is_manager", False) or membership.role == LabRole.MANAGER
    return render(
        request,
        "core/dashboard.html",
        {
            "my_labs": list(labs.values()),
            "organisation_memberships": OrganisationMembership.objects.filter(user=request.user)
            .select_related("organisation")
            .order_by("organisation__name"),
            "my_challenges": challenges_of_user(request.user)[:DASHBOARD_CHALLENGES],
            "unread_notifications": request.user.notifications.filter(read_at__isnull=True)[:10],
        },
    )


DASHBOARD_CHALLENGES = 20
