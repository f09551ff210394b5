"""The labs API: public list and detail; settings for managers; the team for staff and managers."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.core.api import ErrorSerializer, RulesPermission

from . import services
from .models import Lab
from .selectors import lab_list_public, lab_members
from .serializers import (
    LabMembershipAddSerializer,
    LabMembershipSerializer,
    LabSerializer,
    LabUpdateSerializer,
)

REFUSED = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed."),
    404: OpenApiResponse(ErrorSerializer, description="No such lab, or not visible to you."),
}


@extend_schema_view(
    list=extend_schema(summary="List the active labs"),
    retrieve=extend_schema(summary="A lab", responses={200: LabSerializer, 404: REFUSED[404]}),
)
class LabViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    serializer_class = LabSerializer
    permission_classes = [RulesPermission]
    view_perm = "labs.view_lab"
    object_perms = {
        "partial_update": "labs.change_lab",
        "members": "labs.view_lab_members",
        "add_member": "labs.manage_lab_members",
        "remove_member": "labs.manage_lab_members",
    }

    def get_queryset(self):
        if self.action == "list":
            return lab_list_public().order_by("slug")
        # A lab's members may see it while it is inactive: the view permission decides (404 otherwise).
        return Lab.objects.annotate(
            organisation_count=Count("organisations", filter=Q(organisations__is_active=True), distinct=True)
        ).order_by("slug")

    @extend_schema(
        summary="Change a lab's settings (managers)",
        request=LabUpdateSerializer,
        responses={200: LabSerializer, **REFUSED},
    )
    def partial_update(self, request, slug=None):
        lab = self.get_object()
        serializer = LabUpdateSerializer(instance=lab, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.lab_update(lab=lab, updated_by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="The lab's team (lab staff)",
        responses={200: LabMembershipSerializer(many=True), **REFUSED},
    )
    @action(detail=True, methods=["get"], serializer_class=LabMembershipSerializer)
    def members(self, request, slug=None):
        lab = self.get_object()
        page = self.paginate_queryset(lab_members(lab=lab))
        return self.get_paginated_response(LabMembershipSerializer(page, many=True).data)

    @extend_schema(
        summary="Give a person a role in the lab (managers)",
        request=LabMembershipAddSerializer,
        responses={201: LabMembershipSerializer, **REFUSED},
    )
    @members.mapping.post
    def add_member(self, request, slug=None):
        lab = self.get_object()
        serializer = LabMembershipAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.lab_membership_add(
            lab=lab,
            user=serializer.validated_data["email"],
            role=serializer.validated_data["role"],
            added_by=request.user,
        )
        return Response(LabMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Take a role in the lab away from a person (managers)",
        request=None,
        responses={204: None, **REFUSED},
    )
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<membership_id>\d+)")
    def remove_member(self, request, slug=None, membership_id=None):
        lab = self.get_object()
        membership = get_object_or_404(lab.memberships.select_related("user", "lab"), pk=membership_id)
        services.lab_membership_remove(membership=membership, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("labs", LabViewSet, basename="lab")
