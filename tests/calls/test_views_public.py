"""The public call pages: the list, the call page, Q&A, follows, documents, feeds and receipt checks."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from govlab.calls import services
from govlab.calls.enums import FollowKind
from govlab.calls.models import Enquiry, Follow
from tests.accounts.html import structure
from tests.calls.conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS
from tests.factories import LabFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def detail_url(call):
    return reverse("calls:detail", args=[call.lab.slug, call.slug])


def assert_house_page(response):
    assert response.status_code == 200
    page = structure(response)
    assert page.h1_count == 1
    assert page.inline_styles == 0
    assert page.inline_scripts == 0
    assert page.unlabelled_controls() == []
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"


# --- List ---------------------------------------------------------------------------------------------


def test_list_shows_open_published_calls_only(client, make_call):
    shown = make_call(publish=True, title={"en": "Bye bye Robots!"})
    make_call(title={"en": "Still a draft"})

    response = client.get(reverse("calls:list"))

    assert_house_page(response)
    assert [call.pk for call in response.context["calls"]] == [shown.pk]
    html = response.content.decode()
    assert "1 call found" in html
    assert "Bye bye Robots!" in html
    assert "Still a draft" not in html
    assert "(Europe/Luxembourg)" in html


def test_list_filters_by_lab_state_and_text(client, make_call, open_call):
    other_lab = LabFactory(slug="other-lab")
    with freeze_time(open_call.deadline + dt.timedelta(days=1)):
        closed = client.get(reverse("calls:list"), {"state": "closed"})
        still_open = client.get(reverse("calls:list"), {"state": "open"})
    assert [c.pk for c in closed.context["calls"]] == [open_call.pk]
    assert list(still_open.context["calls"]) == []

    assert [c.pk for c in client.get(reverse("calls:list"), {"q": "robots"}).context["calls"]] == [
        open_call.pk
    ]
    assert list(client.get(reverse("calls:list"), {"q": "submarines"}).context["calls"]) == []
    assert list(client.get(reverse("calls:list"), {"lab": other_lab.slug}).context["calls"]) == []
    by_lab = client.get(reverse("calls:list"), {"lab": open_call.lab.slug, "state": "all"})
    assert [c.pk for c in by_lab.context["calls"]] == [open_call.pk]


@pytest.mark.parametrize("count", [1, 4])
def test_list_query_count_is_flat(
    client, make_call, make_ready_challenge, django_assert_max_num_queries, count
):
    for _number in range(count):
        make_call(publish=True, challenges=[make_ready_challenge()])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("calls:list"))
    assert len(response.context["calls"]) == count


# --- The call page ------------------------------------------------------------------------------------


def test_call_page_renders_for_anonymous_with_everything_public(
    client, open_call, ready_challenge, lab_staff
):
    services.call_document_add(
        call=open_call,
        file=SimpleUploadedFile("terms.pdf", b"%PDF-1.7\n", content_type="application/pdf"),
        title={"en": "Terms of reference"},
        uploaded_by=lab_staff,
    )
    response = client.get(detail_url(open_call))

    assert_house_page(response)
    html = response.content.decode()
    assert "Bye bye Robots!" in html
    assert "Help us answer citizens without robots." in html
    assert ready_challenge.reference in html
    deadline = timezone.localtime(open_call.deadline, open_call.zone)
    assert f"{deadline:%H:%M} (Europe/Luxembourg)" in html
    assert "Innovation" in html
    assert "(40 %)" in html
    assert "Terms of reference" in html
    assert "Sign in to apply" in html
    assert "Sign in to ask a question" in html


@pytest.mark.parametrize("who", ["anonymous", "solver", "other_lab_staff"])
def test_draft_call_is_not_found(client, login, draft_call, solver_member, other_lab_staff, who):
    if who == "solver":
        login(solver_member)
    elif who == "other_lab_staff":
        login(other_lab_staff)
    assert client.get(detail_url(draft_call)).status_code == 404


def test_draft_call_is_previewed_by_its_lab(client, login, draft_call, lab_staff):
    login(lab_staff)
    response = client.get(detail_url(draft_call))
    assert response.status_code == 200
    assert "only the lab's team sees this page" in response.content.decode()


def test_call_published_for_later_is_not_found_yet(client, make_call):
    call = make_call(publishes_at=timezone.now() + dt.timedelta(days=2), publish=True)
    assert client.get(detail_url(call)).status_code == 404


def test_published_answers_are_shown_without_the_asker(client, login, open_call, solver_member, lab_staff):
    solver_member.full_name = "Ada Asker"
    solver_member.save()
    enquiry = services.enquiry_ask(
        call=open_call, asked_by=solver_member, question="May SMEs apply together?"
    )
    services.enquiry_answer(
        enquiry=enquiry,
        answered_by=lab_staff,
        answer={"en": "Yes, as a consortium."},
        public_question={"en": "May companies apply together?"},
    )
    Enquiry.objects.create(call=open_call, asked_by=solver_member, question="Unanswered secret question")

    html = client.get(detail_url(open_call)).content.decode()

    assert "May companies apply together?" in html
    assert "Yes, as a consortium." in html
    assert "Ada Asker" not in html
    assert "Unanswered secret question" not in html


def test_the_askers_own_words_never_appear_on_the_public_page(
    client, login, open_call, solver_member, other_solver_member, lab_staff
):
    enquiry = services.enquiry_ask(
        call=open_call, asked_by=solver_member, question="Acme Voice asks: may our bot use the 112 line?"
    )
    services.enquiry_answer(
        enquiry=enquiry,
        answered_by=lab_staff,
        answer={"en": "Not without the operator's consent."},
        public_question={"en": "May a solution use the emergency line?"},
    )
    # A published answer whose question was never rewritten (e.g. made before rewriting was required).
    Enquiry.objects.create(
        call=open_call,
        asked_by=solver_member,
        question="Private wording from Acme Voice",
        answer={"en": "An answer without a published question."},
        is_published=True,
        published_at=timezone.now(),
    )

    pages = [client.get(detail_url(open_call))]
    login(other_solver_member)
    pages.append(client.get(detail_url(open_call)))

    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert [e.pk for e in response.context["enquiries"]] == [enquiry.pk]
        assert "May a solution use the emergency line?" in html
        assert "Not without the operator&#x27;s consent." in html
        assert "112 line" not in html
        assert "Private wording from Acme Voice" not in html
        assert "An answer without a published question." not in html


def test_signed_in_person_asks_a_question(client, login, open_call, solver, solver_member):
    login(solver_member)
    response = client.post(
        reverse("calls:ask", args=[open_call.lab.slug, open_call.slug]),
        {"enquiry-question": "Is open source required?", "enquiry-organisation": solver.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(open_call) + "#questions"
    enquiry = Enquiry.objects.get()
    assert (enquiry.call, enquiry.asked_by, enquiry.organisation) == (open_call, solver_member, solver)
    assert enquiry.question == "Is open source required?"
    assert enquiry.is_published is False
    page = client.get(detail_url(open_call)).content.decode()
    assert "waiting for the lab's answer" in page


def test_an_empty_question_is_refused_at_the_field(client, login, open_call, solver_member):
    login(solver_member)
    response = client.post(
        reverse("calls:ask", args=[open_call.lab.slug, open_call.slug]), {"enquiry-question": "  "}
    )
    assert response.status_code == 200
    assert response.context["enquiry_form"].errors["question"]
    assert Enquiry.objects.count() == 0


def test_anonymous_question_is_kept_for_after_sign_in(client, open_call):
    response = client.post(
        reverse("calls:ask", args=[open_call.lab.slug, open_call.slug]), {"enquiry-question": "Kept?"}
    )
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert Enquiry.objects.count() == 0


def test_question_after_the_enquiry_period_is_refused(client, login, make_call, solver_member):
    now = timezone.now()
    call = make_call(publish=True, enquiries_close_at=now + dt.timedelta(days=1))
    login(solver_member)
    with freeze_time(now + dt.timedelta(days=2)):
        page = client.get(detail_url(call))
        assert "The period for questions is over." in page.content.decode()
        response = client.post(
            reverse("calls:ask", args=[call.lab.slug, call.slug]), {"enquiry-question": "Too late?"}
        )
    assert response.status_code == 200
    assert "The enquiry period of this call is over." in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_follow_and_unfollow_the_lab_and_a_challenge(client, login, open_call, ready_challenge):
    user = UserFactory()
    login(user)
    url = reverse("calls:follow", args=[open_call.lab.slug, open_call.slug])
    client.post(url, {"kind": "lab", "action": "follow"})
    client.post(url, {"kind": "lab", "action": "follow"})
    client.post(url, {"kind": "challenge", "challenge": ready_challenge.pk, "action": "follow"})
    assert Follow.objects.filter(user=user, kind=FollowKind.LAB, lab=open_call.lab).count() == 1
    assert Follow.objects.filter(user=user, kind=FollowKind.CHALLENGE, challenge=ready_challenge).count() == 1
    html = client.get(detail_url(open_call)).content.decode()
    assert "Stop following this lab" in html

    client.post(url, {"kind": "lab", "action": "unfollow"})
    assert not Follow.objects.filter(user=user, kind=FollowKind.LAB).exists()


def test_following_a_challenge_of_another_call_is_refused(client, login, open_call, make_ready_challenge):
    stranger = make_ready_challenge()
    user = UserFactory()
    login(user)
    client.post(
        reverse("calls:follow", args=[open_call.lab.slug, open_call.slug]),
        {"kind": "challenge", "challenge": stranger.pk, "action": "follow"},
    )
    assert Follow.objects.count() == 0


def test_document_download_is_an_attachment(client, open_call, lab_staff):
    document = services.call_document_add(
        call=open_call,
        file=SimpleUploadedFile("terms.pdf", b"%PDF-1.7\nterms", content_type="application/pdf"),
        title={"en": "Terms"},
        uploaded_by=lab_staff,
    )
    response = client.get(reverse("calls:document", args=[open_call.lab.slug, open_call.slug, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="terms.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7\nterms"


def test_documents_of_a_draft_call_are_not_found(client, draft_call, lab_staff):
    document = services.call_document_add(
        call=draft_call,
        file=SimpleUploadedFile("terms.pdf", b"%PDF-1.7\n", content_type="application/pdf"),
        title={"en": "Terms"},
        uploaded_by=lab_staff,
    )
    url = reverse("calls:document", args=[draft_call.lab.slug, draft_call.slug, document.pk])
    assert client.get(url).status_code == 404


# --- Feeds --------------------------------------------------------------------------------------------


def test_atom_feed_lists_published_calls(client, make_call):
    call = make_call(publish=True)
    make_call(title={"en": "Draft call"})

    response = client.get(reverse("calls:feed_atom"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed, parsed in a test)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Bye bye Robots!"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{detail_url(call)}"
    assert entries[0].find(f"{ATOM}id").text == link
    assert "(Europe/Luxembourg)" in entries[0].find(f"{ATOM}summary").text


def test_calendar_feed_has_the_deadline_in_utc(client, make_call):
    deadline = dt.datetime(2031, 3, 12, 16, 0, tzinfo=dt.UTC)  # 17:00 in Luxembourg
    with freeze_time(dt.datetime(2031, 1, 10, tzinfo=dt.UTC)):
        call = make_call(publish=True, deadline=deadline)
        make_call(title={"en": "Draft call"}, deadline=deadline)
        response = client.get(reverse("calls:feed_ics"), {"lab": call.lab.slug})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20310312T160000Z\r\n" in body
    assert f"UID:call-{call.pk}-deadline@" in body
    assert "SUMMARY:Deadline: Bye bye Robots!" in body
    assert "2031-03-12 17:00 in Europe/Luxembourg" in body


def test_feeds_of_an_unknown_lab_are_not_found(client):
    assert client.get(reverse("calls:feed_ics"), {"lab": "nowhere"}).status_code == 404
    assert client.get(reverse("calls:feed_atom"), {"lab": "nowhere"}).status_code == 404


# --- Receipt verification -----------------------------------------------------------------------------


def test_receipt_verification_says_which_call_and_never_shows_answers(
    client, complete_application, solver_member
):
    revision = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    url = reverse("calls:receipt_verify")

    valid = client.get(url, {"receipt_code": revision.receipt_code, "content_hash": revision.content_hash})
    wrong = client.get(url, {"receipt_code": revision.receipt_code, "content_hash": "0" * 64})

    assert_house_page(valid)
    html = valid.content.decode()
    assert "Valid receipt" in html
    assert "Bye bye Robots!" in html
    assert "(Europe/Luxembourg)" in html
    for answer in COMPLETE_ANSWERS.values():
        assert answer not in html
    assert complete_application.organisation.name not in html
    assert "Not a valid receipt" in wrong.content.decode()
    assert "Valid receipt" not in wrong.content.decode()


def test_receipt_verification_page_without_input_shows_the_form(client):
    response = client.get(reverse("calls:receipt_verify"))
    assert_house_page(response)
    assert "Not a valid receipt" not in response.content.decode()


def test_declarations_fixture_matches_the_services():
    assert set(ALL_DECLARATIONS) == set(services.DECLARATIONS)


def test_other_lab_member_sees_published_call(client, login, open_call):
    member = OrganisationMembershipFactory().user
    login(member)
    assert client.get(detail_url(open_call)).status_code == 200
