"""The calls services: publication, Q&A, applications, the deadline, revisions, receipts, extensions."""

import datetime as dt
import hashlib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from govlab.audit.models import AuditEntry
from govlab.calls import receipts, services
from govlab.calls.enums import ApplicationStatus, CallStatus, FollowKind, QuestionKind, Stage
from govlab.calls.models import (
    Application,
    ApplicationRevision,
    Call,
    DeadlineReminder,
    Enquiry,
    FormQuestion,
)
from govlab.calls.tasks import send_deadline_reminders
from govlab.challenges.enums import ChallengeStatus
from govlab.notifications.models import Notification
from tests.calls.conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS, CRITERIA
from tests.factories import (
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def refusal(callable_, **kwargs):
    with pytest.raises(ValidationError) as caught:
        callable_(**kwargs)
    return caught.value


# --- Calls -----------------------------------------------------------------------------------------


def test_create_call_with_criteria_and_timeline(lab, lab_staff, ready_challenge):
    deadline = timezone.now() + dt.timedelta(days=20)
    call = services.call_create(
        lab=lab,
        created_by=lab_staff,
        challenges=[ready_challenge],
        criteria=CRITERIA,
        title={"en": "Bye bye Robots!", "fr": "Au revoir les robots !"},
        slug="bye-bye-robots",
        summary={"en": "Replace phone robots."},
        deadline=deadline,
        eligible_kinds=["sme", "startup"],
        eligible_countries=["lu", "BE"],
        min_trl=4,
    )
    assert call.status == CallStatus.DRAFT
    assert call.time_zone == lab.time_zone
    assert call.currency == lab.currency
    assert call.eligible_kinds == ["startup", "sme"]
    assert call.eligible_countries == ["BE", "LU"]
    assert [(str(c), c.weight) for c in call.criteria.all()] == [
        ("Innovation", Decimal("40.00")),
        ("Feasibility", Decimal("35.00")),
        ("Team", Decimal("25.00")),
    ]
    assert call.criteria.first().scale[0] == {"value": 0, "label": {"en": "Absent"}}
    assert AuditEntry.objects.filter(action="call.create", target_id=str(call.pk)).count() == 1


def test_create_refuses_a_challenge_that_is_not_ready(lab, lab_staff, make_ready_challenge):
    challenge = make_ready_challenge(status=ChallengeStatus.CHARACTERISING)
    error = refusal(
        services.call_create,
        lab=lab,
        created_by=lab_staff,
        challenges=[challenge],
        title={"en": "x"},
        slug="x",
        summary={"en": "x"},
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    assert error.message_dict == {
        "challenges": [f"“{challenge.reference}” is not ready for a call (it is characterising)."]
    }
    assert Call.objects.count() == 0


def test_create_refuses_an_inconsistent_timeline(lab, lab_staff, ready_challenge):
    deadline = timezone.now() + dt.timedelta(days=5)
    error = refusal(
        services.call_create,
        lab=lab,
        created_by=lab_staff,
        challenges=[ready_challenge],
        title={"en": "x"},
        slug="x",
        summary={"en": "x"},
        deadline=deadline,
        enquiries_close_at=deadline + dt.timedelta(days=1),
        proposal_deadline=deadline + dt.timedelta(days=9),
        demo_day_on=(deadline - dt.timedelta(days=2)).date(),
    )
    assert error.message_dict == {
        "enquiries_close_at": ["Close the enquiry period no later than the deadline."],
        "proposal_deadline": ["Only a two-stage call has a full proposal deadline."],
        "demo_day_on": ["This date comes after the submission deadline."],
    }
    assert Call.objects.count() == 0


def test_criteria_refused_field_by_field_and_nothing_changed(draft_call, lab_staff):
    error = refusal(
        services.call_set_criteria,
        call=draft_call,
        updated_by=lab_staff,
        criteria=[
            {"name": {"en": "Impact"}, "weight": "0", "scale": [{"value": 0, "label": "No"}]},
            {"name": {}, "weight": "10", "scale": []},
        ],
    )
    assert error.message_dict == {
        "criteria.0.weight": ["Give a weight above zero, e.g. 30."],
        "criteria.0.scale": ["Give a scale of at least two labelled levels."],
        "criteria.1.name": ["Give this in at least one language."],
    }
    assert draft_call.criteria.count() == 3


def test_publication_gaps_and_refusal_change_nothing(lab, lab_staff, ready_challenge):
    call = services.call_create(
        lab=lab,
        created_by=lab_staff,
        title={"en": "Empty"},
        slug="empty",
        summary={"en": "Nothing yet"},
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    error = refusal(services.call_publish, call=call, published_by=lab_staff)
    assert error.code == "not_ready"
    assert error.message_dict == {
        "challenges": ["Choose at least one challenge that is ready for a call."],
        "criteria": ["Give the weighted evaluation criteria."],
        "questions": ["Add at least one question to the application form."],
    }
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert call.published_at is None


def test_publish_moves_challenges_to_in_call_and_tells_followers(draft_call, lab_staff, ready_challenge, lab):
    sector = TermFactory(vocabulary="sector")
    ready_challenge.sectors.add(sector)
    lab_follower = OrganisationMembershipFactory().user
    sector_follower = OrganisationMembershipFactory().user
    services.follow(user=lab_follower, kind=FollowKind.LAB, target=lab)
    services.follow(user=lab_follower, kind=FollowKind.LAB, target=lab)  # idempotent
    services.follow(user=sector_follower, kind=FollowKind.SECTOR, target=sector)
    call = services.call_publish(call=draft_call, published_by=lab_staff)
    assert call.status == CallStatus.PUBLISHED
    assert call.publishes_at == call.published_at
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.IN_CALL
    assert ready_challenge.transitions.last().to_status == ChallengeStatus.IN_CALL
    published = Notification.objects.filter(kind="call.published")
    assert sorted(n.recipient_id for n in published) == sorted([lab_follower.pk, sector_follower.pk])
    assert published.first().url == f"/en/calls/{lab.slug}/{call.slug}/" or published.first().url.endswith(
        f"/calls/{lab.slug}/{call.slug}/"
    )


def test_publish_is_for_lab_staff_only(draft_call, solver_member, other_lab_staff):
    for person in (solver_member, other_lab_staff):
        error = refusal(services.call_publish, call=draft_call, published_by=person)
        assert error.code == "not_allowed"
    draft_call.refresh_from_db()
    assert draft_call.status == CallStatus.DRAFT


def test_challenge_transition_to_in_call_only_through_a_call(ready_challenge, lab_staff, lab):
    from govlab.challenges.services import challenge_transition

    superuser = LabMembershipFactory(lab=lab, role="manager").user
    superuser.is_superuser = True
    superuser.save()
    for actor in (lab_staff, superuser):
        error = refusal(
            challenge_transition, challenge=ready_challenge, target=ChallengeStatus.IN_CALL, actor=actor
        )
        assert error.code == "not_allowed"
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.READY_FOR_CALL


def test_cancel_returns_challenges_to_ready(open_call, lab_staff, ready_challenge, draft_application):
    error = refusal(services.call_cancel, call=open_call, cancelled_by=lab_staff, reason=" ")
    assert error.message_dict == {"reason": ["Say why the call is cancelled: applicants will read it."]}
    services.call_cancel(call=open_call, cancelled_by=lab_staff, reason="Budget withdrawn")
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.READY_FOR_CALL
    assert Notification.objects.filter(kind="call.cancelled").count() == 1


# --- Form builder ----------------------------------------------------------------------------------


def test_question_of_every_kind_can_be_added(draft_call, lab_staff):
    configs = {
        QuestionKind.SHORT_TEXT: {"max_length": 50},
        QuestionKind.LONG_TEXT: {"max_length": 1000},
        QuestionKind.NUMBER: {"integer": True},
        QuestionKind.MONEY: {"currency": "EUR"},
        QuestionKind.DATE: {},
        QuestionKind.SINGLE_CHOICE: {"choices": ["a", "b"]},
        QuestionKind.MULTIPLE_CHOICE: {"choices": ["a", "b", "c"], "max_selected": 2},
        QuestionKind.YES_NO: {},
        QuestionKind.URL: {},
        QuestionKind.FILE: {"extensions": ["pdf"], "max_mb": 2},
        QuestionKind.GROUP: {"fields": [{"key": "name", "kind": "short_text", "label": "Name"}]},
    }
    version = draft_call.form_version
    for kind, config in configs.items():
        services.question_save(
            call=draft_call, updated_by=lab_staff, kind=kind, label={"en": f"Q {kind}"}, config=config
        )
    draft_call.refresh_from_db()
    assert draft_call.form_version == version + len(configs)
    keys = list(FormQuestion.objects.filter(call=draft_call).values_list("key", flat=True))
    assert keys[-2:] == ["q_file", "q_group"]
    assert len(set(keys)) == len(keys)


def test_question_refusals_are_by_field(draft_call, lab_staff):
    error = refusal(
        services.question_save,
        call=draft_call,
        updated_by=lab_staff,
        key="approach",
        kind=QuestionKind.FILE,
        label={},
        config={"extensions": ["exe"]},
    )
    assert error.message_dict == {
        "label": ["Give this in at least one language."],
        "config.extensions": ["Not an accepted file type: exe."],
        "key": ["Another question of this stage already has this key."],
    }


def test_form_changed_while_drafts_exist_keeps_answers_and_submit_names_what_is_missing(
    complete_application, solver_member, lab_staff, open_call
):
    question = FormQuestion.objects.get(call=open_call, key="approach")
    services.question_remove(question=question, removed_by=lab_staff)
    services.question_save(
        call=open_call,
        updated_by=lab_staff,
        key="pilot_site",
        kind=QuestionKind.SHORT_TEXT,
        label={"en": "Where would you pilot?"},
        required=True,
    )
    complete_application.refresh_from_db()
    assert complete_application.answers["approach"] == COMPLETE_ANSWERS["approach"]
    error = refusal(
        services.application_submit,
        application=complete_application,
        submitted_by=solver_member,
        received_at=timezone.now(),
    )
    assert error.code == "incomplete"
    assert error.message_dict == {"pilot_site": ["This question is required."]}
    assert ApplicationRevision.objects.count() == 0


# --- Q&A -------------------------------------------------------------------------------------------


def test_enquiry_asked_answered_published_anonymously(open_call, solver_member, lab_staff, draft_application):
    other = OrganisationMembershipFactory(organisation=draft_application.organisation).user
    enquiry = services.enquiry_ask(call=open_call, asked_by=solver_member, question="Can a consortium apply?")
    assert Notification.objects.filter(kind="call.enquiry", recipient=lab_staff).count() == 1
    services.enquiry_answer(
        enquiry=enquiry,
        answered_by=lab_staff,
        answer={"en": "Yes, led by one organisation."},
        public_question={"en": "May consortia apply?"},
    )
    enquiry.refresh_from_db()
    assert enquiry.is_published
    assert enquiry.public_question == {"en": "May consortia apply?"}
    recipients = set(
        Notification.objects.filter(kind="call.enquiry.answered").values_list("recipient_id", flat=True)
    )
    assert recipients == {solver_member.pk, other.pk}


def test_enquiry_refused_after_the_enquiry_period(make_call, solver_member):
    now = timezone.now()
    call = make_call(publish=True, enquiries_close_at=now + dt.timedelta(hours=1))
    with freeze_time(now + dt.timedelta(hours=2)):
        error = refusal(services.enquiry_ask, call=call, asked_by=solver_member, question="Late?")
    assert error.code == "enquiries_closed"
    assert Enquiry.objects.count() == 0


def test_answer_is_for_staff_only(open_call, solver_member):
    enquiry = services.enquiry_ask(call=open_call, asked_by=solver_member, question="?")
    error = refusal(services.enquiry_answer, enquiry=enquiry, answered_by=solver_member, answer={"en": "Me"})
    assert error.code == "not_allowed"


# --- Applications ----------------------------------------------------------------------------------


def test_start_is_idempotent(open_call, ready_challenge, solver, solver_member):
    first, created = services.application_start(
        call=open_call, challenge=ready_challenge, organisation=solver, started_by=solver_member
    )
    second, created_again = services.application_start(
        call=open_call, challenge=ready_challenge, organisation=solver, started_by=solver_member
    )
    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert Application.objects.count() == 1
    assert first.reference.startswith("APP-")


def test_start_refuses_a_forged_organisation(open_call, ready_challenge, other_solver, solver_member):
    error = refusal(
        services.application_start,
        call=open_call,
        challenge=ready_challenge,
        organisation=other_solver,
        started_by=solver_member,
    )
    assert error.code == "not_member"
    assert Application.objects.count() == 0


def test_eligibility(make_call, ready_challenge, lab):
    call = make_call(publish=True, eligible_kinds=["startup"], eligible_countries=["LU"], min_trl=6)
    research = OrganisationFactory(kind="research", country="FR", trl=None)
    assert services.eligibility_problems(call, research) == [
        "This call is not open to organisations of this kind (University or research centre).",
        "This call is open to organisations from Luxembourg only.",
        "Give your solution's TRL in your organisation's profile: this call asks for TRL 6 or more.",
    ]
    startup = OrganisationFactory(kind="startup", country="LU", trl=7)
    assert services.eligibility_problems(call, startup) == []
    member = OrganisationMembershipFactory(organisation=research).user
    error = refusal(
        services.application_start,
        call=call,
        challenge=ready_challenge,
        organisation=research,
        started_by=member,
    )
    assert error.code == "not_eligible"


def test_save_keeps_what_does_not_pass_and_reports_it(draft_application, solver_member):
    result = services.application_save(
        application=draft_application,
        saved_by=solver_member,
        answers={"solution_name": "x" * 150, "price": "cheap", "approach": "Talk to people", "nope": "?"},
    )
    assert result.errors == {
        "solution_name": ["Keep this to 100 characters; it has 150."],
        "price": ["Give a number, e.g. 1250 or 12.5."],
        "nope": ["There is no such question in this form."],
    }
    draft_application.refresh_from_db()
    assert draft_application.answers == {
        "solution_name": "x" * 150,
        "price": "cheap",
        "approach": "Talk to people",
    }
    assert draft_application.version == 2


def test_one_megabyte_of_text_is_refused_and_the_rest_kept(draft_application, solver_member):
    result = services.application_save(
        application=draft_application,
        saved_by=solver_member,
        answers={"approach": "x" * 1_000_000, "solution_name": "Kept"},
    )
    assert result.errors == {
        "approach": ["This answer is too large to save (over 60000 characters); shorten it."]
    }
    draft_application.refresh_from_db()
    assert draft_application.answers == {"solution_name": "Kept"}


def test_save_with_a_stale_version_is_a_conflict(draft_application, solver_member):
    services.application_save(
        application=draft_application, saved_by=solver_member, answers={"solution_name": "A"}
    )
    error = refusal(
        services.application_save,
        application=draft_application,
        saved_by=solver_member,
        answers={"solution_name": "B"},
        expected_version=1,
    )
    assert error.code == "conflict"
    draft_application.refresh_from_db()
    assert draft_application.answers == {"solution_name": "A"}


def test_another_organisation_cannot_save_or_submit(draft_application, other_solver_member):
    for function, extra in (
        (services.application_save, {"saved_by": other_solver_member, "answers": {"solution_name": "Mine"}}),
        (services.application_submit, {"submitted_by": other_solver_member, "received_at": timezone.now()}),
        (services.application_withdraw, {"withdrawn_by": other_solver_member}),
    ):
        error = refusal(function, application=draft_application, **extra)
        assert error.code == "not_allowed"
    draft_application.refresh_from_db()
    assert (draft_application.answers, draft_application.status) == ({}, ApplicationStatus.DRAFT)


def test_submit_freezes_a_revision_with_a_verifiable_receipt(complete_application, solver_member):
    received = timezone.now()
    revision = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=received
    )
    assert revision.number == 1
    assert revision.received_at == received
    assert revision.answers == {
        "solution_name": "Human first",
        "approach": "We route calls to people.",
        "price": "45000",
    }
    assert revision.declarations == ALL_DECLARATIONS
    assert len(revision.content_hash) == 64
    assert receipts.verify(revision.receipt_code, revision.content_hash) == revision
    assert receipts.verify(revision.receipt_code, "0" * 64) is None
    assert receipts.verify("R-NOPE-NOPE-NOPE", revision.content_hash) is None
    complete_application.refresh_from_db()
    assert complete_application.status == ApplicationStatus.SUBMITTED
    receipt = Notification.objects.get(kind="application.receipt")
    assert revision.receipt_code in receipt.subject
    assert revision.content_hash in receipt.body
    assert (
        AuditEntry.objects.filter(action="application.submit", target_id=str(complete_application.pk)).count()
        == 1
    )


def test_tampering_breaks_the_receipt(complete_application, solver_member):
    revision = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    ApplicationRevision.objects.filter(pk=revision.pk).update(answers={**revision.answers, "price": "1"})
    assert receipts.verify(revision.receipt_code, revision.content_hash) is None


def test_double_submit_stores_once(complete_application, solver_member):
    first = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    second = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    assert first.pk == second.pk
    assert ApplicationRevision.objects.count() == 1


def test_edits_after_submitting_make_a_new_revision(complete_application, solver_member):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    services.application_save(
        application=complete_application, saved_by=solver_member, answers={"price": "39000"}
    )
    complete_application.refresh_from_db()
    assert complete_application.has_unsubmitted_changes
    assert complete_application.status == ApplicationStatus.SUBMITTED
    second = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    assert second.number == 2
    history = [(r.number, r.answers["price"]) for r in complete_application.revisions.all()]
    assert history == [(2, "39000"), (1, "45000")]


def test_incomplete_submit_is_refused_by_question(draft_application, solver_member):
    services.application_save(
        application=draft_application, saved_by=solver_member, answers={"solution_name": "Only"}
    )
    error = refusal(
        services.application_submit,
        application=draft_application,
        submitted_by=solver_member,
        received_at=timezone.now(),
    )
    assert error.code == "incomplete"
    assert error.message_dict == {
        "approach": ["This question is required."],
        "declarations": [
            "Confirm: We meet the eligibility conditions of this call.",
            "Confirm: We accept the terms of this call, including how our data are processed.",
            "Confirm: The information we give is true and complete to the best of our knowledge.",
        ],
    }
    draft_application.refresh_from_db()
    assert draft_application.status == ApplicationStatus.DRAFT


# --- The deadline ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(dt.timedelta(seconds=-1), True), (dt.timedelta(0), False), (dt.timedelta(seconds=1), False)],
    ids=["one-second-before", "at", "one-second-after"],
)
def test_deadline_edges(complete_application, solver_member, open_call, offset, accepted):
    received = open_call.deadline + offset
    if accepted:
        revision = services.application_submit(
            application=complete_application, submitted_by=solver_member, received_at=received
        )
        assert revision.received_at == received
    else:
        error = refusal(
            services.application_submit,
            application=complete_application,
            submitted_by=solver_member,
            received_at=received,
        )
        assert error.code == "deadline_passed"
        local = timezone.localtime(open_call.deadline, ZoneInfo("Europe/Luxembourg"))
        assert error.messages == [
            f"The deadline was {local.day} {local:%B %Y, %H:%M} (Europe/Luxembourg); submissions are closed."
        ]
        assert ApplicationRevision.objects.count() == 0


def test_a_request_that_arrived_in_time_succeeds_even_if_it_completes_late(
    complete_application, solver_member, open_call
):
    with freeze_time(open_call.deadline + dt.timedelta(seconds=3)):
        revision = services.application_submit(
            application=complete_application,
            submitted_by=solver_member,
            received_at=open_call.deadline - dt.timedelta(milliseconds=1),
        )
    assert revision.submitted_at > open_call.deadline > revision.received_at


def test_deadline_in_the_calls_time_zone_across_a_dst_change(
    make_call, ready_challenge, solver, solver_member
):
    # Europe/Stockholm leaves summer time at 03:00 on 31 October 2027: 02:30 happens twice.
    stockholm = ZoneInfo("Europe/Stockholm")
    deadline = dt.datetime(2027, 10, 31, 12, 0, tzinfo=stockholm)  # after the change: UTC+1
    with freeze_time(dt.datetime(2027, 10, 20, tzinfo=dt.UTC)):
        call = make_call(publish=True, deadline=deadline, time_zone="Europe/Stockholm")
        application, _ = services.application_start(
            call=call, challenge=ready_challenge, organisation=solver, started_by=solver_member
        )
        services.application_save(
            application=application,
            saved_by=solver_member,
            answers=COMPLETE_ANSWERS,
            declarations=ALL_DECLARATIONS,
        )
    assert call.deadline == dt.datetime(2027, 10, 31, 11, 0, tzinfo=dt.UTC)
    late = refusal(
        services.application_submit,
        application=application,
        submitted_by=solver_member,
        received_at=dt.datetime(2027, 10, 31, 11, 0, 0, tzinfo=dt.UTC),
    )
    assert late.messages == [
        "The deadline was 31 October 2027, 12:00 (Europe/Stockholm); submissions are closed."
    ]
    revision = services.application_submit(
        application=application,
        submitted_by=solver_member,
        received_at=dt.datetime(2027, 10, 31, 10, 59, 59, tzinfo=dt.UTC),
    )
    assert revision.number == 1


def test_saving_and_uploading_after_the_deadline_are_refused(complete_application, solver_member, open_call):
    late = open_call.deadline + dt.timedelta(seconds=1)
    error = refusal(
        services.application_save,
        application=complete_application,
        saved_by=solver_member,
        answers={"price": "1"},
        received_at=late,
    )
    assert error.code == "deadline_passed"
    complete_application.refresh_from_db()
    assert complete_application.answers["price"] == "45000"


def test_extension_lets_one_organisation_submit_late(
    complete_application, solver_member, open_call, lab_staff, solver
):
    error = refusal(
        services.extension_grant,
        call=open_call,
        organisation=solver,
        until=open_call.deadline - dt.timedelta(hours=1),
        reason="",
        granted_by=lab_staff,
    )
    assert set(error.message_dict) == {"reason", "until"}
    services.extension_grant(
        call=open_call,
        organisation=solver,
        until=open_call.deadline + dt.timedelta(hours=2),
        reason="Server outage at the applicant's ISP",
        granted_by=lab_staff,
    )
    entry = AuditEntry.objects.get(action="call.extension.grant")
    assert entry.reason == "Server outage at the applicant's ISP"
    revision = services.application_submit(
        application=complete_application,
        submitted_by=solver_member,
        received_at=open_call.deadline + dt.timedelta(hours=1),
    )
    assert revision.number == 1


def test_extension_is_for_staff_only(open_call, solver, solver_member):
    error = refusal(
        services.extension_grant,
        call=open_call,
        organisation=solver,
        until=open_call.deadline + dt.timedelta(days=1),
        reason="Please",
        granted_by=solver_member,
    )
    assert error.code == "not_allowed"


# --- Withdrawal ------------------------------------------------------------------------------------


def test_withdraw_then_submit_is_refused(complete_application, solver_member):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    services.application_withdraw(
        application=complete_application, withdrawn_by=solver_member, reason="Sold the company"
    )
    complete_application.refresh_from_db()
    assert complete_application.status == ApplicationStatus.WITHDRAWN
    error = refusal(
        services.application_submit,
        application=complete_application,
        submitted_by=solver_member,
        received_at=timezone.now(),
    )
    assert error.code == "withdrawn"
    assert ApplicationRevision.objects.count() == 1


def test_withdraw_after_the_deadline_is_refused(complete_application, solver_member, open_call):
    error = refusal(
        services.application_withdraw,
        application=complete_application,
        withdrawn_by=solver_member,
        received_at=open_call.deadline,
    )
    assert error.code == "deadline_passed"
    complete_application.refresh_from_db()
    assert complete_application.status == ApplicationStatus.DRAFT


# --- Files -----------------------------------------------------------------------------------------


@pytest.fixture
def file_question(open_call, lab_staff):
    return services.question_save(
        call=open_call,
        updated_by=lab_staff,
        key="deck",
        kind=QuestionKind.FILE,
        label={"en": "Pitch deck"},
        required=True,
        config={"extensions": ["pdf"], "max_mb": 1},
    )


def test_upload_stores_under_a_random_name_and_answers_the_question(
    file_question, draft_application, solver_member
):
    stored = services.application_upload(
        application=draft_application,
        question_key="deck",
        file=SimpleUploadedFile("Acme Robotics deck.pdf", PDF, content_type="application/pdf"),
        uploaded_by=solver_member,
    )
    assert stored.original_name == "Acme Robotics deck.pdf"
    assert "Acme" not in stored.file.name
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    draft_application.refresh_from_db()
    assert draft_application.answers == {"deck": stored.pk}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deck.exe", b"MZ\x90\x00", "“deck.exe” is not an accepted file type. Accepted types: PDF."),
        (
            "deck.pdf",
            b"\x89PNG\r\n\x1a\n" + b"0" * 20,
            "“deck.pdf” does not contain what its name says (PDF).",
        ),
        (
            "deck.pdf",
            b"%PDF-" + b"0" * (1024 * 1024 + 1),
            "“deck.pdf” is 1.0\xa0MB; the largest accepted is 1.0\xa0MB.",
        ),
    ],
    ids=["type", "disguised", "oversized"],
)
def test_bad_files_are_refused(file_question, draft_application, solver_member, name, content, message):
    error = refusal(
        services.application_upload,
        application=draft_application,
        question_key="deck",
        file=SimpleUploadedFile(name, content),
        uploaded_by=solver_member,
    )
    assert error.message_dict == {"deck": [message]}
    assert draft_application.files.count() == 0


def test_binary_disguised_as_text_is_refused(open_call, lab_staff, draft_application, solver_member):
    services.question_save(
        call=open_call,
        updated_by=lab_staff,
        key="budget_csv",
        kind=QuestionKind.FILE,
        label={"en": "Budget"},
        config={"extensions": ["csv"], "max_mb": 1},
    )
    error = refusal(
        services.application_upload,
        application=draft_application,
        question_key="budget_csv",
        file=SimpleUploadedFile("budget.csv", b"MZ\x00\x00\x90binary"),
        uploaded_by=solver_member,
    )
    assert error.message_dict == {"budget_csv": ["“budget.csv” does not contain what its name says (CSV)."]}


def test_required_file_missing_blocks_submit(file_question, complete_application, solver_member):
    error = refusal(
        services.application_submit,
        application=complete_application,
        submitted_by=solver_member,
        received_at=timezone.now(),
    )
    assert error.message_dict == {"deck": ["This question is required."]}


def test_receipt_hash_covers_the_file_content(file_question, complete_application, solver_member):
    stored = services.application_upload(
        application=complete_application,
        question_key="deck",
        file=SimpleUploadedFile("d.pdf", PDF),
        uploaded_by=solver_member,
    )
    revision = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    assert revision.answers["deck"] == {
        "file": {
            "id": stored.pk,
            "name": "d.pdf",
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "size": len(PDF),
        }
    }
    assert receipts.verify(revision.receipt_code, revision.content_hash) == revision


# --- Two stages ------------------------------------------------------------------------------------


def test_two_stage_invitation(make_call, ready_challenge, solver, solver_member, lab_staff):
    now = timezone.now()
    call = make_call(
        publish=True,
        two_stage=True,
        deadline=now + dt.timedelta(days=5),
        proposal_deadline=now + dt.timedelta(days=30),
    )
    eoi, _ = services.application_start(
        call=call, challenge=ready_challenge, organisation=solver, started_by=solver_member
    )
    assert eoi.stage == Stage.EXPRESSION_OF_INTEREST
    error = refusal(
        services.application_start,
        call=call,
        challenge=ready_challenge,
        organisation=solver,
        started_by=solver_member,
        stage=Stage.PROPOSAL,
    )
    assert error.code == "not_invited"
    error = refusal(services.application_invite_full, application=eoi, invited_by=lab_staff)
    assert error.messages == ["Only a submitted expression of interest can be invited."]
    services.application_save(
        application=eoi, saved_by=solver_member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
    )
    services.application_submit(application=eoi, submitted_by=solver_member, received_at=timezone.now())
    proposal = services.application_invite_full(application=eoi, invited_by=lab_staff)
    again = services.application_invite_full(application=eoi, invited_by=lab_staff)
    assert proposal.pk == again.pk
    assert (proposal.stage, proposal.status, proposal.invited_at is not None) == (
        Stage.PROPOSAL,
        "draft",
        True,
    )
    assert proposal.deadline == call.proposal_deadline
    assert Notification.objects.filter(kind="application.invited", recipient=solver_member).count() == 1


# --- Reminders -------------------------------------------------------------------------------------


def test_reminders_48h_and_2h_each_sent_once(draft_application, solver_member, open_call):
    deadline = open_call.deadline
    with freeze_time(deadline - dt.timedelta(hours=50)):
        assert send_deadline_reminders() == 0
    with freeze_time(deadline - dt.timedelta(hours=47)):
        assert send_deadline_reminders() == 1
        assert send_deadline_reminders() == 0
    with freeze_time(deadline - dt.timedelta(hours=1, minutes=59)):
        assert send_deadline_reminders() == 1
        assert send_deadline_reminders() == 0
    assert sorted(DeadlineReminder.objects.values_list("kind", flat=True)) == ["2h", "48h"]
    kinds = list(Notification.objects.filter(recipient=solver_member).values_list("kind", flat=True))
    assert sorted(k for k in kinds if k.startswith("application.reminder")) == [
        "application.reminder.2h",
        "application.reminder.48h",
    ]


def test_no_reminder_for_submitted_applications(complete_application, solver_member, open_call):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    with freeze_time(open_call.deadline - dt.timedelta(hours=1)):
        assert send_deadline_reminders() == 0


# --- Review follow-ups -------------------------------------------------------------------------------


def test_followers_are_told_only_once_the_call_is_public(make_call, lab, lab_staff):
    from govlab.calls.tasks import run_scheduled

    follower = OrganisationMembershipFactory().user
    services.follow(user=follower, kind=FollowKind.LAB, target=lab)
    publishes_at = timezone.now() + dt.timedelta(days=2)
    call = make_call(publish=True, publishes_at=publishes_at)
    assert Notification.objects.filter(kind="call.published").count() == 0
    assert run_scheduled() == {"calls_announced": 0, "reminded": 0}
    with freeze_time(publishes_at + dt.timedelta(minutes=1)):
        assert run_scheduled()["calls_announced"] == 1
        assert run_scheduled()["calls_announced"] == 0
    assert list(
        Notification.objects.filter(kind="call.published").values_list("recipient_id", flat=True)
    ) == [follower.pk]
    call.refresh_from_db()
    assert call.followers_notified_at is not None


def test_a_published_deadline_moves_later_never_earlier(open_call, lab_staff):
    before = open_call.deadline
    error = refusal(
        services.call_update, call=open_call, updated_by=lab_staff, deadline=before - dt.timedelta(hours=1)
    )
    assert error.message_dict == {
        "deadline": [
            "Applicants rely on a published deadline: it can be moved later, not earlier. "
            "Cancel the call if it must close early."
        ]
    }
    open_call.refresh_from_db()
    assert open_call.deadline == before
    later = services.call_update(call=open_call, updated_by=lab_staff, deadline=before + dt.timedelta(days=1))
    assert later.deadline == before + dt.timedelta(days=1)


def test_publishing_an_answer_needs_the_question_as_published(open_call, solver_member, lab_staff):
    enquiry = services.enquiry_ask(
        call=open_call, asked_by=solver_member, question="Can Acme Robotics apply?"
    )
    error = refusal(services.enquiry_answer, enquiry=enquiry, answered_by=lab_staff, answer={"en": "Yes."})
    assert error.message_dict == {
        "public_question": [
            "Give the question as it will be published, without anything that identifies the asker."
        ]
    }
    enquiry.refresh_from_db()
    assert (enquiry.is_published, enquiry.answer) == (False, {})
    services.enquiry_answer(enquiry=enquiry, answered_by=lab_staff, answer={"en": "Yes."}, publish=False)
    enquiry.refresh_from_db()
    assert (enquiry.is_published, enquiry.public_question) == (False, {})


def test_submitted_applications_with_unsent_changes_are_reminded(
    complete_application, solver_member, open_call
):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    services.application_save(
        application=complete_application, saved_by=solver_member, answers={"price": "1"}
    )
    with freeze_time(open_call.deadline - dt.timedelta(hours=1)):
        assert send_deadline_reminders() == 1
    reminder = Notification.objects.get(kind="application.reminder.2h")
    assert reminder.subject == "Your changes to your application to “Bye bye Robots!” are not submitted yet"


def test_reminders_take_a_fixed_number_of_queries(open_call, ready_challenge, django_assert_max_num_queries):
    for index in range(6):
        organisation = OrganisationFactory(kind="startup", country="LU", name=f"Solver {index}")
        member = OrganisationMembershipFactory(organisation=organisation).user
        services.application_start(
            call=open_call, challenge=ready_challenge, organisation=organisation, started_by=member
        )
    from govlab.calls.tasks import due_reminders

    with freeze_time(open_call.deadline - dt.timedelta(hours=1)), django_assert_max_num_queries(5):
        assert len(due_reminders()) == 6


def test_text_upload_with_a_character_cut_at_the_sample_edge_is_accepted(
    open_call, lab_staff, draft_application, solver_member
):
    services.question_save(
        call=open_call,
        updated_by=lab_staff,
        key="budget_csv",
        kind=QuestionKind.FILE,
        label={"en": "Budget"},
        config={"extensions": ["csv"], "max_mb": 1},
    )
    content = b"a" * 8191 + "é;ok\n".encode()  # "é" is two bytes: the first is byte 8192
    stored = services.application_upload(
        application=draft_application,
        question_key="budget_csv",
        file=SimpleUploadedFile("budget.csv", content),
        uploaded_by=solver_member,
    )
    assert stored.size == len(content)


def test_the_same_page_is_not_in_conflict_with_its_own_autosave(draft_application, solver_member):
    services.application_save(
        application=draft_application,
        saved_by=solver_member,
        answers={"solution_name": "A"},
        expected_version=1,
        editor="page-1",
    )
    result = services.application_save(
        application=draft_application,
        saved_by=solver_member,
        answers={"solution_name": "AB"},
        expected_version=1,
        editor="page-1",
    )
    assert result.application.answers == {"solution_name": "AB"}
    error = refusal(
        services.application_save,
        application=draft_application,
        saved_by=solver_member,
        answers={"solution_name": "Other tab"},
        expected_version=1,
        editor="page-2",
    )
    assert error.code == "conflict"
    draft_application.refresh_from_db()
    assert draft_application.answers == {"solution_name": "AB"}


def test_notifications_speak_each_recipients_language(open_call, solver, lab_staff):
    from django.utils import translation

    open_call.title = {"en": "Bye bye Robots!", "es": "¡Adiós, robots!"}
    open_call.save(update_fields=["title"])
    hispanophone = OrganisationMembershipFactory(organisation=solver).user
    hispanophone.preferred_language = "es"
    hispanophone.save(update_fields=["preferred_language"])
    until = dt.datetime(2099, 1, 15, 16, 0, tzinfo=dt.UTC)
    with translation.override("en"):
        services.extension_grant(
            call=open_call, organisation=solver, until=until, reason="Outage", granted_by=lab_staff
        )
    notice = Notification.objects.get(kind="call.extension", recipient=hispanophone)
    assert "¡Adiós, robots!" in notice.subject
    assert "15 enero 2099, 17:00 (Europe/Luxembourg)" in notice.subject
