"""What must never be published: a marker and a person's e-mail planted in every private field of every
model that feeds OCDS never reach an export file, an /ocds/ page or the API.

Every text field of these models is planted except the few the publication policy publishes (``PUBLIC``,
by model): a new text field is private until someone decides otherwise here and in docs/ocds.md.
Every person involved gets the marker in their name and the planted address as e-mail.
"""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from govlab.core.i18n import TranslatedField
from govlab.ocds.models import Release
from govlab.ocds.publish import sync

pytestmark = pytest.mark.django_db

MARKER = "CONFIDENTIAL-MARKER-7431"
EMAIL = "planted.person@example.org"
NEEDLES = (MARKER, "planted.person", MARKER.lower())

# model label → the text fields the OCDS publication publishes (docs/ocds.md, the mapping table).
PUBLIC = {
    "labs.Lab": {"name", "slug"},
    "organisations.Organisation": {"name", "slug"},
    "challenges.Challenge": {"title", "problem_statement", "reference"},
    "calls.Call": {"title", "summary", "slug"},
    "calls.CallCriterion": {"name", "description"},
    "calls.CallDocument": {"title"},
    "calls.Enquiry": {"public_question", "answer", "language"},
    "calls.Application": {"reference"},
    "pilots.Pilot": {"title"},
    "procurement.ProcedureType": {"name", "ocds_method_details", "code"},
    "procurement.Award": {"title"},
    "contracts.Contract": {"title", "reference"},
    "contracts.ContractVersion": {"reason"},
    "contracts.ContractDocument": {"title"},  # of public documents only: a private one is planted below
    "contracts.ContractMilestone": {"title"},
}
FEEDING = [
    "labs.Lab",
    "organisations.Organisation",
    "challenges.Challenge",
    "challenges.ChallengeTeamMember",
    "challenges.ChallengeAttachment",
    "challenges.CriterionAssessment",
    "calls.Call",
    "calls.CallCriterion",
    "calls.CallDocument",
    "calls.FormQuestion",
    "calls.Enquiry",
    "calls.Application",
    "calls.ApplicationRevision",
    "calls.ApplicationFile",
    "evaluation.Review",
    "evaluation.ReviewRevision",
    "evaluation.ConflictDeclaration",
    "evaluation.ConsensusScore",
    "evaluation.PreselectionDecision",
    "evaluation.FeedbackLetter",
    "demoday.DemoDay",
    "demoday.Pitch",
    "demoday.JuryDeclaration",
    "demoday.JuryScore",
    "demoday.Selection",
    "demoday.Outcome",
    "pilots.Pilot",
    "pilots.PilotParticipants",
    "pilots.Hypothesis",
    "pilots.Metric",
    "pilots.Observation",
    "procurement.ProcedureType",
    "procurement.ProcurementProcess",
    "procurement.ProcessStep",
    "procurement.Award",
    "contracts.Contract",
    "contracts.ContractVersion",
    "contracts.ContractDocument",
    "contracts.ContractMilestone",
    "contracts.ScheduledPayment",
    "contracts.Payment",
    "contracts.ProgressReport",
    "contracts.ImplementationIssue",
    "contracts.LessonsLearned",
    "organisations.OrganisationMembership",
]
# Free-form JSON that holds what people wrote.
JSON_FIELDS = {
    "calls.Application": {"answers": {"pitch": MARKER, "contact": EMAIL}, "partners": [{"name": MARKER}]},
    "calls.ApplicationRevision": {
        "answers": {"pitch": MARKER, "contact": EMAIL},
        "partners": [{"name": MARKER}],
    },
    "evaluation.Review": {"comments": {"1": MARKER}},
    "evaluation.ReviewRevision": {"content": {"comments": MARKER}},
    "evaluation.FeedbackLetter": {"data": {"comments": [MARKER]}},
    "contracts.ContractVersion": {"terms": {"scope": MARKER}, "changes": {"scope": [MARKER, EMAIL]}},
    "challenges.Challenge": {"evidence_links": [f"https://example.org/{MARKER}"]},
    "pilots.Pilot": {"decision_analysis": {"note": MARKER}},
}
# Settings and fingerprints, not text people write (a time zone must stay a time zone).
STRUCTURAL = {
    "time_zone",
    "language",
    "primary_colour",
    "content_type",
    "sha256",
    "content_hash",
    "receipt_code",
    "randomisation_algorithm",
    "assignment_fingerprint",
    "last_editor",
}
SKIPPED_TYPES = (models.SlugField, models.URLField, models.FileField, models.UUIDField)


def planted_value(field, pk):
    if isinstance(field, TranslatedField):
        return {"en": f"{MARKER} {EMAIL}", "es": MARKER, "sv": MARKER}
    if isinstance(field, models.EmailField):
        return f"planted.person+{field.model.__name__.lower()}{pk}@example.org" if field.unique else EMAIL
    # With the row's id: unique together constraints (e.g. an invoice number per contract) still hold.
    for text in (f"{MARKER} {EMAIL} {pk}", f"{MARKER}{pk}"):
        if field.max_length is None or len(text) <= field.max_length:
            return None if field.unique else text
    return None


def plant_everything():
    planted = 0
    for label in FEEDING:
        model = apps.get_model(label)
        public = PUBLIC.get(label, set())
        for obj in model._default_manager.all():
            values = {}
            for field in model._meta.concrete_fields:
                if (
                    field.name in public
                    or field.name in STRUCTURAL
                    or field.primary_key
                    or field.is_relation
                    or field.choices
                ):
                    continue
                if isinstance(field, SKIPPED_TYPES):
                    continue
                if isinstance(
                    field, TranslatedField | models.CharField | models.TextField | models.EmailField
                ):
                    value = planted_value(field, obj.pk)
                    if value is not None:
                        values[field.name] = value
            values.update(JSON_FIELDS.get(label, {}))
            if label == "contracts.ContractDocument" and not obj.is_public:
                values["title"] = MARKER
            if label == "procurement.ProcessStep" and not obj.document_is_public:
                values["document"] = f"procurement/2026/{MARKER}.pdf"
            if values:
                model._default_manager.filter(pk=obj.pk).update(**values)
                planted += 1
    from govlab.accounts.models import User

    for n, user in enumerate(User.objects.order_by("pk")):
        email = EMAIL if n == 0 else f"planted.person{n}@example.org"
        User.objects.filter(pk=user.pk).update(email=email, full_name=f"{MARKER} Person {n}")
    return planted


def assert_clean(text: str, where: str):
    for needle in NEEDLES:
        assert needle not in text, f"{needle!r} published in {where}"


def test_nothing_private_is_ever_published(client, story, tmp_path):
    from govlab.challenges.models import ChallengeTeamMember

    ChallengeTeamMember.objects.create(
        challenge=story.challenge, role="legal", name="Someone", email="x@y.org"
    )
    assert plant_everything() > 50
    # A marker in the question as asked and the asker named: only the published wording goes out.
    from govlab.calls.models import Enquiry

    assert Enquiry.objects.filter(question__contains=MARKER).count() == 2
    result = sync(story.challenge)
    assert not result.refused
    tags = {tag for release in result.published for tag in release.tags}
    assert {"planning", "tender", "tenderUpdate", "award", "contract", "implementation"} <= tags

    for release in Release.objects.all():
        assert_clean(json.dumps(release.data, ensure_ascii=False), release.release_id)

    call_command("export_ocds", "--output", str(tmp_path), "--page-size", "3")
    files = list(Path(tmp_path).rglob("*.json"))
    assert len(files) >= 4
    for path in files:
        assert_clean(path.read_text(encoding="utf-8"), str(path))

    ocid = result.published[0].ocid
    lab = story.lab.slug
    urls = [
        reverse("ocds:index"),
        reverse("ocds:lab", args=[lab]),
        reverse("ocds:policy", args=[lab]),
        reverse("ocds:process", args=[ocid]),
        reverse("ocds:releases", args=[ocid]),
        reverse("ocds:record", args=[ocid]),
        reverse("ocds:bulk", args=[lab, 1]),
        f"/api/v1/ocds/processes/?lab={lab}",
        f"/api/v1/ocds/processes/{ocid}/releases/",
        f"/api/v1/ocds/processes/{ocid}/record/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(response.content.decode(), url)
    # The story is there, so the test is not vacuous.
    page = client.get(reverse("ocds:process", args=[ocid])).content.decode()
    assert "May a consortium apply?" in page
    assert "Deployment of the robot" in page


def test_no_enquiry_author_evaluator_or_person_field_exists_in_the_releases(published):
    def keys(value, found):
        if isinstance(value, dict):
            for key, item in value.items():
                found.add(key)
                keys(item, found)
        elif isinstance(value, list):
            for item in value:
                keys(item, found)
        return found

    found = set()
    for release in published.releases:
        keys(release.data, found)
    assert not found & {"author", "contactPoint", "email", "telephone", "faxNumber", "requirementResponses"}
