"""Demo data for calls: the seeds' calls for solutions (``load``) and synthetic volume (``generate``).

``load()`` works on top of the labs, organisations and challenges the other demo loaders made (it skips a
call whose lab or challenges are missing). Through the services, so the audit log and the receipts are
real, it:

1. completes the solver profiles of the demo's solvers and adds the solver kinds the seeds name (a
   student team, freelancers, researchers, an NGO…), each with a contact person who can sign in;
2. takes MiLAB's two challenges that are not ready yet through their characterisation to "ready for a
   call" (the challenge services, as the lab and the entity would);
3. creates each call (weighted criteria with labelled scales, the timeline, the application form),
   publishes it (its challenges move to "in a call"), asks and answers its public questions, and makes
   the applications: drafts, and submissions through ``application_submit`` (a revision with a receipt
   that ``receipts.verify`` accepts).

Time: the MiLAB 2026 call is open, its deadline a few days after the moment of loading; MiLAB's 2025
cohort call has calendar dates in 2025. The closed calls are made as they would have been while open:
they are published with a provisional deadline (without the later dates that would already be past),
the submissions are stamped with the instant they "arrived" (``received_at``, before the real deadline,
as the middleware stamps a request), then the call's deadline and later dates are moved to their real
dates with a direct update (the service refuses to move a published deadline earlier). Timestamps that
only say when something happened (publication, questions, when an application was started and
submitted) are then set to the story's dates with plain updates: they are not part of any receipt's
hash.

It is idempotent: a call already there (same lab and short name) is left alone, solver organisations and
people are found by slug and e-mail, and profile fields are filled only while empty, so a second run
writes nothing, not even audit entries.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from govlab.challenges import services as challenge_services
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, LegalRegime
from govlab.labs.models import Lab, LabMembership
from govlab.organisations import services as organisation_services
from govlab.organisations.models import Organisation, OrganisationMembership
from govlab.taxonomy.models import Term

from . import services
from .demo_data import APPLICATIONS, CALLS, CONTACTS, FOUNDER, NEW_SOLVERS, PROFILES, READINESS
from .enums import ApplicationStatus, QuestionKind, Stage
from .models import Application, ApplicationRevision, Call, Enquiry

DEMO_PASSWORD = "govlab-demo-2026"  # noqa: S105 (the published demo password of the data contract)
ADMIN_EMAIL = "admin@govlab.example"
PROFILE_FIELDS = ("main_solution", "trl", "interests", "founded_year")
DECLARATIONS = {"eligibility": True, "terms": True, "truthful": True}
WORKSHEETS = ("problem_tree", "how_might_we", "needs_analysis")


class DemoDataError(RuntimeError):
    """The demo data does not pass the services' checks: a bug in govlab/calls/demo_data."""


# --- People and organisations --------------------------------------------------------------------


def _system():
    return get_user_model().objects.filter(email__iexact=ADMIN_EMAIL).first()


def contact_email(slug: str) -> str:
    """The demo e-mail of an organisation's contact person, e.g. carolina@firmaya.example."""
    if slug == FOUNDER[1]:
        return FOUNDER[0]
    full_name = CONTACTS[slug][0]
    first = next(word for word in full_name.split() if not word.endswith("."))
    return f"{slugify(first)}@{slug}.example"


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


def _split_profile(fields: dict) -> tuple[dict, dict]:
    """(fields the organisation services accept, profile fields they do not know yet)."""
    known = set(organisation_services.ORGANISATION_FIELDS) | set(organisation_services.ORGANISATION_M2M)
    accepted = {name: value for name, value in fields.items() if name in known}
    return accepted, {name: value for name, value in fields.items() if name not in known}


def _fill_profile(organisation: Organisation, profile: dict, system, created: Counter) -> None:
    """Set the profile fields that are still empty (so changes made while trying the demo survive)."""
    missing = {
        name: value
        for name, value in profile.items()
        if name in PROFILE_FIELDS and getattr(organisation, name) in (None, "", {})
    }
    if not missing:
        return
    accepted, rest = _split_profile(missing)
    if accepted:
        organisation_services.organisation_update(organisation=organisation, updated_by=system, **accepted)
    if rest:  # fields the organisation services do not take yet
        Organisation.objects.filter(pk=organisation.pk).update(**rest)
        for name, value in rest.items():
            setattr(organisation, name, value)
    created["profiles"] += 1


def _terms() -> dict[tuple[str, str], Term]:
    return {(term.vocabulary, term.code): term for term in Term.objects.all()}


def _new_solver(spec: dict, labs: dict[str, Lab], terms, system, created: Counter) -> Organisation | None:
    organisation = Organisation.objects.filter(slug=spec["slug"]).first()
    if organisation is not None:
        return organisation
    if any(slug not in labs for slug in spec["labs"]):
        return None
    fields = {
        name: spec[name]
        for name in ("slug", "name", "kind", "country", "region", "size", "founded_year", "description")
        if spec.get(name) not in (None, "")
    }
    fields["labs"] = [labs[slug] for slug in spec["labs"]]
    for name, vocabulary in (("sectors", "sector"), ("technologies", "technology"), ("sdgs", "sdg")):
        fields[name] = [
            terms[(vocabulary, code)] for code in spec.get(name, []) if (vocabulary, code) in terms
        ]
    profile = {name: spec[name] for name in ("main_solution", "trl", "interests") if spec.get(name)}
    accepted, rest = _split_profile(profile)
    organisation = organisation_services.organisation_create(
        created_by=system, make_admin=False, **fields, **accepted
    )
    if rest:
        Organisation.objects.filter(pk=organisation.pk).update(**rest)
        organisation.refresh_from_db()
    created["organisations"] += 1
    return organisation


def _contact(organisation: Organisation, system, created: Counter):
    """The organisation's contact person (a member who can sign in), made when missing."""
    email = contact_email(organisation.slug)
    full_name, language, job_title = CONTACTS[organisation.slug]
    lab = organisation.labs.order_by("pk").first()
    user = _person(email, full_name, language, lab.time_zone if lab else "UTC", created)
    if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        organisation_services.organisation_membership_add(
            organisation=organisation, user=user, role="admin", added_by=system, job_title=job_title
        )
        created["memberships"] += 1
    return user


def load_solvers(labs: dict[str, Lab], system, created: Counter) -> dict[str, Organisation]:
    """The applying organisations by slug, with their profiles and contact people."""
    terms = _terms()
    organisations: dict[str, Organisation] = {}
    with transaction.atomic():
        for spec in NEW_SOLVERS:
            organisation = _new_solver(spec, labs, terms, system, created)
            if organisation is not None:
                _fill_profile(organisation, spec, system, created)
        existing = Organisation.objects.filter(slug__in=list(CONTACTS) + list(PROFILES))
        for organisation in existing:
            if organisation.slug in PROFILES:
                _fill_profile(organisation, PROFILES[organisation.slug], system, created)
            if organisation.slug in CONTACTS:
                _contact(organisation, system, created)
                organisations[organisation.slug] = organisation
    return organisations


# --- Challenges ------------------------------------------------------------------------------------


def _challenge(ref: tuple[str, str, str]) -> Challenge | None:
    lab_slug, owner_slug, title = ref
    return (
        Challenge.objects.filter(lab__slug=lab_slug, owner__slug=owner_slug, title__en=title)
        .select_related("lab", "owner")
        .first()
    )


def _lab_actor(lab: Lab, email: str):
    """The call's staff member; the lab's first manager or staff member if that person is not there."""
    user_model = get_user_model()
    user = user_model.objects.filter(
        email__iexact=email, lab_memberships__lab=lab, lab_memberships__role__in=["manager", "staff"]
    ).first()
    if user is not None:
        return user
    membership = (
        LabMembership.objects.filter(lab=lab, role__in=["manager", "staff"])
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _entity_person(challenge: Challenge, fallback):
    membership = (
        OrganisationMembership.objects.filter(organisation=challenge.owner)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else fallback


def make_ready(challenge: Challenge, spec: dict, *, lab_actor, entity_user) -> Challenge:
    """Complete the characterisation (challenge services) and move the challenge to "ready for a call"."""
    if challenge.status == ChallengeStatus.ACCEPTED:
        challenge_services.challenge_transition(
            challenge=challenge, target=ChallengeStatus.CHARACTERISING, actor=lab_actor
        )
    fields = {}
    if not challenge.technical_characteristics:
        fields["technical_characteristics"] = spec["technical"]
    if not challenge.required_functionalities:
        fields["required_functionalities"] = spec["functionalities"]
    if not challenge.expected_duration_months:
        fields["expected_duration_months"] = spec["duration"]
    if challenge.estimated_cost is None:
        fields["estimated_cost"] = Decimal(spec["cost"])
        fields["estimated_cost_currency"] = challenge.lab.currency
    if not challenge.legal_regime_id:
        regimes = list(LegalRegime.objects.filter(lab=challenge.lab).order_by("pk"))
        if regimes:
            fields["legal_regime"] = regimes[min(spec.get("regime", 0), len(regimes) - 1)]
    if not challenge.pilot_infrastructure_available:
        fields["pilot_infrastructure"] = spec["pilot"]
        fields["pilot_infrastructure_available"] = True
    if fields:
        challenge_services.challenge_characterise(challenge=challenge, updated_by=lab_actor, **fields)
    roles = set(challenge.team.values_list("role", flat=True))
    for role, name, job_title in spec["team"]:
        if role not in roles:
            challenge_services.team_member_add(
                challenge=challenge, added_by=entity_user, role=role, name=name, job_title=job_title
            )
    if not challenge.budget_confirmed_by_id:
        amount, source = spec["budget"]
        challenge_services.challenge_confirm_budget(
            challenge=challenge,
            confirmed_by=entity_user,
            amount=Decimal(amount),
            currency=challenge.lab.currency,
            source=source,
        )
    complete = set(challenge.worksheets.filter(is_complete=True).values_list("kind", flat=True))
    for kind in WORKSHEETS:
        if kind not in complete:
            challenge_services.worksheet_save(
                challenge=challenge,
                kind=kind,
                data=spec["worksheets"][kind],
                saved_by=entity_user,
                complete=True,
            )
    challenge_services.challenge_transition(
        challenge=challenge, target=ChallengeStatus.READY_FOR_CALL, actor=lab_actor
    )
    challenge.refresh_from_db()
    return challenge


# --- Calls -----------------------------------------------------------------------------------------


def _at_local_hour(moment: dt.datetime, zone: ZoneInfo, hour: int) -> dt.datetime:
    """The same local day as ``moment`` in ``zone``, at ``hour``:00 local time (as an aware datetime)."""
    day = timezone.localtime(moment, zone).date()
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def _moment(value, base: dt.datetime, zone: ZoneInfo, hour: int) -> dt.datetime:
    """A calendar date at ``hour``:00 local time, or ``base`` plus a number of days."""
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(hour), tzinfo=zone)
    return base + dt.timedelta(days=value)


def _day(value, base: dt.date) -> dt.date:
    """A calendar date, or ``base`` plus a number of days."""
    return value if isinstance(value, dt.date) else base + dt.timedelta(days=value)


def timeline(spec: dict, zone: ZoneInfo, now: dt.datetime) -> dict:
    """The call's dates for a demo loaded at ``now`` (see calls.py: offsets or calendar dates)."""
    hour = spec["deadline_hour"]
    deadline = _at_local_hour(_moment(spec["deadline"], now, zone, hour), zone, hour)
    last_day = deadline.date()
    start, end = spec["strengthening"]
    return {
        "publishes_at": _moment(spec["publishes"], now, zone, 9).replace(minute=0, second=0, microsecond=0),
        "enquiries_close_at": _moment(spec["enquiries_close"], deadline, zone, hour),
        "deadline": deadline,
        "evaluation_ends_at": _moment(spec["evaluation_ends"], deadline, zone, hour),
        "preselection_on": _day(spec["preselection"], last_day),
        "strengthening_starts_on": _day(start, last_day),
        "strengthening_ends_on": _day(end, last_day),
        "demo_day_on": _day(spec["demo_day"], last_day),
    }


AFTER_DEADLINE = (
    "evaluation_ends_at",
    "preselection_on",
    "strengthening_starts_on",
    "strengthening_ends_on",
    "demo_day_on",
)


def _before(value, deadline: dt.datetime, zone: ZoneInfo) -> bool:
    if isinstance(value, dt.datetime):
        return value <= deadline
    return value <= timezone.localtime(deadline, zone).date()


def _money(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _create_call(spec: dict, lab: Lab, challenges: list[Challenge], staff, dates: dict, *, is_open: bool):
    fields = dict(dates)
    if not is_open:
        # Published while it was open: a provisional deadline now, the real one (past) set afterwards,
        # with the dates after it that would already be past (a call of an earlier year).
        fields["deadline"] = timezone.now() + dt.timedelta(days=2)
        fields["enquiries_close_at"] = None
        for name in AFTER_DEADLINE:
            if fields[name] is not None and _before(
                fields[name], fields["deadline"], ZoneInfo(lab.time_zone)
            ):
                fields[name] = None
    call = services.call_create(
        lab=lab,
        created_by=staff,
        challenges=challenges,
        criteria=spec["criteria"],
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        description=spec["description"],
        eligible_kinds=spec["eligible_kinds"],
        eligible_countries=spec["eligible_countries"],
        min_trl=spec["min_trl"],
        consortium_allowed=spec["consortium_allowed"],
        max_preselected=spec["max_preselected"],
        currency=spec["currency"],
        strengthening_budget=_money(spec["strengthening_budget"]),
        pilot_budget=_money(spec["pilot_budget"]),
        support=spec["support"],
        time_zone=lab.time_zone,
        **fields,
    )
    for question in spec["questions"]:
        services.question_save(
            call=call,
            updated_by=staff,
            stage=Stage.PROPOSAL,
            key=question["key"],
            kind=question["kind"],
            label=question["label"],
            help_text=question.get("help_text"),
            required=question.get("required", False),
            config=question.get("config"),
        )
    call.refresh_from_db()
    return services.call_publish(call=call, published_by=staff)


def _enquiries(call: Call, spec: dict, people: dict, organisations: dict, staff) -> list[Enquiry]:
    made = []
    for item in spec["enquiries"]:
        organisation = organisations.get(item["asker"])
        if organisation is None:
            continue
        enquiry = services.enquiry_ask(
            call=call,
            asked_by=people[item["asker"]],
            question=item["question"],
            organisation=organisation,
        )
        made.append(
            services.enquiry_answer(
                enquiry=enquiry,
                answered_by=staff,
                answer=item["answer"],
                public_question=item["public_question"],
                publish=True,
            )
        )
    return made


def pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF (what a pitch deck upload looks like to the upload checks)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _answers(spec: dict, questions: dict, deadline: dt.datetime, zone: ZoneInfo) -> dict:
    answers = {}
    last_day = timezone.localtime(deadline, zone).date()
    for key, value in spec.get("answers", {}).items():
        if questions[key].kind == QuestionKind.DATE and isinstance(value, int):
            value = (last_day + dt.timedelta(days=value)).isoformat()
        answers[key] = value
    return answers


def _apply(call: Call, spec: dict, *, challenge, organisation, user, dates, questions, is_open, now):
    """One application through the services; returns (application, revision or None, received_at)."""
    application, _created = services.application_start(
        call=call, challenge=challenge, organisation=organisation, started_by=user
    )
    if spec.get("file"):
        key = next(q.key for q in questions.values() if q.kind == QuestionKind.FILE)
        name = f"{slugify(spec['answers']['solution_name'])}.pdf"
        services.application_upload(
            application=application,
            question_key=key,
            file=ContentFile(pdf_bytes(spec["answers"]["solution_name"]), name=name),
            uploaded_by=user,
        )
    submitted = spec["status"] == ApplicationStatus.SUBMITTED
    result = services.application_save(
        application=application,
        saved_by=user,
        answers=_answers(spec, questions, dates["deadline"], call.zone),
        partners=spec.get("partners", []),
        declarations=DECLARATIONS if submitted else {"eligibility": True},
    )
    if result.errors:
        raise DemoDataError(f"{organisation.slug} → {call.slug}: {result.errors}")
    if not submitted:
        return application, None, None
    anchor = now if is_open else dates["deadline"]
    # In UTC, as the middleware stamps it (the receipt's hash covers its ISO form).
    received_at = (anchor - dt.timedelta(hours=spec["hours"])).astimezone(dt.UTC)
    revision = services.application_submit(
        application=application, submitted_by=user, received_at=received_at
    )
    return application, revision, received_at


def _backdate(call: Call, dates: dict, enquiries: list[Enquiry], made: list[tuple], is_open: bool) -> None:
    """Set the "when it happened" timestamps to the story's dates (none is part of a receipt's hash)."""
    published = dates["publishes_at"]
    Call.objects.filter(pk=call.pk).update(published_at=published)
    for number, enquiry in enumerate(enquiries, start=1):
        asked = published + dt.timedelta(days=2 * number, hours=3)
        answered = asked + dt.timedelta(days=1)
        Enquiry.objects.filter(pk=enquiry.pk).update(
            created_at=asked, answered_at=answered, published_at=answered
        )
    for number, (application, revision, received_at) in enumerate(made):
        end = received_at or (timezone.now() if is_open else dates["deadline"])
        started = max(
            published + dt.timedelta(days=1, hours=number), end - dt.timedelta(days=6, hours=number)
        )
        if revision is None:
            changes = {"created_at": started}
            if not is_open:
                changes["updated_at"] = started + dt.timedelta(hours=2)
            Application.objects.filter(pk=application.pk).update(**changes)
            continue
        submitted = received_at + dt.timedelta(seconds=2)
        Application.objects.filter(pk=application.pk).update(
            created_at=started, updated_at=submitted, submitted_at=submitted
        )
        ApplicationRevision.objects.filter(pk=revision.pk).update(submitted_at=submitted)


def load_call(spec: dict, *, organisations: dict, people: dict, system, created: Counter) -> Call | None:
    """Create, publish and fill one call; None when it is already there or its prerequisites are not."""
    lab = Lab.objects.filter(slug=spec["lab"]).first()
    if lab is None:
        return None
    if Call.objects.filter(lab=lab, slug=spec["slug"]).exists():
        created["calls_skipped"] += 1
        return None
    challenges = [_challenge(ref) for ref in spec["challenges"]]
    staff = _lab_actor(lab, spec["staff"])
    if staff is None or any(challenge is None for challenge in challenges):
        return None
    for ref, challenge in zip(spec["challenges"], challenges, strict=True):
        if (
            challenge.status in (ChallengeStatus.ACCEPTED, ChallengeStatus.CHARACTERISING)
            and ref in READINESS
        ):
            make_ready(
                challenge, READINESS[ref], lab_actor=staff, entity_user=_entity_person(challenge, system)
            )
        if challenge.status != ChallengeStatus.READY_FOR_CALL:
            return None  # someone moved it while trying the demo: leave this call out
    now = timezone.now()
    is_open = spec["state"] == "open"
    dates = timeline(spec, ZoneInfo(lab.time_zone), now)
    call = _create_call(spec, lab, challenges, staff, dates, is_open=is_open)
    enquiries = _enquiries(call, spec, people, organisations, staff)
    questions = {question.key: question for question in call.questions.filter(stage=Stage.PROPOSAL)}
    by_ref = dict(zip(spec["challenges"], challenges, strict=True))
    made = []
    for item in APPLICATIONS:
        if item["call"] != spec["slug"] or item["org"] not in organisations:
            continue
        made.append(
            _apply(
                call,
                item,
                challenge=by_ref[item["challenge"]],
                organisation=organisations[item["org"]],
                user=people[item["org"]],
                dates=dates,
                questions=questions,
                is_open=is_open,
                now=now,
            )
        )
    if not is_open:
        # The story's real (past) deadline. A lab cannot move a published deadline earlier (the service
        # refuses: applicants rely on it), so the demo writes its history directly.
        Call.objects.filter(pk=call.pk).update(
            deadline=dates["deadline"],
            enquiries_close_at=dates["enquiries_close_at"],
            **{name: dates[name] for name in AFTER_DEADLINE},
        )
        call.refresh_from_db()
    _backdate(call, dates, enquiries, made, is_open)
    created["calls"] += 1
    created["enquiries"] += len(enquiries)
    created["applications"] += len(made)
    created["submitted"] += sum(1 for _application, revision, _at in made if revision is not None)
    return call


def load() -> dict[str, int]:
    """Load the demo calls; returns how many of each thing were created (a second run creates nothing)."""
    created: Counter = Counter()
    system = _system()
    labs = {lab.slug: lab for lab in Lab.objects.filter(slug__in={spec["lab"] for spec in CALLS})}
    organisations = load_solvers(labs, system, created)
    people = {slug: get_user_model().objects.get(email__iexact=contact_email(slug)) for slug in organisations}
    for spec in CALLS:
        with transaction.atomic():
            load_call(spec, organisations=organisations, people=people, system=system, created=created)
    load_follows(created)
    return dict(created)


# What the demo start-up's founder follows: MiLAB, a sector and a technology (follow is idempotent).
FOLLOWS = (
    ("founder@milab.example", "lab", "milab"),
    ("founder@milab.example", "sector", "digital-government"),
    ("founder@milab.example", "technology", "ai-ml"),
)


def load_follows(created: Counter) -> None:
    from govlab.taxonomy.models import Term

    from .models import Follow

    for email, kind, code in FOLLOWS:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if kind == "lab":
            target = Lab.objects.filter(slug=code).first()
        else:
            target = Term.objects.filter(vocabulary=kind, code=code).first()
        if user is None or target is None:
            continue
        before = Follow.objects.filter(user=user).count()
        services.follow(user=user, kind=kind, target=target)
        created["follows"] += Follow.objects.filter(user=user).count() - before


# --- Synthetic volume for load tests ---------------------------------------------------------------

LOAD_CALL_PREFIX = "load-call-"
LOAD_REFERENCE_PREFIX = "LOAD-APP-"
CHALLENGES_PER_LOAD_CALL = 3
LOAD_BATCH = 5000
# Out of 20 applications: 12 submitted (one revision each), 7 drafts, 1 withdrawn.
LOAD_STATES = (
    [ApplicationStatus.SUBMITTED] * 12 + [ApplicationStatus.DRAFT] * 7 + [ApplicationStatus.WITHDRAWN]
)
LOAD_QUESTIONS = [
    ("solution_name", QuestionKind.SHORT_TEXT, {"en": "Name of the solution"}, True, {"max_length": 200}),
    ("summary", QuestionKind.LONG_TEXT, {"en": "Summary"}, True, {"max_length": 3000}),
    ("price", QuestionKind.MONEY, {"en": "Price of the pilot"}, True, {"currency": "EUR", "min": "0"}),
    ("team_size", QuestionKind.NUMBER, {"en": "People in the team"}, False, {"integer": True, "min": "1"}),
]
LOAD_SCALE = [
    {"value": v, "label": {"en": label}} for v, label in enumerate(["Poor", "Fair", "Good", "Excellent"])
]


def _load_calls(labs, now: dt.datetime, rng: random.Random) -> None:
    """Calls for the load labs' challenges that are ready for one (or already in one without a call)."""
    from .models import CallCriterion, FormQuestion

    challenges = list(
        Challenge.objects.filter(
            lab__in=labs, status__in=[ChallengeStatus.READY_FOR_CALL, ChallengeStatus.IN_CALL]
        )
        .exclude(calls__slug__startswith=LOAD_CALL_PREFIX)
        .order_by("lab_id", "pk")
        .values_list("pk", "lab_id")
    )
    if not challenges:
        return
    zones = {lab.pk: (lab.time_zone, lab.currency) for lab in labs}
    taken = Call.objects.filter(slug__startswith=LOAD_CALL_PREFIX).count()
    groups: list[tuple[int, list[int]]] = []
    for pk, lab_id in challenges:
        if groups and groups[-1][0] == lab_id and len(groups[-1][1]) < CHALLENGES_PER_LOAD_CALL:
            groups[-1][1].append(pk)
        else:
            groups.append((lab_id, [pk]))
    calls = []
    for number, (lab_id, _pks) in enumerate(groups, start=taken + 1):
        # Two calls in three are closed; the others close within the next month.
        closes = now + dt.timedelta(days=rng.randint(-400, -1) if number % 3 else rng.randint(1, 30))
        closes = closes.replace(minute=0, second=0, microsecond=0)
        zone, currency = zones[lab_id]
        calls.append(
            Call(
                lab_id=lab_id,
                slug=f"{LOAD_CALL_PREFIX}{number:05d}",
                title={"en": f"Load call {number}"},
                summary={"en": f"Synthetic call {number} made by generate_load_data."},
                status="published",
                time_zone=zone,
                currency=currency,
                publishes_at=closes - dt.timedelta(days=60),
                published_at=closes - dt.timedelta(days=60),
                enquiries_close_at=closes - dt.timedelta(days=7),
                deadline=closes,
                form_version=1,
            )
        )
    Call.objects.bulk_create(calls, batch_size=1000)
    by_slug = dict(Call.objects.filter(slug__in=[c.slug for c in calls]).values_list("slug", "pk"))
    links, questions, criteria = [], [], []
    for call, (_lab_id, pks) in zip(calls, groups, strict=True):
        call_id = by_slug[call.slug]
        links += [Call.challenges.through(call_id=call_id, challenge_id=pk) for pk in pks]
        for position, (key, kind, label, required, config) in enumerate(LOAD_QUESTIONS, start=1):
            questions.append(
                FormQuestion(
                    call_id=call_id,
                    stage=Stage.PROPOSAL,
                    key=key,
                    kind=kind,
                    label=label,
                    required=required,
                    config=config,
                    position=position,
                )
            )
        for position, (name, weight) in enumerate((("Fit", "50"), ("Innovation", "30"), ("Team", "20"))):
            criteria.append(
                CallCriterion(
                    call_id=call_id,
                    name={"en": name},
                    weight=Decimal(weight),
                    scale=LOAD_SCALE,
                    position=position,
                )
            )
    Call.challenges.through.objects.bulk_create(links, batch_size=2000)
    FormQuestion.objects.bulk_create(questions, batch_size=2000)
    CallCriterion.objects.bulk_create(criteria, batch_size=2000)
    Challenge.objects.filter(pk__in=[pk for pk, _lab in challenges]).update(status=ChallengeStatus.IN_CALL)


def load_receipt_code(reference: str) -> str:
    """A receipt number derived from the reference: deterministic and unique for synthetic revisions."""
    import hashlib

    from .receipts import RECEIPT_ALPHABET

    digest = hashlib.sha256(reference.encode()).digest()
    body = "".join(RECEIPT_ALPHABET[byte % len(RECEIPT_ALPHABET)] for byte in digest[:12])
    return f"R-{body[:4]}-{body[4:8]}-{body[8:]}"


def generate(*, count: int, labs, solvers: list[tuple[int, int]], seed: int = 0) -> str:
    """Bulk-insert synthetic applications (references ``LOAD-APP-NNNNNNN``) up to ``count`` in all.

    ``solvers`` are (organisation id, member's user id) pairs. The load labs' challenges that are ready
    for a call are put into calls (up to three per call, two calls in three already closed) and moved to
    "in a call"; application number n goes to challenge n mod C from solver (n div C + 7919·c) mod S, so a
    solver applies at most once per challenge and a later run with a larger count adds only the rest.
    Submitted ones get one revision whose receipt verifies (same content hash as the submit service).
    Written with bulk_create, without audit entries or notifications: it is test data.
    """
    from .receipts import build_content, content_hash

    labs = list(labs)
    existing = Application.objects.filter(reference__startswith=LOAD_REFERENCE_PREFIX).count()
    if existing >= count:
        return f"{existing} already there"
    if not solvers:
        return "skipped: no solver profiles (give --solvers)"
    rng = random.Random(seed + existing)  # noqa: S311 (synthetic data, not security)
    now = timezone.now()
    with transaction.atomic():
        _load_calls(labs, now, rng)
    pairs = list(
        Call.challenges.through.objects.filter(call__slug__startswith=LOAD_CALL_PREFIX, call__lab__in=labs)
        .order_by("challenge_id", "call_id")
        .values_list("call_id", "challenge_id")
    )
    if not pairs:
        return "skipped: no load challenge is ready for a call (give --challenges)"
    deadlines = dict(Call.objects.filter(slug__startswith=LOAD_CALL_PREFIX).values_list("pk", "deadline"))
    publications = dict(
        Call.objects.filter(slug__startswith=LOAD_CALL_PREFIX).values_list("pk", "publishes_at")
    )
    capacity = len(pairs) * len(solvers)
    target = min(count, capacity)
    taken = set()
    if existing:
        taken = set(
            Application.objects.filter(reference__startswith=LOAD_REFERENCE_PREFIX).values_list(
                "call_id", "challenge_id", "organisation_id"
            )
        )
    made = 0
    for start in range(existing + 1, target + 1, LOAD_BATCH):
        rows = []
        for number in range(start, min(start + LOAD_BATCH, target + 1)):
            index = (number - 1) % len(pairs)
            call_id, challenge_id = pairs[index]
            organisation_id, user_id = solvers[((number - 1) // len(pairs) + 7919 * index) % len(solvers)]
            if (call_id, challenge_id, organisation_id) in taken:
                continue
            taken.add((call_id, challenge_id, organisation_id))
            deadline = deadlines[call_id]
            status = LOAD_STATES[number % len(LOAD_STATES)]
            if deadline > now and status == ApplicationStatus.WITHDRAWN:
                status = ApplicationStatus.DRAFT
            started = publications[call_id] + dt.timedelta(hours=rng.randint(1, 1000))
            application = Application(
                call_id=call_id,
                challenge_id=challenge_id,
                organisation_id=organisation_id,
                stage=Stage.PROPOSAL,
                status=status,
                reference=f"{LOAD_REFERENCE_PREFIX}{number:07d}",
                answers={
                    "solution_name": f"Solution {number}",
                    "summary": f"Synthetic application {number}: what we propose and how we would pilot it.",
                    "price": str(rng.randint(5, 500) * 1000),
                    "team_size": str(rng.randint(1, 12)),
                },
                declarations=dict(DECLARATIONS) if status != ApplicationStatus.DRAFT else {},
                created_by_id=user_id,
            )
            if status == ApplicationStatus.SUBMITTED:
                latest = min(deadline, now)
                spread = max(60, int((latest - started).total_seconds()))
                application.received_at = latest - dt.timedelta(seconds=rng.randint(1, spread))
                application.submitted_at = application.received_at + dt.timedelta(seconds=1)
            elif status == ApplicationStatus.WITHDRAWN:
                application.withdrawn_at = min(deadline, now) - dt.timedelta(hours=rng.randint(1, 48))
            rows.append(application)
        with transaction.atomic():
            Application.objects.bulk_create(rows, batch_size=1000)
            if rows and rows[0].pk is None:  # databases that do not return the new keys
                ids = dict(
                    Application.objects.filter(reference__in=[a.reference for a in rows]).values_list(
                        "reference", "pk"
                    )
                )
                for application in rows:
                    application.pk = ids[application.reference]
            revisions = []
            for application in rows:
                if application.status != ApplicationStatus.SUBMITTED:
                    continue
                content = build_content(
                    application=application,
                    number=1,
                    answers=application.answers,
                    partners=[],
                    declarations=application.declarations,
                    received_at=application.received_at,
                    file_questions=set(),
                )
                revisions.append(
                    ApplicationRevision(
                        application_id=application.pk,
                        number=1,
                        answers=content["answers"],
                        partners=[],
                        declarations=content["declarations"],
                        form_version=1,
                        submitted_by_id=application.created_by_id,
                        received_at=application.received_at,
                        submitted_at=application.submitted_at,
                        content_hash=content_hash(content),
                        receipt_code=load_receipt_code(application.reference),
                    )
                )
            ApplicationRevision.objects.bulk_create(revisions, batch_size=1000)
        made += len(rows)
    note = "" if target == count else f" (capped at {capacity:,} = challenges in calls x solvers)"
    return f"{made} created, {existing + made} in all{note}"
