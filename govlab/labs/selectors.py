from __future__ import annotations

from django.db.models import Count, Q

from .enums import LAB_TEAM_ROLES
from .models import Lab, LabMembership


def user_lab_roles(user) -> dict[int, set[str]]:
    """{lab id: {roles}} for this person, loaded once per user object (one query) and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_govlab_lab_roles", None)
    if cached is None:
        cached = {}
        for lab_id, role in LabMembership.objects.filter(user=user).values_list("lab_id", "role"):
            cached.setdefault(lab_id, set()).add(role)
        user._govlab_lab_roles = cached
    return cached


def forget_user_roles(user) -> None:
    """Drop the cached roles after memberships change."""
    for attribute in ("_govlab_lab_roles", "_govlab_organisation_roles"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def labs_where_team(user):
    """The labs this person runs (manager or staff)."""
    lab_ids = [lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]
    return Lab.objects.filter(pk__in=lab_ids)


def is_lab_team_anywhere(user) -> bool:
    return any(roles & set(LAB_TEAM_ROLES) for roles in user_lab_roles(user).values())


def lab_list_public():
    """Active labs with their organisation counts, for the public list."""
    return Lab.objects.public().annotate(
        organisation_count=Count("organisations", filter=Q(organisations__is_active=True), distinct=True)
    )


def lab_members(*, lab: Lab):
    return LabMembership.objects.filter(lab=lab).select_related("user").order_by("role", "user__full_name")


def lab_for_public_page(*, slug: str, user):
    """A lab by its slug, if this person may see it (active, or they have a role in it); else None."""
    lab = Lab.objects.filter(slug=slug).first()
    if lab is None or not user.has_perm("labs.view_lab", lab):
        return None
    return lab


def lab_organisation_kinds(*, lab: Lab) -> list[dict]:
    """[{"kind", "label", "count"}] of the lab's active organisations, largest group first (one query)."""
    from govlab.organisations.enums import OrganisationKind

    rows = (
        lab.organisations.filter(is_active=True)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "kind")
    )
    labels = dict(OrganisationKind.choices)
    return [{"kind": kind, "label": labels.get(kind, kind), "count": count} for kind, count in rows]


def lab_organisations_preview(*, lab: Lab, limit: int = 12):
    """A few of the lab's active organisations, alphabetically, for its public page."""
    return lab.organisations.filter(is_active=True).order_by("name", "pk")[:limit]


def lab_audit_entries(*, lab: Lab):
    """The lab's audit entries, newest first, with who and what fetched in the same query."""
    from govlab.audit.selectors import audit_entries_for

    return audit_entries_for(lab=lab).order_by("-id")


def user_lab_memberships(user):
    """This person's roles in labs, with the labs, for the dashboard."""
    return LabMembership.objects.filter(user=user).select_related("lab").order_by("lab__slug", "role")


def lab_team_users(lab) -> list:
    """The people who run the lab (managers and staff), to be told of what needs their attention."""
    return [
        m.user for m in LabMembership.objects.filter(lab=lab, role__in=LAB_TEAM_ROLES).select_related("user")
    ]
