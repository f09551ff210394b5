"""The OCDS API: how a lab publishes (its bulk files, licence and policy; its managers change the
settings, as on /ocds/labs/<lab>/settings/), the processes it publishes, and each one's release and
record packages (the same JSON as the files of ``export_ocds`` and the /ocds/ pages). Reading is public."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.core.api import ERRORS, Pagination, ServiceViewSetMixin
from govlab.core.i18n import pick
from govlab.labs.models import Lab

from . import selectors
from .builder import absolute
from .export import DEFAULT_PAGE_SIZE, bulk_url, record_url, releases_url
from .models import PublicationSettings
from .packages import policy_url, record_package, release_package
from .publish import publication_for
from .services import publication_settings_save

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
        rows = [
            {
                "ocid": row["ocid"],
                "lab": lab.slug,
                "challenge": row["challenge__reference"],
                "title": pick(row["challenge__title"], preferred=lab.languages).text,
                "releases": row["releases"],
                "first_published": row["first"],
                "last_published": row["last"],
                "page": absolute(reverse("ocds:process", args=[row["ocid"]])),
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


class PublicationSerializer(serializers.ModelSerializer):
    lab = serializers.CharField(source="lab.slug", read_only=True, help_text="The lab's short name.")
    publisher_uri = serializers.URLField(required=False, allow_blank=True, max_length=200)
    policy = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    policy_page = serializers.SerializerMethodField(help_text="The readable publication policy.")
    bulk_files = serializers.SerializerMethodField(help_text="The bulk release packages, in order.")

    class Meta:
        model = PublicationSettings
        fields = [
            "lab",
            "prefix",
            "publisher_name",
            "publisher_uri",
            "license_url",
            "policy",
            "policy_page",
            "bulk_files",
        ]

    def get_policy_page(self, publication) -> str:
        return policy_url(publication.lab)

    def get_bulk_files(self, publication) -> list[str]:
        pages = selectors.bulk_pages(publication.lab, DEFAULT_PAGE_SIZE)
        return [bulk_url(publication.lab.slug, page) for page in range(1, pages + 1)]


class OcdsLabViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """How a lab publishes; its managers change the publication settings."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = PublicationSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(tags=["ocds"], responses={200: PublicationSerializer, 404: ERRORS[404]})
    def retrieve(self, request, slug=None):
        """The lab's publication settings and bulk files (what /ocds/labs/<lab>/ shows)."""
        lab = Lab.objects.public().filter(slug=slug).first()
        if lab is None:
            raise Http404
        return Response(PublicationSerializer(publication_for(lab)).data)

    @extend_schema(
        tags=["ocds"], request=PublicationSerializer, responses={200: PublicationSerializer, **ERRORS}
    )
    def partial_update(self, request, slug=None):
        """Change the publication settings (the lab's managers). The prefix is fixed once published."""
        lab = Lab.objects.filter(slug=slug).first()
        if lab is None or not request.user.has_perm("ocds.manage_publication", lab):
            raise Http404
        data = self.valid(PublicationSerializer, partial=True)
        publication = self.call(publication_settings_save, lab=lab, by=request.user, **data)
        return Response(PublicationSerializer(publication).data)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("ocds/labs", OcdsLabViewSet, basename="ocds-lab")
    router.register("ocds/processes", OcdsProcessViewSet, basename="ocds-process")
