# ruff: noqa: F811  (the sweep fixture is imported from test_axe_sweep.py)
"""An axe sweep of the calls pages: public, solver and lab, in English and the four other languages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govlab.calls import services
from govlab.calls.enums import QuestionKind
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from tests.accounts.conftest import TOTP_SECRET
from tests.browser import BROWSER
from tests.factories import (
    LabFactory,
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)

from .test_axe_sweep import OTHER_LANGUAGES, sweep  # noqa: F401  (the fixture)

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]

SCALE = [
    {"value": v, "label": {"en": label}} for v, label in enumerate(("Absent", "Weak", "Good", "Excellent"))
]


def _build():
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    lab = LabFactory(slug="calls-lab", name={"en": "Calls Lab"}, languages=["en", "es", "fr", "pt", "sv"])
    manager = LabMembershipFactory(lab=lab, role="manager", user=UserFactory(full_name="Marta Manager")).user
    EmailAddress.objects.create(user=manager, email=manager.email, verified=True, primary=True)
    TOTP.activate(manager, TOTP_SECRET)
    entity = OrganisationFactory(name="City of Robots", kind="public_entity", helix_sector="government")
    challenge = Challenge.objects.create(
        lab=lab,
        owner=entity,
        created_by=manager,
        status=ChallengeStatus.READY_FOR_CALL,
        reference="CL-1",
        title={"en": "Answer citizens without robots", "es": "Responder sin robots"},
        problem_statement={"en": "Our challenge is that robots answer our phones."},
        country="LU",
        is_public=True,
    )
    now = timezone.now()
    call = services.call_create(
        lab=lab,
        created_by=manager,
        challenges=[challenge],
        criteria=[
            {"name": {"en": "Innovation"}, "weight": "60", "scale": SCALE},
            {"name": {"en": "Team"}, "weight": "40", "scale": SCALE},
        ],
        title={"en": "Bye bye Robots!", "fr": "Au revoir les robots !"},
        slug="bye-bye-robots",
        summary={"en": "Replace the phone robots.", "fr": "Remplacer les robots."},
        time_zone="Europe/Luxembourg",
        deadline=now + dt.timedelta(days=10),
        enquiries_close_at=now + dt.timedelta(days=5),
        strengthening_budget=Decimal("20000"),
    )
    for key, kind, config in (
        ("solution_name", QuestionKind.SHORT_TEXT, {"max_length": 100}),
        ("approach", QuestionKind.LONG_TEXT, {"max_length": 500}),
        ("price", QuestionKind.MONEY, {"currency": "EUR"}),
        ("start", QuestionKind.DATE, {}),
        ("sector", QuestionKind.SINGLE_CHOICE, {"choices": ["health", "transport"]}),
        ("channels", QuestionKind.MULTIPLE_CHOICE, {"choices": ["phone", "chat", "mail"]}),
        ("tested", QuestionKind.YES_NO, {}),
        ("demo", QuestionKind.URL, {}),
        ("deck", QuestionKind.FILE, {"extensions": ["pdf"], "max_mb": 5}),
        (
            "team",
            QuestionKind.GROUP,
            {
                "fields": [
                    {"key": "name", "kind": "short_text", "label": "Name"},
                    {"key": "cv", "kind": "url", "label": "CV"},
                ]
            },
        ),
    ):
        services.question_save(
            call=call,
            updated_by=manager,
            key=key,
            kind=kind,
            label={"en": key.replace("_", " ").capitalize()},
            required=key in ("solution_name", "approach"),
            config=config,
        )
    services.call_publish(call=call, published_by=manager)
    call.refresh_from_db()
    services.call_document_add(
        call=call,
        file=SimpleUploadedFile("terms.pdf", b"%PDF-1.7 terms"),
        title={"en": "Terms"},
        uploaded_by=manager,
    )
    solver = OrganisationFactory(
        name="Human First", kind="startup", helix_sector="business", country="LU", trl=6
    )
    founder = OrganisationMembershipFactory(
        organisation=solver, role="admin", user=UserFactory(full_name="Fanny")
    ).user
    enquiry = services.enquiry_ask(call=call, asked_by=founder, question="May consortia apply?")
    services.enquiry_answer(
        enquiry=enquiry,
        answered_by=manager,
        answer={"en": "Yes."},
        public_question={"en": "May consortia apply?"},
    )
    services.enquiry_ask(call=call, asked_by=founder, question="Is there a template?")
    application, _ = services.application_start(
        call=call, challenge=challenge, organisation=solver, started_by=founder
    )
    services.application_save(
        application=application,
        saved_by=founder,
        answers={"solution_name": "Human first", "approach": "People answer.", "team": [{"name": "Fanny"}]},
        declarations={"eligibility": True, "terms": True, "truthful": True},
    )
    revision = services.application_submit(
        application=application, submitted_by=founder, received_at=timezone.now()
    )
    return {
        "lab": lab,
        "manager": manager,
        "call": call,
        "founder": founder,
        "application": application,
        "revision": revision,
        "enquiry": enquiry,
    }


def test_axe_calls_public_solver_and_lab_pages(sweep):
    data = _build()
    lab, call, application = data["lab"], data["call"], data["application"]
    public = f"/calls/{lab.slug}/{call.slug}/"
    sweep.visit(
        "/calls/",
        "/calls/?state=closed",
        public,
        "/calls/receipts/verify/",
        f"/calls/receipts/verify/?receipt_code={data['revision'].receipt_code}&content_hash={data['revision'].content_hash}",
        "/organisations/?solvers=1",
    )
    sweep.sign_in(data["founder"])
    sweep.visit(
        public,
        "/calls/mine/",
        "/calls/following/",
        f"/calls/applications/{application.reference}/",
        f"/calls/applications/{application.reference}/receipts/1/",
        f"/calls/applications/{application.reference}/withdraw/",
    )
    sweep.sign_in(data["manager"])
    base = f"/calls/lab/{lab.slug}"
    sweep.visit(
        f"{base}/",
        f"{base}/new/",
        f"{base}/{call.pk}/",
        f"{base}/{call.pk}/edit/",
        f"{base}/{call.pk}/criteria/",
        f"{base}/{call.pk}/documents/",
        f"{base}/{call.pk}/form/",
        f"{base}/{call.pk}/form/new/",
        f"{base}/{call.pk}/form/new/?kind=group",
        f"{base}/{call.pk}/form/preview/proposal/",
        f"{base}/{call.pk}/publish/",
        f"{base}/{call.pk}/cancel/",
        f"{base}/{call.pk}/enquiries/",
        f"{base}/{call.pk}/extensions/",
        f"{base}/{call.pk}/applications/{application.reference}/",
    )
    sweep.submit_empty(f"{base}/new/", "main button[type=submit]")
    sweep.assert_clean()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_axe_calls_pages_in_other_languages(sweep, language):
    data = _build()
    prefix = f"/{language}"
    call, application = data["call"], data["application"]
    sweep.visit(f"{prefix}/calls/", f"{prefix}/calls/{data['lab'].slug}/{call.slug}/")
    assert sweep.page.locator("html").get_attribute("lang") == language
    sweep.sign_in(data["founder"])
    sweep.visit(f"{prefix}/calls/mine/", f"{prefix}/calls/applications/{application.reference}/")
    sweep.sign_in(data["manager"])
    sweep.visit(
        f"{prefix}/calls/lab/{data['lab'].slug}/{call.pk}/",
        f"{prefix}/calls/lab/{data['lab'].slug}/{call.pk}/form/",
    )
    sweep.assert_clean()
