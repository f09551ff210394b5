"""Reads for the public OCDS pages and the API: bounded queries whatever the number of releases."""

from __future__ import annotations

from django.db.models import Count, Max, Min

from govlab.challenges.enums import HIDDEN_FROM_PUBLIC
from govlab.labs.models import Lab

from .models import Release


def public_releases():
    """Releases of active labs' challenges that are still public."""
    return Release.objects.filter(lab__is_active=True, challenge__is_public=True).exclude(
        challenge__status__in=HIDDEN_FROM_PUBLIC
    )


def process_releases(ocid: str) -> list[Release]:
    """The releases of one public process, oldest first (one query)."""
    return list(public_releases().filter(ocid=ocid).select_related("lab").order_by("date", "sequence"))


def lab_processes(lab: Lab):
    """One row per process of the lab: ocid, title of its first release, counts and dates."""
    return (
        public_releases()
        .filter(lab=lab)
        .values("ocid", "challenge__reference", "challenge__title")
        .annotate(releases=Count("pk"), first=Min("date"), last=Max("date"))
        .order_by("ocid")
    )


def labs_publishing():
    return (
        Lab.objects.public()
        .filter(ocds_releases__isnull=False)
        .annotate(releases=Count("ocds_releases"), processes=Count("ocds_releases__ocid", distinct=True))
        .order_by("slug")
    )


def bulk_page(lab: Lab, page: int, page_size: int) -> list[dict]:
    start = (page - 1) * page_size
    return list(
        public_releases()
        .filter(lab=lab)
        .order_by("ocid", "date", "sequence")
        .values_list("data", flat=True)[start : start + page_size]
    )


def bulk_pages(lab: Lab, page_size: int) -> int:
    count = public_releases().filter(lab=lab).count()
    return (count + page_size - 1) // page_size
