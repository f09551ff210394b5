"""The OCDS API (public, read-only): the processes a lab publishes, and each one's release and record
packages (the same JSON as the files of ``export_ocds`` and the /ocds/ pages)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.core.api import Pagination
from govlab.core.i18n import pick
from govlab.labs.models import Lab

from . import selectors
from .export import record_url, releases_url, site
from .packages import record_package, release_package
from .publish import publication_for

OCID_PATTERN = r"ocds-[a-z0-9]{6}-[A-Za-z0-9._-]+"


class ProcessSerializer(serializers.Serializer):
    ocid = serializers.CharField()
    lab = serializers.CharField(help_text="The lab's short name.")
    challenge = serializers.CharField(help_text="The challenge's reference.")
    title = serializers.CharField()
    releases = serializers.IntegerField(help_text="How many releases are published.")
    first_published = serializers.DateTimeField()
    last_published = serializers.DateTimeField()
    page = serializers.URLField(help_text="The readable public page of the process.")
    release_package = serializers.URLField()
    record_package = serializers.URLField()


class OcdsProcessViewSet(viewsets.GenericViewSet):
    """Contracting processes published in OCDS 1.1 (with the extensions the packages declare)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ProcessSerializer
    pagination_class = Pagination
    lookup_field = "ocid"
    lookup_value_regex = OCID_PATTERN

    def _lab(self) -> Lab:
        slug = self.request.query_params.get("lab", "")
        lab = Lab.objects.public().filter(slug=slug).first()
        if lab is None:
            raise Http404
        return lab

    @extend_schema(
        tags=["ocds"],
        parameters=[OpenApiParameter("lab", str, required=True, description="The lab's short name.")],
        responses=ProcessSerializer(many=True),
    )
    def list(self, request):
        """The processes a lab publishes, with their ocids and the links to their packages."""
        lab = self._lab()
        page = self.paginate_queryset(selectors.lab_processes(lab))
        from django.urls import reverse

        rows = [
            {
                "ocid": row["ocid"],
                "lab": lab.slug,
                "challenge": row["challenge__reference"],
                "title": pick(row["challenge__title"], preferred=lab.languages).text,
                "releases": row["releases"],
                "first_published": row["first"],
                "last_published": row["last"],
                "page": site(reverse("ocds:process", args=[row["ocid"]])),
                "release_package": releases_url(row["ocid"]),
                "record_package": record_url(row["ocid"]),
            }
            for row in page
        ]
        return self.get_paginated_response(ProcessSerializer(rows, many=True).data)

    def _releases(self, ocid):
        releases = selectors.process_releases(ocid)
        if not releases:
            raise Http404
        return releases[0].lab, [release.data for release in releases]

    @extend_schema(tags=["ocds"], responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def releases(self, request, ocid=None):
        """The process's OCDS release package: every release, oldest first."""
        lab, data = self._releases(ocid)
        return Response(release_package(publication_for(lab), releases_url(ocid), data))

    @extend_schema(tags=["ocds"], responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def record(self, request, ocid=None):
        """The process's OCDS record package: linked releases and the compiled release."""
        lab, data = self._releases(ocid)
        url = releases_url(ocid)
        links = [f"{url}#{release['id']}" for release in data]
        return Response(record_package(publication_for(lab), record_url(ocid), ocid, data, links))


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("ocds/processes", OcdsProcessViewSet, basename="ocds-process")
