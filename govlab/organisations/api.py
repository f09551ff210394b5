"""The organisations API: the public directory, creating and changing organisations, their members."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.core.api import ErrorSerializer, RulesPermission
from govlab.labs.models import Lab
from govlab.taxonomy.models import Term

from . import services
from .models import Organisation
from .selectors import organisation_list, organisation_members
from .serializers import (
    PREFETCHED_SUFFIX,
    OrganisationFilterSerializer,
    OrganisationMembershipAddSerializer,
    OrganisationMembershipSerializer,
    OrganisationSerializer,
    OrganisationWriteSerializer,
)

REFUSED = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed."),
    404: OpenApiResponse(ErrorSerializer, description="No such organisation, or not visible to you."),
}


@extend_schema_view(
    list=extend_schema(
        summary="The directory of active organisations",
        parameters=[
            OrganisationFilterSerializer,
            OpenApiParameter(
                "trl_min", int, description="Solvers whose main solution has at least this TRL (1–9)."
            ),
        ],
        responses={200: OrganisationSerializer(many=True), 400: REFUSED[400]},
    ),
    retrieve=extend_schema(
        summary="An organisation", responses={200: OrganisationSerializer, 404: REFUSED[404]}
    ),
)
class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    serializer_class = OrganisationSerializer
    permission_classes = [RulesPermission]
    view_perm = "organisations.view_organisation"
    action_perms = {"create": "organisations.add_organisation"}
    object_perms = {
        "partial_update": "organisations.change_organisation",
        "members": "organisations.view_organisation_members",
        "add_member": "organisations.manage_organisation_members",
        "remove_member": "organisations.manage_organisation_members",
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            filters = OrganisationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            trl_min = self.request.query_params.get("trl_min", "").strip()
            if trl_min and not (trl_min.isdigit() and 1 <= int(trl_min) <= 9):
                raise exceptions.ValidationError({"trl_min": ["Give a TRL from 1 to 9."]})
            # The list shows its relations as codes and slugs: fetch only those columns (not the terms'
            # and labs' translated JSON texts), in the same order as ``Organisation.objects.for_list()``,
            # into lists the serializer reads (serializers.PrefetchedManyRelatedField).
            return (
                organisation_list(**filters.selector_filters(), min_trl=int(trl_min) if trl_min else None)
                .prefetch_related(None)
                .prefetch_related(
                    *(
                        Prefetch(
                            name, queryset=Term.objects.only("pk", "code"), to_attr=name + PREFETCHED_SUFFIX
                        )
                        for name in ("sectors", "technologies", "sdgs")
                    ),
                    Prefetch(
                        "labs", queryset=Lab.objects.only("pk", "slug"), to_attr="labs" + PREFETCHED_SUFFIX
                    ),
                )
            )
        # Inactive organisations too: the view permission decides who sees them (404 otherwise).
        return Organisation.objects.for_list()

    @extend_schema(
        summary="Create an organisation (you become its administrator)",
        request=OrganisationWriteSerializer,
        responses={201: OrganisationSerializer, **REFUSED},
    )
    def create(self, request):
        serializer = OrganisationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.organisation_create(created_by=request.user, **serializer.validated_data)
        organisation = Organisation.objects.for_list().get(pk=organisation.pk)
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an organisation (its administrators and its labs' staff)",
        request=OrganisationWriteSerializer,
        responses={200: OrganisationSerializer, **REFUSED},
    )
    def partial_update(self, request, slug=None):
        organisation = self.get_object()
        serializer = OrganisationWriteSerializer(instance=organisation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.organisation_update(
            organisation=organisation, updated_by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="The organisation's members (its members and its labs' staff)",
        responses={200: OrganisationMembershipSerializer(many=True), **REFUSED},
    )
    @action(detail=True, methods=["get"], serializer_class=OrganisationMembershipSerializer)
    def members(self, request, slug=None):
        organisation = self.get_object()
        page = self.paginate_queryset(organisation_members(organisation=organisation))
        return self.get_paginated_response(OrganisationMembershipSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a person to the organisation, or change their role (administrators)",
        request=OrganisationMembershipAddSerializer,
        responses={201: OrganisationMembershipSerializer, **REFUSED},
    )
    @members.mapping.post
    def add_member(self, request, slug=None):
        organisation = self.get_object()
        serializer = OrganisationMembershipAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = services.organisation_membership_add(
            organisation=organisation,
            user=data["email"],
            role=data["role"],
            job_title=data["job_title"],
            added_by=request.user,
        )
        return Response(OrganisationMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a person from the organisation (administrators)",
        request=None,
        responses={204: None, **REFUSED},
    )
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<membership_id>\d+)")
    def remove_member(self, request, slug=None, membership_id=None):
        organisation = self.get_object()
        membership = get_object_or_404(
            organisation.memberships.select_related("user", "organisation"), pk=membership_id
        )
        services.organisation_membership_remove(membership=membership, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
