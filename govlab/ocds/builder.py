"""Compile a challenge's contracting process into OCDS release bodies, one per event, from its current state.

Each event is a ``Compiled(key, stage, date, tags, body)``: ``key`` names what it tells (``planning``,
``tender``, ``contract:<ref>``…), ``stage`` where it comes in the pipeline, ``date`` when it happened,
``body`` the release's sections (no ocid, id or date: ``publish.sync`` adds them). A release carries
only its own sections and the parties they name; the record's ``compiledRelease`` merges them
(``packages.compile_releases``).

Only what is public goes in (see docs/ocds.md, "What is never published"): the challenge only when it
is public and past screening; published calls; enquiries as worded by the lab (never the asker) with
their answer; bid statistics and the tenderer organisations' names, never answers, scores of reviewers
or evaluators' names; organisations only (never people, e-mails or phone numbers); public documents
only; never a contract's confidential notes. Texts are given in the lab's main language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from govlab.challenges.enums import HIDDEN_FROM_PUBLIC
from govlab.core.i18n import pick

UTC = dt.UTC


class Stage(IntEnum):
    """Where an event comes in the pipeline: on one day (in the lab's time zone) events keep this order
    whatever their recorded times, e.g. a contract dated by its signature day (local midnight) comes after
    its award and the Demo Day selection of that day."""

    PLANNING = 0
    TENDER = 1
    ENQUIRIES = 2
    PRESELECTION = 3
    PILOT = 4  # a paid pilot, or its signed pilot agreement
    PILOT_END = 5
    SELECTION = 6
    PROCUREMENT = 7
    AWARD = 8
    CONTRACT = 9
    AMENDMENT = 10
    MILESTONE = 11
    PAYMENT = 12
    TERMINATION = 13


@dataclass
class Compiled:
    key: str
    stage: Stage
    date: dt.datetime
    tags: list[str]
    body: dict = field(default_factory=dict)


# --- Formatting --------------------------------------------------------------------------------------


def iso(value) -> str | None:
    """An OCDS date-time: UTC with a Z."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_start(day: dt.date | None, zone: ZoneInfo) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def day_end(day: dt.date | None, zone: ZoneInfo) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)


def amount(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def money(value: Decimal | None, currency: str) -> dict | None:
    return None if value is None or not currency else {"amount": amount(value), "currency": currency}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def prune(value):
    """Drop empty values (None, "", [], {}) recursively: OCDS omits what is unknown."""
    if isinstance(value, dict):
        cleaned = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        cleaned = [prune(v) for v in value]
        return [v for v in cleaned if v not in (None, "", [], {})]
    return value


# --- Identifiers -------------------------------------------------------------------------------------


def ocid_for(prefix: str, challenge) -> str:
    return f"{prefix}-{challenge.reference}"


def org_id(organisation) -> str:
    return f"GOVLAB-ORG-{organisation.slug}"


def lab_party_id(lab) -> str:
    return f"GOVLAB-LAB-{lab.slug}"


class Parties:
    """The parties a release names, each with its roles (organisations only, never people)."""

    def __init__(self, context: Context):
        self.context = context
        self.items: dict[str, dict] = {}

    def add(self, organisation, *roles: str) -> dict:
        party_id = org_id(organisation)
        entry = self.items.setdefault(
            party_id,
            {
                "id": party_id,
                "name": organisation.name,
                "address": {"countryName": organisation.country.name if organisation.country else None},
                "roles": [],
            },
        )
        for role in roles:
            if role not in entry["roles"]:
                entry["roles"].append(role)
        return {"id": party_id, "name": organisation.name}

    def add_lab(self, *roles: str) -> dict:
        lab = self.context.lab
        party_id = lab_party_id(lab)
        name = self.context.text(lab.name)
        entry = self.items.setdefault(
            party_id,
            {
                "id": party_id,
                "name": name,
                "address": {"countryName": lab.country.name if lab.country else None},
                "roles": [],
            },
        )
        for role in roles:
            if role not in entry["roles"]:
                entry["roles"].append(role)
        return {"id": party_id, "name": name}

    def as_list(self) -> list[dict]:
        return list(self.items.values())


class Context:
    def __init__(self, challenge):
        self.challenge = challenge
        self.lab = challenge.lab
        self.language = self.lab.main_language
        self.zone = ZoneInfo(self.lab.time_zone or "UTC")
        self.now = timezone.now()

    def text(self, value) -> str:
        return pick(value, self.language, preferred=self.lab.languages).text

    def at(self, moment: dt.datetime | None) -> dt.datetime | None:
        """An event's date, never in the future (a release tells what has happened)."""
        if moment is None:
            return None
        return min(moment, self.now)


def is_publishable(challenge) -> bool:
    return (
        bool(challenge.is_public) and challenge.status not in HIDDEN_FROM_PUBLIC and challenge.lab.is_active
    )


# --- The events ----------------------------------------------------------------------------------------


def _base(ctx: Context, parties: Parties, **sections) -> dict:
    body = {
        "initiationType": "tender",
        "language": ctx.language,
        "title": ctx.text(ctx.challenge.title) or ctx.challenge.reference,
        "buyer": parties.add(ctx.challenge.owner, "buyer"),
    }
    body.update(sections)
    body["parties"] = parties.as_list()
    return prune(body)


def _planning(ctx: Context) -> Compiled:
    challenge = ctx.challenge
    parties = Parties(ctx)
    parties.add_lab("procuringEntity")
    budget = None
    if challenge.budget_confirmed_at and challenge.budget_amount is not None:
        budget = {"amount": money(challenge.budget_amount, challenge.budget_currency)}
    with translation.override(ctx.language):
        page = absolute(reverse("challenges:detail", args=[challenge.reference]))
    planning = {
        "rationale": ctx.text(challenge.problem_statement),
        "budget": budget,
        "documents": [
            {
                "id": f"{challenge.reference}-statement",
                "documentType": "needsAssessment",
                "title": ctx.text(challenge.title) or challenge.reference,
                "url": page,
                "format": "text/html",
                "language": ctx.language,
            }
        ],
    }
    date = challenge.submitted_at or challenge.created_at
    return Compiled(
        "planning", Stage.PLANNING, ctx.at(date), ["planning"], _base(ctx, parties, planning=planning)
    )


def _call_for(ctx: Context):
    from govlab.calls.models import Call

    return (
        Call.objects.visible(ctx.now)
        .filter(challenges=ctx.challenge)
        .select_related("lab")
        .prefetch_related("criteria", "documents")
        .order_by("publishes_at", "pk")
        .first()
    )


def _tender_id(call) -> str:
    return f"CALL-{call.lab.slug}-{call.slug}"[:120]


def _criteria(ctx: Context, call) -> list[dict]:
    requirements = []
    for criterion in call.criteria.all():
        values = [
            level.get("value")
            for level in (criterion.scale or [])
            if isinstance(level.get("value"), int | float)
        ]
        description = ctx.text(criterion.description)
        weight = f"Weight: {amount(criterion.weight)}."
        requirements.append(
            {
                "id": f"REQ-{criterion.pk}",
                "title": ctx.text(criterion.name) or f"Criterion {criterion.position}",
                "description": f"{description} {weight}".strip(),
                "dataType": "number",
                "minValue": min(values) if values else None,
                "maxValue": max(values) if values else None,
            }
        )
    if not requirements:
        return []
    return [
        {
            "id": "CR-PRESELECTION",
            "title": "Preselection criteria",
            "description": "Weighted criteria on which the applications are scored for preselection.",
            "relatesToTenderer": False,
            "requirementGroups": [{"id": "RG-PRESELECTION", "requirements": requirements}],
        }
    ]


def _tender(ctx: Context, call, parties: Parties) -> Compiled:
    with translation.override(ctx.language):
        page = absolute(reverse("calls:detail", args=[call.lab.slug, call.slug]))
        documents = [
            {
                "id": f"CALL-DOC-{call.pk}",
                "documentType": "tenderNotice",
                "title": ctx.text(call.title),
                "url": page,
                "format": "text/html",
                "datePublished": iso(call.publishes_at),
            }
        ]
        for document in call.documents.all():
            documents.append(
                {
                    "id": f"CALL-DOC-{call.pk}-{document.pk}",
                    "documentType": "biddingDocuments",
                    "title": ctx.text(document.title) or "Call document",
                    "url": absolute(reverse("calls:document", args=[call.lab.slug, call.slug, document.pk])),
                    "datePublished": iso(call.publishes_at),
                }
            )
    cancelled = call.status == "cancelled"
    tender = {
        "id": _tender_id(call),
        "title": ctx.text(call.title),
        "description": ctx.text(call.summary),
        "status": "cancelled" if cancelled else "active",
        "procuringEntity": parties.add_lab("procuringEntity"),
        "procurementMethod": "selective",
        "procurementMethodDetails": (
            "Innovation call: an open call for solutions, preselection of up to "
            f"{call.max_preselected} solvers per challenge, pilots and a Demo Day selection."
        ),
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": page,
        "tenderPeriod": {"startDate": iso(call.publishes_at), "endDate": iso(call.deadline)},
        "enquiryPeriod": {
            "startDate": iso(call.publishes_at),
            "endDate": iso(call.enquiries_close_at or call.deadline),
        },
        "secondStage": {"minimumCandidates": 1, "maximumCandidates": call.max_preselected},
        "criteria": _criteria(ctx, call),
        "documents": documents,
    }
    return Compiled(
        "tender", Stage.TENDER, ctx.at(call.publishes_at), ["tender"], _base(ctx, parties, tender=tender)
    )


def _enquiries(ctx: Context, call, parties: Parties) -> Compiled | None:
    published = [
        enquiry
        for enquiry in call.enquiries.filter(is_published=True).order_by("published_at", "pk")
        if ctx.text(enquiry.public_question)  # only the question as the lab worded it is ever published
    ]
    if not published:
        return None
    enquiries = [
        {
            "id": f"Q-{enquiry.pk}",
            "date": iso(enquiry.published_at or enquiry.answered_at),
            "description": ctx.text(enquiry.public_question),
            "answer": ctx.text(enquiry.answer),
            "dateAnswered": iso(enquiry.answered_at),
        }
        for enquiry in published
    ]
    date = max(e.published_at or e.answered_at or call.publishes_at for e in published)
    tender = {"id": _tender_id(call), "hasEnquiries": True, "enquiries": enquiries}
    return Compiled(
        "enquiries", Stage.ENQUIRIES, ctx.at(date), ["tenderUpdate"], _base(ctx, parties, tender=tender)
    )


def _bids(ctx: Context, call, parties: Parties) -> Compiled | None:
    """Preselection: bid statistics and the submitted applications' organisations, nothing they wrote."""
    from govlab.calls.models import Application

    applications = list(
        Application.objects.filter(call=call, challenge=ctx.challenge, submitted_at__isnull=False)
        .exclude(status="draft")
        .select_related("organisation", "decision")
        .order_by("submitted_at", "pk")
    )
    decisions = [a.decision for a in applications if hasattr(a, "decision")]
    if not decisions:
        return None
    details = []
    tenderers = {}
    for application in applications:
        reference = parties.add(application.organisation, "tenderer")
        tenderers[reference["id"]] = reference
        withdrawn = application.status == "withdrawn"
        details.append(
            {
                "id": application.reference,
                "submissionType": "expressionOfInterest" if application.stage == "eoi" else "bid",
                "date": iso(application.submitted_at),
                "status": "withdrawn" if withdrawn else "valid",
                "tenderers": [reference],
            }
        )
    submitted = [a for a in applications if a.status != "withdrawn"]
    selected = [d for d in decisions if d.selected]
    organisations = {a.organisation_id for a in submitted}
    bids = {
        "statistics": [
            {"id": "requests", "measure": "requests", "value": len(submitted)},
            {"id": "bidders", "measure": "bidders", "value": len(organisations)},
            {"id": "qualifiedBidders", "measure": "qualifiedBidders", "value": len(selected)},
        ],
        "details": details,
    }
    tender = {
        "id": _tender_id(call),
        "numberOfTenderers": len(tenderers),
        "tenderers": list(tenderers.values()),
    }
    date = max(d.decided_at for d in decisions)
    if call.preselection_on:  # decisions recorded after the announcement are dated by the announcement
        date = min(date, day_end(call.preselection_on, ctx.zone))
    return Compiled(
        "preselection",
        Stage.PRESELECTION,
        ctx.at(date),
        ["tenderUpdate"],
        _base(ctx, parties, tender=tender, bids=bids),
    )


def _pilot_events(ctx: Context, call, parties_for) -> list[Compiled]:
    """Paid pilots (a pilot budget): an award and its pilot agreement; the end of the pilot."""
    from govlab.pilots.models import Pilot

    events = []
    pilots = (
        Pilot.objects.filter(challenge=ctx.challenge, budget__isnull=False)
        .select_related("application__organisation", "agreement")
        .order_by("starts_on", "pk")
    )
    for pilot in pilots:
        if not pilot.budget:
            continue
        parties = parties_for()
        supplier = parties.add(pilot.application.organisation, "supplier")
        award_id = f"AW-PILOT-{pilot.pk}"
        started = day_start(pilot.starts_on, ctx.zone)
        if pilot.started_at:
            started = min(started, pilot.started_at)
        agreement = getattr(pilot, "agreement", None)
        if agreement is not None and agreement.signed_on is not None:
            continue  # a signed pilot agreement is published as a contract (below)
        award = {
            "id": award_id,
            "title": pilot.title,
            "status": "active",
            "date": iso(ctx.at(started)),
            "value": money(pilot.budget, pilot.currency),
            "suppliers": [supplier],
            "relatedBids": [pilot.application.reference],
        }
        contract = {
            "id": f"CT-PILOT-{pilot.pk}",
            "awardID": award_id,
            "title": pilot.title,
            "status": "active",
            "period": {"startDate": iso(started), "endDate": iso(day_end(pilot.ends_on, ctx.zone))},
            "value": money(pilot.budget, pilot.currency),
        }
        if started is None or started > ctx.now:
            continue
        events.append(
            Compiled(
                f"pilot:{pilot.pk}",
                Stage.PILOT,
                ctx.at(started),
                ["award", "contract"],
                _base(ctx, parties, awards=[award], contracts=[contract]),
            )
        )
        if pilot.status == "decided" and pilot.decided_at:
            parties = parties_for()
            parties.add(pilot.application.organisation, "supplier")
            ended = {"id": f"CT-PILOT-{pilot.pk}", "awardID": award_id, "status": "terminated"}
            events.append(
                Compiled(
                    f"pilot:{pilot.pk}:end",
                    Stage.PILOT_END,
                    ctx.at(pilot.decided_at),
                    ["contractUpdate"],
                    _base(ctx, parties, contracts=[ended]),
                )
            )
    return events


def _selection(ctx: Context, call, parties: Parties) -> Compiled | None:
    from govlab.demoday.models import Selection

    selections = list(
        Selection.objects.filter(challenge=ctx.challenge, demo_day__call=call)
        .select_related("application__organisation")
        .order_by("decided_at", "pk")
    )
    if not selections:
        return None
    for selection in selections:
        parties.add(selection.application.organisation, "tenderer")
    date = max(s.decided_at for s in selections)
    tender = {
        "id": _tender_id(call),
        "status": "complete",
        "awardPeriod": {"endDate": iso(date)},
    }
    return Compiled(
        "selection", Stage.SELECTION, ctx.at(date), ["tenderUpdate"], _base(ctx, parties, tender=tender)
    )


def _procurement_events(ctx: Context, call, parties_for) -> list[Compiled]:
    from govlab.procurement.enums import STEP_DOCUMENT_TYPES
    from govlab.procurement.models import ProcurementProcess

    events = []
    processes = (
        ProcurementProcess.objects.filter(challenge=ctx.challenge)
        .select_related("procedure")
        .prefetch_related("steps", "co_buyers", "awards__supplier", "awards__application")
        .order_by("created_at", "pk")
    )
    tender_id = _tender_id(call) if call is not None else f"PROC-{ctx.challenge.reference}"
    for process in processes:
        parties = parties_for()
        for co_buyer in process.co_buyers.all():
            parties.add(co_buyer, "buyer")
        documents = []
        for step in process.steps.all():
            if step.document and step.document_is_public and step.done_on:
                documents.append(
                    {
                        "id": f"STEP-{step.pk}",
                        "documentType": STEP_DOCUMENT_TYPES.get(step.kind, "biddingDocuments"),
                        "title": step.get_kind_display(),
                        "url": absolute(step.document.url)
                        if step.document.url.startswith("/")
                        else step.document.url,
                        "datePublished": iso(day_start(step.done_on, ctx.zone)),
                    }
                )
        cancelled = process.status == "cancelled"
        with translation.override(ctx.language):
            method_details = ctx.text(process.procedure.name)
        tender = {
            "id": tender_id,
            "status": "cancelled" if cancelled else ("complete" if process.awarded_at else "active"),
            "procuringEntity": parties.add_lab("procuringEntity"),
            "procurementMethod": process.procedure.ocds_method,
            "procurementMethodDetails": process.procedure.ocds_method_details or method_details,
            "value": money(process.estimated_value, process.currency),
            "tenderPeriod": {
                "startDate": iso(day_start(process.tender_starts_on, ctx.zone)),
                "endDate": iso(day_end(process.tender_ends_on, ctx.zone)),
            },
            "documents": documents,
        }
        events.append(
            Compiled(
                f"procurement:{process.pk}",
                Stage.PROCUREMENT,
                ctx.at(process.created_at),
                ["tenderCancellation" if cancelled else "tenderUpdate"],
                _base(ctx, parties, tender=tender),
            )
        )
        if process.awarded_at:
            parties = parties_for()
            awards = []
            for award in process.awards.all():
                awards.append(
                    {
                        "id": f"AW-{award.pk}",
                        "title": award.title,
                        "status": "cancelled" if award.status == "cancelled" else "active",
                        "date": iso(award.decided_at),
                        "value": money(award.value, award.currency),
                        "suppliers": [parties.add(award.supplier, "supplier")],
                        "relatedBids": [award.application.reference] if award.application else [],
                    }
                )
            if awards:
                events.append(
                    Compiled(
                        f"award:{process.pk}",
                        Stage.AWARD,
                        ctx.at(process.awarded_at),
                        ["award"],
                        _base(ctx, parties, awards=awards),
                    )
                )
    return events


def _award_id(contract) -> str:
    if contract.award_id:
        return f"AW-{contract.award_id}"
    if contract.pilot_id:
        return f"AW-PILOT-{contract.pilot_id}"
    return f"AW-CT-{contract.pk}"


def _contract_events(ctx: Context, parties_for) -> list[Compiled]:
    from govlab.contracts.models import Contract

    events = []
    contracts = (
        Contract.objects.filter(challenge=ctx.challenge, signed_on__isnull=False)
        .select_related("supplier", "buyer", "pilot", "pilot__application")
        .prefetch_related("versions", "documents", "milestones", "payments__scheduled__milestone")
        .order_by("signed_on", "pk")
    )
    for contract in contracts:
        versions = sorted(contract.versions.all(), key=lambda v: v.number)
        first = versions[0] if versions else None
        signed_at = day_start(contract.signed_on, ctx.zone)
        parties = parties_for()
        supplier = parties.add(contract.supplier, "supplier")
        parties.add(contract.buyer, "buyer")
        award_id = _award_id(contract)
        value = first.value if first else contract.value
        ends_on = first.ends_on if first else contract.ends_on
        body_contract = {
            "id": contract.reference,
            "awardID": award_id,
            "title": contract.title,
            "status": "active",  # as signed; a later release tells a termination
            "period": {
                "startDate": iso(day_start(contract.starts_on, ctx.zone)),
                "endDate": iso(day_end(ends_on, ctx.zone)),
            },
            "value": money(value, contract.currency),
            "dateSigned": iso(signed_at),
            "milestones": [
                {
                    "id": f"CM-{milestone.pk}",
                    "title": milestone.title,
                    "type": "delivery",
                    "dueDate": iso(day_end(milestone.due_on, ctx.zone)),
                    "status": "scheduled",
                }
                for milestone in contract.milestones.all()
            ],
            "documents": [
                {
                    "id": f"CT-DOC-{document.pk}",
                    "documentType": "contractSigned" if i == 0 else "contractAnnexe",
                    "title": document.title,
                    "url": absolute(document.file.url)
                    if document.file.url.startswith("/")
                    else document.file.url,
                }
                for i, document in enumerate(d for d in contract.documents.all() if d.is_public)
            ],
        }
        sections = {"contracts": [body_contract]}
        if contract.pilot_id and contract.pilot and contract.pilot.application_id:
            # A pilot agreement: its award is the paid pilot.
            pilot = contract.pilot
            sections["awards"] = [
                {
                    "id": award_id,
                    "title": pilot.title,
                    "status": "active",
                    "date": iso(signed_at),
                    "value": money(contract.value, contract.currency),
                    "suppliers": [supplier],
                    "relatedBids": [pilot.application.reference],
                }
            ]
        tags = ["award", "contract"] if "awards" in sections else ["contract"]
        events.append(
            Compiled(
                f"contract:{contract.reference}",
                Stage.PILOT if contract.pilot_id else Stage.CONTRACT,
                ctx.at(signed_at),
                tags,
                _base(ctx, parties, **sections),
            )
        )
        for version in versions[1:]:
            parties = parties_for()
            parties.add(contract.supplier, "supplier")
            amended = {
                "id": contract.reference,
                "awardID": award_id,
                "value": money(version.value, contract.currency),
                "period": {"endDate": iso(day_end(version.ends_on, ctx.zone))},
                "amendments": [
                    {
                        "id": f"{contract.reference}-v{version.number}",
                        "date": iso(version.created_at),
                        "rationale": version.reason,
                    }
                ],
            }
            events.append(
                Compiled(
                    f"contract:{contract.reference}:v{version.number}",
                    Stage.AMENDMENT,
                    ctx.at(version.created_at),
                    ["contractAmendment"],
                    _base(ctx, parties, contracts=[amended]),
                )
            )
        ended_on = getattr(contract, "ended_on", None) or contract.ends_on
        if contract.status in ("terminated", "cancelled") and ended_on and ended_on <= ctx.now.date():
            parties = parties_for()
            parties.add(contract.supplier, "supplier")
            events.append(
                Compiled(
                    f"contract:{contract.reference}:end",
                    Stage.TERMINATION,
                    ctx.at(day_end(ended_on, ctx.zone)),
                    ["contractTermination"],
                    _base(
                        ctx,
                        parties,
                        contracts=[
                            {"id": contract.reference, "awardID": award_id, "status": contract.status}
                        ],
                    ),
                )
            )
        for milestone in contract.milestones.all():
            if milestone.status == "scheduled" or milestone.met_on is None:
                continue
            parties = parties_for()
            parties.add(contract.supplier, "supplier")
            implementation = {
                "milestones": [
                    {
                        "id": f"IM-{milestone.pk}",
                        "title": milestone.title,
                        "type": "delivery",
                        "dueDate": iso(day_end(milestone.due_on, ctx.zone)),
                        "status": milestone.status,
                        "dateMet": iso(day_start(milestone.met_on, ctx.zone)),
                    }
                ]
            }
            events.append(
                Compiled(
                    f"milestone:{milestone.pk}",
                    Stage.MILESTONE,
                    ctx.at(day_start(milestone.met_on, ctx.zone)),
                    ["implementation"],
                    _base(
                        ctx,
                        parties,
                        contracts=[
                            {"id": contract.reference, "awardID": award_id, "implementation": implementation}
                        ],
                    ),
                )
            )
        for payment in contract.payments.all():
            if payment.paid_on is None or getattr(payment, "cancelled_at", None):
                continue
            parties = parties_for()
            payee = parties.add(contract.supplier, "supplier", "payee")
            payer = parties.add(contract.buyer, "buyer", "payer")
            paid_at = day_start(payment.paid_on, ctx.zone)
            transaction = {
                "id": f"PAY-{payment.pk}",
                "date": iso(paid_at),
                "value": money(payment.amount, contract.currency),
                "payer": payer,
                "payee": payee,
            }
            implementation = {"transactions": [transaction]}
            milestone = payment.scheduled.milestone if payment.scheduled_id and payment.scheduled else None
            if milestone is not None:
                transaction["relatedImplementationMilestone"] = {"id": f"IM-{milestone.pk}"}
                implementation["milestones"] = [
                    {
                        "id": f"IM-{milestone.pk}",
                        "title": milestone.title,
                        "type": "delivery",
                        "dueDate": iso(day_end(milestone.due_on, ctx.zone)),
                    }
                ]
            events.append(
                Compiled(
                    f"payment:{payment.pk}",
                    Stage.PAYMENT,
                    ctx.at(paid_at),
                    ["implementation"],
                    _base(
                        ctx,
                        parties,
                        contracts=[
                            {"id": contract.reference, "awardID": award_id, "implementation": implementation}
                        ],
                    ),
                )
            )
    return events


# Events whose recorded time may come after later steps (data entered afterwards): each is dated no later
# than the first event of a later stage, so a process reads in the order it happened.
BACKDATED = (Stage.PLANNING, Stage.PRESELECTION)


def _keep_phase_order(events: list[Compiled]) -> None:
    for event in events:
        if event.stage in BACKDATED:
            later = [e.date for e in events if e.stage > event.stage and e.stage != Stage.ENQUIRIES]
            if later:
                event.date = min(event.date, *later)


def _in_pipeline_order(events: list[Compiled], zone: ZoneInfo) -> list[Compiled]:
    """The events by day (in the lab's time zone), and on one day in pipeline order whatever their times.

    A day's later stage is never dated before its earlier ones (a contract signed the day of its award is
    dated by its signature day's midnight): it is dated with the event before it, so release dates follow
    the releases' order (the compiled release merges them by date) and an event recorded later the same
    day never comes before, nor changes (``_cumulative_roles``), an event already published.
    """
    ordered = sorted(events, key=lambda e: (e.date.astimezone(zone).date(), e.stage, e.date))  # stable
    for previous, event in pairwise(ordered):
        event.date = max(event.date, previous.date)
    return ordered


def _cumulative_roles(events: list[Compiled]) -> None:
    """Give each party, in each release, every role it has had in the process so far.

    The OCDS merge replaces arrays of strings, so a compiled release keeps the roles of the last release
    naming a party: cumulative roles keep a tenderer that became a supplier both.
    """
    seen: dict[str, list[str]] = {}
    for event in events:
        for party in event.body.get("parties", []):
            roles = seen.setdefault(party["id"], [])
            for role in party.get("roles", []):
                if role not in roles:
                    roles.append(role)
            party["roles"] = list(roles)


def compile_events(challenge) -> list[Compiled]:
    """The events of a challenge's process, oldest first (empty when the challenge is not public).

    Built in the lab's main language whatever the request's (country names, step names), so the same
    data always gives the same releases.
    """
    if not is_publishable(challenge):
        return []
    ctx = Context(challenge)
    with translation.override(ctx.language):
        return _compile(ctx)


def _compile(ctx: Context) -> list[Compiled]:

    def parties_for() -> Parties:
        parties = Parties(ctx)
        parties.add_lab("procuringEntity")
        return parties

    events = [_planning(ctx)]
    call = _call_for(ctx)
    if call is not None:
        events.append(_tender(ctx, call, parties_for()))
        for event in (
            _enquiries(ctx, call, parties_for()),
            _bids(ctx, call, parties_for()),
        ):
            if event is not None:
                events.append(event)
        events.extend(_pilot_events(ctx, call, parties_for))
        selection = _selection(ctx, call, parties_for())
        if selection is not None:
            events.append(selection)
    events.extend(_procurement_events(ctx, call, parties_for))
    events.extend(_contract_events(ctx, parties_for))
    events = [event for event in events if event.date is not None]
    _keep_phase_order(events)
    events = _in_pipeline_order(events, ctx.zone)
    _cumulative_roles(events)
    return events
