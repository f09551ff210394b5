"""The lab's call pages: calls, criteria, documents, the form builder, publication, Q&A, the dashboard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.calls import services
from govlab.calls.enums import ApplicationStatus, CallStatus, QuestionKind, Stage
from govlab.calls.models import (
    Application,
    Call,
    CallCriterion,
    CallDocument,
    DeadlineExtension,
    Enquiry,
    FormQuestion,
)
from govlab.challenges.enums import ChallengeStatus
from tests.calls.conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS
from tests.factories import LabMembershipFactory, OrganisationFactory, OrganisationMembershipFactory

UTC = dt.UTC
PDF = b"%PDF-1.4\n%test\n"


def _html(response) -> str:
    return response.content.decode()


def _url(name, call, *args):
    return reverse(f"calls:{name}", args=[call.lab.slug, call.pk, *args])


@pytest.fixture
def entity_member(entity):
    return OrganisationMembershipFactory(organisation=entity, role="member").user


@pytest.fixture
def enquiry(open_call, solver_member, solver):
    return Enquiry.objects.create(
        call=open_call,
        asked_by=solver_member,
        organisation=solver,
        question="May a consortium apply?",
        language="en",
    )


@pytest.fixture
def submitted_application(complete_application, solver_member):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    complete_application.refresh_from_db()
    return complete_application


@pytest.fixture
def world(open_call, enquiry, submitted_application, lab_staff):
    """An open call with a document, an enquiry and a submitted application."""
    services.call_document_add(
        call=open_call,
        file=SimpleUploadedFile("terms.pdf", PDF, content_type="application/pdf"),
        title={"en": "Terms of reference"},
        is_template=False,
        uploaded_by=lab_staff,
    )
    return open_call


def _pages(call, enquiry, application):
    question = call.questions.order_by("position").first()
    document = call.documents.first()
    return {
        "list": reverse("calls:lab_calls", args=[call.lab.slug]),
        "create": reverse("calls:lab_call_create", args=[call.lab.slug]),
        "dashboard": _url("lab_call", call),
        "edit": _url("lab_call_edit", call),
        "criteria": _url("lab_criteria", call),
        "documents": _url("lab_documents", call),
        "document": _url("lab_document", call, document.pk),
        "form": _url("lab_form", call),
        "question_create": _url("lab_question_create", call) + "?stage=proposal&kind=short_text",
        "question_kind": _url("lab_question_create", call),
        "question": _url("lab_question", call, question.pk),
        "preview": _url("lab_form_preview", call, Stage.PROPOSAL),
        "publish": _url("lab_call_publish", call),
        "cancel": _url("lab_call_cancel", call),
        "enquiries": _url("lab_enquiries", call),
        "enquiry": _url("lab_enquiry", call, enquiry.pk),
        "extensions": _url("lab_extensions", call),
        "export_csv": _url("lab_export_csv", call),
        "export_xlsx": _url("lab_export_xlsx", call),
        "application": _url("lab_application", call, application.reference),
    }


# --- The role matrix -----------------------------------------------------------------------------

ROLES = ["lab_staff", "manager", "solver_member", "entity_member", "other_lab_staff", "anonymous"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_the_lab_team_and_is_refused_to_others(
    role, request, client, login, world, enquiry, submitted_application, lab
):
    pages = _pages(world, enquiry, submitted_application)
    if role == "anonymous":
        browser = client
    elif role == "manager":
        browser = login(LabMembershipFactory(lab=lab, role="manager").user)
    else:
        browser = login(request.getfixturevalue(role))
    statuses = {name: browser.get(url).status_code for name, url in pages.items()}
    if role in ("lab_staff", "manager"):
        assert statuses == dict.fromkeys(pages, 200)
    elif role == "anonymous":
        assert statuses == dict.fromkeys(pages, 302)
        response = client.get(pages["dashboard"])
        assert response["Location"] == f"{reverse('account_login')}?next={pages['dashboard']}"
    else:
        assert statuses == dict.fromkeys(pages, 404)


@pytest.mark.django_db
def test_another_labs_call_under_this_labs_address_is_404(login, lab_staff, lab, other_lab, make_call):
    call = make_call()
    foreign = Call.objects.create(
        lab=other_lab,
        title={"en": "Elsewhere"},
        slug="elsewhere",
        summary={"en": "x"},
        deadline=call.deadline,
    )
    browser = login(lab_staff)
    assert browser.get(reverse("calls:lab_call", args=[lab.slug, foreign.pk])).status_code == 404
    assert browser.get(reverse("calls:lab_call", args=[other_lab.slug, foreign.pk])).status_code == 404
    assert browser.get(reverse("calls:lab_call", args=[lab.slug, 999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["solver_member", "entity_member", "other_lab_staff"])
def test_write_endpoints_refused_change_nothing(role, request, login, world, enquiry, submitted_application):
    call = world
    question = call.questions.order_by("position").first()
    document = call.documents.get()
    browser = login(request.getfixturevalue(role))
    audit_before = AuditEntry.objects.count()
    posts = [
        (_url("lab_call_edit", call), {"call-slug": "hijacked"}),
        (_url("lab_question_remove", call, question.pk), {}),
        (_url("lab_question_move", call, question.pk, "down"), {}),
        (_url("lab_document_remove", call, document.pk), {}),
        (_url("lab_call_cancel", call), {"cancel-reason": "No"}),
        (
            _url("lab_enquiry", call, enquiry.pk),
            {"enquiry-answer_en": "Yes", "enquiry-public_question_en": "Q?", "enquiry-publish": "on"},
        ),
        (_url("lab_enquiry_unpublish", call, enquiry.pk), {}),
        (_url("lab_extensions", call), {"extension-organisation": submitted_application.organisation_id}),
        (_url("lab_application_invite", call, submitted_application.reference), {}),
    ]
    assert [browser.post(url, data).status_code for url, data in posts] == [404] * len(posts)
    assert AuditEntry.objects.count() == audit_before
    call.refresh_from_db()
    enquiry.refresh_from_db()
    assert (call.slug, call.status) == ("call-1", CallStatus.PUBLISHED)
    assert FormQuestion.objects.filter(pk=question.pk).exists()
    assert CallDocument.objects.filter(pk=document.pk).exists()
    assert (enquiry.answer, enquiry.is_published) == ({}, False)
    assert DeadlineExtension.objects.count() == 0


# --- Creating and editing a call -----------------------------------------------------------------


def _call_data(challenge, **overrides):
    data = {
        "call-title_en": "Bye bye Robots!",
        "call-title_es": "¡Adiós robots!",
        "call-slug": "bye-bye-robots",
        "call-summary_en": "Help us answer citizens without robots.",
        "call-description_en": "The long description.",
        "call-challenges": [challenge.pk],
        "call-eligible_kinds": ["startup", "sme"],
        "call-eligible_countries": ["LU", "BE"],
        "call-min_trl": "5",
        "call-consortium_allowed": "on",
        "call-time_zone": "Europe/Luxembourg",
        "call-publishes_at": "2027-01-10T09:00",
        "call-enquiries_close_at": "2027-03-01T12:00",
        "call-deadline": "2027-03-12T17:00",
        "call-evaluation_ends_at": "2027-04-30T17:00",
        "call-preselection_on": "2027-05-05",
        "call-max_preselected": "3",
        "call-currency": "EUR",
        "call-strengthening_budget": "25000",
        "call-pilot_budget": "150000.50",
        "call-support_en": "Mentoring and a pilot site.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_create_a_call_with_a_local_deadline(login, lab_staff, lab, ready_challenge):
    response = login(lab_staff).post(
        reverse("calls:lab_call_create", args=[lab.slug]), _call_data(ready_challenge)
    )
    call = Call.objects.get(lab=lab, slug="bye-bye-robots")
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:lab_call", args=[lab.slug, call.pk])
    assert call.title == {"en": "Bye bye Robots!", "es": "¡Adiós robots!"}
    assert call.status == CallStatus.DRAFT
    assert list(call.challenges.all()) == [ready_challenge]
    assert call.eligible_kinds == ["startup", "sme"]
    assert call.eligible_countries == ["BE", "LU"]
    assert (call.min_trl, call.consortium_allowed, call.max_preselected) == (5, True, 3)
    # 17:00 in Luxembourg in winter (UTC+1) is 16:00 UTC.
    assert call.deadline == dt.datetime(2027, 3, 12, 16, 0, tzinfo=UTC)
    assert call.publishes_at == dt.datetime(2027, 1, 10, 8, 0, tzinfo=UTC)
    assert call.preselection_on == dt.date(2027, 5, 5)
    assert (call.strengthening_budget, call.pilot_budget) == (Decimal("25000.00"), Decimal("150000.50"))
    entry = AuditEntry.objects.get(action="call.create")
    assert (entry.actor, entry.lab) == (lab_staff, lab)


@pytest.mark.django_db
def test_create_with_bad_input_keeps_every_value_and_shows_errors_at_the_fields(
    login, lab_staff, lab, ready_challenge
):
    data = _call_data(
        ready_challenge,
        **{
            "call-slug": "not a slug!",
            "call-deadline": None,
            "call-pilot_budget": "-3",
            "call-two_stage": "on",
        },
    )
    response = login(lab_staff).post(reverse("calls:lab_call_create", args=[lab.slug]), data)
    assert response.status_code == 200
    assert Call.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"slug", "deadline", "pilot_budget", "proposal_deadline"}
    assert form.errors["deadline"] == ["This field is required."]
    assert form.errors["proposal_deadline"] == ["A two-stage call needs a deadline for the full proposals."]
    html = _html(response)
    assert 'value="Bye bye Robots!"' in html
    assert 'value="¡Adiós robots!"' in html
    assert 'value="not a slug!"' in html
    assert 'value="2027-01-10T09:00"' in html
    assert "Mentoring and a pilot site.</textarea>" in html
    assert 'class="error-summary"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2027-03-28T02:30", "2027-03-28 02:30 does not exist in Europe/Luxembourg"),
        ("2027-10-31T02:30", "2027-10-31 02:30 happens twice in Europe/Luxembourg"),
    ],
)
def test_a_local_time_that_does_not_exist_or_is_ambiguous_is_refused_at_its_field(
    local, expected, login, lab_staff, lab, ready_challenge
):
    data = _call_data(ready_challenge, **{"call-deadline": local, "call-evaluation_ends_at": None})
    response = login(lab_staff).post(reverse("calls:lab_call_create", args=[lab.slug]), data)
    assert response.status_code == 200
    assert Call.objects.count() == 0
    errors = response.context["form"].errors
    assert list(errors) == ["deadline"]
    assert errors["deadline"][0].startswith(expected)
    assert f'value="{local}"' in _html(response)


@pytest.mark.django_db
def test_a_local_time_just_after_the_dst_change_is_accepted(login, lab_staff, lab, ready_challenge):
    data = _call_data(
        ready_challenge, **{"call-deadline": "2027-03-28T03:00", "call-evaluation_ends_at": None}
    )
    response = login(lab_staff).post(reverse("calls:lab_call_create", args=[lab.slug]), data)
    assert response.status_code == 302
    # 03:00 summer time (UTC+2) is 01:00 UTC.
    assert Call.objects.get().deadline == dt.datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_edit_shows_local_times_and_saves_through_the_service(login, lab_staff, draft_call):
    browser = login(lab_staff)
    local = timezone.localtime(draft_call.deadline, draft_call.zone).strftime("%Y-%m-%dT%H:%M")
    response = browser.get(_url("lab_call_edit", draft_call))
    assert f'value="{local}"' in _html(response)
    data = _call_data(
        draft_call.challenges.get(),
        **{
            "call-slug": draft_call.slug,
            "call-title_en": "Bye bye Robots! 2027",
            "call-publishes_at": None,
            "call-enquiries_close_at": None,
            "call-evaluation_ends_at": None,
            "call-preselection_on": None,
            "call-deadline": "2030-07-01T12:00",
        },
    )
    response = browser.post(_url("lab_call_edit", draft_call), data)
    assert response.status_code == 302
    draft_call.refresh_from_db()
    assert draft_call.title == {"en": "Bye bye Robots! 2027", "es": "¡Adiós robots!"}
    assert draft_call.deadline == dt.datetime(2030, 7, 1, 10, 0, tzinfo=UTC)
    assert AuditEntry.objects.filter(action="call.update", actor=lab_staff).count() == 1


@pytest.mark.django_db
def test_edit_refused_by_the_service_keeps_values_and_shows_the_error_at_the_field(
    login, lab_staff, draft_call, lab
):
    before = (draft_call.title, draft_call.deadline)
    data = _call_data(
        draft_call.challenges.get(),
        **{
            "call-slug": draft_call.slug,
            "call-title_en": "Changed",
            "call-publishes_at": None,
            "call-enquiries_close_at": None,
            "call-preselection_on": None,
            "call-deadline": "2030-07-01T12:00",
            # The service refuses an evaluation that ends before the deadline.
            "call-evaluation_ends_at": "2030-06-01T12:00",
        },
    )
    response = login(lab_staff).post(_url("lab_call_edit", draft_call), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "evaluation_ends_at": ["The evaluation ends after the submission deadline."]
    }
    assert 'value="Changed"' in _html(response)
    assert 'value="2030-06-01T12:00"' in _html(response)
    draft_call.refresh_from_db()
    assert (draft_call.title, draft_call.deadline) == before


@pytest.mark.django_db
def test_challenges_offered_are_the_ready_ones_and_those_already_in_the_call(
    login, lab_staff, lab, make_ready_challenge, draft_call
):
    in_call = draft_call.challenges.get()
    ready = make_ready_challenge()
    make_ready_challenge(status=ChallengeStatus.CHARACTERISING)
    response = login(lab_staff).get(_url("lab_call_edit", draft_call))
    offered = list(response.context["form"].fields["challenges"].queryset)
    assert offered == sorted([in_call, ready], key=lambda c: c.reference)


# --- Criteria ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_criteria_editor_shows_weights_as_percentages_and_replaces_the_criteria(login, lab_staff, draft_call):
    browser = login(lab_staff)
    response = browser.get(_url("lab_criteria", draft_call))
    html = _html(response)
    assert [round(row["percent"], 1) for row in response.context["rows"]] == [40.0, 35.0, 25.0]
    assert "40.0 %" in html
    assert response.context["formset"].forms[0]["scale"].value() == {
        "en": "0 = Absent\n1 = Weak\n2 = Good\n3 = Excellent"
    }
    assert "0 = Absent\n1 = Weak\n2 = Good\n3 = Excellent</textarea>" in html
    # As the browser sends it back: the three criteria, the first changed and moved after a new one, the
    # other two deleted, and the empty "new criterion" block left empty.
    data = {
        "criteria-TOTAL_FORMS": "5",
        "criteria-INITIAL_FORMS": "3",
        "criteria-0-name_en": "Fit with the challenge",
        "criteria-0-name_es": "Ajuste al reto",
        "criteria-0-weight": "60",
        "criteria-0-scale_en": "0 = Absent\n5 = Excellent",
        "criteria-0-scale_es": "0 = Ausente\n5 = Excelente",
        "criteria-0-ORDER": "2",
        "criteria-1-name_en": "Feasibility",
        "criteria-1-weight": "35",
        "criteria-1-scale_en": "0 = Absent\n1 = Weak",
        "criteria-1-ORDER": "3",
        "criteria-1-DELETE": "on",
        "criteria-2-DELETE": "on",
        "criteria-3-name_en": "Price",
        "criteria-3-weight": "40",
        "criteria-3-scale_en": "1 = High\n2 = Low",
        "criteria-3-ORDER": "1",
        "criteria-4-name_en": "",
        "criteria-4-scale_en": "",
    }
    response = browser.post(_url("lab_criteria", draft_call), data)
    assert response.status_code == 302
    criteria = list(draft_call.criteria.order_by("position"))
    assert [(c.name, c.weight) for c in criteria] == [
        ({"en": "Price"}, Decimal("40.00")),
        ({"en": "Fit with the challenge", "es": "Ajuste al reto"}, Decimal("60.00")),
    ]
    assert criteria[1].scale == [
        {"value": 0, "label": {"en": "Absent", "es": "Ausente"}},
        {"value": 5, "label": {"en": "Excellent", "es": "Excelente"}},
    ]
    assert AuditEntry.objects.filter(action="call.criteria").count() == 1


@pytest.mark.django_db
def test_criteria_with_a_bad_scale_are_refused_at_the_field(login, lab_staff, draft_call):
    before = list(CallCriterion.objects.filter(call=draft_call).values_list("pk", flat=True))
    data = {
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name_en": "Fit",
        "criteria-0-weight": "0",
        "criteria-0-scale_en": "Absent\n1 = Good",
    }
    response = login(lab_staff).post(_url("lab_criteria", draft_call), data)
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert form.errors["scale"] == [
        "Line 1: write it as “value = label” with a whole number, e.g. “2 = Good”."
    ]
    assert form.errors["weight"] == ["Ensure this value is greater than or equal to 0.01."]
    assert "Absent\n1 = Good</textarea>" in _html(response)
    assert list(CallCriterion.objects.filter(call=draft_call).values_list("pk", flat=True)) == before


# --- Documents -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_documents_upload_and_remove(login, lab_staff, draft_call):
    browser = login(lab_staff)
    response = browser.post(
        _url("lab_documents", draft_call),
        {
            "document-title_en": "Application template",
            "document-file": SimpleUploadedFile("template.pdf", PDF, content_type="application/pdf"),
            "document-is_template": "on",
        },
    )
    assert response.status_code == 302
    document = draft_call.documents.get()
    assert (document.title, document.original_name, document.is_template) == (
        {"en": "Application template"},
        "template.pdf",
        True,
    )
    download = browser.get(_url("lab_document", draft_call, document.pk))
    assert b"".join(download.streaming_content) == PDF
    response = browser.post(_url("lab_document_remove", draft_call, document.pk))
    assert response.status_code == 302
    assert not CallDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db
def test_a_disguised_document_is_refused_at_the_field(login, lab_staff, draft_call):
    response = login(lab_staff).post(
        _url("lab_documents", draft_call),
        {
            "document-title_en": "Terms",
            "document-file": SimpleUploadedFile("terms.pdf", b"MZ not a pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["“terms.pdf” does not contain what its name says (PDF)."]
    }
    assert 'value="Terms"' in _html(response)
    assert draft_call.documents.count() == 0


# --- The form builder ----------------------------------------------------------------------------

K = QuestionKind

# kind -> (posted settings, stored config)
EVERY_KIND = {
    K.SHORT_TEXT: ({"question-max_length": "120"}, {"max_length": 120}),
    K.LONG_TEXT: ({"question-max_length": "4000"}, {"max_length": 4000}),
    K.NUMBER: (
        {"question-min": "1", "question-max": "250", "question-integer": "on"},
        {"min": "1", "max": "250", "integer": True},
    ),
    K.MONEY: (
        {"question-min": "0", "question-max": "150000.50", "question-currency": "EUR"},
        {"min": "0", "max": "150000.50", "currency": "EUR"},
    ),
    K.DATE: (
        {"question-min_date": "2027-01-01", "question-max_date": "2027-12-31"},
        {"min": "2027-01-01", "max": "2027-12-31"},
    ),
    K.SINGLE_CHOICE: (
        {"question-choices_en": "startup = Start-up\nSME", "question-choices_es": "Empresa emergente\nPyme"},
        {
            "choices": [
                {"value": "startup", "label": {"en": "Start-up", "es": "Empresa emergente"}},
                {"value": "sme", "label": {"en": "SME", "es": "Pyme"}},
            ]
        },
    ),
    K.MULTIPLE_CHOICE: (
        {
            "question-choices_en": "web = Web\nmobile = Mobile\nphone = Telephone",
            "question-min_selected": "1",
            "question-max_selected": "2",
        },
        {
            "choices": [
                {"value": "web", "label": {"en": "Web"}},
                {"value": "mobile", "label": {"en": "Mobile"}},
                {"value": "phone", "label": {"en": "Telephone"}},
            ],
            "min_selected": 1,
            "max_selected": 2,
        },
    ),
    K.YES_NO: ({}, {}),
    K.URL: ({}, {}),
    K.FILE: (
        {"question-extensions": ["pdf", "docx"], "question-max_mb": "5"},
        {"extensions": ["docx", "pdf"], "max_mb": 5},
    ),
    K.GROUP: (
        {
            "question-row_fields": "name | short_text | Name | required\n"
            "role | single_choice | Role | optional | lead = Lead; dev = Developer",
            "question-min_rows": "1",
            "question-max_rows": "8",
        },
        {
            "min_rows": 1,
            "max_rows": 8,
            "fields": [
                {
                    "key": "name",
                    "kind": "short_text",
                    "label": {"en": "Name"},
                    "required": True,
                    "config": {"max_length": 200},
                },
                {
                    "key": "role",
                    "kind": "single_choice",
                    "label": {"en": "Role"},
                    "required": False,
                    "config": {
                        "choices": [
                            {"value": "lead", "label": {"en": "Lead"}},
                            {"value": "dev", "label": {"en": "Developer"}},
                        ]
                    },
                },
            ],
        },
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(EVERY_KIND))
def test_form_builder_adds_a_question_of_every_kind_with_its_settings(kind, login, lab_staff, draft_call):
    posted, config = EVERY_KIND[kind]
    browser = login(lab_staff)
    url = _url("lab_question_create", draft_call)
    page = browser.get(url, {"stage": "proposal", "kind": kind})
    assert page.status_code == 200
    version = draft_call.form_version
    data = {
        "stage": "proposal",
        "kind": kind,
        "question-key": f"q_{kind}",
        "question-label_en": f"A {kind} question",
        "question-help_text_en": "Some help.",
        "question-required": "on",
        **posted,
    }
    response = browser.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    question = FormQuestion.objects.get(call=draft_call, key=f"q_{kind}")
    assert (question.kind, question.stage, question.required, question.identifying) == (
        kind,
        Stage.PROPOSAL,
        True,
        False,
    )
    assert question.label == {"en": f"A {kind} question"}
    assert question.help_text == {"en": "Some help."}
    assert question.config == config
    assert question.position == 4  # after the three the fixture made
    draft_call.refresh_from_db()
    assert draft_call.form_version == version + 1
    # Its edit page shows the settings as they were typed.
    edit = browser.get(_url("lab_question", draft_call, question.pk))
    assert edit.status_code == 200
    form = edit.context["form"]
    for name, value in posted.items():
        field = name.removeprefix("question-")
        if field.endswith(("_en", "_es")):
            continue
        shown = form[field].value()
        if isinstance(value, list):
            assert sorted(shown) == sorted(value), field
        elif value == "on":
            assert shown is True, field
        else:
            assert str(shown) == value, field


# kind -> (posted settings, expected errors by field)
BAD_CONFIGS = [
    (K.SHORT_TEXT, {"question-max_length": "9999"}, {"max_length": ["Give a number from 1 to 500."]}),
    (
        K.NUMBER,
        {"question-min": "10", "question-max": "5"},
        {"max": ["The largest value must not be below the smallest."]},
    ),
    (
        K.DATE,
        {"question-min_date": "2027-12-31", "question-max_date": "2027-01-01"},
        {"max_date": ["The latest date must not be before the earliest."]},
    ),
    (K.SINGLE_CHOICE, {"question-choices_en": "Only one"}, {"choices": ["Give at least two choices."]}),
    (
        K.SINGLE_CHOICE,
        {"question-choices_en": "a = A\nb = B", "question-choices_es": "a = A"},
        {"choices": ["Give as many lines in each language: en has 2, es has 1."]},
    ),
    (
        K.MULTIPLE_CHOICE,
        {"question-choices_en": "a\nb\nc", "question-min_selected": "3", "question-max_selected": "2"},
        {"max_selected": ["The most choices must not be below the fewest."]},
    ),
    (K.FILE, {"question-max_mb": "5"}, {"extensions": ["Choose at least one file type."]}),
    (
        K.GROUP,
        {"question-row_fields": "cv | file | CV | required"},
        {
            "row_fields": [
                "Line 1: “file” is not a kind a row may hold. Use one of: short_text, long_text, number, "
                "money, date, single_choice, multiple_choice, yes_no, url."
            ]
        },
    ),
    (K.GROUP, {"question-row_fields": ""}, {"row_fields": ["A repeatable group needs at least one field."]}),
    (
        K.GROUP,
        {"question-row_fields": "Bad Key | short_text | Name"},
        {"row_fields": ["Field 1: give a key of lower-case letters, digits and underscores."]},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "posted", "errors"), BAD_CONFIGS)
def test_form_builder_refuses_bad_settings_at_the_field(kind, posted, errors, login, lab_staff, draft_call):
    before = list(FormQuestion.objects.filter(call=draft_call).values_list("pk", "config"))
    version = draft_call.form_version
    data = {"stage": "proposal", "kind": kind, "question-label_en": "Bad one", **posted}
    response = login(lab_staff).post(_url("lab_question_create", draft_call), data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert 'value="Bad one"' in _html(response)
    assert list(FormQuestion.objects.filter(call=draft_call).values_list("pk", "config")) == before
    draft_call.refresh_from_db()
    assert draft_call.form_version == version


@pytest.mark.django_db
def test_form_builder_refuses_a_key_already_used(login, lab_staff, draft_call):
    data = {"stage": "proposal", "kind": "url", "question-key": "approach", "question-label_en": "Website"}
    response = login(lab_staff).post(_url("lab_question_create", draft_call), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "key": ["Another question of this stage already has this key."]
    }
    assert FormQuestion.objects.filter(call=draft_call).count() == 3


@pytest.mark.django_db
def test_form_builder_edits_moves_and_removes_questions(login, lab_staff, draft_call):
    browser = login(lab_staff)
    first, _second, third = draft_call.questions.order_by("position")
    response = browser.post(
        _url("lab_question", draft_call, first.pk),
        {
            "question-label_en": "Name of the solution",
            "question-max_length": "80",
            "question-identifying": "on",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.label, first.config, first.required, first.identifying) == (
        {"en": "Name of the solution"},
        {"max_length": 80},
        False,
        True,
    )
    assert browser.post(_url("lab_question_move", draft_call, first.pk, "down")).status_code == 302
    assert list(draft_call.questions.order_by("position").values_list("key", flat=True)) == [
        "approach",
        "solution_name",
        "price",
    ]
    assert browser.post(_url("lab_question_remove", draft_call, third.pk)).status_code == 302
    assert list(draft_call.questions.order_by("position").values_list("key", flat=True)) == [
        "approach",
        "solution_name",
    ]


@pytest.mark.django_db
def test_preview_renders_every_kind(login, lab_staff, draft_call):
    for kind, (_posted, config) in EVERY_KIND.items():
        services.question_save(
            call=draft_call,
            updated_by=lab_staff,
            stage=Stage.PROPOSAL,
            key=f"q_{kind}",
            kind=kind,
            label={"en": f"Preview {kind}"},
            config=config,
        )
    response = login(lab_staff).get(_url("lab_form_preview", draft_call, Stage.PROPOSAL))
    html = _html(response)
    assert response.status_code == 200
    for kind in EVERY_KIND:
        assert f"Preview {kind}" in html
    assert "Developer" not in html  # group choices are not listed, only the columns
    assert "Telephone" in html
    assert "Accepted types: DOCX, PDF. At most 5 MB." in html
    assert html.count(" disabled") >= len(EVERY_KIND)


@pytest.mark.django_db
def test_a_proposal_only_call_has_no_expression_of_interest_stage(login, lab_staff, draft_call):
    browser = login(lab_staff)
    assert browser.get(_url("lab_form_preview", draft_call, Stage.EXPRESSION_OF_INTEREST)).status_code == 404
    response = browser.get(_url("lab_question_create", draft_call), {"stage": "eoi", "kind": "url"})
    assert response.templates[0].name == "calls/lab/question_kind.html"


# --- Publication ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_publish_is_refused_with_the_gaps_and_nothing_changes(login, lab_staff, lab, ready_challenge):
    call = services.call_create(
        lab=lab,
        created_by=lab_staff,
        challenges=[ready_challenge],
        title={"en": "Unfinished"},
        slug="unfinished",
        summary={"en": "Not yet."},
        deadline=timezone.now() + dt.timedelta(days=10),
    )
    browser = login(lab_staff)
    page = browser.get(_url("lab_call_publish", call))
    assert [gap.code for gap in page.context["gaps"]] == ["criteria", "questions"]
    assert "Give the weighted evaluation criteria." in _html(page)
    audit_before = AuditEntry.objects.count()
    response = browser.post(_url("lab_call_publish", call))
    assert response.status_code == 200
    assert response.context["refusal"] == [
        "Give the weighted evaluation criteria.",
        "Add at least one question to the application form.",
    ]
    assert "The call was not published" in _html(response)
    call.refresh_from_db()
    ready_challenge.refresh_from_db()
    assert (call.status, call.published_at) == (CallStatus.DRAFT, None)
    assert ready_challenge.status == ChallengeStatus.READY_FOR_CALL
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_publish_moves_the_challenge_into_the_call(login, lab_staff, draft_call):
    challenge = draft_call.challenges.get()
    browser = login(lab_staff)
    assert browser.get(_url("lab_call_publish", draft_call)).context["gaps"] == []
    response = browser.post(_url("lab_call_publish", draft_call))
    assert response.status_code == 302
    assert response["Location"] == _url("lab_call", draft_call)
    draft_call.refresh_from_db()
    challenge.refresh_from_db()
    assert draft_call.status == CallStatus.PUBLISHED
    assert challenge.status == ChallengeStatus.IN_CALL
    assert AuditEntry.objects.filter(action="call.publish", actor=lab_staff).count() == 1


@pytest.mark.django_db
def test_cancel_needs_a_reason_then_cancels(login, lab_staff, open_call):
    browser = login(lab_staff)
    response = browser.post(_url("lab_call_cancel", open_call), {"cancel-reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.PUBLISHED
    response = browser.post(
        _url("lab_call_cancel", open_call), {"cancel-reason": "The budget was withdrawn."}
    )
    assert response.status_code == 302
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.CANCELLED
    assert AuditEntry.objects.get(action="call.cancel").reason == "The budget was withdrawn."


# --- Q&A -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enquiries_list_unanswered_first(login, lab_staff, open_call, solver_member):
    answered = Enquiry.objects.create(call=open_call, asked_by=solver_member, question="First?")
    services.enquiry_answer(
        enquiry=answered, answered_by=lab_staff, answer={"en": "Yes."}, public_question={"en": "Q?"}
    )
    waiting = Enquiry.objects.create(call=open_call, asked_by=solver_member, question="Second?")
    response = login(lab_staff).get(_url("lab_enquiries", open_call))
    assert [item.pk for item in response.context["enquiries"]] == [waiting.pk, answered.pk]
    assert response.context["unanswered"] == 1


@pytest.mark.django_db
def test_answering_an_enquiry_publishes_it(login, lab_staff, enquiry, open_call):
    response = login(lab_staff).post(
        _url("lab_enquiry", open_call, enquiry.pk),
        {
            "enquiry-answer_en": "Yes, with up to three partners.",
            "enquiry-public_question_en": "May consortia apply?",
            "enquiry-publish": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("lab_enquiries", open_call)
    enquiry.refresh_from_db()
    assert enquiry.answer == {"en": "Yes, with up to three partners."}
    assert enquiry.public_question == {"en": "May consortia apply?"}
    assert (enquiry.is_published, enquiry.answered_by) == (True, lab_staff)
    assert enquiry.published_at is not None


@pytest.mark.django_db
def test_an_answer_without_text_is_refused_and_kept_unpublished(login, lab_staff, enquiry, open_call):
    response = login(lab_staff).post(
        _url("lab_enquiry", open_call, enquiry.pk),
        {"enquiry-public_question_en": "Rephrased", "enquiry-publish": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"answer": ["Give this in at least one language."]}
    assert "Rephrased</textarea>" in _html(response)
    enquiry.refresh_from_db()
    assert (enquiry.answer, enquiry.is_published) == ({}, False)


@pytest.mark.django_db
def test_publishing_with_the_published_question_emptied_is_refused_at_that_field(
    login, lab_staff, enquiry, open_call
):
    browser = login(lab_staff)
    form = browser.get(_url("lab_enquiry", open_call, enquiry.pk)).context["form"]
    assert form["public_question"].value() == {"en": "May a consortium apply?"}  # prefilled for checking
    audit_before = AuditEntry.objects.count()
    response = browser.post(
        _url("lab_enquiry", open_call, enquiry.pk),
        {
            "enquiry-answer_en": "Yes, with up to three partners.",
            "enquiry-public_question_en": "",
            "enquiry-publish": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "public_question": [
            "Give the question as it will be published, without anything that identifies the asker."
        ]
    }
    assert "Yes, with up to three partners.</textarea>" in _html(response)
    enquiry.refresh_from_db()
    assert (enquiry.answer, enquiry.public_question, enquiry.is_published, enquiry.published_at) == (
        {},
        {},
        False,
        None,
    )
    assert enquiry.answered_at is None
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_unpublish_an_answer(login, lab_staff, enquiry, open_call):
    services.enquiry_answer(
        enquiry=enquiry, answered_by=lab_staff, answer={"en": "Yes."}, public_question={"en": "Q?"}
    )
    response = login(lab_staff).post(_url("lab_enquiry_unpublish", open_call, enquiry.pk))
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.is_published is False


# --- Dashboard, applications, extensions ----------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_counts_completeness_and_eligibility(
    login, lab_staff, open_call, submitted_application, other_solver, other_solver_member, lab
):
    challenge = open_call.challenges.get()
    draft, _created = services.application_start(
        call=open_call, challenge=challenge, organisation=other_solver, started_by=other_solver_member
    )
    open_call.eligible_countries = ["LU"]
    Call.objects.filter(pk=open_call.pk).update(eligible_countries=["LU"])
    response = login(lab_staff).get(_url("lab_call", open_call))
    assert response.status_code == 200
    assert [(row["value"], row["count"]) for row in response.context["by_state"]] == [
        ("draft", 1),
        ("submitted", 1),
        ("withdrawn", 0),
    ]
    assert [(row["challenge"], row["counts"], row["total"]) for row in response.context["by_challenge"]] == [
        (challenge, [1, 1, 0], 2)
    ]
    rows = {row["application"].pk: row for row in response.context["rows"]}
    assert rows[submitted_application.pk]["gap_count"] == 0
    assert rows[submitted_application.pk]["eligibility"] == []
    # The draft misses its two required answers and the declarations; France is not eligible.
    assert rows[draft.pk]["gap_count"] == 4
    assert rows[draft.pk]["eligibility"] == ["This call is open to organisations from Luxembourg only."]
    filtered = login(lab_staff).get(_url("lab_call", open_call), {"status": "draft"})
    assert [row["application"].pk for row in filtered.context["rows"]] == [draft.pk]


@pytest.mark.django_db
def test_application_view_shows_answers_revisions_and_receipts(
    login, lab_staff, open_call, submitted_application
):
    revision = submitted_application.revisions.get()
    response = login(lab_staff).get(_url("lab_application", open_call, submitted_application.reference))
    html = _html(response)
    assert response.status_code == 200
    assert [(item["label"], item["text"]) for item in response.context["items"]] == [
        ("Name of your solution", COMPLETE_ANSWERS["solution_name"]),
        ("Your approach", COMPLETE_ANSWERS["approach"]),
        ("Indicative price", "45000 EUR"),
    ]
    assert revision.receipt_code in html
    assert revision.content_hash in html
    assert response.context["shown"] == revision


@pytest.fixture
def file_question(draft_call, lab_staff):
    return services.question_save(
        call=draft_call,
        updated_by=lab_staff,
        stage=Stage.PROPOSAL,
        key="pitch_deck",
        kind=K.FILE,
        label={"en": "Pitch deck"},
        config={"extensions": ["pdf"], "max_mb": 2},
    )


def _submitted_with_a_file(call, lab_staff, organisation, member):
    """An application to ``call`` whose pitch deck (deck.pdf) is part of its submitted revision 1."""
    services.call_publish(call=call, published_by=lab_staff)
    application, _created = services.application_start(
        call=call, challenge=call.challenges.get(), organisation=organisation, started_by=member
    )
    services.application_save(
        application=application, saved_by=member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
    )
    application.refresh_from_db()
    stored = services.application_upload(
        application=application,
        question_key="pitch_deck",
        file=SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf"),
        uploaded_by=member,
        received_at=timezone.now(),
    )
    application.refresh_from_db()
    services.application_submit(application=application, submitted_by=member, received_at=timezone.now())
    application.refresh_from_db()
    return application, stored


@pytest.mark.django_db
def test_a_submitted_file_answer_is_shown_by_name_with_its_download_link(
    login, lab_staff, draft_call, file_question, solver, solver_member
):
    application, stored = _submitted_with_a_file(draft_call, lab_staff, solver, solver_member)
    revision = application.revisions.get()
    assert revision.answers["pitch_deck"] == {
        "file": {"id": stored.pk, "name": "deck.pdf", "sha256": stored.sha256, "size": len(PDF)}
    }
    url = _url("lab_application_file", draft_call, application.reference, stored.pk)
    page = login(lab_staff).get(_url("lab_application", draft_call, application.reference))
    assert page.status_code == 200
    item = next(item for item in page.context["items"] if item["question"].key == "pitch_deck")
    assert (item["file"], item["file_name"], item["file_size"], item["text"]) == (
        stored,
        "deck.pdf",
        len(PDF),
        "deck.pdf",
    )
    assert f'<a href="{url}" download><bdi>deck.pdf</bdi></a> (15\xa0bytes)' in _html(page)


@pytest.mark.django_db
def test_application_files_download_only_for_the_lab_team_and_only_when_submitted(
    login, lab_staff, draft_call, file_question, solver, solver_member, other_lab_staff
):
    application, stored = _submitted_with_a_file(draft_call, lab_staff, solver, solver_member)
    url = _url("lab_application_file", draft_call, application.reference, stored.pk)
    response = login(lab_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="deck.pdf"'
    # The solver uses its own workspace; the lab's address is not for it, nor for another lab.
    assert login(solver_member).get(url).status_code == 404
    assert login(other_lab_staff).get(url).status_code == 404
    # A replacement uploaded after the submission is in the working copy only: not the lab's to read.
    replacement = services.application_upload(
        application=application,
        question_key="pitch_deck",
        file=SimpleUploadedFile("new-deck.pdf", PDF, content_type="application/pdf"),
        uploaded_by=solver_member,
        received_at=timezone.now(),
    )
    draft_only = _url("lab_application_file", draft_call, application.reference, replacement.pk)
    assert login(lab_staff).get(draft_only).status_code == 404
    page = login(lab_staff).get(_url("lab_application", draft_call, application.reference))
    html = _html(page)
    assert url in html
    assert draft_only not in html
    assert "new-deck.pdf" not in html
    assert page.context["changed_since"] is True
    assert "Changed since the last submission:" in html
    # A file of another application under this application's address.
    other = OrganisationFactory(kind="startup", country="LU")
    other_member = OrganisationMembershipFactory(organisation=other).user
    second, _created = services.application_start(
        call=draft_call, challenge=draft_call.challenges.get(), organisation=other, started_by=other_member
    )
    assert (
        login(lab_staff)
        .get(_url("lab_application_file", draft_call, second.reference, stored.pk))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_a_never_submitted_draft_shows_status_completeness_and_eligibility_but_no_answers(
    login, lab_staff, draft_call, file_question, solver, solver_member
):
    services.call_publish(call=draft_call, published_by=lab_staff)
    application, _created = services.application_start(
        call=draft_call, challenge=draft_call.challenges.get(), organisation=solver, started_by=solver_member
    )
    services.application_save(
        application=application, saved_by=solver_member, answers={"solution_name": "Secret plan"}
    )
    stored = services.application_upload(
        application=application,
        question_key="pitch_deck",
        file=SimpleUploadedFile("secret-deck.pdf", PDF, content_type="application/pdf"),
        uploaded_by=solver_member,
        received_at=timezone.now(),
    )
    browser = login(lab_staff)
    page = browser.get(_url("lab_application", draft_call, application.reference))
    html = _html(page)
    assert page.status_code == 200
    assert (page.context["never_submitted"], page.context["shown"], page.context["items"]) == (True, None, [])
    assert (page.context["partners"], page.context["declarations"]) == ([], [])
    # Missing: the approach (required) and the declarations.
    assert sorted(page.context["gaps"]) == ["approach", "declarations"]
    assert "<dt>Status</dt><dd>Draft</dd>" in html
    assert "2 items are missing for a submission." in html
    assert "<dt>Eligibility</dt><dd>Eligible</dd>" in html
    assert (
        "This application was never submitted: its answers and files are visible once it is submitted."
        in html
    )
    assert "Secret plan" not in html
    assert "secret-deck.pdf" not in html
    file_url = _url("lab_application_file", draft_call, application.reference, stored.pk)
    assert file_url not in html
    assert browser.get(file_url).status_code == 404


@pytest.mark.django_db
def test_a_submitted_application_shows_its_latest_revision_not_later_edits(
    login, lab_staff, open_call, submitted_application, solver_member
):
    browser = login(lab_staff)
    page = browser.get(_url("lab_application", open_call, submitted_application.reference))
    assert page.context["changed_since"] is False
    assert "Changed since the last submission" not in _html(page)
    services.application_save(
        application=submitted_application,
        saved_by=solver_member,
        answers={**COMPLETE_ANSWERS, "solution_name": "Unsubmitted rename"},
    )
    page = browser.get(_url("lab_application", open_call, submitted_application.reference))
    html = _html(page)
    assert page.context["shown"] == submitted_application.revisions.get()
    assert [item["text"] for item in page.context["items"]] == [
        COMPLETE_ANSWERS["solution_name"],
        COMPLETE_ANSWERS["approach"],
        "45000 EUR",
    ]
    assert "Unsubmitted rename" not in html
    assert page.context["changed_since"] is True
    assert "Changed since the last submission:" in html


@pytest.mark.django_db
def test_extension_is_granted_in_local_time_and_audited(
    login, lab_staff, open_call, draft_application, solver
):
    local = timezone.localtime(open_call.deadline, open_call.zone) + dt.timedelta(days=2)
    response = login(lab_staff).post(
        _url("lab_extensions", open_call),
        {
            "extension-organisation": solver.pk,
            "extension-until": local.strftime("%Y-%m-%dT%H:%M"),
            "extension-reason": "Their server room flooded.",
        },
    )
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    expected = local.replace(second=0, microsecond=0).astimezone(UTC)
    assert (extension.organisation, extension.stage, extension.until) == (solver, Stage.PROPOSAL, expected)
    entry = AuditEntry.objects.get(action="call.extension.grant")
    assert (entry.actor, entry.reason) == (lab_staff, "Their server room flooded.")
    page = login(lab_staff).get(_url("lab_extensions", open_call))
    assert "Their server room flooded." in _html(page)


@pytest.mark.django_db
def test_extension_before_the_deadline_is_refused_at_the_field(
    login, lab_staff, open_call, draft_application, solver
):
    local = timezone.localtime(open_call.deadline, open_call.zone) - dt.timedelta(hours=1)
    response = login(lab_staff).post(
        _url("lab_extensions", open_call),
        {
            "extension-organisation": solver.pk,
            "extension-until": local.strftime("%Y-%m-%dT%H:%M"),
            "extension-reason": "Late",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["until"]
    assert response.context["form"].errors["until"][0].startswith("Give a time after the call's deadline")
    assert DeadlineExtension.objects.count() == 0
    assert not AuditEntry.objects.filter(action="call.extension.grant").exists()


@pytest.mark.django_db
def test_invite_an_expression_of_interest_to_the_full_proposal(
    login, lab_staff, make_call, solver, solver_member
):
    now = timezone.now()
    call = make_call(
        publish=True,
        slug="two-stage",
        two_stage=True,
        deadline=now + dt.timedelta(days=5),
        proposal_deadline=now + dt.timedelta(days=30),
    )
    eoi, _created = services.application_start(
        call=call, challenge=call.challenges.get(), organisation=solver, started_by=solver_member
    )
    assert eoi.stage == Stage.EXPRESSION_OF_INTEREST
    services.application_save(
        application=eoi, saved_by=solver_member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
    )
    eoi.refresh_from_db()
    services.application_submit(application=eoi, submitted_by=solver_member, received_at=timezone.now())
    browser = login(lab_staff)
    page = browser.get(_url("lab_application", call, eoi.reference))
    assert page.context["can_invite"] is True
    response = browser.post(_url("lab_application_invite", call, eoi.reference))
    assert response.status_code == 302
    proposal = Application.objects.get(call=call, organisation=solver, stage=Stage.PROPOSAL)
    assert (proposal.status, proposal.invited_at is not None) == (ApplicationStatus.DRAFT, True)
    assert browser.get(_url("lab_application", call, eoi.reference)).context["invited"] == proposal


# --- Query counts --------------------------------------------------------------------------------


def _applications(call, count):
    challenge = call.challenges.get()
    for _index in range(count):
        organisation = OrganisationFactory(kind="startup", country="LU")
        member = OrganisationMembershipFactory(organisation=organisation).user
        application, _created = services.application_start(
            call=call, challenge=challenge, organisation=organisation, started_by=member
        )
        services.application_save(
            application=application, saved_by=member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
        )
        Enquiry.objects.create(call=call, asked_by=member, question="Why?")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 15])
def test_call_list_queries_are_flat(
    count, login, lab_staff, open_call, make_call, django_assert_max_num_queries
):
    make_call(slug="second")
    _applications(open_call, count)
    browser = login(lab_staff)
    browser.get(reverse("calls:lab_calls", args=[open_call.lab.slug]))  # warm the session and caches
    with django_assert_max_num_queries(6):
        response = browser.get(reverse("calls:lab_calls", args=[open_call.lab.slug]))
    assert response.status_code == 200
    assert {call.slug: call.application_count for call in response.context["calls"]} == {
        open_call.slug: count,
        "second": 0,
    }


@pytest.mark.django_db
def test_call_list_counts_are_exact_whatever_the_other_relations(
    login, lab_staff, make_ready_challenge, make_call, django_assert_max_num_queries
):
    first, second_challenge = make_ready_challenge(), make_ready_challenge()
    call = make_call(publish=True, slug="two-challenges", challenges=[first, second_challenge])
    make_call(slug="empty", challenges=[make_ready_challenge()])
    applications = []
    for challenge in (first, first, second_challenge):
        organisation = OrganisationFactory(kind="startup", country="LU")
        member = OrganisationMembershipFactory(organisation=organisation).user
        application, _created = services.application_start(
            call=call, challenge=challenge, organisation=organisation, started_by=member
        )
        applications.append((application, member))
    application, member = applications[0]
    services.application_save(
        application=application, saved_by=member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
    )
    application.refresh_from_db()
    services.application_submit(application=application, submitted_by=member, received_at=timezone.now())
    Enquiry.objects.create(call=call, asked_by=member, question="First?")
    Enquiry.objects.create(call=call, asked_by=member, question="Second?")
    answered = Enquiry.objects.create(call=call, asked_by=member, question="Third?")
    services.enquiry_answer(
        enquiry=answered, answered_by=lab_staff, answer={"en": "Yes."}, public_question={"en": "Q?"}
    )
    browser = login(lab_staff)
    browser.get(reverse("calls:lab_calls", args=[call.lab.slug]))
    with django_assert_max_num_queries(6):
        response = browser.get(reverse("calls:lab_calls", args=[call.lab.slug]))
    counts = {
        item.slug: (
            item.challenge_count,
            item.application_count,
            item.submitted_count,
            item.draft_count,
            item.unanswered_count,
        )
        for item in response.context["calls"]
    }
    assert counts == {"two-challenges": (2, 3, 1, 2, 2), "empty": (1, 0, 0, 0, 0)}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 15])
def test_dashboard_queries_are_flat(count, login, lab_staff, open_call, django_assert_max_num_queries):
    _applications(open_call, count)
    browser = login(lab_staff)
    browser.get(_url("lab_call", open_call))
    with django_assert_max_num_queries(13):
        response = browser.get(_url("lab_call", open_call))
    assert len(response.context["rows"]) == count
