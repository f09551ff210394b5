"""Demo data: the Demo Day of MiLAB's 2025 cohort (call ``milab/cohorte-govtech-2025``), run through the
services like a lab would: the agenda of the preselected pitches, four weighted criteria, a jury of four
(one of whom declares a conflict of interest with one pitch), every juror's scores, scoring closed, and a
solution selected per challenge with the jury's reasons and feedback to the other solvers.

It is history, on the call's own date (``call.demo_day_on``, 16 October 2025, after the strengthening
programme and its pilots; see ``strengthening.demo.cohort_calendar``): from 15:00 in the lab's time zone,
pitches every 15 minutes, scoring open from the first pitch and closed at the end, the selection at 18:00
that day. The jury weighs the pilots: a solution whose pilot was stopped does not win its challenge.
Each score is sent with its arrival time (``received_at``, while scoring was open); the other stamps the
services set to "now" (declared, scoring opened and closed, decided) are then set to that day's times, as
the calls demo does for its applications.

Idempotent: a call that already has a Demo Day is left alone; nothing happens when the call, its lab's
team or its preselected cohort is missing, or the Demo Day has not taken place yet (returns {}).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction

from govlab.calls.models import Call
from govlab.evaluation.demo import _person
from govlab.evaluation.selectors import preselected_applications
from govlab.strengthening.demo import CohortCalendar, cohort_calendar

from . import services
from .enums import DemoDayStatus, JurorRole
from .models import DemoDay, JuryDeclaration, JuryMember, JuryScore, Outcome, Selection

LAB, CALL, STAFF = "milab", "cohorte-govtech-2025", "staff@milab.example"

SCALE = [
    {"value": 1, "label": {"es": "Insuficiente", "en": "Poor"}},
    {"value": 2, "label": {"es": "Débil", "en": "Weak"}},
    {"value": 3, "label": {"es": "Aceptable", "en": "Fair"}},
    {"value": 4, "label": {"es": "Bueno", "en": "Good"}},
    {"value": 5, "label": {"es": "Excelente", "en": "Excellent"}},
]
CRITERIA = [
    {
        "name": {"es": "Impacto en el problema", "en": "Impact on the problem"},
        "description": {
            "es": "¿Cuánto resuelve el reto de la entidad, según el piloto?",
            "en": "How much does it solve the entity's challenge, judging by the pilot?",
        },
        "weight": "35",
        "scale": SCALE,
    },
    {
        "name": {"es": "Viabilidad de implementación", "en": "Feasibility of implementation"},
        "weight": "25",
        "scale": SCALE,
    },
    {"name": {"es": "Relación calidad-precio", "en": "Value for money"}, "weight": "20", "scale": SCALE},
    {"name": {"es": "Escalabilidad", "en": "Scalability"}, "weight": "20", "scale": SCALE},
]
# (e-mail, name, role): demo people made here (password govlab-demo-2026).
JURY = [
    ("jurado@milab.example", "Valentina Cárdenas", JurorRole.CHAIR),
    ("jurado2@milab.example", "Héctor Salazar", JurorRole.MEMBER),
    ("jurado3@milab.example", "Paula Andrea Mejía", JurorRole.MEMBER),
    ("jurado4@milab.example", "Mauricio Ocampo", JurorRole.MEMBER),
]
CONFLICT_REASON = "Fui asesor de esta empresa en 2024; me declaro impedido."
REASONS = (
    "Mayor impacto demostrado en el piloto, un plan de implementación realista con el equipo de la "
    "entidad y un costo dentro del presupuesto."
)
FEEDBACK = (
    "El jurado valoró su propuesta y su trabajo durante el programa. No fue seleccionada porque otra "
    "solución demostró más impacto en el piloto. Le animamos a presentarse a las próximas convocatorias."
)
# A challenge whose pilot was stopped: another solver of the cohort is selected, and the piloted one told why.
REASONS_AFTER_STOP = (
    "El piloto de otra solución de este reto no alcanzó su meta. El jurado selecciona esta propuesta por un "
    "MVP sólido, validado con el equipo de la entidad durante el programa, un plan de implementación "
    "realista y un costo dentro del presupuesto."
)
FEEDBACK_STOPPED = (
    "El jurado valoró su trabajo y lo que enseñó su piloto, que no alcanzó su meta; por eso su solución no "
    "fue seleccionada. Lo aprendido queda publicado con el piloto. Le animamos a presentarse a las próximas "
    "convocatorias."
)
# The jury weighs the pilots: within a challenge, pitches rank by their pilot's decision.
PILOT_ORDER = {"scale": 0, "iterate": 1, "": 2, "stop": 3}


def _level(rank: int, juror: int, criterion: int) -> int:
    """A deterministic level: better ranked pitches score higher; jurors and criteria vary a little."""
    return max(1, min(5, 5 - rank - ((juror + criterion) % 3 == 2)))


def _pilot_decisions(cohort) -> dict[int, str]:
    """{application id: its pilot's decision ("" if undecided)}, for the applications that have a pilot."""
    from django.apps import apps

    if not apps.is_installed("govlab.pilots"):
        return {}
    from govlab.pilots.models import Pilot

    return dict(
        Pilot.objects.filter(application__in=[a.pk for a in cohort]).values_list("application_id", "decision")
    )


def load() -> dict[str, int]:
    created: Counter = Counter()
    call = Call.objects.filter(lab__slug=LAB, slug=CALL).select_related("lab").first()
    if call is None:
        return {}
    staff = get_user_model().objects.filter(email__iexact=STAFF).first()
    cohort = list(preselected_applications(call))
    if staff is None or not cohort:
        return {}
    if DemoDay.objects.filter(call=call).exists():
        created["demo_days_skipped"] += 1
        return dict(created)
    calendar = cohort_calendar(call)
    if calendar is None:
        return {}
    with transaction.atomic():
        _run(call, staff, cohort, calendar, created)
        date_the_timelines(call)
    return dict(created)


def date_the_timelines(call) -> int:
    """Put the cohort's challenge timelines on the story's dates, as the rest of the story is.

    The services stamp each step when the demo runs, so a 2025 cohort loaded today would show every step
    of its challenges on today's date. Here, once the story is told: the steps up to "ready for a call"
    spread over the weeks before the call's publication, then publication, preselection, the programme's
    start, the first pilot's start and the Demo Day's selection (``ChallengeTransition`` rows are the
    timeline, not the hash-chained audit log, which keeps when the demo really ran). Returns how many steps
    moved; a second run moves none.
    """
    from zoneinfo import ZoneInfo

    from govlab.challenges.enums import ChallengeStatus
    from govlab.challenges.models import Challenge, ChallengeTransition
    from govlab.pilots.models import Pilot
    from govlab.strengthening.models import Programme

    zone = ZoneInfo(call.lab.time_zone or "UTC")

    def noon(day):
        return dt.datetime.combine(day, dt.time(12), tzinfo=zone) if day else None

    programme = Programme.objects.filter(call=call).first()
    milestones = {
        ChallengeStatus.IN_CALL: call.published_at,
        ChallengeStatus.PRESELECTED: noon(call.preselection_on),
        ChallengeStatus.STRENGTHENING: noon(programme.starts_on) if programme else None,
    }
    moved = 0
    for challenge in Challenge.objects.filter(calls=call):
        steps = list(ChallengeTransition.objects.filter(challenge=challenge).order_by("created_at", "pk"))
        pilot = (
            Pilot.objects.filter(challenge=challenge, started_at__isnull=False).order_by("started_at").first()
        )
        selection = Selection.objects.filter(challenge=challenge).first()
        dates = {
            **milestones,
            ChallengeStatus.PILOTING: pilot.started_at if pilot else None,
            ChallengeStatus.SOLUTION_SELECTED: selection.decided_at if selection else None,
        }
        published = call.published_at
        early = [step for step in steps if step.to_status not in dates]
        # The steps before the call: one a week, ending a week before the publication.
        when = {
            step.pk: published - dt.timedelta(weeks=len(early) - position)
            for position, step in enumerate(early)
            if published is not None
        }
        when.update({step.pk: dates[step.to_status] for step in steps if dates.get(step.to_status)})
        for step in steps:
            if when.get(step.pk) and step.created_at != when[step.pk]:
                ChallengeTransition.objects.filter(pk=step.pk).update(created_at=when[step.pk])
                moved += 1
        last = max((when[step.pk] for step in steps if when.get(step.pk)), default=None)
        if last is not None:
            Challenge.objects.filter(pk=challenge.pk).update(status_changed_at=last)
        first_submission = next(
            (when.get(s.pk) for s in steps if s.to_status == ChallengeStatus.SUBMITTED), None
        )
        if first_submission is not None:
            Challenge.objects.filter(pk=challenge.pk).update(submitted_at=first_submission)
    return moved


def _run(call, staff, cohort, calendar: CohortCalendar, created: Counter) -> None:
    day = calendar.demo_day_on
    starts = calendar.at(day, 15)
    demo_day = services.demo_day_create(
        call=call,
        by=staff,
        title={"es": "Demo Day — Cohorte GovTech 2025", "en": "Demo Day — GovTech cohort 2025"},
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        place="Auditorio MiLAB, Bogotá",
        link="https://milab.example/demo-day-2025",
        description={
            "es": "Los equipos preseleccionados presentan sus soluciones y los resultados de sus pilotos.",
            "en": "The preselected teams present their solutions and the results of their pilots.",
        },
    )
    created["demo_days"] += 1
    criteria = services.criteria_set(demo_day=demo_day, by=staff, criteria=CRITERIA)
    created["criteria"] += len(criteria)
    slots = {}
    for order, application in enumerate(cohort, start=1):
        slots[application.pk] = starts + dt.timedelta(minutes=15 * (order - 1))
        services.pitch_save(
            demo_day=demo_day,
            by=staff,
            application=application,
            order=order,
            starts_at=slots[application.pk],
            minutes=12,
        )
        created["pitches"] += 1
    members = []
    for email, name, role in JURY:
        user = _person(email, name, "es", calendar.zone, created)
        members.append(services.juror_add(demo_day=demo_day, user=user, role=role, by=staff))
        created["jurors"] += 1
    services.demo_day_set_status(demo_day=demo_day, status=DemoDayStatus.SCORING_OPEN, by=staff)
    decisions = _pilot_decisions(cohort)
    by_challenge: dict[int, list] = {}
    for application in cohort:
        by_challenge.setdefault(application.challenge_id, []).append(application)
    conflicted = (members[2].pk, cohort[0].pk)  # one juror declares a conflict with the first pitch
    for applications in by_challenge.values():
        ranked = sorted(applications, key=lambda a: PILOT_ORDER.get(decisions.get(a.pk, ""), 2))
        for rank, application in enumerate(ranked):
            for j, member in enumerate(members):
                conflict = (member.pk, application.pk) == conflicted
                services.jury_declare(
                    member=member,
                    application=application,
                    has_conflict=conflict,
                    reason=CONFLICT_REASON if conflict else "",
                    by=member.user,
                )
                created["declarations"] += 1
                if conflict:
                    continue
                # Each juror sends the scores just after the pitch.
                received = slots[application.pk] + dt.timedelta(minutes=13 + j)
                services.score_save(
                    member=member,
                    application=application,
                    by=member.user,
                    scores={str(c.pk): _level(rank, j, i) for i, c in enumerate(criteria)},
                    received_at=received,
                )
                JuryScore.objects.filter(member=member, application=application).update(updated_at=received)
                created["scores"] += len(criteria)
    services.demo_day_set_status(demo_day=demo_day, status=DemoDayStatus.SCORING_CLOSED, by=staff)
    from .aggregation import ranking

    rows = ranking(demo_day)
    for challenge_id, applications in by_challenge.items():
        ranked = [r for r in rows if r.challenge_id == challenge_id and r.rank is not None]
        winner_id = ranked[0].application_id if ranked else applications[0].pk
        winner = next(a for a in applications if a.pk == winner_id)
        stopped = any(decisions.get(a.pk) == "stop" for a in applications)
        services.select_solution(
            demo_day=demo_day,
            challenge=winner.challenge,
            application=winner,
            reasons=REASONS_AFTER_STOP if stopped and winner.pk not in decisions else REASONS,
            feedback={
                a.pk: FEEDBACK_STOPPED if decisions.get(a.pk) == "stop" else FEEDBACK
                for a in applications
                if a.pk != winner.pk
            },
            by=staff,
        )
        created["selections"] += 1
    _stamp(demo_day, calendar, slots)


def _stamp(demo_day: DemoDay, calendar: CohortCalendar, slots: dict) -> None:
    """Date what the services stamped "now" on the Demo Day's own times (scores keep their arrival)."""
    starts = demo_day.starts_at
    last = max(slots.values())
    closed = last + dt.timedelta(minutes=30)
    decided = calendar.at(calendar.demo_day_on, 18)
    DemoDay.objects.filter(pk=demo_day.pk).update(
        created_at=starts - dt.timedelta(days=45),
        scoring_opened_at=starts,
        scoring_closed_at=closed,
        decided_at=decided,
        updated_at=decided,
    )
    JuryMember.objects.filter(demo_day=demo_day).update(created_at=starts - dt.timedelta(days=21))
    JuryDeclaration.objects.filter(member__demo_day=demo_day).update(
        declared_at=starts - dt.timedelta(minutes=30)
    )
    Selection.objects.filter(demo_day=demo_day).update(decided_at=decided)
    Outcome.objects.filter(demo_day=demo_day).update(decided_at=decided)
