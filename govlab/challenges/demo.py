"""Demo data for challenges: the seeds' real cases (``load``) and synthetic volume (``generate``).

``load()`` finds the demo labs, entities and people by the contract's slugs and e-mails (creating the
public entities and the people who speak for them when missing), and takes each challenge through the
services to the state its story has reached, so the timeline and the audit log are real. It is
idempotent: a challenge already there (same lab, entity and title) is left alone, so a second run writes
nothing, not even audit entries.

``generate()`` bulk-inserts synthetic challenges for load tests, without audit entries or notifications.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from govlab.labs.models import Lab, LabMembership
from govlab.labs.services import lab_membership_add
from govlab.organisations.models import Organisation, OrganisationMembership
from govlab.organisations.services import organisation_create, organisation_membership_add
from govlab.taxonomy.models import Term

from . import services
from .demo_data import (
    CAMPAIGNS,
    CHALLENGES,
    ENTITIES,
    ENTITY_PEOPLE,
    LAB_ACTORS,
    LAB_MANAGERS,
    REGIMES,
    entity_person,
)
from .enums import ChallengeStatus as S
from .enums import WorksheetKind
from .models import Challenge, ChallengeTransition, IntakeCampaign, LegalRegime

DEMO_PASSWORD = "govlab-demo-2026"  # noqa: S105 (the published demo password of the data contract)
ADMIN_EMAIL = "admin@govlab.example"
TERM_KEYS = {"sdgs": "sdg", "sectors": "sector", "technologies": "technology", "themes": "thematic_area"}
REQUIRED_WORKSHEETS = (WorksheetKind.PROBLEM_TREE, WorksheetKind.HOW_MIGHT_WE, WorksheetKind.NEEDS_ANALYSIS)


# --- People and organisations --------------------------------------------------------------------


def _person(email: str, full_name: str, language: str):
    """The demo person with this e-mail, created (password set, e-mail verified) when missing."""
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, preferred_language=language
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def _system_actor():
    return get_user_model().objects.filter(email__iexact=ADMIN_EMAIL).first()


def _lab_manager(lab: Lab, system):
    email, full_name, language = LAB_MANAGERS[lab.slug]
    user = _person(email, full_name, language)
    if not LabMembership.objects.filter(lab=lab, user=user, role="manager").exists():
        lab_membership_add(lab=lab, user=user, role="manager", added_by=system)
    return user


def _lab_actor(lab: Lab, system):
    """Who acts for the lab in the demo: its staff member when the contract names one, else its manager."""
    user_model = get_user_model()
    for email in LAB_ACTORS.get(lab.slug, []):
        user = user_model.objects.filter(
            email__iexact=email, lab_memberships__lab=lab, lab_memberships__role__in=["manager", "staff"]
        ).first()
        if user is not None:
            return user
    return _lab_manager(lab, system)


def _entity(slug: str, labs: dict[str, Lab], system) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is not None:
        return organisation
    name, country, lab_slug = ENTITIES[slug]
    return organisation_create(
        created_by=system,
        make_admin=False,
        name=name,
        slug=slug,
        kind="public_entity",
        helix_sector="government",
        country=country,
        labs=[labs[lab_slug]] if lab_slug in labs else [],
    )


def _entity_member(organisation: Organisation, system):
    """The person who speaks for the entity in the demo, made a member when not one yet."""
    email = entity_person(organisation.slug)
    full_name, language, _entities = ENTITY_PEOPLE[email]
    user = _person(email, full_name, language)
    if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        first = not OrganisationMembership.objects.filter(organisation=organisation).exists()
        organisation_membership_add(
            organisation=organisation, user=user, role="admin" if first else "member", added_by=system
        )
    return user


# --- Campaigns and legal regimes -----------------------------------------------------------------


def _main(value: dict) -> tuple[str, str]:
    code = next(iter(value))
    return code, value[code]


def _regimes(lab: Lab, system) -> list[LegalRegime]:
    regimes = []
    for spec in REGIMES.get(lab.slug, []):
        code, text = _main(spec["name"])
        regime = LegalRegime.objects.filter(lab=lab, **{f"name__{code}": text}).first()
        if regime is None:
            regime = services.legal_regime_save(
                lab=lab,
                saved_by=system,
                name=spec["name"],
                description=spec.get("description") or {},
                source_url=spec.get("source_url", ""),
            )
        regimes.append(regime)
    return regimes


def _campaign(lab: Lab, actor) -> IntakeCampaign | None:
    spec = CAMPAIGNS.get(lab.slug)
    if spec is None:
        return None
    campaign = IntakeCampaign.objects.filter(lab=lab, slug=spec["slug"]).first()
    if campaign is not None:
        return campaign
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return services.campaign_create(
        lab=lab,
        created_by=actor,
        criteria=spec["criteria"],
        slug=spec["slug"],
        title=spec["title"],
        description=spec["description"],
        opens_at=now - dt.timedelta(days=45),
        closes_at=now + dt.timedelta(days=120),
        is_published=True,
    )


# --- Challenges --------------------------------------------------------------------------------------


def _terms(spec: dict, terms: dict) -> dict:
    related = {}
    for key, vocabulary in TERM_KEYS.items():
        found = [terms[(vocabulary, code)] for code in spec.get(key, []) if (vocabulary, code) in terms]
        if found:
            related["thematic_areas" if key == "themes" else key] = found
    return related


def _description(spec: dict, campaign, co_owners, terms) -> dict:
    fields = {
        "title": spec["title"],
        "problem_statement": spec["problem"],
        "campaign": campaign,
        "is_public": spec.get("public", False),
        "public_sections": spec.get("sections", []),
        "co_owners": co_owners,
        **_terms(spec, terms),
    }
    for key, name in (
        ("background", "background"),
        ("affected", "affected"),
        ("evidence", "evidence_quantitative"),
        ("outcomes", "desired_outcomes"),
        ("constraints", "constraints"),
        ("region", "region"),
        ("affected_count", "affected_count"),
    ):
        if key in spec:
            fields[name] = spec[key]
    if "lat" in spec:
        fields["latitude"], fields["longitude"] = Decimal(spec["lat"]), Decimal(spec["lng"])
    return fields


def _default_worksheets(spec: dict, owner: Organisation) -> dict:
    title = _main(spec["title"])[1]
    problem = _main(spec["problem"])[1]
    outcome = _main(spec["outcomes"])[1] if "outcomes" in spec else title
    effect = _main(spec["affected"])[1] if "affected" in spec else outcome
    return {
        WorksheetKind.PROBLEM_TREE: {"central_problem": title, "causes": [problem], "effects": [effect]},
        WorksheetKind.HOW_MIGHT_WE: {"statements": [outcome]},
        WorksheetKind.NEEDS_ANALYSIS: {"needs": [{"need": outcome, "who": owner.name, "priority": "1"}]},
    }


def _characterise(challenge, spec, *, lab, regimes, entity_user, lab_actor) -> None:
    fields = {}
    for key, name in (
        ("technical", "technical_characteristics"),
        ("functionalities", "required_functionalities"),
        ("duration", "expected_duration_months"),
        ("pilot", "pilot_infrastructure"),
        ("pilot_available", "pilot_infrastructure_available"),
    ):
        if key in spec:
            fields[name] = spec[key]
    if "cost" in spec:
        fields["estimated_cost"], fields["estimated_cost_currency"] = Decimal(spec["cost"]), lab.currency
    if "regime" in spec and regimes:
        fields["legal_regime"] = regimes[min(spec["regime"], len(regimes) - 1)]
    if fields:
        services.challenge_characterise(challenge=challenge, updated_by=lab_actor, **fields)
    for role, name, job_title in spec.get("team", []):
        services.team_member_add(
            challenge=challenge, added_by=entity_user, role=role, name=name, job_title=job_title
        )
    if "budget" in spec:
        amount, source = spec["budget"]
        services.challenge_confirm_budget(
            challenge=challenge,
            confirmed_by=entity_user,
            amount=Decimal(amount),
            currency=lab.currency,
            source=source,
        )
    worksheets = dict(spec.get("worksheets", {}))
    if spec["stage"] == S.READY_FOR_CALL:
        worksheets = {**_default_worksheets(spec, challenge.owner), **worksheets}
    incomplete = set(spec.get("incomplete_worksheets", []))
    for kind, data in worksheets.items():
        services.worksheet_save(
            challenge=challenge, kind=kind, data=data, saved_by=entity_user, complete=kind not in incomplete
        )


def _take_through(challenge, spec, *, lab, campaign, regimes, entity_user, lab_actor, manager) -> None:
    """Move the challenge along the pipeline, through the services, to ``spec["stage"]``."""
    stage = spec["stage"]

    def go(target, actor, **kwargs):
        services.challenge_transition(challenge=challenge, target=target, actor=actor, **kwargs)

    if stage == S.DRAFT:
        return
    go(S.SUBMITTED, entity_user)
    if stage == S.SUBMITTED:
        return
    go(S.IN_SCREENING, lab_actor)
    criteria = list(campaign.criteria.order_by("position", "pk")) if campaign else []
    answers = spec.get("assessments") or ["met"] * len(criteria)
    for criterion, answer in zip(criteria, answers, strict=False):
        services.challenge_assess_criterion(
            challenge=challenge, criterion=criterion, answer=answer, assessed_by=lab_actor
        )
    if "more_info" in spec:
        go(S.MORE_INFO_REQUESTED, lab_actor, reason=spec["more_info"])
        if stage == S.MORE_INFO_REQUESTED:
            return
        go(S.IN_SCREENING, entity_user)
    if stage == S.IN_SCREENING:
        return
    if stage == S.WITHDRAWN:
        go(S.WITHDRAWN, entity_user, reason=spec["withdraw"])
        return
    if stage == S.DECLINED:
        category, message = spec["decline"]
        go(S.DECLINED, lab_actor, reason=message, decline_reason=category)
        return
    go(S.ACCEPTED, lab_actor, reason=spec.get("accept_message", ""))
    if spec.get("priority"):
        services.challenge_set_priority(challenge=challenge, rank=spec["priority"], set_by=lab_actor)
    if stage == S.ACCEPTED:
        return
    go(S.CHARACTERISING, lab_actor)
    _characterise(challenge, spec, lab=lab, regimes=regimes, entity_user=entity_user, lab_actor=lab_actor)
    if stage == S.CHARACTERISING:
        return
    if stage == S.ABANDONED:
        go(S.ABANDONED, lab_actor, reason=spec["abandon"])
        return
    if "override" in spec:
        go(S.READY_FOR_CALL, manager, override_justification=spec["override"])
    else:
        go(S.READY_FOR_CALL, lab_actor)


def _exists(lab, owner, title: dict) -> bool:
    code, text = _main(title)
    return Challenge.objects.filter(lab=lab, owner=owner, **{f"title__{code}": text}).exists()


def load() -> dict[str, int]:
    """Load the demo challenges; returns how many were created and how many were already there."""
    system = _system_actor()
    labs = {lab.slug: lab for lab in Lab.objects.filter(slug__in=list(LAB_MANAGERS))}
    terms = {(term.vocabulary, term.code): term for term in Term.objects.all()}
    created = skipped = 0
    setup: dict[str, tuple] = {}
    for slug, lab in labs.items():
        with transaction.atomic():
            lab_actor = _lab_actor(lab, system)
            setup[slug] = (lab_actor, _campaign(lab, lab_actor), _regimes(lab, system))
    for spec in CHALLENGES:
        lab = labs.get(spec["lab"])
        if lab is None:
            continue
        lab_actor, campaign, regimes = setup[lab.slug]
        if spec.get("campaign", True) is False:
            campaign = None  # it came before the lab's current intake campaign
        with transaction.atomic():
            owner = _entity(spec["owner"], labs, system)
            if _exists(lab, owner, spec["title"]):
                skipped += 1
                continue
            co_owners = [_entity(slug, labs, system) for slug in spec.get("co_owners", [])]
            entity_user = _entity_member(owner, system)
            manager = _lab_manager(lab, system) if "override" in spec else lab_actor
            challenge = services.challenge_create(
                lab=lab,
                owner=owner,
                created_by=entity_user,
                **_description(spec, campaign, co_owners, terms),
            )
            _take_through(
                challenge,
                spec,
                lab=lab,
                campaign=campaign,
                regimes=regimes,
                entity_user=entity_user,
                lab_actor=lab_actor,
                manager=manager,
            )
            created += 1
    return {"created": created, "skipped": skipped}


# --- Synthetic volume for load tests ---------------------------------------------------------------

# A spread of states, weighted roughly like a busy installation.
STATE_WEIGHTS = {
    S.DRAFT: 10,
    S.SUBMITTED: 8,
    S.IN_SCREENING: 8,
    S.MORE_INFO_REQUESTED: 4,
    S.ACCEPTED: 10,
    S.CHARACTERISING: 15,
    S.READY_FOR_CALL: 20,
    S.IN_CALL: 8,
    S.DECLINED: 9,
    S.WITHDRAWN: 4,
    S.ABANDONED: 4,
}
_HIDDEN = {S.DRAFT, S.SUBMITTED, S.IN_SCREENING, S.MORE_INFO_REQUESTED, S.DECLINED, S.WITHDRAWN}
_WHAT = [
    ("Faster", "Trámites más rápidos de"),
    ("Digital", "Digitalización de"),
    ("Fairer", "Acceso más justo a"),
    ("Simpler", "Simplificación de"),
    ("Greener", "Sostenibilidad de"),
    ("Smarter", "Gestión inteligente de"),
]
_TOPIC = [
    ("permits", "permisos"),
    ("school meals", "alimentación escolar"),
    ("health appointments", "citas médicas"),
    ("waste collection", "recolección de residuos"),
    ("public transport", "transporte público"),
    ("emergency calls", "llamadas de emergencia"),
    ("tax returns", "declaraciones de impuestos"),
    ("social benefits", "prestaciones sociales"),
    ("water supply", "abastecimiento de agua"),
    ("procurement", "compras públicas"),
]


def _generator_user(entities):
    user_model = get_user_model()
    member = OrganisationMembership.objects.filter(organisation__in=entities).select_related("user").first()
    if member is not None:
        return member.user
    user = user_model.objects.order_by("pk").first()
    return user or _person("load-generator@govlab.example", "Load generator", "en")


def generate(*, count: int, labs, entities, seed: int = 0) -> int:
    """Bulk-insert ``count`` synthetic challenges spread over ``labs`` and ``entities``; returns ``count``.

    References are ``GEN<seed>-<number>``, continuing after the highest one already there, so several runs
    never collide. SDGs and sectors are linked through bulk inserts into the through tables.
    """
    labs, entities = list(labs), list(entities)
    if count <= 0:
        return 0
    if not labs or not entities:
        raise ValueError("generate() needs at least one lab and one public entity.")
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    creator = _generator_user(entities)
    prefix = f"GEN{seed}-"
    taken = Challenge.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    start = max((int(ref.rsplit("-", 1)[1]) for ref in taken if ref.rsplit("-", 1)[1].isdigit()), default=0)
    sdgs = list(Term.objects.filter(vocabulary="sdg").values_list("pk", flat=True))
    sectors = list(Term.objects.filter(vocabulary="sector").values_list("pk", flat=True))
    lab_ids_of = {
        entity.pk: set(entity.labs.values_list("pk", flat=True)) & {lab.pk for lab in labs}
        for entity in entities
    }
    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    now = timezone.now()
    rows = []
    for number in range(start + 1, start + count + 1):
        owner = entities[number % len(entities)]
        choices = [lab for lab in labs if lab.pk in lab_ids_of[owner.pk]] or labs
        lab = choices[number % len(choices)]
        status = rng.choices(states, weights)[0]
        what_en, what_es = rng.choice(_WHAT)
        topic_en, topic_es = rng.choice(_TOPIC)
        submitted = None if status == S.DRAFT else now - dt.timedelta(days=rng.randint(1, 900))
        challenge = Challenge(
            lab=lab,
            owner=owner,
            created_by=creator,
            status=status,
            reference=f"{prefix}{number:06d}",
            title={"en": f"{what_en} {topic_en} #{number}", "es": f"{what_es} {topic_es} n.º {number}"},
            problem_statement={
                "en": f"Our challenge is that {topic_en} take too long and cost too much.",
                "es": f"Nuestro reto es que {topic_es} toma demasiado tiempo y cuesta demasiado.",
            },
            country=owner.country or lab.country,
            is_public=status not in _HIDDEN and rng.random() < 0.85,
            submitted_at=submitted,
            status_changed_at=submitted or now,
        )
        challenge.search_text = challenge.build_search_text()
        rows.append(challenge)
    with transaction.atomic():
        Challenge.objects.bulk_create(rows, batch_size=500)
        if rows[0].pk is None:  # databases that do not return the new keys
            by_reference = dict(
                Challenge.objects.filter(reference__in=[c.reference for c in rows]).values_list(
                    "reference", "pk"
                )
            )
            for challenge in rows:
                challenge.pk = by_reference[challenge.reference]
        sdg_links, sector_links, steps = [], [], []
        for challenge in rows:
            for term_id in rng.sample(sdgs, k=min(len(sdgs), rng.randint(1, 3))):
                sdg_links.append(Challenge.sdgs.through(challenge_id=challenge.pk, term_id=term_id))
            for term_id in rng.sample(sectors, k=min(len(sectors), rng.randint(1, 2))):
                sector_links.append(Challenge.sectors.through(challenge_id=challenge.pk, term_id=term_id))
            steps.append(
                ChallengeTransition(
                    challenge_id=challenge.pk,
                    from_status="",
                    to_status=challenge.status,
                    created_at=challenge.status_changed_at,
                )
            )
        Challenge.sdgs.through.objects.bulk_create(sdg_links, batch_size=2000)
        Challenge.sectors.through.objects.bulk_create(sector_links, batch_size=2000)
        ChallengeTransition.objects.bulk_create(steps, batch_size=2000)
    return count


__all__ = ["generate", "load"]
