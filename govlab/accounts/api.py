"""The signed-in person's API: personal API tokens, their profile and their personal-data export.

A token is made by signing in with e-mail address and password (and, for lab managers and staff, the
current two-factor code), through the same failed-sign-in limit as the sign-in page. See
docs/adr/0007-api-authentication.md.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from govlab.audit.services import audit_record
from govlab.core.api import ErrorSerializer, MFARequired

from . import services, throttle
from .middleware import user_has_totp, user_needs_mfa
from .serializers import ProfileSerializer, ProfileUpdateSerializer, TokenRequestSerializer, TokenSerializer


class SignInLocked(exceptions.Throttled):
    default_code = "locked"

    def __init__(self, lock: throttle.Lock):
        super().__init__(
            wait=lock.seconds_left,
            detail=_("Too many failed sign-in attempts. Signing in is paused; try again later."),
            code="locked",
        )


def _has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def _check_totp(user, code: str) -> bool:
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or not code or not authenticator.wrap().validate_code(code):
        return False
    authenticator.record_usage()
    return True


# Kept here, next to its only caller, until accounts/services.py takes them (see the ADR).
def _api_token_create(*, user, mfa: bool) -> Token:
    """Make the person's API token, replacing any earlier one (a person has one token)."""
    with transaction.atomic():
        replaced = Token.objects.filter(user=user).delete()[0]
        token = Token.objects.create(user=user)
        audit_record(
            actor=user,
            action="account.api_token.create",
            target=user,
            changes={"replaced": bool(replaced), "two_factor": mfa},
        )
    return token


def _api_token_revoke(*, user, revoked_by) -> bool:
    with transaction.atomic():
        deleted = Token.objects.filter(user=user).delete()[0]
        if deleted:
            audit_record(actor=revoked_by, action="account.api_token.revoke", target=user)
    return bool(deleted)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed."),
}


class TokenView(APIView):
    """POST: sign in and get a personal API token. DELETE: revoke your token."""

    def get_authenticators(self):
        # Signing in needs no earlier authentication (and so no CSRF token); revoking does.
        if getattr(self.request, "method", None) == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if getattr(self.request, "method", None) == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        summary="Sign in and get a personal API token",
        description=(
            "Give your e-mail address and password; lab managers and staff also give the current code "
            "from their authenticator app. Any earlier token of yours stops working. Too many failed "
            "attempts answer 429 for a while, as on the sign-in page."
        ),
        request=TokenRequestSerializer,
        responses={
            201: TokenSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(ErrorSerializer, description="Two-factor authentication not set up."),
            429: OpenApiResponse(ErrorSerializer, description="Too many failed attempts."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = throttle.normalise_email(serializer.validated_data["email"])
        ip = throttle.client_ip(request._request)
        lock = throttle.login_is_locked(email=email, ip=ip)
        if lock is not None:
            raise SignInLocked(lock)
        # A failure is counted by the user_login_failed signal (govlab.accounts.signals).
        user = authenticate(request._request, email=email, password=serializer.validated_data["password"])
        if user is None:
            lock = throttle.login_is_locked(email=email, ip=ip)
            if lock is not None:
                raise SignInLocked(lock)
            raise exceptions.ValidationError(
                {"non_field_errors": [_("The e-mail address and/or password you gave are not correct.")]}
            )
        if not _has_verified_email(user):
            raise exceptions.ValidationError(
                {"email": [_("Confirm your e-mail address first: follow the link we sent you.")]}
            )
        if user.is_superuser:
            raise exceptions.PermissionDenied(
                _("Superusers cannot use API tokens; use the web interface."), code="token_not_allowed"
            )
        mfa = user_needs_mfa(user)
        if mfa:
            if not user_has_totp(user):
                raise MFARequired
            code = serializer.validated_data.get("code", "").strip()
            if not code:
                raise exceptions.ValidationError(
                    {"code": [_("Give the current code from your authenticator app.")]}
                )
            if not _check_totp(user, code):
                lock = throttle.login_failures_register(email=email, ip=ip, user=user)
                if lock is not None:
                    raise SignInLocked(lock)
                raise exceptions.ValidationError({"code": [_("This code is not correct.")]})
        throttle.login_failures_reset(email=email)
        token = _api_token_create(user=user, mfa=mfa)
        return Response({"token": token.key, "created": token.created}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke your personal API token",
        description="The token stops working at once. Send the token itself, or use the session with CSRF.",
        request=None,
        responses={204: None, 401: ERRORS[401]},
        tags=["auth"],
    )
    def delete(self, request):
        _api_token_revoke(user=request.user, revoked_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in person's profile."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Your profile", responses={200: ProfileSerializer, 401: ERRORS[401]}, tags=["me"])
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(
        summary="Change your name, interface language or time zone",
        request=ProfileUpdateSerializer,
        responses={200: ProfileSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=["me"],
    )
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(
            user=request.user, updated_by=request.user, **serializer.validated_data
        )
        return Response(ProfileSerializer(user).data)


class MeExportView(APIView):
    """Everything govlab holds about the signed-in person (GDPR art. 15 and 20)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Download your personal data",
        description="The same document as the profile page's download (format govlab.personal-data/1).",
        responses={
            200: inline_serializer(
                "PersonalDataExport",
                {
                    "format": serializers.CharField(),
                    "exported_at": serializers.DateTimeField(),
                    "profile": serializers.DictField(),
                    "email_addresses": serializers.ListField(child=serializers.DictField()),
                    "two_factor": serializers.ListField(child=serializers.DictField()),
                    "lab_memberships": serializers.ListField(child=serializers.DictField()),
                    "organisation_memberships": serializers.ListField(child=serializers.DictField()),
                    "notifications": serializers.ListField(child=serializers.DictField()),
                    "audit_entries": serializers.ListField(child=serializers.DictField()),
                },
            ),
            401: ERRORS[401],
        },
        tags=["me"],
    )
    def get(self, request):
        response = Response(services.user_export_data(user=request.user))
        response["Cache-Control"] = "no-store"
        return response


def register(router) -> None:
    """Register this app's API endpoints on the v1 router (its views are plain paths: ``urlpatterns``)."""


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("me/export/", MeExportView.as_view(), name="me-export"),
]
