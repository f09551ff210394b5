from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from govlab.labs.models import Lab
from govlab.taxonomy.models import Term

from .enums import SOLVER_KINDS
from .models import Organisation, OrganisationMembership

SORTS = {"name": ("name", "pk"), "newest": ("-created_at", "-pk")}


def user_organisation_roles(user) -> dict[int, str]:
    """{organisation id: role} for this person, loaded once per user object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_govlab_organisation_roles", None)
    if cached is None:
        cached = dict(OrganisationMembership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._govlab_organisation_roles = cached
    return cached


def organisation_list(
    *,
    lab=None,
    kind: str = "",
    helix_sector: str = "",
    country: str = "",
    query: str = "",
    sector: Term | None = None,
    technology: Term | None = None,
    sdg: Term | None = None,
    solvers_only: bool = False,
    min_trl: int | None = None,
    sort: str = "name",
) -> QuerySet[Organisation]:
    """Active organisations, filtered, with what list pages show prefetched.

    Each filter on a many-to-many relation matches one row at most, so no organisation is repeated.
    """
    queryset = Organisation.objects.public().for_list()
    if lab is not None:
        queryset = queryset.filter(labs=lab)
    if kind:
        queryset = queryset.filter(kind=kind)
    if helix_sector:
        queryset = queryset.filter(helix_sector=helix_sector)
    if country:
        queryset = queryset.filter(country=country)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(region__icontains=query))
    if sector is not None:
        queryset = queryset.filter(sectors=sector)
    if technology is not None:
        queryset = queryset.filter(technologies=technology)
    if sdg is not None:
        queryset = queryset.filter(sdgs=sdg)
    if solvers_only:
        queryset = queryset.filter(kind__in=SOLVER_KINDS)
    if min_trl is not None:
        queryset = queryset.filter(trl__gte=min_trl)
    return queryset.order_by(*SORTS.get(sort, SORTS["name"]))


def organisation_directory(**filters) -> QuerySet[Organisation]:
    """The public directory: like ``organisation_list``, fetching only what a card shows (labs, sectors).

    Each card reads the lists ``directory_labs`` and ``directory_sectors``: prefetched into plain lists,
    not through ``organisation.labs.all``, which builds a related manager per card and relation (the
    costliest part of a directory page once its queries were flat).
    """
    return (
        organisation_list(**filters)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("labs", queryset=Lab.objects.public().order_by("slug"), to_attr="directory_labs"),
            Prefetch(
                "sectors", queryset=Term.objects.order_by("position", "code"), to_attr="directory_sectors"
            ),
        )
    )


def organisation_countries() -> list[str]:
    """The country codes of active organisations, for the directory's country filter."""
    return sorted(set(Organisation.objects.public().order_by().values_list("country", flat=True).distinct()))


def organisation_for_page(*, slug: str) -> Organisation | None:
    """One organisation (active or not: the caller checks who may see it) with what its page shows."""
    return (
        Organisation.objects.filter(slug=slug)
        .prefetch_related(
            "labs",
            Prefetch("sectors", queryset=Term.objects.order_by("position", "code")),
            Prefetch("technologies", queryset=Term.objects.order_by("position", "code")),
            Prefetch("sdgs", queryset=Term.objects.order_by("position", "code")),
        )
        .first()
    )


def organisation_members(*, organisation: Organisation) -> QuerySet[OrganisationMembership]:
    return (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email", "pk")
    )


def organisations_for_lab_team(user) -> QuerySet[Organisation]:
    """The organisations in the ecosystems of the labs this person runs (all of them for a superuser)."""
    from govlab.labs.selectors import labs_where_team

    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    return Organisation.objects.filter(labs__in=labs_where_team(user)).distinct()


def organisation_people(organisation_ids) -> list:
    """The members of these organisations (an id or several), each once."""
    if isinstance(organisation_ids, int):
        organisation_ids = [organisation_ids]
    people = {}
    for membership in OrganisationMembership.objects.filter(
        organisation_id__in=list(organisation_ids)
    ).select_related("user"):
        people[membership.user_id] = membership.user
    return list(people.values())
