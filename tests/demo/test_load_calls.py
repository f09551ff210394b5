"""``generate_load_data --solvers --applications``: solver profiles and applications, exact when small."""

import pytest
from django.core.management import call_command

from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from govlab.calls import receipts
from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Application, ApplicationRevision, Call
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from govlab.demo.load import generate, reset
from govlab.organisations.enums import SOLVER_KINDS
from govlab.organisations.models import Organisation, OrganisationMembership

pytestmark = pytest.mark.django_db

SMALL = ["--labs", "2", "--organisations", "10", "--people", "0", "--challenges", "40", "--seed", "4"]


def _solvers():
    return Organisation.objects.filter(slug__startswith="load-solver-")


def _applications():
    return Application.objects.filter(reference__startswith="LOAD-APP-")


def test_small_scale_makes_the_solver_profiles_and_applications_asked_for(capsys):
    call_command("generate_load_data", *SMALL, "--solvers", "30", "--applications", "120")

    assert _solvers().count() == 30
    for organisation in _solvers().prefetch_related("memberships"):
        assert organisation.kind in SOLVER_KINDS
        assert organisation.main_solution["en"]
        assert organisation.interests["en"]
        assert 2 <= organisation.trl <= 9
        assert 1995 <= organisation.founded_year <= 2025
        assert organisation.sectors.exists()
        assert organisation.technologies.exists()
        (membership,) = organisation.memberships.all()
        assert membership.user.email == f"{organisation.slug}@load.example"
    assert User.objects.filter(email__startswith="load-solver-").count() == 30

    applications = _applications()
    assert applications.count() == 120
    # Every challenge of a load call is in that call, and no organisation applies twice to one challenge.
    calls = Call.objects.filter(slug__startswith="load-call-")
    assert calls.exists()
    in_calls = Challenge.objects.filter(calls__in=calls).distinct()
    assert set(in_calls.values_list("status", flat=True)) == {ChallengeStatus.IN_CALL}
    assert not Challenge.objects.filter(lab__slug__startswith="load-", status=ChallengeStatus.READY_FOR_CALL)
    triples = list(applications.values_list("call_id", "challenge_id", "organisation_id"))
    assert len(set(triples)) == 120
    assert set(applications.values_list("organisation__slug", flat=True)) <= set(
        _solvers().values_list("slug", flat=True)
    )
    # Proportions: 12 in 20 submitted (one revision each), the rest drafts and a few withdrawn.
    submitted = applications.filter(status=ApplicationStatus.SUBMITTED)
    assert submitted.count() == 72
    assert ApplicationRevision.objects.filter(application__in=applications).count() == 72
    for revision in ApplicationRevision.objects.filter(application__in=applications).select_related(
        "application__call"
    ):
        assert receipts.verify(revision.receipt_code, revision.content_hash) == revision
        assert revision.received_at < revision.application.call.deadline
    out = capsys.readouterr().out
    assert "Created: labs 2, organisations 10, people 0, solvers 30." in out
    assert "Applications: 120 created, 120 in all." in out
    assert AuditEntry.objects.count() == 0


def test_a_second_run_adds_nothing_and_a_larger_one_only_the_rest():
    generate(labs=2, organisations=10, people=0, challenges=40, solvers=30, applications=120, seed=4)
    counts = (
        _solvers().count(),
        _applications().count(),
        ApplicationRevision.objects.count(),
        Call.objects.count(),
    )

    again = generate(labs=2, organisations=10, people=0, challenges=40, solvers=30, applications=120, seed=4)
    assert again.created["solvers"] == 0
    assert again.applications == "120 already there"
    assert (
        _solvers().count(),
        _applications().count(),
        ApplicationRevision.objects.count(),
        Call.objects.count(),
    ) == counts

    more = generate(labs=2, organisations=10, people=0, challenges=40, solvers=40, applications=200, seed=4)
    assert more.created["solvers"] == 10
    assert more.applications == "80 created, 200 in all"
    assert _applications().count() == 200
    assert len(set(_applications().values_list("call_id", "challenge_id", "organisation_id"))) == 200


def test_applications_are_capped_by_what_the_solvers_can_apply_to():
    report = generate(
        labs=1, organisations=5, people=0, challenges=20, solvers=2, applications=10_000, seed=4
    )
    pairs = Call.challenges.through.objects.filter(call__slug__startswith="load-call-").count()
    assert _applications().count() == pairs * 2
    assert report.applications.endswith(f"(capped at {pairs * 2:,} = challenges in calls x solvers)")


def test_without_solvers_or_challenges_nothing_is_applied():
    report = generate(labs=1, organisations=5, people=0, challenges=0, solvers=0, applications=50)
    assert report.applications == "skipped: no solver profiles (give --solvers)"
    report = generate(labs=1, organisations=5, people=0, challenges=0, solvers=3, applications=50)
    assert report.applications == "skipped: no load challenge is ready for a call (give --challenges)"
    assert not _applications().exists()


def test_reset_deletes_applications_calls_and_solvers_too():
    generate(labs=2, organisations=10, people=0, challenges=40, solvers=30, applications=120, seed=4)

    deleted = reset()

    assert deleted["applications"] >= 120
    assert not Application.objects.exists()
    assert not Call.objects.exists()
    assert not _solvers().exists()
    assert not OrganisationMembership.objects.exists()
    assert not User.objects.filter(email__endswith="@load.example").exists()


def test_the_deadline_surge_data_submits_once_through_the_api(client):
    """bench/surge_data.py at a tiny scale: every draft is complete, a token submits it, verify counts it."""
    from bench import surge_data

    data = surge_data.prepare(organisations=3)
    assert len(data["clients"]) == 3
    surge_data.arm(60)
    for item in data["clients"]:
        for _click in range(2):  # a double click stores once
            response = client.post(
                f"/api/v1/applications/{item['application']}/submit/",
                data={},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {item['token']}",
            )
            assert response.status_code in (200, 201), response.content
    # Another solver's token cannot submit someone else's application.
    first, second = data["clients"][:2]
    response = client.post(
        f"/api/v1/applications/{first['application']}/submit/",
        data={},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {second['token']}",
    )
    assert response.status_code == 404

    checks = surge_data.verify()
    assert {key: value for key, value in checks.items() if key != "deadline"} == {
        "applications": 3,
        "submitted": 3,
        "revisions": 3,
        "applications_with_more_than_one_revision": 0,
        "received_at_or_after_deadline": 0,
        "receipts_failing_verification": 0,
    }
    # A second run makes its own call and revokes the first run's tokens.
    again = surge_data.prepare(organisations=2)
    assert again["run"] == data["run"] + 1
    assert surge_data.latest_call().pk == again["call"] != data["call"]
    response = client.post(
        f"/api/v1/applications/{first['application']}/submit/",
        data={},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {first['token']}",
    )
    assert response.status_code == 401
