"""Writes of the OCDS app: a lab's publication settings (releases are appended by ``publish.sync``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govlab.audit.services import audit_record, diff_fields, snapshot
from govlab.core.refusals import coded

from .models import PublicationSettings, Release, validate_prefix
from .publish import publication_for
from .rules import require

SETTINGS_FIELDS = ("prefix", "publisher_name", "publisher_uri", "license_url", "policy")


@transaction.atomic
def publication_settings_save(*, lab, by, **data) -> PublicationSettings:
    """Change how ``lab`` publishes. The prefix is fixed once a release has been published with it."""
    require(by, "manage_publication", lab)
    publication = publication_for(lab)
    publication = PublicationSettings.objects.select_for_update().get(pk=publication.pk)
    before = snapshot(publication, SETTINGS_FIELDS)
    errors: dict[str, list] = {}
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise coded({"__all__": [_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}]}, "invalid")
    if "prefix" in data and data["prefix"] != publication.prefix:
        try:
            validate_prefix(data["prefix"])
        except ValidationError as error:
            errors["prefix"] = error.messages
        else:
            if Release.objects.filter(lab=lab).exists():
                errors["prefix"] = [
                    _("Releases are already published with %(p)s: an ocid never changes.")
                    % {"p": publication.prefix}
                ]
    if "publisher_name" in data and not (data["publisher_name"] or "").strip():
        errors["publisher_name"] = [_("Name the publisher.")]
    if "license_url" in data and not (data["license_url"] or "").strip():
        errors["license_url"] = [_("Give the licence's address.")]
    if errors:
        raise coded(errors, "invalid")
    for name, value in data.items():
        setattr(publication, name, value.strip() if isinstance(value, str) else value)
    try:
        publication.full_clean(exclude=["lab"])
    except ValidationError as error:
        raise coded(error.message_dict, "invalid") from error
    publication.save()
    changes = diff_fields(publication, before, SETTINGS_FIELDS)
    if changes:
        audit_record(actor=by, action="ocds.settings_changed", target=publication, lab=lab, changes=changes)
    return publication
