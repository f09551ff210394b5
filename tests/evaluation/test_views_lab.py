"""The lab's evaluation pages: panel, assignment, dashboard, ranking, consensus, preselection, feedback."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.evaluation import services
from govlab.evaluation.enums import EvaluatorRole, OutcomeReason, SeeOthers
from govlab.evaluation.models import (
    Assignment,
    ConsensusScore,
    EvaluationSettings,
    Evaluator,
    FeedbackLetter,
    FeedbackTemplate,
    PreselectionDecision,
    ReviewPhase,
)
from govlab.notifications.models import Notification
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory, UserFactory

UTC = dt.UTC


def _url(name, call, *args):
    return reverse(f"evaluation:{name}", args=[call.lab.slug, call.pk, *args])


def _html(response) -> str:
    return response.content.decode()


def _criteria(call):
    return list(call.criteria.order_by("position", "pk"))


def _phase(call, staff, **fields):
    values = {"name": {"en": "Individual review"}, "can_review": True, "see_others": SeeOthers.NEVER}
    phase = services.phase_save(call=call, by=staff, **{**values, **fields})
    return services.phase_activate(phase=phase, by=staff)


def _panel(call, staff, make_evaluator_user, names):
    return [
        services.evaluator_add(
            call=call,
            user=make_evaluator_user(name=name),
            role=EvaluatorRole.EXTERNAL_EXPERT,
            added_by=staff,
        )
        for name in names
    ]


def _review(assignment, levels, *, strengths="Clear plan."):
    """The assigned evaluator declares no conflict, scores the criteria (None = n/a) and submits."""
    evaluator, application = assignment.evaluator, assignment.application
    user = evaluator.user
    services.conflict_declare(evaluator=evaluator, application=application, has_conflict=False, by=user)
    review = services.review_for(assignment, user)
    criteria = _criteria(application.call)
    services.review_save(
        review=review,
        by=user,
        scores={str(c.pk): level for c, level in zip(criteria, levels, strict=True)},
        comments={str(criteria[0].pk): f"Comment by {user.full_name}"},
        strengths=strengths,
        weaknesses="Price unclear.",
        recommendation="yes",
        confidence=4,
    )
    return services.review_submit(review=review, by=user)


@pytest.fixture
def world(evaluation_call, submitted_applications, lab_staff, make_evaluator_user):
    """Three submitted applications, three evaluators all assigned to each, every review submitted."""
    call = evaluation_call
    _phase(call, lab_staff)
    evaluators = _panel(call, lab_staff, make_evaluator_user, ["Ana Expert", "Bo Expert", "Cy Expert"])
    assert services.assign_automatically(call=call, by=lab_staff) == 9
    levels = {0: (3, 3, 2), 1: (2, 1, 1), 2: (0, 1, None)}
    for index, application in enumerate(submitted_applications):
        for assignment in Assignment.objects.filter(application=application).select_related(
            "evaluator__user", "application__call"
        ):
            _review(assignment, levels[index])
    call.world_evaluators = evaluators
    return call


def _decide(call, challenge, applications, staff, selected=()):
    decisions = {
        a.pk: {
            "selected": a in selected,
            "reason_category": OutcomeReason.SELECTED_TOP_SCORE
            if a in selected
            else OutcomeReason.LOWER_SCORE,
            "reason": f"Because {a.reference}.",
        }
        for a in applications
    }
    return services.preselect(call=call, challenge=challenge, decisions=decisions, by=staff)


@pytest.fixture
def decided_world(world, submitted_applications, ready_challenge, lab_staff):
    _decide(world, ready_challenge, submitted_applications, lab_staff, selected=submitted_applications[:1])
    services.feedback_prepare(call=world, by=lab_staff)
    return world


def _pages(call, application, challenge, letter=None):
    phase = call.review_phases.first()
    evaluator = call.evaluators.first()
    pages = {
        "dashboard": _url("lab_dashboard", call),
        "panel": _url("lab_panel", call),
        "phase_create": _url("lab_phase_create", call),
        "phase": _url("lab_phase", call, phase.pk),
        "evaluator_add": _url("lab_evaluator_add", call),
        "evaluator_remove": _url("lab_evaluator_remove", call, evaluator.pk),
        "assignments": _url("lab_assignments", call),
        "ranking": _url("lab_ranking", call),
        "ranking_sorted": _url("lab_ranking", call) + f"?challenge={challenge.pk}&sort=spread",
        "consensus": _url("lab_consensus", call, application.reference),
        "preselection_index": _url("lab_preselection_index", call),
        "preselection": _url("lab_preselection", call, challenge.pk),
        "feedback": _url("lab_feedback", call),
        "feedback_template": _url("lab_feedback_template", call, "en"),
        "feedback_prepare": _url("lab_feedback_prepare", call),
        "scores_csv": _url("lab_export_scores_csv", call),
        "scores_xlsx": _url("lab_export_scores_xlsx", call),
        "ranking_csv": _url("lab_export_ranking_csv", call),
        "ranking_xlsx": _url("lab_export_ranking_xlsx", call),
    }
    if letter is not None:
        pages["feedback_letter"] = _url("lab_feedback_letter", call, letter.pk)
    return pages


# --- The role matrix -----------------------------------------------------------------------------

ROLES = ["lab_staff", "manager", "solver", "panel_evaluator", "other_lab_staff", "anonymous"]


def _browser(role, request, client, login, lab, application, call):
    if role == "anonymous":
        return client
    if role == "manager":
        return login(LabMembershipFactory(lab=lab, role="manager").user)
    if role == "solver":
        return login(application.member)
    if role == "panel_evaluator":
        # On the panel, reviewing, but not on the lab's team.
        return login(call.evaluators.first().user)
    return login(request.getfixturevalue(role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_the_lab_team_and_is_refused_to_others(
    role, request, client, login, decided_world, submitted_applications, ready_challenge, lab
):
    call = decided_world
    application = submitted_applications[0]
    letter = FeedbackLetter.objects.get(application=application)
    pages = _pages(call, application, ready_challenge, letter)
    browser = _browser(role, request, client, login, lab, application, call)
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
def test_pages_render_before_any_evaluation(
    login, lab_staff, evaluation_call, ready_challenge, make_submitted
):
    """A call with one submitted application, no panel, no phase: every page still works."""
    call = evaluation_call
    application = make_submitted("Alpha Robotics")
    browser = login(lab_staff)
    for name, args in [
        ("lab_dashboard", ()),
        ("lab_panel", ()),
        ("lab_assignments", ()),
        ("lab_ranking", ()),
        ("lab_consensus", (application.reference,)),
        ("lab_preselection_index", ()),
        ("lab_preselection", (ready_challenge.pk,)),
        ("lab_feedback", ()),
        ("lab_feedback_prepare", ()),
        ("lab_feedback_template", ("es",)),
    ]:
        assert browser.get(_url(name, call, *args)).status_code == 200, name
    assert browser.get(_url("lab_feedback_template", call, "de")).status_code == 404


@pytest.mark.django_db
def test_another_labs_call_under_this_labs_address_is_404(
    login, lab_staff, other_lab_staff, evaluation_call, other_lab
):
    call = evaluation_call
    assert login(lab_staff).get(_url("lab_dashboard", call)).status_code == 200
    browser = login(other_lab_staff)
    assert browser.get(reverse("evaluation:lab_dashboard", args=[other_lab.slug, call.pk])).status_code == 404
    assert browser.get(reverse("evaluation:lab_dashboard", args=[other_lab.slug, 999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["solver", "panel_evaluator", "other_lab_staff"])
def test_write_endpoints_refused_change_nothing(
    role, request, client, login, world, submitted_applications, ready_challenge, lab
):
    call = world
    application = submitted_applications[0]
    browser = _browser(role, request, client, login, lab, application, call)
    phase = call.review_phases.get()
    evaluator = call.evaluators.order_by("pk").first()
    assignment = Assignment.objects.filter(application=application).first()
    criterion = _criteria(call)[0]
    audit_before = AuditEntry.objects.count()
    assignments_before = list(Assignment.objects.values_list("pk", "withdrawn_at").order_by("pk"))
    posts = [
        (
            _url("lab_panel", call),
            {"settings-reviews_per_application": "1", "settings-disagreement_threshold": "1"},
        ),
        (_url("lab_phase_create", call), {"phase-name_en": "Hijack", "phase-see_others": "always"}),
        (_url("lab_phase", call, phase.pk), {"phase-name_en": "Hijack", "phase-see_others": "always"}),
        (_url("lab_phase_activate", call, phase.pk), {}),
        (
            _url("lab_evaluator_add", call),
            {"evaluator-email": "x@example.org", "evaluator-role": "lab_staff"},
        ),
        (_url("lab_evaluator_remove", call, evaluator.pk), {}),
        (_url("lab_assign", call), {"application": application.pk, "evaluator": evaluator.pk}),
        (_url("lab_unassign", call, assignment.pk), {}),
        (_url("lab_assign_automatically", call), {}),
        (
            _url("lab_consensus", call, application.reference),
            {f"consensus-score_{criterion.pk}": "0", f"consensus-rationale_{criterion.pk}": "Hijack"},
        ),
        (_url("lab_preselection", call, ready_challenge.pk), {}),
        (_url("lab_feedback_template", call, "en"), {"template-subject": "S", "template-body": "B"}),
        (_url("lab_feedback_prepare", call), {}),
        (_url("lab_feedback_send", call), {"letters": ["1"]}),
    ]
    assert [browser.post(url, data).status_code for url, data in posts] == [404] * len(posts)
    assert AuditEntry.objects.count() == audit_before
    assert list(Assignment.objects.values_list("pk", "withdrawn_at").order_by("pk")) == assignments_before
    assert ConsensusScore.objects.count() == 0
    assert FeedbackTemplate.objects.count() == 0
    assert ReviewPhase.objects.filter(call=call).count() == 1
    assert Evaluator.objects.filter(call=call, removed_at__isnull=True).count() == 3


# --- The panel -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_settings_are_saved_in_the_calls_time_zone_and_audited(login, lab_staff, evaluation_call):
    call = evaluation_call  # Europe/Luxembourg: UTC+1 in January
    browser = login(lab_staff)
    response = browser.post(
        _url("lab_panel", call),
        {
            "settings-reviews_per_application": "2",
            "settings-disagreement_threshold": "12.5",
            "settings-review_deadline": "2027-01-15T17:00",
        },
    )
    assert response.status_code == 302
    row = EvaluationSettings.objects.get(call=call)
    assert (row.reviews_per_application, row.prefer_expertise, row.disagreement_threshold) == (
        2,
        False,
        Decimal("12.50"),
    )
    assert row.review_deadline == dt.datetime(2027, 1, 15, 16, 0, tzinfo=UTC)
    entry = AuditEntry.objects.filter(action="evaluation.settings").get()
    assert entry.actor == lab_staff
    assert entry.changes["reviews_per_application"] == [3, 2]
    # Shown back as the local time.
    page = _html(browser.get(_url("lab_panel", call)))
    assert 'value="2027-01-15T17:00"' in page


@pytest.mark.django_db
def test_settings_refused_keep_the_input_and_store_nothing(login, lab_staff, evaluation_call):
    call = evaluation_call
    response = login(lab_staff).post(
        _url("lab_panel", call),
        {
            "settings-reviews_per_application": "11",
            "settings-disagreement_threshold": "12.5",
            # The clocks go forward in Luxembourg at 02:00 on 28 March 2027.
            "settings-review_deadline": "2027-03-28T02:30",
        },
    )
    assert response.status_code == 200
    form = response.context["settings_form"]
    assert set(form.errors) == {"reviews_per_application", "review_deadline"}
    assert 'value="12.5"' in _html(response)
    assert not AuditEntry.objects.filter(action="evaluation.settings").exists()
    assert services.settings_for(call).reviews_per_application == 3


@pytest.mark.django_db
def test_phases_are_added_edited_and_activated_with_audit(login, lab_staff, evaluation_call):
    call = evaluation_call
    browser = login(lab_staff)
    response = browser.post(
        _url("lab_phase_create", call),
        {
            "phase-name_en": "Individual review",
            "phase-name_es": "Revisión individual",
            "phase-can_review": "on",
            "phase-see_others": "never",
        },
    )
    assert response.status_code == 302
    first = ReviewPhase.objects.get(call=call)
    assert (first.name, first.can_review, first.see_others, first.identities_visible, first.is_active) == (
        {"en": "Individual review", "es": "Revisión individual"},
        True,
        "never",
        False,
        False,
    )
    browser.post(
        _url("lab_phase_create", call),
        {"phase-name_en": "Discussion", "phase-see_others": "always", "phase-identities_visible": "on"},
    )
    second = ReviewPhase.objects.get(call=call, name__en="Discussion")
    assert browser.post(_url("lab_phase_activate", call, first.pk)).status_code == 302
    assert browser.post(_url("lab_phase_activate", call, second.pk)).status_code == 302
    assert list(ReviewPhase.objects.filter(call=call, is_active=True)) == [second]
    response = browser.post(
        _url("lab_phase", call, first.pk),
        {"phase-name_en": "Individual review", "phase-name_es": "Revisión", "phase-see_others": "after_own"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.see_others, first.can_review) == ("after_own", False)
    actions = list(
        AuditEntry.objects.filter(action__startswith="evaluation.phase")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "evaluation.phase.add",
        "evaluation.phase.add",
        "evaluation.phase.activate",
        "evaluation.phase.activate",
        "evaluation.phase.change",
    ]
    page = _html(browser.get(_url("lab_panel", call)))
    assert "Discussion" in page
    assert "Active" in page


@pytest.mark.django_db
def test_a_phase_without_a_name_is_refused_at_its_field(login, lab_staff, evaluation_call):
    response = login(lab_staff).post(
        _url("lab_phase_create", evaluation_call), {"phase-name_en": "", "phase-see_others": "always"}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert ReviewPhase.objects.count() == 0


@pytest.mark.django_db
def test_an_evaluator_is_added_from_the_list_or_by_email_and_audited(
    login, lab_staff, evaluation_call, make_evaluator_user
):
    from govlab.taxonomy.models import Term

    call = evaluation_call
    sector, technology = Term.objects.of("sector").first(), Term.objects.of("technology").first()
    first, second = make_evaluator_user(name="Ana Expert"), make_evaluator_user(name="Bo Expert")
    browser = login(lab_staff)
    page = _html(browser.get(_url("lab_evaluator_add", call)))
    assert f"Ana Expert ({first.email})" in page
    response = browser.post(
        _url("lab_evaluator_add", call),
        {
            "evaluator-member": first.pk,
            "evaluator-role": EvaluatorRole.EXTERNAL_EXPERT,
            "evaluator-sectors": [sector.pk],
            "evaluator-technologies": [technology.pk],
        },
    )
    assert response.status_code == 302
    response = browser.post(
        _url("lab_evaluator_add", call),
        {"evaluator-email": second.email.upper(), "evaluator-role": EvaluatorRole.ENTITY_OFFICIAL},
    )
    assert response.status_code == 302
    evaluators = {e.user: e for e in Evaluator.objects.filter(call=call)}
    assert evaluators[first].role == EvaluatorRole.EXTERNAL_EXPERT
    assert set(evaluators[first].expertise.all()) == {sector, technology}
    assert evaluators[second].role == EvaluatorRole.ENTITY_OFFICIAL
    assert AuditEntry.objects.filter(action="evaluation.evaluator.add").count() == 2
    assert Notification.objects.filter(recipient=first, kind="evaluation.invited").count() == 1
    # The panel lists them with their role and expertise; the select no longer offers them.
    page = _html(browser.get(_url("lab_panel", call)))
    assert "External expert" in page
    assert f"{sector}, {technology}" in page
    page = _html(browser.get(_url("lab_evaluator_add", call)))
    assert f"Ana Expert ({first.email})" not in page


@pytest.mark.django_db
def test_an_evaluator_outside_the_lab_is_refused_and_the_input_kept(login, lab_staff, evaluation_call):
    stranger = UserFactory(email="stranger@example.org")
    response = login(lab_staff).post(
        _url("lab_evaluator_add", evaluation_call),
        {"evaluator-email": stranger.email, "evaluator-role": EvaluatorRole.EXTERNAL_EXPERT},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert 'value="stranger@example.org"' in _html(response)
    assert Evaluator.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="evaluation.evaluator").exists()


@pytest.mark.django_db
def test_removing_an_evaluator_asks_first_then_withdraws_open_assignments(
    login, lab_staff, evaluation_call, submitted_applications, make_evaluator_user
):
    call = evaluation_call
    ana, bo = _panel(call, lab_staff, make_evaluator_user, ["Ana Expert", "Bo Expert"])
    services.settings_save(call=call, by=lab_staff, reviews_per_application=2)
    services.assign_automatically(call=call, by=lab_staff)
    browser = login(lab_staff)
    url = _url("lab_evaluator_remove", call, ana.pk)
    page = _html(browser.get(url))
    assert "Remove <bdi>Ana Expert</bdi> from the panel?" in page
    assert "3 unfinished assignments will be withdrawn" in page
    ana.refresh_from_db()
    assert ana.removed_at is None  # the GET changed nothing
    assert browser.post(url).status_code == 302
    ana.refresh_from_db()
    assert ana.removed_at is not None
    assert Assignment.objects.filter(evaluator=ana, withdrawn_at__isnull=True).count() == 0
    assert Assignment.objects.filter(evaluator=bo, withdrawn_at__isnull=True).count() == 3
    assert AuditEntry.objects.filter(action="evaluation.evaluator.remove").count() == 1
    assert browser.get(url).status_code == 404  # removed: nothing left to remove
    # The gaps show on the assignment page, as text.
    page = _html(browser.get(_url("lab_assignments", call)))
    assert page.count("Gap: 1 evaluator missing") == 3


# --- Assignment ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filling_the_gaps_from_the_page_assigns_exactly_n_and_never_a_conflicted_evaluator(
    login, lab_staff, evaluation_call, submitted_applications, make_evaluator_user
):
    call = evaluation_call
    services.settings_save(call=call, by=lab_staff, reviews_per_application=2)
    evaluators = _panel(call, lab_staff, make_evaluator_user, ["Ana", "Bo", "Cy", "Di"])
    conflicted = evaluators[0]
    alpha = submitted_applications[0]
    services.conflict_declare(
        evaluator=conflicted, application=alpha, has_conflict=True, reason="My cousin.", by=conflicted.user
    )
    browser = login(lab_staff)
    page = _html(browser.get(_url("lab_assignments", call)))
    assert page.count("Gap: 2 evaluators missing") == 3
    response = browser.post(_url("lab_assign_automatically", call), follow=True)
    assert "6 assignments were created." in _html(response)
    for application in submitted_applications:
        active = Assignment.objects.filter(application=application, withdrawn_at__isnull=True)
        assert active.count() == 2
    assert not Assignment.objects.filter(evaluator=conflicted, application=alpha).exists()
    assert AuditEntry.objects.filter(action="evaluation.assign.automatic").count() == 1
    # Run again: nothing is missing, nothing is created.
    response = browser.post(_url("lab_assign_automatically", call), follow=True)
    assert "No assignment was created." in _html(response)
    assert Assignment.objects.count() == 6
    page = _html(response)
    assert "Gap:" not in page
    assert "Conflict of interest" in page


@pytest.mark.django_db
def test_manual_assign_and_unassign(
    login, lab_staff, evaluation_call, submitted_applications, make_evaluator_user
):
    call = evaluation_call
    (ana,) = _panel(call, lab_staff, make_evaluator_user, ["Ana Expert"])
    alpha = submitted_applications[0]
    browser = login(lab_staff)
    response = browser.post(_url("lab_assign", call), {"application": alpha.pk, "evaluator": ana.pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.evaluator, assignment.application, assignment.automatic) == (ana, alpha, False)
    assert AuditEntry.objects.filter(action="evaluation.assign").count() == 1
    response = browser.post(_url("lab_unassign", call, assignment.pk))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.withdrawn_at is not None
    assert AuditEntry.objects.filter(action="evaluation.unassign").count() == 1
    # Without an evaluator chosen: a message, nothing stored.
    response = browser.post(_url("lab_assign", call), {"application": alpha.pk, "evaluator": ""}, follow=True)
    assert f"Choose an evaluator for {alpha.reference}." in _html(response)
    assert Assignment.objects.filter(withdrawn_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_manual_assign_of_a_conflicted_evaluator_is_refused(
    login, lab_staff, evaluation_call, submitted_applications, make_evaluator_user
):
    call = evaluation_call
    (ana,) = _panel(call, lab_staff, make_evaluator_user, ["Ana Expert"])
    alpha = submitted_applications[0]
    services.conflict_declare(
        evaluator=ana, application=alpha, has_conflict=True, reason="Mine.", by=ana.user
    )
    response = login(lab_staff).post(
        _url("lab_assign", call), {"application": alpha.pk, "evaluator": ana.pk}, follow=True
    )
    assert "declared a conflict of interest with this application" in _html(response)
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_unassigning_a_submitted_review_is_refused(login, lab_staff, world, submitted_applications):
    assignment = Assignment.objects.filter(application=submitted_applications[0]).first()
    response = login(lab_staff).post(_url("lab_unassign", world, assignment.pk), follow=True)
    assert "has submitted a review" in _html(response)
    assignment.refresh_from_db()
    assert assignment.withdrawn_at is None


# --- Dashboard and ranking -----------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_shows_progress_per_evaluator_and_per_application(
    login, lab_staff, evaluation_call, submitted_applications, make_evaluator_user
):
    call = evaluation_call
    _phase(call, lab_staff)
    services.settings_save(call=call, by=lab_staff, reviews_per_application=2)
    ana, bo = _panel(call, lab_staff, make_evaluator_user, ["Ana Expert", "Bo Expert"])
    alpha, beta, gamma = submitted_applications
    for application in (alpha, beta):
        for evaluator in (ana, bo):
            services.assign(application=application, evaluator=evaluator, by=lab_staff)
    for assignment in Assignment.objects.filter(application=alpha).select_related(
        "evaluator__user", "application__call"
    ):
        _review(assignment, (3, 3, 3) if assignment.evaluator == ana else (0, 0, 0))
    bo_beta = Assignment.objects.get(application=beta, evaluator=bo)
    services.conflict_declare(evaluator=bo, application=beta, has_conflict=False, by=bo.user)
    services.review_for(bo_beta, bo.user)  # a draft
    response = login(lab_staff).get(_url("lab_dashboard", call))
    assert response.status_code == 200
    progress = {
        e.name: (e.assigned, e.declared, e.drafts, e.submitted) for e in response.context["evaluators"]
    }
    assert progress == {"Ana Expert": (2, 1, 0, 1), "Bo Expert": (2, 2, 1, 1)}
    rows = {row["application"].reference: row for row in response.context["rows"]}
    assert (rows[alpha.reference]["submitted"], rows[alpha.reference]["needed"]) == (2, 2)
    assert rows[alpha.reference]["disagreement"] is True  # 100 and 0: standard deviation 50
    assert rows[beta.reference]["disagreement"] is False
    assert [(m["name"], str(m["state"])) for m in rows[beta.reference]["missing"]] == [
        ("Ana Expert", "conflict of interest not declared"),
        ("Bo Expert", "draft"),
    ]
    assert rows[gamma.reference]["assigned"] == 0
    summary = response.context["summary"]
    assert (
        summary["applications"],
        summary["gap_applications"],
        summary["missing"],
        summary["disagreements"],
    ) == (
        3,
        1,
        2,
        1,
    )
    page = _html(response)
    assert "Evaluators disagree" in page
    assert "Gap: only 0 assigned" in page


@pytest.mark.django_db
def test_ranking_board_shows_the_aggregates_per_challenge(login, lab_staff, world, submitted_applications):
    alpha, beta, gamma = submitted_applications
    response = login(lab_staff).get(_url("lab_ranking", world))
    assert response.status_code == 200
    (group,) = response.context["groups"]
    rows = group["rows"]
    assert [(r.rank, r.reference, r.organisation, r.n_reviews) for r in rows] == [
        (1, alpha.reference, "Alpha Robotics", 3),
        (2, beta.reference, "Beta Voice", 3),
        (3, gamma.reference, "Gamma Labs", 3),
    ]
    # Alpha: (40*1 + 35*1 + 25*2/3) / 100 = 91.67; Gamma: Team n/a, (0 + 35/3) / 75 = 15.56.
    assert [r.mean for r in rows] == [Decimal("91.67"), Decimal("46.67"), Decimal("15.56")]
    page = _html(response)
    assert "Alpha Robotics" in page
    assert "91.67" in page


@pytest.mark.django_db
def test_ranking_sorts_only_by_what_blind_mode_may_show(login, lab_staff, world, submitted_applications):
    browser = login(lab_staff)
    alpha, beta, gamma = submitted_applications
    by_reference = sorted(a.reference for a in submitted_applications)
    response = browser.get(_url("lab_ranking", world) + "?sort=reference")
    assert [r.reference for r in response.context["groups"][0]["rows"]] == by_reference
    # An unknown order (e.g. by organisation) is refused and falls back to the rank.
    response = browser.get(_url("lab_ranking", world) + "?sort=organisation")
    assert response.context["sort"] == "rank"
    assert [r.reference for r in response.context["groups"][0]["rows"]] == [
        alpha.reference,
        beta.reference,
        gamma.reference,
    ]


@pytest.fixture
def two_challenges(evaluation_call, ready_challenge, make_ready_challenge, make_submitted):
    """Two applications to the first challenge, one to a second challenge of the same call."""
    second = make_ready_challenge(status=ChallengeStatus.IN_CALL)
    evaluation_call.challenges.add(second)
    first_apps = [make_submitted("Alpha Robotics"), make_submitted("Beta Voice")]
    second_app = make_submitted("Gamma Labs", challenge=second)
    return ready_challenge, second, first_apps, second_app


@pytest.mark.django_db
def test_ranking_shows_one_challenge_at_a_time_the_first_by_default(
    login, lab_staff, evaluation_call, two_challenges
):
    first, second, (alpha, beta), gamma = two_challenges
    browser = login(lab_staff)
    response = browser.get(_url("lab_ranking", evaluation_call))
    assert response.status_code == 200
    (group,) = response.context["groups"]
    assert group["challenge"] == first
    assert sorted(r.reference for r in group["rows"]) == sorted([alpha.reference, beta.reference])
    page = _html(response)
    assert gamma.reference not in page
    assert f'<option value="{first.pk}" selected>' in page
    assert "All challenges" not in page
    response = browser.get(_url("lab_ranking", evaluation_call) + f"?challenge={second.pk}&sort=reference")
    (group,) = response.context["groups"]
    assert group["challenge"] == second
    assert [(r.rank, r.reference, r.organisation) for r in group["rows"]] == [
        (None, gamma.reference, "Gamma Labs")
    ]
    page = _html(response)
    assert alpha.reference not in page
    assert beta.reference not in page
    # The exports still cover the whole call.
    assert _url("lab_export_ranking_csv", evaluation_call) + '"' in page
    assert _url("lab_export_ranking_xlsx", evaluation_call) + '"' in page


@pytest.mark.django_db
def test_ranking_pages_keep_the_challenge_and_the_order(
    monkeypatch, login, lab_staff, world, submitted_applications
):
    from govlab.evaluation import views_lab

    monkeypatch.setattr(views_lab, "RANKING_PAGE_SIZE", 2)
    alpha, beta, gamma = submitted_applications
    challenge = alpha.challenge
    browser = login(lab_staff)
    url = _url("lab_ranking", world)
    response = browser.get(url)
    (group,) = response.context["groups"]
    assert [(r.rank, r.reference) for r in group["rows"]] == [(1, alpha.reference), (2, beta.reference)]
    page = _html(response)
    assert '<nav class="pagination" aria-label="Pages of the ranking">' in page
    assert f'href="?challenge={challenge.pk}&amp;sort=rank&amp;page=2"' in page
    assert "Page 1 of 2" in page
    assert "3 applications to" in page
    # Page 2: the rank stays the rank within the whole challenge.
    response = browser.get(url + f"?challenge={challenge.pk}&sort=rank&page=2")
    (group,) = response.context["groups"]
    assert [(r.rank, r.reference, r.organisation) for r in group["rows"]] == [
        (3, gamma.reference, "Gamma Labs")
    ]
    page = _html(response)
    assert "Page 2 of 2" in page
    assert f'href="?challenge={challenge.pk}&amp;sort=rank&amp;page=1"' in page
    assert alpha.reference not in page
    # Another order is paginated after sorting.
    response = browser.get(url + f"?challenge={challenge.pk}&sort=reference&page=2")
    (group,) = response.context["groups"]
    assert [r.reference for r in group["rows"]] == sorted(a.reference for a in submitted_applications)[2:]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["lab_dashboard", "lab_ranking", "lab_assignments"])
def test_lists_take_a_flat_number_of_queries(
    name, login, lab_staff, evaluation_call, make_submitted, make_evaluator_user
):
    call = evaluation_call
    _phase(call, lab_staff)
    _panel(call, lab_staff, make_evaluator_user, ["Ana", "Bo", "Cy"])
    browser = login(lab_staff)

    def count_queries():
        services.assign_automatically(call=call, by=lab_staff)
        for assignment in Assignment.objects.filter(
            application__call=call, review__isnull=True, withdrawn_at__isnull=True
        ).select_related("evaluator__user", "application__call"):
            _review(assignment, (1, 2, 3))
        browser.get(_url(name, call))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(_url(name, call))
        assert response.status_code == 200
        return len(queries)

    make_submitted("First")
    one = count_queries()
    for number in range(19):
        make_submitted(f"Solver {number}")
    twenty = count_queries()
    assert twenty == one
    assert one <= 30


# --- Consensus -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_consensus_overrides_a_criterion_with_a_rationale(login, lab_staff, world, submitted_applications):
    gamma = submitted_applications[2]
    criteria = _criteria(world)
    browser = login(lab_staff)
    url = _url("lab_consensus", world, gamma.reference)
    # A score without a rationale: refused at the field, the score kept, nothing stored.
    response = browser.post(url, {f"consensus-score_{criteria[2].pk}": "3"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"rationale_{criteria[2].pk}"]
    assert '<option value="3" selected>' in _html(response)
    assert ConsensusScore.objects.count() == 0
    response = browser.post(
        url,
        {
            f"consensus-score_{criteria[2].pk}": "3",
            f"consensus-rationale_{criteria[2].pk}": "The team was discussed at length.",
        },
    )
    assert response.status_code == 302
    score = ConsensusScore.objects.get()
    assert (score.application, score.criterion, score.score, score.set_by) == (
        gamma,
        criteria[2],
        3,
        lab_staff,
    )
    entry = AuditEntry.objects.get(action="evaluation.consensus")
    assert entry.reason == "The team was discussed at length."
    rows = login(lab_staff).get(_url("lab_ranking", world)).context["groups"][0]["rows"]
    gamma_row = next(r for r in rows if r.reference == gamma.reference)
    # Innovation 0, Feasibility 1/3, Team 3 (consensus): (0 + 35/3 + 25) / 100 = 36.67.
    assert (gamma_row.consensus_total, gamma_row.final) == (Decimal("36.67"), Decimal("36.67"))
    # Saving the same again changes nothing and writes no new audit entry.
    browser.post(
        url,
        {
            f"consensus-score_{criteria[2].pk}": "3",
            f"consensus-rationale_{criteria[2].pk}": "The team was discussed at length.",
        },
    )
    assert AuditEntry.objects.filter(action="evaluation.consensus").count() == 1


def _set_consensus(application, criterion, staff, score=3):
    return services.consensus_set(
        application=application, criterion=criterion, score=score, rationale="Discussed.", by=staff
    )


@pytest.mark.django_db
def test_removing_the_labs_score_lets_the_evaluators_mean_count_again(
    login, lab_staff, world, submitted_applications
):
    gamma = submitted_applications[2]
    criteria = _criteria(world)
    _set_consensus(gamma, criteria[2], lab_staff)
    _set_consensus(gamma, criteria[1], lab_staff, score=2)
    browser = login(lab_staff)
    url = _url("lab_consensus", world, gamma.reference)
    page = _html(browser.get(url))
    # The box is offered only where the lab gave a score.
    assert f'name="consensus-clear_{criteria[2].pk}"' in page
    assert f'name="consensus-clear_{criteria[1].pk}"' in page
    assert f'name="consensus-clear_{criteria[0].pk}"' not in page
    assert "Remove the lab&#x27;s score (the evaluators&#x27; mean counts again)" in page
    response = browser.post(
        url,
        {
            # The stored values come back with the form; the ticked box wins over the score.
            f"consensus-score_{criteria[2].pk}": "3",
            f"consensus-rationale_{criteria[2].pk}": "Discussed.",
            f"consensus-clear_{criteria[2].pk}": "on",
            f"consensus-score_{criteria[1].pk}": "2",
            f"consensus-rationale_{criteria[1].pk}": "Discussed.",
        },
    )
    assert response.status_code == 302
    assert list(ConsensusScore.objects.values_list("criterion_id", "score")) == [(criteria[1].pk, 2)]
    entry = AuditEntry.objects.get(action="evaluation.consensus.clear")
    assert entry.actor == lab_staff
    assert entry.changes == {"criterion": [criteria[2].pk, None], "score": [3, None]}
    assert AuditEntry.objects.filter(action="evaluation.consensus").count() == 2  # the two set above
    rows = browser.get(_url("lab_ranking", world)).context["groups"][0]["rows"]
    gamma_row = next(r for r in rows if r.reference == gamma.reference)
    # Innovation 0, Feasibility 2 (consensus), Team n/a again: (0 + 35*2/3) / 75 = 31.11.
    assert gamma_row.final == Decimal("31.11")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["panel_evaluator", "other_lab_staff", "solver"])
def test_removing_the_labs_score_is_404_to_others(
    role, request, client, login, lab, world, submitted_applications
):
    gamma = submitted_applications[2]
    criterion = _criteria(world)[2]
    lab_staff = request.getfixturevalue("lab_staff")
    _set_consensus(gamma, criterion, lab_staff)
    browser = _browser(role, request, client, login, lab, gamma, world)
    response = browser.post(
        _url("lab_consensus", world, gamma.reference), {f"consensus-clear_{criterion.pk}": "on"}
    )
    assert response.status_code == 404
    assert list(ConsensusScore.objects.values_list("criterion_id", "score")) == [(criterion.pk, 3)]
    assert not AuditEntry.objects.filter(action="evaluation.consensus.clear").exists()


@pytest.mark.django_db
def test_consensus_for_an_application_of_another_call_is_404(login, lab_staff, world, make_call):
    other = make_call(slug="other")
    response = login(lab_staff).get(_url("lab_consensus", other, "APP-NOPE"))
    assert response.status_code == 404


# --- Preselection --------------------------------------------------------------------------------


def _preselection_data(applications, selected, reason="Explained."):
    data = {}
    for application in applications:
        is_selected = application in selected
        if is_selected:
            data[f"preselect-selected_{application.pk}"] = "on"
        data[f"preselect-reason_category_{application.pk}"] = (
            OutcomeReason.SELECTED_TOP_SCORE if is_selected else OutcomeReason.LOWER_SCORE
        )
        data[f"preselect-reason_{application.pk}"] = f"{reason} {application.reference}"
    return data


@pytest.mark.django_db
def test_preselecting_a_fourth_is_refused_at_the_form_with_every_input_kept(
    login, lab_staff, evaluation_call, submitted_applications, make_submitted, ready_challenge
):
    call = evaluation_call
    applications = [*submitted_applications, make_submitted("Delta Systems")]
    assert call.max_preselected == 3
    browser = login(lab_staff)
    audit_before = AuditEntry.objects.count()
    data = _preselection_data(applications, selected=applications)
    response = browser.post(_url("lab_preselection", call, ready_challenge.pk), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [
        "You selected 4 applications; this call preselects at most 3 per challenge. Untick 1 of them."
    ]
    page = _html(response)
    assert page.index("There is a problem") < page.index(applications[0].reference + " ·")
    for application in applications:
        assert f"Explained. {application.reference}</textarea>" in page
        assert (
            f'name="preselect-selected_{application.pk}" id="id_preselect-selected_{application.pk}" checked'
            in page
        )
    assert PreselectionDecision.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.IN_CALL


@pytest.mark.django_db
def test_the_service_limit_is_shown_when_the_form_is_bypassed(
    login, lab_staff, evaluation_call, submitted_applications, make_submitted, ready_challenge, monkeypatch
):
    """The service enforces the limit too: its refusal reaches the top of the form."""
    from govlab.evaluation import forms_lab

    monkeypatch.setattr(forms_lab.PreselectionForm, "clean", lambda self: self.cleaned_data)
    applications = [*submitted_applications, make_submitted("Delta Systems")]
    data = _preselection_data(applications, selected=applications)
    response = login(lab_staff).post(_url("lab_preselection", evaluation_call, ready_challenge.pk), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "At most 3 applications per challenge can be preselected in this call; 4 are chosen."
    ]
    assert PreselectionDecision.objects.count() == 0


@pytest.mark.django_db
def test_preselection_records_a_decision_for_every_application(
    login, lab_staff, world, submitted_applications, ready_challenge
):
    alpha, beta, gamma = submitted_applications
    browser = login(lab_staff)
    url = _url("lab_preselection", world, ready_challenge.pk)
    # Missing reasons are refused at their fields; nothing is stored.
    data = _preselection_data(submitted_applications, selected=[alpha])
    del data[f"preselect-reason_{gamma.pk}"]
    data[f"preselect-reason_category_{beta.pk}"] = OutcomeReason.SELECTED_FIT
    response = browser.post(url, data)
    assert set(response.context["form"].errors) == {f"reason_{gamma.pk}", f"reason_category_{beta.pk}"}
    assert PreselectionDecision.objects.count() == 0
    response = browser.post(url, _preselection_data(submitted_applications, selected=[alpha, beta]))
    assert response.status_code == 302
    decisions = {d.application: d for d in PreselectionDecision.objects.all()}
    assert {a.reference: (d.selected, d.reason_category, d.rank) for a, d in decisions.items()} == {
        alpha.reference: (True, "selected_top_score", 1),
        beta.reference: (True, "selected_top_score", 2),
        gamma.reference: (False, "lower_score", 3),
    }
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.PRESELECTED
    # Decided: the page shows the decision and takes no second one.
    response = browser.get(url)
    assert response.context["decided"] is True
    assert "Record the decision" not in _html(response)
    browser.post(url, _preselection_data(submitted_applications, selected=[gamma]))
    assert PreselectionDecision.objects.filter(selected=True).count() == 2


# --- Feedback ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_feedback_template_is_saved_per_language_with_placeholders_checked(
    login, lab_staff, evaluation_call, lab
):
    browser = login(lab_staff)
    url = _url("lab_feedback_template", evaluation_call, "es")
    page = _html(browser.get(url))
    assert "{organisation}" in page
    assert "{rank_band}" in page
    response = browser.post(url, {"template-subject": "Resultado", "template-body": "Hola {nombre}"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["body"]
    assert "Hola {nombre}" in _html(response)
    assert FeedbackTemplate.objects.count() == 0
    response = browser.post(
        url, {"template-subject": "Resultado: {call}", "template-body": "Hola {organisation}: {decision}."}
    )
    assert response.status_code == 302
    template = FeedbackTemplate.objects.get()
    assert (template.lab, template.language, template.subject) == (lab, "es", "Resultado: {call}")
    assert AuditEntry.objects.filter(action="evaluation.feedback.template").count() == 1


@pytest.mark.django_db
def test_feedback_letters_are_prepared_previewed_and_sent(
    login, lab_staff, world, submitted_applications, ready_challenge
):
    alpha, beta, gamma = submitted_applications
    _decide(world, ready_challenge, submitted_applications, lab_staff, selected=[alpha])
    browser = login(lab_staff)
    page = _html(browser.get(_url("lab_feedback_prepare", world)))
    assert "Comment by Ana Expert" in page
    released = alpha.reviews.order_by("pk").first()
    response = browser.post(_url("lab_feedback_prepare", world), {"prepare-released": [released.pk]})
    assert response.status_code == 302
    letters = {letter.application: letter for letter in FeedbackLetter.objects.all()}
    assert set(letters) == {alpha, beta, gamma}
    assert letters[alpha].released_review_ids == [released.pk]
    assert letters[beta].released_review_ids == []
    assert all(letter.sent_at is None for letter in letters.values())
    preview = browser.get(_url("lab_feedback_letter", world, letters[alpha].pk))
    assert "Alpha Robotics" in _html(preview)
    assert Notification.objects.filter(kind="evaluation.feedback").count() == 0
    # Send two of the three.
    second_member = OrganisationMembershipFactory(organisation=alpha.organisation).user
    response = browser.post(
        _url("lab_feedback_send", world), {"letters": [letters[alpha].pk, letters[beta].pk]}, follow=True
    )
    assert "2 letters are sent" in _html(response)
    notified = set(
        Notification.objects.filter(kind="evaluation.feedback").values_list("recipient", flat=True)
    )
    assert notified == {alpha.member.pk, second_member.pk, beta.member.pk}
    for letter in letters.values():
        letter.refresh_from_db()
    assert (
        letters[alpha].sent_at is not None,
        letters[beta].sent_at is not None,
        letters[gamma].sent_at,
    ) == (
        True,
        True,
        None,
    )
    # Sending again sends nothing more.
    response = browser.post(_url("lab_feedback_send", world), {"letters": [letters[alpha].pk]}, follow=True)
    assert "Choose the letters to send." in _html(response)
    assert Notification.objects.filter(kind="evaluation.feedback").count() == 3


@pytest.mark.django_db
def test_preparing_before_the_decision_is_refused(login, lab_staff, world):
    response = login(lab_staff).post(_url("lab_feedback_prepare", world), {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Decide on the applications before preparing the feedback."
    ]
    assert FeedbackLetter.objects.count() == 0


# --- Navigation ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calls_lab_pages_link_to_the_evaluation(login, lab_staff, evaluation_call):
    browser = login(lab_staff)
    calls = browser.get(reverse("calls:lab_calls", args=[evaluation_call.lab.slug]))
    assert calls.status_code == 200
    assert "/evaluation/lab/" not in _html(calls)  # no call chosen: no evaluation link
    page = _html(
        login(lab_staff).get(reverse("calls:lab_call", args=[evaluation_call.lab.slug, evaluation_call.pk]))
    )
    assert f'href="{_url("lab_dashboard", evaluation_call)}"' in page
