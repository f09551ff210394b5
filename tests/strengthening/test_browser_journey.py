"""A strengthening programme in Spanish (``/es/``), from its start to the cohort's progress.

The lab's staff member (TOTP) starts the programme for a call whose preselected applications form the
cohort, plans a bootcamp that is under way (after a refused try), adds and assigns a mentor and plans an MVP
milestone. The solver finds the programme on "my programme", registers a person for the bootcamp, assesses
its TRL (told first that the chosen level needs evidence) and hands in the milestone's evidence. The mentor
sees only their solver on "my solvers" (another solver's page answers 404), records a mentoring session with
two agreed actions (one already late, the other then marked done) and an expert TRL assessment. The lab
records the bootcamp's end and the attendance, accepts the milestone, sees the cohort's progress and hours
with exact numbers, and downloads the attendance CSV.

Axe runs on every page visited, with WCAG 2.2's target size too (axe leaves it off by default). Labels are
looked up through gettext in Spanish (``es()``), so the test holds before and after the catalogues are
translated.
"""

import datetime as dt
import re
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import formats, timezone, translation

from govlab.organisations.enums import TRL_LEVELS
from govlab.strengthening import services
from govlab.strengthening.enums import AssessmentKind, MilestoneStatus
from govlab.strengthening.models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    HoursEntry,
    Mentor,
    MentorAssignment,
    MentoringSession,
    Milestone,
    Programme,
    TrlAssessment,
    WorkSession,
)
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, prepare_sign_in, sign_in
from tests.browser import assert_accessible as assert_axe_clean
from tests.browser import expect as check

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def es(message: str) -> str:
    with translation.override("es"):
        return translation.gettext(message)


def es_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("es"):
        return translation.ngettext(singular, plural, count)


def es_number(value: Decimal) -> str:
    with translation.override("es"):
        return formats.localize(value)


def assert_accessible(page):
    """Axe clean (tests/browser.py), and also by WCAG 2.2's target size (24 px), off in axe by default."""
    from axe_playwright_python.sync_playwright import Axe

    assert_axe_clean(page)
    results = Axe().run(page, options={"runOnly": ["target-size"], "resultTypes": ["violations"]})
    assert [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
    ] == []


def label(text: str) -> re.Pattern:
    """A field's label as shown: its text, then "(required)" for the required ones."""
    return re.compile(rf"^\s*{re.escape(text)}( \({re.escape(es('required'))}\))?\s*$")


def _sign_in(page, user, *, code=None):
    """Sign in afresh (whoever was signed in is signed out), in Spanish, with the target size checked too."""
    page.context.clear_cookies()
    sign_in(page, user, totp=code, language="es", check=assert_accessible)


def _fresh_codes():
    """TOTP codes, each from a window not used yet: allauth refuses a code used before (replay)."""
    used = set()

    def code() -> str:
        value = current_totp_code()
        while value in used:
            time.sleep(1)
            value = current_totp_code()
        used.add(value)
        return value

    return code


def _local(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def _verified(*users, totp=()):
    """People who sign in in Spanish (``prepare_sign_in``)."""
    for user in users:
        user.preferred_language = "es"
        user.save(update_fields=["preferred_language"])
    prepare_sign_in(*users, totp=totp)


def test_a_programme_in_spanish_from_start_to_progress(
    page, live_server, lab, preselected_call, lab_staff, mentor_user
):
    call = preselected_call
    alpha, beta, gamma = call.applications_made
    solver = alpha.member
    _verified(lab_staff, solver, mentor_user, totp=[lab_staff])
    zone = zoneinfo.ZoneInfo(lab.time_zone)
    today = services.lab_today(lab)
    hour = timezone.localtime(timezone.now(), zone).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    programme_url = f"/es/strengthening/lab/{lab.slug}/{call.pk}/"
    totp_code = _fresh_codes()
    page.set_default_timeout(15_000)

    # --- The lab starts the programme: the two preselected applications form the cohort. ---------------
    _sign_in(page, lab_staff, code=totp_code)
    page.goto(programme_url)
    check(page.locator("html")).to_have_attribute("lang", "es")
    check(page.get_by_role("heading", name=es("The cohort"))).to_be_visible()
    assert_accessible(page)
    cohort = page.get_by_role("table")
    check(cohort).to_contain_text(alpha.reference)
    check(cohort).to_contain_text(beta.reference)
    check(cohort).not_to_contain_text(gamma.reference)
    # It began two weeks ago (the first mentoring session was held a week ago); recorded now.
    page.get_by_label(label(es("Starts"))).fill((today - dt.timedelta(days=14)).isoformat())
    page.get_by_label(label(es("Ends"))).fill((today + dt.timedelta(days=76)).isoformat())
    page.get_by_role("button", name=es("Start the programme")).click()
    check(page.locator(".message-success")).to_be_visible()
    check(page.get_by_role("heading", name=es("Progress of the cohort"))).to_be_visible()
    assert_accessible(page)
    programme = Programme.objects.get(call=call)
    assert programme.status == "running"
    assert (programme.starts_on, programme.ends_on) == (
        today - dt.timedelta(days=14),
        today + dt.timedelta(days=76),
    )
    member, other = CohortMember.objects.filter(programme=programme).order_by("pk")
    assert (member.application, other.application) == (alpha, beta)

    # --- Plans a bootcamp that is under way (started three hours ago, ends in an hour). ---------------
    page.get_by_role("link", name=es("Bootcamps"), exact=True).click()
    check(page.get_by_role("heading", name=es("Plan a bootcamp"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("Topic"))).fill("Modelos de negocio")
    page.get_by_label(label(es("Starts"))).fill(_local(hour - dt.timedelta(hours=3)))
    page.get_by_label(label(es("Ends"))).fill(_local(hour - dt.timedelta(hours=4)))
    page.get_by_label(label(es("Place"))).fill("MiLAB, Bogotá")
    page.get_by_label(label(es("Facilitator"))).fill("Ana Facilitadora")
    page.get_by_role("button", name=es("Plan the bootcamp")).click()
    # Ends before it starts: told at the field, everything typed kept, nothing stored.
    check(page.locator(".error-summary")).to_contain_text(es("It must end after it starts."))
    assert_accessible(page)
    ends = page.get_by_label(label(es("Ends")))
    check(ends).to_have_attribute("aria-invalid", "true")
    check(page.get_by_label(label(es("Topic")))).to_have_value("Modelos de negocio")
    check(page.get_by_label(label(es("Facilitator")))).to_have_value("Ana Facilitadora")
    assert not Bootcamp.objects.exists()
    ends.fill(_local(hour + dt.timedelta(hours=1)))
    page.get_by_role("button", name=es("Plan the bootcamp")).click()
    check(page.locator(".message-success")).to_be_visible()
    check(page.get_by_role("row", name=re.compile("Modelos de negocio"))).to_be_visible()
    assert_accessible(page)
    bootcamp = Bootcamp.objects.get(programme=programme)
    assert bootcamp.topic == "Modelos de negocio"
    assert bootcamp.starts_at == (hour - dt.timedelta(hours=3)).replace(tzinfo=zone)
    assert bootcamp.ends_at == (hour + dt.timedelta(hours=1)).replace(tzinfo=zone)

    # --- Adds a mentor and assigns them to the first solver. ------------------------------------------
    page.get_by_role("link", name=es("Mentors"), exact=True).click()
    check(page.get_by_role("heading", name=es("Add a mentor"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("E-mail address of the mentor"))).fill(mentor_user.email)
    page.get_by_label(label(es("Expertise"))).fill("Ventas govtech")
    page.get_by_role("button", name=es("Add the mentor")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    mentor = Mentor.objects.get(lab=lab, user=mentor_user)
    page.get_by_label(label(es("Mentor"))).select_option(str(mentor.pk))
    page.get_by_label(label(es("Solver"))).select_option(str(member.pk))
    page.get_by_role("button", name=es("Assign"), exact=True).click()
    check(page.locator(".message-success")).to_be_visible()
    check(page.get_by_role("table")).to_contain_text(alpha.reference)
    assert_accessible(page)
    assert list(MentorAssignment.objects.values_list("mentor", "member", "ended_at")) == [
        (mentor.pk, member.pk, None)
    ]

    # --- Plans an MVP milestone on the solver's page. ---------------------------------------------------
    page.get_by_role("link", name=alpha.reference).click()
    check(page.get_by_role("heading", name=es("MVP milestones"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=es("Plan an MVP milestone")).click()
    check(page.get_by_role("heading", name=es("Plan an MVP milestone"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("What"))).fill("Prototipo funcional")
    page.get_by_label(label(es("Due"))).fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name=es("Save")).click()
    check(page.locator(".message-success")).to_be_visible()
    check(page.get_by_role("link", name="Prototipo funcional")).to_be_visible()
    assert_accessible(page)
    milestone = Milestone.objects.get(member=member)
    assert (milestone.due_on, milestone.status) == (today + dt.timedelta(days=30), MilestoneStatus.PLANNED)

    # --- The solver finds the programme and registers a person for the bootcamp. ----------------------
    _sign_in(page, solver)
    page.goto("/es/strengthening/mine/")
    check(page.get_by_role("heading", name=es("My programme"))).to_be_visible()
    assert_accessible(page)
    check(page.locator("main")).not_to_contain_text(beta.reference)
    page.get_by_role("link", name=alpha.reference).click()
    check(page.get_by_role("heading", name=es("TRL diagnosis"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=es("Register for a bootcamp")).click()
    check(page.get_by_role("heading", name=es("Register for a bootcamp"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("Bootcamp"))).select_option(str(bootcamp.pk))
    page.get_by_label(label(es("Who attends"))).select_option(str(solver.pk))
    page.get_by_role("button", name=es("Save")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    registration = BootcampRegistration.objects.get()
    assert (registration.bootcamp, registration.member, registration.person) == (bootcamp, member, solver)
    assert registration.attended is None

    # --- Assesses its own TRL, with the evidence for the level. -----------------------------------------
    trl = dict(TRL_LEVELS)
    page.get_by_role("link", name=es("Assess the TRL")).click()
    check(page.get_by_role("heading", name=es("Assess the TRL"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es(str(trl[3])))).check()
    page.get_by_label(label(es("Note"))).fill("Primera autoevaluación")
    page.get_by_role("button", name=es("Save")).click()
    # No evidence for the level chosen: told at that level's evidence, the choice and the note kept.
    check(page.locator(".error-summary")).to_contain_text(es("Give the evidence for the level you choose."))
    assert_accessible(page)
    evidence = page.get_by_label(label(es("Evidence for %(level)s") % {"level": es(str(trl[3]))}))
    check(evidence).to_have_attribute("aria-invalid", "true")
    check(page.get_by_label(label(es(str(trl[3]))))).to_be_checked()
    check(page.get_by_label(label(es("Note")))).to_have_value("Primera autoevaluación")
    assert not TrlAssessment.objects.exists()
    evidence.fill("Prueba de concepto con datos reales")
    page.get_by_role("button", name=es("Save")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    assessment = TrlAssessment.objects.get()
    assert (assessment.kind, assessment.level, assessment.assessed_by, assessment.assessed_on) == (
        AssessmentKind.SELF,
        3,
        solver,
        today,
    )
    assert assessment.evidence == {"3": "Prueba de concepto con datos reales"}
    assert assessment.note == "Primera autoevaluación"
    assessments = page.get_by_role("table", name=es("Assessments, newest first (earlier ones are kept)"))
    check(assessments.locator("tbody tr")).to_have_count(1)
    check(assessments).to_contain_text("TRL 3: Prueba de concepto con datos reales")

    # --- Hands in the milestone's evidence. -------------------------------------------------------------
    page.get_by_role("link", name="Prototipo funcional").click()
    check(page.get_by_role("heading", name=es("Hand in the evidence"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("Evidence"))).fill("Vídeo de la demostración")
    page.get_by_label(label(es("Link"))).fill("https://example.org/demo")
    page.get_by_role("button", name=es("Submit the evidence")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.evidence_url) == (
        MilestoneStatus.SUBMITTED,
        "https://example.org/demo",
    )

    # --- The mentor sees only their solver; another solver's page does not exist for them. -------------
    _sign_in(page, mentor_user)
    page.goto("/es/strengthening/mentoring/")
    check(page.get_by_role("heading", name=es("My solvers"))).to_be_visible()
    assert_accessible(page)
    check(page.locator("main")).to_contain_text(alpha.reference)
    check(page.locator("main")).not_to_contain_text(beta.reference)
    response = page.goto(f"/es/strengthening/member/{other.pk}/")
    assert response.status == 404
    assert_accessible(page)

    # --- Records a mentoring session with two agreed actions, one already late. ---------------------
    page.goto("/es/strengthening/mentoring/")
    page.get_by_role("link", name=alpha.reference).click()
    check(page.get_by_role("heading", name=es("Mentoring"), exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=es("Record a mentoring session")).click()
    check(page.get_by_role("heading", name=es("Record a mentoring session"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("Held on"))).fill((today - dt.timedelta(days=7)).isoformat())
    page.get_by_label(label(es("Hours"))).fill("1.5")
    page.get_by_label(label(es("Topics"))).fill("Clientes govtech")
    page.get_by_label(label(es("Agreed action %(n)d") % {"n": 1})).fill("Llamar a dos compradores")
    page.get_by_label(label(es("Who does action %(n)d") % {"n": 1})).fill("Alpha")
    page.get_by_label(label(es("Action %(n)d is due") % {"n": 1})).fill(
        (today - dt.timedelta(days=2)).isoformat()
    )
    page.get_by_label(label(es("Agreed action %(n)d") % {"n": 2})).fill("Preparar el pitch")
    page.get_by_label(label(es("Action %(n)d is due") % {"n": 2})).fill(
        (today + dt.timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name=es("Save")).click()
    check(page.locator(".message-success")).to_be_visible()
    check(page.get_by_role("table", name=es("Agreed actions"))).to_contain_text("Preparar el pitch")
    assert_accessible(page)
    session = MentoringSession.objects.get()
    assert (session.member, session.mentor, session.hours) == (member, mentor, Decimal("1.50"))
    assert sorted(AgreedAction.objects.values_list("description", "due_on", "status")) == [
        ("Llamar a dos compradores", today - dt.timedelta(days=2), "open"),
        ("Preparar el pitch", today + dt.timedelta(days=14), "open"),
    ]

    # The pitch is ready already: the action is marked done, the late one stays open.
    pitch = page.get_by_role("row", name=re.compile("Preparar el pitch"))
    pitch.get_by_label(f"{es('Status')}: Preparar el pitch", exact=True).select_option("done")
    pitch.get_by_role("button", name=f"{es('Update')} Preparar el pitch").click()
    check(page.locator(".message-success")).to_have_text(es("The action is updated."))
    check(
        page.get_by_role("row", name=re.compile("Preparar el pitch")).get_by_label(
            f"{es('Status')}: Preparar el pitch", exact=True
        )
    ).to_have_value("done")
    assert_accessible(page)
    assert sorted(AgreedAction.objects.values_list("description", "status", "done_on")) == [
        ("Llamar a dos compradores", "open", None),
        ("Preparar el pitch", "done", today),
    ]

    # --- Gives the expert TRL assessment. -----------------------------------------------------------------
    page.get_by_role("link", name=es("Assess the TRL")).click()
    check(page.get_by_role("heading", name=es("Assess the TRL"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es(str(trl[4])))).check()
    page.get_by_label(label(es("Evidence for %(level)s") % {"level": es(str(trl[4]))})).fill(
        "Validado en el laboratorio con la entidad"
    )
    page.get_by_role("button", name=es("Save")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    expert = TrlAssessment.objects.get(kind=AssessmentKind.EXPERT)
    assert (expert.level, expert.assessed_by, expert.member) == (4, mentor_user, member)
    check(page.locator("main dl.details")).to_contain_text("3 → 4")  # entry (self) → exit (expert)

    # --- The lab records the bootcamp's end (now) and the attendance, and accepts the milestone. --------
    _sign_in(page, lab_staff, code=totp_code)
    page.goto(programme_url + "bootcamps/")
    check(page.get_by_role("heading", name=es("Plan a bootcamp"))).to_be_visible()
    page.get_by_role("link", name=f"{es('Edit')} Modelos de negocio").click()
    check(page.get_by_role("heading", name=es("Edit a bootcamp"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("Ends"))).fill(_local(hour))
    page.get_by_role("button", name=es("Save the bootcamp")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    bootcamp.refresh_from_db()
    assert bootcamp.ends_at == hour.replace(tzinfo=zone)
    page.get_by_role("link", name=f"{es('Attendance')} Modelos de negocio").click()
    check(page.get_by_role("heading", name=re.compile("Modelos de negocio"))).to_be_visible()
    assert_accessible(page)
    person = f"{solver.full_name} ({solver.email})"
    page.get_by_label(label(es("%(name)s attended") % {"name": person})).select_option("yes")
    page.get_by_role("button", name=es("Record the attendance")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    registration.refresh_from_db()
    assert (registration.attended, registration.hours) == (True, Decimal("3.00"))  # the bootcamp's length

    page.goto(f"/es/strengthening/member/{member.pk}/milestones/{milestone.pk}/")
    check(page.get_by_role("heading", name=es("Accept or reject"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label(es("Accept"))).check()
    page.get_by_role("button", name=es("Record the decision")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.reviewed_by) == (MilestoneStatus.ACCEPTED, lab_staff)

    # --- Records a work session with the entity's team about this solver. -------------------------------
    page.get_by_role("link", name=es("Record a work session")).click()
    check(page.get_by_role("heading", name=es("Record a work session"))).to_be_visible()
    assert_accessible(page)
    held = (hour - dt.timedelta(days=1)).replace(hour=10)
    page.get_by_label(label(es("Held"))).fill(_local(held))
    page.get_by_label(label(es("Hours"))).fill("2")
    page.get_by_label(label(es("Agenda"))).fill("Alcance del piloto")
    page.get_by_label(label(person)).check()
    page.get_by_label(label(es("Decisions"))).fill("Piloto en dos oficinas")
    page.get_by_role("button", name=es("Save")).click()
    check(page.locator(".message-success")).to_be_visible()
    check(page.get_by_role("heading", name=es("Work sessions with the entity"))).to_be_visible()
    assert_accessible(page)
    work = WorkSession.objects.get()
    assert (work.member, work.challenge, work.hours) == (member, alpha.challenge, Decimal("2.00"))
    assert work.held_at == held.replace(tzinfo=zone)
    assert list(work.attendees.all()) == [solver]

    # --- The cohort's progress: done / late / open, bootcamps, TRL, hours and what is missing. ----------
    page.goto(programme_url)
    check(page.get_by_role("heading", name=es("Progress of the cohort"))).to_be_visible()
    assert_accessible(page)
    rows = page.get_by_role("table").locator("tbody tr")
    check(rows).to_have_count(2)
    hours = es_number(Decimal("6.50"))  # 3 h of bootcamp, 1.5 h of mentoring, 2 h of work session
    check(rows.filter(has_text=alpha.reference).locator("th, td")).to_have_text(
        [
            re.compile(re.escape(alpha.reference)),
            "1 / 0 / 0",
            "1 / 1 / 0",
            "1 / 0",
            "3 → 4",
            hours,
            es("Nothing"),
        ]
    )
    missing = ", ".join(
        [
            es("TRL self-assessment"),
            es("TRL expert assessment"),
            es("a mentor"),
            es("MVP milestones"),
            es_plural("attendance at %(count)d past bootcamp", "attendance at %(count)d past bootcamps", 1)
            % {"count": 1},
        ]
    )
    check(rows.filter(has_text=beta.reference).locator("th, td")).to_have_text(
        [
            re.compile(re.escape(beta.reference)),
            "0 / 0 / 0",
            "0 / 0 / 0",
            "0 / 1",
            "—",
            es_number(Decimal("0.00")),
            missing,
        ]
    )
    check(page.locator("main")).to_contain_text(es("%(total)s hours in all.") % {"total": hours})

    page.get_by_role("link", name=es("Work sessions"), exact=True).click()
    check(page.get_by_role("heading", name=es("Work sessions with the entities' teams"))).to_be_visible()
    check(page.get_by_role("table")).to_contain_text("Piloto en dos oficinas")
    assert_accessible(page)

    page.get_by_role("link", name=es("Hours"), exact=True).click()
    check(page.get_by_role("heading", name=es("Hours by solver and activity"))).to_be_visible()
    assert_accessible(page)
    table = page.get_by_role("table")
    check(table.locator("tfoot td").last).to_have_text(hours)
    # The lab's own hours for the whole cohort (not one solver): a shared row, and in the totals.
    page.get_by_label(label(es("Activity"))).select_option("other")
    page.get_by_label(label(es("Hours"))).fill("1.25")
    page.get_by_label(label(es("Date"))).fill(today.isoformat())
    page.get_by_label(label(es("Note"))).fill("Preparación del demo day")
    page.get_by_role("button", name=es("Record the hours")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    assert list(HoursEntry.objects.values_list("member", "kind", "hours", "worked_on", "note")) == [
        (None, "other", Decimal("1.25"), today, "Preparación del demo day")
    ]
    n = es_number
    zero = n(Decimal("0.00"))
    # Columns: solver, bootcamps, mentoring, work sessions, building the MVP, other, total.
    check(table.locator("tbody tr").filter(has_text=alpha.reference).locator("td")).to_have_text(
        [n(Decimal("3.00")), n(Decimal("1.50")), n(Decimal("2.00")), zero, zero, hours]
    )
    check(table.locator("tbody tr").filter(has_text=beta.reference).locator("td")).to_have_text([zero] * 6)
    check(table.locator("tbody tr").last.locator("td")).to_have_text([zero] * 4 + [n(Decimal("1.25"))] * 2)
    check(table.locator("tfoot td")).to_have_text(
        [
            n(Decimal("3.00")),
            n(Decimal("1.50")),
            n(Decimal("2.00")),
            zero,
            n(Decimal("1.25")),
            n(Decimal("7.75")),
        ]
    )

    # --- Downloads the attendance CSV. ------------------------------------------------------------------
    page.goto(programme_url)
    check(page.get_by_role("heading", name=es("Exports"))).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=es("Attendance (CSV)")).click()
    download = download_info.value
    assert re.fullmatch(rf"{lab.slug}-{call.slug}-attendance-\d{{8}}\.csv", download.suggested_filename)
    content = Path(download.path()).read_bytes().decode("utf-8")
    header = [es(h) for h in ("Bootcamp", "Starts", "Reference", "Organisation", "Person", "E-mail")]
    starts = (hour - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    assert content == (
        "\ufeff"
        + ",".join([*header, es("Attended"), es("Hours")])
        + "\r\n"
        + ",".join(
            [
                "Modelos de negocio",
                starts,
                alpha.reference,
                "Alpha Robotics",
                solver.full_name,
                solver.email,
                es("yes"),
                "3.00",
            ]
        )
        + "\r\n"
    )
