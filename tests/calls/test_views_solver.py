"""The solver's side: applying, the application editor (save, autosave, rows, files, submit), withdrawal,
receipts and the workspace, and that no one sees another organisation's application through any URL."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from govlab.calls import services
from govlab.calls.enums import ApplicationStatus, QuestionKind
from govlab.calls.models import Application, ApplicationFile, ApplicationRevision
from tests.accounts.html import structure
from tests.calls.conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def editor_url(application):
    return reverse("calls:application", args=[application.reference])


def apply_url(call):
    return reverse("calls:apply", args=[call.lab.slug, call.slug])


def form_data(application, **answers):
    """What the editor posts: every question, the declarations, the version the page was opened at."""
    data = {
        "version": application.version,
        "a_solution_name": COMPLETE_ANSWERS["solution_name"],
        "a_approach": COMPLETE_ANSWERS["approach"],
        "a_price": COMPLETE_ANSWERS["price"],
        "partners-0-name": "",
        "partners-0-country": "",
        "partners-0-role": "",
    }
    data.update({f"d_{key}": "on" for key in ALL_DECLARATIONS})
    data.update({f"a_{key}": value for key, value in answers.items()})
    return data


def snapshot(application):
    application.refresh_from_db()
    return (
        application.status,
        application.version,
        application.answers,
        application.declarations,
        application.revisions.count(),
    )


@pytest.fixture
def team_question(open_call, lab_staff):
    return services.question_save(
        call=open_call,
        updated_by=lab_staff,
        key="team",
        kind=QuestionKind.GROUP,
        label={"en": "Team members"},
        config={
            "fields": [
                {"key": "name", "kind": "short_text", "label": {"en": "Name"}, "required": True},
                {"key": "role", "kind": "short_text", "label": {"en": "Role"}},
            ],
            "max_rows": 5,
        },
    )


@pytest.fixture
def file_question(open_call, lab_staff):
    return services.question_save(
        call=open_call,
        updated_by=lab_staff,
        key="deck",
        kind=QuestionKind.FILE,
        label={"en": "Pitch deck"},
        config={"extensions": ["pdf"], "max_mb": 1},
    )


# --- Applying -----------------------------------------------------------------------------------------


def test_solver_sees_an_apply_button_per_challenge(client, login, open_call, ready_challenge, solver_member):
    login(solver_member)
    response = client.get(reverse("calls:detail", args=[open_call.lab.slug, open_call.slug]))
    html = response.content.decode()
    assert f'name="challenge" value="{ready_challenge.pk}"' in html
    assert "Apply to “Challenge 1”" in html
    assert "may apply." in html


def test_apply_twice_creates_one_draft(client, login, open_call, ready_challenge, solver, solver_member):
    login(solver_member)
    data = {"challenge": ready_challenge.pk, "organisation": solver.pk}

    first = client.post(apply_url(open_call), data)
    second = client.post(apply_url(open_call), data)

    application = Application.objects.get()
    assert (application.organisation, application.challenge, application.status) == (
        solver,
        ready_challenge,
        ApplicationStatus.DRAFT,
    )
    assert first["Location"] == second["Location"] == editor_url(application)


def test_apply_as_an_organisation_one_does_not_belong_to_is_refused(
    client, login, open_call, ready_challenge, solver_member, other_solver
):
    login(solver_member)
    response = client.post(
        apply_url(open_call), {"challenge": ready_challenge.pk, "organisation": other_solver.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert Application.objects.count() == 0


def test_apply_chooses_among_several_organisations(
    client, login, open_call, ready_challenge, solver, solver_member
):
    second = OrganisationFactory(kind="research", country="LU", name="Uni Lab")
    OrganisationMembershipFactory(organisation=second, user=solver_member)
    login(solver_member)

    page = client.get(apply_url(open_call))
    assert page.status_code == 200
    assert "Uni Lab" in page.content.decode()

    client.post(apply_url(open_call), {"challenge": ready_challenge.pk, "organisation": second.pk})
    assert list(Application.objects.values_list("organisation_id", flat=True)) == [second.pk]


def test_ineligible_organisation_is_told_why(
    client, login, make_call, ready_challenge, solver, solver_member
):
    call = make_call(publish=True, min_trl=8)
    login(solver_member)
    response = client.post(apply_url(call), {"challenge": ready_challenge.pk, "organisation": solver.pk})
    assert response.status_code == 200
    assert "This call asks for TRL 8 or more; your profile says 5." in response.content.decode()
    assert Application.objects.count() == 0


def test_someone_without_a_solver_organisation_cannot_apply(client, login, open_call, ready_challenge):
    login(UserFactory())
    response = client.post(apply_url(open_call), {"challenge": ready_challenge.pk})
    assert response.status_code == 403
    assert Application.objects.count() == 0


# --- The editor -----------------------------------------------------------------------------------------


def test_editor_shows_the_questions_deadline_and_gaps(client, login, draft_application, solver_member):
    login(solver_member)
    response = client.get(editor_url(draft_application))
    page = structure(response)
    assert response.status_code == 200
    assert page.h1_count == 1
    assert page.inline_styles == page.inline_scripts == 0
    assert page.unlabelled_controls() == []
    html = response.content.decode()
    for label in ("Name of your solution", "Your approach", "Indicative price"):
        assert label in html
    assert "(Europe/Luxembourg)" in html
    assert "Before you can submit" in html
    assert "This question is required." in html
    assert 'hx-post="' + reverse("calls:application_autosave", args=[draft_application.reference]) in html


def test_save_keeps_invalid_values_and_shows_errors_at_the_fields(
    client, login, draft_application, solver_member
):
    login(solver_member)
    long_text = "x" * 600
    response = client.post(
        editor_url(draft_application), form_data(draft_application, approach=long_text, price="lots")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["a_approach"] == ["Keep this to 500 characters; it has 600."]
    assert form.errors["a_price"] == ["Give a number, e.g. 1250 or 12.5."]
    html = response.content.decode()
    assert long_text in html
    assert 'value="lots"' in html
    draft_application.refresh_from_db()
    assert draft_application.answers == {
        "solution_name": "Human first",
        "approach": long_text,
        "price": "lots",
    }
    assert form["version"].value() == str(draft_application.version)


def test_plain_save_redirects_with_a_message(client, login, draft_application, solver_member):
    login(solver_member)
    response = client.post(editor_url(draft_application), {**form_data(draft_application), "action": "save"})
    assert response.status_code == 302
    draft_application.refresh_from_db()
    assert draft_application.answers == {
        "solution_name": "Human first",
        "approach": COMPLETE_ANSWERS["approach"],
        "price": "45000",
    }
    assert draft_application.declarations == ALL_DECLARATIONS
    page = client.get(editor_url(draft_application)).content.decode()
    assert "Saved at" in page
    assert "Everything needed is there: you can submit." in page


def test_a_stale_save_keeps_what_was_typed_and_changes_nothing(
    client, login, draft_application, solver_member
):
    login(solver_member)
    stale = form_data(draft_application, solution_name="Typed in tab one")
    services.application_save(
        application=draft_application, saved_by=solver_member, answers={"solution_name": "Saved in tab two"}
    )
    before = snapshot(draft_application)

    response = client.post(editor_url(draft_application), stale)

    assert response.status_code == 200
    assert snapshot(draft_application) == before
    html = response.content.decode()
    assert "saved in another tab or by a colleague" in html
    assert 'value="Typed in tab one"' in html
    assert 'name="action" value="overwrite"' in html

    client.post(editor_url(draft_application), {**stale, "action": "overwrite"})
    draft_application.refresh_from_db()
    assert draft_application.answers["solution_name"] == "Typed in tab one"


def test_autosave_answers_a_status_and_the_new_version(client, login, draft_application, solver_member):
    login(solver_member)
    response = client.post(
        reverse("calls:application_autosave", args=[draft_application.reference]),
        form_data(draft_application, price="oops"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    draft_application.refresh_from_db()
    assert "Saved at" in html
    assert "1 answer needs correcting" in html
    assert f'name="version" value="{draft_application.version}" id="id_version" hx-swap-oob="true"' in html
    assert draft_application.answers["price"] == "oops"


def test_autosave_conflict_says_so_and_saves_nothing(client, login, draft_application, solver_member):
    login(solver_member)
    stale = form_data(draft_application, solution_name="Mine")
    services.application_save(application=draft_application, saved_by=solver_member, answers={"price": "1"})
    before = snapshot(draft_application)

    response = client.post(
        reverse("calls:application_autosave", args=[draft_application.reference]),
        stale,
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "Not saved: this application was saved in another tab" in html
    assert "hx-swap-oob" not in html
    assert snapshot(draft_application) == before


def editor_token(html: str) -> str:
    match = re.search(r'<input type="hidden" name="editor" value="([^"]+)" id="id_editor">', html)
    assert match, "the editor page carries its editor token"
    return match.group(1)


def test_each_editor_page_gets_its_own_token_kept_on_re_render(
    client, login, draft_application, solver_member
):
    login(solver_member)
    first = editor_token(client.get(editor_url(draft_application)).content.decode())
    second = editor_token(client.get(editor_url(draft_application)).content.decode())
    assert (len(first), len(second)) == (22, 22)
    assert first != second

    data = form_data(draft_application, approach="")
    response = client.post(editor_url(draft_application), {**data, "editor": first, "action": "submit"})
    assert response.status_code == 200
    assert "Not submitted yet" in response.content.decode()
    assert editor_token(response.content.decode()) == first  # an error page is the same page
    draft_application.refresh_from_db()
    assert draft_application.last_editor == first


def test_submit_right_after_the_pages_own_autosave_is_not_a_conflict(
    client, login, draft_application, solver_member
):
    login(solver_member)
    token = editor_token(client.get(editor_url(draft_application)).content.decode())
    opened = form_data(draft_application)  # the page as opened: version 1
    assert opened["version"] == 1

    autosave = client.post(
        reverse("calls:application_autosave", args=[draft_application.reference]),
        {**opened, "a_solution_name": "Typed, then autosaved", "editor": token},
        headers={"HX-Request": "true"},
    )
    assert "Saved at" in autosave.content.decode()
    draft_application.refresh_from_db()
    assert draft_application.version == 2

    # "Save and submit" clicked before the autosave's answer updated the page's version.
    response = client.post(
        editor_url(draft_application),
        {**opened, "a_solution_name": "Typed, then autosaved", "editor": token, "action": "submit"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("calls:receipt", args=[draft_application.reference, 1])
    draft_application.refresh_from_db()
    assert draft_application.status == ApplicationStatus.SUBMITTED
    revision = ApplicationRevision.objects.get()
    assert revision.answers["solution_name"] == "Typed, then autosaved"


def test_submit_from_another_page_after_an_autosave_is_a_conflict(
    client, login, draft_application, solver_member
):
    login(solver_member)
    tab_one = editor_token(client.get(editor_url(draft_application)).content.decode())
    tab_two = editor_token(client.get(editor_url(draft_application)).content.decode())
    opened = form_data(draft_application)
    assert opened["version"] == 1
    client.post(
        reverse("calls:application_autosave", args=[draft_application.reference]),
        {**opened, "a_solution_name": "Autosaved in tab one", "editor": tab_one},
        headers={"HX-Request": "true"},
    )
    before = snapshot(draft_application)
    assert before[:2] == (ApplicationStatus.DRAFT, 2)

    response = client.post(
        editor_url(draft_application),
        {**opened, "a_solution_name": "Submitted from tab two", "editor": tab_two, "action": "submit"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "saved in another tab or by a colleague" in html
    assert 'value="Submitted from tab two"' in html
    assert snapshot(draft_application) == before
    assert draft_application.answers["solution_name"] == "Autosaved in tab one"
    assert ApplicationRevision.objects.count() == 0


def test_autosave_after_sign_out_says_so(client, draft_application):
    response = client.post(
        reverse("calls:application_autosave", args=[draft_application.reference]),
        {"a_solution_name": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "you are signed out" in response.content.decode()


def test_a_group_gets_a_row_without_javascript(
    client, login, draft_application, solver_member, team_question
):
    login(solver_member)
    data = {**form_data(draft_application), "a_team-0-name": "Ada", "a_team-0-role": "CTO"}

    response = client.post(editor_url(draft_application), {**data, "action": "add_row:team"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="a_team-1-name"' in html
    assert 'name="a_team-2-name"' not in html
    assert 'value="Ada"' in html
    draft_application.refresh_from_db()
    assert draft_application.answers["team"] == [{"name": "Ada", "role": "CTO"}]

    data = {
        **form_data(draft_application),
        "a_team-0-name": "Ada",
        "a_team-0-role": "CTO",
        "a_team-1-name": "Bob",
        "a_team-1-role": "",
        "action": "remove_row:team:0",
    }
    client.post(editor_url(draft_application), data)
    draft_application.refresh_from_db()
    assert draft_application.answers["team"] == [{"name": "Bob"}]


def test_a_group_row_missing_a_required_cell_is_kept_and_reported(
    client, login, draft_application, solver_member, team_question
):
    login(solver_member)
    data = {**form_data(draft_application), "a_team-0-name": "", "a_team-0-role": "Designer"}
    response = client.post(editor_url(draft_application), data)
    assert response.context["form"].errors["a_team"] == ["Row 1: Name is required."]
    draft_application.refresh_from_db()
    assert draft_application.answers["team"] == [{"role": "Designer"}]


def test_partners_are_saved_as_rows(client, login, draft_application, solver_member):
    login(solver_member)
    data = {
        **form_data(draft_application),
        "partners-0-name": "Uni Lux",
        "partners-0-country": "LU",
        "partners-0-role": "Research",
    }
    client.post(editor_url(draft_application), data)
    draft_application.refresh_from_db()
    assert draft_application.partners == [{"name": "Uni Lux", "country": "LU", "role": "Research"}]


def test_a_file_is_uploaded_and_downloaded_as_an_attachment(
    client, login, draft_application, solver_member, file_question
):
    login(solver_member)
    data = {**form_data(draft_application), "a_deck": SimpleUploadedFile("deck.pdf", PDF, "application/pdf")}
    client.post(editor_url(draft_application), data)
    stored = ApplicationFile.objects.get()
    draft_application.refresh_from_db()
    assert draft_application.answers["deck"] == stored.pk

    page = client.get(editor_url(draft_application)).content.decode()
    download = reverse("calls:application_file", args=[draft_application.reference, stored.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="deck.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_disguised_file_is_refused_at_its_question_and_the_answers_are_kept(
    client, login, draft_application, solver_member, file_question
):
    login(solver_member)
    data = {
        **form_data(draft_application, solution_name="Kept"),
        "a_deck": SimpleUploadedFile("deck.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
    }
    response = client.post(editor_url(draft_application), data)
    assert response.status_code == 200
    assert response.context["form"].errors["a_deck"]
    assert ApplicationFile.objects.count() == 0
    draft_application.refresh_from_db()
    assert draft_application.answers["solution_name"] == "Kept"


# --- Submitting -----------------------------------------------------------------------------------------


def test_submit_one_second_before_the_deadline_works(client, login, draft_application, solver_member):
    login(solver_member)
    deadline = draft_application.call.deadline
    with freeze_time(deadline - dt.timedelta(seconds=1)):
        response = client.post(
            editor_url(draft_application), {**form_data(draft_application), "action": "submit"}
        )
    revision = ApplicationRevision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:receipt", args=[draft_application.reference, 1])
    assert revision.received_at == deadline - dt.timedelta(seconds=1)
    draft_application.refresh_from_db()
    assert draft_application.status == ApplicationStatus.SUBMITTED


def test_double_submit_stores_once(client, login, draft_application, solver_member):
    login(solver_member)
    client.post(editor_url(draft_application), {**form_data(draft_application), "action": "submit"})
    draft_application.refresh_from_db()
    client.post(editor_url(draft_application), {**form_data(draft_application), "action": "submit"})
    assert ApplicationRevision.objects.count() == 1


def test_submit_after_the_deadline_is_refused_with_the_time_and_zone(
    client, login, complete_application, solver_member
):
    login(solver_member)
    call = complete_application.call
    before = snapshot(complete_application)
    local = timezone.localtime(call.deadline, call.zone)
    with freeze_time(call.deadline + dt.timedelta(seconds=1)):
        response = client.post(
            editor_url(complete_application),
            {**form_data(complete_application, solution_name="Changed too late"), "action": "submit"},
        )
    html = response.content.decode()
    assert response.status_code == 200
    expected = (
        f"The deadline was {local.day} {local:%B %Y}, {local:%H:%M} (Europe/Luxembourg); "
        "submissions are closed."
    )
    assert expected in html
    assert snapshot(complete_application) == before
    assert ApplicationRevision.objects.count() == 0


def test_editor_after_the_deadline_is_read_only(client, login, complete_application, solver_member):
    login(solver_member)
    with freeze_time(complete_application.call.deadline + dt.timedelta(minutes=5)):
        response = client.get(editor_url(complete_application))
    html = response.content.decode()
    assert "submissions are closed" in html
    assert 'name="action" value="submit"' not in html
    assert "We route calls to people." in html


def test_an_incomplete_submit_marks_the_missing_answers(client, login, draft_application, solver_member):
    login(solver_member)
    data = form_data(draft_application, approach="")
    del data["d_terms"]
    response = client.post(editor_url(draft_application), {**data, "action": "submit"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["a_approach"] == ["This question is required."]
    assert "d_eligibility" in form.errors
    assert ApplicationRevision.objects.count() == 0
    assert "Not submitted yet" in response.content.decode()


def test_receipt_shows_the_time_in_both_zones_the_hash_and_the_answers(
    client, login, complete_application, solver_member
):
    received = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
    with freeze_time(received):
        revision = services.application_submit(
            application=complete_application,
            submitted_by=solver_member,
            received_at=received - dt.timedelta(days=3650),
        )
    login(solver_member)
    response = client.get(reverse("calls:receipt", args=[complete_application.reference, 1]))
    html = response.content.decode()
    assert response.status_code == 200
    assert revision.receipt_code in html
    assert revision.content_hash in html
    assert "(Europe/Luxembourg)" in html
    assert "(UTC)" in html
    assert "We route calls to people." in html
    assert complete_application.organisation.name in html


# --- Withdrawal -------------------------------------------------------------------------------------------


def test_withdraw_asks_for_confirmation_then_withdraws(client, login, complete_application, solver_member):
    login(solver_member)
    url = reverse("calls:application_withdraw", args=[complete_application.reference])

    page = client.get(url)
    refused = client.post(url, {"reason": "No time"})
    complete_application.refresh_from_db()
    assert page.status_code == 200
    assert refused.status_code == 200
    assert complete_application.status == ApplicationStatus.DRAFT

    response = client.post(url, {"reason": "No time", "confirm": "on"})
    complete_application.refresh_from_db()
    assert response["Location"] == reverse("calls:mine")
    assert complete_application.status == ApplicationStatus.WITHDRAWN
    assert complete_application.withdrawal_reason == "No time"
    after = client.post(
        editor_url(complete_application), {**form_data(complete_application), "action": "submit"}
    )
    assert "can no longer be changed or submitted" in after.content.decode()
    assert ApplicationRevision.objects.count() == 0


def test_a_withdrawal_received_before_the_deadline_counts_even_if_processed_after(
    client, login, complete_application, solver_member, settings
):
    settings.REQUEST_START_HEADER = "X-Request-Start"  # the proxy stamps each request on arrival
    login(solver_member)
    deadline = complete_application.call.deadline
    url = reverse("calls:application_withdraw", args=[complete_application.reference])
    arrived = deadline - dt.timedelta(seconds=30)

    with freeze_time(deadline + dt.timedelta(seconds=30)):  # handled a minute later, after the deadline
        response = client.post(
            url,
            {"reason": "No time", "confirm": "on"},
            headers={"X-Request-Start": f"t={arrived.timestamp():.3f}"},
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("calls:mine")
    complete_application.refresh_from_db()
    assert complete_application.status == ApplicationStatus.WITHDRAWN
    assert complete_application.withdrawal_reason == "No time"


def test_a_withdrawal_received_after_the_deadline_is_refused(
    client, login, complete_application, solver_member
):
    login(solver_member)
    url = reverse("calls:application_withdraw", args=[complete_application.reference])
    with freeze_time(complete_application.call.deadline + dt.timedelta(seconds=1)):
        response = client.post(url, {"reason": "No time", "confirm": "on"})
    assert response["Location"] == editor_url(complete_application)
    complete_application.refresh_from_db()
    assert complete_application.status == ApplicationStatus.DRAFT
    assert complete_application.withdrawal_reason == ""


# --- No one sees another organisation's application -------------------------------------------------------


@pytest.fixture
def submitted_with_file(complete_application, solver_member, file_question):
    stored = services.application_upload(
        application=complete_application,
        question_key="deck",
        file=SimpleUploadedFile("deck.pdf", PDF, "application/pdf"),
        uploaded_by=solver_member,
    )
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    complete_application.refresh_from_db()
    return complete_application, stored


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("calls:application", "get"),
        ("calls:application", "post"),
        ("calls:application_autosave", "post"),
        ("calls:application_withdraw", "get"),
        ("calls:application_withdraw", "post"),
        ("calls:receipt", "get"),
        ("calls:application_file", "get"),
    ],
)
def test_another_organisation_gets_not_found_everywhere(
    client, login, submitted_with_file, other_solver_member, name, method
):
    application, stored = submitted_with_file
    before = snapshot(application)
    args = [application.reference]
    if name == "calls:receipt":
        args.append(1)
    if name == "calls:application_file":
        args.append(stored.pk)
    login(other_solver_member)
    data = {**form_data(application), "confirm": "on", "action": "submit"}
    response = getattr(client, method)(
        reverse(name, args=args),
        data if method == "post" else None,
        headers={"HX-Request": "true"} if "autosave" in name else {},
    )
    assert response.status_code == 404
    assert snapshot(application) == before


def test_a_file_of_another_application_is_not_found_through_ones_own(
    client, login, submitted_with_file, other_solver, other_solver_member, open_call, ready_challenge
):
    _application, stored = submitted_with_file
    own, _created = services.application_start(
        call=open_call, challenge=ready_challenge, organisation=other_solver, started_by=other_solver_member
    )
    login(other_solver_member)
    response = client.get(reverse("calls:application_file", args=[own.reference, stored.pk]))
    assert response.status_code == 404


def test_another_organisation_sees_nothing_in_its_workspace(
    client, login, submitted_with_file, other_solver_member
):
    application, _stored = submitted_with_file
    login(other_solver_member)
    html = client.get(reverse("calls:mine")).content.decode()
    assert application.reference not in html


def test_anonymous_is_sent_to_sign_in(client, draft_application):
    response = client.get(editor_url(draft_application))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Workspace ---------------------------------------------------------------------------------------------


def test_workspace_lists_drafts_with_countdown_and_submissions(
    client, login, complete_application, solver_member, make_ready_challenge, make_call
):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    call = make_call(publish=True, challenges=[make_ready_challenge()])
    draft, _created = services.application_start(
        call=call,
        challenge=call.challenges.get(),
        organisation=complete_application.organisation,
        started_by=solver_member,
    )
    login(solver_member)
    response = client.get(reverse("calls:mine"))
    assert response.status_code == 200
    assert [row["application"].pk for row in response.context["due"]] == [draft.pk]
    assert [row["application"].pk for row in response.context["drafts"]] == [draft.pk]
    assert [row["application"].pk for row in response.context["submitted"]] == [complete_application.pk]
    html = response.content.decode()
    assert "left" in html
    assert complete_application.revisions.get().receipt_code in html


@pytest.mark.parametrize("count", [1, 4])
def test_workspace_query_count_is_flat(
    client,
    login,
    solver,
    solver_member,
    make_ready_challenge,
    make_call,
    django_assert_max_num_queries,
    count,
):
    for _number in range(count):
        call = make_call(publish=True, challenges=[make_ready_challenge()])
        application, _created = services.application_start(
            call=call, challenge=call.challenges.get(), organisation=solver, started_by=solver_member
        )
        services.application_save(
            application=application,
            saved_by=solver_member,
            answers=COMPLETE_ANSWERS,
            declarations=ALL_DECLARATIONS,
        )
        services.application_submit(
            application=application, submitted_by=solver_member, received_at=timezone.now()
        )
    login(solver_member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("calls:mine"))
    assert len(response.context["submitted"]) == count


def test_solver_pages_are_accessible_by_structure(
    client, login, complete_application, solver_member, team_question
):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    login(solver_member)
    reference = complete_application.reference
    for url in (
        editor_url(complete_application),
        reverse("calls:receipt", args=[reference, 1]),
        reverse("calls:application_withdraw", args=[reference]),
        reverse("calls:mine"),
        apply_url(complete_application.call),
    ):
        response = client.get(url)
        page = structure(response)
        assert response.status_code == 200, url
        assert page.h1_count == 1, url
        assert page.inline_styles == page.inline_scripts == 0, url
        assert page.unlabelled_controls() == [], url
        assert len(page.ids) == len(set(page.ids)), url


def test_a_save_after_the_session_ended_keeps_what_was_typed(client, login, draft_application, solver_member):
    before = snapshot(draft_application)
    data = form_data(draft_application, solution_name="Typed while signed out")

    response = client.post(editor_url(draft_application), data)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert snapshot(draft_application) == before
    login(solver_member)
    page = client.get(editor_url(draft_application)).content.decode()
    assert 'value="Typed while signed out"' in page
    assert "We kept what you typed before your session ended" in page
    assert snapshot(draft_application) == before


def test_lab_staff_may_read_the_receipt_but_not_edit(
    client, login, complete_application, solver_member, lab_staff
):
    services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    login(lab_staff)
    assert client.get(reverse("calls:receipt", args=[complete_application.reference, 1])).status_code == 200
    assert client.get(editor_url(complete_application)).status_code == 403
