"""Forms of the monitoring pages. They only shape input: every rule is the services' (a refusal comes back
on the form with ``apply_errors``, at the field it names)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govlab.challenges.forms_lab import LabForm, apply_errors
from govlab.core.forms import StyledErrorsForm
from govlab.core.i18n import TranslatedFormField, pick

from .enums import Category, Direction, Periodicity, Scope, Source
from .periods import parse_key, periods_for

__all__ = ["KpiForm", "PeriodValueForm", "TargetForm", "ValueForm", "YearForm", "apply_errors"]

FIRST_YEAR = 2015


def year_choices(until: int | None = None) -> list[tuple[str, str]]:
    until = until or timezone.localdate().year
    return [(str(year), str(year)) for year in range(until, FIRST_YEAR - 1, -1)]


class YearForm(forms.Form):
    """The dashboards' year filter (GET)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


def computation_choices() -> list[tuple[str, str]]:
    """Each registered computation: its label and what it counts."""
    try:
        from .computations import COMPUTATIONS
    except ImportError:  # the registry is not there yet
        return []
    choices = []
    for key, computation in sorted(COMPUTATIONS.items(), key=lambda item: str(item[1].label)):
        description = str(getattr(computation, "description", "") or "")
        label = str(computation.label)
        choices.append((key, f"{label} — {description}" if description else label))
    return choices


class KpiForm(LabForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("A short name for exports and the API: letters, digits, hyphens and underscores."),
    )
    name = TranslatedFormField(label=_("Name"), max_length=200)
    description = TranslatedFormField(label=_("Description"), max_length=5000, multiline=True, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, widget=forms.RadioSelect)
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=Scope.choices,
        help_text=_("What the KPI measures: the whole lab, one intake campaign, one call or one challenge."),
    )
    campaign = forms.TypedChoiceField(
        label=_("Intake campaign"), coerce=int, required=False, empty_value=None
    )
    call = forms.TypedChoiceField(label=_("Call for solutions"), coerce=int, required=False, empty_value=None)
    challenge = forms.TypedChoiceField(label=_("Challenge"), coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(
        label=_("Source"),
        choices=Source.choices,
        widget=forms.RadioSelect,
        help_text=_("Computed from govlab's own records, or entered by hand each period with its evidence."),
    )
    computation = forms.ChoiceField(
        label=_("Computation"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("For a computed KPI: what govlab counts."),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("E.g. challenges, %, days, EUR.")
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, widget=forms.RadioSelect)
    periodicity = forms.ChoiceField(
        label=_("Periodicity"), choices=Periodicity.choices, widget=forms.RadioSelect
    )
    is_public = forms.BooleanField(label=_("Publish on the lab's public results page"), required=False)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=32767, required=False, help_text=_("Lower comes first.")
    )

    FIELDS = (
        "code",
        "name",
        "description",
        "category",
        "scope",
        "campaign",
        "call",
        "challenge",
        "source",
        "computation",
        "unit",
        "direction",
        "periodicity",
        "is_public",
        "position",
    )

    def __init__(self, *args, lab=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computation"].choices = [("", _("None (entered by hand)")), *computation_choices()]
        if lab is not None:
            self._scope_choices(lab)

    def _scope_choices(self, lab) -> None:
        from govlab.calls.models import Call
        from govlab.challenges.models import Challenge, IntakeCampaign

        none = [("", _("—"))]
        languages = lab.languages
        self.fields["campaign"].choices = none + [
            (c.pk, pick(c.title, preferred=languages).text or str(c.pk))
            for c in IntakeCampaign.objects.filter(lab=lab).only("pk", "title").order_by("-pk")[:500]
        ]
        self.fields["call"].choices = none + [
            (c.pk, pick(c.title, preferred=languages).text or c.slug)
            for c in Call.objects.filter(lab=lab).only("pk", "title", "slug").order_by("-pk")[:500]
        ]
        self.fields["challenge"].choices = none + [
            (c.pk, f"{c.reference} — {pick(c.title, preferred=languages).text}")
            for c in Challenge.objects.filter(lab=lab).only("pk", "reference", "title").order_by("-pk")[:1000]
        ]

    @classmethod
    def initial_for(cls, kpi) -> dict:
        scoped = ("campaign", "call", "challenge")
        return {name: getattr(kpi, f"{name}_id" if name in scoped else name) for name in cls.FIELDS}

    def kpi_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.FIELDS}
        for name in ("campaign", "call", "challenge"):
            data[f"{name}_id"] = data.pop(name)
        data["position"] = data["position"] or 0
        data["computation"] = data["computation"] or ""
        data["unit"] = data["unit"] or ""
        data["description"] = data["description"] or {}
        return data


def period_choices(periodicity: str, *, future: bool = False) -> list[tuple[str, str]]:
    """The periods a KPI of this periodicity has, newest first (values: ``2025`` or ``2025-Q2``)."""
    today = timezone.localdate()
    years = range(FIRST_YEAR, today.year + (3 if future else 1))
    periods = periods_for(periodicity, years)
    if not future:
        periods = [period for period in periods if not period.is_future(today)]
    return [(period.key, period.label) for period in reversed(periods)]


class PeriodValueForm(StyledErrorsForm):
    period = forms.ChoiceField(label=_("Period"))
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4)

    future = False

    def __init__(self, *args, kpi=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.fields["period"].choices = period_choices(kpi.periodicity, future=self.future)
        if kpi.unit:
            self.fields["value"].help_text = _("In %(unit)s.") % {"unit": kpi.unit}

    def bounds(self) -> tuple[dt.date, dt.date]:
        period = parse_key(self.cleaned_data["period"])
        return period.start, period.end


class TargetForm(PeriodValueForm):
    future = True
    value = forms.DecimalField(label=_("Target"), max_digits=18, decimal_places=4)


class ValueForm(PeriodValueForm):
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Where the figure comes from: a survey, a report, a register."),
    )
    evidence_url = forms.URLField(label=_("Evidence address"), required=False, assume_scheme="https")
