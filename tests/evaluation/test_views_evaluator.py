"""The evaluator's pages (queue, declaration, review, file download) and the solver's feedback page:
the role matrix, declarations, reviews (drafts, submit, bad input, closed phases, others' reviews),
feedback, and query counts flat on the queue."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from govlab.calls import services as call_services
from govlab.calls.enums import QuestionKind
from govlab.evaluation import services
from govlab.evaluation.enums import EvaluatorRole, OutcomeReason, Recommendation, ReviewStatus, SeeOthers
from govlab.evaluation.models import Assignment, ConflictDeclaration, FeedbackLetter, Review, ReviewRevision
from tests.calls.conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


# --- Helpers (also used by test_blind_html.py) ---------------------------------------------------


def submit(call, challenge, name, *, member_name=None, answers=None, partners=None, files=None):
    """A submitted application from a new organisation called ``name``.

    ``files``: {question key: (file name, content)}, uploaded before the submission.
    """
    organisation = OrganisationFactory(kind="startup", country="LU", name=name, trl=6)
    member = OrganisationMembershipFactory(
        organisation=organisation,
        role="admin",
        user=UserFactory(full_name=member_name or f"Member of {name}"),
    ).user
    with freeze_time(call.deadline - dt.timedelta(days=2)):
        application, _created = call_services.application_start(
            call=call, challenge=challenge, organisation=organisation, started_by=member
        )
        extra = {"partners": partners} if partners is not None else {}
        call_services.application_save(
            application=application,
            saved_by=member,
            answers={**COMPLETE_ANSWERS, "team_lead": f"Lead of {name}", **(answers or {})},
            declarations=ALL_DECLARATIONS,
            **extra,
        )
        for key, (file_name, content) in (files or {}).items():
            application.refresh_from_db()
            call_services.application_upload(
                application=application,
                question_key=key,
                file=SimpleUploadedFile(file_name, content, content_type="application/pdf"),
                uploaded_by=member,
                received_at=timezone.now(),
            )
        application.refresh_from_db()
        call_services.application_submit(
            application=application, submitted_by=member, received_at=timezone.now()
        )
    application.refresh_from_db()
    application.member = member
    return application


def add_file_question(call, by, key="pitch_deck"):
    with freeze_time(call.deadline - dt.timedelta(days=5)):
        return call_services.question_save(
            call=call,
            updated_by=by,
            key=key,
            kind=QuestionKind.FILE,
            label={"en": "Pitch deck"},
            config={"extensions": ["pdf"], "max_mb": 2},
        )


def add_phase(
    call, by, *, can_review=True, see_others=SeeOthers.NEVER, identities_visible=False, name="Review"
):
    phase = services.phase_save(
        call=call,
        by=by,
        name={"en": name},
        can_review=can_review,
        see_others=see_others,
        identities_visible=identities_visible,
    )
    return services.phase_activate(phase=phase, by=by)


def add_evaluator(call, user, by, *applications, declare=None, reason=""):
    """Put ``user`` on the panel, assign the applications; ``declare``: None, "none" or "conflict"."""
    evaluator = services.evaluator_add(call=call, user=user, role=EvaluatorRole.EXTERNAL_EXPERT, added_by=by)
    for application in applications:
        services.assign(application=application, evaluator=evaluator, by=by)
        if declare is not None:
            services.conflict_declare(
                evaluator=evaluator,
                application=application,
                has_conflict=declare == "conflict",
                reason=reason,
                by=user,
            )
    return evaluator


def html(response) -> str:
    return response.content.decode()


def queue_url():
    return reverse("evaluation:queue")


def declare_url(application):
    return reverse("evaluation:declare", args=[application.reference])


def review_url(application):
    return reverse("evaluation:review", args=[application.reference])


def file_url(application, key="pitch_deck"):
    return reverse("evaluation:review_file", args=[application.reference, key])


def feedback_url(application):
    return reverse("evaluation:feedback", args=[application.reference])


def criteria_ids(call):
    return [criterion.pk for criterion in call.criteria.order_by("position", "pk")]


# --- The world of the role matrix ------------------------------------------------------------------


@pytest.fixture
def world(evaluation_call, ready_challenge, lab_staff, make_evaluator_user):
    call = evaluation_call
    add_file_question(call, lab_staff)
    alpha = submit(call, ready_challenge, "Alpha Robotics", files={"pitch_deck": ("alpha-deck.pdf", PDF)})
    beta = submit(call, ready_challenge, "Beta Voice")
    phase = add_phase(call, lab_staff)
    users = {
        "assigned": make_evaluator_user(name="Ann Assigned"),
        "undeclared": make_evaluator_user(name="Una Undeclared"),
        "not_assigned": make_evaluator_user(name="Nat Elsewhere"),
        "conflicted": make_evaluator_user(name="Con Flicted"),
        "removed": make_evaluator_user(name="Rem Oved"),
    }
    evaluators = {
        "assigned": add_evaluator(call, users["assigned"], lab_staff, alpha, declare="none"),
        "undeclared": add_evaluator(call, users["undeclared"], lab_staff, alpha),
        "not_assigned": add_evaluator(call, users["not_assigned"], lab_staff, beta, declare="none"),
        "conflicted": add_evaluator(
            call, users["conflicted"], lab_staff, alpha, declare="conflict", reason="My cousin runs it."
        ),
        "removed": add_evaluator(call, users["removed"], lab_staff, alpha, declare="none"),
    }
    services.evaluator_remove(evaluator=evaluators["removed"], removed_by=lab_staff)
    users.update({"lab_staff": lab_staff, "solver": alpha.member, "anonymous": None})

    class World:
        pass

    world = World()
    world.call, world.alpha, world.beta, world.phase = call, alpha, beta, phase
    world.users, world.evaluators = users, evaluators
    return world


PAGES = {
    "queue": lambda w: queue_url(),
    "declare": lambda w: declare_url(w.alpha),
    "review": lambda w: review_url(w.alpha),
    "file": lambda w: file_url(w.alpha),
}
NOT_FOUND = {"queue": 200, "declare": 404, "review": 404, "file": 404}
EXPECTED = {
    "assigned": {"queue": 200, "declare": 200, "review": 200, "file": 200},
    "undeclared": {"queue": 200, "declare": 200, "review": 302, "file": 404},
    "not_assigned": NOT_FOUND,
    "conflicted": NOT_FOUND,
    "removed": NOT_FOUND,
    "lab_staff": NOT_FOUND,
    "solver": NOT_FOUND,
    "anonymous": {"queue": 302, "declare": 302, "review": 302, "file": 302},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_matrix_for_every_evaluator_page(role, world, client, login):
    user = world.users[role]
    if user is not None:
        login(user)
    got = {page: client.get(url(world)).status_code for page, url in PAGES.items()}
    assert got == EXPECTED[role]
    if role == "anonymous":
        assert client.get(review_url(world.alpha))["Location"].startswith(reverse("account_login"))
    if role == "undeclared":
        assert client.get(review_url(world.alpha))["Location"] == declare_url(world.alpha)


def _state(world):
    return (
        list(
            ConflictDeclaration.objects.order_by("pk").values_list(
                "evaluator_id", "application_id", "has_conflict"
            )
        ),
        list(Assignment.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        list(Review.objects.values_list("pk", "version", "status")),
    )


@pytest.mark.parametrize(
    ("role", "declare_status", "review_status"),
    [
        ("not_assigned", 404, 404),
        ("conflicted", 404, 404),
        ("removed", 404, 404),
        ("lab_staff", 404, 404),
        ("solver", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_writes_refused_to_others_change_nothing(role, declare_status, review_status, world, client, login):
    user = world.users[role]
    if user is not None:
        login(user)
    before = _state(world)
    first = criteria_ids(world.call)[0]
    assert client.post(declare_url(world.alpha), {"declaration": "none"}).status_code == declare_status
    posted = {f"score_{first}": "3", "submit": "1"}
    assert client.post(review_url(world.alpha), posted).status_code == review_status
    assert _state(world) == before


def test_an_undeclared_evaluator_posting_a_review_is_sent_to_declare_and_nothing_is_stored(
    world, client, login
):
    login(world.users["undeclared"])
    first = criteria_ids(world.call)[0]
    response = client.post(review_url(world.alpha), {f"score_{first}": "3", "save": "1"})
    assert (response.status_code, response["Location"]) == (302, declare_url(world.alpha))
    assert Review.objects.count() == 0


def test_guessing_another_applications_reference_is_404(world, client, login):
    login(world.users["assigned"])
    for url in (declare_url(world.beta), review_url(world.beta), file_url(world.beta)):
        assert client.get(url).status_code == 404
    for url in (declare_url, review_url):
        assert client.get(url(type("A", (), {"reference": "A-NOPE"}))).status_code == 404


# --- Queue -----------------------------------------------------------------------------------------


def test_queue_lists_active_assignments_with_declaration_review_status_and_due_date(world, client, login):
    services.settings_save(
        call=world.call,
        by=world.users["lab_staff"],
        review_deadline=dt.datetime(2031, 3, 12, 16, 0, tzinfo=dt.UTC),
    )
    login(world.users["undeclared"])
    response = client.get(queue_url())
    rows = response.context["rows"]
    assert [(row["application"].reference, row["declaration"], row["review_status"]) for row in rows] == [
        (world.alpha.reference, None, "Not started")
    ]
    page = html(response)
    assert "12 March 2031, 17:00 (Europe/Luxembourg)" in page
    assert "Not declared yet" in page
    assert declare_url(world.alpha) in page
    assert review_url(world.alpha) not in page

    login(world.users["assigned"])
    page = html(client.get(queue_url()))
    assert "Declared: none" in page
    assert review_url(world.alpha) in page


@pytest.mark.parametrize("role", ["conflicted", "removed", "lab_staff", "solver"])
def test_queue_is_empty_for_those_without_an_active_assignment(role, world, client, login):
    login(world.users[role])
    response = client.get(queue_url())
    assert response.context["rows"] == []
    assert "Nothing to evaluate: no application is assigned to you." in html(response)


def test_queue_is_ordered_by_due_date_then_reference(
    world, client, login, make_call, make_ready_challenge, lab_staff
):
    now = timezone.now()
    other_challenge = make_ready_challenge()
    with freeze_time(now - dt.timedelta(days=20)):
        other_call = make_call(
            publish=True, deadline=now - dt.timedelta(days=1), challenges=[other_challenge], slug="second"
        )
    earlier = submit(other_call, other_challenge, "Delta Dynamics")
    add_phase(other_call, lab_staff)
    gamma = submit(world.call, world.alpha.challenge, "Gamma Labs")
    user = world.users["assigned"]
    services.assign(application=gamma, evaluator=world.evaluators["assigned"], by=lab_staff)
    add_evaluator(other_call, user, lab_staff, earlier)
    services.settings_save(call=other_call, by=lab_staff, review_deadline=now + dt.timedelta(days=3))
    # world.call has no due date: it comes last.
    login(user)
    rows = client.get(queue_url()).context["rows"]
    assert [row["application"].reference for row in rows] == [
        earlier.reference,
        *sorted([world.alpha.reference, gamma.reference]),
    ]


def test_queue_queries_are_flat(
    evaluation_call, make_submitted, lab_staff, make_evaluator_user, client, login
):
    add_phase(evaluation_call, lab_staff)
    user = make_evaluator_user(name="Quinn Queue")
    evaluator = services.evaluator_add(
        call=evaluation_call, user=user, role=EvaluatorRole.EXTERNAL_EXPERT, added_by=lab_staff
    )

    def grow(to):
        while Assignment.objects.filter(evaluator=evaluator).count() < to:
            application = make_submitted(f"Solver {Assignment.objects.count()}")
            assignment = services.assign(application=application, evaluator=evaluator, by=lab_staff)
            if assignment.pk % 2:
                services.conflict_declare(
                    evaluator=evaluator, application=application, has_conflict=False, by=user
                )
                services.review_for(assignment, user)

    login(user)
    counts = []
    for size in (1, 10):
        grow(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(queue_url())
        assert len(response.context["rows"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 8


# --- Declaration -----------------------------------------------------------------------------------


def test_declaration_page_shows_only_call_and_challenge_never_the_answers(world, client, login):
    login(world.users["undeclared"])
    page = html(client.get(declare_url(world.alpha)))
    assert "Bye bye Robots!" in page
    assert world.alpha.challenge.reference in page
    for answer in (*COMPLETE_ANSWERS.values(), "Lead of Alpha Robotics", "alpha-deck.pdf"):
        assert answer not in page
    # The organisation appears only in the unlinked list of every applicant to the challenge.
    listed = re.search(r'<ul aria-labelledby="applicants">(.*?)</ul>', page, re.S).group(1)
    assert "Alpha Robotics" in listed
    assert "Alpha Robotics" not in page.replace(listed, "")
    assert file_url(world.alpha) not in page
    assert "Hidden: the evaluation is blind in this phase." in page


def test_a_conflict_needs_a_reason_at_the_field_and_nothing_is_stored(world, client, login):
    login(world.users["undeclared"])
    before = _state(world)
    response = client.post(declare_url(world.alpha), {"declaration": "conflict", "reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Say why you have a conflict of interest."]}
    assert response.context["form"]["declaration"].value() == "conflict"
    assert _state(world) == before


def test_a_declaration_needs_a_choice(world, client, login):
    login(world.users["undeclared"])
    response = client.post(declare_url(world.alpha), {"reason": "whatever"})
    assert response.context["form"].errors == {"declaration": ["This field is required."]}
    assert "whatever" in html(response)
    assert not ConflictDeclaration.objects.filter(evaluator=world.evaluators["undeclared"]).exists()


def test_declaring_a_conflict_recuses_the_evaluator_from_every_page_of_the_application(world, client, login):
    login(world.users["undeclared"])
    response = client.post(
        declare_url(world.alpha), {"declaration": "conflict", "reason": "I advise Alpha Robotics."}
    )
    assert (response.status_code, response["Location"]) == (302, queue_url())
    declaration = ConflictDeclaration.objects.get(evaluator=world.evaluators["undeclared"])
    assert (declaration.application, declaration.has_conflict, declaration.reason) == (
        world.alpha,
        True,
        "I advise Alpha Robotics.",
    )
    assert Assignment.objects.get(evaluator=world.evaluators["undeclared"]).withdrawn_at is not None
    for url in (declare_url(world.alpha), review_url(world.alpha), file_url(world.alpha)):
        assert client.get(url).status_code == 404
    assert client.get(queue_url()).context["rows"] == []


def test_declaring_no_conflict_opens_the_review(world, client, login):
    login(world.users["undeclared"])
    response = client.post(declare_url(world.alpha), {"declaration": "none", "reason": "ignored"})
    assert (response.status_code, response["Location"]) == (302, review_url(world.alpha))
    declaration = ConflictDeclaration.objects.get(evaluator=world.evaluators["undeclared"])
    assert (declaration.has_conflict, declaration.reason) == (False, "")
    assert client.get(review_url(world.alpha)).status_code == 200


def test_a_declaration_is_made_once(world, client, login):
    login(world.users["assigned"])
    response = client.post(declare_url(world.alpha), {"declaration": "conflict", "reason": "changed my mind"})
    assert response.status_code == 200
    assert "You declared on" in html(response)
    assert list(
        ConflictDeclaration.objects.filter(evaluator=world.evaluators["assigned"]).values_list("has_conflict")
    ) == [(False,)]


# --- Review ----------------------------------------------------------------------------------------


def _scores(call, *values):
    return {f"score_{pk}": value for pk, value in zip(criteria_ids(call), values, strict=True)}


def test_review_page_shows_the_application_beside_the_form(world, client, login):
    login(world.users["assigned"])
    response = client.get(review_url(world.alpha))
    page = html(response)
    assert "Human first" in page
    assert "We route calls to people." in page
    for text in ("Innovation", "Feasibility", "Team", "0 — Absent", "3 — Excellent", "Not applicable"):
        assert text in page
    assert 'name="save"' in page
    assert 'name="submit"' in page
    form = response.context["form"]
    assert [name for name in form.fields if name.startswith("score_")] == [
        f"score_{pk}" for pk in criteria_ids(world.call)
    ]


def test_save_a_draft_then_submit(world, client, login):
    login(world.users["assigned"])
    innovation, feasibility, team = criteria_ids(world.call)
    response = client.post(
        review_url(world.alpha),
        {
            f"score_{innovation}": "3",
            f"comment_{innovation}": "Truly new.",
            "strengths": "A clear plan.",
            "save": "1",
        },
    )
    assert (response.status_code, response["Location"]) == (302, review_url(world.alpha))
    review = Review.objects.get()
    assert (review.status, review.scores, review.comments, review.strengths) == (
        ReviewStatus.DRAFT,
        {str(innovation): 3},
        {str(innovation): "Truly new."},
        "A clear plan.",
    )
    page = client.get(review_url(world.alpha))
    assert page.context["form"]["strengths"].value() == "A clear plan."
    assert page.context["form"][f"score_{innovation}"].value() == "3"

    response = client.post(
        review_url(world.alpha),
        {
            **_scores(world.call, "3", "2", "na"),
            f"comment_{innovation}": "Truly new.",
            "strengths": "A clear plan.",
            "weaknesses": "Costly.",
            "recommendation": Recommendation.YES,
            "confidence": "4",
            "expected_version": str(review.version),
            "submit": "1",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (
        review.status,
        review.scores,
        review.recommendation,
        review.confidence,
        review.weighted_total,
    ) == (
        ReviewStatus.SUBMITTED,
        {str(innovation): 3, str(feasibility): 2, str(team): None},
        Recommendation.YES,
        4,
        Decimal("84.44"),
    )
    assert ReviewRevision.objects.filter(review=review).count() == 1


def test_a_submitted_review_may_be_revised_while_the_phase_allows(world, client, login):
    login(world.users["assigned"])
    data = {**_scores(world.call, "3", "2", "1"), "recommendation": "yes", "confidence": "3", "submit": "1"}
    assert client.post(review_url(world.alpha), data).status_code == 302
    assert (
        client.post(review_url(world.alpha), {**data, **_scores(world.call, "1", "1", "1")}).status_code
        == 302
    )
    review = Review.objects.get()
    assert (review.status, review.weighted_total, review.revisions.count()) == (
        ReviewStatus.SUBMITTED,
        Decimal("33.33"),
        2,
    )


def test_a_score_outside_the_scale_is_refused_at_the_field_and_nothing_is_stored(world, client, login):
    login(world.users["assigned"])
    innovation = criteria_ids(world.call)[0]
    response = client.post(
        review_url(world.alpha),
        {
            **_scores(world.call, "7", "2", "1"),
            "strengths": "Kept as typed.",
            "recommendation": "yes",
            "confidence": "3",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"score_{innovation}": ["Select a valid choice. 7 is not one of the available choices."]
    }
    page = html(response)
    assert "Kept as typed." in page
    assert f'href="#id_score_{innovation}' in page  # the error summary links to the field
    assert Review.objects.count() == 0


def test_an_incomplete_submission_is_refused_at_the_fields_and_nothing_is_stored(world, client, login):
    login(world.users["assigned"])
    innovation, feasibility, team = criteria_ids(world.call)
    response = client.post(
        review_url(world.alpha),
        {f"score_{innovation}": "2", "weaknesses": "Typed, kept.", "submit": "1"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"score_{feasibility}"] == ["Score this criterion, or mark it not applicable."]
    assert errors[f"score_{team}"] == ["Score this criterion, or mark it not applicable."]
    assert errors["recommendation"] == ["Give your recommendation."]
    assert errors["confidence"] == ["Say how confident you are."]
    assert "Typed, kept." in html(response)
    assert response.context["form"][f"score_{innovation}"].value() == "2"
    assert Review.objects.count() == 0


def test_a_review_saved_in_another_tab_is_not_overwritten(world, client, login):
    login(world.users["assigned"])
    innovation = criteria_ids(world.call)[0]
    client.post(review_url(world.alpha), {f"score_{innovation}": "1", "save": "1"})
    client.post(review_url(world.alpha), {f"score_{innovation}": "2", "save": "1", "expected_version": "2"})
    review = Review.objects.get()
    assert (review.version, review.scores) == (3, {str(innovation): 2})
    response = client.post(
        review_url(world.alpha), {f"score_{innovation}": "3", "save": "1", "expected_version": "2"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This review was saved in another tab since you opened it. Reload it."
    ]
    review.refresh_from_db()
    assert (review.version, review.scores) == (3, {str(innovation): 2})


def test_writing_when_the_phase_does_not_allow_it_is_refused_with_403(world, client, login):
    login(world.users["assigned"])
    innovation = criteria_ids(world.call)[0]
    client.post(
        review_url(world.alpha), {f"score_{innovation}": "1", "strengths": "Draft words", "save": "1"}
    )
    add_phase(world.call, world.users["lab_staff"], can_review=False, name="Deliberation")
    before = list(Review.objects.values_list("version", "scores", "strengths"))
    response = client.get(review_url(world.alpha))
    page = html(response)
    assert response.status_code == 200
    assert "Reviews cannot be written or changed in the current phase." in page
    assert 'name="submit"' not in page
    assert "Draft words" in page  # read only
    response = client.post(review_url(world.alpha), {f"score_{innovation}": "3", "save": "1"})
    assert response.status_code == 403
    assert (
        "In the current phase (“Deliberation”), reviews cannot be written or changed. Nothing was saved."
        in html(response)
    )
    assert list(Review.objects.values_list("version", "scores", "strengths")) == before


def test_without_an_active_phase_writing_is_refused(world, client, login):
    world.phase.__class__.objects.filter(call=world.call).update(is_active=False)
    login(world.users["assigned"])
    response = client.post(review_url(world.alpha), {"save": "1"})
    assert response.status_code == 403
    assert "The lab has not opened a review phase" in html(response)
    assert Review.objects.count() == 0


def _submitted_review(world, role, comment):
    user = world.users[role]
    evaluator = world.evaluators[role]
    if services.declaration_for(evaluator, world.alpha) is None:
        services.conflict_declare(evaluator=evaluator, application=world.alpha, has_conflict=False, by=user)
    assignment = Assignment.objects.get(evaluator=evaluator, application=world.alpha)
    review = services.review_for(assignment, user)
    ids = criteria_ids(world.call)
    review = services.review_save(
        review=review,
        by=user,
        scores={str(pk): 2 for pk in ids},
        comments={str(ids[0]): comment},
        strengths=f"{comment} strengths",
        recommendation="yes",
        confidence=3,
    )
    return services.review_submit(review=review, by=user)


@pytest.mark.parametrize(
    ("see_others", "own_submitted", "shown"),
    [
        (SeeOthers.NEVER, True, False),
        (SeeOthers.AFTER_OWN, False, False),
        (SeeOthers.AFTER_OWN, True, True),
        (SeeOthers.ALWAYS, False, True),
    ],
)
def test_others_reviews_are_shown_as_the_phase_allows_never_with_their_authors(
    see_others, own_submitted, shown, world, client, login
):
    services.phase_save(
        call=world.call,
        by=world.users["lab_staff"],
        phase=world.phase,
        name={"en": "Review"},
        see_others=see_others,
    )
    _submitted_review(world, "undeclared", "Second opinion")
    if own_submitted:
        _submitted_review(world, "assigned", "My own")
    login(world.users["assigned"])
    page = html(client.get(review_url(world.alpha)))
    assert ("Second opinion" in page) is shown
    assert ("The other evaluators' reviews" in page) is shown
    assert "Una Undeclared" not in page


# --- The solver's feedback ---------------------------------------------------------------------------


@pytest.fixture
def letters(world):
    staff = world.users["lab_staff"]
    review = _submitted_review(world, "assigned", "Released words")
    _submitted_review(world, "undeclared", "Withheld words")
    services.preselect(
        call=world.call,
        challenge=world.alpha.challenge,
        decisions={
            world.alpha.pk: {
                "selected": True,
                "reason_category": OutcomeReason.SELECTED_TOP_SCORE,
                "reason": "Best.",
            },
            world.beta.pk: {
                "selected": False,
                "reason_category": OutcomeReason.LOWER_SCORE,
                "reason": "Lower.",
            },
        },
        by=staff,
    )
    return services.feedback_prepare(call=world.call, by=staff, released_review_ids=[review.pk])


def test_feedback_is_not_shown_before_it_is_sent(world, letters, client, login):
    login(world.alpha.member)
    assert client.get(feedback_url(world.alpha)).status_code == 404


def test_feedback_shows_the_sent_letter_to_the_applicants_members(world, letters, client, login):
    services.feedback_send(letters=letters, by=world.users["lab_staff"])
    login(world.alpha.member)
    response = client.get(feedback_url(world.alpha))
    assert response.status_code == 200
    letter = FeedbackLetter.objects.get(application=world.alpha)
    page = html(response)
    assert letter.subject in page
    assert "Dear Alpha Robotics," in page
    assert [(row["name"], row["score"], row["max"]) for row in response.context["scores"]] == [
        ("Innovation", 2.0, 3),
        ("Feasibility", 2.0, 3),
        ("Team", 2.0, 3),
    ]
    assert "Released words" in page
    assert "Withheld words" not in page
    assert response.context["rank_band"] == letter.data["rank_band"]
    assert letter.data["rank_band"] in page
    assert "Selected: among the best scored" in page
    # The workspace links to it.
    assert feedback_url(world.alpha) in html(client.get(reverse("calls:mine")))


@pytest.mark.parametrize("role", ["assigned", "lab_staff", "other_solver", "anonymous"])
def test_feedback_is_refused_to_everyone_else(role, world, letters, client, login):
    services.feedback_send(letters=letters, by=world.users["lab_staff"])
    user = world.beta.member if role == "other_solver" else world.users[role]
    if user is not None:
        login(user)
    response = client.get(feedback_url(world.alpha))
    assert response.status_code == (302 if role == "anonymous" else 404)
