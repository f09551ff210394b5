"""Demo data: the strengthening programme of MiLAB's 2025 cohort (call ``milab/cohorte-govtech-2025``).

The story is history, dated on the call's own calendar (``cohort_calendar``): the programme ran from
``call.strengthening_starts_on`` to ``call.strengthening_ends_on`` (2 June → 26 September 2025) and is
closed; the Demo Day followed on ``call.demo_day_on``. Inside that window: four bootcamps (attendance
recorded, one solver missed the legal one); two mentors each follow part of the cohort, with sessions and
agreed actions; work sessions with the entities' teams; three MVP milestones, accepted; hours; and TRL
self- and expert assessments from early June (entry) to September (exit), e.g. 4 → 6. The solvers
preselected third for their challenge never sent one agreed action nor delivered their manual (late ever
since), so the progress view shows what was missing.

Everything goes through the services (so it is audited as in real use). Registrations for bootcamps
already over are written directly (the service refuses to register for a past bootcamp, as it should);
attendance goes through the service. The services stamp "now" on what they record (joined, assigned,
registered, submitted, reviewed, recorded); those stamps are then set to the day it happened in the story,
as the calls demo does for its applications. Nothing happens if the call or its preselection is missing,
and a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from govlab.calls.models import Call
from govlab.core.timezones import local_to_utc
from govlab.labs.enums import LabRole
from govlab.labs.models import LabMembership
from govlab.organisations.selectors import organisation_people

from . import services
from .models import (
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

LAB, CALL, STAFF = "milab", "cohorte-govtech-2025", "staff@milab.example"
DEMO_PASSWORD = "govlab-demo-2026"  # noqa: S105 (the demo's published password)

MENTORS = [
    (
        "mentor@milab.example",
        "Jorge Restrepo",
        "Modelos de negocio govtech, propuesta de valor y venta al Estado.",
    ),
    (
        "mentora.compras@milab.example",
        "Paula Andrea Vélez",
        "Compra pública de innovación, Ley 80 y manuales de contratación propios; negociación con entidades.",
    ),
]

# (topic, description, days after the programme starts, facilitator, place, link)
BOOTCAMPS = [
    (
        "Modelos de negocio",
        "Lienzo de modelo de negocio y propuesta de valor para clientes públicos.",
        9,
        "Equipo MiLAB",
        "MiLAB — Bogotá",
        "",
    ),
    (
        "Fortalecimiento técnico",
        "Arquitectura, interoperabilidad (X-Road), seguridad y datos abiertos.",
        30,
        "Agencia Nacional Digital",
        "",
        "https://meet.milab.example/tecnico",
    ),
    (
        "Aspectos legales de la compra pública",
        "Compra pública de innovación, régimen de la entidad y propiedad intelectual.",
        58,
        "Colombia Compra Eficiente",
        "MiLAB — Bogotá",
        "",
    ),
    (
        "Pitch para el Demo Day",
        "Cómo presentar el piloto y sus resultados al jurado.",
        107,
        "Equipo MiLAB",
        "MiLAB — Bogotá",
        "https://meet.milab.example/pitch",
    ),
]

LEGAL_BOOTCAMP = 58  # the one the last solver missed

# (title, description, due: days after the programme starts)
MILESTONES = [
    ("Prototipo funcional", "Flujo principal con datos de prueba de la entidad.", 39),
    ("MVP en ambiente de pruebas", "Desplegado en la infraestructura de la entidad.", 74),
    ("Manual de operación y métricas del piloto", "Documentación y tablero de indicadores.", 109),
]
NEVER_DELIVERED = 2  # the manual
# What was missing falls on the solvers preselected third (or later) for their challenge: they never sent
# their map of stakeholders nor delivered their manual. The ones ranked first pilot (pilots demo) and the
# Demo Day selects among the first two (demoday demo), so the selected solutions delivered everything.
SHORTCOMINGS_FROM = 2

MENTORING = [
    # (days after the programme starts, hours, topics, notes,
    #  actions: (description, owner, due, done on: days after the programme starts; done None: never))
    (
        17,
        "2",
        "Propuesta de valor y clientes govtech",
        "Revisamos quién decide la compra en la entidad y qué problema mide.",
        [
            ("Entrevistar a tres usuarios internos de la entidad", "Equipo", 26, 25),
            ("Reescribir la propuesta de valor en una frase", "CEO", 31, 30),
        ],
    ),
    (
        65,
        "1.5",
        "Stakeholders y negociación",
        "Mapa de actores: jurídica, TI y el área misional. Preparar la negociación del piloto.",
        [
            ("Enviar el mapa de actores a la entidad", "CEO", 74, 74),  # see SHORTCOMINGS_FROM
            ("Preparar la propuesta económica del piloto", "CFO", 89, 88),
        ],
    ),
]


def _person(email: str, full_name: str, language: str, time_zone: str, created: Counter):
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            preferred_language=language,
            time_zone=time_zone,
        )
        created["users"] += 1
    _address, made = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    created["email_addresses"] += int(made)
    return user


def _staff(call):
    user = get_user_model().objects.filter(email__iexact=STAFF).first()
    if user is not None and LabMembership.objects.filter(lab=call.lab, user=user).exists():
        return user
    membership = (
        LabMembership.objects.filter(lab=call.lab, role__in=[LabRole.STAFF, LabRole.MANAGER])
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _at(day: dt.date, hour: int, zone: str, minute: int = 0) -> dt.datetime:
    return local_to_utc(dt.datetime.combine(day, dt.time(hour, minute)), zone)


@dataclass(frozen=True)
class CohortCalendar:
    """The cohort's calendar: the strengthening window and the Demo Day, in the lab's time zone."""

    starts_on: dt.date
    ends_on: dt.date
    demo_day_on: dt.date
    zone: str

    def day(self, days: int) -> dt.date:
        """The day ``days`` after the programme starts."""
        return self.starts_on + dt.timedelta(days=days)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return _at(day, hour, self.zone, minute)


STRENGTHENING_DAYS = 116  # 2 June → 26 September 2025, the call's window
DEMO_DAY_AFTER = 20  # 26 September → 16 October 2025


def cohort_calendar(call) -> CohortCalendar | None:
    """The calendar of the call's cohort, from the call's own dates (``strengthening_starts_on``,
    ``strengthening_ends_on``, ``demo_day_on``). A call without them gets the same shape of calendar ending
    ten weeks ago. None when the story would not be over yet: the demo tells it as history, and the services
    refuse to record hours or sessions in the future."""
    zone = call.lab.time_zone or "UTC"
    today = services.lab_today(call.lab)
    ends_on = call.strengthening_ends_on or (
        call.strengthening_starts_on + dt.timedelta(days=STRENGTHENING_DAYS)
        if call.strengthening_starts_on
        else today - dt.timedelta(days=70)
    )
    starts_on = call.strengthening_starts_on or ends_on - dt.timedelta(days=STRENGTHENING_DAYS)
    demo_day_on = call.demo_day_on or ends_on + dt.timedelta(days=DEMO_DAY_AFTER)
    if not starts_on + dt.timedelta(days=STRENGTHENING_DAYS) <= ends_on < demo_day_on < today:
        return None
    return CohortCalendar(starts_on=starts_on, ends_on=ends_on, demo_day_on=demo_day_on, zone=zone)


def load() -> dict[str, int]:
    """Run MiLAB's 2025 cohort through strengthening; returns how many of each thing were created."""
    from govlab.evaluation.selectors import preselected_applications

    created: Counter = Counter()
    call = Call.objects.filter(lab__slug=LAB, slug=CALL).select_related("lab").first()
    if call is None or not preselected_applications(call).exists():
        return {}
    if Programme.objects.filter(call=call).exclude(status="planned").exists():
        created["programmes_skipped"] += 1
        return dict(created)
    staff = _staff(call)
    calendar = cohort_calendar(call)
    if staff is None or calendar is None:
        return {}
    with transaction.atomic():
        _run(call, staff, calendar, created)
    return dict(created)


def _run(call, staff, calendar: CohortCalendar, created: Counter) -> None:
    from govlab.evaluation.selectors import preselected_applications

    lab = call.lab
    zone = calendar.zone
    day, at = calendar.day, calendar.at
    programme = services.programme_start(
        call=call,
        by=staff,
        starts_on=calendar.starts_on,
        ends_on=calendar.ends_on,
        title={"es": "Fortalecimiento cohorte GovTech 2025", "en": "GovTech 2025 cohort strengthening"},
    )
    created["programmes"] += 1
    Programme.objects.filter(pk=programme.pk).update(created_at=at(day(-7), 10))
    members = list(
        CohortMember.objects.filter(programme=programme)
        .select_related("application__organisation", "application__challenge")
        .order_by("application__challenge__reference", "application__reference")
    )
    CohortMember.objects.filter(programme=programme).update(joined_at=at(day(0), 9))
    created["cohort_members"] += len(members)
    # Each application's position among its challenge's preselected ones (0: ranked first).
    ranked: dict[int, list[int]] = {}
    for application in preselected_applications(call):
        ranked.setdefault(application.challenge_id, []).append(application.pk)
    position_of = {pk: i for pks in ranked.values() for i, pk in enumerate(pks)}
    people = {m.pk: organisation_people(m.application.organisation_id) for m in members}

    # Mentors: the lab's mentor and a second one for public purchasing, assigned in the first week.
    mentors = []
    for email, name, expertise in MENTORS:
        user = _person(email, name, "es", zone, created)
        mentor = Mentor.objects.filter(lab=lab, user=user).first()
        if mentor is None:
            mentor = services.mentor_add(lab=lab, user=user, by=staff, expertise=expertise)
            Mentor.objects.filter(pk=mentor.pk).update(created_at=at(day(-7), 11))
            created["mentors"] += 1
        mentors.append(mentor)
    for index, member in enumerate(members):
        services.mentor_assign(mentor=mentors[index % len(mentors)], member=member, by=staff)
        created["mentor_assignments"] += 1
    MentorAssignment.objects.filter(member__programme=programme).update(assigned_at=at(day(2), 9))

    # Bootcamps: all four took place (registered the week before; attendance recorded that day).
    for topic, description, days, facilitator, place, link in BOOTCAMPS:
        bootcamp = services.bootcamp_save(
            programme=programme,
            by=staff,
            topic=topic,
            description=description,
            starts_at=at(day(days), 9),
            ends_at=at(day(days), 13),
            place=place,
            link=link,
            facilitator=facilitator,
        )
        created["bootcamps"] += 1
        registrations = []
        for index, member in enumerate(members):
            for person in people[member.pk][:1]:
                registration = BootcampRegistration.objects.create(
                    bootcamp=bootcamp, member=member, person=person, registered_by=person
                )
                registrations.append((index, registration))
                created["registrations"] += 1
        if registrations:
            services.attendance_record(
                bootcamp=bootcamp,
                by=staff,
                rows=[
                    # One solver missed the legal bootcamp.
                    {
                        "registration": r.pk,
                        "attended": not (days == LEGAL_BOOTCAMP and index == len(members) - 1),
                    }
                    for index, r in registrations
                ],
            )
        Bootcamp.objects.filter(pk=bootcamp.pk).update(created_at=at(day(1), 10))
        BootcampRegistration.objects.filter(bootcamp=bootcamp).update(
            registered_at=at(day(days - 7), 10), attendance_recorded_at=at(day(days), 14)
        )

    # Per solver: TRL, mentoring, milestones, a work session, hours.
    for index, member in enumerate(members):
        mentor = mentors[index % len(mentors)]
        solver = people[member.pk][0] if people[member.pk] else None
        entity_people = organisation_people(member.application.challenge.owner_id)
        entity = entity_people[0] if entity_people else staff
        short = position_of[member.application_id] >= SHORTCOMINGS_FROM
        entry = 4 + index % 2
        exit_ = min(entry + 2 - (index % 3 == 2), 9)

        if solver is not None:
            services.trl_assess(
                member=member,
                by=solver,
                kind="self",
                level=entry,
                evidence={str(entry): "Prototipo probado con datos de ejemplo."},
                note="Autoevaluación al ingresar al programa.",
                assessed_on=day(2),
            )
            created["trl_assessments"] += 1
        services.trl_assess(
            member=member,
            by=mentor.user,
            kind="expert",
            level=entry,
            evidence={str(entry): "Validado en laboratorio; falta probar en el entorno de la entidad."},
            note="Diagnóstico de entrada.",
            assessed_on=day(4),
        )
        services.trl_assess(
            member=member,
            by=mentor.user,
            kind="expert",
            level=exit_,
            evidence={str(exit_): "Demostrado en el ambiente de pruebas de la entidad con usuarios reales."},
            note="Diagnóstico de salida.",
            assessed_on=calendar.ends_on - dt.timedelta(days=7),
        )
        created["trl_assessments"] += 2

        for days, hours, topics, notes, actions in MENTORING:
            session = services.mentoring_session_record(
                member=member,
                by=mentor.user,
                mentor=mentor,
                held_on=day(days),
                hours=hours,
                topics=topics,
                notes=notes,
                actions=[
                    {"description": d, "owner": owner, "due_on": day(due)} for d, owner, due, _done in actions
                ],
            )
            MentoringSession.objects.filter(pk=session.pk).update(created_at=at(day(days), 18))
            created["mentoring_sessions"] += 1
            for position, (action, (_d, _owner, _due, done)) in enumerate(
                zip(session.actions.order_by("pk"), actions, strict=True)
            ):
                created["actions"] += 1
                if short and days == MENTORING[-1][0] and position == 0:
                    continue  # never sent its map of stakeholders: late
                services.action_set_status(action=action, by=mentor.user, status="done", done_on=day(done))

        for position, (title, description, due) in enumerate(MILESTONES):
            milestone = services.milestone_save(
                member=member, by=staff, title=title, description=description, due_on=day(due)
            )
            Milestone.objects.filter(pk=milestone.pk).update(created_at=at(day(3), 10))
            created["milestones"] += 1
            if solver is None or (short and position == NEVER_DELIVERED):
                continue  # never delivered: late since its due date
            services.milestone_submit(
                milestone=milestone,
                by=solver,
                evidence_text=(
                    "Video del flujo principal y enlace al repositorio.",
                    "Despliegue en el ambiente de pruebas; credenciales entregadas a TI.",
                    "Manual de operación y tablero de indicadores del piloto.",
                )[position],
                evidence_url="https://demo.milab.example/prototipo" if position == 0 else "",
            )
            services.milestone_review(
                milestone=milestone, by=entity, accept=True, note="Cumple con lo acordado con la entidad."
            )
            Milestone.objects.filter(pk=milestone.pk).update(
                submitted_at=at(day(due - 2), 16), reviewed_at=at(day(due + 3), 11)
            )

        held = day(42 + index // 5 * 7 + index % 5)  # weekdays from Monday 14 July 2025
        session = services.work_session_record(
            programme=programme,
            member=member,
            by=entity,
            held_at=at(held, 14),
            agenda="Acceso a datos de prueba, requisitos de seguridad y calendario del piloto.",
            attendees=[p for p in [entity, solver] if p is not None],
            other_attendees="Oficina jurídica de la entidad",
            minutes="Se revisó el flujo del MVP con el área misional.",
            decisions="La entidad habilita un ambiente de pruebas y un conjunto de datos anonimizados.",
            alignment_issues="El calendario de contratación de la entidad es más largo que el del piloto.",
            hours=Decimal("2"),
        )
        WorkSession.objects.filter(pk=session.pk).update(created_at=at(held, 18))
        created["work_sessions"] += 1
        worked_on = calendar.ends_on - dt.timedelta(days=3)
        entry_ = services.hours_record(
            programme=programme,
            member=member,
            by=solver or staff,
            kind="mvp",
            hours=Decimal(120 + 20 * index),
            worked_on=worked_on,
            note="Desarrollo del MVP (horas del equipo).",
        )
        HoursEntry.objects.filter(pk=entry_.pk).update(created_at=at(worked_on, 18))
        created["hours_entries"] += 1
    for assessment in TrlAssessment.objects.filter(member__programme=programme):
        TrlAssessment.objects.filter(pk=assessment.pk).update(created_at=at(assessment.assessed_on, 17))

    entry_ = services.hours_record(
        programme=programme,
        by=staff,
        kind="other",
        hours=Decimal("36"),
        worked_on=calendar.ends_on,
        note="Coordinación del programa por el equipo del laboratorio.",
    )
    HoursEntry.objects.filter(pk=entry_.pk).update(created_at=at(calendar.ends_on, 18))
    created["hours_entries"] += 1
    # The programme ended on its last day: closed through the service, like the lab would.
    services.programme_close(programme=programme, by=staff)
