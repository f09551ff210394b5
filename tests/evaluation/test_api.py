"""The evaluation API: the evaluator's journey, the lab's flow (panel, assignment, ranking, consensus,
preselection, feedback), the role matrix, bad input, and query counts flat in the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.evaluation import services
from govlab.evaluation.enums import ReviewStatus
from govlab.evaluation.models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    EvaluationSettings,
    Evaluator,
    FeedbackLetter,
    PreselectionDecision,
    Review,
    ReviewPhase,
    ReviewRevision,
)
from tests.conftest import error
from tests.conftest import patch as json_patch
from tests.conftest import post as json_post
from tests.factories import LabMembershipFactory, TermFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluation"


def criteria_ids(call) -> list[str]:
    return [str(c.pk) for c in call.criteria.order_by("position", "pk")]


def scores(call, levels) -> dict:
    return dict(zip(criteria_ids(call), levels, strict=True))


def review_state() -> tuple:
    """Everything a refused review request could have changed."""
    return (
        list(
            Review.objects.order_by("pk").values_list("pk", "status", "version", "scores", "weighted_total")
        ),
        ReviewRevision.objects.count(),
        ConflictDeclaration.objects.count(),
        list(Assignment.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def blind_phase(evaluation_call, lab_staff):
    phase = services.phase_save(
        call=evaluation_call, by=lab_staff, name={"en": "Blind review"}, see_others="after_own"
    )
    return services.phase_activate(phase=phase, by=lab_staff)


@pytest.fixture
def panel(evaluation_call, lab_staff, make_evaluator_user, blind_phase):
    return [
        services.evaluator_add(
            call=evaluation_call,
            user=make_evaluator_user(name=f"Evaluator {i}"),
            role="external_expert",
            added_by=lab_staff,
        )
        for i in range(3)
    ]


def assign(application, evaluator, by):
    return services.assign(application=application, evaluator=evaluator, by=by)


def submitted_review(evaluator, application, by, levels):
    """A submitted review by ``evaluator`` with these levels (no recommendation asked of the caller)."""
    assignment = assign(application, evaluator, by)
    services.conflict_declare(
        evaluator=evaluator, application=application, has_conflict=False, by=evaluator.user
    )
    review = services.review_for(assignment, evaluator.user)
    services.review_save(
        review=review,
        by=evaluator.user,
        scores=scores(application.call, levels),
        recommendation="yes",
        confidence=3,
    )
    return services.review_submit(review=review, by=evaluator.user)


# --- The evaluator's journey -------------------------------------------------------------------------


def test_evaluator_journey_declare_read_blind_save_submit_revise(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    application = submitted_applications[0]
    evaluator = panel[0]
    assignment = assign(application, evaluator, lab_staff)
    first, second, third = criteria_ids(evaluation_call)
    api = login(evaluator.user)

    queue = api.get(f"{API}/assignments/")
    assert queue.status_code == 200
    rows = queue.json()["results"]
    assert [(r["id"], r["reference"], r["declaration"], r["review_status"]) for r in rows] == [
        (assignment.pk, application.reference, None, None)
    ]
    assert rows[0]["challenge"]["reference"] == application.challenge.reference
    assert rows[0]["call"]["id"] == evaluation_call.pk

    # Nothing of the application before the declaration.
    for url in (
        f"{API}/assignments/{assignment.pk}/application/",
        f"{API}/assignments/{assignment.pk}/review/",
        f"{API}/assignments/{assignment.pk}/reviews/",
    ):
        refused = api.get(url)
        assert refused.status_code == 403, url
        assert error(refused)["code"] == "not_declared"
    assert Review.objects.count() == 0

    declared = json_post(api, f"{API}/assignments/{assignment.pk}/declaration/", {"decision": "none"})
    assert declared.status_code == 201
    assert declared.json()["decision"] == "none"
    again = json_post(api, f"{API}/assignments/{assignment.pk}/declaration/", {"decision": "none"})
    assert again.status_code == 400
    assert ConflictDeclaration.objects.filter(evaluator=evaluator, application=application).count() == 1

    content = api.get(f"{API}/assignments/{assignment.pk}/application/")
    assert content.status_code == 200
    body = content.json()
    assert body["reference"] == application.reference
    assert body["identities_visible"] is False
    assert body["organisation"] is None
    assert body["partners"] is None
    assert body["revision"] == 1
    assert [q["key"] for q in body["questions"]] == ["solution_name", "approach", "price"]
    assert body["questions"][0]["answer"] == "Human first"
    assert "Alpha Robotics" not in content.content.decode()

    draft = api.get(f"{API}/assignments/{assignment.pk}/review/")
    assert draft.status_code == 200
    assert (draft.json()["status"], draft.json()["version"], draft.json()["can_edit"]) == ("draft", 1, True)
    assert [c["id"] for c in draft.json()["criteria"]] == [int(first), int(second), int(third)]

    saved = json_patch(
        api, f"{API}/assignments/{assignment.pk}/review/", {"version": 1, "scores": {first: 3}}
    )
    assert saved.status_code == 200
    assert (saved.json()["version"], saved.json()["scores"]) == (2, {first: 3})

    stale = json_patch(api, f"{API}/assignments/{assignment.pk}/review/", {"version": 1, "strengths": "x"})
    assert stale.status_code == 409
    assert error(stale)["code"] == "conflict"
    assert Review.objects.get().strengths == ""

    incomplete = json_post(api, f"{API}/assignments/{assignment.pk}/review/submit/")
    assert incomplete.status_code == 400
    assert error(incomplete)["code"] == "incomplete"
    assert set(error(incomplete)["fields"]) == {
        f"scores.{second}",
        f"scores.{third}",
        "recommendation",
        "confidence",
    }
    assert Review.objects.get().status == ReviewStatus.DRAFT

    saved = json_patch(
        api,
        f"{API}/assignments/{assignment.pk}/review/",
        {
            "version": 2,
            "scores": {second: 2, third: None},
            "comments": {first: "Original."},
            "strengths": "Clear plan",
            "weaknesses": "Small team",
            "recommendation": "yes",
            "confidence": 4,
        },
    )
    assert saved.status_code == 200
    submitted = json_post(api, f"{API}/assignments/{assignment.pk}/review/submit/", {"version": 3})
    assert submitted.status_code == 200
    review = submitted.json()
    # (40 x 3/3 + 35 x 2/3) / (40 + 35) x 100; Team is not applicable.
    assert (review["status"], review["weighted_total"]) == ("submitted", "84.44")
    assert [r["number"] for r in review["revisions"]] == [1]

    # Revise while the phase allows: a second revision, the first kept.
    revised = json_patch(
        api,
        f"{API}/assignments/{assignment.pk}/review/",
        {"version": review["version"], "scores": {second: 3}},
    )
    assert revised.status_code == 200
    resubmitted = json_post(api, f"{API}/assignments/{assignment.pk}/review/submit/")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["weighted_total"] == "100.00"
    assert [(r["number"], r["weighted_total"]) for r in resubmitted.json()["revisions"]] == [
        (2, "100.00"),
        (1, "84.44"),
    ]
    assert ReviewRevision.objects.count() == 2

    queue = api.get(f"{API}/assignments/").json()["results"]
    assert [(r["declaration"], r["review_status"]) for r in queue] == [("none", "submitted")]


def test_other_reviews_follow_the_phase_and_name_no_reviewer(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    application = submitted_applications[0]
    submitted_review(panel[1], application, lab_staff, (3, 3, 3))
    assignment = assign(application, panel[0], lab_staff)
    services.conflict_declare(
        evaluator=panel[0], application=application, has_conflict=False, by=panel[0].user
    )
    api = login(panel[0].user)

    # after_own: nothing until their own review is submitted.
    assert api.get(f"{API}/assignments/{assignment.pk}/reviews/").json() == []
    review = services.review_for(assignment, panel[0].user)
    services.review_save(
        review=review,
        by=panel[0].user,
        scores=scores(evaluation_call, (0, 0, 0)),
        recommendation="no",
        confidence=2,
    )
    services.review_submit(review=review, by=panel[0].user)
    others = api.get(f"{API}/assignments/{assignment.pk}/reviews/")
    assert others.status_code == 200
    assert [(r["number"], r["weighted_total"]) for r in others.json()] == [(1, "100.00")]
    assert "Evaluator 1" not in others.content.decode()


def test_declaring_a_conflict_recuses_the_evaluator_everywhere(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    application = submitted_applications[0]
    evaluator = panel[0]
    assignment = assign(application, evaluator, lab_staff)
    api = login(evaluator.user)
    before = review_state()

    no_reason = json_post(api, f"{API}/assignments/{assignment.pk}/declaration/", {"decision": "conflict"})
    assert no_reason.status_code == 400
    assert list(error(no_reason)["fields"]) == ["reason"]
    assert review_state() == before

    declared = json_post(
        api,
        f"{API}/assignments/{assignment.pk}/declaration/",
        {"decision": "conflict", "reason": "I advised them last year."},
    )
    assert declared.status_code == 201
    assert declared.json()["decision"] == "conflict"
    for url in ("", "application/", "review/", "reviews/"):
        assert api.get(f"{API}/assignments/{assignment.pk}/{url}").status_code == 404, url
    assert json_post(api, f"{API}/assignments/{assignment.pk}/review/submit/").status_code == 404
    assert api.get(f"{API}/assignments/").json()["results"] == []
    assert Review.objects.count() == 0

    staff = login(lab_staff)
    rows = staff.get(f"{API}/calls/{evaluation_call.pk}/assignments/").json()["results"]
    assert [(r["id"], r["declaration"], r["withdrawn_at"] is not None) for r in rows] == [
        (assignment.pk, "conflict", True)
    ]
    again = json_post(
        staff,
        f"{API}/calls/{evaluation_call.pk}/assignments/",
        {"application": application.pk, "evaluator": evaluator.pk},
    )
    assert again.status_code == 400
    assert error(again)["code"] == "conflicted"
    assert list(error(again)["fields"]) == ["evaluator"]
    assert Assignment.objects.get(pk=assignment.pk).withdrawn_at is not None


def test_a_guessed_assignment_of_another_evaluator_answers_404_and_changes_nothing(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    application = submitted_applications[0]
    theirs = assign(application, panel[0], lab_staff)
    services.conflict_declare(
        evaluator=panel[0], application=application, has_conflict=False, by=panel[0].user
    )
    mine = assign(submitted_applications[1], panel[1], lab_staff)
    api = login(panel[1].user)
    before = review_state()
    criterion = criteria_ids(evaluation_call)[0]

    for url in ("", "application/", "review/", "reviews/"):
        response = api.get(f"{API}/assignments/{theirs.pk}/{url}")
        assert response.status_code == 404, url
        assert error(response)["code"] == "not_found"
    assert (
        json_post(api, f"{API}/assignments/{theirs.pk}/declaration/", {"decision": "none"}).status_code == 404
    )
    assert (
        json_patch(api, f"{API}/assignments/{theirs.pk}/review/", {"version": 1, "scores": {criterion: 3}})
    ).status_code == 404
    assert json_post(api, f"{API}/assignments/{theirs.pk}/review/submit/").status_code == 404
    assert api.get(f"{API}/assignments/99999999/").status_code == 404
    assert review_state() == before
    assert [r["id"] for r in api.get(f"{API}/assignments/").json()["results"]] == [mine.pk]


def test_a_score_outside_the_scale_is_refused_at_its_field(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    application = submitted_applications[0]
    assignment = assign(application, panel[0], lab_staff)
    services.conflict_declare(
        evaluator=panel[0], application=application, has_conflict=False, by=panel[0].user
    )
    api = login(panel[0].user)
    version = api.get(f"{API}/assignments/{assignment.pk}/review/").json()["version"]
    first, second, _third = criteria_ids(evaluation_call)
    before = review_state()

    response = json_patch(
        api,
        f"{API}/assignments/{assignment.pk}/review/",
        {"version": version, "scores": {first: 2, second: 7}},
    )
    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [f"scores.{second}"]
    assert body["fields"][f"scores.{second}"] == [
        "Choose one of the levels of this criterion's scale: 0, 1, 2, 3."
    ]
    not_a_number = json_patch(
        api, f"{API}/assignments/{assignment.pk}/review/", {"version": version, "scores": {first: "high"}}
    )
    assert not_a_number.status_code == 400
    assert list(error(not_a_number)["fields"]) == [f"scores.{first}"]
    assert review_state() == before


def test_a_review_after_the_phase_closed_is_refused(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    application = submitted_applications[0]
    assignment = assign(application, panel[0], lab_staff)
    services.conflict_declare(
        evaluator=panel[0], application=application, has_conflict=False, by=panel[0].user
    )
    api = login(panel[0].user)
    api.get(f"{API}/assignments/{assignment.pk}/review/")
    closed = services.phase_save(call=evaluation_call, by=lab_staff, name={"en": "Closed"}, can_review=False)
    services.phase_activate(phase=closed, by=lab_staff)
    before = review_state()

    saved = json_patch(
        api,
        f"{API}/assignments/{assignment.pk}/review/",
        {"version": 1, "scores": scores(evaluation_call, (1, 1, 1))},
    )
    assert saved.status_code == 400
    assert error(saved)["code"] == "phase_closed"
    submitted = json_post(api, f"{API}/assignments/{assignment.pk}/review/submit/")
    assert submitted.status_code == 400
    assert error(submitted)["code"] == "phase_closed"
    assert api.get(f"{API}/assignments/{assignment.pk}/review/").json()["can_edit"] is False
    assert review_state() == before


# --- The lab's flow ------------------------------------------------------------------------------------


def test_staff_set_up_settings_phases_and_panel(
    client, login, evaluation_call, lab_staff, make_evaluator_user, mailoutbox
):
    api = login(lab_staff)
    base = f"{API}/calls/{evaluation_call.pk}"

    assert api.get(f"{base}/settings/").json() == {
        "reviews_per_application": 3,
        "prefer_expertise": True,
        "disagreement_threshold": "15.00",
        "review_deadline": None,
    }
    changed = json_patch(
        api, f"{base}/settings/", {"reviews_per_application": 2, "review_deadline": "2030-01-10T12:00:00Z"}
    )
    assert changed.status_code == 200
    assert changed.json()["reviews_per_application"] == 2
    # Shown in the call's time zone (Luxembourg, UTC+1 in January).
    assert changed.json()["review_deadline"] == "2030-01-10T13:00:00+01:00"
    local = json_patch(api, f"{base}/settings/", {"review_deadline": "2030-07-01T18:00:00"})
    # Without an offset: the call's wall-clock time (UTC+2 in July).
    assert local.json()["review_deadline"] == "2030-07-01T18:00:00+02:00"
    assert EvaluationSettings.objects.get(call=evaluation_call).review_deadline.isoformat() == (
        "2030-07-01T16:00:00+00:00"
    )
    too_many = json_patch(api, f"{base}/settings/", {"reviews_per_application": 11})
    assert too_many.status_code == 400
    assert list(error(too_many)["fields"]) == ["reviews_per_application"]
    assert EvaluationSettings.objects.get(call=evaluation_call).reviews_per_application == 2

    created = json_post(
        api,
        f"{base}/phases/",
        {"name": {"en": "Blind review"}, "see_others": "after_own", "identities_visible": False},
    )
    assert created.status_code == 201
    phase = created.json()
    assert (phase["can_review"], phase["see_others"], phase["is_active"]) == (True, "after_own", False)
    bad = json_post(api, f"{base}/phases/", {"name": {"en": "X"}, "see_others": "sometimes"})
    assert bad.status_code == 400
    assert list(error(bad)["fields"]) == ["see_others"]
    renamed = json_patch(api, f"{base}/phases/{phase['id']}/", {"name": {"en": "Blind round"}})
    assert renamed.json()["name"] == {"en": "Blind round"}
    activated = json_post(api, f"{base}/phases/{phase['id']}/activate/")
    assert activated.status_code == 200
    assert activated.json()["is_active"] is True
    assert [p["is_active"] for p in api.get(f"{base}/phases/").json()] == [True]

    person = make_evaluator_user(name="Ada Expert")
    TermFactory(vocabulary="sector", code="api-health")
    TermFactory(vocabulary="technology", code="api-ai")
    unknown_term = json_post(
        api, f"{base}/evaluators/", {"user": person.pk, "role": "external_expert", "sectors": ["mining"]}
    )
    assert unknown_term.status_code == 400
    assert list(error(unknown_term)["fields"]) == ["sectors"]
    added = json_post(
        api,
        f"{base}/evaluators/",
        {"user": person.pk, "role": "external_expert", "sectors": ["api-health"], "technologies": ["api-ai"]},
    )
    assert added.status_code == 201
    evaluator = added.json()
    assert (evaluator["user"]["full_name"], evaluator["role"], evaluator["is_active"]) == (
        "Ada Expert",
        "external_expert",
        True,
    )
    assert (evaluator["sectors"], evaluator["technologies"], evaluator["assigned"]) == (
        ["api-health"],
        ["api-ai"],
        0,
    )
    twice = json_post(api, f"{base}/evaluators/", {"user": person.pk, "role": "external_expert"})
    assert twice.status_code == 400
    assert list(error(twice)["fields"]) == ["user"]
    nobody = json_post(api, f"{base}/evaluators/", {"user": 99999999, "role": "external_expert"})
    assert error(nobody)["fields"] == {"user": ["No such person."]}

    removed = api.delete(f"{base}/evaluators/{evaluator['id']}/")
    assert removed.status_code == 204
    listed = api.get(f"{base}/evaluators/").json()
    assert [(e["id"], e["is_active"], e["removed_at"] is not None) for e in listed] == [
        (evaluator["id"], False, True)
    ]
    assert Evaluator.objects.get(pk=evaluator["id"]).removed_at is not None


def test_automatic_assignment_fills_gaps_and_after_a_recusal_only_the_gap(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    services.settings_save(call=evaluation_call, by=lab_staff, reviews_per_application=2)
    api = login(lab_staff)
    base = f"{API}/calls/{evaluation_call.pk}"
    references = sorted(a.reference for a in submitted_applications)
    assert api.get(f"{base}/assignments/gaps/").json() == dict.fromkeys(references, 2)

    first = json_post(api, f"{base}/assignments/auto/")
    assert first.status_code == 200
    assert first.json() == {"created": 6, "gaps": {}}
    loads = sorted(e["assigned"] for e in api.get(f"{base}/evaluators/").json())
    assert loads == [2, 2, 2]

    application = submitted_applications[0]
    recused = Assignment.objects.filter(application=application).order_by("pk").first()
    services.conflict_declare(
        evaluator=recused.evaluator,
        application=application,
        has_conflict=True,
        reason="Family",
        by=recused.evaluator.user,
    )
    assert api.get(f"{base}/assignments/gaps/").json() == {application.reference: 1}
    second = json_post(api, f"{base}/assignments/auto/", {"applications": [application.pk]})
    assert second.json() == {"created": 1, "gaps": {}}
    current = Assignment.objects.filter(application=application, withdrawn_at__isnull=True)
    assert recused.evaluator_id not in {a.evaluator_id for a in current}
    assert current.count() == 2

    foreign = json_post(api, f"{base}/assignments/auto/", {"applications": [99999999]})
    assert foreign.status_code == 400
    assert list(error(foreign)["fields"]) == ["applications"]

    listed = api.get(f"{base}/assignments/", {"application": application.pk}).json()
    assert listed["count"] == 3
    withdrawn = [r for r in listed["results"] if r["withdrawn_at"]]
    assert [(r["evaluator"]["id"], r["declaration"]) for r in withdrawn] == [
        (recused.evaluator_id, "conflict")
    ]
    assert listed["results"][0]["application"]["organisation"] == "Alpha Robotics"

    manual = Assignment.objects.filter(
        application=submitted_applications[1], withdrawn_at__isnull=True
    ).first()
    assert api.delete(f"{base}/assignments/{manual.pk}/").status_code == 204
    assert Assignment.objects.get(pk=manual.pk).withdrawn_at is not None


def test_ranking_numbers_consensus_and_disagreement_exact(
    client, login, evaluation_call, submitted_applications, panel, lab_staff
):
    alpha, beta, gamma = submitted_applications
    one, two = panel[:2]
    # Weights 40/35/25 on 0–3: (3,3,3)=100, (3,0,0)=40, (3,3,0)=75, (0,0,3)=25.
    submitted_review(one, alpha, lab_staff, (3, 3, 3))
    submitted_review(one, beta, lab_staff, (3, 0, 0))
    submitted_review(two, alpha, lab_staff, (3, 3, 0))
    submitted_review(two, beta, lab_staff, (0, 0, 3))
    api = login(lab_staff)
    base = f"{API}/calls/{evaluation_call.pk}"
    json_patch(api, f"{base}/settings/", {"disagreement_threshold": "10"})

    response = api.get(f"{base}/ranking/", {"challenge": alpha.challenge.reference})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [
        (
            r["rank"],
            r["application"]["reference"],
            r["n_reviews"],
            r["mean"],
            r["median"],
            r["stdev"],
            r["range"],
            r["disagreement"],
            r["zscore"],
            r["consensus_total"],
            r["final"],
        )
        for r in rows
    ] == [
        # Evaluator one: totals 100 and 40 (mean 70, sd 30); two: 75 and 25 (mean 50, sd 25).
        (1, alpha.reference, 2, "87.50", "87.50", "12.50", "25.00", True, "1.00", None, "87.50"),
        (2, beta.reference, 2, "32.50", "32.50", "7.50", "15.00", False, "-1.00", None, "32.50"),
        (None, gamma.reference, 0, None, None, None, None, False, None, None, None),
    ]
    assert rows[0]["application"]["organisation"] == "Alpha Robotics"

    innovation = evaluation_call.criteria.order_by("position", "pk").first()
    no_rationale = json_post(
        api,
        f"{base}/consensus/",
        {"application": beta.pk, "criterion": innovation.pk, "score": 3, "rationale": ""},
    )
    assert no_rationale.status_code == 400
    assert list(error(no_rationale)["fields"]) == ["rationale"]
    off_scale = json_post(
        api,
        f"{base}/consensus/",
        {"application": beta.pk, "criterion": innovation.pk, "score": 9, "rationale": "x"},
    )
    assert list(error(off_scale)["fields"]) == ["score"]
    assert ConsensusScore.objects.count() == 0
    consensus = json_post(
        api,
        f"{base}/consensus/",
        {"application": beta.pk, "criterion": innovation.pk, "score": 3, "rationale": "Agreed in the panel."},
    )
    assert consensus.status_code == 201
    assert api.get(f"{base}/consensus/").json() == [consensus.json()]
    rows = api.get(f"{base}/ranking/").json()["results"]
    # Innovation 3 (consensus); Feasibility mean level 0; Team mean level 1.5: 40 + 0 + 25 x 0.5 = 52.50.
    assert [
        (r["application"]["reference"], r["consensus_total"], r["final"], r["mean"]) for r in rows[:2]
    ] == [
        (alpha.reference, None, "87.50", "87.50"),
        (beta.reference, "52.50", "52.50", "32.50"),
    ]
    assert AuditEntry.objects.filter(action="evaluation.consensus").count() == 1

    unknown = api.get(f"{base}/ranking/", {"challenge": "C-999"})
    assert unknown.status_code == 400
    assert list(error(unknown)["fields"]) == ["challenge"]


@pytest.fixture
def four_applications(submitted_applications, make_submitted):
    return [*submitted_applications, make_submitted("Delta Systems")]


def decisions(applications, selected):
    return [
        {
            "application": a.pk,
            "selected": a in selected,
            "reason_category": "selected_top_score" if a in selected else "lower_score",
            "reason": "Among the best." if a in selected else "Scored below those selected.",
        }
        for a in applications
    ]


def test_a_fourth_preselection_is_refused_with_limit_and_nothing_is_stored(
    client, login, evaluation_call, four_applications, lab_staff, ready_challenge
):
    api = login(lab_staff)
    base = f"{API}/calls/{evaluation_call.pk}"
    audits = AuditEntry.objects.count()

    four = json_post(
        api,
        f"{base}/preselection/",
        {
            "challenge": ready_challenge.reference,
            "decisions": decisions(four_applications, four_applications),
        },
    )
    assert four.status_code == 400
    body = error(four)
    assert body["code"] == "limit"
    assert body["message"] == (
        "At most 3 applications per challenge can be preselected in this call; 4 are chosen."
    )
    assert PreselectionDecision.objects.count() == 0
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.IN_CALL
    assert AuditEntry.objects.count() == audits

    missing = json_post(
        api,
        f"{base}/preselection/",
        {
            "challenge": ready_challenge.reference,
            "decisions": decisions(four_applications[:3], four_applications[:1]),
        },
    )
    assert missing.status_code == 400
    assert error(missing)["fields"] == {
        f"decisions.{four_applications[3].pk}": ["Decide on this application and say why."]
    }
    assert PreselectionDecision.objects.count() == 0


def test_preselection_then_feedback_prepared_sent_and_read_by_the_applicant(
    client, login, evaluation_call, four_applications, lab_staff, ready_challenge, panel
):
    submitted_review(panel[0], four_applications[0], lab_staff, (3, 3, 3))
    submitted_review(panel[0], four_applications[1], lab_staff, (3, 0, 0))
    api = login(lab_staff)
    base = f"{API}/calls/{evaluation_call.pk}"
    chosen = four_applications[:3]

    made = json_post(
        api,
        f"{base}/preselection/",
        {"challenge": ready_challenge.reference, "decisions": decisions(four_applications, chosen)},
    )
    assert made.status_code == 201
    assert [(d["reference"], d["selected"], d["rank"]) for d in made.json()[:2]] == [
        (four_applications[0].reference, True, 1),
        (four_applications[1].reference, True, 2),
    ]
    assert sorted(d["application"] for d in made.json() if d["selected"]) == sorted(a.pk for a in chosen)
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.PRESELECTED
    assert len(api.get(f"{base}/preselection/").json()) == 4
    selected = {
        r["application"]["reference"]: r["selected"] for r in api.get(f"{base}/ranking/").json()["results"]
    }
    assert selected == {a.reference: a in chosen for a in four_applications}

    reference = four_applications[3].reference
    member = four_applications[3].member
    applicant = login(member)
    assert applicant.get(f"{API}/feedback/{reference}/").status_code == 404  # nothing sent yet

    api = login(lab_staff)
    unknown = json_post(
        api, f"{base}/feedback/template/", {"language": "en", "subject": "{call}", "body": "Dear {name}"}
    )
    assert unknown.status_code == 400
    assert list(error(unknown)["fields"]) == ["body"]
    template = json_post(
        api,
        f"{base}/feedback/template/",
        {
            "language": "en",
            "subject": "Your result: {call}",
            "body": "Dear {organisation}: {decision}. {reason}",
        },
    )
    assert template.status_code == 200
    prepared = json_post(api, f"{base}/feedback/prepare/", {"challenge": ready_challenge.reference})
    assert prepared.status_code == 200
    assert sorted(letter["reference"] for letter in prepared.json()) == sorted(
        a.reference for a in four_applications
    )
    assert all(letter["sent_at"] is None for letter in prepared.json())
    sent = json_post(api, f"{base}/feedback/send/")
    assert sent.json() == {"sent": 4}
    assert json_post(api, f"{base}/feedback/send/").json() == {"sent": 0}
    assert FeedbackLetter.objects.filter(sent_at__isnull=False).count() == 4

    applicant = login(member)
    letter = applicant.get(f"{API}/feedback/{reference}/")
    assert letter.status_code == 200
    assert letter.json()["reference"] == reference
    assert letter.json()["subject"] == "Your result: Bye bye Robots!"
    assert letter.json()["body"] == (
        "Dear Delta Systems: Not preselected. Not selected: scored below those selected. "
        "Scored below those selected."
    )
    assert letter.json()["data"]["reason_category"] == "lower_score"
    other = login(four_applications[0].member)
    assert other.get(f"{API}/feedback/{reference}/").status_code == 404
    assert other.get(f"{API}/feedback/{four_applications[0].reference}/").status_code == 200


# --- Role matrix ---------------------------------------------------------------------------------------

ROLES = ["lab_staff", "evaluator", "applicant", "lab_evaluator", "other_lab_staff", "anonymous"]
STAFF_READS = [
    "settings/",
    "phases/",
    "evaluators/",
    "assignments/",
    "assignments/gaps/",
    "ranking/",
    "consensus/",
    "preselection/",
    "feedback/",
]


@pytest.fixture
def as_role(client, login, other_lab, panel, submitted_applications, lab_staff, make_evaluator_user):
    def make(role):
        user = {
            "lab_staff": lab_staff,
            "evaluator": panel[0].user,
            "applicant": submitted_applications[0].member,
            "lab_evaluator": make_evaluator_user(name="Not On The Panel"),
            "other_lab_staff": LabMembershipFactory(lab=other_lab, role="staff").user,
        }.get(role)
        if user is None:
            client.logout()
            return client
        return login(user)

    return make


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_the_labs_endpoints(role, as_role, evaluation_call):
    api = as_role(role)
    expected = {"lab_staff": 200, "anonymous": 401}.get(role, 403)
    for path in STAFF_READS:
        response = api.get(f"{API}/calls/{evaluation_call.pk}/{path}")
        assert response.status_code == expected, (role, path)
        if expected != 200:
            error(response)
    writes = [
        ("patch", "settings/", {"reviews_per_application": 1}),
        ("post", "phases/", {"name": {"en": "Open"}}),
        ("post", "assignments/auto/", {}),
        ("post", "feedback/prepare/", {}),
    ]
    before = (
        services.settings_for(evaluation_call).reviews_per_application,
        ReviewPhase.objects.count(),
        Assignment.objects.count(),
        FeedbackLetter.objects.count(),
    )
    for method, path, data in writes:
        response = getattr(api, method)(
            f"{API}/calls/{evaluation_call.pk}/{path}", data, content_type="application/json"
        )
        if role == "lab_staff":
            assert response.status_code in (200, 201, 400), (role, path)
        else:
            assert response.status_code == expected, (role, path)
    if role != "lab_staff":
        assert before == (
            services.settings_for(evaluation_call).reviews_per_application,
            ReviewPhase.objects.count(),
            Assignment.objects.count(),
            FeedbackLetter.objects.count(),
        )
    assert api.get(f"{API}/calls/99999999/ranking/").status_code == (401 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_the_evaluators_endpoints(role, as_role, panel, submitted_applications, lab_staff):
    assignment = assign(submitted_applications[0], panel[0], lab_staff)
    services.conflict_declare(
        evaluator=panel[0], application=submitted_applications[0], has_conflict=False, by=panel[0].user
    )
    api = as_role(role)
    expected = {"evaluator": 200, "anonymous": 401}.get(role, 404)
    for path in ("", "application/", "review/", "reviews/"):
        assert api.get(f"{API}/assignments/{assignment.pk}/{path}").status_code == expected, (role, path)
    queue = api.get(f"{API}/assignments/")
    if role == "anonymous":
        assert queue.status_code == 401
    else:
        mine = [assignment.pk] if role == "evaluator" else []
        assert [r["id"] for r in queue.json()["results"]] == mine


def test_a_removed_evaluator_reaches_nothing(client, login, panel, submitted_applications, lab_staff):
    assignment = assign(submitted_applications[0], panel[0], lab_staff)
    services.conflict_declare(
        evaluator=panel[0], application=submitted_applications[0], has_conflict=False, by=panel[0].user
    )
    services.evaluator_remove(evaluator=panel[0], removed_by=lab_staff)
    api = login(panel[0].user)
    assert api.get(f"{API}/assignments/").json()["results"] == []
    assert api.get(f"{API}/assignments/{assignment.pk}/application/").status_code == 404


# --- Query counts --------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queue_queries_are_flat_in_the_number_of_assignments(
    client, login, evaluation_call, make_submitted, panel, lab_staff, django_assert_max_num_queries
):
    evaluator = panel[0]
    first = make_submitted("Solo")
    services.conflict_declare(evaluator=evaluator, application=first, has_conflict=False, by=evaluator.user)
    assign(first, evaluator, lab_staff)
    api = login(evaluator.user)
    api.get(f"{API}/assignments/")  # warm the session
    one = count_queries(api, f"{API}/assignments/")
    for index in range(49):
        application = make_submitted(f"Many {index}")
        assign(application, evaluator, lab_staff)
        if index % 2:
            services.conflict_declare(
                evaluator=evaluator, application=application, has_conflict=False, by=evaluator.user
            )
            services.review_for(
                Assignment.objects.get(evaluator=evaluator, application=application), evaluator.user
            )
    many = count_queries(api, f"{API}/assignments/")
    assert many == one
    with django_assert_max_num_queries(8):
        response = api.get(f"{API}/assignments/")
    assert response.json()["count"] == 50


def test_ranking_queries_are_flat_in_the_number_of_applications(
    client, login, evaluation_call, make_submitted, panel, lab_staff, django_assert_max_num_queries
):
    submitted_review(panel[0], make_submitted("Solo"), lab_staff, (3, 2, 1))
    api = login(lab_staff)
    url = f"{API}/calls/{evaluation_call.pk}/ranking/"
    api.get(url)
    one = count_queries(api, url)
    for index in range(49):
        application = make_submitted(f"Many {index}")
        submitted_review(panel[index % 3], application, lab_staff, (index % 4, 1, 2))
    innovation = evaluation_call.criteria.order_by("position", "pk").first()
    services.consensus_set(
        application=application, criterion=innovation, score=3, rationale="Agreed.", by=lab_staff
    )
    many = count_queries(api, url)
    assert many == one + 1  # the consensus scores' own query, asked only once there are some
    with django_assert_max_num_queries(14):
        response = api.get(url)
    assert response.json()["count"] == 50


def test_lists_are_paginated_in_the_house_shape(client, login, evaluation_call, panel, lab_staff):
    api = login(lab_staff)
    body = api.get(f"{API}/calls/{evaluation_call.pk}/ranking/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    body = login(panel[0].user).get(f"{API}/assignments/").json()
    assert set(body) == {"count", "next", "previous", "results"}


def test_the_endpoints_are_in_the_openapi_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()

    assert warnings == []
    paths = schema["paths"]
    for path, method in (
        ("/api/v1/evaluation/assignments/", "get"),
        ("/api/v1/evaluation/assignments/{id}/declaration/", "post"),
        ("/api/v1/evaluation/assignments/{id}/application/", "get"),
        ("/api/v1/evaluation/assignments/{id}/review/", "patch"),
        ("/api/v1/evaluation/assignments/{id}/review/submit/", "post"),
        ("/api/v1/evaluation/calls/{call_id}/settings/", "patch"),
        ("/api/v1/evaluation/calls/{call_id}/phases/{phase_id}/activate/", "post"),
        ("/api/v1/evaluation/calls/{call_id}/evaluators/", "post"),
        ("/api/v1/evaluation/calls/{call_id}/assignments/auto/", "post"),
        ("/api/v1/evaluation/calls/{call_id}/ranking/", "get"),
        ("/api/v1/evaluation/calls/{call_id}/consensus/", "post"),
        ("/api/v1/evaluation/calls/{call_id}/preselection/", "post"),
        ("/api/v1/evaluation/calls/{call_id}/feedback/prepare/", "post"),
        ("/api/v1/evaluation/calls/{call_id}/feedback/send/", "post"),
        ("/api/v1/evaluation/feedback/{reference}/", "get"),
    ):
        assert method in paths[path], (path, method)
    assert "409" in paths["/api/v1/evaluation/assignments/{id}/review/"]["patch"]["responses"]


def test_staff_clear_a_consensus_score_through_the_api(
    login, submitted_applications, lab_staff, make_evaluator_user
):
    application = submitted_applications[0]
    call = application.call
    criterion = call.criteria.first()
    services.consensus_set(
        application=application, criterion=criterion, score=2, rationale="Agreed", by=lab_staff
    )
    url = f"{API}/calls/{call.pk}/consensus/clear/"
    body = {"application": application.pk, "criterion": criterion.pk}
    outsider = make_evaluator_user(name="Not on the panel")
    assert json_post(login(outsider), url, body).status_code == 403  # sees the public call, may not act
    assert ConsensusScore.objects.count() == 1
    wrong = json_post(login(lab_staff), url, {"application": application.pk, "criterion": 999999})
    assert (wrong.status_code, error(wrong)["fields"]) == (
        400,
        {"criterion": ["There is no such criterion in this call."]},
    )
    assert ConsensusScore.objects.count() == 1
    assert json_post(login(lab_staff), url, body).status_code == 204
    assert ConsensusScore.objects.count() == 0
    assert AuditEntry.objects.filter(action="evaluation.consensus.clear").count() == 1


def test_the_declaration_names_what_to_declare_against_without_unblinding(
    login, make_submitted, lab_staff, make_evaluator_user
):
    applications = [make_submitted(name) for name in ("Alpha Robotics", "Beta Voice", "Gamma Labs")]
    call = applications[0].call
    services.phase_activate(
        phase=services.phase_save(call=call, by=lab_staff, name={"en": "Blind"}), by=lab_staff
    )
    evaluator = services.evaluator_add(
        call=call, user=make_evaluator_user(), role="external_expert", added_by=lab_staff
    )
    assignment = services.assign(application=applications[1], evaluator=evaluator, by=lab_staff)
    api = login(evaluator.user)
    url = f"{API}/assignments/{assignment.pk}/declaration/"
    assert api.get(url).json() == {
        "organisation": None,
        "applicants": ["Alpha Robotics", "Beta Voice", "Gamma Labs"],
        "declaration": None,
    }
    assert json_post(api, url, {"decision": "none"}).status_code == 201
    services.phase_activate(
        phase=services.phase_save(call=call, by=lab_staff, name={"en": "Open"}, identities_visible=True),
        by=lab_staff,
    )
    body = api.get(url).json()
    assert (body["organisation"], body["applicants"], body["declaration"]["decision"]) == (
        "Beta Voice",
        None,
        "none",
    )
