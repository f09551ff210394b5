"""Demo data: pilots of preselected solutions, through the services (so they are audited as in real use).

MiLAB's 2025 cohort (call ``milab/cohorte-govtech-2025``), one pilot per challenge where it can, dated on
the call's own calendar (``strengthening.demo.cohort_calendar``): the solvers piloted their MVP in real
conditions during the strengthening programme (2 June → 26 September 2025), from about 1 July to
19 September 2025, and every pilot was decided before the Demo Day (16 October 2025):

1. a before/after pilot (baseline 3 → 30 June, pilot 1 July → 19 September) that meets its target
   (response time down from 15 to about 9 days), decided "scale"; its observations come from a CSV file
   the solver imported;
2. an A/B pilot across four service points (two per arm, set by hand; 8 July → 12 September) that does not
   reach its target (satisfaction 3.5 against 4.0), decided "stop" — kept and shown as learning, with its
   lessons;
3. a randomised pilot (15 July → 19 September): twelve offices assigned to the arms by a seed the platform
   drew and recorded before the start; it meets its target on a small sample, decided "iterate" (a larger
   round before scaling).

The services stamp "now" on what they record (started, randomised, imported, decided); those stamps are
then set to the day it happened in the story, as the calls demo does for its applications.

GovTech Lab Luxembourg's "Bye bye Robots!": a "human first" call-routing pilot (before/after; the share
of calls reaching a person and the waiting time), running now: dated relative to today, the live example.

Nothing happens if a call or its preselection is missing; an application that has a pilot is left alone,
so a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from govlab.calls.models import Call
from govlab.evaluation.selectors import preselected_applications
from govlab.organisations.selectors import organisation_people
from govlab.strengthening.demo import CohortCalendar, cohort_calendar

from . import services
from .enums import Decision, Design
from .models import Observation, ObservationImport, Pilot

MILAB, MILAB_CALL, MILAB_STAFF = "milab", "cohorte-govtech-2025", "staff@milab.example"
LUX, LUX_CALL, LUX_STAFF = (
    "govtech-lab-luxembourg",
    "bye-bye-robots",
    "manager@govtech-lab-luxembourg.example",
)


def _today() -> dt.date:
    return timezone.localdate()


def _cohort(lab: str, call_slug: str):
    call = Call.objects.filter(lab__slug=lab, slug=call_slug).select_related("lab").first()
    if call is None:
        return None, []
    return call, list(preselected_applications(call))


def _one_per_challenge(applications, count: int) -> list:
    """Up to ``count`` applications, from different challenges first."""
    chosen, seen = [], set()
    for application in applications:
        if application.challenge_id not in seen:
            chosen.append(application)
            seen.add(application.challenge_id)
    for application in applications:
        if application not in chosen:
            chosen.append(application)
    return chosen[:count]


def _solver(application, fallback):
    people = organisation_people(application.organisation_id)
    return people[0] if people else fallback


def _days(start: dt.date, count: int, step: int = 1) -> list[dt.date]:
    return [start + dt.timedelta(days=i * step) for i in range(count)]


# --- MiLAB ---------------------------------------------------------------------------------------------


def _stamp(pilot: Pilot, calendar: CohortCalendar, *, created_on, decided_on, recorded_on) -> None:
    """Date what the services stamped "now" on the day it happened in the story."""
    at = calendar.at
    Observation.objects.filter(pilot=pilot, batch__isnull=True).update(created_at=at(recorded_on, 17))
    Pilot.objects.filter(pk=pilot.pk).update(
        created_at=at(created_on, 11),
        started_at=at(pilot.starts_on, 8),
        decided_at=at(decided_on, 10),
        updated_at=at(decided_on, 10),
    )


def _milab_before_after(application, staff, calendar: CohortCalendar, created: Counter) -> Pilot:
    baseline, start = calendar.day(1), calendar.day(29)
    ends = calendar.ends_on - dt.timedelta(days=7)
    pilot = services.pilot_create(
        application=application,
        by=staff,
        title="Respuesta ágil a solicitudes ciudadanas",
        objective={
            "es": "Reducir el tiempo de respuesta a las solicitudes ciudadanas con la solución "
            "preseleccionada.",
            "en": "Cut the time to answer citizens' requests with the preselected solution.",
        },
        design=Design.BEFORE_AFTER,
        baseline_starts_on=baseline,
        starts_on=start,
        ends_on=ends,
        sites="Ventanilla única de la entidad, Bogotá",
        budget="45000000",
        risks="Resistencia del equipo de atención; picos de demanda a fin de mes.",
        consent_ethics="Solo datos agregados por día; ningún dato personal de los ciudadanos.",
        participants={"government": 14, "civil_society": 1200, "business": 3},
        hypotheses=[
            {
                "statement": "Si las solicitudes se clasifican y asignan automáticamente, se responden "
                "en menos días."
            }
        ],
        metrics=[
            {
                "code": "dias-respuesta",
                "name": "Tiempo de respuesta",
                "unit": "días",
                "kind": "mean",
                "direction": "decrease",
                "baseline": "15",
                "target": "10",
                "how_measured": "Promedio diario del sistema de gestión documental (radicado → respuesta).",
                "hypothesis": 1,
            }
        ],
    )
    services.pilot_start(pilot=pilot, by=staff)
    solver = _solver(application, staff)
    lines = ["metric,period,observed_on,value,note"]
    for i, day in enumerate(_days(baseline, 14, 2)):
        lines.append(f"dias-respuesta,before,{day.isoformat()},{15 + (i * 7) % 5 - 2},")
    for i, day in enumerate(_days(start, 24, 3)):
        value = f"{9 + ((i * 3) % 5 - 2) * 0.5:.1f}".replace(".", ",")  # as a Spanish spreadsheet writes it
        lines.append(f'dias-respuesta,after,{day.isoformat()},"{value}",')
    content = "\n".join(lines).encode()
    batch = services.observation_import_csv(
        pilot=pilot, by=solver, content=content, file_name="tiempos-respuesta.csv"
    )
    imported = calendar.at(ends, 10)
    ObservationImport.objects.filter(pk=batch.pk).update(imported_at=imported)
    Observation.objects.filter(batch=batch).update(created_at=imported)
    created["observations"] += 38
    services.pilot_end(pilot=pilot, by=staff)
    services.pilot_decide(
        pilot=pilot,
        by=staff,
        decision=Decision.SCALE,
        rationale=(
            "El tiempo de respuesta bajó de unos 15 a unos 9 días, por debajo de la meta de 10, con una "
            "diferencia estadísticamente significativa. La entidad lo extiende a todas sus sedes."
        ),
        lessons="La clasificación automática funciona si el equipo revisa a diario los casos dudosos.",
    )
    _stamp(
        pilot, calendar, created_on=calendar.day(0), decided_on=ends + dt.timedelta(days=4), recorded_on=ends
    )
    return pilot


def _milab_ab(application, staff, calendar: CohortCalendar, created: Counter) -> Pilot:
    start, ends = calendar.day(36), calendar.ends_on - dt.timedelta(days=14)
    pilot = services.pilot_create(
        application=application,
        by=staff,
        title="Asistente de trámites en puntos de atención",
        objective={
            "es": "Mejorar la satisfacción de quienes hacen trámites presenciales.",
            "en": "Raise satisfaction at service points.",
        },
        design=Design.AB,
        starts_on=start,
        ends_on=ends,
        sites="Cuatro puntos de atención (dos con el asistente, dos sin él)",
        budget="30000000",
        risks="Diferencias entre puntos de atención ajenas al piloto.",
        consent_ethics="Encuesta voluntaria y anónima a la salida.",
        participants={"government": 20, "civil_society": 640},
        hypotheses=[{"statement": "Con el asistente, la satisfacción media sube a 4 sobre 5."}],
        metrics=[
            {
                "code": "satisfaccion",
                "name": "Satisfacción ciudadana",
                "unit": "puntos (1–5)",
                "kind": "mean",
                "direction": "increase",
                "baseline": "3.2",
                "target": "4.0",
                "how_measured": "Promedio diario de la encuesta de salida en cada punto.",
                "hypothesis": 1,
            }
        ],
    )
    services.units_set(
        pilot=pilot,
        by=staff,
        units=[
            {"code": "punto-norte", "label": "Punto Norte", "arm": "A"},
            {"code": "punto-sur", "label": "Punto Sur", "arm": "A"},
            {"code": "punto-centro", "label": "Punto Centro", "arm": "B"},
            {"code": "punto-occidente", "label": "Punto Occidente", "arm": "B"},
        ],
    )
    services.pilot_start(pilot=pilot, by=staff)
    rows = []
    for code, level in (
        ("punto-norte", 3.2),
        ("punto-sur", 3.1),
        ("punto-centro", 3.5),
        ("punto-occidente", 3.5),
    ):
        for i, day in enumerate(_days(start, 12, 5)):
            rows.append(
                {
                    "metric": "satisfaccion",
                    "unit": code,
                    "value": f"{level + ((i * 5) % 7 - 3) * 0.05:.2f}",
                    "observed_on": day,
                }
            )
    services.observations_record(pilot=pilot, by=staff, rows=rows)
    created["observations"] += len(rows)
    services.pilot_end(pilot=pilot, by=staff)
    services.pilot_decide(
        pilot=pilot,
        by=staff,
        decision=Decision.STOP,
        rationale=(
            "La satisfacción subió algo (de 3,2 a 3,5) pero quedó lejos de la meta de 4: el asistente no "
            "cambia lo que más pesa, la espera. Se detiene el piloto."
        ),
        lessons=(
            "Medir antes qué explica la insatisfacción: aquí era el tiempo de espera, no la orientación. "
            "El aprendizaje alimenta el siguiente reto de la entidad."
        ),
    )
    _stamp(
        pilot, calendar, created_on=calendar.day(21), decided_on=ends + dt.timedelta(days=4), recorded_on=ends
    )
    return pilot


def _milab_randomised(application, staff, calendar: CohortCalendar, created: Counter) -> Pilot:
    start, ends = calendar.day(43), calendar.ends_on - dt.timedelta(days=7)
    pilot = services.pilot_create(
        application=application,
        by=staff,
        title="Trámite en línea asistido — asignación aleatoria de oficinas",
        objective={"es": "Saber si el acompañamiento digital aumenta los trámites completados en línea."},
        design=Design.RANDOMISED,
        starts_on=start,
        ends_on=ends,
        sites="Doce oficinas regionales",
        budget="38000000",
        risks="Contaminación entre oficinas vecinas.",
        consent_ethics="Las oficinas se sortean; los ciudadanos pueden pedir atención presencial siempre.",
        participants={"government": 36, "civil_society": 2400, "academia": 2},
        hypotheses=[
            {"statement": "Con acompañamiento digital, más de la mitad de los trámites se completa en línea."}
        ],
        metrics=[
            {
                "code": "completado-en-linea",
                "name": "Trámites completados en línea",
                "unit": "proporción de trámites",
                "kind": "rate",
                "direction": "increase",
                "baseline": "0.35",
                "target": "0.55",
                "how_measured": "Cada día, en cada oficina, un trámite al azar: 1 si se completó en línea, "
                "0 si no.",
                "hypothesis": 1,
            }
        ],
    )
    services.units_set(
        pilot=pilot,
        by=staff,
        units=[{"code": f"oficina-{i:02d}", "label": f"Oficina {i}"} for i in range(1, 13)],
    )
    # The offices are drawn before the pilot starts.
    pilot = services.pilot_randomise(pilot=pilot, by=staff)
    services.pilot_start(pilot=pilot, by=staff)
    rows = []
    for index, unit in enumerate(pilot.units.order_by("code")):
        share = 0.6 if unit.arm == "B" else 0.35
        for i, day in enumerate(_days(start, 10, 6)):
            hit = ((i * 7 + index * 3) % 20) < share * 20
            rows.append(
                {
                    "metric": "completado-en-linea",
                    "unit": unit.code,
                    "value": "1" if hit else "0",
                    "observed_on": day,
                }
            )
    services.observations_record(pilot=pilot, by=_solver(application, staff), rows=rows)
    created["observations"] += len(rows)
    services.pilot_end(pilot=pilot, by=staff)
    services.pilot_decide(
        pilot=pilot,
        by=staff,
        decision=Decision.ITERATE,
        rationale=(
            "Las oficinas con acompañamiento digital completaron en línea bastantes más trámites que las "
            "demás, por encima de la meta; pero son doce oficinas y diez semanas, y el intervalo de "
            "confianza es amplio. Se repite el piloto con más oficinas y un trimestre completo antes de "
            "escalarlo."
        ),
        lessons=(
            "El sorteo de oficinas hizo creíble la comparación. Vigilar la contaminación entre oficinas "
            "vecinas: dos funcionarios rotaron entre brazos durante el piloto."
        ),
    )
    _stamp(
        pilot, calendar, created_on=calendar.day(28), decided_on=ends + dt.timedelta(days=5), recorded_on=ends
    )
    Pilot.objects.filter(pk=pilot.pk).update(randomised_at=calendar.at(start - dt.timedelta(days=4), 10))
    return pilot


# --- Luxembourg ----------------------------------------------------------------------------------------


def _lux_human_first(application, staff, today, created: Counter) -> Pilot:
    baseline, start = today - dt.timedelta(days=56), today - dt.timedelta(days=28)
    pilot = services.pilot_create(
        application=application,
        by=staff,
        title="Human first call routing",
        objective={
            "en": "Callers reach a person instead of a voice robot, faster.",
            "fr": "Les appelants joignent une personne plutôt qu'un robot vocal, plus vite.",
        },
        design=Design.BEFORE_AFTER,
        baseline_starts_on=baseline,
        starts_on=start,
        ends_on=today + dt.timedelta(days=28),
        sites="Guichet.lu helpline, Luxembourg",
        budget="60000",
        risks="Staff shortage at peak hours; callers used to the menu.",
        consent_ethics="Callers are told at the start of the call; only call metadata is kept, 90 days.",
        participants={"government": 18, "civil_society": 5200},
        hypotheses=[
            {"statement": "If calls go to a person first, more callers reach a person."},
            {"statement": "Routing to a person first does not make callers wait longer."},
        ],
        metrics=[
            {
                "code": "reach-person",
                "name": "Share of calls reaching a person",
                "unit": "%",
                "kind": "mean",
                "direction": "increase",
                "baseline": "42",
                "target": "75",
                "how_measured": "Daily share of answered calls handled by a person (switchboard statistics).",
                "hypothesis": 1,
            },
            {
                "code": "wait",
                "name": "Waiting time",
                "unit": "minutes",
                "kind": "mean",
                "direction": "decrease",
                "baseline": "6",
                "target": "4",
                "how_measured": "Daily mean time before a person or the robot answers.",
                "hypothesis": 2,
            },
        ],
    )
    services.pilot_start(pilot=pilot, by=staff)
    rows = []
    for i, day in enumerate(_days(baseline, 20)):
        rows.append(
            {
                "metric": "reach-person",
                "group": "before",
                "value": str(42 + (i * 7) % 9 - 4),
                "observed_on": day,
            }
        )
        rows.append(
            {
                "metric": "wait",
                "group": "before",
                "value": f"{6 + ((i * 3) % 5 - 2) * 0.4:.1f}",
                "observed_on": day,
            }
        )
    for i, day in enumerate(_days(start, 20)):
        rows.append(
            {
                "metric": "reach-person",
                "group": "after",
                "value": str(79 + (i * 5) % 9 - 4),
                "observed_on": day,
            }
        )
        rows.append(
            {
                "metric": "wait",
                "group": "after",
                "value": f"{4.4 + ((i * 3) % 5 - 2) * 0.4:.1f}",
                "observed_on": day,
            }
        )
    services.observations_record(pilot=pilot, by=staff, rows=rows)
    created["observations"] += len(rows)
    return pilot


def _staff(email):
    return get_user_model().objects.filter(email__iexact=email).first()


def load() -> dict[str, int]:
    created: Counter = Counter()
    today = _today()
    call, cohort = _cohort(MILAB, MILAB_CALL)
    staff = _staff(MILAB_STAFF)
    calendar = cohort_calendar(call) if call is not None else None
    if calendar is not None and cohort and staff is not None:
        builders = [_milab_before_after, _milab_ab, _milab_randomised]
        for application, build in zip(_one_per_challenge(cohort, 3), builders, strict=False):
            if Pilot.objects.filter(application=application).exists():
                continue
            with transaction.atomic():
                build(application, staff, calendar, created)
            created["pilots"] += 1
    call, cohort = _cohort(LUX, LUX_CALL)
    staff = _staff(LUX_STAFF)
    if call is not None and cohort and staff is not None:
        application = cohort[0]
        if not Pilot.objects.filter(application=application).exists():
            with transaction.atomic():
                _lux_human_first(application, staff, today, created)
            created["pilots"] += 1
    return dict(created)
