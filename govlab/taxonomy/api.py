"""The shared vocabularies (SDGs, sectors, technologies, thematic areas), readable by anyone."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets

from .models import Term
from .serializers import TermFilterSerializer, TermSerializer


class TermViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TermSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        filters = TermFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        vocabulary = filters.validated_data.get("vocabulary")
        queryset = Term.objects.of(vocabulary) if vocabulary else Term.objects.filter(is_active=True)
        return queryset.order_by("vocabulary", "position", "code")

    @extend_schema(
        summary="Terms of the shared vocabularies",
        description="`name` is in the reader's language (Accept-Language), with every translation beside.",
        parameters=[TermFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("terms", TermViewSet, basename="term")
