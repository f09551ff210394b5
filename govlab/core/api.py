"""API conventions shared by every endpoint: authentication, permissions, pagination, one error shape,
translated fields, and the API's documentation page (rendered here from the OpenAPI schema, no CDN)."""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import authentication, exceptions, pagination, permissions, serializers
from rest_framework.response import Response

from govlab.core.i18n import clean_translations, pick


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


# --- Errors -------------------------------------------------------------------------------------------


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": ["message", ...]} (nested fields joined with dots)."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "non_field_errors" if key in ("__all__", "non_field_errors") else str(key)
            out.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "non_field_errors": [str(detail)]}


class ApiError(exceptions.APIException):
    """A refusal in the house error shape with its own status, code and field messages."""

    def __init__(self, *, status_code: int, code: str, message: str, fields: dict | None = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.message = message
        self.fields = fields or {}


def exception_handler(exc, context):
    """Every error answers {"error": {"code", "message", "fields"}} with the right status."""
    # Imported here: rest_framework.views reads the settings, which name this module's classes.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, ApiError):
        return Response(
            {"error": {"code": exc.error_code, "message": exc.message, "fields": exc.fields}},
            status=exc.status_code,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "message": "The request has invalid fields.",
            "fields": _flatten(exc.detail),
        }
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = {"code": str(code), "message": str(detail), "fields": {}}
    return Response({"error": body}, status=response.status_code, headers=dict(response.items()))


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (for the schema)."""

    error = ErrorDetailSerializer()


# --- Authentication ------------------------------------------------------------------------------------


class MFARequired(exceptions.PermissionDenied):
    default_detail = "Lab staff must set up two-factor authentication first."
    default_code = "mfa_required"


def token_allowed_for(user, token) -> None:
    """Refuse a token that would let someone skip the second factor the web interface asks of them.

    Superusers never use tokens. Lab managers and staff need a TOTP authenticator, and their token must
    be younger than their newest team role: a token made while they were not on a lab's team was made
    without a code, so it stops working when they join one (they make a new one, giving their code).
    """
    from govlab.accounts.middleware import user_has_totp, user_needs_mfa
    from govlab.labs.enums import LAB_TEAM_ROLES
    from govlab.labs.models import LabMembership

    if user.is_superuser:
        raise exceptions.PermissionDenied(
            "Superusers cannot use API tokens; use the web interface.", code="token_not_allowed"
        )
    if not user_needs_mfa(user):
        return
    if not user_has_totp(user):
        raise MFARequired
    newest_role = LabMembership.objects.filter(user=user, role__in=LAB_TEAM_ROLES).aggregate(
        newest=Max("created_at")
    )["newest"]
    if newest_role is not None and token.created < newest_role:
        raise MFARequired(
            "This token was made before you joined a lab's team. Make a new one with your two-factor code.",
            code="mfa_required",
        )


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token ("Authorization: Token <key>"), refused where it would bypass the staff MFA rule."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        token_allowed_for(user, token)
        return user, token


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "govlab.core.api.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A personal API token, sent as "Token <key>" (see POST /api/v1/auth/token/).',
        }


# --- Permissions -----------------------------------------------------------------------------------------


class RulesPermission(permissions.BasePermission):
    """Ask django-rules, through ``request.user.has_perm(perm, obj)``, what a view's action needs.

    A view declares ``action_perms = {"action": "app.perm"}`` (checked without an object, before the
    action runs) and ``object_perms = {"action": "app.perm"}`` (checked on the object ``get_object``
    returns). ``view_perm`` is the object's read permission: whoever lacks it gets 404, as if the object
    did not exist; whoever may see the object but not act on it gets 403 (401 when not signed in).
    """

    def has_permission(self, request, view):
        perm = getattr(view, "action_perms", {}).get(view.action)
        return perm is None or request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        view_perm = getattr(view, "view_perm", None)
        if view_perm and not request.user.has_perm(view_perm, obj):
            raise exceptions.NotFound
        perm = getattr(view, "object_perms", {}).get(view.action)
        return perm is None or request.user.has_perm(perm, obj)


# --- Translated content ----------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "example": {"en": "Interoperability challenge", "es": "Reto de interoperabilidad"},
        "description": "One text per language code.",
    }
)
class TranslatedTextField(serializers.JSONField):
    """A translated value as {"en": "...", "es": "..."}, checked like the model field."""

    def __init__(self, *, max_length: int | None = None, **kwargs):
        self.text_max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return clean_translations(data, required=self.required, max_length=self.text_max_length)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def to_representation(self, value):
        return dict(value or {})


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "text": {"type": "string"},
            "language": {"type": "string"},
            "is_fallback": {"type": "boolean"},
        },
        "description": "The text in the reader's language (Accept-Language), or a marked fallback.",
    }
)
class LocalisedTextField(serializers.Field):
    """Read-only: the text of a translated value in the request's language, with its language."""

    def __init__(self, *, preferred_attr: str | None = None, **kwargs):
        self.preferred_attr = preferred_attr
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        preferred = getattr(instance, self.preferred_attr, None) if self.preferred_attr else None
        return value, preferred

    def _language(self) -> str | None:
        """The reader's language: /api/ addresses carry none, so Accept-Language (or the cookie) says."""
        request = self.context.get("request")
        if request is None:
            return None
        root = self.root
        if not hasattr(root, "_govlab_language"):
            root._govlab_language = get_language_from_request(request)
        return root._govlab_language

    def to_representation(self, value):
        translations, preferred = value
        localised = pick(translations, self._language(), preferred=preferred)
        return {"text": localised.text, "language": localised.language, "is_fallback": localised.is_fallback}


# --- The documentation page ------------------------------------------------------------------------------

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _schema_ref(schema: dict, ref_or_obj: dict) -> dict:
    if "$ref" in ref_or_obj:
        name = ref_or_obj["$ref"].rsplit("/", 1)[-1]
        return schema["components"]["schemas"].get(name, {})
    return ref_or_obj


def _plain_description(text: str) -> str:
    """A description without the list of an enum's choices that drf-spectacular appends."""
    return re.split(r"(?:^|\n\n)\* `", text)[0].strip()


def _body_fields(schema: dict, operation: dict) -> list[dict]:
    content = (operation.get("requestBody") or {}).get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), None)
    if not media:
        return []
    body = _schema_ref(schema, media.get("schema", {}))
    required = set(body.get("required", []))
    fields = []
    for name, prop in (body.get("properties") or {}).items():
        variants = prop.get("allOf") or prop.get("oneOf") or [prop]
        resolved = _schema_ref(schema, variants[0])
        if "enum" in resolved:
            kind = "choice"
            choices = [str(value) for value in resolved["enum"] if value not in ("", None)]
            description = ", ".join(choices) if len(choices) <= 12 else f"{len(choices)} codes"
        else:
            kind = resolved.get("type", "object")
            if kind == "array":
                item = _schema_ref(schema, resolved.get("items", {}))
                kind = f"list of {item.get('type', 'choice' if 'enum' in item else 'object')}"
            description = ""
        text = _plain_description(prop.get("description") or resolved.get("description") or "")
        fields.append(
            {
                "name": name,
                "type": kind,
                "required": name in required,
                "description": " ".join(part for part in (text.strip(), description) if part),
            }
        )
    return fields


def api_operations() -> list[dict]:
    """The schema's operations grouped by tag, as the docs page lists them."""
    schema = _schema()
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "required": parameter.get("required", False),
                            "description": _plain_description(parameter.get("description", "")),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _body_fields(schema, operation),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return [{"tag": tag, "operations": operations} for tag, operations in sorted(groups.items())]


@require_GET
def api_docs(request):
    """The API reference, rendered on the server from the OpenAPI schema (no script, no CDN)."""
    return render(
        request,
        "api/docs.html",
        {
            "groups": api_operations(),
            "title": settings.SPECTACULAR_SETTINGS.get("TITLE", "API"),
            "description": settings.SPECTACULAR_SETTINGS.get("DESCRIPTION", ""),
            "version": settings.SPECTACULAR_SETTINGS.get("VERSION", ""),
            "page_title": _("API reference"),
        },
    )


INVALID_FIELDS = "The request has invalid fields."


def service_refusal(
    error: DjangoValidationError,
    *,
    messages: dict[str, str] | None = None,
    forbidden: tuple[str, ...] = ("not_allowed", "not_member"),
    not_found: tuple[str, ...] = (),
) -> ApiError:
    """A service's coded ValidationError as an API error: its code, its message(s), its fields.

    ``conflict`` is 409; codes in ``forbidden`` are 403 and in ``not_found`` 404 (as if the thing did
    not exist); the rest 400. A refusal of the whole request (the service's ``__all__``) is the message;
    otherwise ``messages`` names the refusal and the fields carry the details.
    """
    from django.core.exceptions import NON_FIELD_ERRORS

    messages = messages or {}
    code = getattr(error, "code", None) or "invalid"
    if code == "conflict":
        return ApiError(status_code=409, code="conflict", message=" ".join(error.messages), fields={})
    if code in not_found:
        return ApiError(status_code=404, code="not_found", message="Not found.", fields={})
    if hasattr(error, "error_dict"):
        fields = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(m) for m in texts]
            for name, texts in error.message_dict.items()
        }
        general = fields.pop("non_field_errors", None) if code != "invalid" else None
        message = " ".join(general) if general else messages.get(code, INVALID_FIELDS)
    else:
        texts = [str(m) for m in error.messages]
        fields = {"non_field_errors": texts} if code == "invalid" else {}
        message = " ".join(texts) or messages.get(code, INVALID_FIELDS)
    return ApiError(status_code=403 if code in forbidden else 400, code=code, message=message, fields=fields)


# --- What every service-backed endpoint shares -----------------------------------------------------

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, or a rule refused it."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed to do this."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not visible to you."),
}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="Someone else saved it since you loaded it.")}
# Ids in addresses and filters: digits that fit a 64-bit key (a longer number is no one's id).
ID_PATTERN = "[0-9]{1,18}"


def invalid(**fields: str) -> ApiError:
    """A 400 naming the fields at fault, each with one message."""
    return ApiError(
        status_code=400,
        code="invalid",
        message=INVALID_FIELDS,
        fields={name: [message] for name, message in fields.items()},
    )


class ServiceViewSetMixin:
    """Endpoints that write through services: a refusal becomes the API's error (``service_refusal``)."""

    refusal_messages: dict[str, str] = {}
    forbidden_codes: tuple[str, ...] = ("not_allowed", "not_member")
    not_found_codes: tuple[str, ...] = ()

    def call(self, service, **kwargs):
        try:
            return service(**kwargs)
        except DjangoValidationError as error:
            raise service_refusal(
                error,
                messages=self.refusal_messages,
                forbidden=self.forbidden_codes,
                not_found=self.not_found_codes,
            ) from error

    def valid(self, serializer_class, *, partial: bool = False, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def received_at(self):
        """When the request arrived (``core.middleware.ReceivedAtMiddleware``); deadlines are judged on it."""
        return getattr(self.request, "received_at", None) or timezone.now()
