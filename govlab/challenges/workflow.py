"""The challenge state machine as data: who may move a challenge from which state to which.

One table, read by the one state-change service (services.challenge_transition), by the UI to offer
actions, and by the tests (every allowed and refused transition, by role).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .enums import ChallengeStatus as S

ENTITY = "entity"  # a member of the owning public entity
LAB = "lab"  # the lab's manager or staff
MANAGER = "manager"  # the lab's manager only
# A phase service, never offered as a button: the calls service (a call published, cancelled, preselected),
# the strengthening programme (started), a pilot (started), the Demo Day (a solution selected), the
# procurement (started, cancelled) and the contracts (implementation started, case closed).
CALL = "call"


@dataclass(frozen=True)
class Transition:
    name: str
    source: S
    target: S
    actors: frozenset[str]
    label: object
    needs_reason: bool = False
    gate: bool = False  # the readiness checklist must be met (or overridden by a manager)


def _t(name, source, target, actors, label, **kwargs) -> Transition:
    return Transition(name, source, target, frozenset(actors), label, **kwargs)


TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", S.DRAFT, S.SUBMITTED, {ENTITY}, _("Submit to the lab")),
    _t("start_screening", S.SUBMITTED, S.IN_SCREENING, {LAB}, _("Start screening")),
    _t(
        "request_information",
        S.IN_SCREENING,
        S.MORE_INFO_REQUESTED,
        {LAB},
        _("Ask for more information"),
        needs_reason=True,
    ),
    _t(
        "resubmit",
        S.MORE_INFO_REQUESTED,
        S.IN_SCREENING,
        {ENTITY},
        _("Resubmit with the information asked for"),
    ),
    _t("accept", S.IN_SCREENING, S.ACCEPTED, {LAB}, _("Accept")),
    _t("decline", S.IN_SCREENING, S.DECLINED, {LAB}, _("Decline"), needs_reason=True),
    _t("decline", S.SUBMITTED, S.DECLINED, {LAB}, _("Decline"), needs_reason=True),
    _t("start_characterisation", S.ACCEPTED, S.CHARACTERISING, {LAB, ENTITY}, _("Start characterisation")),
    _t("mark_ready", S.CHARACTERISING, S.READY_FOR_CALL, {LAB}, _("Mark ready for a call"), gate=True),
    _t(
        "reopen_characterisation",
        S.READY_FOR_CALL,
        S.CHARACTERISING,
        {LAB},
        _("Reopen characterisation"),
        needs_reason=True,
    ),
    *(
        _t("withdraw", source, S.WITHDRAWN, {ENTITY}, _("Withdraw"), needs_reason=True)
        for source in (
            S.SUBMITTED,
            S.IN_SCREENING,
            S.MORE_INFO_REQUESTED,
            S.ACCEPTED,
            S.CHARACTERISING,
            S.READY_FOR_CALL,
        )
    ),
    _t("open_call", S.READY_FOR_CALL, S.IN_CALL, {CALL}, _("Open a call for solutions")),
    _t("preselect", S.IN_CALL, S.PRESELECTED, {CALL}, _("Preselect solutions")),
    _t(
        "call_cancelled",
        S.IN_CALL,
        S.READY_FOR_CALL,
        {CALL},
        _("Return to ready: the call was cancelled"),
        needs_reason=True,
    ),
    _t("start_strengthening", S.PRESELECTED, S.STRENGTHENING, {CALL}, _("Start the strengthening programme")),
    _t("start_piloting", S.PRESELECTED, S.PILOTING, {CALL}, _("Start piloting")),
    _t("start_piloting", S.STRENGTHENING, S.PILOTING, {CALL}, _("Start piloting")),
    *(
        _t("select_solution", source, S.SOLUTION_SELECTED, {CALL}, _("Select the solution"))
        for source in (S.PRESELECTED, S.STRENGTHENING, S.PILOTING)
    ),
    _t("start_procurement", S.SOLUTION_SELECTED, S.PROCURING, {CALL}, _("Start the procurement")),
    _t(
        "procurement_cancelled",
        S.PROCURING,
        S.SOLUTION_SELECTED,
        {CALL},
        _("Return to solution selected: the procurement was cancelled"),
        needs_reason=True,
    ),
    _t("start_implementation", S.PROCURING, S.IMPLEMENTING, {CALL}, _("Start implementation")),
    _t("close_case", S.IMPLEMENTING, S.CLOSED, {CALL}, _("Close the case")),
    *(
        _t("abandon", source, S.ABANDONED, {LAB}, _("Abandon"), needs_reason=True)
        for source in (
            S.ACCEPTED,
            S.CHARACTERISING,
            S.READY_FOR_CALL,
            S.PRESELECTED,
            S.STRENGTHENING,
            S.PILOTING,
            S.SOLUTION_SELECTED,
            S.PROCURING,
            S.IMPLEMENTING,
        )
    ),
)

# Phase 5: the entity buys, so its members may move the challenge through the purchase's services too.
ENTITY_SERVICE_TRANSITIONS = frozenset(
    {"start_procurement", "procurement_cancelled", "start_implementation", "close_case"}
)

BY_SOURCE_TARGET: dict[tuple[str, str], Transition] = {(t.source, t.target): t for t in TRANSITIONS}


def find_transition(source: str, target: str) -> Transition | None:
    return BY_SOURCE_TARGET.get((source, target))


def transitions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]
