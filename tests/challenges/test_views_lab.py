"""The lab's pages: campaigns, legal regimes, the screening board, screening and characterisation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, CriterionAnswer, TeamRole, WorksheetKind
from govlab.challenges.models import (
    Challenge,
    ChallengeTeamMember,
    CriterionAssessment,
    IntakeCampaign,
    LegalRegime,
    ViabilityCriterion,
    Worksheet,
    WorksheetVersion,
)
from tests.factories import OrganisationMembershipFactory

ROLES = ["anonymous", "other_lab_staff", "organisation_member", "evaluator", "staff", "manager"]
SIGNED_IN_REFUSED = {"other_lab_staff": 404, "organisation_member": 404, "evaluator": 404}


def _client_for(role, role_user, login, client):
    user = role_user(role)
    return (login(user) if user is not None else client), user


def _expected(role, allowed_status):
    if role == "anonymous":
        return 302
    return SIGNED_IN_REFUSED.get(role, allowed_status)


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def screened(make_challenge):
    """A challenge in screening (past draft, so the lab may see it)."""
    return make_challenge(status=ChallengeStatus.IN_SCREENING)


@pytest.fixture
def characterising(make_challenge):
    return make_challenge(status=ChallengeStatus.CHARACTERISING)


def _page_urls(lab, campaign, regime, screened, characterising):
    criterion = campaign.criteria.first()
    return {
        "campaigns": reverse("challenges:lab_campaigns", args=[lab.slug]),
        "campaign_create": reverse("challenges:lab_campaign_create", args=[lab.slug]),
        "campaign": reverse("challenges:lab_campaign", args=[lab.slug, campaign.pk]),
        "criterion": reverse("challenges:lab_criterion", args=[lab.slug, campaign.pk, criterion.pk]),
        "export": reverse("challenges:lab_campaign_export", args=[lab.slug, campaign.pk]),
        "legal_regimes": reverse("challenges:lab_legal_regimes", args=[lab.slug]),
        "legal_regime": reverse("challenges:lab_legal_regime", args=[lab.slug, regime.pk]),
        "board": reverse("challenges:lab_board", args=[lab.slug]),
        "screening": reverse("challenges:lab_screening", args=[lab.slug, screened.reference]),
        "characterise": reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference]),
        "worksheet": reverse(
            "challenges:lab_worksheet", args=[lab.slug, characterising.reference, WorksheetKind.PERSONA]
        ),
    }


PAGES = [
    "campaigns",
    "campaign_create",
    "campaign",
    "criterion",
    "export",
    "legal_regimes",
    "legal_regime",
    "board",
    "screening",
    "characterise",
    "worksheet",
]


# --- The role matrix -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_lab_pages_role_matrix(
    page, role, role_user, login, client, lab, campaign, regime, screened, characterising
):
    url = _page_urls(lab, campaign, regime, screened, characterising)[page]
    browser, _user = _client_for(role, role_user, login, client)
    response = browser.get(url)
    assert response.status_code == _expected(role, 200)
    if role == "anonymous":
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_write_endpoints_role_matrix_change_nothing_when_refused(
    role, role_user, login, client, lab, campaign, regime, screened, characterising
):
    member = services.team_member_add(
        challenge=characterising, added_by=characterising.created_by, role=TeamRole.LEGAL, name="Ana Legal"
    )
    first, second = campaign.criteria.order_by("position")
    browser, _user = _client_for(role, role_user, login, client)
    audit_before = AuditEntry.objects.count()
    posts = [
        (reverse("challenges:lab_criterion_move", args=[lab.slug, campaign.pk, second.pk, "up"]), {}, 302),
        (reverse("challenges:lab_criterion_remove", args=[lab.slug, campaign.pk, first.pk]), {}, 302),
        (
            reverse("challenges:lab_criterion_add", args=[lab.slug, campaign.pk]),
            {"criterion-name_en": "Pilot infrastructure"},
            302,
        ),
        (
            reverse("challenges:lab_team_remove", args=[lab.slug, characterising.reference, member.pk]),
            {},
            302,
        ),
        (
            reverse("challenges:lab_board", args=[lab.slug]),
            {"batch-challenges": [screened.pk], "batch-target": "accepted"},
            200,
        ),
    ]
    statuses = [browser.post(url, data).status_code for url, data, _allowed in posts]
    assert statuses == [_expected(role, allowed) for _url, _data, allowed in posts]
    if role in ("staff", "manager"):
        assert AuditEntry.objects.count() == audit_before + 6  # two moved, removed, added, team, accept
        return
    assert AuditEntry.objects.count() == audit_before
    assert list(campaign.criteria.order_by("position").values_list("pk", flat=True)) == [first.pk, second.pk]
    assert ChallengeTeamMember.objects.filter(pk=member.pk).exists()
    screened.refresh_from_db()
    assert screened.status == ChallengeStatus.IN_SCREENING


@pytest.mark.django_db
def test_challenge_pages_answer_404_for_drafts_other_labs_and_the_entity(
    login, staff, make_challenge, other_lab, entity_member, lab
):
    draft = make_challenge(status=ChallengeStatus.DRAFT)
    screened = make_challenge(status=ChallengeStatus.IN_SCREENING)
    browser = login(staff)
    assert (
        browser.get(reverse("challenges:lab_screening", args=[lab.slug, draft.reference])).status_code == 404
    )
    # The right challenge under another lab's address.
    url = reverse("challenges:lab_screening", args=[other_lab.slug, screened.reference])
    assert browser.get(url).status_code == 404
    assert browser.get(reverse("challenges:lab_screening", args=[lab.slug, "NOPE-1"])).status_code == 404
    # The entity's own members use their workspace, not the lab's pages.
    url = reverse("challenges:lab_screening", args=[lab.slug, screened.reference])
    assert login(entity_member).get(url).status_code == 404


# --- Campaigns -----------------------------------------------------------------------------------


def _campaign_data(**overrides):
    data = {
        "campaign-title_en": "Call for challenges 2027",
        "campaign-title_es": "Convocatoria de retos 2027",
        "campaign-slug": "call-2027",
        "campaign-description_en": "Bring us your problems.",
        "campaign-opens_at": "2027-01-10T09:00",
        "campaign-closes_at": "2027-03-10T17:00",
        "campaign-is_published": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_campaign_create_saves_through_the_service(login, staff, lab, entity):
    response = login(staff).post(
        reverse("challenges:lab_campaign_create", args=[lab.slug]),
        _campaign_data(**{"campaign-open_to": [entity.pk]}),
    )
    campaign = IntakeCampaign.objects.get(lab=lab, slug="call-2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("challenges:lab_campaign", args=[lab.slug, campaign.pk])
    assert campaign.title == {"en": "Call for challenges 2027", "es": "Convocatoria de retos 2027"}
    assert campaign.description == {"en": "Bring us your problems."}
    assert campaign.is_published is True
    assert list(campaign.open_to.all()) == [entity]
    assert (campaign.closes_at - campaign.opens_at) == dt.timedelta(days=59, hours=8)
    entry = AuditEntry.objects.get(action="campaign.create")
    assert (entry.actor, entry.lab) == (staff, lab)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"campaign-title_en": "", "campaign-title_es": ""}, "title", "Give this in at least one language."),
        ({"campaign-closes_at": "2027-01-01T09:00"}, "closes_at", "The campaign must close after it opens."),
        ({"campaign-opens_at": "next tuesday"}, "opens_at", "Enter a valid date/time."),
        ({"campaign-slug": "call-2026"}, "slug", "This lab already has a campaign with this short name."),
    ],
)
def test_campaign_create_bad_input_keeps_the_form_and_writes_nothing(
    overrides, field, message, login, staff, lab, campaign
):
    response = login(staff).post(
        reverse("challenges:lab_campaign_create", args=[lab.slug]), _campaign_data(**overrides)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert 'class="error-summary"' in _html(response)
    assert IntakeCampaign.objects.count() == 1
    assert not AuditEntry.objects.filter(action="campaign.create").exists()


@pytest.mark.django_db
def test_campaign_edit_updates_and_keeps_hidden_translations(login, staff, lab, campaign):
    campaign.title = {"en": "Call 2026", "fr": "Appel 2026"}
    campaign.save()
    response = login(staff).post(
        reverse("challenges:lab_campaign", args=[lab.slug, campaign.pk]),
        _campaign_data(
            **{"campaign-slug": "call-2026", "campaign-title_es": None, "campaign-is_published": None}
        ),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == {"fr": "Appel 2026", "en": "Call for challenges 2027"}
    assert campaign.is_published is False
    entry = AuditEntry.objects.get(action="campaign.update")
    assert sorted(entry.changes) == ["closes_at", "description", "is_published", "opens_at", "title"]


@pytest.mark.django_db
def test_criteria_add_edit_reorder_and_remove(login, staff, lab, campaign):
    browser = login(staff)
    first, second = campaign.criteria.order_by("position")
    response = browser.post(
        reverse("challenges:lab_criterion_add", args=[lab.slug, campaign.pk]),
        {"criterion-name_en": "Legal regime known", "criterion-description_en": "Which law applies"},
    )
    assert response.status_code == 302
    third = campaign.criteria.get(name={"en": "Legal regime known"})
    assert third.description == {"en": "Which law applies"}

    response = browser.post(
        reverse("challenges:lab_criterion", args=[lab.slug, campaign.pk, first.pk]),
        {"criterion-name_en": "Clear problem owner, named", "criterion-name_es": "Dueño claro"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.name == {"en": "Clear problem owner, named", "es": "Dueño claro"}

    browser.post(reverse("challenges:lab_criterion_move", args=[lab.slug, campaign.pk, third.pk, "up"]))
    order = list(campaign.criteria.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    browser.post(reverse("challenges:lab_criterion_move", args=[lab.slug, campaign.pk, first.pk, "up"]))
    assert list(campaign.criteria.order_by("position").values_list("pk", flat=True)) == order
    assert (
        browser.post(
            reverse("challenges:lab_criterion_move", args=[lab.slug, campaign.pk, first.pk, "sideways"])
        ).status_code
        == 404
    )

    browser.post(reverse("challenges:lab_criterion_remove", args=[lab.slug, campaign.pk, second.pk]))
    assert list(campaign.criteria.order_by("position").values_list("pk", flat=True)) == [first.pk, third.pk]


@pytest.mark.django_db
def test_criterion_already_used_in_screening_cannot_be_removed(login, staff, lab, campaign, screened):
    criterion = campaign.criteria.first()
    services.challenge_assess_criterion(
        challenge=screened, criterion=criterion, answer=CriterionAnswer.MET, assessed_by=staff
    )
    response = login(staff).post(
        reverse("challenges:lab_criterion_remove", args=[lab.slug, campaign.pk, criterion.pk]), follow=True
    )
    assert ViabilityCriterion.objects.filter(pk=criterion.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "Challenges have already been screened against this criterion; it cannot be removed."
    ]


@pytest.mark.django_db
def test_criterion_add_without_a_name_shows_the_error(login, staff, lab, campaign):
    response = login(staff).post(reverse("challenges:lab_criterion_add", args=[lab.slug, campaign.pk]), {})
    assert response.status_code == 200
    assert response.context["criterion_form"].errors == {"name": ["Give this in at least one language."]}
    assert campaign.criteria.count() == 2


@pytest.mark.django_db
def test_another_labs_campaign_is_404(login, staff, other_lab):
    now = timezone.now()
    theirs = IntakeCampaign.objects.create(
        lab=other_lab,
        title={"en": "Theirs"},
        slug="theirs",
        opens_at=now,
        closes_at=now + dt.timedelta(days=1),
    )
    browser = login(staff)
    assert (
        browser.get(reverse("challenges:lab_campaign", args=[other_lab.slug, theirs.pk])).status_code == 404
    )


# --- Legal regimes -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_legal_regimes_add_and_edit(login, staff, lab):
    browser = login(staff)
    response = browser.post(
        reverse("challenges:lab_legal_regimes", args=[lab.slug]),
        {
            "regime-name_es": "Ley 80 de 1993",
            "regime-source_url": "https://example.org/ley-80",
            "regime-is_active": "on",
        },
    )
    assert response.status_code == 302
    regime = LegalRegime.objects.get(lab=lab)
    assert (regime.name, regime.source_url, regime.is_active) == (
        {"es": "Ley 80 de 1993"},
        "https://example.org/ley-80",
        True,
    )
    response = browser.post(
        reverse("challenges:lab_legal_regime", args=[lab.slug, regime.pk]),
        {"regime-name_es": "Ley 80 de 1993", "regime-source_url": "not a url"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"source_url": ["Enter a valid URL."]}
    response = browser.post(
        reverse("challenges:lab_legal_regime", args=[lab.slug, regime.pk]),
        {"regime-name_es": "Ley 80 de 1993"},
    )
    regime.refresh_from_db()
    assert (regime.is_active, regime.source_url) == (False, "")
    assert AuditEntry.objects.filter(action="legal_regime.save").count() == 2


# --- The screening board -------------------------------------------------------------------------


@pytest.mark.django_db
def test_board_shows_counts_per_state_and_filters(login, staff, lab, make_challenge, campaign):
    make_challenge(status=ChallengeStatus.SUBMITTED)
    make_challenge(status=ChallengeStatus.SUBMITTED)
    accepted = make_challenge(status=ChallengeStatus.ACCEPTED)
    make_challenge(status=ChallengeStatus.DRAFT)
    outside = make_challenge(status=ChallengeStatus.SUBMITTED)
    Challenge.objects.filter(pk=outside.pk).update(campaign=None)
    browser = login(staff)
    response = browser.get(reverse("challenges:lab_board", args=[lab.slug]))
    counts = {s["value"]: s["count"] for s in response.context["state_counts"] if s["count"]}
    assert counts == {"submitted": 3, "accepted": 1}
    assert response.context["total"] == 4
    response = browser.get(
        reverse("challenges:lab_board", args=[lab.slug]), {"campaign": campaign.pk, "status": "accepted"}
    )
    assert [c.pk for c in response.context["page"]] == [accepted.pk]
    assert {s["value"]: s["count"] for s in response.context["state_counts"] if s["count"]} == {
        "submitted": 2,
        "accepted": 1,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_board_query_count_is_flat(rows, login, staff, lab, make_challenge, django_assert_num_queries):
    for _n in range(rows):
        make_challenge(status=ChallengeStatus.IN_SCREENING)
    browser = login(staff)
    url = reverse("challenges:lab_board", args=[lab.slug])
    with django_assert_num_queries(9):
        response = browser.get(url)
    assert len(response.context["page"]) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_campaign_and_regime_lists_query_count_is_flat(rows, login, staff, lab, django_assert_num_queries):
    now = timezone.now()
    for n in range(rows):
        IntakeCampaign.objects.create(
            lab=lab, title={"en": f"C{n}"}, slug=f"c{n}", opens_at=now, closes_at=now + dt.timedelta(days=1)
        )
        LegalRegime.objects.create(lab=lab, name={"en": f"R{n}"})
    browser = login(staff)
    with django_assert_num_queries(6):
        browser.get(reverse("challenges:lab_campaigns", args=[lab.slug]))
    with django_assert_num_queries(6):
        browser.get(reverse("challenges:lab_legal_regimes", args=[lab.slug]))


@pytest.mark.django_db
def test_board_batch_decision_reports_each_challenge(login, staff, lab, make_challenge):
    ok = make_challenge(status=ChallengeStatus.IN_SCREENING)
    refused = make_challenge(status=ChallengeStatus.SUBMITTED)
    response = login(staff).post(
        reverse("challenges:lab_board", args=[lab.slug]),
        {"batch-challenges": [ok.pk, refused.pk], "batch-target": "accepted"},
    )
    assert response.status_code == 200
    results = {r.challenge.pk: (r.ok, r.errors) for r in response.context["results"]}
    assert results == {
        ok.pk: (True, []),
        refused.pk: (False, ["A challenge that is submitted cannot become accepted."]),
    }
    html = _html(response)
    assert "A challenge that is submitted cannot become accepted." in html
    ok.refresh_from_db()
    refused.refresh_from_db()
    assert (ok.status, refused.status) == (ChallengeStatus.ACCEPTED, ChallengeStatus.SUBMITTED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"batch-target": "accepted"}, {"challenges": ["Choose at least one challenge."]}),
        (
            {"batch-target": "declined", "batch-reason": "Out of scope"},
            {"decline_reason": ["Choose why the challenge is declined."]},
        ),
        (
            {"batch-target": "closed"},
            {"target": ["Select a valid choice. closed is not one of the available choices."]},
        ),
    ],
)
def test_board_batch_bad_input_changes_nothing(data, errors, login, staff, lab, screened):
    audit_before = AuditEntry.objects.count()
    response = login(staff).post(
        reverse("challenges:lab_board", args=[lab.slug]),
        {"batch-challenges": [screened.pk], **data} if "challenges" not in errors else data,
    )
    assert response.status_code == 200
    assert response.context["batch"].errors == errors
    assert AuditEntry.objects.count() == audit_before
    screened.refresh_from_db()
    assert screened.status == ChallengeStatus.IN_SCREENING


@pytest.mark.django_db
def test_board_batch_refuses_other_labs_and_drafts(login, staff, lab, make_challenge, other_lab, entity):
    draft = make_challenge(status=ChallengeStatus.DRAFT)
    response = login(staff).post(
        reverse("challenges:lab_board", args=[lab.slug]),
        {"batch-challenges": [draft.pk], "batch-target": "accepted"},
    )
    assert list(response.context["batch"].errors) == ["challenges"]
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "extra"),
    [
        ("accepted", {}),
        ("more_info_requested", {"reason": "How many people use the form?"}),
        ("declined", {"reason": "Not in scope", "decline_reason": "out_of_scope"}),
    ],
)
def test_batch_gives_the_same_outcome_and_audit_as_single_decisions(
    target, extra, login, staff, lab, make_challenge
):
    singles = [make_challenge(status=ChallengeStatus.IN_SCREENING) for _n in range(2)]
    batched = [make_challenge(status=ChallengeStatus.IN_SCREENING) for _n in range(2)]
    browser = login(staff)
    for challenge in singles:
        response = browser.post(
            reverse("challenges:lab_screening", args=[lab.slug, challenge.reference]),
            {"action": "decide", "decision-target": target, **{f"decision-{k}": v for k, v in extra.items()}},
        )
        assert response.status_code == 302
    response = browser.post(
        reverse("challenges:lab_board", args=[lab.slug]),
        {
            "batch-challenges": [c.pk for c in batched],
            "batch-target": target,
            **{f"batch-{k}": v for k, v in extra.items()},
        },
    )
    assert [r.ok for r in response.context["results"]] == [True, True]

    def outcome(challenge):
        challenge.refresh_from_db()
        entry = AuditEntry.objects.filter(target_id=str(challenge.pk)).latest("pk")
        transition = challenge.transitions.latest("pk")
        return (
            challenge.status,
            challenge.decline_reason,
            challenge.decision_message,
            entry.action,
            entry.changes,
            entry.reason,
            entry.actor,
            (transition.from_status, transition.to_status, transition.reason, transition.actor),
        )

    assert [outcome(c) for c in batched] == [outcome(c) for c in singles]
    assert outcome(singles[0])[0] == target


# --- Screening one challenge ---------------------------------------------------------------------


@pytest.mark.django_db
def test_screening_saves_every_criterion_answer(login, staff, lab, campaign, screened):
    first, second = campaign.criteria.order_by("position")
    response = login(staff).post(
        reverse("challenges:lab_screening", args=[lab.slug, screened.reference]),
        {
            "action": "assess",
            f"criterion-{first.pk}-answer": "met",
            f"criterion-{first.pk}-note": "The Ministry owns it",
            f"criterion-{second.pk}-answer": "not_met",
        },
    )
    assert response.status_code == 302
    answers = dict(
        CriterionAssessment.objects.filter(challenge=screened).values_list("criterion_id", "answer")
    )
    assert answers == {first.pk: "met", second.pk: "not_met"}
    assert CriterionAssessment.objects.get(criterion=first).note == "The Ministry owns it"
    assert AuditEntry.objects.filter(action="challenge.criterion.assess").count() == 2


@pytest.mark.django_db
def test_screening_with_a_bad_answer_saves_none(login, staff, lab, campaign, screened):
    first, second = campaign.criteria.order_by("position")
    response = login(staff).post(
        reverse("challenges:lab_screening", args=[lab.slug, screened.reference]),
        {"action": "assess", f"criterion-{first.pk}-answer": "met", f"criterion-{second.pk}-answer": "maybe"},
    )
    assert response.status_code == 200
    assert response.context["assessments"][1]["form"].errors == {
        "answer": ["Select a valid choice. maybe is not one of the available choices."]
    }
    assert not CriterionAssessment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"decision-target": "more_info_requested"},
            {"reason": ["Say why: the entity and the audit trail need a reason."]},
        ),
        (
            {"decision-target": "declined", "decision-reason": "No"},
            {"decline_reason": ["Choose why the challenge is declined."]},
        ),
        (
            {"decision-target": "ready_for_call"},
            {"target": ["Select a valid choice. ready_for_call is not one of the available choices."]},
        ),
    ],
)
def test_screening_decision_bad_input_changes_nothing(data, errors, login, staff, lab, screened):
    response = login(staff).post(
        reverse("challenges:lab_screening", args=[lab.slug, screened.reference]), {"action": "decide", **data}
    )
    assert response.status_code == 200
    assert response.context["decision"].errors == errors
    screened.refresh_from_db()
    assert screened.status == ChallengeStatus.IN_SCREENING
    assert screened.transitions.count() == 0


@pytest.mark.django_db
def test_screening_asks_for_more_information_with_a_message(login, staff, lab, screened, mailoutbox):
    response = login(staff).post(
        reverse("challenges:lab_screening", args=[lab.slug, screened.reference]),
        {"action": "decide", "decision-target": "more_info_requested", "decision-reason": "<b>How many?</b>"},
        follow=True,
    )
    screened.refresh_from_db()
    assert (screened.status, screened.decision_message) == ("more_info_requested", "<b>How many?</b>")
    html = _html(response)
    assert "&lt;b&gt;How many?&lt;/b&gt;" in html
    assert "<b>How many?</b>" not in html


@pytest.mark.django_db
def test_priority_is_set_among_accepted_challenges(login, staff, lab, make_challenge):
    first = make_challenge(status=ChallengeStatus.ACCEPTED)
    second = make_challenge(status=ChallengeStatus.ACCEPTED)
    browser = login(staff)
    for challenge in (first, second):
        browser.post(
            reverse("challenges:lab_screening", args=[lab.slug, challenge.reference]),
            {"action": "priority", "priority-rank": "1"},
        )
    assert dict(Challenge.objects.values_list("pk", "priority_rank")) == {second.pk: 1, first.pk: 2}
    response = browser.post(
        reverse("challenges:lab_screening", args=[lab.slug, first.reference]),
        {"action": "priority", "priority-rank": "0"},
    )
    assert response.context["priority"].errors == {
        "rank": ["Ensure this value is greater than or equal to 1."]
    }


@pytest.mark.django_db
def test_user_text_is_shown_as_text_on_lab_pages(login, staff, lab, make_challenge):
    challenge = make_challenge(
        status=ChallengeStatus.IN_SCREENING,
        title={"en": "<script>alert(1)</script>"},
        problem_statement={"en": "<img src=x onerror=alert(1)>"},
    )
    browser = login(staff)
    for url in (
        reverse("challenges:lab_board", args=[lab.slug]),
        reverse("challenges:lab_screening", args=[lab.slug, challenge.reference]),
    ):
        html = _html(browser.get(url))
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html


# --- Characterisation ----------------------------------------------------------------------------


def _details_data(challenge, regime, **overrides):
    data = {
        "action": "characterise",
        "details-version": str(challenge.version),
        "details-technical_characteristics_en": "Web forms on the citizen portal",
        "details-required_functionalities_en": "Tell humans and bots apart",
        "details-expected_duration_months": "6",
        "details-estimated_cost": "120000000",
        "details-estimated_cost_currency": "COP",
        "details-legal_regime": str(regime.pk),
        "details-pilot_infrastructure_en": "A test server",
        "details-pilot_infrastructure_available": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_characterisation_is_saved(login, staff, lab, characterising, regime):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    response = login(staff).post(url, _details_data(characterising, regime))
    assert response.status_code == 302
    characterising.refresh_from_db()
    assert characterising.legal_regime == regime
    assert characterising.estimated_cost == Decimal("120000000")
    assert characterising.pilot_infrastructure_available is True
    assert characterising.technical_characteristics == {"en": "Web forms on the citizen portal"}


@pytest.mark.django_db
def test_characterisation_saved_meanwhile_is_told_and_the_input_kept(
    login, staff, lab, characterising, regime
):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    loaded = characterising.version
    services.challenge_characterise(
        challenge=Challenge.objects.get(pk=characterising.pk),
        updated_by=staff,
        expected_version=loaded,
        expected_duration_months=9,
    )
    browser = login(staff)
    response = browser.post(url, _details_data(characterising, regime))
    assert response.status_code == 200
    form = response.context["details"]
    assert form.non_field_errors() == [
        "Someone else saved this challenge while you were editing it. Your changes were not saved: "
        "reload to see theirs, then apply yours again."
    ]
    html = _html(response)
    assert "Web forms on the citizen portal" in html
    characterising.refresh_from_db()
    assert (characterising.expected_duration_months, characterising.legal_regime) == (9, None)
    # Told, the person may save again on purpose.
    response = browser.post(url, _details_data(characterising, regime))
    assert response.status_code == 302


@pytest.mark.django_db
def test_characterisation_refuses_another_labs_regime(login, staff, lab, characterising, other_lab):
    theirs = LegalRegime.objects.create(lab=other_lab, name={"en": "Theirs"})
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    response = login(staff).post(url, _details_data(characterising, theirs))
    assert response.status_code == 200
    assert list(response.context["details"].errors) == ["legal_regime"]
    characterising.refresh_from_db()
    assert characterising.legal_regime is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "currency", "errors"),
    [
        (
            "150000000",
            "pesos",
            {"budget_currency": ["Give a currency as its three-letter code, e.g. EUR or COP."]},
        ),
        ("150.000.000,00", "COP", {"budget_amount": ["Enter a number."]}),
        ("0", "COP", {"budget_amount": ["Give an amount greater than zero."]}),
        (
            "",
            "",
            {"budget_amount": ["This field is required."], "budget_currency": ["This field is required."]},
        ),
    ],
)
def test_budget_bad_input_is_a_field_error(amount, currency, errors, login, staff, lab, characterising):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    response = login(staff).post(
        url,
        {
            "action": "budget",
            "budget-budget_amount": amount,
            "budget-budget_currency": currency,
            "budget-budget_source": "2026 budget",
        },
    )
    assert response.status_code == 200
    assert response.context["budget"].errors == errors
    characterising.refresh_from_db()
    assert (characterising.budget_amount, characterising.budget_confirmed_by) == (None, None)


@pytest.mark.django_db
def test_budget_is_confirmed_by_the_person(login, staff, lab, characterising):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    login(staff).post(
        url,
        {
            "action": "budget",
            "budget-budget_amount": "150000000.50",
            "budget-budget_currency": "cop",
            "budget-budget_source": "2026 budget line 4",
        },
    )
    characterising.refresh_from_db()
    assert (
        characterising.budget_amount,
        characterising.budget_currency,
        characterising.budget_source,
        characterising.budget_confirmed_by,
    ) == (Decimal("150000000.50"), "COP", "2026 budget line 4", staff)


@pytest.mark.django_db
def test_team_members_are_added_as_users_or_named_contacts(login, staff, lab, characterising, entity):
    colleague = OrganisationMembershipFactory(organisation=entity, role="member").user
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    browser = login(staff)
    browser.post(url, {"action": "team", "team-role": "legal", "team-user": str(colleague.pk)})
    browser.post(
        url,
        {
            "action": "team",
            "team-role": "innovation",
            "team-name": "Ana Pérez",
            "team-email": "ana@example.org",
        },
    )
    response = browser.post(url, {"action": "team", "team-role": "strategy"})
    assert response.status_code == 200
    assert response.context["team_form"].errors == {"name": ["Name a person, or choose a govlab user."]}
    team = list(characterising.team.order_by("role").values_list("role", "user_id", "name"))
    assert team == [("innovation", None, "Ana Pérez"), ("legal", colleague.pk, "")]
    member = characterising.team.get(role="innovation")
    browser.post(reverse("challenges:lab_team_remove", args=[lab.slug, characterising.reference, member.pk]))
    assert list(characterising.team.values_list("role", flat=True)) == ["legal"]


@pytest.mark.django_db
def test_team_user_must_belong_to_the_entity(login, staff, lab, characterising, user):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    response = login(staff).post(url, {"action": "team", "team-role": "legal", "team-user": str(user.pk)})
    assert response.status_code == 200
    assert list(response.context["team_form"].errors) == ["user"]
    assert not characterising.team.exists()


@pytest.mark.django_db
def test_mark_ready_lists_exactly_what_is_missing(login, staff, lab, characterising):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    response = login(staff).post(url, {"action": "ready"})
    assert response.status_code == 200
    assert [gap.code for gap in response.context["gaps"]] == [
        "team",
        "budget",
        "legal_regime",
        "characterisation",
        "pilot_infrastructure",
    ]
    assert response.context["ready_form"].non_field_errors() == ["The readiness checklist is not met yet."]
    html = _html(response)
    assert "Name the multidisciplinary team: legal, innovation, technology, strategy missing." in html
    assert 'name="ready-override_justification"' not in html  # staff may not override
    characterising.refresh_from_db()
    assert characterising.status == ChallengeStatus.CHARACTERISING


@pytest.mark.django_db
def test_staff_cannot_override_but_a_manager_can(login, staff, manager, lab, characterising):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    data = {"action": "ready", "ready-override_justification": "The budget letter is signed tomorrow"}
    response = login(staff).post(url, data)
    assert response.context["ready_form"].non_field_errors() == [
        "Only the lab's manager can override the readiness checklist."
    ]
    characterising.refresh_from_db()
    assert characterising.status == ChallengeStatus.CHARACTERISING
    html = _html(login(manager).get(url))
    assert 'name="ready-override_justification"' in html
    response = login(manager).post(url, data)
    assert response.status_code == 302
    characterising.refresh_from_db()
    assert characterising.status == ChallengeStatus.READY_FOR_CALL
    assert characterising.readiness_override == "The budget letter is signed tomorrow"


@pytest.mark.django_db
def test_mark_ready_passes_when_the_checklist_is_met(login, staff, lab, characterising, make_ready):
    make_ready(characterising, staff)
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    assert login(staff).post(url, {"action": "ready"}).status_code == 302
    characterising.refresh_from_db()
    assert (characterising.status, characterising.readiness_override) == (ChallengeStatus.READY_FOR_CALL, "")


@pytest.mark.django_db
def test_characterisation_cannot_be_posted_outside_its_states(login, staff, lab, screened, regime):
    url = reverse("challenges:lab_characterise", args=[lab.slug, screened.reference])
    response = login(staff).post(url, _details_data(screened, regime))
    assert response.status_code == 404
    screened.refresh_from_db()
    assert screened.legal_regime is None


# --- Worksheets ----------------------------------------------------------------------------------


def _tree_data(base_version=0, **overrides):
    data = {
        "worksheet-base_version": str(base_version),
        "worksheet-central_problem": "Bots fill in our forms",
        "worksheet-causes": "Weak captcha\n\nNo rate limit",
        "worksheet-effects": "Spam",
        "worksheet-complete": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_worksheet_saves_versions_and_shows_history(login, staff, lab, characterising):
    url = reverse("challenges:lab_worksheet", args=[lab.slug, characterising.reference, "problem_tree"])
    browser = login(staff)
    assert browser.post(url, _tree_data(0, **{"worksheet-complete": ""})).status_code == 302
    assert browser.post(url, _tree_data(1)).status_code == 302
    worksheet = Worksheet.objects.get(challenge=characterising, kind="problem_tree")
    assert (worksheet.current_version, worksheet.is_complete) == (2, True)
    assert worksheet.versions.get(number=2).data == {
        "central_problem": "Bots fill in our forms",
        "causes": ["Weak captcha", "No rate limit"],
        "effects": ["Spam"],
    }
    response = browser.get(url)
    assert [item["version"].number for item in response.context["history"]] == [2, 1]


@pytest.mark.django_db
def test_worksheet_rows_are_saved_from_the_table(login, staff, lab, characterising):
    url = reverse("challenges:lab_worksheet", args=[lab.slug, characterising.reference, "needs_analysis"])
    response = login(staff).post(
        url,
        {
            "worksheet-base_version": "0",
            "worksheet-needs-0-need": "Accessible forms",
            "worksheet-needs-0-who": "Citizens",
            "worksheet-needs-2-priority": "High",
            "worksheet-complete": "on",
        },
    )
    assert response.status_code == 302
    version = WorksheetVersion.objects.get()
    assert version.data == {
        "needs": [
            {"need": "Accessible forms", "who": "Citizens", "priority": "", "evidence": ""},
            {"need": "", "who": "", "priority": "High", "evidence": ""},
        ]
    }


@pytest.mark.django_db
def test_worksheet_complete_with_missing_parts_is_refused(login, staff, lab, characterising):
    url = reverse("challenges:lab_worksheet", args=[lab.slug, characterising.reference, "problem_tree"])
    response = login(staff).post(url, _tree_data(0, **{"worksheet-causes": "", "worksheet-effects": ""}))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "causes": ["Fill this in before marking the worksheet complete."],
        "effects": ["Fill this in before marking the worksheet complete."],
    }
    assert not Worksheet.objects.exists()


@pytest.mark.django_db
def test_worksheet_saved_meanwhile_is_told_and_the_input_kept(login, staff, lab, characterising):
    url = reverse("challenges:lab_worksheet", args=[lab.slug, characterising.reference, "problem_tree"])
    services.worksheet_save(
        challenge=characterising, kind="problem_tree", data={"central_problem": "Theirs"}, saved_by=staff
    )
    browser = login(staff)
    response = browser.post(url, _tree_data(0))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith("Someone else saved this worksheet")
    assert "Bots fill in our forms" in _html(response)
    assert WorksheetVersion.objects.count() == 1
    assert browser.post(url, _tree_data(1)).status_code == 302
    assert WorksheetVersion.objects.count() == 2


@pytest.mark.django_db
def test_unknown_worksheet_is_404(login, staff, lab, characterising):
    url = reverse("challenges:lab_worksheet", args=[lab.slug, characterising.reference, "mind_map"])
    assert login(staff).get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_screening_page_query_count_does_not_grow_with_criteria(
    rows, login, staff, lab, campaign, screened, django_assert_num_queries
):
    campaign.criteria.all().delete()
    for n in range(rows):
        criterion = ViabilityCriterion.objects.create(campaign=campaign, name={"en": f"C{n}"}, position=n)
        services.challenge_assess_criterion(
            challenge=screened, criterion=criterion, answer="met", note="ok", assessed_by=staff
        )
    browser = login(staff)
    with django_assert_num_queries(11):
        response = browser.get(reverse("challenges:lab_screening", args=[lab.slug, screened.reference]))
    assert len(response.context["assessments"]) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_characterisation_page_query_count_does_not_grow_with_the_team(
    rows, login, staff, lab, characterising, django_assert_num_queries
):
    for n in range(rows):
        services.team_member_add(challenge=characterising, added_by=staff, role="legal", name=f"P{n}")
        services.worksheet_save(
            challenge=characterising, kind=WorksheetKind.values[n], data={}, saved_by=staff
        )
    browser = login(staff)
    with django_assert_num_queries(12):
        response = browser.get(
            reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
        )
    assert len(response.context["team"]) == rows
