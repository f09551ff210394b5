"""A person's own notifications: list them, mark them read."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.core.api import ErrorSerializer

from . import services
from .models import Notification
from .serializers import MarkedReadSerializer, NotificationFilterSerializer, NotificationSerializer

NOT_YOURS = OpenApiResponse(ErrorSerializer, description="No such notification of yours.")
NOT_SIGNED_IN = OpenApiResponse(ErrorSerializer, description="Not signed in.")


@extend_schema_view(
    list=extend_schema(summary="Your notifications, newest first", parameters=[NotificationFilterSerializer]),
    retrieve=extend_schema(
        summary="One of your notifications", responses={200: NotificationSerializer, 404: NOT_YOURS}
    ),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Notification.objects.none()  # for the schema; get_queryset gives the person's own

    def get_queryset(self):
        # Only the person's own: anybody else's answers 404, as if it did not exist.
        queryset = Notification.objects.filter(recipient=self.request.user).select_related("lab")
        if self.action == "list":
            filters = NotificationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if filters.validated_data["unread"]:
                queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by("-created_at", "-id")

    @extend_schema(
        summary="Mark one of your notifications read",
        request=None,
        responses={200: NotificationSerializer, 401: NOT_SIGNED_IN, 404: NOT_YOURS},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses={200: MarkedReadSerializer, 401: NOT_SIGNED_IN},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked})


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("notifications", NotificationViewSet, basename="notification")
