"""What the API shows of organisations and their members, and what it accepts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from govlab.core.api import TranslatedTextField
from govlab.labs.models import Lab
from govlab.labs.serializers import PersonSerializer
from govlab.taxonomy.enums import Vocabulary
from govlab.taxonomy.models import Term

from .enums import HelixSector, OrganisationKind, OrganisationRole
from .models import Organisation, OrganisationMembership

PREFETCHED_SUFFIX = "_prefetched"


class PrefetchedManyRelatedField(serializers.ManyRelatedField):
    """A many-to-many field that reads the list prefetched into ``<source>_prefetched`` when there is one.

    The list endpoint prefetches the relations into plain lists (``Prefetch(..., to_attr=...)``): reading
    ``organisation.sectors.all()`` instead would build a related manager per organisation and relation.
    Everywhere else (one organisation, writes) the field reads the relation as usual.
    """

    def get_attribute(self, instance):
        prefetched = getattr(instance, self.source + PREFETCHED_SUFFIX, None)
        if prefetched is not None:
            return prefetched
        return super().get_attribute(instance)


class SlugRelatedField(serializers.SlugRelatedField):
    @classmethod
    def many_init(cls, *args, **kwargs):  # DRF's, with the field class above
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return PrefetchedManyRelatedField(**list_kwargs)


def _terms(vocabulary: str, **kwargs) -> serializers.SlugRelatedField:
    return SlugRelatedField(slug_field="code", queryset=Term.objects.of(vocabulary), **kwargs)


def _labs(**kwargs) -> serializers.SlugRelatedField:
    return SlugRelatedField(slug_field="slug", queryset=Lab.objects.public(), **kwargs)


ORGANISATION_FIELDS = [
    "name",
    "kind",
    "helix_sector",
    "description",
    "country",
    "region",
    "website",
    "size",
    "founded_year",
    "main_solution",
    "trl",
    "interests",
    "sectors",
    "technologies",
    "sdgs",
    "labs",
]


class OrganisationSerializer(serializers.ModelSerializer):
    description = TranslatedTextField()
    main_solution = TranslatedTextField()
    interests = TranslatedTextField()
    logo = serializers.ImageField(read_only=True, use_url=True)
    sectors = _terms(Vocabulary.SECTOR, many=True, help_text="Sector codes (taxonomy vocabulary `sector`).")
    technologies = _terms(Vocabulary.TECHNOLOGY, many=True, help_text="Technology codes.")
    sdgs = _terms(Vocabulary.SDG, many=True, help_text="SDG codes.")
    labs = _labs(many=True, help_text="The slugs of the labs whose ecosystem it belongs to.")

    class Meta:
        model = Organisation
        fields = ["slug", *ORGANISATION_FIELDS, "logo", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class OrganisationWriteSerializer(serializers.ModelSerializer):
    """Create (name, kind and country required) or change (PATCH: all optional) an organisation."""

    description = TranslatedTextField(max_length=20000, required=False)
    main_solution = TranslatedTextField(max_length=2000, required=False)
    interests = TranslatedTextField(max_length=2000, required=False)
    helix_sector = serializers.ChoiceField(
        choices=HelixSector.choices,
        required=False,
        help_text="Defaults to the usual sector of the organisation's kind.",
    )
    sectors = _terms(Vocabulary.SECTOR, many=True, required=False)
    technologies = _terms(Vocabulary.TECHNOLOGY, many=True, required=False)
    sdgs = _terms(Vocabulary.SDG, many=True, required=False)
    labs = _labs(many=True, required=False)

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS


class OrganisationFilterSerializer(serializers.Serializer):
    """The directory's filters, the same as the HTML directory's."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Name or region.")
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    helix_sector = serializers.ChoiceField(choices=HelixSector.choices, required=False)
    country = serializers.CharField(required=False, max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    lab = _labs(required=False, help_text="A lab's slug.")
    sector = _terms(Vocabulary.SECTOR, required=False, help_text="A sector code.")
    technology = _terms(Vocabulary.TECHNOLOGY, required=False, help_text="A technology code.")
    sdg = _terms(Vocabulary.SDG, required=False, help_text="An SDG code.")

    def selector_filters(self) -> dict:
        data = self.validated_data
        return {
            "query": data.get("q", "").strip(),
            "kind": data.get("kind", ""),
            "helix_sector": data.get("helix_sector", ""),
            "country": data.get("country", "").upper(),
            "lab": data.get("lab"),
            "sector": data.get("sector"),
            "technology": data.get("technology"),
            "sdg": data.get("sdg"),
        }


class OrganisationMembershipSerializer(serializers.ModelSerializer):
    person = PersonSerializer(source="user", read_only=True)

    class Meta:
        model = OrganisationMembership
        fields = ["id", "person", "role", "job_title", "created_at"]
        read_only_fields = fields


class OrganisationMembershipAddSerializer(serializers.Serializer):
    """Add a person (found by e-mail address) to the organisation, or change their role."""

    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=OrganisationRole.choices, default=OrganisationRole.MEMBER)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_email(self, value):
        user = get_user_model().objects.filter(email__iexact=value.strip(), is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("No active person has this e-mail address."))
        return user
