"""Blind evaluation in HTML: while the active phase hides identities, nothing that identifies the applicant
reaches an evaluator on any page — queue, declaration, review (with errors, closed), the other reviews —
nor in a file download's headers. Once a phase shows identities, they appear."""

import re

import pytest

from govlab.calls.models import ApplicationFile
from govlab.evaluation import services
from tests.evaluation.test_views_evaluator import (
    PDF,
    add_evaluator,
    add_file_question,
    add_phase,
    criteria_ids,
    declare_url,
    file_url,
    html,
    queue_url,
    review_url,
    submit,
)

pytestmark = pytest.mark.django_db

ORGANISATION = "Alpha Robotics"
MEMBER = "Ada Alphason"
IDENTIFYING_ANSWER = "Lead of Alpha Robotics"
FILE_NAME = "alpha-robotics-secret-deck.pdf"
PARTNER = "Zeta Partner GmbH"


@pytest.fixture
def blind(evaluation_call, ready_challenge, lab_staff, make_evaluator_user):
    call = evaluation_call
    add_file_question(call, lab_staff)
    application = submit(
        call,
        ready_challenge,
        ORGANISATION,
        member_name=MEMBER,
        partners=[{"name": PARTNER, "country": "DE", "role": "Hardware"}],
        files={"pitch_deck": (FILE_NAME, PDF)},
    )
    phase = add_phase(call, lab_staff, name="Blind review")
    reviewer = make_evaluator_user(name="Rita Reviewer")
    newcomer = make_evaluator_user(name="Nora Newcomer")
    add_evaluator(call, reviewer, lab_staff, application, declare="none")
    add_evaluator(call, newcomer, lab_staff, application)
    return {
        "call": call,
        "application": application,
        "phase": phase,
        "reviewer": reviewer,
        "newcomer": newcomer,
        "lab_staff": lab_staff,
        "needles": [ORGANISATION, MEMBER, application.member.email, IDENTIFYING_ANSWER, FILE_NAME, PARTNER],
    }


def _leaks(text: str, needles) -> list[str]:
    lowered = text.lower()
    return [needle for needle in needles if needle.lower() in lowered]


def _header_text(response) -> str:
    return "\n".join(f"{name}: {value}" for name, value in response.items())


def test_nothing_identifying_reaches_the_evaluator_while_blind(blind, client, login):
    application, needles = blind["application"], blind["needles"]
    # The fixture really holds what must stay hidden.
    assert application.organisation.name == ORGANISATION
    assert ApplicationFile.objects.get(application=application).original_name == FILE_NAME
    assert application.revisions.get().partners[0]["name"] == PARTNER

    pages = {}
    login(blind["newcomer"])
    pages["queue (undeclared)"] = client.get(queue_url())
    pages["declaration form"] = client.get(declare_url(application))
    pages["declaration refused"] = client.post(declare_url(application), {"declaration": "conflict"})

    login(blind["reviewer"])
    pages["queue"] = client.get(queue_url())
    pages["declaration made"] = client.get(declare_url(application))
    pages["review"] = client.get(review_url(application))
    first = criteria_ids(blind["call"])[0]
    pages["review with errors"] = client.post(review_url(application), {f"score_{first}": "9", "submit": "1"})
    download = client.get(file_url(application))

    for name, response in pages.items():
        assert response.status_code == 200, name
        body = html(response)
        if name.startswith("declaration form") or name == "declaration refused":
            # The declaration lists every organisation that applied to the challenge, unlinked to this
            # application (so a conflict can be declared blind): the names may appear there and only there.
            listed = re.search(r'<ul aria-labelledby="applicants">(.*?)</ul>', body, re.S).group(1)
            assert len(re.findall(r"<li>", listed)) >= 2, name
            body = body.replace(listed, "")
        assert _leaks(body, needles) == [], name
        assert _leaks(_header_text(response), needles) == [], name

    review_page = html(pages["review"])
    assert ">File 1</a>" in review_page
    assert file_url(application) in review_page
    assert "Human first" in review_page  # the content is there, only the identity is not
    assert "Name of your team lead" not in review_page  # the identifying question is left out

    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{application.reference}-pitch_deck.pdf"'
    assert _leaks(_header_text(download), needles) == []
    assert b"".join(download.streaming_content) == PDF


def test_a_closed_phase_page_and_the_others_reviews_stay_blind(blind, client, login):
    application, needles, staff = blind["application"], blind["needles"], blind["lab_staff"]
    services.phase_save(
        call=blind["call"], by=staff, phase=blind["phase"], name={"en": "Blind review"}, see_others="always"
    )
    newcomer = blind["newcomer"]
    evaluator = newcomer.evaluations.get()
    services.conflict_declare(evaluator=evaluator, application=application, has_conflict=False, by=newcomer)
    review = services.review_for(evaluator.assignments.get(), newcomer)
    ids = criteria_ids(blind["call"])
    review = services.review_save(
        review=review, by=newcomer, scores={str(pk): 1 for pk in ids}, recommendation="no", confidence=2
    )
    services.review_submit(review=review, by=newcomer)

    login(blind["reviewer"])
    page = html(client.get(review_url(application)))
    assert "Review 1" in page
    assert _leaks(page, [*needles, "Nora Newcomer"]) == []

    add_phase(blind["call"], staff, can_review=False, name="Closed")
    closed = client.post(review_url(application), {"save": "1"})
    assert closed.status_code == 403
    assert _leaks(html(closed), needles) == []


def test_identities_appear_once_a_phase_shows_them(blind, client, login):
    application = blind["application"]
    add_phase(blind["call"], blind["lab_staff"], identities_visible=True, name="Open review")

    login(blind["newcomer"])
    assert ORGANISATION in html(client.get(queue_url()))
    assert ORGANISATION in html(client.get(declare_url(application)))

    login(blind["reviewer"])
    assert ORGANISATION in html(client.get(queue_url()))
    page = html(client.get(review_url(application)))
    for needle in (ORGANISATION, MEMBER, IDENTIFYING_ANSWER, FILE_NAME, PARTNER):
        assert needle in page, needle
    assert "Name of your team lead" in page
    # Downloads keep their neutral name whatever the phase.
    download = client.get(file_url(application))
    assert download["Content-Disposition"] == f'attachment; filename="{application.reference}-pitch_deck.pdf"'


def test_an_identifying_file_is_not_served_while_blind(blind, client, login):
    call, application = blind["call"], blind["application"]
    call.questions.filter(key="pitch_deck").update(identifying=True)
    login(blind["reviewer"])
    page = html(client.get(review_url(application)))
    assert file_url(application) not in page
    assert client.get(file_url(application)).status_code == 404
    add_phase(call, blind["lab_staff"], identities_visible=True, name="Open review")
    assert client.get(file_url(application)).status_code == 200
