"""What the API shows of labs and their teams, and what it accepts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from govlab.core.api import LocalisedTextField, TranslatedTextField

from .enums import LabRole
from .models import Lab, LabMembership

LANGUAGE_CHOICES = [code for code, _name in settings.LANGUAGES]


class LabSerializer(serializers.ModelSerializer):
    display_name = LocalisedTextField(source="name", preferred_attr="languages")
    name = TranslatedTextField()
    tagline = TranslatedTextField()
    about = TranslatedTextField()
    languages = serializers.ListField(child=serializers.ChoiceField(choices=LANGUAGE_CHOICES))
    logo = serializers.ImageField(read_only=True, use_url=True)
    organisation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Lab
        fields = [
            "slug",
            "name",
            "display_name",
            "tagline",
            "about",
            "logo",
            "primary_colour",
            "languages",
            "country",
            "jurisdiction",
            "currency",
            "time_zone",
            "website",
            "contact_email",
            "is_active",
            "organisation_count",
            "updated_at",
        ]
        read_only_fields = fields


class LabUpdateSerializer(serializers.ModelSerializer):
    """The settings a lab's manager may change through the API (all optional: PATCH)."""

    name = TranslatedTextField(max_length=200)
    tagline = TranslatedTextField(max_length=300, required=False)
    about = TranslatedTextField(max_length=20000, required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), min_length=1, max_length=5
    )

    class Meta:
        model = Lab
        fields = [
            "name",
            "tagline",
            "about",
            "primary_colour",
            "languages",
            "country",
            "jurisdiction",
            "currency",
            "time_zone",
            "website",
            "contact_email",
        ]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)


class LabMembershipSerializer(serializers.ModelSerializer):
    person = PersonSerializer(source="user", read_only=True)

    class Meta:
        model = LabMembership
        fields = ["id", "person", "role", "created_at"]
        read_only_fields = fields


class LabMembershipAddSerializer(serializers.Serializer):
    """Give a person (found by e-mail address) a role in the lab."""

    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=LabRole.choices)

    def validate_email(self, value):
        user = get_user_model().objects.filter(email__iexact=value.strip(), is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("No active person has this e-mail address."))
        return user
