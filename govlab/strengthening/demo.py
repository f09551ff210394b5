"""Demo data: the strengthening programme of MiLAB's 2025 cohort (call ``milab/cohorte-govtech-2025``).

Everything goes through the services (so it is audited as in real use), dated relative to today: the
programme started ten weeks ago; three bootcamps took place (attendance recorded), the pitching one is
coming; two mentors each follow part of the cohort, with sessions and agreed actions (some done, one late);
work sessions with the entities' teams; MVP milestones (accepted, submitted, one late); hours; and TRL
self- and expert assessments that show the entry → exit progress (e.g. 4 → 6).

Registrations for bootcamps already over are written directly (the service refuses to register for a past
bootcamp, as it should); their attendance is recorded through the service. Nothing happens if the call or
its preselection is missing, and a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from govlab.calls.models import Call
from govlab.core.timezones import local_to_utc
from govlab.labs.enums import LabRole
from govlab.labs.models import LabMembership
from govlab.organisations.selectors import organisation_people

from . import services
from .models import BootcampRegistration, CohortMember, Mentor, Programme

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

# (topic, description, days from today, facilitator, place, link)
BOOTCAMPS = [
    (
        "Modelos de negocio",
        "Lienzo de modelo de negocio y propuesta de valor para clientes públicos.",
        -56,
        "Equipo MiLAB",
        "MiLAB — Bogotá",
        "",
    ),
    (
        "Fortalecimiento técnico",
        "Arquitectura, interoperabilidad (X-Road), seguridad y datos abiertos.",
        -42,
        "Agencia Nacional Digital",
        "",
        "https://meet.milab.example/tecnico",
    ),
    (
        "Aspectos legales de la compra pública",
        "Compra pública de innovación, régimen de la entidad y propiedad intelectual.",
        -28,
        "Colombia Compra Eficiente",
        "MiLAB — Bogotá",
        "",
    ),
    (
        "Pitch para el Demo Day",
        "Cómo presentar el piloto y sus resultados al jurado.",
        10,
        "Equipo MiLAB",
        "MiLAB — Bogotá",
        "https://meet.milab.example/pitch",
    ),
]

MILESTONES = [
    ("Prototipo funcional", "Flujo principal con datos de prueba de la entidad.", -35),
    ("MVP en ambiente de pruebas", "Desplegado en la infraestructura de la entidad.", -7),
    ("Manual de operación y métricas del piloto", "Documentación y tablero de indicadores.", 14),
]

MENTORING = [
    # (days from today, hours, topics, notes,
    #  actions: (description, owner, due in days, done days ago or None))
    (
        -49,
        "2",
        "Propuesta de valor y clientes govtech",
        "Revisamos quién decide la compra en la entidad y qué problema mide.",
        [
            ("Entrevistar a tres usuarios internos de la entidad", "Equipo", -40, 41),
            ("Reescribir la propuesta de valor en una frase", "CEO", -35, 36),
        ],
    ),
    (
        -21,
        "1.5",
        "Stakeholders y negociación",
        "Mapa de actores: jurídica, TI y el área misional. Preparar la negociación del piloto.",
        [
            ("Enviar el mapa de actores a la entidad", "CEO", -10, None),  # late for the first solver
            ("Preparar la propuesta económica del piloto", "CFO", 12, None),
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


def _at(day: dt.date, hour: int, zone: str) -> dt.datetime:
    return local_to_utc(dt.datetime.combine(day, dt.time(hour, 0)), zone)


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
    if staff is None:
        return {}
    with transaction.atomic():
        _run(call, staff, created)
    return dict(created)


def _run(call, staff, created: Counter) -> None:
    lab = call.lab
    zone = lab.time_zone or "UTC"
    today = services.lab_today(lab)
    programme = services.programme_start(
        call=call,
        by=staff,
        starts_on=today - dt.timedelta(days=70),
        ends_on=today + dt.timedelta(days=30),
        title={"es": "Fortalecimiento cohorte GovTech 2025", "en": "GovTech 2025 cohort strengthening"},
    )
    created["programmes"] += 1
    members = list(
        CohortMember.objects.filter(programme=programme)
        .select_related("application__organisation", "application__challenge")
        .order_by("application__challenge__reference", "application__reference")
    )
    created["cohort_members"] += len(members)
    people = {m.pk: organisation_people(m.application.organisation_id) for m in members}

    # Mentors: the lab's mentor and a second one for public purchasing.
    mentors = []
    for email, name, expertise in MENTORS:
        user = _person(email, name, "es", zone, created)
        mentor = Mentor.objects.filter(lab=lab, user=user).first()
        if mentor is None:
            mentor = services.mentor_add(lab=lab, user=user, by=staff, expertise=expertise)
            created["mentors"] += 1
        mentors.append(mentor)
    for index, member in enumerate(members):
        services.mentor_assign(mentor=mentors[index % len(mentors)], member=member, by=staff)
        created["mentor_assignments"] += 1

    # Bootcamps: three past (attendance recorded), one coming (registrations only).
    for topic, description, days, facilitator, place, link in BOOTCAMPS:
        day = today + dt.timedelta(days=days)
        bootcamp = services.bootcamp_save(
            programme=programme,
            by=staff,
            topic=topic,
            description=description,
            starts_at=_at(day, 9, zone),
            ends_at=_at(day, 13, zone),
            place=place,
            link=link,
            facilitator=facilitator,
        )
        created["bootcamps"] += 1
        registrations = []
        for index, member in enumerate(members):
            for person in people[member.pk][:1]:
                if days < 0:
                    registration = BootcampRegistration.objects.create(
                        bootcamp=bootcamp, member=member, person=person, registered_by=person
                    )
                else:
                    registration = services.bootcamp_register(
                        bootcamp=bootcamp, member=member, person=person, by=person
                    )
                registrations.append((index, registration))
                created["registrations"] += 1
        if days < 0 and registrations:
            services.attendance_record(
                bootcamp=bootcamp,
                by=staff,
                rows=[
                    # One solver missed the legal bootcamp.
                    {"registration": r.pk, "attended": not (days == -28 and index == len(members) - 1)}
                    for index, r in registrations
                ],
            )

    # Per solver: TRL, mentoring, milestones, a work session, hours.
    for index, member in enumerate(members):
        mentor = mentors[index % len(mentors)]
        solver = people[member.pk][0] if people[member.pk] else None
        entity_people = organisation_people(member.application.challenge.owner_id)
        entity = entity_people[0] if entity_people else staff
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
                assessed_on=today - dt.timedelta(days=68),
            )
            created["trl_assessments"] += 1
        services.trl_assess(
            member=member,
            by=mentor.user,
            kind="expert",
            level=entry,
            evidence={str(entry): "Validado en laboratorio; falta probar en el entorno de la entidad."},
            note="Diagnóstico de entrada.",
            assessed_on=today - dt.timedelta(days=66),
        )
        services.trl_assess(
            member=member,
            by=mentor.user,
            kind="expert",
            level=exit_,
            evidence={str(exit_): "Demostrado en el ambiente de pruebas de la entidad con usuarios reales."},
            note="Diagnóstico de salida.",
            assessed_on=today - dt.timedelta(days=3),
        )
        created["trl_assessments"] += 2

        for days, hours, topics, notes, actions in MENTORING:
            session = services.mentoring_session_record(
                member=member,
                by=mentor.user,
                mentor=mentor,
                held_on=today + dt.timedelta(days=days),
                hours=hours,
                topics=topics,
                notes=notes,
                actions=[
                    {"description": d, "owner": owner, "due_on": today + dt.timedelta(days=due)}
                    for d, owner, due, _done in actions
                ],
            )
            created["mentoring_sessions"] += 1
            for action, (_d, _owner, due, done) in zip(session.actions.order_by("pk"), actions, strict=True):
                created["actions"] += 1
                if done is not None:
                    services.action_set_status(
                        action=action, by=mentor.user, status="done", done_on=today - dt.timedelta(days=done)
                    )
                elif due < 0 and index > 0:
                    # Only the first solver is late: the others sent it on time.
                    services.action_set_status(
                        action=action, by=mentor.user, status="done", done_on=today + dt.timedelta(days=due)
                    )

        for position, (title, description, due) in enumerate(MILESTONES):
            due_on = today + dt.timedelta(days=due)
            milestone = services.milestone_save(
                member=member, by=staff, title=title, description=description, due_on=due_on
            )
            created["milestones"] += 1
            if solver is None:
                continue
            if position == 0:
                services.milestone_submit(
                    milestone=milestone,
                    by=solver,
                    evidence_text="Video del flujo principal y enlace al repositorio.",
                    evidence_url="https://demo.milab.example/prototipo",
                )
                services.milestone_review(
                    milestone=milestone, by=entity, accept=True, note="Cumple con el flujo acordado."
                )
            elif position == 1 and index % 3 != 1:
                services.milestone_submit(
                    milestone=milestone,
                    by=solver,
                    evidence_text="Despliegue en el ambiente de pruebas; credenciales entregadas a TI.",
                )
            # Otherwise still planned: late when its due date passed (the second solver's MVP).

        services.work_session_record(
            programme=programme,
            member=member,
            by=entity,
            held_at=_at(today - dt.timedelta(days=30 - index), 14, zone),
            agenda="Acceso a datos de prueba, requisitos de seguridad y calendario del piloto.",
            attendees=[p for p in [entity, solver] if p is not None],
            other_attendees="Oficina jurídica de la entidad",
            minutes="Se revisó el flujo del MVP con el área misional.",
            decisions="La entidad habilita un ambiente de pruebas y un conjunto de datos anonimizados.",
            alignment_issues="El calendario de contratación de la entidad es más largo que el del piloto.",
            hours=Decimal("2"),
        )
        created["work_sessions"] += 1
        services.hours_record(
            programme=programme,
            member=member,
            by=solver or staff,
            kind="mvp",
            hours=Decimal(120 + 20 * index),
            worked_on=today - dt.timedelta(days=2),
            note="Desarrollo del MVP (horas del equipo).",
        )
        created["hours_entries"] += 1

    services.hours_record(
        programme=programme,
        by=staff,
        kind="other",
        hours=Decimal("36"),
        worked_on=today - dt.timedelta(days=1),
        note="Coordinación del programa por el equipo del laboratorio.",
    )
    created["hours_entries"] += 1
