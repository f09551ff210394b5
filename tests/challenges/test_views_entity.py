"""The public entity's workspace: my challenges, starting and editing a draft, submitting, withdrawing, and
the entity's side of the characterisation."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, TeamRole, WorksheetKind
from govlab.challenges.models import (
    Challenge,
    ChallengeAttachment,
    ChallengeTeamMember,
    Worksheet,
    WorksheetVersion,
)
from govlab.taxonomy.models import Term
from tests.accounts.html import structure
from tests.factories import OrganisationFactory, OrganisationMembershipFactory

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
def who(role_user, entity):
    def resolve(role):
        if role == "entity_member":
            return OrganisationMembershipFactory(organisation=entity, role="member").user
        if role == "other_entity_member":
            other = OrganisationFactory(kind="public_entity", helix_sector="government")
            return OrganisationMembershipFactory(organisation=other, role="admin").user
        return role_user(role)

    return resolve


@pytest.fixture
def as_role(client, login, who):
    def sign_in(role):
        user = who(role)
        return (login(user) if user else client), user

    return sign_in


def _form_data(challenge, **overrides):
    """What the edit form posts for this challenge as it is, with some values changed."""
    data = {
        "version": challenge.version,
        "title_en": (challenge.title or {}).get("en", ""),
        "title_es": (challenge.title or {}).get("es", ""),
        "problem_statement_en": (challenge.problem_statement or {}).get("en", ""),
        "problem_statement_es": (challenge.problem_statement or {}).get("es", ""),
        "country": challenge.country.code if challenge.country else "",
        "region": challenge.region,
        "campaign": challenge.campaign_id or "",
        "action": "save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _count_state():
    return (Challenge.objects.count(), ChallengeAttachment.objects.count(), AuditEntry.objects.count())


# --- My challenges ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 302),
        ("other_lab_staff", 200),
        ("organisation_member", 200),
        ("entity_member", 200),
        ("evaluator", 200),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_my_challenges_needs_sign_in(as_role, make_challenge, role, status_code):
    make_challenge()
    client, _user = as_role(role)
    response = client.get(reverse("challenges:mine"))
    assert response.status_code == status_code
    if role == "anonymous":
        assert response["Location"] == "/accounts/login/?next=/challenges/mine/"
    elif role == "entity_member":
        assert len(response.context["rows"]) == 1
    else:
        assert response.context["rows"] == []


@pytest.mark.django_db
def test_my_challenges_says_what_each_needs_next(login, make_challenge, entity_member, entity, campaign):
    draft = make_challenge(title={}, problem_statement={}, country="")
    asked = make_challenge(
        status=ChallengeStatus.MORE_INFO_REQUESTED, decision_message="How many forms a month?"
    )
    characterising = make_challenge(status=ChallengeStatus.CHARACTERISING)
    co_owned = make_challenge(status=ChallengeStatus.IN_SCREENING)
    co_owned.owner = OrganisationFactory(kind="public_entity")
    co_owned.save(update_fields=["owner"])
    co_owned.co_owners.add(entity)
    make_challenge().co_owners.clear()  # another draft of the same entity

    response = login(entity_member).get(reverse("challenges:mine"))

    steps = {challenge.pk: step for challenge, step in response.context["rows"]}
    assert [g.code for g in steps[draft.pk]["gaps"]] == ["title", "problem_statement", "country"]
    assert steps[asked.pk]["message"] == "How many forms a month?"
    assert [g.code for g in steps[characterising.pk]["gaps"]] == [
        "team",
        "budget",
        "legal_regime",
        "characterisation",
        "pilot_infrastructure",
    ]
    assert co_owned.pk in steps
    html = response.content.decode()
    assert "Give the challenge a title." in html
    assert "How many forms a month?" in html
    assert "Name the multidisciplinary team: legal, innovation, technology, strategy missing." in html
    assert structure(response).h1_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_my_challenges_query_count_flat_for_drafts(
    login, make_challenge, entity_member, django_assert_num_queries, rows
):
    for _n in range(rows):
        make_challenge()
        make_challenge(status=ChallengeStatus.MORE_INFO_REQUESTED)
    client = login(entity_member)
    # session, user, lab roles (MFA check), unread notifications, organisation roles, challenges, team,
    # worksheets, entity check
    with django_assert_num_queries(8):
        response = client.get(reverse("challenges:mine"))
    assert len(response.context["rows"]) == rows * 2


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_my_challenges_query_count_flat_while_characterising(
    login, make_challenge, entity_member, django_assert_num_queries, rows
):
    for _n in range(rows):
        make_challenge(status=ChallengeStatus.CHARACTERISING)
    client = login(entity_member)
    with django_assert_num_queries(8):
        client.get(reverse("challenges:mine"))


# --- Starting a challenge ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 302),
        ("other_lab_staff", 403),
        ("organisation_member", 403),
        ("entity_member", 200),
        ("evaluator", 403),
        ("staff", 403),
        ("manager", 403),
    ],
)
def test_start_page_only_for_public_entity_members(as_role, role, status_code):
    client, _user = as_role(role)
    assert client.get(reverse("challenges:create")).status_code == status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["organisation_member", "staff"])
def test_start_refused_writes_nothing(as_role, lab, role):
    client, _user = as_role(role)
    before = _count_state()
    response = client.post(reverse("challenges:create"), {"lab": lab.pk, "title": "x"})
    assert response.status_code == 403
    assert _count_state() == before


@pytest.mark.django_db
def test_start_creates_a_draft_in_the_reader_language_and_goes_to_the_form(
    login, lab, entity, entity_member, campaign
):
    client = login(entity_member)
    page = client.get(reverse("challenges:create"), {"campaign": campaign.pk})
    assert page.context["form"].initial == {"campaign": campaign.pk, "owner": entity}
    assert structure(page).unlabelled_controls() == []

    response = client.post(
        "/es" + reverse("challenges:create"),
        {"owner": entity.pk, "lab": lab.pk, "campaign": campaign.pk, "title": "Recibos de medicamentos"},
    )

    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/es/challenges/{challenge.reference}/edit/"
    assert (challenge.owner, challenge.lab, challenge.campaign) == (entity, lab, campaign)
    assert challenge.title == {"es": "Recibos de medicamentos"}
    assert challenge.status == ChallengeStatus.DRAFT
    assert challenge.created_by == entity_member


@pytest.mark.django_db
def test_start_refuses_a_campaign_closed_to_the_entity_or_of_another_lab(
    login, lab, other_lab, entity, entity_member, campaign
):
    campaign.open_to.set([OrganisationFactory(kind="public_entity")])
    client = login(entity_member)
    response = client.post(
        reverse("challenges:create"), {"owner": entity.pk, "lab": lab.pk, "campaign": campaign.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "campaign": ["This call for challenges is not open to the entity you chose."]
    }
    response = client.post(reverse("challenges:create"), {"owner": entity.pk, "lab": other_lab.pk})
    assert response.context["form"].errors["lab"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Challenge.objects.count() == 0


# --- Editing a draft ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 302),
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("other_entity_member", 404),
        ("entity_member", 200),
        ("evaluator", 404),
        ("staff", 404),
        ("manager", 404),
    ],
)
def test_edit_draft_role_matrix(as_role, make_challenge, role, status_code):
    draft = make_challenge()
    client, _user = as_role(role)
    assert client.get(reverse("challenges:edit", args=[draft.reference])).status_code == status_code
    before = _count_state()
    response = client.post(
        reverse("challenges:edit", args=[draft.reference]), _form_data(draft, region="Meta")
    )
    assert response.status_code == (302 if role in ("anonymous", "entity_member") else status_code)
    if role != "entity_member":
        draft.refresh_from_db()
        assert draft.region == ""
        assert _count_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 302),
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("entity_member", 403),
        ("evaluator", 404),
        ("staff", 403),
        ("manager", 403),
    ],
)
def test_edit_after_submission_is_refused(as_role, make_challenge, role, status_code):
    submitted = make_challenge(status=ChallengeStatus.SUBMITTED)
    client, _user = as_role(role)
    assert client.get(reverse("challenges:edit", args=[submitted.reference])).status_code == status_code


@pytest.mark.django_db
def test_edit_page_structure(login, make_challenge, entity_member):
    draft = make_challenge()
    response = login(entity_member).get(reverse("challenges:edit", args=[draft.reference]))
    page = structure(response)
    assert page.h1_count == 1
    assert page.unlabelled_controls() == []
    assert (page.inline_styles, page.inline_scripts) == (0, 0)
    assert len(page.ids) == len(set(page.ids))
    html = response.content.decode()
    assert f'hx-post="/challenges/{draft.reference}/autosave/"' in html
    # One input per lab language.
    assert 'name="title_en"' in html
    assert 'name="title_es"' in html
    assert 'name="title_fr"' not in html


@pytest.mark.django_db
def test_edit_page_lists_what_the_saved_draft_still_needs(login, make_challenge, entity_member):
    draft = make_challenge(problem_statement={})
    response = login(entity_member).get(reverse("challenges:edit", args=[draft.reference]))
    assert [gap.code for gap in response.context["gaps"]] == ["problem_statement"]
    assert "Describe the problem (“Our challenge is that…”)." in response.content.decode()


@pytest.mark.django_db
def test_save_draft_keeps_incomplete_content(login, make_challenge, entity_member):
    draft = make_challenge(title={}, problem_statement={}, country="")
    sdg = Term.objects.get(vocabulary="sdg", code="sdg-16")
    response = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]),
        _form_data(
            draft,
            background_es="Los formularios los llenan robots.",
            evidence_links="https://example.org/a\nhttps://example.org/b",
            sdgs=[sdg.pk],
            public_sections=["background"],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/challenges/{draft.reference}/edit/"
    draft.refresh_from_db()
    assert draft.background == {"es": "Los formularios los llenan robots."}
    assert draft.evidence_links == ["https://example.org/a", "https://example.org/b"]
    assert list(draft.sdgs.all()) == [sdg]
    assert draft.public_sections == ["background"]
    assert (draft.status, draft.version) == (ChallengeStatus.DRAFT, 2)


@pytest.mark.django_db
def test_submit_incomplete_shows_exact_gaps_at_the_fields_and_keeps_what_was_typed(
    login, make_challenge, entity_member
):
    draft = make_challenge(title={}, problem_statement={}, country="")
    response = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]),
        _form_data(draft, action="submit", region="Antioquia"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "title": ["Give the challenge a title."],
        "problem_statement": ["Describe the problem (“Our challenge is that…”)."],
        "country": ["Say in which country the challenge is."],
    }
    draft.refresh_from_db()
    assert (draft.status, draft.region, draft.version) == (ChallengeStatus.DRAFT, "Antioquia", 2)
    assert form["version"].value() == "2"
    html = response.content.decode()
    assert '<a href="#id_title_0">Title: Give the challenge a title.</a>' in html


@pytest.mark.django_db
def test_submit_complete_draft(
    login, make_challenge, entity_member, staff, mailoutbox, django_capture_on_commit_callbacks
):
    draft = make_challenge()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(entity_member).post(
            reverse("challenges:edit", args=[draft.reference]), _form_data(draft, action="submit")
        )
    assert response.status_code == 302
    assert response["Location"] == f"/challenges/{draft.reference}/"
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.SUBMITTED
    assert draft.submitted_at is not None
    assert [m.to for m in mailoutbox] == [[staff.email]]


@pytest.mark.django_db
def test_resubmit_after_more_information(login, make_challenge, entity_member):
    asked = make_challenge(status=ChallengeStatus.MORE_INFO_REQUESTED, decision_message="Add figures.")
    client = login(entity_member)
    page = client.get(reverse("challenges:edit", args=[asked.reference]))
    assert "Add figures." in page.content.decode()
    response = client.post(
        reverse("challenges:edit", args=[asked.reference]),
        _form_data(asked, action="submit", evidence_quantitative_en="1,200 bot submissions a month"),
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ChallengeStatus.IN_SCREENING
    assert asked.evidence_quantitative == {"en": "1,200 bot submissions a month"}


@pytest.mark.django_db
def test_second_concurrent_save_is_told_and_keeps_the_typed_input(login, make_challenge, entity_member, who):
    draft = make_challenge()
    colleague = who("entity_member")
    loaded = _form_data(draft)
    first = login(colleague).post(
        reverse("challenges:edit", args=[draft.reference]), {**loaded, "region": "Meta"}
    )
    assert first.status_code == 302

    second = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]), {**loaded, "region": "Cundinamarca"}
    )

    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [
        "Someone else saved this challenge while you were editing it. Your changes were not saved: "
        "reload to see theirs, then apply yours again."
    ]
    assert second.context["form"]["region"].value() == "Cundinamarca"
    draft.refresh_from_db()
    assert (draft.region, draft.version) == ("Meta", 2)


@pytest.mark.django_db
def test_script_in_text_fields_is_kept_as_text(login, make_challenge, entity_member):
    draft = make_challenge()
    client = login(entity_member)
    client.post(
        reverse("challenges:edit", args=[draft.reference]),
        _form_data(draft, title_en="<script>alert(1)</script>", region="<b>Meta</b>"),
    )
    draft.refresh_from_db()
    assert draft.title["en"] == "<script>alert(1)</script>"
    html = client.get(reverse("challenges:edit", args=[draft.reference])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    detail = client.get(reverse("challenges:detail", args=[draft.reference])).content.decode()
    assert "<script>alert(1)</script>" not in detail
    assert "&lt;b&gt;Meta&lt;/b&gt;" in detail
    assert "<b>Meta</b>" not in detail


@pytest.mark.django_db
def test_invalid_link_and_coordinates_are_shown_at_the_fields(login, make_challenge, entity_member):
    draft = make_challenge()
    before = _count_state()
    response = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]),
        _form_data(draft, evidence_links="javascript:alert(1)", latitude="91", region="Changed"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "latitude": ["Ensure this value is less than or equal to 90."],
    }
    response = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]),
        _form_data(draft, evidence_links="javascript:alert(1)", region="Changed"),
    )
    assert response.context["form"].errors == {
        "evidence_links": ["“javascript:alert(1)” is not a valid web address."]
    }
    draft.refresh_from_db()
    assert draft.region == ""
    assert _count_state() == before


@pytest.mark.django_db
def test_attachment_upload_with_the_draft(login, make_challenge, entity_member):
    draft = make_challenge()
    response = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]),
        {
            **_form_data(draft),
            "attachment": SimpleUploadedFile("report.pdf", b"%PDF-1.7 figures"),
            "attachment_description": "Monthly figures",
        },
    )
    assert response.status_code == 302
    attachment = ChallengeAttachment.objects.get()
    assert (attachment.original_name, attachment.description, attachment.size) == (
        "report.pdf",
        "Monthly figures",
        16,
    )


@pytest.mark.django_db
def test_fifty_megabyte_attachment_is_refused_and_nothing_saved(login, make_challenge, entity_member):
    draft = make_challenge()
    before = _count_state()
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024))
    response = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]),
        {**_form_data(draft, region="Meta"), "attachment": big},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "attachment": ["“big.pdf” is 50.0\xa0MB; the largest accepted is 10.0\xa0MB."]
    }
    assert response.context["form"]["region"].value() == "Meta"
    draft.refresh_from_db()
    assert draft.region == ""
    assert _count_state() == before


@pytest.mark.django_db
def test_executable_renamed_pdf_is_refused(login, make_challenge, entity_member):
    draft = make_challenge()
    before = _count_state()
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    response = login(entity_member).post(
        reverse("challenges:edit", args=[draft.reference]), {**_form_data(draft), "attachment": fake}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "attachment": ["“report.pdf” does not contain what its name says (PDF)."]
    }
    assert _count_state() == before


@pytest.mark.django_db
def test_attachment_remove(login, make_challenge, entity_member, who):
    draft = make_challenge()
    attachment = services.challenge_attachment_add(
        challenge=draft, uploaded_by=entity_member, file=SimpleUploadedFile("a.txt", b"hello")
    )
    url = reverse("challenges:attachment_remove", args=[draft.reference, attachment.pk])
    assert login(who("staff")).post(url).status_code == 404
    assert ChallengeAttachment.objects.count() == 1
    assert login(entity_member).post(url).status_code == 302
    assert ChallengeAttachment.objects.count() == 0


# --- Autosave ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_autosave_saves_the_draft_and_returns_the_new_version(login, make_challenge, entity_member):
    draft = make_challenge()
    response = login(entity_member).post(
        reverse("challenges:autosave", args=[draft.reference]),
        _form_data(draft, region="Boyacá"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft saved automatically at" in html
    assert '<input type="hidden" name="version" value="2" id="id_version" hx-swap-oob="true">' in html
    draft.refresh_from_db()
    assert (draft.region, draft.version) == ("Boyacá", 2)


@pytest.mark.django_db
def test_autosave_conflict_is_told_not_overwritten(login, make_challenge, entity_member):
    draft = make_challenge()
    stale = _form_data(draft)
    services.challenge_update(challenge=draft, updated_by=entity_member, expected_version=1, region="Meta")
    response = login(entity_member).post(
        reverse("challenges:autosave", args=[draft.reference]),
        {**stale, "region": "Huila"},
        HTTP_HX_REQUEST="true",
    )
    assert "someone else saved this challenge meanwhile" in response.content.decode()
    draft.refresh_from_db()
    assert draft.region == "Meta"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("evaluator", 404),
        ("staff", 404),
        ("manager", 404),
    ],
)
def test_autosave_refused_to_others(as_role, make_challenge, role, status_code):
    draft = make_challenge()
    client, _user = as_role(role)
    response = client.post(
        reverse("challenges:autosave", args=[draft.reference]),
        _form_data(draft, region="X"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == status_code
    draft.refresh_from_db()
    assert (draft.region, draft.version) == ("", 1)


@pytest.mark.django_db
def test_autosave_after_the_session_ended_says_so_and_saves_nothing(client, make_challenge):
    draft = make_challenge()
    url = reverse("challenges:autosave", args=[draft.reference])
    response = client.post(url, _form_data(draft, region="X"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Not saved automatically: you are signed out." in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()
    assert client.post(url, _form_data(draft, region="X"))["Location"] == f"/accounts/login/?next={url}"
    draft.refresh_from_db()
    assert (draft.region, draft.version) == ("", 1)


# --- Withdraw ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 302),
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("entity_member", 200),
        ("evaluator", 404),
        ("staff", 403),
        ("manager", 403),
    ],
)
def test_withdraw_role_matrix(as_role, make_challenge, role, status_code):
    submitted = make_challenge(status=ChallengeStatus.SUBMITTED)
    client, _user = as_role(role)
    assert client.get(reverse("challenges:withdraw", args=[submitted.reference])).status_code == status_code
    response = client.post(
        reverse("challenges:withdraw", args=[submitted.reference]), {"reason": "No budget."}
    )
    submitted.refresh_from_db()
    if role == "entity_member":
        assert response.status_code == 302
        assert submitted.status == ChallengeStatus.WITHDRAWN
        assert submitted.transitions.get(to_status="withdrawn").reason == "No budget."
    else:
        assert response.status_code == status_code
        assert submitted.status == ChallengeStatus.SUBMITTED


@pytest.mark.django_db
def test_withdraw_needs_a_reason(login, make_challenge, entity_member):
    submitted = make_challenge(status=ChallengeStatus.SUBMITTED)
    response = login(entity_member).post(
        reverse("challenges:withdraw", args=[submitted.reference]), {"reason": " "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.SUBMITTED


# --- Characterisation (the entity's workspace) ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 302),
        ("other_lab_staff", 404),
        ("organisation_member", 404),
        ("entity_member", 200),
        ("evaluator", 404),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_characterisation_role_matrix(as_role, make_challenge, role, status_code):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    client, _user = as_role(role)
    response = client.get(reverse("challenges:characterisation", args=[challenge.reference]))
    assert response.status_code == status_code
    worksheet_url = reverse("challenges:worksheet", args=[challenge.reference, WorksheetKind.PERSONA])
    assert client.get(worksheet_url).status_code == status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "evaluator", "organisation_member"])
def test_characterisation_of_a_public_challenge_is_403_for_outsiders(as_role, make_challenge, role):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING, is_public=True)
    client, user = as_role(role)
    response = client.get(reverse("challenges:characterisation", args=[challenge.reference]))
    assert response.status_code == (302 if user is None else 403)


@pytest.mark.django_db
def test_characterisation_page_structure_and_gaps(login, make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    response = login(entity_member).get(reverse("challenges:characterisation", args=[challenge.reference]))
    page = structure(response)
    assert page.h1_count == 1
    assert page.unlabelled_controls() == []
    assert len(page.ids) == len(set(page.ids))
    assert [g.code for g in response.context["readiness_gaps"]] == [
        "team",
        "budget",
        "legal_regime",
        "characterisation",
        "pilot_infrastructure",
    ]


@pytest.mark.django_db
def test_entity_starts_the_characterisation(login, make_challenge, entity_member):
    accepted = make_challenge(status=ChallengeStatus.ACCEPTED)
    response = login(entity_member).post(
        reverse("challenges:characterisation_start", args=[accepted.reference])
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == ChallengeStatus.CHARACTERISING


@pytest.mark.django_db
def test_characterisation_fields_saved_with_the_version(login, make_challenge, entity_member, regime):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    url = reverse("challenges:characterisation", args=[challenge.reference])
    data = {
        "version": challenge.version,
        "technical_characteristics_en": "Web forms",
        "required_functionalities_es": "Detectar robots",
        "expected_duration_months": "6",
        "estimated_cost": "120000000",
        "estimated_cost_currency": "COP",
        "legal_regime": regime.pk,
        "pilot_infrastructure_available": "on",
    }
    response = login(entity_member).post(url, data)
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.technical_characteristics == {"en": "Web forms"}
    assert challenge.required_functionalities == {"es": "Detectar robots"}
    assert (challenge.estimated_cost, challenge.legal_regime, challenge.version) == (
        Decimal("120000000"),
        regime,
        2,
    )

    stale = login(entity_member).post(url, {**data, "expected_duration_months": "9"})
    assert stale.status_code == 200
    assert stale.context["characterisation_form"].non_field_errors()[0].startswith("Someone else saved")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "currency", "errors"),
    [
        ("150.000.000,00", "COP", {"budget_amount": ["Enter a number."]}),
        (
            "150000000",
            "pesos",
            {"budget_currency": ["Select a valid choice. pesos is not one of the available choices."]},
        ),
        ("0", "COP", {"budget_amount": ["Give an amount greater than zero."]}),
    ],
)
def test_budget_in_a_wrong_format_is_refused(login, make_challenge, entity_member, amount, currency, errors):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    before = AuditEntry.objects.count()
    response = login(entity_member).post(
        reverse("challenges:characterisation_budget", args=[challenge.reference]),
        {
            "budget-budget_amount": amount,
            "budget-budget_currency": currency,
            "budget-budget_source": "2026 budget",
        },
    )
    assert response.status_code == 200
    assert response.context["budget_form"].errors == errors
    challenge.refresh_from_db()
    assert challenge.budget_amount is None
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_budget_confirmed(login, make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    response = login(entity_member).post(
        reverse("challenges:characterisation_budget", args=[challenge.reference]),
        {
            "budget-budget_amount": "150000000.50",
            "budget-budget_currency": "COP",
            "budget-budget_source": "2026",
        },
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.budget_amount, challenge.budget_currency, challenge.budget_confirmed_by) == (
        Decimal("150000000.50"),
        "COP",
        entity_member,
    )


@pytest.mark.django_db
def test_team_member_added_and_removed(login, make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    client = login(entity_member)
    missing = client.post(
        reverse("challenges:characterisation_team", args=[challenge.reference]), {"team-role": TeamRole.LEGAL}
    )
    assert missing.status_code == 200
    assert missing.context["team_form"].errors == {"name": ["Name a person, or choose a govlab user."]}
    added = client.post(
        reverse("challenges:characterisation_team", args=[challenge.reference]),
        {"team-role": TeamRole.LEGAL, "team-user": entity_member.pk},
    )
    assert added.status_code == 302
    member = ChallengeTeamMember.objects.get()
    assert (member.role, member.user) == (TeamRole.LEGAL, entity_member)
    removed = client.post(
        reverse("challenges:characterisation_team_remove", args=[challenge.reference, member.pk])
    )
    assert removed.status_code == 302
    assert ChallengeTeamMember.objects.count() == 0


@pytest.mark.django_db
def test_worksheet_saved_as_a_new_version_and_completion_checked(login, make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    client = login(entity_member)
    url = reverse("challenges:worksheet", args=[challenge.reference, WorksheetKind.STAKEHOLDER_MAP])
    page = client.get(url)
    assert structure(page).unlabelled_controls() == []
    incomplete = client.post(url, {"ws-complete": "on", "ws-stakeholders-0-name": ""})
    assert incomplete.status_code == 200
    assert incomplete.context["form"].errors == {
        "stakeholders-0-name": ["Fill this in before marking the worksheet complete."]
    }
    assert WorksheetVersion.objects.count() == 0

    saved = client.post(
        url,
        {
            "ws-complete": "on",
            "ws-stakeholders-0-name": "Citizens",
            "ws-stakeholders-0-interest": "High",
            "ws-stakeholders-1-name": "",
        },
    )
    assert saved.status_code == 302
    client.post(url, {"ws-stakeholders-0-name": "Citizens", "ws-stakeholders-1-name": "Ministry"})
    sheet = Worksheet.objects.get()
    assert (sheet.current_version, sheet.is_complete) == (2, False)
    assert list(sheet.versions.values_list("number", flat=True)) == [2, 1]
    assert sheet.versions.get(number=2).data == {
        "stakeholders": [
            {"name": "Citizens", "interest": "", "influence": "", "role": ""},
            {"name": "Ministry", "interest": "", "influence": "", "role": ""},
        ]
    }
    again = client.get(url)
    assert again.context["form"]["stakeholders-1-name"].value() == "Ministry"
    assert "stakeholders-4-name" in again.context["form"].fields


@pytest.mark.django_db
def test_worksheet_list_and_text_fields(login, make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    client = login(entity_member)
    url = reverse("challenges:worksheet", args=[challenge.reference, WorksheetKind.FIVE_WHYS])
    response = client.post(
        url,
        {"ws-problem": "Bots", "ws-whys": "Weak captcha\n\nNo monitoring\n", "ws-root_cause": "Old system"},
    )
    assert response.status_code == 302
    assert WorksheetVersion.objects.get().data == {
        "problem": "Bots",
        "whys": ["Weak captcha", "No monitoring"],
        "root_cause": "Old system",
    }
    assert client.get(reverse("challenges:worksheet", args=[challenge.reference, "nope"])).status_code == 404


@pytest.mark.django_db
def test_characterisation_read_only_once_ready(login, make_challenge, entity_member):
    ready = make_challenge(status=ChallengeStatus.READY_FOR_CALL)
    client = login(entity_member)
    url = reverse("challenges:worksheet", args=[ready.reference, WorksheetKind.PERSONA])
    assert client.get(url).status_code == 200
    assert client.post(url, {"ws-name": "Ana"}).status_code == 403
    response = client.post(
        reverse("challenges:characterisation_budget", args=[ready.reference]),
        {"budget-budget_amount": "1", "budget-budget_currency": "COP", "budget-budget_source": "x"},
    )
    assert response.status_code == 200
    assert response.context["budget_form"].non_field_errors() == [
        "The budget can be confirmed only while the challenge is being characterised."
    ]
    assert WorksheetVersion.objects.count() == 0


def test_the_evidence_upload_help_is_in_the_readers_language():
    from django.utils import translation

    from govlab.challenges.forms_public import ChallengeForm

    field = ChallengeForm.base_fields["attachment"]
    with translation.override("es"):
        spanish = str(field.help_text)
    with translation.override("en"):
        english = str(field.help_text)
    assert english == "PDF, office documents, CSV, text or images; at most 10 MB."
    assert spanish != english
    assert "10" in spanish
