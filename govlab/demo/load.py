"""``generate_load_data``: a large synthetic installation for load tests and query-plan checks.

Everything it makes is marked by the ``load-`` prefix (lab and organisation slugs, ``@load.example``
e-mails), so it never touches the demo data and ``reset`` removes exactly what it made. Rows are written
with ``bulk_create`` in a few large statements, not through the services: it is test data, and auditing
ten thousand fake creations would only bury the real log. Generation is deterministic for a given seed
and idempotent: a second run with the same sizes creates nothing; larger sizes add only what is missing.

Solver profiles (``--solvers``, slugs ``load-solver-NNNNNN``) are solver organisations with a full profile
(main solution, TRL, interests, sectors, technologies, country, founding year) and one member each, who
applies for it. Applications (``--applications``) are made by ``govlab.calls.demo.generate``: it puts the
load labs' challenges that are ready for a call into calls and has the solvers apply (drafts, submissions
with a revision and a receipt that verifies, a few withdrawn). At full scale, ``--solvers 50000
--applications 200000`` (see docs/performance.md for the timings).

Reviews (``--reviews``) are made by ``govlab.evaluation.demo.generate``: each load lab gets ten
evaluators (``load-evaluator-…@load.example``) on the panel of each of its closed load calls, and the
submitted applications of those calls get assignments, "no conflict" declarations and submitted reviews
with their weighted totals and first revisions, spread evenly (``--reviews 600000`` with the full-scale
applications: about 7.5 per application).
"""

from __future__ import annotations

import importlib
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from govlab.accounts.models import User
from govlab.labs.enums import LabRole
from govlab.labs.models import Lab, LabMembership
from govlab.organisations.enums import DEFAULT_HELIX, OrganisationKind, OrganisationRole, OrganisationSize
from govlab.organisations.models import Organisation, OrganisationMembership
from govlab.taxonomy.models import Term

PREFIX = "load-"
EMAIL_DOMAIN = "load.example"
PASSWORD = "govlab-load-2026"
BATCH = 2000
CHALLENGES_DEMO_MODULE = "govlab.challenges.demo"
CALLS_DEMO_MODULE = "govlab.calls.demo"
EVALUATION_DEMO_MODULE = "govlab.evaluation.demo"
SOLVER_PREFIX = f"{PREFIX}solver-"

COUNTRIES = [
    ("CO", "COP", "America/Bogota", ["es", "en"]),
    ("LU", "EUR", "Europe/Luxembourg", ["fr", "en"]),
    ("SE", "SEK", "Europe/Stockholm", ["sv", "en"]),
    ("PT", "EUR", "Europe/Lisbon", ["pt", "en"]),
    ("BE", "EUR", "Europe/Brussels", ["fr", "en"]),
    ("SI", "EUR", "Europe/Ljubljana", ["en"]),
    ("PY", "PYG", "America/Asuncion", ["es", "en"]),
    ("ES", "EUR", "Europe/Madrid", ["es", "en"]),
    ("FR", "EUR", "Europe/Paris", ["fr", "en"]),
    ("BR", "BRL", "America/Sao_Paulo", ["pt", "en"]),
]
# Words that make organisation names searchable in realistic ways (``/organisations/?q=data``).
NAME_PARTS = (
    ["Data", "Civic", "Open", "Smart", "Green", "Gov", "Health", "Urban", "Agro", "Fin", "Edu", "Geo"],
    ["Works", "Labs", "Systems", "Analytics", "Solutions", "Tech", "Hub", "Cloud", "Logic", "Vision"],
)
SOLVER_KINDS = [
    OrganisationKind.STARTUP,
    OrganisationKind.STARTUP,
    OrganisationKind.SME,
    OrganisationKind.SME,
    OrganisationKind.RESEARCH,
    OrganisationKind.LARGE_COMPANY,
    OrganisationKind.NGO,
]
PUBLIC_ENTITY_SHARE = 5  # one organisation in five is a public entity


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    challenges: str = "skipped"
    applications: str = "skipped"
    reviews: str = "skipped"

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _timed(report: LoadReport, name: str):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            report.seconds[name] = round(time.perf_counter() - self.start, 3)

    return Timer()


def lab_slug(index: int) -> str:
    return f"{PREFIX}lab-{index:03d}"


def organisation_slug(index: int) -> str:
    return f"{PREFIX}org-{index:05d}"


def person_email(index: int) -> str:
    return f"{PREFIX}person-{index:05d}@{EMAIL_DOMAIN}"


def solver_slug(index: int) -> str:
    return f"{SOLVER_PREFIX}{index:06d}"


def solver_email(index: int) -> str:
    return f"{solver_slug(index)}@{EMAIL_DOMAIN}"


def person_index(email: str) -> int:
    return int(email.split("@")[0].rsplit("-", 1)[1])


def _missing(wanted: list[str], existing) -> list[str]:
    have = set(existing)
    return [key for key in wanted if key not in have]


def _labs(count: int) -> int:
    slugs = [lab_slug(i) for i in range(1, count + 1)]
    missing = _missing(slugs, Lab.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    labs = []
    for slug in missing:
        index = int(slug.rsplit("-", 1)[1])
        country, currency, zone, languages = COUNTRIES[index % len(COUNTRIES)]
        labs.append(
            Lab(
                slug=slug,
                name=dict.fromkeys(languages, f"Load test lab {index}"),
                tagline={languages[0]: f"Synthetic lab number {index} for load tests"},
                about={"en": "Synthetic data made by generate_load_data."},
                languages=languages,
                country=country,
                currency=currency,
                time_zone=zone,
                jurisdiction="Synthetic",
            )
        )
    Lab.objects.bulk_create(labs, batch_size=BATCH)
    return len(labs)


def _organisations(count: int, rng: random.Random) -> int:
    slugs = [organisation_slug(i) for i in range(1, count + 1)]
    missing = _missing(slugs, Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if not missing:
        return 0
    labs = list(Lab.objects.filter(slug__startswith=PREFIX).order_by("slug").values_list("pk", "country"))
    terms: dict[str, list[int]] = {"sector": [], "technology": [], "sdg": []}
    for pk, vocabulary in Term.objects.filter(vocabulary__in=terms).values_list("pk", "vocabulary"):
        terms[vocabulary].append(pk)
    sizes = [size for size, _label in OrganisationSize.choices]
    organisations, lab_of = [], {}
    for slug in missing:
        index = int(slug.rsplit("-", 1)[1])
        is_entity = index % PUBLIC_ENTITY_SHARE == 1
        kind = OrganisationKind.PUBLIC_ENTITY if is_entity else rng.choice(SOLVER_KINDS)
        lab_pk, country = labs[index % len(labs)] if labs else (None, "CO")
        name = (
            f"Public agency {index}"
            if is_entity
            else f"{rng.choice(NAME_PARTS[0])}{rng.choice(NAME_PARTS[1])} {index}"
        )
        organisations.append(
            Organisation(
                slug=slug,
                name=name,
                kind=kind,
                helix_sector=DEFAULT_HELIX[kind],
                country=country,
                region=f"Region {index % 17}",
                size="" if is_entity else rng.choice(sizes),
                founded_year=None if is_entity else rng.randint(1990, 2025),
                description={"en": f"Synthetic organisation {index} made by generate_load_data."},
            )
        )
        lab_of[slug] = lab_pk
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    created = {org.slug: org.pk for org in Organisation.objects.filter(slug__in=missing).only("pk", "slug")}

    rows: dict[str, list] = {"labs": [], "sectors": [], "technologies": [], "sdgs": []}
    for organisation in organisations:
        pk = created[organisation.slug]
        if lab_of[organisation.slug]:
            rows["labs"].append(
                Organisation.labs.through(organisation_id=pk, lab_id=lab_of[organisation.slug])
            )
        for name, vocabulary, most in (
            ("sectors", "sector", 2),
            ("technologies", "technology", 3),
            ("sdgs", "sdg", 2),
        ):
            for term in rng.sample(terms[vocabulary], k=min(len(terms[vocabulary]), rng.randint(1, most))):
                rows[name].append(getattr(Organisation, name).through(organisation_id=pk, term_id=term))
    for name, items in rows.items():
        getattr(Organisation, name).through.objects.bulk_create(items, batch_size=BATCH)
    return len(organisations)


def _people(count: int, rng: random.Random) -> int:
    emails = [person_email(i) for i in range(1, count + 1)]
    missing = _missing(emails, User.objects.filter(email__in=emails).values_list("email", flat=True))
    if not missing:
        return 0
    password = make_password(PASSWORD)  # hashed once: every load-test person shares it
    User.objects.bulk_create(
        [
            User(email=email, full_name=f"Load Person {person_index(email)}", password=password)
            for email in missing
        ],
        batch_size=BATCH,
    )
    users = dict(User.objects.filter(email__in=missing).values_list("email", "pk"))
    labs = list(Lab.objects.filter(slug__startswith=PREFIX).order_by("slug").values_list("pk", flat=True))
    organisations = list(
        Organisation.objects.filter(slug__startswith=f"{PREFIX}org-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    lab_rows, org_rows = [], []
    roles = [LabRole.MANAGER, LabRole.STAFF, LabRole.EVALUATOR, LabRole.MENTOR]
    for email in missing:
        index = person_index(email)
        pk = users[email]
        # The first four people of each lab run it; everybody else belongs to an organisation.
        if labs and index <= len(labs) * len(roles):
            lab_rows.append(
                LabMembership(
                    lab_id=labs[(index - 1) % len(labs)], user_id=pk, role=roles[(index - 1) // len(labs)]
                )
            )
        elif organisations:
            organisation = organisations[index % len(organisations)]
            role = OrganisationRole.ADMIN if index % 3 == 0 else OrganisationRole.MEMBER
            org_rows.append(OrganisationMembership(organisation_id=organisation, user_id=pk, role=role))
    LabMembership.objects.bulk_create(lab_rows, batch_size=BATCH, ignore_conflicts=True)
    OrganisationMembership.objects.bulk_create(org_rows, batch_size=BATCH, ignore_conflicts=True)
    return len(missing)


# Solver profiles: what kinds, and words for their main solution and interests.
PROFILE_KINDS = [
    OrganisationKind.STARTUP,
    OrganisationKind.STARTUP,
    OrganisationKind.STARTUP,
    OrganisationKind.SME,
    OrganisationKind.SME,
    OrganisationKind.RESEARCH,
    OrganisationKind.FREELANCER,
    OrganisationKind.STUDENT_TEAM,
    OrganisationKind.NGO,
    OrganisationKind.LARGE_COMPANY,
]
SOLUTION_WORDS = (
    ["document reading", "chatbot", "risk scoring", "route planning", "sensor network", "open data portal"],
    ["for permits", "for health centres", "for schools", "for tax offices", "for water utilities"],
)


def _solvers(count: int, rng: random.Random) -> int:
    """Solver organisations with a full profile and one member each (who applies for it)."""
    slugs = [solver_slug(i) for i in range(1, count + 1)]
    missing = _missing(slugs, Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if not missing:
        return 0
    labs = list(Lab.objects.filter(slug__startswith=PREFIX).order_by("slug").values_list("pk", "country"))
    terms: dict[str, list[int]] = {"sector": [], "technology": []}
    for pk, vocabulary in Term.objects.filter(vocabulary__in=terms).values_list("pk", "vocabulary"):
        terms[vocabulary].append(pk)
    sizes = [size for size, _label in OrganisationSize.choices]
    password = make_password(PASSWORD)
    for start in range(0, len(missing), BATCH * 5):
        chunk = missing[start : start + BATCH * 5]
        organisations, lab_of = [], {}
        for slug in chunk:
            index = int(slug.rsplit("-", 1)[1])
            kind = rng.choice(PROFILE_KINDS)
            lab_pk, country = labs[index % len(labs)] if labs else (None, "CO")
            what, where = rng.choice(SOLUTION_WORDS[0]), rng.choice(SOLUTION_WORDS[1])
            organisations.append(
                Organisation(
                    slug=slug,
                    name=f"{rng.choice(NAME_PARTS[0])}{rng.choice(NAME_PARTS[1])} solver {index}",
                    kind=kind,
                    helix_sector=DEFAULT_HELIX[kind],
                    country=country,
                    region=f"Region {index % 17}",
                    size=rng.choice(sizes),
                    founded_year=rng.randint(1995, 2025),
                    description={"en": f"Synthetic solver {index} made by generate_load_data."},
                    main_solution={"en": f"A {what} {where}."},
                    trl=rng.randint(2, 9),
                    interests={"en": f"Calls about {what} {where}."},
                )
            )
            lab_of[slug] = lab_pk
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        created = dict(Organisation.objects.filter(slug__in=chunk).values_list("slug", "pk"))
        User.objects.bulk_create(
            [
                User(email=f"{slug}@{EMAIL_DOMAIN}", full_name=f"Solver {slug[-6:]}", password=password)
                for slug in chunk
            ],
            batch_size=BATCH,
        )
        users = dict(
            User.objects.filter(email__in=[f"{slug}@{EMAIL_DOMAIN}" for slug in chunk]).values_list(
                "email", "pk"
            )
        )
        memberships, lab_rows, sectors, technologies = [], [], [], []
        for slug in chunk:
            pk = created[slug]
            memberships.append(
                OrganisationMembership(
                    organisation_id=pk, user_id=users[f"{slug}@{EMAIL_DOMAIN}"], role=OrganisationRole.ADMIN
                )
            )
            if lab_of[slug]:
                lab_rows.append(Organisation.labs.through(organisation_id=pk, lab_id=lab_of[slug]))
            for term in rng.sample(terms["sector"], k=min(len(terms["sector"]), rng.randint(1, 2))):
                sectors.append(Organisation.sectors.through(organisation_id=pk, term_id=term))
            for term in rng.sample(terms["technology"], k=min(len(terms["technology"]), rng.randint(1, 3))):
                technologies.append(Organisation.technologies.through(organisation_id=pk, term_id=term))
        OrganisationMembership.objects.bulk_create(memberships, batch_size=BATCH, ignore_conflicts=True)
        Organisation.labs.through.objects.bulk_create(lab_rows, batch_size=BATCH)
        Organisation.sectors.through.objects.bulk_create(sectors, batch_size=BATCH)
        Organisation.technologies.through.objects.bulk_create(technologies, batch_size=BATCH)
    return len(missing)


def _applications(count: int, seed: int) -> str:
    try:
        module = importlib.import_module(CALLS_DEMO_MODULE)
    except ModuleNotFoundError as error:
        if error.name != CALLS_DEMO_MODULE:
            raise
        return "skipped: govlab.calls.demo does not exist"
    labs = list(Lab.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    solvers = list(
        OrganisationMembership.objects.filter(organisation__slug__startswith=SOLVER_PREFIX)
        .order_by("organisation__slug")
        .values_list("organisation_id", "user_id")
    )
    return str(module.generate(count=count, labs=labs, solvers=solvers, seed=seed))


def _challenges(count: int, seed: int) -> str:
    try:
        module = importlib.import_module(CHALLENGES_DEMO_MODULE)
    except ModuleNotFoundError as error:
        if error.name != CHALLENGES_DEMO_MODULE:
            raise
        return "skipped: govlab.challenges.demo does not exist"
    generate = getattr(module, "generate", None)
    if generate is None:
        return "skipped: govlab.challenges.demo has no generate()"
    from govlab.challenges.models import Challenge

    existing = Challenge.objects.filter(lab__slug__startswith=PREFIX).count()
    if existing >= count:
        return f"{existing} already there"
    labs = list(Lab.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    entities = list(
        Organisation.objects.filter(slug__startswith=PREFIX, kind=OrganisationKind.PUBLIC_ENTITY).order_by(
            "slug"
        )
    )
    # generate() adds as many as asked: ask only for the missing ones, so a second run adds nothing.
    result = generate(count=count - existing, labs=labs, entities=entities, seed=seed + existing)
    return f"generate() returned {result!r}"


def _reviews(count: int, seed: int) -> str:
    try:
        module = importlib.import_module(EVALUATION_DEMO_MODULE)
    except ModuleNotFoundError as error:
        if error.name != EVALUATION_DEMO_MODULE:
            raise
        return "skipped: govlab.evaluation.demo does not exist"
    return str(module.generate(count=count, seed=seed))


def _delete_evaluations() -> dict[str, int]:
    """The load calls' evaluations (they protect applications, evaluators and their people)."""
    try:
        from govlab.evaluation import models as evaluation
    except ImportError:  # pragma: no cover - the evaluation app is part of the project
        return {}
    mine = {"application__call__lab__slug__startswith": PREFIX}
    deleted = {}
    deleted["reviews"] = evaluation.Review.objects.filter(**mine).delete()[0]
    deleted["assignments"] = evaluation.Assignment.objects.filter(**mine).delete()[0]
    deleted["declarations"] = evaluation.ConflictDeclaration.objects.filter(**mine).delete()[0]
    for model in (evaluation.ConsensusScore, evaluation.PreselectionDecision, evaluation.FeedbackLetter):
        model.objects.filter(**mine).delete()
    deleted["evaluators"] = evaluation.Evaluator.objects.filter(call__lab__slug__startswith=PREFIX).delete()[
        0
    ]
    return deleted


def reset() -> dict[str, int]:
    """Delete everything ``generate`` made (challenges of the load labs first: they protect their lab)."""
    deleted: dict[str, int] = {}
    with transaction.atomic():
        try:
            from govlab.challenges.models import Challenge
        except ImportError:  # pragma: no cover - the challenges app is part of the project
            Challenge = None
        from govlab.calls.models import Application, Call

        # Evaluations protect their applications and evaluators; applications their call, challenge,
        # organisation and people: they go first.
        deleted.update(_delete_evaluations())
        deleted["applications"] = Application.objects.filter(call__lab__slug__startswith=PREFIX).delete()[0]
        deleted["calls"] = Call.objects.filter(lab__slug__startswith=PREFIX).delete()[0]
        if Challenge is not None:
            deleted["challenges"] = Challenge.objects.filter(lab__slug__startswith=PREFIX).delete()[0]
        deleted["people"] = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()[0]
        deleted["organisations"] = Organisation.objects.filter(slug__startswith=PREFIX).delete()[0]
        deleted["labs"] = Lab.objects.filter(slug__startswith=PREFIX).delete()[0]
    return deleted


def generate(
    *,
    labs: int = 20,
    organisations: int = 2000,
    people: int | None = None,
    challenges: int = 10000,
    solvers: int = 0,
    applications: int = 0,
    reviews: int = 0,
    seed: int = 2026,
) -> LoadReport:
    """Make (or complete) the synthetic installation; returns what was created and how long each part took."""
    if people is None:
        people = organisations
    rng = random.Random(seed)
    report = LoadReport()
    with transaction.atomic():
        with _timed(report, "labs"):
            report.created["labs"] = _labs(labs)
        with _timed(report, "organisations"):
            report.created["organisations"] = _organisations(organisations, rng)
        with _timed(report, "people"):
            report.created["people"] = _people(people, rng)
        if solvers:
            with _timed(report, "solvers"):
                report.created["solvers"] = _solvers(solvers, rng)
    with _timed(report, "challenges"):
        report.challenges = _challenges(challenges, seed) if challenges else "skipped: --challenges 0"
    if applications:
        with _timed(report, "applications"):
            report.applications = _applications(applications, seed)
    else:
        report.applications = "skipped: --applications 0"
    if reviews:
        with _timed(report, "reviews"):
            report.reviews = _reviews(reviews, seed)
    else:
        report.reviews = "skipped: --reviews 0"
    return report
