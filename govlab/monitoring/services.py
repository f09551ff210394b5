"""Writes for monitoring: KPI definitions, targets, manual values, and the snapshots of precomputed figures.

Each write checks the rules (``rules.require``), refuses with field messages and nothing written (code
``invalid``, or ``not_allowed``, ``computed``, ``future``), and is audited in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.audit.services import audit_record, diff_fields, snapshot
from govlab.core.i18n import clean_translations
from govlab.core.refusals import coded, refuse

from .computations import COMPUTATIONS
from .enums import Category, Direction, Periodicity, Scope, Source
from .models import KpiDefinition, KpiTarget, KpiValue, Snapshot
from .periods import matching_period, recent_years
from .rules import require

KPI_FIELDS = (
    "code",
    "name",
    "description",
    "category",
    "scope",
    "campaign_id",
    "call_id",
    "challenge_id",
    "source",
    "computation",
    "unit",
    "direction",
    "periodicity",
    "is_public",
    "position",
    "is_active",
)
SCOPE_FIELDS = {Scope.CAMPAIGN: "campaign_id", Scope.CALL: "call_id", Scope.CHALLENGE: "challenge_id"}
SCOPE_MODELS = {
    Scope.CAMPAIGN: ("challenges", "IntakeCampaign"),
    Scope.CALL: ("calls", "Call"),
    Scope.CHALLENGE: ("challenges", "Challenge"),
}
MAX_VALUE = Decimal("1e14")


def _id(value):
    """An id from an id, a model instance or None."""
    if value in (None, ""):
        return None
    return getattr(value, "pk", value)


def _normalise(data: dict, kpi) -> dict:
    """The KPI's fields after the change: the current ones, overridden by ``data`` (``campaign`` or
    ``campaign_id``, an object or an id, alike)."""
    current = {name: getattr(kpi, name) for name in KPI_FIELDS} if kpi else {}
    out = {
        **{
            "description": {},
            "scope": Scope.LAB,
            "computation": "",
            "unit": "",
            "direction": Direction.UP,
            "periodicity": Periodicity.YEAR,
            "is_public": False,
            "position": 0,
            "is_active": True,
        },
        **current,
    }
    for name, value in data.items():
        if name in ("campaign", "call", "challenge"):
            name = f"{name}_id"
        if name in KPI_FIELDS:
            out[name] = _id(value) if name.endswith("_id") else value
    for name in ("computation", "unit", "code"):
        out[name] = (out.get(name) or "").strip()
    out["position"] = out.get("position") or 0
    out["is_public"] = bool(out.get("is_public"))
    out["is_active"] = out.get("is_active") is not False
    return out


def _check_kpi(lab, values: dict, kpi) -> dict:
    from django.apps import apps
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_slug

    errors: dict[str, list] = {}
    code = values["code"]
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = [_("Use letters, digits, hyphens and underscores.")]
    if code and len(code) > 60:
        errors["code"] = [_("Use at most 60 characters.")]
    elif (
        code
        and KpiDefinition.objects.filter(lab=lab, code=code).exclude(pk=getattr(kpi, "pk", None)).exists()
    ):
        errors["code"] = [_("Another KPI of this lab has this code.")]
    try:
        values["name"] = clean_translations(values.get("name") or {}, required=True, max_length=200)
    except ValidationError as error:
        errors["name"] = error.messages
    try:
        values["description"] = clean_translations(
            values.get("description") or {}, required=False, max_length=5000
        )
    except ValidationError as error:
        errors["description"] = error.messages
    for name, choices in (
        ("category", Category.values),
        ("scope", Scope.values),
        ("source", Source.values),
        ("direction", Direction.values),
        ("periodicity", Periodicity.values),
    ):
        if values.get(name) not in choices:
            errors[name] = [_("Choose one of the options.")]
    scope = values.get("scope")
    # The object of the scope, in this lab; the other scope fields are cleared.
    for other_scope, name in SCOPE_FIELDS.items():
        if other_scope != scope:
            values[name] = None
    if scope in SCOPE_FIELDS:
        name = SCOPE_FIELDS[scope]
        model = apps.get_model(*SCOPE_MODELS[scope])
        if values.get(name) is None:
            errors[name] = [_("Choose what this KPI measures.")]
        elif not model.objects.filter(pk=values[name], lab=lab).exists():
            errors[name] = [_("Choose one of this lab's.")]
    computation = values["computation"]
    if values.get("source") == Source.COMPUTED:
        registered = COMPUTATIONS.get(computation)
        if not computation:
            errors["computation"] = [_("Choose what govlab computes.")]
        elif registered is None:
            errors["computation"] = [_("No such computation.")]
        elif scope in Scope.values and not registered.allows(scope):
            errors["computation"] = [_("This computation cannot be scoped this way.")]
        elif not values["unit"]:
            values["unit"] = registered.unit if registered.unit != "currency" else lab.currency
    elif values.get("source") == Source.MANUAL and computation:
        errors["computation"] = [_("A KPI entered by hand has no computation.")]
    if (
        kpi is not None
        and values.get("periodicity") != kpi.periodicity
        and (KpiTarget.objects.filter(kpi=kpi).exists() or KpiValue.objects.filter(kpi=kpi).exists())
    ):
        errors["periodicity"] = [_("This KPI has targets or values: its periodicity cannot change.")]
    if len(values["unit"]) > 40:
        errors["unit"] = [_("Use at most 40 characters.")]
    try:
        if not 0 <= int(values["position"]) <= 32767:
            raise ValueError
    except (TypeError, ValueError):
        errors["position"] = [_("Enter a whole number from 0.")]
    if errors:
        raise coded(errors, "invalid")
    return values


@transaction.atomic
def kpi_save(*, lab, by, data: dict, kpi: KpiDefinition | None = None) -> KpiDefinition:
    """Define a KPI of the lab (``kpi`` None) or change one (the lab's manager)."""
    require(by, "manage", lab)
    if kpi is not None and kpi.lab_id != lab.pk:
        raise refuse(_("This KPI belongs to another lab."), "not_allowed")
    values = _check_kpi(lab, _normalise(data, kpi), kpi)
    if kpi is None:
        kpi = KpiDefinition(lab=lab, created_by=by, **values)
        before = None
    else:
        kpi = KpiDefinition.objects.select_for_update().get(pk=kpi.pk)
        before = snapshot(kpi, KPI_FIELDS)
        for name, value in values.items():
            setattr(kpi, name, value)
    try:
        with transaction.atomic():
            kpi.save()
    except IntegrityError:
        raise coded({"code": [_("Another KPI of this lab has this code.")]}, "invalid") from None
    if before is None:
        audit_record(
            actor=by, action="monitoring.kpi_create", target=kpi, lab=lab, changes=snapshot(kpi, KPI_FIELDS)
        )
    else:
        changes = diff_fields(kpi, before, KPI_FIELDS)
        if changes:
            audit_record(actor=by, action="monitoring.kpi_update", target=kpi, lab=lab, changes=changes)
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: KpiDefinition, by) -> KpiDefinition:
    """Stop following a KPI: it is deactivated, its targets and values kept (the lab's manager)."""
    require(by, "manage", kpi.lab)
    if kpi.is_active:
        kpi.is_active = False
        kpi.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=by,
            action="monitoring.kpi_deactivate",
            target=kpi,
            lab=kpi.lab,
            changes={"is_active": [True, False]},
        )
    return kpi


def _period(kpi, period_start, period_end):
    period = matching_period(kpi, period_start, period_end)
    if period is None:
        what = _("a calendar quarter") if kpi.periodicity == Periodicity.QUARTER else _("a calendar year")
        message = _("The period must be %(what)s, as the KPI's periodicity says.") % {"what": what}
        raise coded({"period_start": [message]}, "invalid")
    return period


def _number(value, name: str = "value") -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise coded({name: [_("Enter a number.")]}, "invalid") from None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise coded({name: [_("Enter a number.")]}, "invalid")
    return number.quantize(Decimal("0.0001"))


@transaction.atomic
def target_set(
    *, kpi: KpiDefinition, by, period_start: dt.date, period_end: dt.date, value
) -> KpiTarget | None:
    """Set (or, with ``value`` None, remove) the KPI's target for one period (the lab's manager). Future
    periods are allowed: a target is a plan."""
    require(by, "manage", kpi.lab)
    period = _period(kpi, period_start, period_end)
    existing = KpiTarget.objects.select_for_update().filter(kpi=kpi, period_start=period.start).first()
    if value in (None, ""):
        if existing is not None:
            old = existing.value
            existing.delete()
            audit_record(
                actor=by,
                action="monitoring.target_remove",
                target=kpi,
                lab=kpi.lab,
                changes={"period": period.key, "value": [old, None]},
            )
        return None
    number = _number(value)
    old = existing.value if existing else None
    if existing is None:
        existing = KpiTarget.objects.create(
            kpi=kpi, period_start=period.start, period_end=period.end, value=number
        )
    elif existing.value != number:
        existing.value = number
        existing.save(update_fields=["value"])
    if old != number:
        audit_record(
            actor=by,
            action="monitoring.target_set",
            target=kpi,
            lab=kpi.lab,
            changes={"period": period.key, "value": [old, number]},
        )
    return existing


@transaction.atomic
def value_set(
    *,
    kpi: KpiDefinition,
    by,
    period_start: dt.date,
    period_end: dt.date,
    value,
    evidence: str = "",
    evidence_url: str = "",
) -> KpiValue:
    """Enter the value of a manual KPI for a period that has begun, with its evidence (the lab's team)."""
    require(by, "enter", kpi.lab)
    if kpi.source != Source.MANUAL:
        raise refuse(_("This KPI is computed by govlab: its values cannot be entered."), "computed")
    period = _period(kpi, period_start, period_end)
    if period.is_future():
        raise coded({"period_start": [_("This period has not begun yet.")]}, "future")
    number = _number(value)
    evidence = (evidence or "").strip()
    evidence_url = (evidence_url or "").strip()
    errors = {}
    if not evidence and not evidence_url:
        errors["evidence"] = [_("Say where the figure comes from: a document, a survey, a link.")]
    if len(evidence) > 5000:
        errors["evidence"] = [_("Use at most 5,000 characters.")]
    if evidence_url:
        from django.core.exceptions import ValidationError
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = [_("Enter a web address (https://…).")]
    if errors:
        raise coded(errors, "invalid")
    existing = KpiValue.objects.select_for_update().filter(kpi=kpi, period_start=period.start).first()
    before = snapshot(existing, ("value", "evidence", "evidence_url")) if existing else None
    if existing is None:
        existing = KpiValue(kpi=kpi, period_start=period.start, period_end=period.end)
    existing.value, existing.evidence, existing.evidence_url, existing.entered_by = (
        number,
        evidence,
        evidence_url,
        by,
    )
    existing.save()
    changes = {"period": period.key, "value": [before["value"] if before else None, str(number)]}
    if before is None or diff_fields(existing, before, ("value", "evidence", "evidence_url")):
        audit_record(actor=by, action="monitoring.value_set", target=kpi, lab=kpi.lab, changes=changes)
    return existing


# --- Snapshots ---------------------------------------------------------------------------------------

SNAPSHOT_YEARS = 3  # the lab-wide funnel and cycle times of all time and of each of the last years


KPI_SNAPSHOT_YEARS = 6  # a dashboard shows five years up to the chosen one


def kpi_values(lab, *, today: dt.date | None = None) -> dict:
    """{kpi id: {"signature", "values": {period key: value}}} for the lab's active computed KPIs, over the
    periods of the recent years that have begun."""
    from .computations import scope_object
    from .periods import periods_for
    from .selectors import _share_lab, encode, kpi_signature

    today = today or timezone.localdate()
    data = {}
    kpis = KpiDefinition.objects.filter(lab=lab, is_active=True, source=Source.COMPUTED).select_related(
        "campaign", "call", "challenge"
    )
    for kpi in kpis:
        computation = COMPUTATIONS.get(kpi.computation)
        if computation is None:
            continue
        _share_lab(kpi, lab)
        scope = scope_object(kpi)
        # Its periods, and the quarters of the last two years (the dashboards' trends by quarter).
        periods = {
            *periods_for(kpi, recent_years(KPI_SNAPSHOT_YEARS, today)),
            *periods_for(Periodicity.QUARTER, recent_years(2, today)),
        }
        values = {
            period.key: encode(computation.compute(scope, period))
            for period in sorted(periods)
            if not period.is_future(today)
        }
        data[str(kpi.pk)] = {"signature": kpi_signature(kpi), "values": values}
    return data


@transaction.atomic
def snapshot_refresh(lab, *, now=None) -> list[Snapshot]:
    """Compute the lab's funnel and cycle times (all time and for each recent year) and its computed KPIs'
    values, and keep them (the pages read them and say when they were computed)."""
    from .cycle_times import cycle_times
    from .funnel import funnel
    from .selectors import KPI_VALUES, snapshot_key

    now = now or timezone.now()
    saved = []
    for year in (None, *recent_years(SNAPSHOT_YEARS, timezone.localdate(now))):
        for name, data in (
            ("funnel", funnel(lab, year=year).as_dict()),
            ("cycle_times", cycle_times(lab, year=year, now=now).as_dict()),
        ):
            row, _created = Snapshot.objects.update_or_create(
                lab=lab, key=snapshot_key(name, year), defaults={"data": data, "computed_at": now}
            )
            saved.append(row)
    row, _created = Snapshot.objects.update_or_create(
        lab=lab,
        key=KPI_VALUES,
        defaults={"data": kpi_values(lab, today=timezone.localdate(now)), "computed_at": now},
    )
    saved.append(row)
    return saved
