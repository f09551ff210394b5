# ruff: noqa: F811  (fixtures imported from other test modules are redefined as arguments)
"""An axe sweep of the evaluation pages: the evaluator's, the lab's and the applicant's feedback, in the
five languages. The data is a whole evaluation: panel, phase, declarations, reviews, a decision, a letter."""

import pytest

from govlab.evaluation import services
from govlab.evaluation.enums import OutcomeReason
from govlab.evaluation.models import Assignment
from tests.accounts.conftest import TOTP_SECRET
from tests.browser import BROWSER
from tests.evaluation.conftest import (  # noqa: F401  (fixtures)
    entity,
    evaluation_call,
    lab_staff,
    make_call,
    make_evaluator_user,
    make_ready_challenge,
    make_submitted,
    ready_challenge,
)

from .test_axe_sweep import OTHER_LANGUAGES, sweep  # noqa: F401  (the fixture)

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluated(make_submitted, lab_staff, make_evaluator_user, ready_challenge, lab):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    lab.languages = ["en", "es", "fr", "pt", "sv"]
    lab.save(update_fields=["languages"])
    EmailAddress.objects.create(user=lab_staff, email=lab_staff.email, verified=True, primary=True)
    TOTP.activate(lab_staff, TOTP_SECRET)
    applications = [
        make_submitted(name) for name in ("Alpha Robotics", "Beta Voice", "Gamma Labs", "Delta AI")
    ]
    call = applications[0].call
    phase = services.phase_save(call=call, by=lab_staff, name={"en": "Blind review"})
    services.phase_activate(phase=phase, by=lab_staff)
    [
        services.evaluator_add(
            call=call, user=make_evaluator_user(name=f"E{i}"), role="external_expert", added_by=lab_staff
        )
        for i in range(3)
    ]
    services.assign_automatically(call=call, by=lab_staff)
    criteria = list(call.criteria.all())
    for index, assignment in enumerate(Assignment.objects.select_related("evaluator", "application")):
        user = assignment.evaluator.user
        if index == 0:
            continue  # one assignment stays undeclared, to sweep the declaration page
        services.conflict_declare(
            evaluator=assignment.evaluator, application=assignment.application, has_conflict=False, by=user
        )
        review = services.review_for(assignment, user)
        services.review_save(
            review=review,
            by=user,
            scores={str(c.pk): (index + n) % 4 for n, c in enumerate(criteria)},
            comments={str(criteria[0].pk): "Clear."},
            strengths="Team",
            weaknesses="Plan",
            recommendation="yes",
            confidence=3,
        )
        services.review_submit(review=review, by=user)
    decisions = {
        a.pk: {
            "selected": i < 2,
            "reason_category": OutcomeReason.SELECTED_TOP_SCORE if i < 2 else OutcomeReason.LOWER_SCORE,
            "reason": "Panel ranking.",
        }
        for i, a in enumerate(applications)
    }
    services.preselect(call=call, challenge=ready_challenge, decisions=decisions, by=lab_staff)
    letters = services.feedback_prepare(call=call, by=lab_staff)
    services.feedback_send(letters=letters, by=lab_staff)
    undeclared = Assignment.objects.select_related("evaluator__user", "application").order_by("pk").first()
    return {
        "call": call,
        "lab": lab,
        "staff": lab_staff,
        "applications": applications,
        "undeclared": undeclared,
        "reviewed": Assignment.objects.select_related("evaluator__user", "application").order_by("pk")[1],
    }


def test_axe_evaluation_pages(sweep, evaluated):
    call, lab, undeclared, reviewed = (
        evaluated["call"],
        evaluated["lab"],
        evaluated["undeclared"],
        evaluated["reviewed"],
    )
    sweep.sign_in(undeclared.evaluator.user)
    sweep.visit("/evaluation/mine/", f"/evaluation/applications/{undeclared.application.reference}/declare/")
    sweep.sign_in(reviewed.evaluator.user)
    sweep.visit(f"/evaluation/applications/{reviewed.application.reference}/review/")
    sweep.sign_in(evaluated["staff"])
    base = f"/evaluation/lab/{lab.slug}/{call.pk}/"
    sweep.visit(
        base,
        f"{base}panel/",
        f"{base}panel/phases/new/",
        f"{base}panel/evaluators/add/",
        f"{base}assignments/",
        f"{base}ranking/",
        f"{base}applications/{evaluated['applications'][0].reference}/consensus/",
        f"{base}preselection/",
        f"{base}feedback/",
        f"{base}feedback/templates/en/",
    )
    member = evaluated["applications"][0].member
    sweep.sign_in(member)
    sweep.visit(f"/evaluation/feedback/{evaluated['applications'][0].reference}/", "/calls/mine/")
    sweep.assert_clean()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_axe_evaluation_pages_in_other_languages(sweep, evaluated, language):
    call, lab, reviewed = evaluated["call"], evaluated["lab"], evaluated["reviewed"]
    sweep.sign_in(reviewed.evaluator.user)
    sweep.visit(
        f"/{language}/evaluation/mine/",
        f"/{language}/evaluation/applications/{reviewed.application.reference}/review/",
    )
    assert sweep.page.locator("html").get_attribute("lang") == language
    sweep.sign_in(evaluated["staff"])
    sweep.visit(
        f"/{language}/evaluation/lab/{lab.slug}/{call.pk}/ranking/",
        f"/{language}/evaluation/lab/{lab.slug}/{call.pk}/assignments/",
    )
    sweep.assert_clean()
