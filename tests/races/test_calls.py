# ruff: noqa: F811  (pytest fixtures imported from tests/calls/conftest.py are redefined as arguments)
"""Concurrent writes to applications, raced on PostgreSQL: double clicks, two tabs, the deadline surge."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.calls import receipts, services
from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Application, ApplicationRevision
from tests.calls.conftest import (  # noqa: F401  (fixtures)
    ALL_DECLARATIONS,
    COMPLETE_ANSWERS,
    complete_application,
    draft_application,
    lab_staff,
    make_call,
    make_ready_challenge,
    open_call,
    ready_challenge,
    solver,
    solver_member,
)
from tests.factories import OrganisationFactory, OrganisationMembershipFactory

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_after, pause_before, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("round_", range(3))
def test_two_tabs_starting_the_same_application_make_one(
    open_call, ready_challenge, solver, solver_member, monkeypatch, round_
):
    # Both have looked for an existing application and found none before either creates one.
    pause_after(services, "eligibility_problems", Rendezvous(), monkeypatch)

    def start():
        return services.application_start(
            call=open_call, challenge=ready_challenge, organisation=solver, started_by=solver_member
        )

    outcomes = race(start, start)

    assert errors_of(outcomes) == []
    applications = [o.value[0].pk for o in outcomes]
    assert applications[0] == applications[1]
    assert sorted(o.value[1] for o in outcomes) == [False, True]
    assert Application.objects.count() == 1
    assert AuditEntry.objects.filter(action="application.start").count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_a_double_click_on_submit_stores_one_revision(
    complete_application, solver_member, monkeypatch, round_
):
    # Both submits have read the application's state before either writes the revision.
    meeting = Rendezvous()
    pause_before(services, "application_gaps", meeting, monkeypatch)
    received = timezone.now()

    def submit():
        return services.application_submit(
            application=complete_application, submitted_by=solver_member, received_at=received
        )

    outcomes = race(submit, submit)

    assert errors_of(outcomes) == []
    assert not meeting.met, "the row lock must keep the second submit out until the first commits"
    assert outcomes[0].value.pk == outcomes[1].value.pk
    assert ApplicationRevision.objects.count() == 1
    assert AuditEntry.objects.filter(action="application.submit").count() == 1
    revision = ApplicationRevision.objects.get()
    assert receipts.verify(revision.receipt_code, revision.content_hash) == revision


def test_submit_racing_a_withdrawal_leaves_no_submission_after_the_withdrawal(
    complete_application, solver_member, monkeypatch
):
    pause_before(services, "_check_open", Rendezvous(), monkeypatch)
    received = timezone.now()
    outcomes = race(
        lambda: services.application_submit(
            application=complete_application, submitted_by=solver_member, received_at=received
        ),
        lambda: services.application_withdraw(
            application=complete_application, withdrawn_by=solver_member, received_at=received
        ),
    )
    complete_application.refresh_from_db()
    assert complete_application.status == ApplicationStatus.WITHDRAWN
    submit, withdraw = outcomes
    assert withdraw.ok
    if submit.ok:  # the submit went first: its revision stands, and the withdrawal came after it
        assert ApplicationRevision.objects.count() == 1
    else:
        assert isinstance(submit.error, ValidationError)
        assert submit.error.code == "withdrawn"
        assert ApplicationRevision.objects.count() == 0


def test_two_tabs_autosaving_the_same_version_one_wins_the_other_is_told(
    draft_application, solver_member, monkeypatch
):
    pause_before(services, "_check_open", Rendezvous(), monkeypatch)

    def save(text):
        return lambda: services.application_save(
            application=draft_application,
            saved_by=solver_member,
            answers={"solution_name": text},
            expected_version=1,
        )

    outcomes = race(save("Tab A"), save("Tab B"))

    errors = errors_of(outcomes)
    assert len(errors) == 1
    assert errors[0].code == "conflict"
    winner = "Tab A" if outcomes[0].ok else "Tab B"
    draft_application.refresh_from_db()
    assert draft_application.answers == {"solution_name": winner}
    assert draft_application.version == 2


def test_eight_organisations_submitting_at_once_each_get_one_revision(open_call, ready_challenge):
    applications = []
    for index in range(8):
        organisation = OrganisationFactory(kind="startup", country="LU", name=f"Solver {index}")
        member = OrganisationMembershipFactory(organisation=organisation).user
        application, _ = services.application_start(
            call=open_call, challenge=ready_challenge, organisation=organisation, started_by=member
        )
        services.application_save(
            application=application, saved_by=member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
        )
        applications.append((application, member))
    received = timezone.now()

    outcomes = race(
        *(
            (
                lambda a=a, m=m: services.application_submit(
                    application=a, submitted_by=m, received_at=received
                )
            )
            for a, m in applications
        )
    )

    assert errors_of(outcomes) == []
    assert ApplicationRevision.objects.count() == 8
    assert len({o.value.receipt_code for o in outcomes}) == 8
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 8


def test_two_staff_granting_an_extension_at_once_make_one(open_call, solver, lab_staff, lab):
    import datetime as dt

    from govlab.calls.models import DeadlineExtension
    from tests.factories import LabMembershipFactory

    colleague = LabMembershipFactory(lab=lab, role="staff").user

    def grant(person, hours):
        return lambda: services.extension_grant(
            call=open_call,
            organisation=solver,
            until=open_call.deadline + dt.timedelta(hours=hours),
            reason="Power cut at the applicant's office",
            granted_by=person,
        )

    outcomes = race(grant(lab_staff, 2), grant(colleague, 3))

    assert errors_of(outcomes) == []
    assert DeadlineExtension.objects.count() == 1
    assert AuditEntry.objects.filter(action="call.extension.grant").count() == 2
