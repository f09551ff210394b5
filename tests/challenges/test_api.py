import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, TeamRole
from govlab.challenges.models import (
    Challenge,
    ChallengeAttachment,
    ChallengeTeamMember,
    CriterionAssessment,
    IntakeCampaign,
    LegalRegime,
    ViabilityCriterion,
    WorksheetVersion,
)
from govlab.taxonomy.models import Term
from tests.factories import (
    LabFactory,
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)

API = "/api/v1"
ROLES = [
    "anonymous",
    "other_lab_staff",
    "organisation_member",
    "entity_member",
    "evaluator",
    "staff",
    "manager",
]


@pytest.fixture
def as_role(client, login, role_user, entity_member):
    """A test client signed in as the role (not signed in for "anonymous"), and the user."""

    def make(role: str):
        if role == "anonymous":
            return client, None
        user = entity_member if role == "entity_member" else role_user(role)
        return login(user), user

    return make


def _state():
    """Everything an endpoint could change, to assert that a refusal changed nothing."""
    return (
        list(
            Challenge.objects.order_by("pk").values_list(
                "pk", "status", "version", "region", "priority_rank", "budget_amount", "title"
            )
        ),
        AuditEntry.objects.count(),
        CriterionAssessment.objects.count(),
        WorksheetVersion.objects.count(),
        ChallengeTeamMember.objects.count(),
        ChallengeAttachment.objects.count(),
        list(IntakeCampaign.objects.order_by("pk").values_list("pk", "title", "is_published")),
        ViabilityCriterion.objects.count(),
        list(LegalRegime.objects.order_by("pk").values_list("pk", "name")),
    )


def _pdf(name="evidence.pdf", size=0):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def _expect(ok: int, *, entity: int, lab: int, anonymous: int = 401, others: int = 404) -> dict:
    table = dict.fromkeys(ROLES, others)
    table["anonymous"] = anonymous
    table["entity_member"] = ok if entity == 0 else entity
    for role in ("staff", "manager"):
        table[role] = ok if lab == 0 else lab
    return table


PRIVATE_READ = _expect(200, entity=0, lab=0, anonymous=404)
LAB_WRITE = _expect(200, entity=403, lab=0)
ENTITY_WRITE_DRAFT = _expect(200, entity=0, lab=404)


def _shared(ok):
    return _expect(ok, entity=0, lab=0)


# name: (state, method, path, payload, expected statuses)
ENDPOINTS = {
    "detail_submitted": (ChallengeStatus.SUBMITTED, "get", "", None, PRIVATE_READ),
    "detail_draft": (ChallengeStatus.DRAFT, "get", "", None, _expect(200, entity=0, lab=404, anonymous=404)),
    "update": (
        ChallengeStatus.DRAFT,
        "patch",
        "",
        lambda c: {"version": c.version, "region": "Antioquia"},
        ENTITY_WRITE_DRAFT,
    ),
    "transition": (ChallengeStatus.SUBMITTED, "post", "transition/", {"to": "in_screening"}, LAB_WRITE),
    "transitions": (ChallengeStatus.SUBMITTED, "get", "transitions/", None, PRIVATE_READ),
    "assess": (
        ChallengeStatus.IN_SCREENING,
        "post",
        "assessments/",
        lambda c: {"criterion": c.campaign.criteria.first().pk, "answer": "met", "note": "Clear owner"},
        LAB_WRITE,
    ),
    "assessments": (ChallengeStatus.IN_SCREENING, "get", "assessments/", None, PRIVATE_READ),
    "priority": (ChallengeStatus.ACCEPTED, "post", "priority/", {"rank": 1}, LAB_WRITE),
    "characterise": (
        ChallengeStatus.CHARACTERISING,
        "patch",
        "characterisation/",
        lambda c: {"version": c.version, "expected_duration_months": 6},
        _shared(200),
    ),
    "budget": (
        ChallengeStatus.CHARACTERISING,
        "post",
        "budget/",
        {"amount": "150000000.00", "currency": "COP", "source": "2026 budget"},
        _shared(200),
    ),
    "worksheets": (ChallengeStatus.CHARACTERISING, "get", "worksheets/", None, PRIVATE_READ),
    "worksheet": (ChallengeStatus.CHARACTERISING, "get", "worksheets/five_whys/", None, PRIVATE_READ),
    "worksheet_save": (
        ChallengeStatus.CHARACTERISING,
        "post",
        "worksheets/five_whys/",
        {"data": {"problem": "Bots", "whys": ["Weak captcha"], "root_cause": "Old system"}},
        _shared(201),
    ),
    "team": (ChallengeStatus.CHARACTERISING, "get", "team/", None, PRIVATE_READ),
    "team_add": (
        ChallengeStatus.CHARACTERISING,
        "post",
        "team/",
        {"role": "legal", "name": "Ana Legal", "job_title": "Counsel"},
        _shared(201),
    ),
    "team_remove": (
        ChallengeStatus.CHARACTERISING,
        "delete",
        lambda c: f"team/{ChallengeTeamMember.objects.create(challenge=c, role='legal', name='X').pk}/",
        None,
        _shared(204),
    ),
    "attachments": (ChallengeStatus.CHARACTERISING, "get", "attachments/", None, PRIVATE_READ),
    "attach": (
        ChallengeStatus.CHARACTERISING,
        "multipart",
        "attachments/",
        lambda c: {"file": _pdf(), "description": "Survey"},
        _shared(201),
    ),
    "attachment_remove": (
        ChallengeStatus.CHARACTERISING,
        "delete",
        lambda c: "attachments/{}/".format(
            ChallengeAttachment.objects.create(
                challenge=c, file=_pdf(), original_name="a.pdf", size=9, uploaded_by=c.created_by
            ).pk
        ),
        None,
        _shared(204),
    ),
}


def _call(client, method, url, payload):
    if method == "get":
        return client.get(url)
    if method == "multipart":
        return client.post(url, payload)
    return getattr(client, method)(url, payload, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_challenge_endpoint_role_matrix(endpoint, role, as_role, make_challenge, mailoutbox):
    state, method, path, payload, expected = ENDPOINTS[endpoint]
    challenge = make_challenge(status=state)
    path = path(challenge) if callable(path) else path
    payload = payload(challenge) if callable(payload) else payload
    client, _user = as_role(role)
    before = _state()
    response = _call(client, method, f"{API}/challenges/{challenge.reference}/{path}", payload)
    assert response.status_code == expected[role], response.content
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}
        assert _state() == before
        assert mailoutbox == []
    elif method != "get":
        assert _state() != before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_challenge_create_role_matrix(role, as_role, lab, entity, campaign, mailoutbox):
    client, user = as_role(role)
    before = _state()
    response = client.post(
        f"{API}/challenges/",
        {"lab": lab.slug, "owner": entity.slug, "campaign": campaign.pk, "title": {"es": "Recibos"}},
        content_type="application/json",
    )
    expected = {"anonymous": 401, "entity_member": 201}.get(role, 403)
    assert response.status_code == expected, response.content
    if expected == 201:
        challenge = Challenge.objects.get(reference=response.json()["reference"])
        assert (challenge.owner, challenge.created_by, challenge.status) == (entity, user, "draft")
        assert response.json()["version"] == 1
    else:
        assert _state() == before
        assert mailoutbox == []


@pytest.fixture
def published(campaign):
    return campaign


@pytest.fixture
def unpublished(lab):
    now = timezone.now()
    return IntakeCampaign.objects.create(
        lab=lab,
        title={"en": "Internal call"},
        slug="internal",
        opens_at=now,
        closes_at=now + dt.timedelta(days=10),
        is_published=False,
    )


STAFF_WRITE = dict.fromkeys(ROLES, 403) | {"anonymous": 401, "staff": 0, "manager": 0}


def _staff(ok):
    return {role: (ok if status == 0 else status) for role, status in STAFF_WRITE.items()}


CAMPAIGN_ENDPOINTS = {
    "campaign_list": ("get", lambda f: "/campaigns/", None, dict.fromkeys(ROLES, 200)),
    "campaign_detail": ("get", lambda f: f"/campaigns/{f['published'].pk}/", None, dict.fromkeys(ROLES, 200)),
    "campaign_unpublished": (
        "get",
        lambda f: f"/campaigns/{f['unpublished'].pk}/",
        None,
        dict.fromkeys(ROLES, 404) | {"staff": 200, "manager": 200},
    ),
    "campaign_create": (
        "post",
        lambda f: "/campaigns/",
        lambda f: {
            "lab": f["lab"].slug,
            "slug": "call-2027",
            "title": {"en": "Call 2027"},
            "opens_at": "2027-01-01T00:00:00Z",
            "closes_at": "2027-03-01T00:00:00Z",
            "criteria": [{"name": {"en": "Budget for the purchase"}}],
        },
        _staff(201),
    ),
    "campaign_update": (
        "patch",
        lambda f: f"/campaigns/{f['published'].pk}/",
        {"title": {"en": "Renamed"}},
        _staff(200),
    ),
    "criterion_add": (
        "post",
        lambda f: f"/campaigns/{f['published'].pk}/criteria/",
        {"name": {"en": "Pilot infrastructure"}},
        _staff(201),
    ),
    "criterion_change": (
        "patch",
        lambda f: f"/campaigns/{f['published'].pk}/criteria/{f['published'].criteria.first().pk}/",
        {"name": {"en": "A clear problem owner"}},
        _staff(200),
    ),
    "criterion_remove": (
        "delete",
        lambda f: f"/campaigns/{f['published'].pk}/criteria/{f['published'].criteria.first().pk}/",
        None,
        _staff(204),
    ),
    "regime_list": ("get", lambda f: "/legal-regimes/", None, dict.fromkeys(ROLES, 200)),
    "regime_create": (
        "post",
        lambda f: "/legal-regimes/",
        lambda f: {"lab": f["lab"].slug, "name": {"es": "Manual de contratación propio"}},
        _staff(201),
    ),
    "regime_update": (
        "patch",
        lambda f: f"/legal-regimes/{f['regime'].pk}/",
        {"name": {"en": "Law 80 of 1993"}},
        _staff(200),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(CAMPAIGN_ENDPOINTS))
def test_campaign_and_regime_role_matrix(
    endpoint, role, as_role, lab, published, unpublished, regime, mailoutbox
):
    method, path, payload, expected = CAMPAIGN_ENDPOINTS[endpoint]
    fixtures = {"lab": lab, "published": published, "unpublished": unpublished, "regime": regime}
    payload = payload(fixtures) if callable(payload) else payload
    client, _user = as_role(role)
    before = _state()
    response = _call(client, method, API + path(fixtures), payload)
    assert response.status_code == expected[role], response.content
    if response.status_code >= 400:
        assert _state() == before
        assert mailoutbox == []
    elif method != "get":
        assert _state() != before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_list_shows_each_role_what_it_may_see(role, as_role, make_challenge, lab):
    public = make_challenge(status=ChallengeStatus.READY_FOR_CALL, is_public=True)
    hidden_ready = make_challenge(status=ChallengeStatus.READY_FOR_CALL, is_public=False)
    submitted = make_challenge(status=ChallengeStatus.SUBMITTED, is_public=True)
    draft = make_challenge(status=ChallengeStatus.DRAFT)
    other_entity = OrganisationFactory(kind="public_entity")
    elsewhere = Challenge.objects.create(
        lab=LabFactory(),
        owner=other_entity,
        created_by=public.created_by,
        status=ChallengeStatus.SUBMITTED,
        reference="ELSEWHERE-1",
        title={"en": "Elsewhere"},
    )
    client, _user = as_role(role)
    response = client.get(f"{API}/challenges/")
    assert response.status_code == 200
    seen = {row["reference"] for row in response.json()["results"]}
    lab_side = {public.reference, hidden_ready.reference, submitted.reference}
    expected = {
        "entity_member": lab_side | {draft.reference},
        "staff": lab_side,
        "manager": lab_side,
    }.get(role, {public.reference})
    assert seen == expected
    assert elsewhere.reference not in seen


@pytest.mark.django_db
def test_list_filters(client, make_challenge, lab, campaign):
    sdg = Term.objects.get(vocabulary="sdg", code="sdg-16")
    sector = Term.objects.get(vocabulary="sector", code="justice")
    first = make_challenge(
        status=ChallengeStatus.READY_FOR_CALL,
        is_public=True,
        title={"es": "Trámites del cannabis", "en": "Cannabis procedures"},
    )
    first.sdgs.add(sdg)
    first.sectors.add(sector)
    second = make_challenge(
        status=ChallengeStatus.CHARACTERISING, is_public=True, country="LU", title={"en": "Bye bye Robots!"}
    )
    url = f"{API}/challenges/"

    def refs(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [row["reference"] for row in response.json()["results"]]

    assert refs(q="cannabis") == [first.reference]
    assert refs(q="robots bye") == [second.reference]
    assert refs(sdg="sdg-16") == [first.reference]
    assert refs(sector="justice") == [first.reference]
    assert refs(status="characterising") == [second.reference]
    assert refs(country="lu") == [second.reference]
    assert sorted(refs(lab=lab.slug)) == sorted([first.reference, second.reference])
    assert refs(lab="nowhere") == []
    assert sorted(refs(campaign=campaign.pk)) == sorted([first.reference, second.reference])
    assert refs(ordering="updated") == [second.reference, first.reference]
    assert client.get(url, {"campaign": "x"}).json()["error"]["fields"] == {
        "campaign": ["Give a campaign's id."]
    }


@pytest.mark.django_db
def test_public_detail_shows_only_the_published_sections(client, login, make_challenge, entity_member):
    challenge = make_challenge(
        status=ChallengeStatus.READY_FOR_CALL,
        is_public=True,
        public_sections=["background"],
        background={"en": "Since 2019"},
        constraints={"en": "Secret constraint"},
        decision_message="Internal note",
    )
    public = client.get(f"{API}/challenges/{challenge.reference}/").json()
    assert public["background"] == {"en": "Since 2019"}
    for hidden in ("constraints", "decision_message", "version", "team", "budget_amount", "region"):
        assert hidden not in public
    assert public["timeline"] == []
    private = login(entity_member).get(f"{API}/challenges/{challenge.reference}/").json()
    assert private["constraints"] == {"en": "Secret constraint"}
    assert private["decision_message"] == "Internal note"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "target", "actor", "status", "code"),
    [
        (ChallengeStatus.DRAFT, ChallengeStatus.SUBMITTED, "entity", 200, None),
        (ChallengeStatus.SUBMITTED, ChallengeStatus.IN_SCREENING, "staff", 200, None),
        (ChallengeStatus.IN_SCREENING, ChallengeStatus.ACCEPTED, "manager", 200, None),
        (ChallengeStatus.ACCEPTED, ChallengeStatus.CHARACTERISING, "entity", 200, None),
        (ChallengeStatus.MORE_INFO_REQUESTED, ChallengeStatus.IN_SCREENING, "entity", 200, None),
        (ChallengeStatus.IN_SCREENING, ChallengeStatus.ACCEPTED, "entity", 403, "not_allowed"),
        (ChallengeStatus.SUBMITTED, ChallengeStatus.WITHDRAWN, "staff", 403, "not_allowed"),
        (ChallengeStatus.SUBMITTED, ChallengeStatus.ACCEPTED, "manager", 400, "invalid_transition"),
        (ChallengeStatus.DRAFT, ChallengeStatus.SUBMITTED, "staff", 404, "not_found"),
    ],
)
def test_transitions_through_the_api(source, target, actor, status, code, make_challenge, actor_for, login):
    challenge = make_challenge(status=source)
    user = actor_for(actor)
    audit_before = AuditEntry.objects.count()
    response = login(user).post(
        f"{API}/challenges/{challenge.reference}/transition/",
        {"to": target},
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    challenge.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == target
        assert challenge.status == target
        assert response.json()["timeline"][-1]["to_status"] == target
    else:
        assert response.json()["error"]["code"] == code
        assert challenge.status == source
        assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_decline_and_request_information_say_what_is_missing(make_challenge, actor_for, login):
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    client = login(actor_for("staff"))
    url = f"{API}/challenges/{challenge.reference}/transition/"
    response = client.post(url, {"to": "declined", "reason": "No money"}, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["decline_reason"]
    response = client.post(url, {"to": "more_info_requested"}, content_type="application/json")
    assert list(response.json()["error"]["fields"]) == ["reason"]
    response = client.post(
        url,
        {"to": "declined", "message": "No budget line yet", "reason_category": "no_budget"},
        content_type="application/json",
    )
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert (challenge.status, challenge.decline_reason, challenge.decision_message) == (
        "declined",
        "no_budget",
        "No budget line yet",
    )


@pytest.mark.django_db
def test_submit_refusal_lists_the_missing_fields(make_challenge, entity_member, login):
    challenge = make_challenge(title={}, country="")
    response = login(entity_member).post(
        f"{API}/challenges/{challenge.reference}/transition/",
        {"to": "submitted"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "incomplete"
    assert error["fields"] == {
        "title": ["Give the challenge a title."],
        "country": ["Say in which country the challenge is."],
    }


@pytest.mark.django_db
def test_readiness_gate_refuses_with_exactly_the_gaps(make_challenge, actor_for, login, regime):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    staff = actor_for("staff")
    for role in TeamRole.values:
        services.team_member_add(challenge=challenge, added_by=staff, role=role, name=f"{role} lead")
    services.challenge_characterise(challenge=challenge, updated_by=staff, legal_regime=regime)
    client = login(staff)
    url = f"{API}/challenges/{challenge.reference}/transition/"
    audit_before = AuditEntry.objects.count()
    response = client.post(url, {"to": "ready_for_call"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "not_ready",
        "message": "The readiness checklist is not met.",
        "fields": {
            "budget": ["Confirm the budget for the purchase (amount, currency, source)."],
            "characterisation": [
                "Complete the characterisation: technical characteristics, required functionalities, "
                "expected duration, estimated cost, Problem tree, “How might we” statements, Needs analysis."
            ],
            "pilot_infrastructure": ["Confirm that infrastructure to host a pilot is available."],
        },
    }
    options = client.get(f"{API}/challenges/{challenge.reference}/transitions/").json()
    ready = next(option for option in options if option["to"] == "ready_for_call")
    assert [gap["code"] for gap in ready["gaps"]] == ["budget", "characterisation", "pilot_infrastructure"]
    assert ready["can_override"] is False
    response = client.post(
        url, {"to": "ready_for_call", "override_justification": "Urgent"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (403, "not_allowed")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.CHARACTERISING
    assert AuditEntry.objects.count() == audit_before
    manager = login(actor_for("manager"))
    response = manager.post(
        url,
        {"to": "ready_for_call", "override_justification": "The minister committed the budget."},
        content_type="application/json",
    )
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert (challenge.status, challenge.readiness_override) == (
        ChallengeStatus.READY_FOR_CALL,
        "The minister committed the budget.",
    )


@pytest.mark.django_db
def test_ready_challenge_passes_the_gate(make_challenge, make_ready, actor_for, login):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    staff = actor_for("staff")
    make_ready(challenge, staff)
    response = login(staff).post(
        f"{API}/challenges/{challenge.reference}/transition/",
        {"to": "ready_for_call"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "ready_for_call"


@pytest.mark.django_db
def test_second_of_two_edits_on_the_same_version_gets_409(make_challenge, entity_member, login):
    challenge = make_challenge()
    client = login(entity_member)
    url = f"{API}/challenges/{challenge.reference}/"
    loaded = client.get(url).json()["version"]
    first = client.patch(url, {"version": loaded, "region": "Antioquia"}, content_type="application/json")
    assert first.status_code == 200
    assert first.json()["version"] == loaded + 1
    second = client.patch(url, {"version": loaded, "region": "Cundinamarca"}, content_type="application/json")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    assert second.json()["error"]["fields"] == {}
    challenge.refresh_from_db()
    assert (challenge.region, challenge.version) == ("Antioquia", loaded + 1)
    missing = client.patch(url, {"region": "Cundinamarca"}, content_type="application/json")
    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["version"]


@pytest.mark.django_db
def test_characterisation_on_a_stale_version_gets_409(make_challenge, actor_for, login):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    client = login(actor_for("staff"))
    url = f"{API}/challenges/{challenge.reference}/characterisation/"
    version = challenge.version
    ok = client.patch(
        url, {"version": version, "expected_duration_months": 6}, content_type="application/json"
    )
    assert ok.status_code == 200
    stale = client.patch(
        url, {"version": version, "expected_duration_months": 9}, content_type="application/json"
    )
    assert stale.status_code == 409
    challenge.refresh_from_db()
    assert challenge.expected_duration_months == 6


@pytest.mark.django_db
def test_update_refuses_bad_input_and_changes_nothing(make_challenge, entity_member, login):
    challenge = make_challenge()
    client = login(entity_member)
    url = f"{API}/challenges/{challenge.reference}/"
    before = _state()
    response = client.patch(
        url,
        {"version": challenge.version, "country": "XX", "evidence_links": ["not a link"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["evidence_links"]
    response = client.patch(
        url, {"version": challenge.version, "title": {"xx": "Nope"}}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["title"]
    assert _state() == before


@pytest.mark.django_db
def test_text_with_markup_is_kept_as_text(make_challenge, entity_member, login):
    challenge = make_challenge()
    client = login(entity_member)
    title = {"en": "<script>alert(1)</script> Bots"}
    response = client.patch(
        f"{API}/challenges/{challenge.reference}/",
        {"version": challenge.version, "title": title},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["title"] == title
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_budget_in_a_wrong_currency_format_is_refused(make_challenge, actor_for, login):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    client = login(actor_for("staff"))
    url = f"{API}/challenges/{challenge.reference}/budget/"
    response = client.post(
        url, {"amount": "1000", "currency": "euros", "source": "2026"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "budget_currency": ["Give a currency as its three-letter code, e.g. EUR or COP."]
    }
    response = client.post(
        url, {"amount": "1.000,50", "currency": "EUR", "source": "2026"}, content_type="application/json"
    )
    assert list(response.json()["error"]["fields"]) == ["amount"]
    challenge.refresh_from_db()
    assert challenge.budget_amount is None
    response = client.post(
        url, {"amount": "1000.50", "currency": "EUR", "source": "2026"}, content_type="application/json"
    )
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert (challenge.budget_amount, challenge.budget_currency) == (Decimal("1000.50"), "EUR")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "code_word"),
    [
        (lambda: _pdf("big.pdf", 50 * 1024 * 1024), "largest accepted"),
        (
            lambda: SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf"),
            "does not contain what its name says",
        ),
        (lambda: SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream"), "file type"),
    ],
    ids=["50mb", "exe-renamed-pdf", "exe"],
)
def test_attachment_limits(upload, code_word, make_challenge, entity_member, login):
    challenge = make_challenge()
    response = login(entity_member).post(
        f"{API}/challenges/{challenge.reference}/attachments/", {"file": upload()}
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["file"]
    assert code_word in fields["file"][0]
    assert ChallengeAttachment.objects.count() == 0


@pytest.mark.django_db
def test_attachment_upload_and_list(make_challenge, entity_member, login):
    challenge = make_challenge()
    client = login(entity_member)
    url = f"{API}/challenges/{challenge.reference}/attachments/"
    response = client.post(url, {"file": _pdf(size=100), "description": "Survey results"})
    assert response.status_code == 201
    assert response.json()["original_name"] == "evidence.pdf"
    assert [row["description"] for row in client.get(url).json()] == ["Survey results"]


@pytest.mark.django_db
def test_worksheet_versions_are_kept(make_challenge, entity_member, login):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    client = login(entity_member)
    url = f"{API}/challenges/{challenge.reference}/worksheets/how_might_we/"
    assert (
        client.post(url, {"data": {"statements": ["First"]}}, content_type="application/json").status_code
        == 201
    )
    response = client.post(
        url, {"data": {"statements": ["Second"]}, "complete": True}, content_type="application/json"
    )
    assert response.status_code == 201
    body = client.get(url).json()
    assert (body["current_version"], body["is_complete"]) == (2, True)
    assert [v["data"]["statements"] for v in body["versions"]] == [["Second"], ["First"]]
    incomplete = client.post(
        f"{API}/challenges/{challenge.reference}/worksheets/five_whys/",
        {"data": {"problem": "Bots"}, "complete": True},
        content_type="application/json",
    )
    assert incomplete.status_code == 400
    assert sorted(incomplete.json()["error"]["fields"]) == ["root_cause", "whys"]
    assert client.get(f"{API}/challenges/{challenge.reference}/worksheets/unknown/").status_code == 404


@pytest.mark.django_db
def test_batch_transition_matches_single_transitions(make_challenge, actor_for, login, other_lab):
    staff = actor_for("staff")
    batch = [make_challenge(status=ChallengeStatus.SUBMITTED) for _ in range(2)]
    draft = make_challenge(status=ChallengeStatus.DRAFT)
    single = make_challenge(status=ChallengeStatus.SUBMITTED)
    client = login(staff)
    response = client.post(
        f"{API}/challenges/transition-batch/",
        {"references": [c.reference for c in batch] + [draft.reference, "NOPE-1"], "to": "in_screening"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == [
        {"reference": batch[0].reference, "ok": True, "status": "in_screening", "errors": []},
        {"reference": batch[1].reference, "ok": True, "status": "in_screening", "errors": []},
        {"reference": draft.reference, "ok": False, "status": None, "errors": ["Not found."]},
        {"reference": "NOPE-1", "ok": False, "status": None, "errors": ["Not found."]},
    ]
    client.post(
        f"{API}/challenges/{single.reference}/transition/",
        {"to": "in_screening"},
        content_type="application/json",
    )
    entries = {
        c.pk: list(AuditEntry.objects.filter(target_id=str(c.pk)).values_list("action", "changes"))
        for c in [*batch, single]
    }
    assert entries[batch[0].pk] == entries[batch[1].pk] == entries[single.pk]
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_batch_transition_role_matrix(role, as_role, make_challenge, mailoutbox):
    challenge = make_challenge(status=ChallengeStatus.SUBMITTED)
    client, _user = as_role(role)
    before = _state()
    response = client.post(
        f"{API}/challenges/transition-batch/",
        {"references": [challenge.reference], "to": "in_screening"},
        content_type="application/json",
    )
    if role == "anonymous":
        assert response.status_code == 401
        assert _state() == before
        return
    assert response.status_code == 200
    allowed = role in ("staff", "manager")
    assert response.json()[0]["ok"] is allowed
    challenge.refresh_from_db()
    assert challenge.status == (ChallengeStatus.IN_SCREENING if allowed else ChallengeStatus.SUBMITTED)
    if not allowed:
        assert _state() == before
        assert mailoutbox == []


@pytest.mark.django_db
def test_batch_by_the_entity_is_refused_per_challenge(make_challenge, entity_member, login):
    challenge = make_challenge(status=ChallengeStatus.SUBMITTED)
    response = login(entity_member).post(
        f"{API}/challenges/transition-batch/",
        {"references": [challenge.reference], "to": "in_screening"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()[0]["ok"] is False
    assert response.json()[0]["errors"] == ["You may not do this: start screening."]
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SUBMITTED


@pytest.mark.django_db
def test_screening_assessment_and_priority(make_challenge, actor_for, login, campaign):
    staff = actor_for("staff")
    client = login(staff)
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    criterion = campaign.criteria.order_by("position").first()
    url = f"{API}/challenges/{challenge.reference}/assessments/"
    response = client.post(
        url,
        {"criterion": criterion.pk, "answer": "not_met", "note": "No owner"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.get(url).json() == [
        {
            "criterion": criterion.pk,
            "criterion_name": {"en": "Clear problem owner"},
            "answer": "not_met",
            "note": "No owner",
            "updated_at": response.json()["updated_at"],
        }
    ]
    other = ViabilityCriterion.objects.create(
        campaign=IntakeCampaign.objects.create(
            lab=challenge.lab,
            slug="other",
            title={"en": "Other"},
            opens_at=timezone.now(),
            closes_at=timezone.now() + dt.timedelta(days=1),
        ),
        name={"en": "Elsewhere"},
    )
    refused = client.post(url, {"criterion": other.pk, "answer": "met"}, content_type="application/json")
    assert (refused.status_code, list(refused.json()["error"]["fields"])) == (400, ["criterion"])
    accepted = [make_challenge(status=ChallengeStatus.ACCEPTED) for _ in range(2)]
    for target in accepted:
        client.post(
            f"{API}/challenges/{target.reference}/priority/", {"rank": 1}, content_type="application/json"
        )
    ranks = dict(Challenge.objects.filter(pk__in=[c.pk for c in accepted]).values_list("pk", "priority_rank"))
    assert ranks == {accepted[1].pk: 1, accepted[0].pk: 2}


@pytest.mark.django_db
def test_public_challenge_action_refused_with_403(make_challenge, role_user, login):
    challenge = make_challenge(status=ChallengeStatus.READY_FOR_CALL, is_public=True)
    evaluator = role_user("evaluator")
    response = login(evaluator).post(
        f"{API}/challenges/{challenge.reference}/transition/",
        {"to": "abandoned", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_allowed"


def _public_rows(make_challenge, count):
    sdg = Term.objects.get(vocabulary="sdg", code="sdg-09")
    sector = Term.objects.get(vocabulary="sector", code="health")
    for _ in range(count):
        challenge = make_challenge(status=ChallengeStatus.READY_FOR_CALL, is_public=True)
        challenge.sdgs.add(sdg)
        challenge.sectors.add(sector)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_challenge_list_query_count_is_flat_for_the_public(
    count, client, make_challenge, django_assert_num_queries
):
    _public_rows(make_challenge, count)
    with django_assert_num_queries(5):
        response = client.get(f"{API}/challenges/")
    assert response.json()["count"] == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_challenge_list_query_count_is_flat_for_staff(
    count, login, staff, make_challenge, django_assert_num_queries
):
    _public_rows(make_challenge, count)
    client = login(staff)
    with django_assert_num_queries(9):
        response = client.get(f"{API}/challenges/")
    assert response.json()["count"] == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_campaign_list_query_count_is_flat(count, client, lab, django_assert_num_queries):
    now = timezone.now()
    for index in range(count):
        campaign = IntakeCampaign.objects.create(
            lab=lab,
            slug=f"c{index}",
            title={"en": f"Call {index}"},
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            is_published=True,
        )
        ViabilityCriterion.objects.create(campaign=campaign, name={"en": "Budget"})
    with django_assert_num_queries(4):
        response = client.get(f"{API}/campaigns/")
    assert response.json()["count"] == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_regime_list_query_count_is_flat(count, client, lab, django_assert_num_queries):
    for index in range(count):
        LegalRegime.objects.create(lab=lab, name={"en": f"Regime {index}"})
    with django_assert_num_queries(2):
        response = client.get(f"{API}/legal-regimes/")
    assert response.json()["count"] == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_team_and_assessment_lists_query_count_is_flat(
    count, login, staff, make_challenge, campaign, django_assert_num_queries
):
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    for index in range(count):
        ChallengeTeamMember.objects.create(challenge=challenge, role="legal", name=f"Lead {index}")
        criterion = ViabilityCriterion.objects.create(campaign=campaign, name={"en": f"C{index}"})
        CriterionAssessment.objects.create(challenge=challenge, criterion=criterion, assessed_by=staff)
    client = login(staff)
    client.get(f"{API}/challenges/{challenge.reference}/team/")
    with django_assert_num_queries(7):
        client.get(f"{API}/challenges/{challenge.reference}/team/")
    with django_assert_num_queries(7):
        response = client.get(f"{API}/challenges/{challenge.reference}/assessments/")
    assert len(response.json()) == count


@pytest.mark.django_db
def test_other_lab_staff_cannot_add_a_regime_to_this_lab(login, lab):
    outsider = LabMembershipFactory(role="manager").user
    response = login(outsider).post(
        f"{API}/legal-regimes/", {"lab": lab.slug, "name": {"en": "Mine"}}, content_type="application/json"
    )
    assert response.status_code == 403
    assert LegalRegime.objects.count() == 0


@pytest.mark.django_db
def test_create_refuses_an_entity_outside_the_lab(login, lab, other_lab):
    entity = OrganisationFactory(kind="public_entity")
    entity.labs.add(other_lab)
    member = OrganisationMembershipFactory(organisation=entity).user
    response = login(member).post(
        f"{API}/challenges/", {"lab": lab.slug, "owner": entity.slug}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["owner"]
    assert Challenge.objects.count() == 0
