"""What the API shows of the shared vocabularies."""

from __future__ import annotations

from rest_framework import serializers

from govlab.core.api import LocalisedTextField, TranslatedTextField

from .enums import Vocabulary
from .models import Term


class TermSerializer(serializers.ModelSerializer):
    name = LocalisedTextField()
    translations = TranslatedTextField(source="name", read_only=True)

    class Meta:
        model = Term
        fields = ["vocabulary", "code", "name", "translations", "position"]
        read_only_fields = fields


class TermFilterSerializer(serializers.Serializer):
    vocabulary = serializers.ChoiceField(choices=Vocabulary.choices, required=False)
