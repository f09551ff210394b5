"""Demo data: the KPIs of MiLAB and LabX, through the services (so they are audited as in real use).

**MiLAB** (seed: MiLAB's innovation summary, "Main results"): 27 public challenges identified, 24 connected
with the govtech solvers' ecosystem, 35 govtech solutions strengthened, 185 govtech and public-impact
start-ups and SMEs mapped, 6,200 attendees to inspiration and knowledge-management events (MiLAB has run
since 2018; the report does not date its results by year). They are kept as KPIs entered by hand, one
value per year 2019–2022 whose sum (or, for the start-ups, the last value: a stock) is the seed's figure;
the evidence cites the report and says that the split by year is the demo's. The same figures, from 2023
on, are computed from govlab's own records (the demo's 2025 cohort): challenges identified, accepted,
connected, calls, applications, solvers mapped, solutions strengthened, pilots and their success rate,
selections, attendees by sector, TRL gain, the median cycle — with targets for 2025 and 2026.

**LabX** (seed: the OECD Observatory of Public Sector Innovation talk "Case studies in public sector
innovation"): since 2017, 25 experimental projects, over 10,000 citizens and 2,000 public servants engaged,
across more than 160 public-sector organisations. Kept as cumulative KPIs entered by hand, 2019–2022, the
last value the seed's figure (the talk does not date it: the demo places it in 2022).

Idempotent: a KPI is found by its code, a target or a value by its period; only what is missing is made.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from govlab.labs.models import Lab

from . import services
from .computations import COMPUTATIONS
from .enums import Category, Source
from .models import KpiDefinition, KpiTarget, KpiValue
from .periods import year

MILAB, MILAB_MANAGER, MILAB_STAFF = "milab", "manager@milab.example", "staff@milab.example"
LABX, LABX_MANAGER = "labx", "manager@labx.example"

MILAB_SOURCE = (
    "MiLAB – Govtech and Public Impact Laboratory, innovation summary, “Main results”: {quote} "
    "(MiLAB operated since 2018). The total is the report's; its split by year is the demo's."
)
MILAB_URL = ""  # the report has no address in the seed
LABX_SOURCE = (
    "OECD Observatory of Public Sector Innovation, “Case studies in public sector innovation” (LabX): "
    "“{quote}”. Cumulative since 2017; the talk does not date the figure (placed in 2022 here) and the "
    "earlier years are the demo's."
)

# code, name {en, es|pt}, category, unit, quote, values by year (flows: they add up to the seed's figure)
MILAB_REPORTED = (
    (
        "reported-challenges-identified",
        {"en": "Public challenges identified (reported)", "es": "Retos públicos identificados"},
        Category.RESULTS,
        "challenges",
        "27 identified public challenges",
        {2019: 5, 2020: 7, 2021: 8, 2022: 7},
    ),
    (
        "reported-challenges-connected",
        {"en": "Challenges connected with govtech solvers", "es": "Retos conectados con solucionadores"},
        Category.RESULTS,
        "challenges",
        "24 connected with the govtech solvers ecosystem",
        {2019: 3, 2020: 6, 2021: 8, 2022: 7},
    ),
    (
        "reported-solutions-strengthened",
        {"en": "Govtech solutions strengthened", "es": "Soluciones govtech fortalecidas"},
        Category.RESULTS,
        "solutions",
        "35 govtech solutions strengthen",
        {2020: 8, 2021: 12, 2022: 15},
    ),
    (
        "reported-attendees",
        {"en": "Attendees to inspiration and knowledge events", "es": "Asistentes a espacios de inspiración"},
        Category.INPUT,
        "people",
        "6.200 attendees to inspiration and knowledge management",
        {2019: 900, 2020: 1600, 2021: 1900, 2022: 1800},
    ),
)
# A stock: the last value is the seed's figure.
MILAB_STOCKS = (
    (
        "reported-startups-mapped",
        {"en": "Govtech start-ups and SMEs mapped", "es": "Start-ups y pymes govtech mapeadas"},
        Category.INPUT,
        "organisations",
        "185 Govtech and public impact start-ups and SMEs mapped",
        {2019: 60, 2020: 110, 2021: 160, 2022: 185},
    ),
)
LABX_STOCKS = (
    (
        "experiments",
        {"en": "Experimental projects (since 2017)", "pt": "Projetos experimentais (desde 2017)"},
        Category.RESULTS,
        "projects",
        "LabX has conducted 25 experimental projects",
        {2019: 9, 2020: 15, 2021: 20, 2022: 25},
    ),
    (
        "citizens-engaged",
        {"en": "Citizens engaged (since 2017)", "pt": "Cidadãos envolvidos (desde 2017)"},
        Category.IMPACT,
        "people",
        "engaging over 10,000 citizens",
        {2019: 3500, 2020: 6000, 2021: 8200, 2022: 10000},
    ),
    (
        "public-servants-engaged",
        {
            "en": "Public servants engaged (since 2017)",
            "pt": "Trabalhadores públicos envolvidos (desde 2017)",
        },
        Category.INPUT,
        "people",
        "2,000 public servants",
        {2019: 700, 2020: 1200, 2021: 1600, 2022: 2000},
    ),
    (
        "organisations-engaged",
        {"en": "Public-sector organisations engaged (since 2017)", "pt": "Organismos públicos envolvidos"},
        Category.INPUT,
        "organisations",
        "across more than 160 public sector organizations",
        {2019: 60, 2020: 100, 2021: 135, 2022: 160},
    ),
)
LABX_URL = "https://www.youtube.com/watch?v=ufbBpN3BlP0"

# code, computation, name, public, targets by year (the demo's cohort is 2025's); the category and the
# direction are the computation's
MILAB_COMPUTED = (
    ("identified", "challenges_identified", "Challenges identified", True, {2026: 8}),
    ("accepted", "challenges_accepted", "Challenges accepted", False, {2025: 3}),
    ("connected", "challenges_connected", "Challenges connected", True, {2025: 5}),
    ("calls", "calls_published", "Calls for solutions published", False, {2025: 1}),
    ("applications", "applications_received", "Applications received", True, {2025: 20}),
    ("solvers", "solvers_mapped", "Solvers mapped", True, {2026: 200}),
    ("strengthened", "solutions_strengthened", "Solutions strengthened", True, {2025: 9}),
    ("pilots", "pilots_run", "Pilots run", False, {2025: 3}),
    ("pilot-success", "pilot_success_rate", "Pilot success rate", True, {2025: 50}),
    ("selected", "solutions_selected", "Solutions selected", False, {2025: 3}),
    ("trl-gain", "trl_gain_mean", "Mean TRL gain", False, {2025: 2}),
    ("attendees", "attendees_by_helix", "Attendees by sector", False, {}),
    ("cycle", "cycle_time_median_days", "Median innovation cycle", True, {2025: 365}),
)
# code, computation, name (the category and the direction are the computation's)
LABX_COMPUTED = (
    ("identified", "challenges_identified", "Challenges identified"),
    ("solvers", "solvers_mapped", "Organisations in the ecosystem"),
)


def _user(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def _kpi(lab, manager, code: str, data: dict, created: Counter) -> KpiDefinition:
    kpi = KpiDefinition.objects.filter(lab=lab, code=code).first()
    if kpi is None:
        kpi = services.kpi_save(lab=lab, by=manager, data={"code": code, **data})
        created["kpis"] += 1
    return kpi


def _computed(
    lab, manager, code: str, computation: str, name: str, created: Counter, **extra
) -> KpiDefinition:
    registered = COMPUTATIONS[computation]
    data = {
        "name": {"en": name},
        "category": registered.category,
        "source": Source.COMPUTED,
        "computation": computation,
        "direction": registered.direction,
        **extra,
    }
    return _kpi(lab, manager, code, data, created)


def _value(kpi, by, y: int, value, evidence: str, url: str, created: Counter) -> None:
    period = year(y)
    if KpiValue.objects.filter(kpi=kpi, period_start=period.start).exists():
        return
    services.value_set(
        kpi=kpi,
        by=by,
        period_start=period.start,
        period_end=period.end,
        value=Decimal(value),
        evidence=evidence,
        evidence_url=url,
    )
    created["values"] += 1


def _target(kpi, by, y: int, value, created: Counter) -> None:
    period = year(y)
    if KpiTarget.objects.filter(kpi=kpi, period_start=period.start).exists():
        return
    services.target_set(
        kpi=kpi, by=by, period_start=period.start, period_end=period.end, value=Decimal(value)
    )
    created["targets"] += 1


def _reported(
    lab, manager, enterer, specs, *, source: str, url: str, stock: bool, position: int, created
) -> int:
    for code, name, category, unit, quote, by_year in specs:
        kpi = _kpi(
            lab,
            manager,
            code,
            {
                "name": name,
                "description": {
                    "en": (
                        "A stock: the figure at the end of each year."
                        if stock
                        else "A flow: each year's figure."
                    )
                },
                "category": category,
                "source": Source.MANUAL,
                "unit": unit,
                "is_public": True,
                "position": position,
            },
            created,
        )
        position += 1
        evidence = source.format(quote=quote)
        for y, value in by_year.items():
            _value(kpi, enterer, y, value, evidence, url, created)
    return position


def _milab(created: Counter) -> None:
    lab = Lab.objects.filter(slug=MILAB).first()
    manager, staff = _user(MILAB_MANAGER), _user(MILAB_STAFF)
    if lab is None or manager is None:
        return
    enterer = staff or manager
    position = _reported(
        lab,
        manager,
        enterer,
        MILAB_REPORTED,
        source=MILAB_SOURCE,
        url=MILAB_URL,
        stock=False,
        position=10,
        created=created,
    )
    _reported(
        lab,
        manager,
        enterer,
        MILAB_STOCKS,
        source=MILAB_SOURCE,
        url=MILAB_URL,
        stock=True,
        position=position,
        created=created,
    )
    for index, (code, computation, name, public, targets) in enumerate(MILAB_COMPUTED):
        kpi = _computed(lab, manager, code, computation, name, created, is_public=public, position=30 + index)
        for y, value in targets.items():
            _target(kpi, manager, y, value, created)


def _labx(created: Counter) -> None:
    lab = Lab.objects.filter(slug=LABX).first()
    manager = _user(LABX_MANAGER)
    if lab is None or manager is None:
        return
    _reported(
        lab,
        manager,
        manager,
        LABX_STOCKS,
        source=LABX_SOURCE,
        url=LABX_URL,
        stock=True,
        position=10,
        created=created,
    )
    for code, computation, name in LABX_COMPUTED:
        _computed(lab, manager, code, computation, name, created)


def load() -> dict[str, int]:
    created: Counter = Counter()
    with transaction.atomic():
        _milab(created)
        _labx(created)
    return dict(created)
