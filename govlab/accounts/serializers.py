"""What the API shows of the signed-in person, and what it accepts."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import User


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "preferred_language", "time_zone", "date_joined"]
        read_only_fields = fields


class ProfileUpdateSerializer(serializers.Serializer):
    """What a person may change about themself (all optional: PATCH); the service checks the values."""

    full_name = serializers.CharField(required=False, allow_blank=True, max_length=400)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    time_zone = serializers.CharField(required=False, max_length=64, help_text="An IANA time zone name.")


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=4096)
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=_("The current code from your authenticator app (lab managers and staff)."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as the header: Authorization: Token <token>.")
    created = serializers.DateTimeField()
